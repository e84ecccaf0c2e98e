package fit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/cosmoemu/cosmoemu/chains"
	"github.com/cosmoemu/cosmoemu/mcmc"
)

// Progress reports a run's progress to a caller (a progress bar).
type Progress struct {
	Stage       string  // "best fit", "sampling" (MCMC) or "nested"
	Step, Steps int     // MCMC steps, or nested iterations (Steps 0)
	Acceptance  float64 // MCMC
	DLogZ       float64 // nested: the stopping statistic
	Calls       int64   // nested: likelihood calls
}

// Result is the outcome of a fit, with the JSON names of `cosmoemu fit
// -json`. Arrays follow Params.
type Result struct {
	Model   string   `json:"model"`
	Data    []string `json:"data"`
	Backend string   `json:"backend"`
	Sampler string   `json:"sampler"`

	Params []string `json:"params"`
	Labels []string `json:"labels"`
	Mean   Floats   `json:"mean"`
	Std    Floats   `json:"std"`
	Q025   Floats   `json:"q025"`
	Q16    Floats   `json:"q16"`
	Q84    Floats   `json:"q84"`
	Q975   Floats   `json:"q975"`
	Tau    Floats   `json:"tau,omitempty"` // MCMC only
	ESS    Floats   `json:"ess,omitempty"` // MCMC only

	// BestFit is the best fit: the maximum of the posterior density ln P
	// (MAP) found by the optimizer (mcmc.BestFit) started from the
	// highest-posterior sample of the run and from the fiducial start;
	// Chi2Min and Chi2ByData are χ² there. With the default uniform priors
	// the MAP is the maximum of the likelihood inside the prior box, and
	// Chi2Min the minimum χ². Chi2MinSample is the smallest χ² of any
	// sample (after the burn-in): what GetDist reports for its best-fit
	// sample (twice its −log(Like)); it is ≥ Chi2Min.
	BestFit       map[string]float64 `json:"best_fit"`
	Fixed         map[string]float64 `json:"fixed"`
	Chi2Min       float64            `json:"chi2_min"`
	Chi2ByData    map[string]float64 `json:"chi2_by_data"`
	Chi2MinSample float64            `json:"chi2_min_sample"`
	NData         int                `json:"n_data"`

	Converged  bool     `json:"converged"`
	Warning    string   `json:"warning,omitempty"`
	Acceptance float64  `json:"acceptance"`
	RMinus1    *float64 `json:"r_minus_1,omitempty"` // nil if undefined (a chain that never moved)
	Steps      int      `json:"steps"`
	Walkers    int      `json:"walkers"`
	Burn       int      `json:"burn"`
	Seed       uint64   `json:"seed"`

	Evaluations int64 `json:"evaluations"`
	Unphysical  int64 `json:"unphysical"`
	// With the emulator: the evaluations the solver answered because they
	// fell outside the emulator's domain, and their share.
	Fallbacks        int64   `json:"fallbacks"`
	FallbackFraction float64 `json:"fallback_fraction"`
	// GrowthFallbacks counts the evaluations whose growth alone the solver
	// computed (a model without a growth emulator), the rest emulated.
	GrowthFallbacks int64 `json:"growth_fallbacks,omitempty"`
	// GrowthOutside counts the evaluations of a closed-form model whose
	// growth the growth ODE computed because they fell outside its growth
	// emulator's domain, the rest the closed form's, and their share.
	GrowthOutside         int64   `json:"growth_outside_domain,omitempty"`
	GrowthOutsideFraction float64 `json:"growth_outside_fraction,omitempty"`
	// Early is how the early universe was computed (emulator, exact or
	// fitting); with the emulator, the evaluations the exact route
	// answered outside its domain, and their share.
	Early                 string  `json:"early"`
	EarlyFallbacks        int64   `json:"early_fallbacks"`
	EarlyFallbackFraction float64 `json:"early_fallback_fraction"`
	EvaluationsPerSecond  float64 `json:"evaluations_per_second"`
	WallSeconds           float64 `json:"wall_seconds"`
	SamplingSeconds       float64 `json:"sampling_seconds"`

	// Nested sampling only.
	LogZ        *float64 `json:"logz,omitempty"`
	LogZErr     *float64 `json:"logz_err,omitempty"`
	Information *float64 `json:"information,omitempty"`
	Live        int      `json:"live,omitempty"`
	Calls       int64    `json:"calls,omitempty"`
	Iterations  int      `json:"iterations,omitempty"`
	ESSTotal    float64  `json:"ess_total,omitempty"`

	// Derived are the parameters computed from the sampled ones (Om when
	// the matter is sampled as ω_c, ω_c when it is sampled as Om).
	Derived []Derived `json:"derived,omitempty"`

	Notes    []string `json:"notes,omitempty"`
	Warnings []string `json:"warnings,omitempty"`
	Root     string   `json:"root,omitempty"`

	// Samples are the post-burn-in samples, one per row.
	Samples *mat.Dense `json:"-"`
	Weights []float64  `json:"-"`
}

