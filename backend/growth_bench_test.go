package backend

import (
	"testing"

	"github.com/cosmoemu/cosmoemu/cosmo"
)

// growthZ are the redshifts of the BOSS DR12 and eBOSS DR16 fσ8
// measurements.
var growthZ = []float64{0.38, 0.51, 0.61, 0.698, 1.48}

// BenchmarkGrowth times one evaluation of the growth alone (D/D0 and f at
// growthZ) and of the growth with the distances there, for each backend
// and a closed-form model, a CPL one and the field (benchPoints, cycled).
func BenchmarkGrowth(b *testing.B) {
	for _, c := range []struct {
		be cosmo.Backend
		m  *cosmo.Model
	}{
		{Analytic{}, cosmo.LCDM}, {Analytic{}, cosmo.W0WaCDM},
		{Solver{}, cosmo.LCDM}, {Solver{}, cosmo.W0WaCDM}, {Solver{}, cosmo.Quintessence},
	} {
		for _, req := range []struct {
			name string
			r    cosmo.Request
		}{
			{"growth", cosmo.Request{Z: growthZ, Growth: true}},
			{"distances", cosmo.Request{Z: growthZ, Distances: true}},
			{"both", cosmo.Request{Z: growthZ, Distances: true, Growth: true}},
		} {
			b.Run(c.be.Name()+"/"+c.m.Name()+"/"+req.name, func(b *testing.B) {
				ev, err := c.be.NewEvaluator(c.m, req.r)
				if err != nil {
					b.Fatal(err)
				}
				res := cosmo.NewResult(req.r)
				ps := benchPoints(c.m)
				b.ReportAllocs()
				i := 0
				for b.Loop() {
					if err := ev.Eval(res, &ps[i%len(ps)]); err != nil {
						b.Fatal(err)
					}
					i++
				}
			})
		}
	}
}
