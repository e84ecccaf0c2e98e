package fit

import (
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"

	"github.com/cosmoemu/cosmoemu/cosmo"
	"github.com/cosmoemu/cosmoemu/internal/stats"
)

// S8Summary is the posterior of S8 = σ8 (Ωm/0.3)^{1/2} (cosmo.Params.S8),
// derived from the samples when σ8 is a parameter of the fit (fσ8 data):
// mean, standard deviation, the 2.5, 16, 84 and 97.5% quantiles, and its
// value at the best fit.
type S8Summary struct {
	Mean    float64 `json:"mean"`
	Std     float64 `json:"std"`
	Q025    float64 `json:"q025"`
	Q16     float64 `json:"q16"`
	Q84     float64 `json:"q84"`
	Q975    float64 `json:"q975"`
	BestFit float64 `json:"best_fit"`
}

// s8Summary returns the posterior of S8 from the samples (rows of θ, with
// weights, nil for equal ones) and the best fit, or nil if σ8 is not a
// parameter of the fit.
func (p *Problem) s8Summary(samples *mat.Dense, weights []float64, best map[string]float64) *S8Summary {
	_, fixed := p.Fixed[cosmo.NameSigma8]
	if p.Space.Index(cosmo.NameSigma8) < 0 && !fixed || samples == nil {
		return nil
	}
	n, _ := samples.Dims()
	if n == 0 {
		return nil
	}
	post := p.Posterior
	s8 := make([]float64, n)
	for i := range n {
		c := post.Params(samples.RawRowView(i))
		s8[i] = c.S8()
	}
	theta := make([]float64, p.Space.Dim())
	for i, name := range p.Space.Names() {
		theta[i] = best[name]
	}
	bc := post.Params(theta)
	s := &S8Summary{BestFit: bc.S8()}
	q := []float64{0.025, 0.16, 0.84, 0.975}
	out := make([]float64, len(q))
	if weights == nil {
		sum := 0.0
		for _, v := range s8 {
			sum += v
		}
		s.Mean = sum / float64(n)
		ss := 0.0
		for _, v := range s8 {
			ss += (v - s.Mean) * (v - s.Mean)
		}
		s.Std = math.Sqrt(ss / float64(n))
		stats.LinInterpQuantiles(out, s8, q)
	} else {
		s.Mean, s.Std = weightedMeanStd(s8, weights)
		weightedQuantiles(out, s8, append([]float64(nil), weights...), q)
	}
	s.Q025, s.Q16, s.Q84, s.Q975 = out[0], out[1], out[2], out[3]
	return s
}

func weightedMeanStd(x, w []float64) (mean, std float64) {
	sw := 0.0
	for i, v := range x {
		mean += w[i] * v
		sw += w[i]
	}
	mean /= sw
	for i, v := range x {
		std += w[i] * (v - mean) * (v - mean)
	}
	return mean, math.Sqrt(std / sw)
}

// weightedQuantiles stores in dst the quantiles ps of x with weights w, as
// the nested sampler's own (gonum's stat.Empirical): x and w are sorted.
func weightedQuantiles(dst, x, w, ps []float64) {
	stat.SortWeighted(x, w)
	for j, p := range ps {
		dst[j] = stat.Quantile(p, stat.Empirical, x, w)
	}
}
