package fit

import (
	"context"
	"testing"

	"github.com/cosmoemu/cosmoemu/cosmo"
)

// BenchmarkFlagshipLogProb times one posterior evaluation of the flagship
// fit (w0waCDM, DESI DR2 + Union3 + Planck distance priors) with the
// closed form, the solver and the emulator: the backend's 29 redshifts and
// CMB scalars, then the three likelihoods.
func BenchmarkFlagshipLogProb(b *testing.B) {
	for _, be := range []string{"analytic", "solver", "emulator"} {
		b.Run(be, func(b *testing.B) {
			p, err := Build(&Config{Model: cosmo.W0WaCDM, Data: []string{"desi-dr2", "union3", "planck18-distance"}, Backend: be})
			if err != nil {
				b.Fatal(err)
			}
			x := []float64{0.32, -0.7, -1, 66.5, 0.0224}
			b.ReportAllocs()
			for b.Loop() {
				p.Posterior.LogProb(x)
			}
		})
	}
}

// BenchmarkFlagshipFit runs the whole flagship fit with each backend:
// best fit, 5000 steps of 32 walkers, summary.
func BenchmarkFlagshipFit(b *testing.B) {
	for _, be := range []string{"analytic", "solver", "emulator"} {
		b.Run(be, func(b *testing.B) {
			for b.Loop() {
				p, err := Build(&Config{Model: cosmo.W0WaCDM, Data: []string{"desi-dr2", "union3", "planck18-distance"}, Backend: be})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := p.Run(context.Background(), nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
