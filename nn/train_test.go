package nn

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

func TestTrainReducesLossEachOptimizer(t *testing.T) {
	for _, c := range []struct {
		name string
		opt  Optimizer
	}{
		{"sgd", &SGD{LearningRate: 0.1}},
		{"momentum", &SGD{LearningRate: 0.05, Momentum: 0.9}},
		{"nesterov", &SGD{LearningRate: 0.05, Momentum: 0.9, Nesterov: true}},
		{"rmsprop", &RMSprop{}},
		{"adam", &Adam{LearningRate: 3e-3}},
	} {
		t.Run(c.name, func(t *testing.T) {
			rnd := rand.New(rand.NewPCG(21, 22))
			x, y := toyRegression(400, rnd)
			net, _ := New([]int{3, 16, 16, 1}, []Activation{Tanh, Tanh, Linear})
			net.Init(GlorotUniform, rnd)
			before := net.LossGrad(nil, x, y, MSE)
			h, err := Train(context.Background(), net, x, y, &Settings{Epochs: 60, BatchSize: 16, Optimizer: c.opt}, rnd)
			if err != nil {
				t.Fatal(err)
			}
			after := net.LossGrad(nil, x, y, MSE)
			if !(after < 0.05*before) {
				t.Errorf("MSE %.4g → %.4g, want a reduction by 20×", before, after)
			}
			if len(h.Loss) != 60 || h.ValLoss != nil || h.Accuracy != nil {
				t.Errorf("history has %d losses, ValLoss %v, Accuracy %v", len(h.Loss), h.ValLoss, h.Accuracy)
			}
			t.Logf("MSE %.4g → %.4g", before, after)
		})
	}
}

// oneRowNet returns a 2→1 linear network and a 5-row data set, for
// checking single optimizer steps by hand.
func oneStepProblem() (*Network, *mat.Dense, *mat.Dense) {
	net, _ := New([]int{2, 1}, []Activation{Linear})
	net.SetParams([]float64{0.3, -0.7, 0.1})
	x := mat.NewDense(5, 2, []float64{1, 2, -1, 0.5, 0.3, -2, 2, 1, -0.4, -0.1})
	y := mat.NewDense(5, 1, []float64{1, -1, 0.5, 2, 0})
	return net, x, y
}

