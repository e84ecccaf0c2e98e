package nn

import (
	"context"
	"fmt"
	"math"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
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
	// Workers is the number of goroutines; 0 means GOMAXPROCS. Results do
	// not depend on it.
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

// Line-search constants: sufficient decrease c1 and curvature c2 of the
// strong Wolfe conditions, and the evaluation budget of one search.
const (
	wolfeC1      = 1e-4
	wolfeC2      = 0.9
	maxLineEvals = 30
)

// FitLBFGS minimizes the full-batch loss over x, y with L-BFGS (Nocedal &
// Wright, Numerical Optimization, Algorithms 7.4–7.5, with the strong-Wolfe
// line search of Algorithms 3.5–3.6 and H₀ = (sᵀy/yᵀy)·I), starting from
// the network's current parameters, for example after Adam. It leaves the
// best parameters found in net. It suits small networks and data sets that
// need a very accurate fit.
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
	if err := checkLoss(s.Loss, net.Layers[len(net.Layers)-1].Act); err != nil {
		return nil, err
	}
	switch {
	case s.MaxIterations < 0:
		return nil, fmt.Errorf("nn: LBFGSSettings.MaxIterations = %d, want ≥ 0", s.MaxIterations)
	case !(s.GradientTolerance >= 0) || math.IsInf(s.GradientTolerance, 1):
		return nil, fmt.Errorf("nn: LBFGSSettings.GradientTolerance = %v, want ≥ 0 and finite", s.GradientTolerance)
	case s.Memory < 0:
		return nil, fmt.Errorf("nn: LBFGSSettings.Memory = %d, want ≥ 0", s.Memory)
	case s.Workers < 0:
		return nil, fmt.Errorf("nn: LBFGSSettings.Workers = %d, want ≥ 0", s.Workers)
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

	n := len(o.e.params)
	res := &LBFGSResult{}
	// eval sets the parameters to p and returns the loss, leaving the
	// gradient in g.
	eval := func(g, p []float64) float64 {
		o.e.setParams(p)
		f := o.lossGrad(true)
		copy(g, o.e.grad)
		res.Evaluations++
		return f
	}
	p := net.Params(nil)
	g := make([]float64, n)
	f := eval(g, p)
	res.InitialLoss, res.Loss = f, f
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, fmt.Errorf("nn: FitLBFGS: initial loss is %v", f)
	}
	defer func() { net.SetParams(p) }()

	var (
		sHist, yHist = make([][]float64, mem), make([][]float64, mem)
		rho          = make([]float64, mem)
		alpha        = make([]float64, mem)
		stored, next int
		dir          = make([]float64, n)
		pNew         = make([]float64, n)
		gNew         = make([]float64, n)
		scratch      = make([]float64, n)
	)
	for i := range sHist {
		sHist[i], yHist[i] = make([]float64, n), make([]float64, n)
	}
	res.Status = "iteration limit"
	for res.Iterations < maxIter {
		if floats.Norm(g, math.Inf(1)) <= gtol {
			res.Status = "gradient below tolerance"
			break
		}
		// Two-loop recursion: dir = −H·g.
		copy(dir, g)
		for k := 1; k <= stored; k++ {
			i := (next - k + mem) % mem
			alpha[i] = rho[i] * floats.Dot(sHist[i], dir)
			floats.AddScaled(dir, -alpha[i], yHist[i])
		}
		step := 1.0
		if stored > 0 {
			i := (next - 1 + mem) % mem
			floats.Scale(1/(rho[i]*floats.Dot(yHist[i], yHist[i])), dir)
		} else {
			step = 1 / floats.Norm(g, 2)
		}
		for k := stored; k >= 1; k-- {
			i := (next - k + mem) % mem
			beta := rho[i] * floats.Dot(yHist[i], dir)
			floats.AddScaled(dir, alpha[i]-beta, sHist[i])
		}
		floats.Scale(-1, dir)
		slope := floats.Dot(g, dir)
		if !(slope < 0) {
			// Not a descent direction (rounding): restart from −g.
			stored = 0
			copy(dir, g)
			floats.Scale(-1, dir)
			slope = -floats.Dot(g, g)
			step = 1 / floats.Norm(g, 2)
		}
		_, fNew, ok := lineSearch(eval, p, dir, f, slope, step, pNew, gNew, scratch)
		if !ok {
			res.Status = "line search cannot decrease the loss further"
			break
		}
		// s = a·dir = pNew − p, y = gNew − g.
		si, yi := sHist[next], yHist[next]
		floats.SubTo(si, pNew, p)
		floats.SubTo(yi, gNew, g)
		if sy := floats.Dot(si, yi); sy > 0 {
			rho[next] = 1 / sy
			next = (next + 1) % mem
			stored = min(stored+1, mem)
		}
		p, pNew = pNew, p
		g, gNew = gNew, g
		f = fNew
		res.Iterations++
		res.Loss = f
		if err := ctx.Err(); err != nil {
			return res, err
		}
		if s.Callback != nil {
			net.SetParams(p)
			if err := s.Callback(res.Iterations, f); err != nil {
				return res, err
			}
		}
	}
	return res, nil
}

