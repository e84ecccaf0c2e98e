package emulator

import (
	"math"
	"testing"

	"github.com/cosmoemu/cosmoemu/backend"
	"github.com/cosmoemu/cosmoemu/cosmo"
)

// flagshipRequest is the evaluation of a fit to DESI DR2 BAO, Union3 and
// the Planck distance priors: D_M (and E) at the 7 DESI redshifts and at 22
// supernova nodes evenly spaced in ln z on [0.05, 2.26], and the CMB
// scalars.
func flagshipRequest() cosmo.Request {
	z := []float64{0.295, 0.51, 0.706, 0.934, 1.321, 1.484, 2.33}
	for i := range 22 {
		z = append(z, math.Exp(math.Log(0.05)+(math.Log(2.26)-math.Log(0.05))*float64(i)/21))
	}
	return cosmo.Request{Z: z, Distances: true, CMB: true}
}

// fullRequest is backend/bench_test.go's: D_M and D_H at 50 redshifts in
// [0.01, 2.5] and the CMB scalars.
func fullRequest() cosmo.Request {
	z := make([]float64, 50)
	for i := range z {
		z[i] = 0.01 + 2.49*float64(i)/49
	}
	return cosmo.Request{Z: z, Distances: true, CMB: true}
}

// cc31Request asks for H at the 31 redshifts of the cc31 cosmic
// chronometers.
func cc31Request() cosmo.Request {
	return cosmo.Request{Z: []float64{0.07, 0.09, 0.12, 0.17, 0.179, 0.199, 0.2, 0.27, 0.28, 0.352, 0.3802, 0.4,
		0.4004, 0.4247, 0.4497, 0.47, 0.4783, 0.48, 0.593, 0.68, 0.75, 0.781, 0.875, 0.88, 0.9, 1.037, 1.3,
		1.363, 1.43, 1.53, 1.75, 1.965}}
}

// benchRanges are the ranges of the dark-energy parameters of benchPoints.
var benchRanges = map[string][2]float64{
	cosmo.NameW:      {-1.2, -0.8},
	cosmo.NameW0:     {-0.6, -1.1},
	cosmo.NameWa:     {-1.5, -0.3},
	cosmo.NameLambda: {0, 1.5},
}

// benchPoints are 16 points of the domain near the Planck best fit, cycled
// so that nothing can be reused between evaluations.
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

func benchRequest(b *testing.B, be cosmo.Backend, m *cosmo.Model, req cosmo.Request) {
	ev, err := be.NewEvaluator(m, req)
	if err != nil {
		b.Fatal(err)
	}
	res := cosmo.NewResult(req)
	ps := benchPoints(m)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		if err := ev.Eval(res, &ps[i%len(ps)]); err != nil {
			b.Fatal(err)
		}
	}
	if e, ok := ev.(*Evaluator); ok && e.Fallbacks() > 0 {
		b.Fatalf("%d fallbacks", e.Fallbacks())
	}
}

func benchBackends(b *testing.B, req cosmo.Request, models []*cosmo.Model, solver bool) {
	for _, m := range models {
		bes := []cosmo.Backend{Backend{}}
		if m.ClosedForm() {
			bes = append(bes, backend.Analytic{})
		}
		if solver {
			bes = append(bes, backend.Solver{})
		}
		for _, be := range bes {
			b.Run(m.Name()+"/"+be.Name(), func(b *testing.B) { benchRequest(b, be, m, req) })
		}
	}
}

// BenchmarkFlagship times the evaluation of a fit to DESI DR2 BAO, Union3
// and the CMB distance priors.
func BenchmarkFlagship(b *testing.B) { benchBackends(b, flagshipRequest(), cosmo.Models(), true) }

// BenchmarkFull times the "full" request of the backend benchmarks.
func BenchmarkFull(b *testing.B) { benchBackends(b, fullRequest(), cosmo.Models(), true) }

// BenchmarkCC31 times H at the 31 cc31 redshifts for flat ΛCDM.
func BenchmarkCC31(b *testing.B) {
	benchBackends(b, cc31Request(), []*cosmo.Model{cosmo.LCDM, cosmo.Quintessence}, false)
}