// TestOptimizerStepsByHand runs two full-batch steps of each optimizer and
// compares the parameters with the documented update rules applied to the
// gradients from LossGrad.
func TestOptimizerStepsByHand(t *testing.T) {
	type rule func(p, g []float64, st []float64, step int) // updates p in place; st is per-parameter state ×2
	const lr = 0.01
	cases := []struct {
		name string
		opt  Optimizer
		rule rule
	}{
		{"sgd", &SGD{LearningRate: lr}, func(p, g, _ []float64, _ int) {
			for i := range p {
				p[i] -= lr * g[i]
			}
		}},
		{"momentum", &SGD{LearningRate: lr, Momentum: 0.8}, func(p, g, v []float64, _ int) {
			for i := range p {
				v[i] = 0.8*v[i] - lr*g[i]
				p[i] += v[i]
			}
		}},
		{"nesterov", &SGD{LearningRate: lr, Momentum: 0.8, Nesterov: true}, func(p, g, v []float64, _ int) {
			for i := range p {
				v[i] = 0.8*v[i] - lr*g[i]
				p[i] += 0.8*v[i] - lr*g[i]
			}
		}},
		{"rmsprop", &RMSprop{LearningRate: lr}, func(p, g, v []float64, _ int) {
			for i := range p { // Keras defaults ρ = 0.9, ε = 1e-7 inside the root
				v[i] = 0.9*v[i] + 0.1*g[i]*g[i]
				p[i] -= lr * g[i] / math.Sqrt(v[i]+1e-7)
			}
		}},
		{"adam", &Adam{LearningRate: lr}, func(p, g, st []float64, t int) {
			m, v := st[:len(p)], st[len(p):]
			for i := range p { // β₁ = 0.9, β₂ = 0.999, ε = 1e-8
				m[i] = 0.9*m[i] + 0.1*g[i]
				v[i] = 0.999*v[i] + 0.001*g[i]*g[i]
				mh := m[i] / (1 - math.Pow(0.9, float64(t)))
				vh := v[i] / (1 - math.Pow(0.999, float64(t)))
				p[i] -= lr * mh / (math.Sqrt(vh) + 1e-8)
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			net, x, y := oneStepProblem()
			ref := net.Clone()
			p := ref.Params(nil)
			st := make([]float64, 2*len(p))
			g := make([]float64, len(p))
			for step := 1; step <= 2; step++ {
				ref.SetParams(p)
				ref.LossGrad(g, x, y, MSE)
				c.rule(p, g, st, step)
			}
			s := &Settings{Epochs: 2, BatchSize: 5, Optimizer: c.opt}
			if _, err := Train(context.Background(), net, x, y, s, rand.New(rand.NewPCG(1, 1))); err != nil {
				t.Fatal(err)
			}
			got := net.Params(nil)
			start := []float64{0.3, -0.7, 0.1}
			for i := range p {
				// Rows are shuffled, so the gradient sums differ in rounding.
				if math.Abs(got[i]-p[i]) > 1e-13 || got[i] == start[i] {
					t.Errorf("parameter %d: %.17g, by hand %.17g (start %v)", i, got[i], p[i], start[i])
				}
			}
		})
	}
}

// TestDeterminism: the same seed gives the same bits whatever the number of
// workers; another seed gives other bits.
func TestDeterminism(t *testing.T) {
	run := func(seed uint64, workers int) ([]float64, *History, []float64) {
		rnd := rand.New(rand.NewPCG(seed, 5))
		x, y := toyRegression(300, rnd)
		net, _ := New([]int{3, 20, 13, 2}, []Activation{Sigmoid, Tanh, Linear})
		net.Init(GlorotNormal, rnd)
		y2 := mat.NewDense(300, 2, nil)
		for i := 0; i < 300; i++ {
			y2.Set(i, 0, y.At(i, 0))
			y2.Set(i, 1, -y.At(i, 0))
		}
		s := &Settings{Epochs: 5, BatchSize: 24, ValidationFraction: 0.2, Workers: workers, Optimizer: &RMSprop{}}
		h, err := Train(context.Background(), net, x, y2, s, rnd)
		if err != nil {
			t.Fatal(err)
		}
		var pred mat.Dense
		net.Predict(&pred, x)
		return net.Params(nil), h, pred.RawMatrix().Data
	}
	p1, h1, y1 := run(1, 1)
	for _, w := range []int{2, 3, 7} {
		p, h, y := run(1, w)
		if !bitsEqual(p, p1) || !bitsEqual(y, y1) || !bitsEqual(h.Loss, h1.Loss) || !bitsEqual(h.ValLoss, h1.ValLoss) {
			t.Errorf("workers=%d: results differ from workers=1", w)
		}
	}
	p2, _, _ := run(2, 2)
	if bitsEqual(p1, p2) {
		t.Error("seeds 1 and 2 give the same weights")
	}
}

func bitsEqual(a, b []float64) bool {
	return slices.EqualFunc(a, b, func(u, v float64) bool { return math.Float64bits(u) == math.Float64bits(v) })
}

// TestEarlyStopping trains on data whose validation targets contradict the
// training targets, so the validation loss rises after a few epochs.
func TestEarlyStopping(t *testing.T) {
	rnd := rand.New(rand.NewPCG(31, 32))
	x, y := toyRegression(200, rnd)
	vx, vy := toyRegression(100, rnd)
	vy.Scale(-1, vy)
	for i := 0; i < 100; i++ {
		vy.Set(i, 0, vy.At(i, 0)+0.3)
	}
	net, _ := New([]int{3, 16, 1}, []Activation{Tanh, Linear})
	net.Init(Normal(0.05), rnd)
	var perEpoch [][]float64
	s := &Settings{Epochs: 200, BatchSize: 10, Optimizer: &Adam{LearningRate: 1e-2},
		ValidX: vx, ValidY: vy, Patience: 4, RestoreBest: true,
		Callback: func(Epoch) error { perEpoch = append(perEpoch, net.Params(nil)); return nil }}
	h, err := Train(context.Background(), net, x, y, s, rnd)
	if err != nil {
		t.Fatal(err)
	}
	if !h.Stopped {
		t.Fatalf("early stopping did not trigger in %d epochs; validation losses %v", len(h.Loss), h.ValLoss)
	}
	if len(h.Loss) != h.BestEpoch+1+4 || len(h.ValLoss) != len(h.Loss) {
		t.Errorf("stopped after %d epochs, best epoch %d, patience 4", len(h.Loss), h.BestEpoch)
	}
	if h.BestLoss != slices.Min(h.ValLoss) || h.ValLoss[h.BestEpoch] != h.BestLoss {
		t.Errorf("best loss %v at %d, validation losses %v", h.BestLoss, h.BestEpoch, h.ValLoss)
	}
	if !bitsEqual(net.Params(nil), perEpoch[h.BestEpoch]) {
		t.Error("RestoreBest did not restore the parameters of the best epoch")
	}
	if got := net.LossGrad(nil, vx, vy, MSE); got != h.BestLoss {
		t.Errorf("validation loss of the restored network %v, best %v", got, h.BestLoss)
	}
}

// TestClassifierLearnsSeparable trains a softmax classifier on three
// separated Gaussian blobs.
func TestClassifierLearnsSeparable(t *testing.T) {
	rnd := rand.New(rand.NewPCG(41, 42))
	const n = 600
	centers := [][2]float64{{0, 3}, {3, -2}, {-3, -2}}
	x := mat.NewDense(n, 2, nil)
	y := mat.NewDense(n, 3, nil)
	for i := 0; i < n; i++ {
		k := i % 3
		x.SetRow(i, []float64{centers[k][0] + 0.7*rnd.NormFloat64(), centers[k][1] + 0.7*rnd.NormFloat64()})
		y.Set(i, k, 1)
	}
	net, _ := New([]int{2, 8, 3}, []Activation{ReLU, Softmax})
	net.Init(HeNormal, rnd)
	h, err := Train(context.Background(), net, x, y,
		&Settings{Epochs: 30, Loss: CrossEntropy, ValidationFraction: 0.25, Optimizer: &Adam{LearningRate: 1e-2}}, rnd)
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Accuracy) != 30 || len(h.ValAccuracy) != 30 {
		t.Fatalf("accuracy history lengths %d, %d", len(h.Accuracy), len(h.ValAccuracy))
	}
	last := len(h.Loss) - 1
	if h.Accuracy[last] < 0.99 || h.ValAccuracy[last] < 0.99 {
		t.Errorf("final accuracy %.3f (validation %.3f), want ≥ 0.99", h.Accuracy[last], h.ValAccuracy[last])
	}
	if !(h.Loss[last] < 0.1 && h.Loss[last] < h.Loss[0]/5) {
		t.Errorf("cross-entropy %v → %v", h.Loss[0], h.Loss[last])
	}
	var pred mat.Dense
	net.Predict(&pred, x)
	for i := 0; i < n; i++ {
		s := mat.Sum(pred.RowView(i))
		if math.Abs(s-1) > 1e-14 {
			t.Fatalf("row %d: probabilities sum to %v", i, s)
		}
	}
	t.Logf("accuracy %.3f → %.3f, validation %.3f", h.Accuracy[0], h.Accuracy[last], h.ValAccuracy[last])
}

