package likelihood

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"sync/atomic"

	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
)

// Posterior is ln P(θ) = ln π(θ) + ln L(θ) for a backend, a data set and a
// prior. Its methods are safe for concurrent use.
//
// Each goroutine evaluating the posterior borrows an evaluator (a Model
// from the backend plus its scratch) from a sync.Pool and returns it, so
// steady-state evaluations do not allocate; the pool may drop evaluators at
// a garbage collection, after which a new Model is made.
//
// Failures are not silent: a backend error, a failure to make a Model, or
// a non-finite H(z) at a point inside the prior makes LogProb return −Inf
// (so a sampler rejects the point), increments Failures and, the first
// time, records the error with the parameter values in FirstFailure.
// Callers should check Failures after a run and report it.
type Posterior struct {
	backend Backend
	data    *Data
	prior   *Prior
	like    *Gaussian
	dim     int

	pool     sync.Pool
	evals    atomic.Int64
	failures atomic.Int64
	mu       sync.Mutex
	firstErr error
}

type evaluator struct {
	model Model
	batch BatchModel // model as a BatchModel, nil if it is not one
	h     []float64
	work  []float64

	// batch scratch, grown as needed
	thetaBuf, hBuf []float64
	thetas, hs     mat.Dense
	rows           []int
}

// NewPosterior returns the posterior of backend b given the data d and the
// prior p (nil means DefaultPrior). It validates data and prior, refuses a
// prior box outside the domain of a Bounded backend, prepares the Gaussian
// likelihood (factorizing a full covariance once) and makes one Model to
// check that the backend works for the data redshifts.
func NewPosterior(b Backend, d *Data, p *Prior) (*Posterior, error) {
	if b == nil {
		return nil, errors.New("likelihood: nil backend")
	}
	if p == nil {
		p = DefaultPrior()
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if bb, ok := b.(Bounded); ok {
		if err := checkDomain(b.Name(), bb, p); err != nil {
			return nil, err
		}
	}
	like, err := NewGaussian(d)
	if err != nil {
		return nil, err
	}
	post := &Posterior{backend: b, data: d, prior: p, like: like, dim: p.Dim()}
	e, err := post.newEvaluator()
	if err != nil {
		return nil, err
	}
	post.pool.Put(e)
	return post, nil
}

func checkDomain(name string, b Bounded, p *Prior) error {
	lo, hi := b.Domain()
	if len(lo) != p.Dim() || len(hi) != p.Dim() {
		return fmt.Errorf("likelihood: backend %s has a %d-parameter domain, the prior has %d parameters", name, len(lo), p.Dim())
	}
	for i, q := range p.Params {
		if q.Min < lo[i] || q.Max > hi[i] {
			return fmt.Errorf("likelihood: prior box of %s [%g, %g] is not inside the domain [%g, %g] of backend %s: narrow the prior", q.Name, q.Min, q.Max, lo[i], hi[i], name)
		}
	}
	return nil
}

func (p *Posterior) newEvaluator() (*evaluator, error) {
	m, err := p.backend.NewModel(p.data.Z)
	if err != nil {
		return nil, fmt.Errorf("likelihood: backend %s: making a model for %d redshifts: %w", p.backend.Name(), p.data.Len(), err)
	}
	if m == nil {
		return nil, fmt.Errorf("likelihood: backend %s returned a nil model", p.backend.Name())
	}
	e := &evaluator{
		model: m,
		h:     make([]float64, p.data.Len()),
		work:  make([]float64, p.like.WorkLen()),
	}
	e.batch, _ = m.(BatchModel)
	return e, nil
}

func (p *Posterior) get() (*evaluator, error) {
	if e, ok := p.pool.Get().(*evaluator); ok {
		return e, nil
	}
	return p.newEvaluator()
}

// Backend returns the backend.
func (p *Posterior) Backend() Backend { return p.backend }

// Data returns the data.
func (p *Posterior) Data() *Data { return p.data }

// Prior returns the prior. It must not be modified.
func (p *Posterior) Prior() *Prior { return p.prior }

// Likelihood returns the Gaussian likelihood.
func (p *Posterior) Likelihood() *Gaussian { return p.like }

// Dim returns the number of parameters.
func (p *Posterior) Dim() int { return p.dim }

// Evaluations returns the number of parameter points passed to the backend
// so far (each row of a batch counts once; points outside the prior are
// not passed to the backend and not counted).
func (p *Posterior) Evaluations() int64 { return p.evals.Load() }

// Failures returns the number of in-prior points at which the backend
// failed or returned a non-finite H(z); LogProb returned −Inf for them.
func (p *Posterior) Failures() int64 { return p.failures.Load() }

// FirstFailure returns the error of the first failure, or nil.
func (p *Posterior) FirstFailure() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.firstErr
}

func (p *Posterior) fail(theta []float64, n int64, err error) {
	p.failures.Add(n)
	p.mu.Lock()
	if p.firstErr == nil {
		p.firstErr = fmt.Errorf("likelihood: backend %s at %s: %w", p.backend.Name(), p.formatTheta(theta), err)
	}
	p.mu.Unlock()
}

func (p *Posterior) formatTheta(theta []float64) string {
	var b strings.Builder
	for i, v := range theta {
		if i > 0 {
			b.WriteString(", ")
		}
		name := fmt.Sprintf("theta[%d]", i)
		if i < len(p.prior.Params) {
			name = p.prior.Params[i].Name
		}
		fmt.Fprintf(&b, "%s=%g", name, v)
	}
	return b.String()
}

