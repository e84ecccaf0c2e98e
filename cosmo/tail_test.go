package cosmo

import (
	"math"
	"testing"
)

// TestTailsSmallMatter: the radiation–matter tails of the closed form stay
// finite and continuous as Ωm → 0 (Om = 1e-300 gave E² = NaN through the
// age), and agree with a direct quadrature on both sides of the series'
// switch.
func TestTailsSmallMatter(t *testing.T) {
	const or = 8.5e-5
	quad := func(ae, om float64, f func(a, om float64) float64) float64 {
		const n = 20000 // midpoint rule in a, smooth integrands
		h, s := ae/n, 0.0
		for i := range n {
			s += f((float64(i)+0.5)*h, om)
		}
		return s * h
	}
	age := func(a, om float64) float64 { return a / math.Sqrt(or+om*a) }
	com := func(a, om float64) float64 { return 1 / math.Sqrt(or+om*a) }
	for _, ae := range []float64{1e-6, 1e-4, 1e-3} {
		for _, om := range []float64{0, 1e-300, 1e-20, or / ae * 0.999e-3, or / ae * 1.001e-3, 0.3} {
			for _, tc := range []struct {
				name string
				got  float64
				f    func(a, om float64) float64
			}{{"AgeTail", AgeTail(ae, or, om), age}, {"ComovingTail", ComovingTail(ae, or, om), com}} {
				want := quad(ae, om, tc.f)
				if !(math.Abs(tc.got/want-1) < 1e-8) {
					t.Errorf("%s(%g, Or, %g) = %v, quadrature %v", tc.name, ae, om, tc.got, want)
				}
			}
		}
	}
}