// TestRegressorFitsSine fits sin(x) on [−π, π] with Adam and polishes with
// L-BFGS. Measured MSE: 2.5e-4 after Adam, 2.0e-8 after L-BFGS; training is
// reproducible bit for bit on any processor, and the bounds, 40% and 50%
// above, leave room for changes to the optimizers, not for a regression.
func TestRegressorFitsSine(t *testing.T) {
	rnd := rand.New(rand.NewPCG(51, 52))
	const n = 200
	x := mat.NewDense(n, 1, nil)
	y := mat.NewDense(n, 1, nil)
	for i := 0; i < n; i++ {
		v := -math.Pi + 2*math.Pi*float64(i)/(n-1)
		x.Set(i, 0, v)
		y.Set(i, 0, math.Sin(v))
	}
	net, _ := New([]int{1, 16, 16, 1}, []Activation{Tanh, Tanh, Linear})
	net.Init(GlorotUniform, rnd)
	h, err := Train(context.Background(), net, x, y, &Settings{Epochs: 300, BatchSize: 20,
		Optimizer: &Adam{LearningRate: 5e-3}, Schedule: CosineDecay{Epochs: 300, Min: 1e-4}}, rnd)
	if err != nil {
		t.Fatal(err)
	}
	adam := net.LossGrad(nil, x, y, MSE)
	if adam > 3.5e-4 {
		t.Errorf("MSE after Adam %.3g, want ≤ 3.5e-4", adam)
	}
	res, err := FitLBFGS(context.Background(), net, x, y, &LBFGSSettings{MaxIterations: 2000})
	if err != nil {
		t.Fatal(err)
	}
	final := net.LossGrad(nil, x, y, MSE)
	if final != res.Loss || final > 3e-8 {
		t.Errorf("MSE after L-BFGS %.3g (reported %.3g), want ≤ 3e-8", final, res.Loss)
	}
	t.Logf("MSE: Adam %.3g (last epoch %.3g), L-BFGS %.3g after %d iterations, %d evaluations (%s)",
		adam, h.Loss[len(h.Loss)-1], final, res.Iterations, res.Evaluations, res.Status)
}

