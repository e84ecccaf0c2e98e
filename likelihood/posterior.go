package likelihood

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/cosmoemu/cosmoemu/cosmo"
	"github.com/cosmoemu/cosmoemu/param"
	"gonum.org/v1/gonum/mat"
)

// Posterior is ln P(θ) = ln π(θ) − ½ Σ_d χ²_d(θ) for a model, a backend,
// data sets and a parameter space. Its methods are safe for concurrent
// use: each goroutine borrows an evaluator (a backend Evaluator, its Result
// and scratch) from a pool, so steady-state evaluations do not allocate.
//
// A point the model cannot describe (cosmo.PointError: w0 + wa ≥ 0, E² ≤ 0,
// no thawing field, …), or where a term's χ² is +Inf (Term), has zero
// posterior density and is counted in Unphysical. Any other failure of the
// backend, or a NaN or −Inf χ², also
// gives −Inf but is counted in Failures, with the first one kept in
// FirstFailure: callers must report them.
type Posterior struct {
	model   *cosmo.Model
	backend cosmo.Backend
	likes   []Likelihood
	terms   []Term
	space   *param.Space
	base    cosmo.Params
	slots   []cosmo.Slot // per θ index; −1 for nuisance parameters
	rdFrom  rdSource
	hrd     int // position of hrd in θ when rdFrom == rdFromHRd
	req     cosmo.Request
	work    int
	logNorm float64

	pool       sync.Pool
	evals      atomic.Int64
	failures   atomic.Int64
	unphysical atomic.Int64
	mu         sync.Mutex
	firstErr   error

	marginalised []string
	s8           bool // σ8 is sampled or fixed: S8 is a derived parameter
}

type rdSource int

const (
	rdNone rdSource = iota
	rdFromOmbh2
	rdFromHRd
)

type evaluator struct {
	ev  cosmo.Evaluator
	res *cosmo.Result
	p   cosmo.Params
	th  Theory
}

// NewPosterior returns the posterior of model m computed by backend b with
// the likelihoods likes over the space (the sampled parameters and their
// priors) and the fixed parameter values. Every parameter of the model must
// be sampled or fixed, except that the matter may be given as ω_c (omch2,
// with ombh2) instead of Om, which is then derived at every point
// (cosmo.Params.Resolve); the space may also hold ombh2, mnu, nnu, hrd when
// a likelihood needs r_d, and the likelihoods' nuisance parameters under
// the names Combine gives them. It is the one place where a combination is
// checked: the likelihoods (Combine), unknown, missing or doubly given
// parameters (Om and omch2 both, omch2 without ombh2), fixed values
// outside their ranges, fixed nuisance parameters, a
// likelihood that needs ω_b without it, r_d without a source (neither ω_b
// nor hrd) or with both, hrd without a likelihood that needs r_d, a
// required nuisance parameter that is not sampled, and a backend that
// cannot compute the model.
func NewPosterior(m *cosmo.Model, b cosmo.Backend, likes []Likelihood, space *param.Space, fixed map[string]float64) (*Posterior, error) {
	if m == nil || b == nil || space == nil {
		return nil, errors.New("likelihood: NewPosterior needs a model, a backend and a parameter space")
	}
	needs, err := Combine(likes)
	if err != nil {
		return nil, err
	}
	p := &Posterior{model: m, backend: b, likes: slices.Clone(likes), space: space, hrd: -1, base: m.Defaults()}
	nuisance := make(map[string]bool)
	for _, n := range needs.Nuisance {
		if m.Has(n.Name) {
			return nil, fmt.Errorf("likelihood: %s's nuisance parameter %s has the name of a parameter of model %s", n.Data, n.Name, m.Name())
		}
		nuisance[n.Name] = true
	}
	have, err := p.placeSampled(nuisance, needs)
	if err != nil {
		return nil, err
	}
	if err := p.placeFixed(fixed, have, nuisance, needs); err != nil {
		return nil, err
	}
	if err := p.checkComplete(have, needs); err != nil {
		return nil, err
	}
	if err := p.bind(needs); err != nil {
		return nil, err
	}
	e, err := p.newEvaluator()
	if err != nil {
		return nil, err
	}
	p.pool.Put(e)
	return p, nil
}

// placeSampled finds the slot of each sampled parameter in the model (or
// hrd, or a nuisance parameter) and returns the names sampled.
func (p *Posterior) placeSampled(nuisance map[string]bool, needs Needs) (map[string]bool, error) {
	have := make(map[string]bool)
	p.slots = make([]cosmo.Slot, p.space.Dim())
	for i := range p.space.Dim() {
		name := p.space.Param(i).Name
		have[name] = true
		p.slots[i] = -1
		if nuisance[name] {
			continue
		}
		if name == HRd.Name {
			p.hrd = i
			continue
		}
		sl, err := p.model.Slot(name)
		if err != nil {
			return nil, fmt.Errorf("likelihood: %w%s", err, nuisanceList(needs))
		}
		p.slots[i] = sl
	}
	return have, nil
}