// errNonFinite describes a model that returned NaN or ±Inf.
func nonFinite(h []float64, z []float64, chi2 float64) error {
	for i, v := range h {
		if !isFinite(v) {
			return fmt.Errorf("non-finite H(z=%g) = %g", z[i], v)
		}
	}
	return fmt.Errorf("non-finite chi-square %g", chi2)
}

// LogProb returns ln P(theta) = ln π(theta) − χ²(theta)/2 (unnormalized,
// see the package documentation). Outside the prior box it returns −Inf
// without calling the backend. It panics if len(theta) != Dim.
func (p *Posterior) LogProb(theta []float64) float64 {
	lp := p.prior.LogPrior(theta)
	if math.IsInf(lp, -1) {
		return lp
	}
	e, err := p.get()
	if err != nil {
		p.fail(theta, 1, err)
		return math.Inf(-1)
	}
	chi2, err := p.chiSquare(e, theta)
	p.pool.Put(e)
	if err != nil {
		p.fail(theta, 1, err)
		return math.Inf(-1)
	}
	return lp - 0.5*chi2
}

func (p *Posterior) chiSquare(e *evaluator, theta []float64) (float64, error) {
	p.evals.Add(1)
	if err := e.model.Hubble(e.h, theta); err != nil {
		return 0, err
	}
	chi2 := p.like.ChiSquare(e.work, e.h)
	if !isFinite(chi2) {
		return 0, nonFinite(e.h, p.data.Z, chi2)
	}
	return chi2, nil
}

// ChiSquare returns χ²(theta) for any theta, inside the prior or not,
// returning backend failures as errors instead of counting them.
func (p *Posterior) ChiSquare(theta []float64) (float64, error) {
	if len(theta) != p.dim {
		panic("likelihood: len(theta) != number of parameters")
	}
	e, err := p.get()
	if err != nil {
		return 0, err
	}
	chi2, err := p.chiSquare(e, theta)
	p.pool.Put(e)
	if err != nil {
		return 0, fmt.Errorf("likelihood: backend %s at %s: %w", p.backend.Name(), p.formatTheta(theta), err)
	}
	return chi2, nil
}

// LogProbBatch stores ln P of each row of thetas in dst, with the rules of
// LogProb. If the backend's Model is a BatchModel, the in-prior rows are
// passed to HubbleBatch in one call; otherwise they are evaluated one by
// one. If HubbleBatch fails, every row of that call counts as a failure.
// It panics if len(dst) differs from the number of rows or the number of
// columns differs from Dim.
func (p *Posterior) LogProbBatch(dst []float64, thetas *mat.Dense) {
	r, c := thetas.Dims()
	if len(dst) != r {
		panic("likelihood: len(dst) != rows of thetas")
	}
	if c != p.dim {
		panic("likelihood: columns of thetas != number of parameters")
	}
	e, err := p.get()
	if err != nil {
		for i := range r {
			row := thetas.RawRowView(i)
			dst[i] = p.prior.LogPrior(row)
			if !math.IsInf(dst[i], -1) {
				p.fail(row, 1, err)
				dst[i] = math.Inf(-1)
			}
		}
		return
	}
	defer p.pool.Put(e)
	if e.batch == nil {
		for i := range r {
			row := thetas.RawRowView(i)
			lp := p.prior.LogPrior(row)
			if math.IsInf(lp, -1) {
				dst[i] = lp
				continue
			}
			chi2, err := p.chiSquare(e, row)
			if err != nil {
				p.fail(row, 1, err)
				dst[i] = math.Inf(-1)
				continue
			}
			dst[i] = lp - 0.5*chi2
		}
		return
	}

	// Gather the in-prior rows, evaluate them in one call, scatter back.
	n := p.data.Len()
	e.rows = e.rows[:0]
	for i := range r {
		row := thetas.RawRowView(i)
		dst[i] = p.prior.LogPrior(row)
		if !math.IsInf(dst[i], -1) {
			e.rows = append(e.rows, i)
		}
	}
	k := len(e.rows)
	if k == 0 {
		return
	}
	if cap(e.thetaBuf) < k*c {
		e.thetaBuf = make([]float64, k*c)
		e.hBuf = make([]float64, k*n)
	}
	e.thetas.SetRawMatrix(blas64.General{Rows: k, Cols: c, Stride: c, Data: e.thetaBuf[:k*c]})
	e.hs.SetRawMatrix(blas64.General{Rows: k, Cols: n, Stride: n, Data: e.hBuf[:k*n]})
	for j, i := range e.rows {
		copy(e.thetaBuf[j*c:(j+1)*c], thetas.RawRowView(i))
	}
	p.evals.Add(int64(k))
	if err := e.batch.HubbleBatch(&e.hs, &e.thetas); err != nil {
		p.fail(e.thetas.RawRowView(0), int64(k), err)
		for _, i := range e.rows {
			dst[i] = math.Inf(-1)
		}
		return
	}
	for j, i := range e.rows {
		h := e.hs.RawRowView(j)
		chi2 := p.like.ChiSquare(e.work, h)
		if !isFinite(chi2) {
			p.fail(thetas.RawRowView(i), 1, nonFinite(h, p.data.Z, chi2))
			dst[i] = math.Inf(-1)
			continue
		}
		dst[i] += -0.5 * chi2
	}
}