func TestTrainErrors(t *testing.T) {
	rnd := rand.New(rand.NewPCG(61, 62))
	x, y := toyRegression(20, rnd)
	net, _ := New([]int{3, 4, 1}, []Activation{Tanh, Linear})
	net.Init(GlorotUniform, rnd)
	bad := mat.DenseCopyOf(x)
	bad.Set(7, 2, math.NaN())
	ctx := context.Background()
	for _, c := range []struct {
		name string
		x, y mat.Matrix
		s    *Settings
		want string
	}{
		{"epochs", x, y, &Settings{Epochs: -1}, "Epochs"},
		{"batch", x, y, &Settings{BatchSize: -3}, "BatchSize"},
		{"fraction", x, y, &Settings{ValidationFraction: 1}, "ValidationFraction"},
		{"tiny fraction", x, y, &Settings{ValidationFraction: 0.01}, "validation fraction"},
		{"exclusive", x, y, &Settings{ValidationFraction: 0.5, ValidX: x, ValidY: y}, "exclusive"},
		{"lr", x, y, &Settings{Optimizer: &Adam{LearningRate: -1}}, "learning rate"},
		{"rho", x, y, &Settings{Optimizer: &RMSprop{Rho: 1.5}}, "rho"},
		{"momentum", x, y, &Settings{Optimizer: &SGD{Momentum: 1}}, "momentum"},
		{"crossentropy", x, y, &Settings{Loss: CrossEntropy}, "softmax or sigmoid"},
		{"nan", bad, y, nil, "x[7, 2] is NaN"},
		{"columns", y, y, nil, "x has 1 columns"},
		{"rows", x, mat.NewDense(3, 1, nil), nil, "rows"},
		{"schedule", x, y, &Settings{Epochs: 2, Schedule: ScheduleFunc(func(int, float64, []float64) float64 { return 0 })}, "schedule"},
		{"nan loss", x, y, &Settings{Epochs: 50, Optimizer: &SGD{LearningRate: 1e6}}, "training loss"},
	} {
		_, err := Train(ctx, net.Clone(), c.x, c.y, c.s, rnd)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one mentioning %q", c.name, err, c.want)
		}
	}
	if _, err := Train(ctx, net, x, y, nil, nil); err == nil {
		t.Error("nil random source: no error")
	}
	// Divergence leaves finite parameters.
	div := net.Clone()
	if _, err := Train(ctx, div, x, y, &Settings{Epochs: 50, Optimizer: &SGD{LearningRate: 1e6}}, rnd); err == nil {
		t.Error("divergence: no error")
	} else if err := div.Validate(); err != nil {
		t.Errorf("after divergence: %v", err)
	}

	// Cancellation and callback errors stop training, keeping the history.
	cctx, cancel := context.WithCancel(ctx)
	stop := errors.New("stop")
	h, err := Train(cctx, net, x, y, &Settings{Epochs: 10, Callback: func(e Epoch) error {
		if e.Epoch == 2 {
			cancel()
		}
		return nil
	}}, rnd)
	if !errors.Is(err, context.Canceled) || len(h.Loss) != 3 {
		t.Errorf("cancel: error %v after %d epochs", err, len(h.Loss))
	}
	h, err = Train(ctx, net, x, y, &Settings{Epochs: 10, Callback: func(e Epoch) error {
		if e.Epoch == 4 {
			return stop
		}
		return nil
	}}, rnd)
	if err != stop || len(h.Loss) != 5 {
		t.Errorf("callback: error %v after %d epochs", err, len(h.Loss))
	}
}

func TestSchedules(t *testing.T) {
	near := func(a, b float64) bool { return math.Abs(a-b) <= 1e-15*math.Abs(b) }
	e := ExponentialDecay{Factor: 0.5, Every: 2}
	if !near(e.Rate(3, 1, nil), math.Pow(0.5, 1.5)) {
		t.Errorf("exponential: %v", e.Rate(3, 1, nil))
	}
	e.Staircase = true
	if e.Rate(3, 2, nil) != 1 || e.Rate(4, 2, nil) != 0.5 {
		t.Errorf("staircase: %v %v", e.Rate(3, 2, nil), e.Rate(4, 2, nil))
	}
	c := CosineDecay{Epochs: 10, Min: 0.1}
	if c.Rate(0, 1, nil) != 1 || !near(c.Rate(5, 1, nil), 0.55) || c.Rate(10, 1, nil) != 0.1 || c.Rate(20, 1, nil) != 0.1 {
		t.Errorf("cosine: %v %v %v", c.Rate(0, 1, nil), c.Rate(5, 1, nil), c.Rate(10, 1, nil))
	}
	r := ReduceOnPlateau{Factor: 0.5, Patience: 2, Min: 0.2}
	losses := []float64{5, 4, 4, 4, 3, 3.5, 3.2, 3.1, 3.3, 3.3, 3.3}
	want := []float64{1, 1, 1, 1, 0.5, 0.5, 0.5, 0.25, 0.25, 0.2, 0.2, 0.2}
	for i := range want {
		if got := r.Rate(i, 1, losses[:i]); !near(got, want[i]) {
			t.Errorf("plateau: epoch %d rate %v, want %v", i, got, want[i])
		}
	}
}
