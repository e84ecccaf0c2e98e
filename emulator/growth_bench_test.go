package emulator

import (
	"context"
	"testing"

	"github.com/cosmoemu/cosmoemu/cosmo"
)

// BenchmarkGrowth times one growth evaluation (D/D0 and f at the five
// redshifts of the BOSS/eBOSS fσ8 data, with the distances there) by the
// emulator backend: the ODE on the closed form (RTol 1e-7) for lcdm and
// w0wacdm (its embedded network hidden), a growth network of width 64
// (its accuracy does not change its cost) for w0wacdm and the field, and
// the embedded networks (width 128; the field's with the input
// √(λ_max − λ), w0waCDM's with Ω_DE at z = 1 and 3).
func BenchmarkGrowth(b *testing.B) {
	z := []float64{0.38, 0.51, 0.61, 0.698, 1.48}
	req := cosmo.Request{Z: z, Distances: true, Growth: true}
	net := func(model string) *GrowthModel {
		g, err := TrainGrowth(context.Background(), model, &TrainSettings{LatePoints: 200, LateWidth: 64, Epochs: 1, Iterations: 2, Validate: -1})
		if err != nil {
			b.Fatal(err)
		}
		return g
	}
	for _, c := range []struct {
		name     string
		m        *cosmo.Model
		net      bool
		embedded bool
		v        map[string]float64
	}{
		{"ode/lcdm", cosmo.LCDM, false, false, map[string]float64{"Om": 0.31, "H0": 68}},
		{"ode/w0wacdm", cosmo.W0WaCDM, false, false, map[string]float64{"Om": 0.31, "H0": 68, "w0": -0.8, "wa": -0.6}},
		{"network/w0wacdm", cosmo.W0WaCDM, true, false, map[string]float64{"Om": 0.31, "H0": 68, "w0": -0.8, "wa": -0.6}},
		{"network/quintessence", cosmo.Quintessence, true, false, map[string]float64{"Om": 0.31, "H0": 68, "lambda": 0.8}},
		{"embedded/quintessence", cosmo.Quintessence, false, true, map[string]float64{"Om": 0.31, "H0": 68, "lambda": 0.8}},
		{"embedded/w0wacdm", cosmo.W0WaCDM, false, true, map[string]float64{"Om": 0.31, "H0": 68, "w0": -0.8, "wa": -0.6}},
	} {
		b.Run(c.name, func(b *testing.B) {
			if !c.net && !c.embedded {
				hideEmbeddedGrowth(b)
			}
			var be Backend
			if c.net {
				be.Growth = net(c.m.Name())
			}
			if c.embedded {
				g, err := DefaultGrowth(c.m)
				if err != nil {
					b.Fatal(err)
				}
				be.Growth = g
			}
			ev, err := be.NewEvaluator(c.m, req)
			if err != nil {
				b.Fatal(err)
			}
			p, err := c.m.NewParams(c.v)
			if err != nil {
				b.Fatal(err)
			}
			res := cosmo.NewResult(req)
			b.ReportAllocs()
			for b.Loop() {
				if err := ev.Eval(res, &p); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
