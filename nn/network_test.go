package nn

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// paperSizes is the emulator network of the paper: 3 inputs, four hidden
// layers of 150 sigmoid units, 4 linear outputs.
var (
	paperSizes = []int{3, 150, 150, 150, 150, 4}
	paperActs  = []Activation{Sigmoid, Sigmoid, Sigmoid, Sigmoid, Linear}
)

func TestPaperNetworkParams(t *testing.T) {
	net, err := New(paperSizes, paperActs)
	if err != nil {
		t.Fatal(err)
	}
	if n := net.NumParams(); n != 69154 {
		t.Errorf("paper network has %d parameters, want 69154", n)
	}
	if n := len(net.Params(nil)); n != 69154 {
		t.Errorf("Params has %d values", n)
	}
}

func TestNewAndValidateErrors(t *testing.T) {
	for _, c := range []struct {
		sizes []int
		acts  []Activation
		want  string
	}{
		{[]int{3}, nil, "at least 2"},
		{[]int{3, 4}, []Activation{Tanh, Tanh}, "need 1 activations"},
		{[]int{3, 0, 1}, []Activation{Tanh, Linear}, "layer size 1 is 0"},
		{[]int{3, 4, 1}, []Activation{Softmax, Linear}, "softmax is allowed only in the output layer"},
		{[]int{3, 4, 1}, []Activation{Tanh, 0}, "invalid activation"},
	} {
		if _, err := New(c.sizes, c.acts); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("New(%v, %v): error %v, want %q", c.sizes, c.acts, err, c.want)
		}
	}
	net, _ := New([]int{2, 3, 1}, []Activation{Tanh, Linear})
	net.Layers[1].W[2] = math.Inf(1)
	if err := net.Validate(); err == nil || !strings.Contains(err.Error(), "W[2,0] is +Inf") {
		t.Errorf("Validate with an infinite weight: %v", err)
	}
	net.Layers[1].W[2] = 0
	net.Layers[1].In = 4
	if err := net.Validate(); err == nil || !strings.Contains(err.Error(), "layer 1 has 4 inputs") {
		t.Errorf("Validate with mismatched sizes: %v", err)
	}
	if _, err := ParseLoss("hinge"); err == nil {
		t.Error("ParseLoss(hinge): no error")
	}
	for _, l := range []Loss{MSE, CrossEntropy} {
		if got, err := ParseLoss(l.String()); err != nil || got != l {
			t.Errorf("ParseLoss(%q) = %v, %v", l.String(), got, err)
		}
	}
}

func TestParamsRoundTripAndLayout(t *testing.T) {
	rnd := rand.New(rand.NewPCG(71, 72))
	net := newTestNet([]int{3, 5, 2}, []Activation{Tanh, Linear}, 1, rnd)
	p := net.Params(nil)
	// Layout: layer 0 W (3×5 row-major), B (5), layer 1 W (5×2), B (2).
	if p[1*5+2] != net.Layers[0].W[7] || p[15+4] != net.Layers[0].B[4] || p[20+3*2+1] != net.Layers[1].W[7] || p[30] != net.Layers[1].B[0] {
		t.Error("Params layout is not W then B per layer")
	}
	if net.Layers[0].Weights().At(1, 2) != net.Layers[0].W[1*5+2] {
		t.Error("Weights view is not In×Out row-major")
	}
	c := net.Clone()
	for i := range p {
		p[i] *= 2
	}
	c.SetParams(p)
	if !bitsEqual(c.Params(nil), p) || bitsEqual(net.Params(nil), p) {
		t.Error("SetParams/Clone do not copy")
	}
}

func TestInitializers(t *testing.T) {
	rnd := rand.New(rand.NewPCG(73, 74))
	const in, out = 200, 300
	w := make([]float64, in*out)
	for _, c := range []struct {
		name string
		init Initializer
		std  float64 // expected standard deviation
	}{
		{"normal", Normal(0.05), 0.05},
		{"glorot uniform", GlorotUniform, math.Sqrt(2.0 / (in + out))},
		{"glorot normal", GlorotNormal, math.Sqrt(2.0 / (in + out))},
		{"he normal", HeNormal, math.Sqrt(2.0 / in)},
		{"he uniform", HeUniform, math.Sqrt(2.0 / in)},
	} {
		c.init(w, in, out, rnd)
		var s, s2 float64
		for _, v := range w {
			s += v
			s2 += v * v
		}
		mean := s / float64(len(w))
		std := math.Sqrt(s2/float64(len(w)) - mean*mean)
		if math.Abs(mean) > 4*c.std/math.Sqrt(float64(len(w))) || math.Abs(std/c.std-1) > 0.01 {
			t.Errorf("%s: mean %.3g, std %.4g, want 0, %.4g", c.name, mean, std, c.std)
		}
	}
}

// TestPredictMatchesForward: batched and single-row passes give the same
// bits, and agree with a naive evaluation.
func TestPredictMatchesForward(t *testing.T) {
	rnd := rand.New(rand.NewPCG(81, 82))
	for _, acts := range [][]Activation{
		{Tanh, Tanh, Linear},
		{Sigmoid, ReLU, Softmax},
		{Linear, Sigmoid, Sigmoid},
	} {
		net := newTestNet([]int{5, 37, 9, 6}, acts, 0.5, rnd)
		x := randMatrix(601, 5, rnd) // several blocks, and a partial one
		var pred mat.Dense
		net.Predict(&pred, x)
		ws := net.NewWorkspace()
		out := make([]float64, 6)
		for i := 0; i < 601; i++ {
			ws.Forward(out, x.RawRowView(i))
			if !bitsEqual(out, pred.RawRowView(i)) {
				t.Fatalf("%v row %d: Forward %v, Predict %v", acts, i, out, pred.RawRowView(i))
			}
			want, _ := naiveForward(net, x.RawRowView(i))
			for j := range want {
				if math.Abs(out[j]-want[j]) > 1e-13 {
					t.Fatalf("%v row %d: output %d = %v, naive %v", acts, i, j, out[j], want[j])
				}
			}
		}
		if got := ws.Forward(nil, x.RawRowView(3)); !bitsEqual(got, pred.RawRowView(3)) {
			t.Error("Forward(nil, x) differs")
		}
	}
}

func TestForwardDoesNotAllocate(t *testing.T) {
	rnd := rand.New(rand.NewPCG(83, 84))
	net := newTestNet([]int{1, 32, 32, 60}, []Activation{Tanh, Tanh, Linear}, 0.3, rnd)
	ws := net.NewWorkspace()
	x := []float64{0.3}
	out := make([]float64, 60)
	if n := testing.AllocsPerRun(100, func() { ws.Forward(out, x) }); n != 0 {
		t.Errorf("Forward: %v allocations per call", n)
	}
	if n := testing.AllocsPerRun(100, func() { ws.Forward(nil, x) }); n != 0 {
		t.Errorf("Forward(nil, x): %v allocations per call", n)
	}
}

func TestLossGradPanics(t *testing.T) {
	net, _ := New([]int{2, 1}, []Activation{Linear})
	x := mat.NewDense(3, 2, nil)
	y := mat.NewDense(3, 1, nil)
	for _, f := range []func(){
		func() { net.LossGrad(nil, x, y, CrossEntropy) },
		func() { net.LossGrad(make([]float64, 2), x, y, MSE) },
		func() { net.LossGrad(nil, y, y, MSE) },
		func() { net.NewWorkspace().Forward(nil, []float64{1}) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			f()
		}()
	}
}
