package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/mat"
)

// TestGradientFiniteDifferences compares the backpropagated gradient of
// every parameter of a 3→5→4→2 network with central differences (gonum
// diff/fd): relative error ≤ 1e-6 on each one.
func TestGradientFiniteDifferences(t *testing.T) {
	cases := []struct {
		name string
		acts []Activation
		loss Loss
		seed uint64
	}{
		{"sigmoid/mse", []Activation{Sigmoid, Sigmoid, Sigmoid}, MSE, 1},
		{"tanh/mse", []Activation{Tanh, Tanh, Tanh}, MSE, 2},
		{"relu/mse", []Activation{ReLU, ReLU, ReLU}, MSE, 3},
		{"linear/mse", []Activation{Linear, Linear, Linear}, MSE, 4},
		{"softmax/crossentropy", []Activation{Tanh, Sigmoid, Softmax}, CrossEntropy, 5},
		{"sigmoid/crossentropy", []Activation{ReLU, Tanh, Sigmoid}, CrossEntropy, 6},
		{"softmax/mse", []Activation{Sigmoid, Tanh, Softmax}, MSE, 7},
	}
	const rows, step = 10, 1e-5
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rnd := rand.New(rand.NewPCG(c.seed, 99))
			net := newTestNet([]int{3, 5, 4, 2}, c.acts, 0.8, rnd)
			x := randMatrix(rows, 3, rnd)
			y := mat.NewDense(rows, 2, nil)
			for i := 0; i < rows; i++ {
				if c.loss == CrossEntropy {
					p := rnd.Float64() // probability targets summing to 1
					y.SetRow(i, []float64{p, 1 - p})
				} else {
					y.SetRow(i, []float64{rnd.Float64(), rnd.Float64()})
				}
			}
			if c.acts[0] == ReLU {
				// Kinks: no pre-activation of a ReLU layer may come near 0,
				// so that the finite differences never cross one.
				minZ := math.Inf(1)
				for i := 0; i < rows; i++ {
					_, zs := naiveForward(net, x.RawRowView(i))
					for l, z := range zs {
						if net.Layers[l].Act != ReLU {
							continue
						}
						for _, v := range z {
							minZ = min(minZ, math.Abs(v))
						}
					}
				}
				if minZ < 1e-3 {
					t.Fatalf("seed gives a ReLU pre-activation %g near the kink", minZ)
				}
			}
			p := net.Params(nil)
			grad := make([]float64, len(p))
			loss := net.LossGrad(grad, x, y, c.loss)
			probe := net.Clone()
			f := func(q []float64) float64 {
				probe.SetParams(q)
				return probe.LossGrad(nil, x, y, c.loss)
			}
			if l0 := f(p); l0 != loss {
				t.Fatalf("loss without gradient %v, with %v", l0, loss)
			}
			num := fd.Gradient(nil, f, p, &fd.Settings{Formula: fd.Central, Step: step})
			worst, smallest, zeros := 0.0, math.Inf(1), 0
			for k := range p {
				if grad[k] == 0 {
					zeros++ // a dead ReLU: the finite difference must be exactly 0 too
				} else {
					smallest = min(smallest, math.Abs(grad[k]))
				}
				rel := 0.0
				if d := math.Abs(grad[k] - num[k]); d > 0 {
					rel = d / math.Max(math.Abs(grad[k]), math.Abs(num[k]))
				}
				if rel > 1e-6 {
					t.Errorf("parameter %s: backprop %.12g, finite differences %.12g, relative error %.2g",
						paramName(net, k), grad[k], num[k], rel)
				}
				worst = max(worst, rel)
			}
			t.Logf("loss %.6g, %d parameters (%d with zero gradient), smallest nonzero |gradient| %.2g, worst relative error %.2g",
				loss, len(p), zeros, smallest, worst)
		})
	}
}

// paramName names parameter k of the order of Params.
func paramName(net *Network, k int) string {
	for l, ly := range net.Layers {
		if k < ly.In*ly.Out {
			return fmt.Sprintf("layer %d W[%d,%d]", l, k/ly.Out, k%ly.Out)
		}
		k -= ly.In * ly.Out
		if k < ly.Out {
			return fmt.Sprintf("layer %d B[%d]", l, k)
		}
		k -= ly.Out
	}
	return "?"
}

// TestLossValue checks LossGrad's loss against a direct computation for
// each loss.
func TestLossValue(t *testing.T) {
	rnd := rand.New(rand.NewPCG(11, 12))
	for _, c := range []struct {
		act  Activation
		loss Loss
	}{{Linear, MSE}, {Softmax, CrossEntropy}, {Sigmoid, CrossEntropy}, {Softmax, MSE}} {
		net := newTestNet([]int{2, 6, 3}, []Activation{Tanh, c.act}, 1, rnd)
		x := randMatrix(300, 2, rnd) // more than one block of rows
		y := mat.NewDense(300, 3, nil)
		for i := 0; i < 300; i++ {
			y.Set(i, i%3, 1)
		}
		want := 0.0
		for i := 0; i < 300; i++ {
			a, _ := naiveForward(net, x.RawRowView(i))
			for j, v := range a {
				yj := y.At(i, j)
				switch {
				case c.loss == MSE:
					want += (v - yj) * (v - yj) / 3
				case c.act == Softmax:
					want -= yj * math.Log(v)
				default:
					want -= yj*math.Log(v) + (1-yj)*math.Log(1-v)
				}
			}
		}
		want /= 300
		got := net.LossGrad(nil, x, y, c.loss)
		if math.Abs(got-want) > 1e-12*math.Abs(want) {
			t.Errorf("%v/%v: loss %.15g, want %.15g", c.act, c.loss, got, want)
		}
	}
}

// TestLossGradBlocks: over more rows than one block, the gradient is the
// row-weighted mean of the gradients of the parts.
func TestLossGradBlocks(t *testing.T) {
	rnd := rand.New(rand.NewPCG(15, 16))
	net := newTestNet([]int{4, 9, 3}, []Activation{Sigmoid, Softmax}, 1, rnd)
	const n, cut = 700, 300
	x := randMatrix(n, 4, rnd)
	y := mat.NewDense(n, 3, nil)
	for i := 0; i < n; i++ {
		y.Set(i, rnd.IntN(3), 1)
	}
	g := make([]float64, net.NumParams())
	l := net.LossGrad(g, x, y, CrossEntropy)
	g1 := make([]float64, len(g))
	g2 := make([]float64, len(g))
	l1 := net.LossGrad(g1, x.Slice(0, cut, 0, 4), y.Slice(0, cut, 0, 3), CrossEntropy)
	l2 := net.LossGrad(g2, x.Slice(cut, n, 0, 4), y.Slice(cut, n, 0, 3), CrossEntropy)
	w1, w2 := float64(cut)/n, float64(n-cut)/n
	if want := w1*l1 + w2*l2; math.Abs(l-want) > 1e-14*want {
		t.Errorf("loss %v, from parts %v", l, want)
	}
	for k := range g {
		want := w1*g1[k] + w2*g2[k]
		if math.Abs(g[k]-want) > 1e-14*math.Max(1e-3, math.Abs(want)) {
			t.Errorf("gradient %s: %v, from parts %v", paramName(net, k), g[k], want)
		}
	}
}
