package cosmoemu_test

// Benchmarks that compare the ways cosmoemu computes the expansion rate, on
// the query a likelihood makes: H(z) at the 31 redshifts of the
// cosmic-chronometer data for one parameter point θ = (Ω_m0, H0).
//
//	go test -run xxx -bench . -benchmem .

import (
	"testing"

	"github.com/cosmoemu/cosmoemu/backend"
	"github.com/cosmoemu/cosmoemu/cosmo"
)

// cc31Z are the redshifts of the cc31 data set (data/hz/cc31.txt).
var cc31Z = []float64{
	0.070, 0.090, 0.120, 0.170, 0.179, 0.199, 0.200, 0.270, 0.280, 0.352,
	0.3802, 0.400, 0.4004, 0.4247, 0.4497, 0.470, 0.4783, 0.480, 0.593, 0.680,
	0.781, 0.875, 0.880, 0.900, 1.037, 1.300, 1.363, 1.430, 1.530, 1.750, 1.965,
}

// benchThetas cycles through parameter points so that no backend can reuse
// a previous answer.
func benchThetas() [][]float64 {
	var th [][]float64
	for i := range 64 {
		th = append(th, []float64{0.12 + 0.36*float64(i)/63, 55 + 30*float64((i*37)%64)/63})
	}
	return th
}

func benchBackend(b *testing.B, be cosmo.Backend) {
	req := cosmo.Request{Z: cc31Z}
	ev, err := be.NewEvaluator(cosmo.LCDM, req)
	if err != nil {
		b.Fatal(err)
	}
	res := cosmo.NewResult(req)
	thetas := benchThetas()
	ps := make([]cosmo.Params, len(thetas))
	for i, th := range thetas {
		ps[i] = cosmo.Params{Om: th[0], H0: th[1]}
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if err := ev.Eval(res, &ps[i%len(ps)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkQuery31 times E (so H) at the 31 cc31 redshifts for one point of
// flat ΛCDM with each backend: the closed form and the RK45 solver at its
// default tolerance (integrating from z = 0 only as far as z = 1.965).
func BenchmarkQuery31(b *testing.B) {
	for _, be := range []cosmo.Backend{backend.Analytic{}, backend.Solver{}} {
		b.Run(be.Name(), func(b *testing.B) { benchBackend(b, be) })
	}
}
