package fit

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"time"

	"gonum.org/v1/gonum/mat"

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

	BestFit    map[string]float64 `json:"best_fit"`
	Fixed      map[string]float64 `json:"fixed"`
	Chi2Min    float64            `json:"chi2_min"`
	Chi2ByData map[string]float64 `json:"chi2_by_data"`
	NData      int                `json:"n_data"`

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
	Fallbacks            int64   `json:"fallbacks"`
	FallbackFraction     float64 `json:"fallback_fraction"`
	EvaluationsPerSecond float64 `json:"evaluations_per_second"`
	WallSeconds          float64 `json:"wall_seconds"`
	SamplingSeconds      float64 `json:"sampling_seconds"`

	// Nested sampling only.
	LogZ        *float64 `json:"logz,omitempty"`
	LogZErr     *float64 `json:"logz_err,omitempty"`
	Information *float64 `json:"information,omitempty"`
	Live        int      `json:"live,omitempty"`
	Calls       int64    `json:"calls,omitempty"`
	Iterations  int      `json:"iterations,omitempty"`
	ESSTotal    float64  `json:"ess_total,omitempty"`

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
	case "nested":
		return p.runNested(ctx, progress)
	default:
		return nil, fmt.Errorf("fit: unknown sampler %q (want ensemble, mh or nested)", s.Kind)
	}
	post := p.Posterior
	space := p.Space
	start := time.Now()
	if progress != nil {
		progress(Progress{Stage: "best fit"})
	}
	lo, hi := space.Bounds()
	scale := make([]float64, len(lo))
	for i := range scale {
		scale[i] = hi[i] - lo[i]
		if pr := space.Prior(i); pr.Sigma > 0 && pr.Sigma < scale[i] {
			scale[i] = pr.Sigma
		}
	}
	opt, err := mcmc.BestFit(post.LogProb, p.Start(), &mcmc.BestFitSettings{Scale: scale})
	var startCov mat.Symmetric
	switch {
	case errors.Is(err, mcmc.ErrNoCovariance):
		// The posterior peaks on the edge of the prior: start from a small
		// ball there instead of the Gaussian approximation.
		p.Notes = append(p.Notes, "the best fit lies on the edge of the prior; the walkers start in a ball of 1% of the prior widths")
		c := mat.NewSymDense(len(scale), nil)
		for i, w := range scale {
			c.SetSym(i, i, (0.01*w)*(0.01*w))
		}
		startCov = c
	case err != nil:
		if n := post.Failures(); n > 0 {
			return nil, fmt.Errorf("fit: finding the best fit: %d evaluations failed, the first: %v", n, post.FirstFailure())
		}
		return nil, fmt.Errorf("fit: finding the best fit: %w", err)
	default:
		startCov = opt.Cov
	}

	evalsBefore := post.Evaluations()
	var samplingStart, lastStep time.Time
	ranges := make([][2]float64, len(lo))
	for i := range lo {
		ranges[i] = [2]float64{lo[i], hi[i]}
	}
	common := mcmc.Settings{
		Steps: s.Steps, Start: opt.X, StartCov: startCov, Workers: s.Workers,
		Root: s.Out, Names: space.Names(), Labels: space.Labels(), Resume: s.Resume,
		Ranges: ranges, Fingerprint: p.Fingerprint(), Overwrite: s.Force,
		Progress: func(pr mcmc.Progress) {
			lastStep = time.Now()
			if progress != nil {
				progress(Progress{Stage: "sampling", Step: pr.Step, Steps: pr.Steps, Acceptance: pr.Acceptance})
			}
		},
	}
	if s.Converge {
		common.Converge = &mcmc.Convergence{RMinus1: 0.01}
	}
	target := mcmc.Target{LogProb: post.LogProb, Batch: post.LogProbBatch, LogPrior: post.LogPrior}
	rnd := rand.New(rand.NewPCG(s.Seed, 0x636f736d6f656d75))
	var res *mcmc.Result
	samplingStart = time.Now()
	if s.Kind == "ensemble" {
		res, err = mcmc.RunEnsemble(ctx, target, &mcmc.EnsembleSettings{Settings: common, Walkers: s.Walkers}, rnd)
	} else {
		res, err = mcmc.RunMH(ctx, target, &mcmc.MHSettings{Settings: common, Chains: s.Chains}, rnd)
	}
	if err != nil {
		if errors.Is(err, mcmc.ErrRunExists) {
			return nil, fmt.Errorf("fit: %s holds a finished run: continue it with -resume, or replace it with -force", s.Out)
		}
		return nil, fmt.Errorf("fit: %w", err)
	}
	if n := post.Failures(); n > 0 {
		return nil, fmt.Errorf("fit: %d likelihood evaluations failed; the first: %v", n, post.FirstFailure())
	}
	sum := res.Summary
	if sum == nil {
		return nil, fmt.Errorf("fit: the run stopped before it finished (%s); continue it with -resume", res.Stop)
	}
	r := &Result{
		Model: p.Model.Name(), Data: p.DataNames(), Backend: post.Backend().Name(), Sampler: sum.Sampler,
		Params: space.Names(), Labels: space.Labels(), Fixed: p.Fixed, NData: post.Len(),
		Converged: sum.Converged, Warning: sum.Warning, Acceptance: sum.Acceptance,
		Steps: sum.Steps, Walkers: sum.Walkers, Burn: sum.Burn, Seed: s.Seed,
		Evaluations: post.Evaluations(), Unphysical: post.Unphysical(),
		Notes: p.Notes, Warnings: p.Warnings, Root: s.Out,
	}
	if rm1 := sum.RMinus1; !math.IsNaN(rm1) {
		r.RMinus1 = &rm1
	}
	r.WallSeconds = time.Since(start).Seconds()
	// Throughput over the sampling phase only: the best fit before it and
	// the summary after it cost the same whatever the backend.
	r.SamplingSeconds = lastStep.Sub(samplingStart).Seconds()
	if r.SamplingSeconds > 0 {
		r.EvaluationsPerSecond = float64(r.Evaluations-evalsBefore) / r.SamplingSeconds
	}
	for _, ps := range sum.Params {
		r.Mean = append(r.Mean, ps.Mean)
		r.Std = append(r.Std, ps.Std)
		r.Q025, r.Q975 = append(r.Q025, ps.Lo95), append(r.Q975, ps.Hi95)
		r.Q16, r.Q84 = append(r.Q16, ps.Lo68), append(r.Q84, ps.Hi68)
		r.Tau = append(r.Tau, ps.Tau)
		r.ESS = append(r.ESS, ps.ESS)
	}
	best := opt.X
	if sum.BestLogProb > opt.LogProb {
		best = make([]float64, len(sum.Params))
		for i, ps := range sum.Params {
			best[i] = ps.Best
		}
	}
	if err := p.fillBest(r, best); err != nil {
		return nil, err
	}
	r.Samples = res.Chain.Flat(sum.Burn)
	return r, nil
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
		if n := st.Evaluations(); n > 0 {
			r.FallbackFraction = float64(r.Fallbacks) / float64(n)
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
