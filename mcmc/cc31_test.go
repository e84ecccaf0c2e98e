package mcmc_test

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/cosmoemu/cosmoemu/likelihood"
	"github.com/cosmoemu/cosmoemu/mcmc"
)

// cc31Post is the (Ωm0, H0) posterior of flat ΛCDM (Ωr = 1e-4) given the
// cosmic chronometers, uniform on [0.1, 0.5] × [50, 90]: written out here so
// that the samplers are tested against a density nothing else computes.
type cc31Post struct {
	z, h, s []float64
}

func (p *cc31Post) bounds() (lo, hi []float64) { return []float64{0.1, 50}, []float64{0.5, 90} }

func (p *cc31Post) LogPrior(theta []float64) float64 {
	lo, hi := p.bounds()
	for i, v := range theta {
		if !(v >= lo[i] && v <= hi[i]) {
			return math.Inf(-1)
		}
	}
	return 0
}

func (p *cc31Post) LogProb(theta []float64) float64 {
	lp := p.LogPrior(theta)
	if math.IsInf(lp, -1) {
		return lp
	}
	const omR = 1e-4
	om, h0 := theta[0], theta[1]
	chi2 := 0.0
	for i, z := range p.z {
		a := 1 + z
		r := (h0*math.Sqrt(om*a*a*a+omR*a*a*a*a+1-om-omR) - p.h[i]) / p.s[i]
		chi2 += r * r
	}
	return -0.5 * chi2
}

// gridMoments integrates the posterior on a fine grid over the prior box:
// means, standard deviations and the maximum, independently of any sampler.
func gridMoments(post *cc31Post) (mean, sd, best [2]float64) {
	lo, hi := post.bounds()
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
	l, _, err := likelihood.Open("cc31", nil)
	if err != nil {
		t.Fatal(err)
	}
	d := l.(*likelihood.Hz).Data()
	post := &cc31Post{z: d.Z, h: d.H, s: d.Sigma}
	mean, sd, gridBest := gridMoments(post)
	t.Logf("grid: Om0 = %.4f ± %.4f, H0 = %.3f ± %.3f", mean[0], sd[0], mean[1], sd[1])

	lo, hi := post.bounds()
	opt, err := mcmc.BestFit(post.LogProb, []float64{0.3, 70}, &mcmc.BestFitSettings{Scale: []float64{hi[0] - lo[0], hi[1] - lo[1]}})
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

	target := mcmc.Target{LogProb: post.LogProb, LogPrior: post.LogPrior}
	common := mcmc.Settings{Steps: 3000, Start: opt.X, StartCov: opt.Cov, Names: []string{"Om0", "H0"}}
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
}
