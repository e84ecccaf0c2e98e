package emulator

import (
	"testing"

	"github.com/cosmoemu/cosmoemu/cosmo"
)

// BenchmarkEarly times one early universe (z*, z_drag, r_s(z*), r_d) of a
// w0waCDM point by each route: the exact one (recombination, as CAMB), the
// emulator, and the fitting formulas; and of a point whose dark energy is
// 1% of the matter at z = 800 (w0 = −0.3, wa = 0) by the exact route and
// the emulator's dark-energy tier.
func BenchmarkEarly(b *testing.B) {
	p, err := cosmo.W0WaCDM.NewParams(map[string]float64{"Om": 0.31, "w0": -0.75, "wa": -0.8, "H0": 67.5, "ombh2": 0.0224})
	if err != nil {
		b.Fatal(err)
	}
	e, err := DefaultEarly()
	if err != nil {
		b.Fatal(err)
	}
	de := p
	de.DE = cosmo.Values{-0.3, 0}
	for _, c := range []struct {
		name string
		calc cosmo.EarlyCalculator
		p    *cosmo.Params
	}{
		{"exact", cosmo.NewEarly(cosmo.EarlyExact), &p},
		{"emulator", EarlySource{Emulator: e, NoFallback: true}.NewEarly(), &p},
		{"fitting", cosmo.NewEarly(cosmo.EarlyFitting), &p},
		{"exact-dark-energy", cosmo.NewEarly(cosmo.EarlyExact), &de},
		{"emulator-dark-energy", EarlySource{Emulator: e, NoFallback: true}.NewEarly(), &de},
	} {
		b.Run(c.name, func(b *testing.B) {
			var ep cosmo.Epochs
			b.ReportAllocs()
			for b.Loop() {
				if err := c.calc.Compute(&ep, cosmo.W0WaCDM, c.p); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
