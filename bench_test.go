package cosmoemu_test

// Benchmarks that compare the ways cosmoemu computes the expansion rate, on
// the query a likelihood makes: H(z) at the 31 redshifts of the
// cosmic-chronometer data for one parameter point.
//
//	go test -run xxx -bench . -benchmem .

import (
	"math"
	"sort"
	"testing"

	"github.com/cosmoemu/cosmoemu/friedmann"
	"github.com/cosmoemu/cosmoemu/solver"
)

// cc31Z are the redshifts of testdata/cc31.txt.
var cc31Z = []float64{
	0.070, 0.090, 0.120, 0.170, 0.179, 0.199, 0.200, 0.270, 0.280, 0.352,
	0.3802, 0.400, 0.4004, 0.4247, 0.4497, 0.470, 0.4783, 0.480, 0.593, 0.680,
	0.781, 0.875, 0.880, 0.900, 1.037, 1.300, 1.363, 1.430, 1.530, 1.750, 1.965,
}

// BenchmarkQuery31 times H at the 31 cc31 redshifts for one (Ω_m0, H0).
func BenchmarkQuery31(b *testing.B) {
	b.Run("closed-form", func(b *testing.B) {
		h := make([]float64, len(cc31Z))
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			m, err := friedmann.LCDM(0.25+0.1*float64(i%7)/7, 70)
			if err != nil {
				b.Fatal(err)
			}
			for j, z := range cc31Z {
				h[j] = m.HZ(z)
			}
			i++
		}
	})
	b.Run("rk45-rtol1e-8", func(b *testing.B) {
		// The solver integrates from z = 0 only as far as the largest
		// redshift, with dense output at the sorted redshifts.
		ns := make([]float64, len(cc31Z))
		for j, z := range cc31Z {
			ns[j] = friedmann.NOfZ(z)
		}
		sort.Sort(sort.Reverse(sort.Float64Slice(ns)))
		sv, err := solver.New(4, &solver.Settings{RTol: 1e-8})
		if err != nil {
			b.Fatal(err)
		}
		sol := make([]float64, 4*len(ns))
		y0 := make([]float64, 4)
		h := make([]float64, len(ns))
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			m, err := friedmann.LCDM(0.25+0.1*float64(i%7)/7, 70)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := sv.Solve(sol, m.Derivs, 0, m.InitialState(y0), ns); err != nil {
				b.Fatal(err)
			}
			for j := range ns {
				h[j] = math.Exp(sol[4*j+3])
			}
			i++
		}
	})
}
