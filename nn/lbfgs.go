package nn

import (
	"context"
	"fmt"
	"math"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize"
)

// LossGrad returns the loss of the network over all rows of x and y and, if
// grad is not nil, stores its gradient with respect to the parameters in
// grad, in the order of Params. Rows are processed in blocks in parallel;
// each gradient element is one FMA chain over all rows in order, so the
// result does not depend on the number of goroutines.
//
// LossGrad allocates its buffers at each call: use FitLBFGS, or Train, for
// repeated evaluations. It panics if the dimensions do not match or the
// loss does not suit the output layer (see Loss).
func (net *Network) LossGrad(grad []float64, x, y mat.Matrix, loss Loss) float64 {
	net.mustBeValid()
	if err := checkLoss(loss, net.Layers[len(net.Layers)-1].Act); err != nil {
		panic(err)
	}
	if grad != nil && len(grad) != net.NumParams() {
		panic(fmt.Sprintf("nn: LossGrad: len(grad) = %d, want %d", len(grad), net.NumParams()))
	}
	d, err := newDatasetUnchecked(net, x, y)
	if err != nil {
		panic(err)
	}
	o := newObjective(net, d, loss, 0)
	defer o.close()
	l := o.lossGrad(grad != nil)
	if grad != nil {
		copy(grad, o.e.grad)
	}
	return l
}

// newDatasetUnchecked is newDataset without the scan for non-finite values
// (which LossGrad reports through its result).
func newDatasetUnchecked(net *Network, x, y mat.Matrix) (*dataset, error) {
	xr, xc := x.Dims()
	yr, yc := y.Dims()
	if xr == 0 || xc != net.Inputs() || yc != net.Outputs() || yr != xr {
		return nil, fmt.Errorf("nn: x is %d×%d and y is %d×%d, want n×%d and n×%d with n ≥ 1",
			xr, xc, yr, yc, net.Inputs(), net.Outputs())
	}
	xd, xs := rawRows(x)
	yd, ys := rawRows(y)
	return &dataset{x: xd, y: yd, xs: xs, ys: ys, nin: xc, nout: yc, rows: xr}, nil
}

// objective is the full-batch loss of a dataset as a function of the
// parameter vector, with preallocated buffers.
type objective struct {
	e *engine
	d *dataset
}

func newObjective(net *Network, d *dataset, loss Loss, workers int) *objective {
	return &objective{e: newEngine(net, min(d.rows, predictRows), workers, loss, true), d: d}
}

func (o *objective) close() { o.e.close() }

// lossGrad evaluates the loss at the engine's parameters and, if grad,
// leaves the gradient in o.e.grad.
func (o *objective) lossGrad(grad bool) float64 {
	e, d := o.e, o.d
	var sum float64
	for b0 := 0; b0 < d.rows; b0 += e.maxRows {
		n := min(e.maxRows, d.rows-b0)
		d.block(e, b0, n)
		if grad {
			e.lossGrad(d.rows, false, b0 > 0, false)
		} else {
			e.evalLoss(false)
		}
		for r := 0; r < n; r++ {
			sum += e.rowLoss[r]
		}
	}
	return sum * lossScale(e.loss, d.rows, d.nout)
}

// LBFGSSettings configures FitLBFGS. A nil *LBFGSSettings, and every zero
// field, means the default.
type LBFGSSettings struct {
	Loss Loss // default MSE
	// MaxIterations bounds the number of L-BFGS iterations; default 1000.
	MaxIterations int
	// GradientTolerance stops the fit when max_k |∂L/∂p_k| ≤ it; default 1e-12.
	GradientTolerance float64
	// Memory is the number of stored correction pairs; default 15.
	Memory int
	// Workers is the number of goroutines, as in Settings; 0 means
	// GOMAXPROCS (at most the number of CPUs). Results do not depend on it.
	Workers int
	// Callback, if not nil, is called after each iteration with its number
	// (from 1) and the loss, the network holding the current parameters; a
	// non-nil error stops the fit and is returned.
	Callback func(iteration int, loss float64) error
}

// LBFGSResult reports how FitLBFGS ended.
type LBFGSResult struct {
	InitialLoss float64
	Loss        float64 // at the parameters left in the network
	Iterations  int
	Evaluations int    // loss-and-gradient evaluations, the initial one included
	Status      string // why the fit stopped
}

