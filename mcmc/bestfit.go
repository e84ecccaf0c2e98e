package mcmc

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize"
)

// Optimum is the maximum of a log-density and the Gaussian approximation
// around it.
type Optimum struct {
	X       []float64     // location of the maximum
	LogProb float64       // ln p(X)
	Cov     *mat.SymDense // inverse Hessian of −ln p at X
	Evals   int           // evaluations of ln p
}

// ErrNoCovariance is wrapped by BestFit's error when it found the maximum but
// cannot derive a covariance there, typically because the maximum lies on
// the edge of a prior box. The Optimum is then returned too, without Cov:
// it is still a good place to start chains.
var ErrNoCovariance = errors.New("no covariance at the maximum")

// BestFitSettings tune BestFit; nil means defaults.
type BestFitSettings struct {
	// Scale is the typical size of each parameter, e.g. the prior widths;
	// the search and the finite differences work in x/Scale. Default 1.
	Scale []float64
	// Step is the finite-difference step of the Hessian in scaled units;
	// default 1e-3.
	Step float64
	// MaxEvals bounds the evaluations of each Nelder–Mead run; default
	// 20000.
	MaxEvals int
}

// BestFit maximizes lp with gonum's Nelder–Mead (optimize.NelderMead,
// restarted once from its own result with a smaller simplex) starting at
// x0, then returns the location, the
// value and the covariance Σ = H⁻¹, H the Hessian of −ln p at the maximum
// by central finite differences (gonum diff/fd). It returns an error, not
// NaN, if x0 is outside the support, if the Hessian cannot be computed
// (the maximum is on the edge of the support) or if it is not positive
// definite.
func BestFit(lp LogProb, x0 []float64, s *BestFitSettings) (*Optimum, error) {
	d := len(x0)
	if d == 0 {
		return nil, errors.New("mcmc: BestFit: empty start point")
	}
	var set BestFitSettings
	if s != nil {
		set = *s
	}
	if set.Scale == nil {
		set.Scale = make([]float64, d)
		for i := range set.Scale {
			set.Scale[i] = 1
		}
	}
	if len(set.Scale) != d {
		return nil, fmt.Errorf("mcmc: BestFit: %d scales for %d parameters", len(set.Scale), d)
	}
	for i, v := range set.Scale {
		if !(v > 0) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("mcmc: BestFit: Scale[%d] = %g must be finite and > 0", i, v)
		}
	}
	if set.Step == 0 {
		set.Step = 1e-3
	}
	if set.MaxEvals == 0 {
		set.MaxEvals = 20000
	}
	if v := lp(x0); math.IsNaN(v) || math.IsInf(v, 0) {
		return nil, fmt.Errorf("mcmc: BestFit: ln p at the start point %v is %g", x0, v)
	}

	// Work in u = (x − x0)/scale.
	evals := 0
	x := make([]float64, d)
	toX := func(u []float64) []float64 {
		for i := range u {
			x[i] = x0[i] + set.Scale[i]*u[i]
		}
		return x
	}
	negLP := func(u []float64) float64 {
		evals++
		v := lp(toX(u))
		if math.IsNaN(v) {
			return math.Inf(1)
		}
		return -v
	}
	u := make([]float64, d)
	var fmin float64
	for round := range 2 {
		res, err := optimize.Minimize(optimize.Problem{Func: negLP}, u, &optimize.Settings{
			FuncEvaluations: set.MaxEvals,
			Converger:       &optimize.FunctionConverge{Absolute: 1e-12, Relative: 1e-12, Iterations: 50 * d},
		}, &optimize.NelderMead{SimplexSize: 0.05 / float64(round+1)})
		if err != nil || res == nil {
			return nil, fmt.Errorf("mcmc: BestFit: Nelder–Mead failed: %w", err)
		}
		if res.Status != optimize.FunctionConvergence && res.Status != optimize.Success {
			return nil, fmt.Errorf("mcmc: BestFit: Nelder–Mead stopped with %v after %d evaluations (last point %v, ln p %g)", res.Status, res.FuncEvaluations, toX(res.X), -res.F)
		}
		u, fmin = res.X, res.F
	}
	best := append([]float64(nil), toX(u)...)
	if math.IsInf(fmin, 0) {
		return nil, errors.New("mcmc: BestFit: no finite ln p found")
	}

	var h mat.SymDense
	fd.Hessian(&h, negLP, u, &fd.Settings{Formula: fd.Central, Step: set.Step, OriginKnown: true, OriginValue: fmin})
	cov, err := covFromHessian(&h)
	if err != nil {
		opt := &Optimum{X: best, LogProb: -fmin, Evals: evals}
		return opt, fmt.Errorf("mcmc: BestFit at %v: %w: %w", best, ErrNoCovariance, err)
	}
	// Back from u to x: Σ_x = D Σ_u D.
	for i := range d {
		for j := i; j < d; j++ {
			cov.SetSym(i, j, cov.At(i, j)*set.Scale[i]*set.Scale[j])
		}
	}
	return &Optimum{X: best, LogProb: -fmin, Cov: cov, Evals: evals}, nil
}

// covFromHessian returns H⁻¹, refusing a Hessian that is not finite or not
// positive definite.
func covFromHessian(h *mat.SymDense) (*mat.SymDense, error) {
	d := h.SymmetricDim()
	for i := range d {
		for j := i; j < d; j++ {
			if v := h.At(i, j); math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, errors.New("the Hessian of −ln p is not finite (is the maximum on the edge of the support?)")
			}
		}
	}
	var chol mat.Cholesky
	if !chol.Factorize(h) {
		return nil, errors.New("the Hessian of −ln p is not positive definite: not a well-defined maximum")
	}
	cov := mat.NewSymDense(d, nil)
	if err := chol.InverseTo(cov); err != nil {
		return nil, fmt.Errorf("the Hessian of −ln p cannot be inverted: %w", err)
	}
	return cov, nil
}