// Run finds the best fit, samples the posterior and summarizes it.
// progress, if not nil, is called from the running goroutine.
func (p *Problem) Run(ctx context.Context, progress func(Progress)) (*Result, error) {
	s := p.Config.Sampler
	if s.Kind == "" {
		s.Kind = "ensemble"
	}
	if s.Steps == 0 {
		s.Steps = 5000
	}
	switch s.Kind {
	case "ensemble", "mh":
		return p.runMCMC(ctx, s, progress)
	case "nested":
		return p.runNested(ctx, progress)
	}
	return nil, fmt.Errorf("fit: unknown sampler %q (want ensemble, mh or nested)", s.Kind)
}

// runMCMC finds the best fit, starts the walkers or chains of sampler s
// around it and summarizes their samples.
func (p *Problem) runMCMC(ctx context.Context, s Sampler, progress func(Progress)) (*Result, error) {
	post := p.Posterior
	start := time.Now()
	if progress != nil {
		progress(Progress{Stage: "best fit"})
	}
	scale := p.scales()
	opt, startCov, err := p.bestStart(scale)
	if err != nil {
		return nil, err
	}
	evalsBefore := post.Evaluations()
	var lastStep time.Time
	common := p.mcmcSettings(s, opt.X, startCov, func(pr mcmc.Progress) {
		lastStep = time.Now()
		if progress != nil {
			progress(Progress{Stage: "sampling", Step: pr.Step, Steps: pr.Steps, Acceptance: pr.Acceptance})
		}
	})
	// The derived columns: χ² at least (samplerTarget), evaluated in
	// batches as the parameters are.
	target, derived, derivedLabels := samplerTarget(post)
	common.Derived, common.DerivedLabels = derived, derivedLabels
	rnd := rand.New(rand.NewPCG(s.Seed, 0x636f736d6f656d75))
	var res *mcmc.Result
	samplingStart := time.Now()
	if s.Kind == "ensemble" {
		res, err = mcmc.RunEnsemble(ctx, target, &mcmc.EnsembleSettings{Settings: common, Walkers: s.Walkers}, rnd)
	} else {
		res, err = mcmc.RunMH(ctx, target, &mcmc.MHSettings{Settings: common, Chains: s.Chains}, rnd)
	}
	if err != nil {
		return nil, runError(err)
	}
	if n := post.Failures(); n > 0 {
		return nil, fmt.Errorf("fit: %d likelihood evaluations failed; the first: %w", n, post.FirstFailure())
	}
	sum := res.Summary
	if sum == nil {
		return nil, fmt.Errorf("fit: the run stopped before it finished (%s); continue it with Sampler.Resume", res.Stop)
	}
	r := p.mcmcResult(s, sum)
	r.WallSeconds = time.Since(start).Seconds()
	// Throughput over the sampling phase only: the best fit before it and
	// the summary after it cost the same whatever the backend.
	r.SamplingSeconds = lastStep.Sub(samplingStart).Seconds()
	if r.SamplingSeconds > 0 {
		r.EvaluationsPerSecond = float64(r.Evaluations-evalsBefore) / r.SamplingSeconds
	}
	maxPost := make([]float64, len(sum.Params))
	for i, ps := range sum.Params {
		maxPost[i] = ps.MaxPost
	}
	if err := p.fillBest(r, p.refine(opt.X, opt.LogProb, maxPost, sum.MaxLogProb, scale)); err != nil {
		return nil, err
	}
	r.Chi2MinSample = 2 * sum.MinMinusLogLike
	r.Samples = res.Chain.Flat(sum.Burn)
	p.fillDerived(r)
	return r, nil
}

