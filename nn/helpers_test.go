package nn

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// newTestNet returns a network with the given sizes and activations, its
// weights drawn from N(0, std²) and its biases from N(0, 0.5²).
func newTestNet(sizes []int, acts []Activation, std float64, rnd *rand.Rand) *Network {
	net, err := New(sizes, acts)
	if err != nil {
		panic(err)
	}
	net.Init(Normal(std), rnd)
	for l := range net.Layers {
		for j := range net.Layers[l].B {
			net.Layers[l].B[j] = 0.5 * rnd.NormFloat64()
		}
	}
	return net
}

func randMatrix(rows, cols int, rnd *rand.Rand) *mat.Dense {
	m := mat.NewDense(rows, cols, nil)
	for i := 0; i < rows; i++ {
		for j := 0; j < cols; j++ {
			m.Set(i, j, rnd.NormFloat64())
		}
	}
	return m
}

// naiveForward evaluates the network with math.Exp/math.Tanh and plain
// sums, as an independent reference. It also returns the pre-activations.
func naiveForward(net *Network, x []float64) (out []float64, zs [][]float64) {
	a := x
	for _, ly := range net.Layers {
		z := make([]float64, ly.Out)
		for j := range z {
			s := ly.B[j]
			for i := 0; i < ly.In; i++ {
				s += a[i] * ly.W[i*ly.Out+j]
			}
			z[j] = s
		}
		zs = append(zs, z)
		o := make([]float64, ly.Out)
		switch ly.Act {
		case Linear:
			copy(o, z)
		case Sigmoid:
			for j, v := range z {
				o[j] = 1 / (1 + math.Exp(-v))
			}
		case Tanh:
			for j, v := range z {
				o[j] = math.Tanh(v)
			}
		case ReLU:
			for j, v := range z {
				o[j] = math.Max(v, 0)
			}
		case Softmax:
			m := math.Inf(-1)
			for _, v := range z {
				m = math.Max(m, v)
			}
			s := 0.0
			for j, v := range z {
				o[j] = math.Exp(v - m)
				s += o[j]
			}
			for j := range o {
				o[j] /= s
			}
		}
		a = o
	}
	return a, zs
}

// toyRegression returns rows of y = sin(x0)·cos(x1) + x2/2 on random x.
func toyRegression(n int, rnd *rand.Rand) (x, y *mat.Dense) {
	x = mat.NewDense(n, 3, nil)
	y = mat.NewDense(n, 1, nil)
	for i := 0; i < n; i++ {
		a, b, c := 2*rnd.Float64()-1, 2*rnd.Float64()-1, 2*rnd.Float64()-1
		x.SetRow(i, []float64{a, b, c})
		y.Set(i, 0, float64(math.Sin(2*a)*math.Cos(b))+c/2)
	}
	return x, y
}
