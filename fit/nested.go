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

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"

	"github.com/cosmoemu/cosmoemu/chains"
	"github.com/cosmoemu/cosmoemu/nested"
)

// runNested samples the posterior by nested sampling and computes the
// evidence Z = ∫ L π dθ, with every Gaussian likelihood normalized
// (likelihood.Posterior.LogLike) and the normalized priors of the space.
func (p *Problem) runNested(ctx context.Context, progress func(Progress)) (*Result, error) {
	s := p.Config.Sampler
	post, space := p.Posterior, p.Space
	if _, err := p.physicalStart(p.Start()); err != nil {
		return nil, err // a prior box where the model is unphysical everywhere
	}
	start := time.Now()
	ranges := space.Ranges()
	set := &nested.Settings{
		Live: s.Live, DLogZ: s.DLogZ, Workers: s.Workers,
		Root: s.Out, Resume: s.Resume, Overwrite: s.Force, Fingerprint: p.Fingerprint(),
		Names: space.Names(), Labels: space.Labels(), Ranges: ranges, LogLikeNorm: post.LogNorm(),
		Progress: func(pr nested.Progress) {
			if progress != nil {
				progress(Progress{Stage: "nested", Step: pr.Iteration, DLogZ: pr.DLogZ, Calls: pr.Calls})
			}
		},
	}
	evalsBefore := post.Evaluations()
	rnd := rand.New(rand.NewPCG(s.Seed, 0x6e6573746564))
	prob := nested.Problem{Dim: space.Dim(), Transform: space.Transform, LogLike: post.LogLike}
	res, err := nested.Run(ctx, prob, set, rnd)
	if err != nil {
		if errors.Is(err, context.Canceled) {
			// Stopped before its loop (drawing the first live points):
			// saved only if a checkpoint is there.
			root := ""
			if _, serr := os.Stat(s.Out + chains.CheckpointSuffix); s.Out != "" && serr == nil {
				root = s.Out
			}
			return nil, &InterruptedError{Calls: post.Evaluations() - evalsBefore, Root: root, Err: err}
		}
		if s.Resume && errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("fit: cannot resume %s: there is no run there: %w", s.Out, err)
		}
		return nil, runError(err)
	}
	if n := post.Failures(); n > 0 {
		return nil, fmt.Errorf("fit: %d likelihood evaluations failed; the first: %w", n, post.FirstFailure())
	}
	sampling := time.Since(start).Seconds()
	if res.Stop == nested.StopCancelled {
		return nil, &InterruptedError{Calls: res.Calls, Root: s.Out, Err: context.Canceled}
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
	weights := res.Weights()
	summarizeWeighted(r, res, weights)
	minChi2, err := p.nestedBest(r, res)
	if err != nil {
		return nil, err
	}
	r.Chi2MinSample = minChi2
	if len(post.Marginalised()) > 0 {
		r.Notes = append(r.Notes, noteSNEvidence)
	}
	r.Samples, r.Weights = res.Samples, weights
	p.fillDerived(r)
	r.WallSeconds = time.Since(start).Seconds()
	return r, nil
}

// summarizeWeighted fills r's means, standard deviations and quantiles
// from the samples of res and their weights.
func summarizeWeighted(r *Result, res *nested.Result, weights []float64) {
	mean := res.Mean(nil)
	cov := res.Cov(nil)
	// The four quantiles of a parameter from one sorted copy of its column
	// (nested.Result.Quantile copies and sorts the column for each).
	x, w := make([]float64, len(weights)), make([]float64, len(weights))
	for j := range len(mean) {
		r.Mean = append(r.Mean, mean[j])
		r.Std = append(r.Std, math.Sqrt(cov.At(j, j)))
		mat.Col(x, j, res.Samples)
		copy(w, weights)
		stat.SortWeighted(x, w)
		r.Q025 = append(r.Q025, stat.Quantile(0.025, stat.Empirical, x, w))
		r.Q16 = append(r.Q16, stat.Quantile(0.16, stat.Empirical, x, w))
		r.Q84 = append(r.Q84, stat.Quantile(0.84, stat.Empirical, x, w))
		r.Q975 = append(r.Q975, stat.Quantile(0.975, stat.Empirical, x, w))
	}
}

// nestedBest fills r's best fit (Result.BestFit) from the samples of res:
// the highest-posterior sample, refined within steps of the smaller of
// the prior box and 10σ. It returns the smallest χ² among the samples.
func (p *Problem) nestedBest(r *Result, res *nested.Result) (minChi2 float64, err error) {
	post := p.Posterior
	bestRow, bestLP := 0, math.Inf(-1)
	minChi2 = math.Inf(1)
	for i := range res.LogL {
		lp := post.LogPrior(res.Samples.RawRowView(i)) + res.LogL[i]
		if lp > bestLP {
			bestRow, bestLP = i, lp
		}
		minChi2 = math.Min(minChi2, 2*(post.LogNorm()-res.LogL[i]))
	}
	best := append([]float64(nil), res.Samples.RawRowView(bestRow)...)
	ranges := p.Space.Ranges()
	scale := make([]float64, len(ranges))
	for i, b := range ranges {
		scale[i] = math.Min(b[1]-b[0], 10*r.Std[i])
	}
	return minChi2, p.fillBest(r, p.refine(best, math.Inf(-1), best, post.LogProb(best), scale))
}

// InterruptedError is the error of Run for a nested-sampling run stopped
// by its context after Calls likelihood calls. Root is where the run is
// saved, and Sampler.Resume continues it; "" if nothing was saved (no
// Sampler.Out, or stopped before its first checkpoint). It matches
// context.Canceled.
type InterruptedError struct {
	Calls int64
	Root  string
	Err   error
}

func (e *InterruptedError) Error() string {
	return fmt.Sprintf("fit: nested sampling interrupted after %d calls: %v", e.Calls, e.Err)
}

func (e *InterruptedError) Unwrap() error { return e.Err }

// noteSNEvidence says why ln Z with marginalised supernova magnitudes is
// defined only up to a model-independent constant.
const noteSNEvidence = "ln Z includes supernovae with M marginalised under a flat prior of unit density per magnitude: its absolute value is a convention, compare models on these data by Δ ln Z only"