// placeFixed checks the fixed values and writes them to the base point,
// adding their names to have.
func (p *Posterior) placeFixed(fixed map[string]float64, have, nuisance map[string]bool, needs Needs) error {
	m := p.model
	for _, name := range slices.Sorted(maps.Keys(fixed)) {
		v := fixed[name]
		if have[name] {
			return fmt.Errorf("likelihood: parameter %s has both a prior and a fixed value", name)
		}
		have[name] = true
		if nuisance[name] || name == HRd.Name {
			return fmt.Errorf("likelihood: nuisance parameter %s cannot be fixed (remove the data that need it, or give it a narrow prior)", name)
		}
		par, err := m.Param(name)
		if err != nil {
			return fmt.Errorf("likelihood: fixed %w%s", err, nuisanceList(needs))
		}
		if err := par.Check(v); err != nil {
			return fmt.Errorf("likelihood: fixed %w", err)
		}
		_ = m.Set(&p.base, name, v)
	}
	return nil
}

// checkComplete checks that every parameter the model and the data need
// is sampled or fixed, once, and chooses where r_d comes from.
func (p *Posterior) checkComplete(have map[string]bool, needs Needs) error {
	m := p.model
	hasOmbh2 := have[cosmo.NameOmbh2]
	switch {
	case have[cosmo.NameOm] && have[cosmo.NameOmch2]:
		return fmt.Errorf("likelihood: the matter is given twice, as %s and as %s: sample or fix one of them", cosmo.NameOm, cosmo.NameOmch2)
	case have[cosmo.NameOmch2] && !hasOmbh2:
		return fmt.Errorf("likelihood: %s gives the matter only with %s (Ωm = (ω_b + ω_c + ω_ν)/h²): sample or fix %s, or sample %s instead", cosmo.NameOmch2, cosmo.NameOmbh2, cosmo.NameOmbh2, cosmo.NameOm)
	}
	for _, name := range m.Params() {
		if !have[name] && !(name == cosmo.NameOm && have[cosmo.NameOmch2]) {
			return fmt.Errorf("likelihood: model %s needs parameter %s: sample it or fix it", m.Name(), name)
		}
	}
	for _, l := range p.likes {
		n := l.Needs()
		if n.Ombh2 && !hasOmbh2 {
			return fmt.Errorf("likelihood: %s needs %s: sample it or fix it", l.Name(), cosmo.NameOmbh2)
		}
		if n.Rd && !hasOmbh2 && p.hrd < 0 {
			return fmt.Errorf("likelihood: %s needs r_d: sample %s (= h·r_d), or sample or fix %s", l.Name(), HRd.Name, cosmo.NameOmbh2)
		}
	}
	switch {
	case needs.Rd && hasOmbh2 && p.hrd >= 0:
		return fmt.Errorf("likelihood: r_d is computed from %s, so %s must not be sampled as well", cosmo.NameOmbh2, HRd.Name)
	case needs.Rd && hasOmbh2:
		p.rdFrom = rdFromOmbh2
	case needs.Rd:
		p.rdFrom = rdFromHRd
	case p.hrd >= 0:
		return fmt.Errorf("likelihood: %s is sampled but no data set uses r_d", HRd.Name)
	}
	p.s8 = have[cosmo.NameSigma8]
	if needs.Sigma8 && !p.s8 {
		for _, l := range p.likes {
			if l.Needs().Sigma8 {
				return fmt.Errorf("likelihood: %s needs %s (it measures fσ8): sample it or fix it", l.Name(), cosmo.NameSigma8)
			}
		}
	}
	for _, n := range needs.Nuisance {
		if !have[n.Name] {
			if !n.Optional {
				return fmt.Errorf("likelihood: %s needs its nuisance parameter %s: sample it", n.Data, n.Name)
			}
			p.marginalised = append(p.marginalised, n.Name)
		}
	}
	return nil
}

// bind binds every likelihood to the posterior and collects the request
// to the backend.
func (p *Posterior) bind(needs Needs) error {
	req := NewRequirements(nil)
	req.Model = p.model
	for k, l := range p.likes {
		req.nuisance = func(declared string) int {
			for _, n := range needs.Nuisance {
				if n.owner == k && n.Declared == declared {
					return p.space.Index(n.Name)
				}
			}
			return -1
		}
		t, err := l.Bind(req)
		if err != nil {
			return fmt.Errorf("likelihood: %w", err)
		}
		p.terms = append(p.terms, t)
		p.work = max(p.work, t.WorkLen())
		p.logNorm += t.LogNorm()
	}
	p.req = req.Request()
	p.req.Drag = p.rdFrom == rdFromOmbh2
	return nil
}

