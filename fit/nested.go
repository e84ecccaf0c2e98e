package fit

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"time"

	"github.com/cosmoemu/cosmoemu/internal/atomicfile"
	"github.com/cosmoemu/cosmoemu/mcmc"
	"github.com/cosmoemu/cosmoemu/nested"
)

// runNested samples the posterior by nested sampling and computes the
// evidence Z = ∫ L π dθ, with every Gaussian likelihood normalized
// (likelihood.Posterior.LogLike) and the normalized priors of the space.
func (p *Problem) runNested(ctx context.Context, progress func(Progress)) (*Result, error) {
	s := p.Config.Sampler
	post, space := p.Posterior, p.Space
	start := time.Now()
	set := &nested.Settings{
		Live: s.Live, DLogZ: s.DLogZ, Workers: s.Workers,
		Root: s.Out, Resume: s.Resume, Fingerprint: p.Fingerprint(),
		Progress: func(pr nested.Progress) {
			if progress != nil {
				progress(Progress{Stage: "nested", Step: pr.Iteration, DLogZ: pr.DLogZ, Calls: pr.Calls})
			}
		},
	}
	if s.Out != "" && !s.Resume && !s.Force {
		if _, err := os.Stat(s.Out + nestedCheckpointSuffix); err == nil {
			return nil, fmt.Errorf("fit: %s holds a nested run: continue it with -resume, or replace it with -force", s.Out)
		}
	}
	if s.Out != "" {
		// One run per root: nested sampling checkpoints atomically, but two
		// runs would overwrite each other's chains.
		unlock, err := atomicfile.Lock(s.Out)
		if err != nil {
			return nil, fmt.Errorf("fit: %w", err)
		}
		defer unlock()
	}
	evalsBefore := post.Evaluations()
	rnd := rand.New(rand.NewPCG(s.Seed, 0x6e6573746564))
	prob := nested.Problem{Dim: space.Dim(), Transform: space.Transform, LogLike: post.LogLike}
	res, err := nested.Run(ctx, prob, set, rnd)
	if err != nil {
		if s.Resume && errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("fit: cannot resume %s: there is no nested run there: %w", s.Out, err)
		}
		return nil, fmt.Errorf("fit: %w", err)
	}
	if n := post.Failures(); n > 0 {
		return nil, fmt.Errorf("fit: %d likelihood evaluations failed; the first: %v", n, post.FirstFailure())
	}
	sampling := time.Since(start).Seconds()
	if res.Stop == nested.StopCancelled {
		return nil, fmt.Errorf("fit: nested sampling interrupted after %d calls; continue it with -resume: %w", res.Calls, context.Canceled)
	}
	r := &Result{
		Model: p.Model.Name(), Data: p.DataNames(), Backend: post.Backend().Name(), Sampler: "nested",
		Params: space.Names(), Labels: space.Labels(), Fixed: p.Fixed, NData: post.Len(),
		Converged: res.Stop == nested.StopConverged, Seed: s.Seed,
		Evaluations: post.Evaluations(), Unphysical: post.Unphysical(),
		Notes: p.Notes, Warnings: p.Warnings, Root: s.Out,
		LogZ: &res.LogZ, LogZErr: &res.LogZErr, Information: &res.Information,
		Live: res.Live, Calls: res.Calls, Iterations: res.Iterations, ESSTotal: res.ESS,
	}
	if !r.Converged {
		r.Warning = fmt.Sprintf("nested sampling stopped on %s before Δln Z < %g", res.Stop, set.DLogZ)
	}
	if r.SamplingSeconds = sampling; sampling > 0 {
		r.EvaluationsPerSecond = float64(r.Evaluations-evalsBefore) / sampling
	}
	mean := res.Mean(nil)
	cov := res.Cov(nil)
	for j := range space.Dim() {
		r.Mean = append(r.Mean, mean[j])
		r.Std = append(r.Std, math.Sqrt(cov.At(j, j)))
		r.Q025 = append(r.Q025, res.Quantile(j, 0.025))
		r.Q16 = append(r.Q16, res.Quantile(j, 0.16))
		r.Q84 = append(r.Q84, res.Quantile(j, 0.84))
		r.Q975 = append(r.Q975, res.Quantile(j, 0.975))
	}
	// The best fit: refine the sample of highest ln L.
	bestRow := 0
	for i, l := range res.LogL {
		if l > res.LogL[bestRow] {
			bestRow = i
		}
	}
	best := append([]float64(nil), res.Samples.RawRowView(bestRow)...)
	lo, hi := space.Bounds()
	scale := make([]float64, len(lo))
	for i := range scale {
		scale[i] = math.Min(hi[i]-lo[i], 10*r.Std[i])
	}
	if opt, err := mcmc.BestFit(post.LogProb, best, &mcmc.BestFitSettings{Scale: scale}); (err == nil || errors.Is(err, mcmc.ErrNoCovariance)) && opt.LogProb > post.LogProb(best) {
		best = opt.X
	}
	if err := p.fillBest(r, best); err != nil {
		return nil, err
	}
	if len(post.Marginalised()) > 0 {
		r.Notes = append(r.Notes, noteSNEvidence)
	}
	r.Samples, r.Weights = res.Samples, res.Weights()
	r.WallSeconds = time.Since(start).Seconds()
	if s.Out != "" {
		if err := res.WriteGetDist(s.Out, space.Names(), space.Labels()); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// noteSNEvidence says why ln Z with marginalised supernova magnitudes is
// defined only up to a model-independent constant.
const noteSNEvidence = "ln Z includes supernovae with M marginalised under a flat prior of unit density per magnitude: its absolute value is a convention, compare models on these data by Δ ln Z only"

// nestedCheckpointSuffix is the nested sampler's checkpoint file.
const nestedCheckpointSuffix = ".nested.json"