// scales returns the scale of each parameter for the optimizer: the width
// of its prior, or its Gaussian prior's σ if smaller.
func (p *Problem) scales() []float64 {
	lo, hi := p.Space.Bounds()
	scale := make([]float64, len(lo))
	for i := range scale {
		scale[i] = hi[i] - lo[i]
		if pr := p.Space.Prior(i); pr.Sigma > 0 && pr.Sigma < scale[i] {
			scale[i] = pr.Sigma
		}
	}
	return scale
}

// bestStart finds the best fit from the fiducial start and the covariance
// of the ball the samplers start in: the Gaussian approximation there, or
// a ball of 1% of the prior widths when the best fit lies on the edge of
// the prior.
func (p *Problem) bestStart(scale []float64) (*mcmc.Optimum, mat.Symmetric, error) {
	post := p.Posterior
	x0 := p.Start()
	start, err := p.physicalStart(x0)
	if err != nil {
		return nil, nil, err
	}
	if &start[0] != &x0[0] {
		p.Notes = append(p.Notes, fmt.Sprintf("the model is unphysical at the fiducial start point (%s); the best fit is searched from %s", post.Format(x0), post.Format(start)))
	}
	opt, err := mcmc.BestFit(post.LogProb, start, &mcmc.BestFitSettings{Scale: scale})
	switch {
	case errors.Is(err, mcmc.ErrNoCovariance):
		p.Notes = append(p.Notes, "the best fit lies on the edge of the prior; the walkers start in a ball of 1% of the prior widths")
		c := mat.NewSymDense(len(scale), nil)
		for i, w := range scale {
			c.SetSym(i, i, (0.01*w)*(0.01*w))
		}
		return opt, c, nil
	case err != nil:
		if n := post.Failures(); n > 0 {
			return nil, nil, fmt.Errorf("fit: finding the best fit: %d evaluations failed, the first: %w", n, post.FirstFailure())
		}
		return nil, nil, fmt.Errorf("fit: finding the best fit: %w", err)
	}
	return opt, opt.Cov, nil
}

// mcmcSettings returns the settings of both MCMC samplers for sampler s,
// starting in N(start, startCov).
func (p *Problem) mcmcSettings(s Sampler, start []float64, startCov mat.Symmetric, progress func(mcmc.Progress)) mcmc.Settings {
	common := mcmc.Settings{
		Steps: s.Steps, Start: start, StartCov: startCov, Workers: s.Workers,
		Root: s.Out, Names: p.Space.Names(), Labels: p.Space.Labels(), Resume: s.Resume,
		Ranges: p.Space.Ranges(), Fingerprint: p.Fingerprint(), Overwrite: s.Force,
		Progress: progress,
	}
	if s.Converge {
		common.Converge = &mcmc.Convergence{RMinus1: 0.01}
	}
	return common
}

// mcmcResult returns the result of an MCMC run of sampler s from its
// summary, without the best fit and the timings.
func (p *Problem) mcmcResult(s Sampler, sum *mcmc.Summary) *Result {
	post := p.Posterior
	r := &Result{
		Model: p.Model.Name(), Data: p.DataNames(), Backend: post.Backend().Name(), Sampler: sum.Sampler,
		Params: p.Space.Names(), Labels: p.Space.Labels(), Fixed: p.Fixed, NData: post.Len(),
		Converged: sum.Converged, Warning: sum.Warning, Acceptance: sum.Acceptance,
		Steps: sum.Steps, Walkers: sum.Walkers, Burn: sum.Burn, Seed: s.Seed,
		Evaluations: post.Evaluations(), Unphysical: post.Unphysical(),
		Notes: p.Notes, Warnings: p.Warnings, Root: s.Out,
	}
	if rm1 := sum.RMinus1; !math.IsNaN(rm1) {
		r.RMinus1 = &rm1
	}
	for _, ps := range sum.Params {
		r.Mean = append(r.Mean, ps.Mean)
		r.Std = append(r.Std, ps.Std)
		r.Q025, r.Q975 = append(r.Q025, ps.Lo95), append(r.Q975, ps.Hi95)
		r.Q16, r.Q84 = append(r.Q16, ps.Lo68), append(r.Q84, ps.Hi68)
		r.Tau = append(r.Tau, ps.Tau)
		r.ESS = append(r.ESS, ps.ESS)
	}
	return r
}