// lineSearch looks along dir from p (loss f0, directional derivative
// slope0 < 0) for a step a satisfying the strong Wolfe conditions, starting
// at a0. It returns the step, leaving p + a·dir in pNew and its gradient in
// gNew, and the loss there. If no step satisfies them within the budget it
// returns the evaluated step of lowest loss, or ok = false if none
// decreases the loss. bestG is scratch space of len(p).
func lineSearch(eval func(g, p []float64) float64, p, dir []float64, f0, slope0, a0 float64, pNew, gNew, bestG []float64) (a, f float64, ok bool) {
	// The best point seen that decreases the loss (gradient in bestG), as a
	// fallback.
	bestA, bestF := 0.0, f0
	try := func(a float64) (float64, float64) {
		for i := range p {
			pNew[i] = p[i] + float64(a*dir[i])
		}
		f := eval(gNew, pNew)
		if f < bestF {
			bestA, bestF = a, f
			copy(bestG, gNew)
		}
		return f, floats.Dot(gNew, dir)
	}
	fallback := func() (float64, float64, bool) {
		if bestA == 0 {
			return 0, f0, false
		}
		for i := range p {
			pNew[i] = p[i] + float64(bestA*dir[i])
		}
		copy(gNew, bestG)
		return bestA, bestF, true
	}
	sufficient := func(a, f float64) bool { return f <= f0+wolfeC1*a*slope0 }

	evals := 0
	aPrev, fPrev, dPrev := 0.0, f0, slope0
	a = a0
	var lo, hi, fLo, fHi, dLo, dHi float64
	for {
		f, d := try(a)
		evals++
		if math.IsNaN(f) || math.IsInf(f, 0) || !sufficient(a, f) || (evals > 1 && f >= fPrev) {
			lo, fLo, dLo, hi, fHi, dHi = aPrev, fPrev, dPrev, a, f, d
			break
		}
		if math.Abs(d) <= -wolfeC2*slope0 {
			return a, f, true
		}
		if d >= 0 {
			lo, fLo, dLo, hi, fHi, dHi = a, f, d, aPrev, fPrev, dPrev
			break
		}
		if evals >= maxLineEvals {
			return fallback()
		}
		aPrev, fPrev, dPrev = a, f, d
		a *= 4
	}
	// Zoom: lo satisfies sufficient decrease with the lowest loss so far,
	// and the interval between lo and hi contains a Wolfe step.
	for evals < maxLineEvals {
		a = interpolate(lo, fLo, dLo, hi, fHi, dHi)
		if a == lo || a == hi || math.Abs(hi-lo) <= 1e-15*math.Abs(lo) {
			break // the interval has collapsed in floating point
		}
		f, d := try(a)
		evals++
		if math.IsNaN(f) || math.IsInf(f, 0) || !sufficient(a, f) || f >= fLo {
			hi, fHi, dHi = a, f, d
			continue
		}
		if math.Abs(d) <= -wolfeC2*slope0 {
			return a, f, true
		}
		if d*(hi-lo) >= 0 {
			hi, fHi, dHi = lo, fLo, dLo
		}
		lo, fLo, dLo = a, f, d
	}
	return fallback()
}

// interpolate returns the minimizer of the cubic through (lo, fLo, dLo)
// and (hi, fHi, dHi), kept within the middle 80% of the interval, or the
// midpoint when the cubic is unusable.
func interpolate(lo, fLo, dLo, hi, fHi, dHi float64) float64 {
	a, b := min(lo, hi), max(lo, hi)
	mid := (lo + hi) / 2
	if math.IsNaN(fHi) || math.IsInf(fHi, 0) {
		return mid
	}
	d1 := dLo + dHi - 3*(fLo-fHi)/(lo-hi)
	disc := float64(d1*d1) - float64(dLo*dHi)
	if !(disc >= 0) {
		return mid
	}
	d2 := math.Copysign(math.Sqrt(disc), hi-lo)
	t := hi - (hi-lo)*(dHi+d2-d1)/(dHi-dLo+2*d2)
	lim := 0.1 * (b - a)
	if math.IsNaN(t) || t < a+lim || t > b-lim {
		return mid
	}
	return t
}
