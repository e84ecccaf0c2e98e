package nn

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// TestFitLBFGSRosenbrockLike fits a linear model, where L-BFGS must reach
// the least-squares solution, and checks the stopping rules.
func TestFitLBFGSLinearLeastSquares(t *testing.T) {
	rnd := rand.New(rand.NewPCG(101, 102))
	x := randMatrix(80, 3, rnd)
	y := mat.NewDense(80, 2, nil)
	for i := 0; i < 80; i++ {
		r := x.RawRowView(i)
		y.SetRow(i, []float64{1 + 2*r[0] - r[1] + 0.01*rnd.NormFloat64(), -3*r[2] + 0.5*r[0]})
	}
	net, _ := New([]int{3, 2}, []Activation{Linear})
	res, err := FitLBFGS(context.Background(), net, x, y, &LBFGSSettings{GradientTolerance: 1e-13})
	if err != nil {
		t.Fatal(err)
	}
	// Normal equations on [x 1] for the reference solution.
	a := mat.NewDense(80, 4, nil)
	for i := 0; i < 80; i++ {
		r := x.RawRowView(i)
		a.SetRow(i, []float64{r[0], r[1], r[2], 1})
	}
	var sol mat.Dense
	if err := sol.Solve(a, y); err != nil {
		t.Fatal(err)
	}
	p := net.Params(nil)
	for j := 0; j < 2; j++ {
		for i := 0; i < 4; i++ {
			var got float64
			if i < 3 {
				got = p[i*2+j]
			} else {
				got = p[6+j]
			}
			if math.Abs(got-sol.At(i, j)) > 1e-9 {
				t.Errorf("coefficient [%d,%d] = %.12g, least squares %.12g", i, j, got, sol.At(i, j))
			}
		}
	}
	if res.Status != "gradient below tolerance" || res.Loss >= res.InitialLoss || res.Iterations == 0 {
		t.Errorf("result %+v", res)
	}
	g := make([]float64, len(p))
	if l := net.LossGrad(g, x, y, MSE); l != res.Loss {
		t.Errorf("loss of the returned network %v, reported %v", l, res.Loss)
	}
}

func TestFitLBFGSStops(t *testing.T) {
	rnd := rand.New(rand.NewPCG(103, 104))
	x, y := toyRegression(100, rnd)
	net, _ := New([]int{3, 8, 1}, []Activation{Tanh, Linear})
	net.Init(GlorotUniform, rnd)
	start := net.Clone()
	res, err := FitLBFGS(context.Background(), net, x, y, &LBFGSSettings{MaxIterations: 7})
	if err != nil || res.Iterations != 7 || res.Status != "iteration limit" {
		t.Fatalf("MaxIterations 7: %+v, %v", res, err)
	}
	// Same start, same result: deterministic, also with other worker counts.
	again := start.Clone()
	res2, _ := FitLBFGS(context.Background(), again, x, y, &LBFGSSettings{MaxIterations: 7, Workers: 1})
	if res2.Loss != res.Loss || !bitsEqual(again.Params(nil), net.Params(nil)) {
		t.Error("FitLBFGS is not deterministic")
	}
	stop := errors.New("stop")
	iters := 0
	_, err = FitLBFGS(context.Background(), start.Clone(), x, y, &LBFGSSettings{Callback: func(i int, loss float64) error {
		iters = i
		if i == 3 {
			return stop
		}
		return nil
	}})
	if err != stop || iters != 3 {
		t.Errorf("callback stop: %v after %d iterations", err, iters)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := FitLBFGS(ctx, start.Clone(), x, y, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: %v", err)
	}
	if _, err := FitLBFGS(context.Background(), start.Clone(), x, y, &LBFGSSettings{Loss: CrossEntropy}); err == nil {
		t.Error("crossentropy on a linear output: no error")
	}
}