// nuisanceList completes an unknown-parameter error with the nuisance
// parameters of the data.
func nuisanceList(n Needs) string {
	var names []string
	if n.Rd {
		names = append(names, HRd.Name)
	}
	for _, p := range n.Nuisance {
		names = append(names, p.Name)
	}
	if len(names) == 0 {
		return "; the data have no nuisance parameters"
	}
	return "; the data's nuisance parameters: " + strings.Join(names, ", ")
}

func (p *Posterior) newEvaluator() (*evaluator, error) {
	e := &evaluator{res: cosmo.NewResult(p.req)}
	// Data that need no observables (an H0 or ω_b prior alone) need no
	// backend either.
	if len(p.req.Z) > 0 || p.req.CMB {
		ev, err := p.backend.NewEvaluator(p.model, p.req)
		if err != nil {
			return nil, fmt.Errorf("likelihood: backend %s: %w", p.backend.Name(), err)
		}
		e.ev = ev
	}
	e.th = Theory{P: &e.p, Res: e.res, Work: make([]float64, p.work)}
	return e, nil
}

func (p *Posterior) get() (*evaluator, error) {
	if e, ok := p.pool.Get().(*evaluator); ok {
		return e, nil
	}
	return p.newEvaluator()
}

// Model returns the model.
func (p *Posterior) Model() *cosmo.Model { return p.model }

// Backend returns the backend.
func (p *Posterior) Backend() cosmo.Backend { return p.backend }

// Space returns the parameter space.
func (p *Posterior) Space() *param.Space { return p.space }

// Marginalised returns the optional nuisance parameters that are not
// sampled, which their likelihoods integrate out (the supernova M).
func (p *Posterior) Marginalised() []string { return slices.Clone(p.marginalised) }

// Likelihoods returns the likelihoods, in the order of Chi2's byData.
func (p *Posterior) Likelihoods() []Likelihood { return append([]Likelihood(nil), p.likes...) }

// Len returns the number of measurements.
func (p *Posterior) Len() int {
	n := 0
	for _, l := range p.likes {
		n += l.Len()
	}
	return n
}

// LogNorm returns Σ_d LogNorm: ln L = LogNorm − χ²/2.
func (p *Posterior) LogNorm() float64 { return p.logNorm }

// Request returns what the backend computes at every point.
func (p *Posterior) Request() cosmo.Request { return p.req }

// Evaluations returns the number of points passed to the backend.
func (p *Posterior) Evaluations() int64 { return p.evals.Load() }

// Failures returns the number of in-prior points at which the backend
// failed (other than for unphysical parameters) or χ² was not finite.
func (p *Posterior) Failures() int64 { return p.failures.Load() }

// Unphysical returns the number of in-prior points the model could not
// describe (zero density).
func (p *Posterior) Unphysical() int64 { return p.unphysical.Load() }

// FirstFailure returns the error of the first failure, or nil.
func (p *Posterior) FirstFailure() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.firstErr
}

// Params returns the cosmological point of θ, with Om derived from ω_c
// when the matter is given as omch2 (cosmo.Params.Resolve).
func (p *Posterior) Params(theta []float64) cosmo.Params {
	c := p.base
	p.set(&c, theta)
	return c
}

// set writes the sampled cosmological parameters of θ to c and derives
// Om from ω_c if the matter is given as omch2 (NewPosterior checked that
// ω_b is there, so Resolve cannot fail).
func (p *Posterior) set(c *cosmo.Params, theta []float64) {
	for i, sl := range p.slots {
		if sl >= 0 {
			c.Set(sl, theta[i])
		}
	}
	if c.HasOmch2 {
		_ = c.Resolve()
	}
}

// compute evaluates the observables and returns Σ χ², filling byData if not
// nil.
func (p *Posterior) compute(e *evaluator, theta []float64, byData []float64) (float64, error) {
	p.evals.Add(1)
	e.p = p.base
	p.set(&e.p, theta)
	if e.ev == nil {
		if err := p.model.Check(&e.p); err != nil {
			return 0, err
		}
		e.res.H0 = e.p.H0
	} else if err := e.ev.Eval(e.res, &e.p); err != nil {
		return 0, err
	}
	th := &e.th
	th.Theta = theta
	switch p.rdFrom {
	case rdFromOmbh2:
		th.Rd = e.res.Rd
	case rdFromHRd:
		th.Rd = theta[p.hrd] / e.p.H()
	}
	total := 0.0
	for k, t := range p.terms {
		c := t.Chi2(th)
		if c-c != 0 { // NaN or ±Inf: the first such term names the failure
			return 0, p.termError(k, c)
		}
		if byData != nil {
			byData[k] = c
		}
		total += c
	}
	if math.IsInf(total, 0) { // finite terms whose sum overflows
		return 0, fmt.Errorf("non-finite χ² %g", total)
	}
	return total, nil
}

