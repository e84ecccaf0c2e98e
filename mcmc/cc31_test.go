package mcmc_test

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/cosmoemu/cosmoemu/likelihood"
	"github.com/cosmoemu/cosmoemu/mcmc"
)

// lcdm is flat ΛCDM with radiation, Ωr = 1e-4.
var lcdm = likelihood.FuncBackend{ID: "lcdm", H: func(z float64, theta []float64) float64 {
	const omR = 1e-4
	om, h0, a := theta[0], theta[1], 1+z
	return h0 * math.Sqrt(om*a*a*a+omR*a*a*a*a+1-om-omR)
}}

// gridMoments integrates the posterior on a fine grid over the prior box:
// means, standard deviations and the maximum, independently of any sampler.
func gridMoments(post *likelihood.Posterior) (mean, sd, best [2]float64) {
	lo, hi := post.Prior().Bounds()
	const n = 600
	var m1, m2 [2]float64
	var total float64
	bestLP := math.Inf(-1)
	theta := make([]float64, 2)
	for i := range n {
		theta[0] = lo[0] + (float64(i)+0.5)*(hi[0]-lo[0])/n
		for j := range n {
			theta[1] = lo[1] + (float64(j)+0.5)*(hi[1]-lo[1])/n
			lp := post.LogProb(theta)
			if lp > bestLP {
				bestLP, best = lp, [2]float64{theta[0], theta[1]}
			}
			p := math.Exp(lp + 10)
			total += p
			for k := range 2 {
				m1[k] += p * theta[k]
				m2[k] += p * theta[k] * theta[k]
			}
		}
	}
	for k := range 2 {
		mean[k] = m1[k] / total
		sd[k] = math.Sqrt(m2[k]/total - mean[k]*mean[k])
	}
	return mean, sd, best
}

// TestCC31Posterior samples the (Ωm0, H0) posterior of the cosmic
// chronometers with both samplers, started from BestFit, and compares
// with direct integration on a grid.
func TestCC31Posterior(t *testing.T) {
	data, err := likelihood.LoadData(likelihood.CC31)
	if err != nil {
		t.Fatal(err)
	}
	post, err := likelihood.NewPosterior(lcdm, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	mean, sd, gridBest := gridMoments(post)
	t.Logf("grid: Om0 = %.4f ± %.4f, H0 = %.3f ± %.3f", mean[0], sd[0], mean[1], sd[1])

	lo, hi := post.Prior().Bounds()
	opt, err := mcmc.BestFit(post.LogProb, post.Prior().Center(nil), &mcmc.BestFitSettings{Scale: []float64{hi[0] - lo[0], hi[1] - lo[1]}})
	if err != nil {
		t.Fatal(err)
	}
	for k := range 2 {
		if math.Abs(opt.X[k]-gridBest[k]) > (hi[k]-lo[k])/600 {
			t.Errorf("best fit %v, grid maximum %v", opt.X, gridBest)
		}
		// The Gaussian approximation is close to the true widths here.
		if s := math.Sqrt(opt.Cov.At(k, k)); math.Abs(s-sd[k]) > 0.15*sd[k] {
			t.Errorf("parameter %d: Hessian σ %g, grid σ %g", k, s, sd[k])
		}
	}

	target := mcmc.Target{LogProb: post.LogProb, Batch: post.LogProbBatch, LogPrior: post.Prior().LogPrior}
	common := mcmc.Settings{Steps: 3000, Start: opt.X, StartCov: opt.Cov, Names: post.Prior().Names()}
	ens, err := mcmc.RunEnsemble(context.Background(), target, &mcmc.EnsembleSettings{Settings: common}, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	common.Steps = 20000
	mh, err := mcmc.RunMH(context.Background(), target, &mcmc.MHSettings{Settings: common}, rand.New(rand.NewPCG(3, 4)))
	if err != nil {
		t.Fatal(err)
	}
	for _, res := range []*mcmc.Result{ens, mh} {
		s := res.Summary
		if s.TauWarning || s.RMinus1 > 0.02 {
			t.Errorf("%s: %s, R−1 %g", s.Sampler, s.Warning, s.RMinus1)
		}
		for k, p := range s.Params {
			t.Logf("%s: %s = %.4f ± %.4f (MC error %.2g, τ %.1f)", s.Sampler, p.Name, p.Mean, p.Std, p.MCError, p.Tau)
			if math.Abs(p.Mean-mean[k]) > 5*p.MCError || math.Abs(p.Std-sd[k]) > 0.05*sd[k] {
				t.Errorf("%s: %s = %g ± %g (MC error %g), grid %g ± %g", s.Sampler, p.Name, p.Mean, p.Std, p.MCError, mean[k], sd[k])
			}
		}
	}
	if post.Failures() != 0 {
		t.Errorf("%d backend failures: %v", post.Failures(), post.FirstFailure())
	}
}
