package emulator

import (
	"testing"

	"github.com/cosmoemu/cosmoemu/cosmo"
)

// BenchmarkEarly times one early universe (z*, z_drag, r_s(z*), r_d) of a
// w0waCDM point by each route: the exact one (recombination, as CAMB), the
// emulator, and the fitting formulas.
func BenchmarkEarly(b *testing.B) {
	p, err := cosmo.W0WaCDM.NewParams(map[string]float64{"Om": 0.31, "w0": -0.75, "wa": -0.8, "H0": 67.5, "ombh2": 0.0224})
	if err != nil {
		b.Fatal(err)
	}
	e, err := DefaultEarly()
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		calc cosmo.EarlyCalculator
	}{
		{"exact", cosmo.NewEarly(cosmo.EarlyExact)},
		{"emulator", EarlySource{Emulator: e, NoFallback: true}.NewEarly()},
		{"fitting", cosmo.NewEarly(cosmo.EarlyFitting)},
	} {
		b.Run(c.name, func(b *testing.B) {
			var ep cosmo.Epochs
			b.ReportAllocs()
			for b.Loop() {
				if err := c.calc.Compute(&ep, cosmo.W0WaCDM, &p); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
