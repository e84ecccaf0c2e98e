package fit

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// startTries is how many points of the prior physicalStart tries when the
// fiducial start point is unphysical.
const startTries = 2000

// physicalStart returns x0 if the posterior is finite there, or else the
// first of startTries points drawn (with a fixed seed) from the prior box
// — within 3σ of a Gaussian prior's mean — where it is. Where none is, the
// prior box is the mistake: a *ConfigError on the priors that says why the
// model fails at x0, instead of an optimizer's "ln p is −Inf".
func (p *Problem) physicalStart(x0 []float64) ([]float64, error) {
	post := p.Posterior
	if !math.IsInf(post.LogProb(x0), -1) {
		return x0, nil
	}
	lo, hi := p.Space.Bounds()
	for i := range lo {
		if pr := p.Space.Prior(i); pr.Sigma > 0 {
			lo[i], hi[i] = math.Max(lo[i], pr.Mu-3*pr.Sigma), math.Min(hi[i], pr.Mu+3*pr.Sigma)
		}
	}
	rnd := rand.New(rand.NewPCG(1, 0x57a27))
	x := make([]float64, len(x0))
	for range startTries {
		for i := range x {
			x[i] = lo[i] + rnd.Float64()*(hi[i]-lo[i])
		}
		if !math.IsInf(post.LogProb(x), -1) {
			return x, nil
		}
	}
	why := "the posterior is zero there"
	if _, _, err := post.Chi2(x0); err != nil {
		why = err.Error()
	}
	return nil, &ConfigError{Field: "Priors", Err: fmt.Errorf("no point of the prior box gives a finite posterior (%d drawn at random, and the start point): %s; widen or move the priors", startTries, why)}
}