// runError wraps an error of a sampler. Those about the output root keep
// their types (chains.ExistsError, chains.CollisionError) for a caller to
// word in its own terms.
func runError(err error) error {
	return fmt.Errorf("fit: %w", err)
}

// refine returns the best fit (see Result.BestFit): the better of the
// optimum x (ln P = lp) and the highest-posterior sample s (ln P = ls),
// refined by the optimizer when the sample is better.
func (p *Problem) refine(x []float64, lp float64, s []float64, ls float64, scale []float64) []float64 {
	if !(ls > lp) {
		return x
	}
	opt, err := mcmc.BestFit(p.Posterior.LogProb, s, &mcmc.BestFitSettings{Scale: scale})
	if (err == nil || errors.Is(err, mcmc.ErrNoCovariance)) && opt.LogProb > ls {
		return opt.X
	}
	return s
}

// fillBest records the best fit and its χ², in total and by data set.
func (p *Problem) fillBest(r *Result, best []float64) error {
	r.BestFit = make(map[string]float64)
	for i, name := range p.Space.Names() {
		r.BestFit[name] = best[i]
	}
	total, byData, err := p.Posterior.Chi2(best)
	if err != nil {
		return fmt.Errorf("fit: χ² at the best fit: %w", err)
	}
	r.Chi2Min = total
	if st := p.emuStats; st != nil {
		r.Fallbacks = st.Fallbacks()
		r.GrowthFallbacks = st.GrowthFallbacks()
		r.GrowthOutside = st.GrowthOutside()
		if n := st.Evaluations(); n > 0 {
			r.FallbackFraction = float64(r.Fallbacks) / float64(n)
			r.GrowthOutsideFraction = float64(r.GrowthOutside) / float64(n)
		}
	}
	r.Early = p.earlyName
	if st := p.earlyStats; st != nil {
		r.EarlyFallbacks = st.Fallbacks()
		if n := st.Evaluations(); n > 0 {
			r.EarlyFallbackFraction = float64(r.EarlyFallbacks) / float64(n)
		}
	}
	r.Chi2ByData = make(map[string]float64)
	for i, l := range p.Posterior.Likelihoods() {
		r.Chi2ByData[l.Name()] = byData[i]
	}
	return nil
}

// Floats is a list of numbers whose non-finite entries (τ of a chain that
// never moved, say) encode as JSON null instead of failing the encoding.
type Floats []float64

// MarshalJSON writes the numbers, null for NaN and ±Inf.
func (f Floats) MarshalJSON() ([]byte, error) {
	b := []byte{'['}
	for i, v := range f {
		if i > 0 {
			b = append(b, ',')
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			b = append(b, "null"...)
			continue
		}
		b = strconv.AppendFloat(b, v, 'g', -1, 64)
	}
	return append(b, ']'), nil
}

// MarshalJSON encodes the result with the field names of its tags and every
// non-finite number (an acceptance or R−1 undefined for a one-step run, τ of
// a chain that never moved) as null, so that `fit -json` is always valid
// JSON, as ROOT.summary.json is.
func (r *Result) MarshalJSON() ([]byte, error) {
	v := reflect.ValueOf(r).Elem()
	t := v.Type()
	b := []byte{'{'}
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		fv := v.Field(i)
		if opts == "omitempty" && fv.IsZero() {
			continue
		}
		if len(b) > 1 {
			b = append(b, ',')
		}
		b = strconv.AppendQuote(b, name)
		b = append(b, ':')
		val, err := json.Marshal(finite(fv))
		if err != nil {
			return nil, fmt.Errorf("fit: JSON of %s: %w", name, err)
		}
		b = append(b, val...)
	}
	return append(b, '}'), nil
}

// finite returns v with its non-finite floats (plain, through a pointer or
// as map values) replaced by chains.Float, which encodes them as null.
func finite(v reflect.Value) any {
	switch x := v.Interface().(type) {
	case float64:
		return chains.Float(x)
	case *float64:
		if x == nil {
			return nil
		}
		return chains.Float(*x)
	case map[string]float64:
		if x == nil {
			return nil
		}
		m := make(map[string]chains.Float, len(x))
		for k, f := range x {
			m[k] = chains.Float(f)
		}
		return m
	}
	return v.Interface()
}
