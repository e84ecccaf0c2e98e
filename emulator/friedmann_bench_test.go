package emulator

import (
	"math"
	"testing"
)

// BenchmarkQuery is Query.Hubble at 31 redshifts: those of the cc31 data
// (z ≤ 1.965, all from the late-time network, no exponential) and 31 from
// z = 0.5 to 1000 (most from the ln E network, with 31 exponentials).
func BenchmarkQuery(b *testing.B) {
	m, err := DefaultFriedmann()
	if err != nil {
		b.Fatal(err)
	}
	cc31 := []float64{
		0.070, 0.090, 0.120, 0.170, 0.179, 0.199, 0.200, 0.270, 0.280, 0.352,
		0.3802, 0.400, 0.4004, 0.4247, 0.4497, 0.470, 0.4783, 0.480, 0.593, 0.680,
		0.781, 0.875, 0.880, 0.900, 1.037, 1.300, 1.363, 1.430, 1.530, 1.750, 1.965,
	}
	wide := make([]float64, 31)
	for i := range wide {
		wide[i] = 0.5 * math.Pow(2000, float64(i)/30)
	}
	for _, c := range []struct {
		name string
		z    []float64
	}{{"cc31", cc31}, {"z=0.5-1000", wide}} {
		b.Run(c.name, func(b *testing.B) {
			q, err := m.NewQuery(c.z)
			if err != nil {
				b.Fatal(err)
			}
			h := make([]float64, len(c.z))
			theta := []float64{0.3, 70}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				theta[0] = 0.2 + 0.2*float64(i%64)/63
				if err := q.Hubble(h, theta); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}
