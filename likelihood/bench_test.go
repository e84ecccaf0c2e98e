package likelihood

import (
	"testing"

	"github.com/cosmoemu/cosmoemu/backend"
	"github.com/cosmoemu/cosmoemu/cosmo"
	"github.com/cosmoemu/cosmoemu/param"
)

// BenchmarkLogProb: one evaluation of the posterior of w0waCDM with the
// analytic background (DESI DR2 BAO, cosmic chronometers, Union3 and
// SH0ES), the hot path of the samplers.
func BenchmarkLogProb(b *testing.B) {
	var likes []Likelihood
	for _, name := range []string{"desi-dr2", "cc31", "union3", "sh0es"} {
		l, _, err := Open(name, nil)
		if err != nil {
			b.Fatal(err)
		}
		likes = append(likes, l)
	}
	var params []param.Param
	var priors []param.Prior
	for _, n := range []string{"Om", "w0", "wa", "H0"} {
		p, _ := cosmo.W0WaCDM.Param(n)
		params = append(params, p)
	}
	priors = append(priors, param.Uniform(0.1, 0.5), param.Uniform(-3, 1), param.Uniform(-3, 2), param.Uniform(50, 90))
	params = append(params, HRd)
	priors = append(priors, param.Uniform(50, 150))
	space, err := param.NewSpace(params, priors)
	if err != nil {
		b.Fatal(err)
	}
	post, err := NewPosterior(cosmo.W0WaCDM, backend.Analytic{}, likes, space, nil)
	if err != nil {
		b.Fatal(err)
	}
	theta := []float64{0.31, -0.8, -0.6, 68, 100}
	b.ReportAllocs()
	for b.Loop() {
		post.LogProb(theta)
	}
}