// FitLBFGS minimizes the full-batch loss over x, y with gonum's L-BFGS
// (optimize.LBFGS with a Moré–Thuente line search), starting from the
// network's current parameters, for example after Adam. It leaves the best
// parameters found in net. It suits small networks and data sets that need
// a very accurate fit.
//
// The fit stops after MaxIterations, when the gradient is below
// GradientTolerance, or when the line search can no longer decrease the loss
// in floating point; these are normal ends, described by Status. Errors are
// for bad settings or data, a non-finite initial loss, a cancelled ctx or a
// Callback error (net then holds the best parameters so far).
func FitLBFGS(ctx context.Context, net *Network, x, y mat.Matrix, s *LBFGSSettings) (*LBFGSResult, error) {
	if s == nil {
		s = &LBFGSSettings{}
	}
	if err := net.Validate(); err != nil {
		return nil, err
	}
	if err := s.check(net); err != nil {
		return nil, err
	}
	d, err := newDataset(net, x, y, "x", "y")
	if err != nil {
		return nil, err
	}
	o := newObjective(net, d, s.Loss, s.Workers)
	defer o.close()
	maxIter := orDefaultInt(s.MaxIterations, 1000)
	gtol := orDefault(s.GradientTolerance, 1e-12)
	mem := orDefaultInt(s.Memory, 15)

	res := &LBFGSResult{}
	// Backpropagation gives the loss and the gradient in one pass, while
	// gonum asks for them separately at the same point: keep the gradient
	// of the last point.
	n := len(o.e.params)
	lastP, lastG := make([]float64, n), make([]float64, n)
	lastF, have := 0.0, false
	eval := func(p []float64) float64 {
		if have && floats.Equal(p, lastP) {
			return lastF
		}
		o.e.setParams(p)
		lastF = o.lossGrad(true)
		copy(lastP, p)
		copy(lastG, o.e.grad)
		have = true
		res.Evaluations++
		return lastF
	}
	p0 := net.Params(nil)
	f0 := eval(p0)
	res.InitialLoss, res.Loss = f0, f0
	if math.IsNaN(f0) || math.IsInf(f0, 0) {
		return nil, fmt.Errorf("nn: FitLBFGS: initial loss is %v", f0)
	}
	if maxIter == 0 {
		res.Status = "iteration limit"
		return res, nil
	}
	best := append([]float64(nil), p0...)
	defer func() { net.SetParams(best) }()

	rec := &lbfgsRecorder{ctx: ctx, net: net, res: res, best: best, callback: s.Callback}
	result, err := optimize.Minimize(optimize.Problem{
		Func: eval,
		Grad: func(grad, p []float64) {
			eval(p)
			copy(grad, lastG)
		},
	}, p0, &optimize.Settings{
		MajorIterations:   maxIter,
		GradientThreshold: gtol,
		// The losses of a good fit are tiny: never stop on a small change.
		Converger: optimize.NeverTerminate{},
		Recorder:  rec,
	}, &optimize.LBFGS{Store: mem, Linesearcher: &optimize.MoreThuente{}})
	if rec.err != nil {
		return res, rec.err
	}
	if result != nil {
		res.Iterations = result.Stats.MajorIterations
		if result.F < res.Loss {
			res.Loss = result.F
			copy(best, result.X)
		}
		// gonum ends on its last iteration without recording it.
		if res.Iterations > rec.calls && s.Callback != nil {
			net.SetParams(result.X)
			if err := s.Callback(res.Iterations, result.F); err != nil {
				return res, err
			}
		}
	}
	if result == nil {
		return res, fmt.Errorf("nn: FitLBFGS: %w", err)
	}
	res.Status = lbfgsStatus(result.Status, err)
	return res, nil
}

// check refuses settings out of range and a loss the network's output
// cannot take.
func (s *LBFGSSettings) check(net *Network) error {
	if err := checkLoss(s.Loss, net.Layers[len(net.Layers)-1].Act); err != nil {
		return err
	}
	switch {
	case s.MaxIterations < 0:
		return fmt.Errorf("nn: LBFGSSettings.MaxIterations = %d, want ≥ 0", s.MaxIterations)
	case !(s.GradientTolerance >= 0) || math.IsInf(s.GradientTolerance, 1):
		return fmt.Errorf("nn: LBFGSSettings.GradientTolerance = %v, want ≥ 0 and finite", s.GradientTolerance)
	case s.Memory < 0:
		return fmt.Errorf("nn: LBFGSSettings.Memory = %d, want ≥ 0", s.Memory)
	case s.Workers < 0:
		return fmt.Errorf("nn: LBFGSSettings.Workers = %d, want ≥ 0", s.Workers)
	}
	return nil
}

// lbfgsStatus describes how gonum's L-BFGS ended, with the error of
// optimize.Minimize if any.
func lbfgsStatus(st optimize.Status, err error) string {
	switch st {
	case optimize.IterationLimit:
		return "iteration limit"
	case optimize.GradientThreshold:
		return "gradient below tolerance"
	}
	// A failed line search near the minimum is the usual end of a fit run
	// to the limit of floating point.
	status := fmt.Sprintf("stopped: %v", st)
	if err != nil {
		status += fmt.Sprintf(" (%v)", err)
	}
	return status
}

// lbfgsRecorder counts iterations, keeps the best parameters, calls the
// user's callback and stops the fit on a cancelled context.
type lbfgsRecorder struct {
	ctx      context.Context
	net      *Network
	res      *LBFGSResult
	best     []float64
	callback func(iteration int, loss float64) error
	calls    int // iterations recorded
	err      error
}

func (r *lbfgsRecorder) Init() error { return nil }

func (r *lbfgsRecorder) Record(loc *optimize.Location, op optimize.Operation, _ *optimize.Stats) error {
	if op != optimize.MajorIteration {
		return nil
	}
	r.res.Iterations++
	r.calls++
	if loc.F < r.res.Loss {
		r.res.Loss = loc.F
		copy(r.best, loc.X)
	}
	if err := r.ctx.Err(); err != nil {
		r.err = err
		return err
	}
	if r.callback != nil {
		r.net.SetParams(loc.X)
		if err := r.callback(r.res.Iterations, loc.F); err != nil {
			r.err = err
			return err
		}
	}
	return nil
}