// termError is the error of term k's non-finite χ² c: +Inf is a point
// the data set finds impossible, NaN or −Inf a failure.
func (p *Posterior) termError(k int, c float64) error {
	if math.IsInf(c, 1) {
		return &cosmo.PointError{Model: p.model.Name(), Reason: "the data set " + p.likes[k].Name() + " finds the point impossible (χ² = +Inf)"}
	}
	return fmt.Errorf("non-finite χ² %g of data set %s", c, p.likes[k].Name())
}

func (p *Posterior) fail(theta []float64, err error) {
	var pe *cosmo.PointError
	if errors.As(err, &pe) {
		p.unphysical.Add(1)
		return
	}
	p.failures.Add(1)
	p.mu.Lock()
	if p.firstErr == nil {
		p.firstErr = fmt.Errorf("backend %s at %s: %w", p.backend.Name(), p.Format(theta), err)
	}
	p.mu.Unlock()
}

// Format writes θ as "Om=0.3, H0=70".
func (p *Posterior) Format(theta []float64) string {
	var b strings.Builder
	for i, v := range theta {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s=%.6g", p.space.Param(i).Name, v)
	}
	return b.String()
}

// chi2 returns Σ χ² at theta inside the prior, −1 and the error otherwise.
func (p *Posterior) chi2(theta []float64) (float64, error) {
	e, err := p.get()
	if err != nil {
		return 0, err
	}
	c, err := p.compute(e, theta, nil)
	p.pool.Put(e)
	return c, err
}

// LogProb returns ln π(θ) − χ²(θ)/2, with the normalised prior and
// without the likelihoods' normalisation LogNorm; −Inf outside the prior
// and where the model or the backend fails. It panics if len(θ) is not the
// dimension of the space.
func (p *Posterior) LogProb(theta []float64) float64 { return p.logProb(nil, theta) }

// LogProbBatch stores LogProb of each row of thetas in dst (the
// mcmc.BatchLogProb form): one evaluator for all the rows, so that a
// sampler's round pays the pool once (a cc31 evaluation is ~140 ns, of
// which the pool's Get and Put took ~10). It panics if the columns of
// thetas are not the dimension of the space or len(dst) is not its rows.
func (p *Posterior) LogProbBatch(dst []float64, thetas *mat.Dense) {
	r, c := thetas.Dims()
	if len(dst) != r || c != p.space.Dim() {
		panic("likelihood: LogProbBatch: dst or thetas of the wrong size")
	}
	e, err := p.get()
	if err == nil {
		defer p.pool.Put(e)
	} else {
		e = nil // each row borrows, fails and counts the failure
	}
	for i := range r {
		dst[i] = p.logProb(e, thetas.RawRowView(i))
	}
}

// logProb is LogProb with the evaluator e, or one borrowed from the pool
// if e is nil (and only for a point inside the prior).
func (p *Posterior) logProb(e *evaluator, theta []float64) float64 {
	lp := p.space.LogPrior(theta)
	if math.IsInf(lp, -1) {
		return lp
	}
	var c float64
	var err error
	if e == nil {
		c, err = p.chi2(theta)
	} else {
		c, err = p.compute(e, theta, nil)
	}
	if err != nil {
		p.fail(theta, err)
		return math.Inf(-1)
	}
	return lp - 0.5*c
}

// LogPrior returns the normalised ln π(θ).
func (p *Posterior) LogPrior(theta []float64) float64 { return p.space.LogPrior(theta) }

// LogLike returns the normalised ln L(θ) = LogNorm − χ²/2, the quantity
// nested sampling integrates (the prior enters through the space's
// transform); −Inf where the model or the backend fails.
func (p *Posterior) LogLike(theta []float64) float64 {
	c, err := p.chi2(theta)
	if err != nil {
		p.fail(theta, err)
		return math.Inf(-1)
	}
	return p.logNorm - 0.5*c
}

// Chi2 returns χ²(θ) and its part from each data set (in the order of
// Likelihoods), for any θ, reporting failures as errors.
func (p *Posterior) Chi2(theta []float64) (total float64, byData []float64, err error) {
	if len(theta) != p.space.Dim() {
		panic("likelihood: len(theta) != dimension of the space")
	}
	e, err := p.get()
	if err != nil {
		return 0, nil, err
	}
	defer p.pool.Put(e)
	byData = make([]float64, len(p.terms))
	total, err = p.compute(e, theta, byData)
	if err != nil {
		return 0, nil, fmt.Errorf("at %s: %w", p.Format(theta), err)
	}
	return total, byData, nil
}
