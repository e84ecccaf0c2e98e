package backend

import (
	"testing"

	"github.com/cosmoemu/cosmoemu/cosmo"
)

// fullRequest is the evaluation the models issue times: D_M and D_H at 50
// redshifts in [0.01, 2.5] plus z*, r_s(z*) and D_M(z*) (r_d, R and l_A
// follow in closed form from these).
func fullRequest() cosmo.Request {
	z := make([]float64, 50)
	for i := range z {
		z[i] = 0.01 + 2.49*float64(i)/49
	}
	return cosmo.Request{Z: z, Distances: true, CMB: true}
}

// benchRanges are the ranges of the dark-energy parameters of benchPoints.
var benchRanges = map[string][2]float64{
	cosmo.NameW:      {-1.2, -0.8},
	cosmo.NameW0:     {-0.6, -1.1},
	cosmo.NameWa:     {-1.5, -0.3},
	cosmo.NameLambda: {0, 1.5},
}

// benchPoints cycles through points so that nothing can be reused.
func benchPoints(m *cosmo.Model) []cosmo.Params {
	var ps []cosmo.Params
	for i := range 16 {
		f := float64(i) / 15
		p := cosmo.Params{Nnu: 3.044, Om: 0.25 + 0.1*f, H0: 62 + 10*f, Ombh2: 0.0222 + 0.0004*f, HasOmbh2: true}
		for j, name := range m.DEParams() {
			r := benchRanges[name]
			p.DE[j] = r[0] + (r[1]-r[0])*f
		}
		if m.Curved() {
			p.Ok = -0.1 + 0.2*f
		}
		ps = append(ps, p)
	}
	return ps
}

func benchFull(b *testing.B, be cosmo.Backend, m *cosmo.Model) {
	req := fullRequest()
	ev, err := be.NewEvaluator(m, req)
	if err != nil {
		b.Fatal(err)
	}
	res := cosmo.NewResult(req)
	ps := benchPoints(m)
	var sink float64
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		p := &ps[i%len(ps)]
		if err := ev.Eval(res, p); err != nil {
			b.Fatal(err)
		}
		sink += res.Rd + res.ShiftR(p.Om) + res.AcousticScale() + res.DH(49)
	}
	_ = sink
}

func BenchmarkFull(b *testing.B) {
	for _, m := range cosmo.Models() {
		for _, be := range []cosmo.Backend{Analytic{}, Solver{}} {
			if be.Name() == "analytic" && !m.ClosedForm() {
				continue
			}
			b.Run(m.Name()+"/"+be.Name(), func(b *testing.B) { benchFull(b, be, m) })
		}
	}
}
