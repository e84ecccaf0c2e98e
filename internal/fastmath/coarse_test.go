package fastmath

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestCoarseLnExp(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	worst := 0.0
	for range 100000 {
		// The controller's range: errors from 1e-16 to 1e6, exponents of DOPRI5.
		x := math.Pow(10, -16+22*rnd.Float64())
		y := math.Pow(10, -4+4*rnd.Float64())
		got := CoarseExp(0.17*CoarseLn(x) - 0.04*CoarseLn(y))
		want := math.Pow(x, 0.17) * math.Pow(y, -0.04)
		worst = math.Max(worst, math.Abs(got/want-1))
	}
	// Measured 4.2e-6: the error of CoarseExp on arguments up to about 6.
	if worst > 1e-5 {
		t.Errorf("max relative error %.3g > 1e-5", worst)
	}
	for _, x := range []float64{1, 2, math.Sqrt2, 0.5, 1e-300, 1e300} {
		if d := math.Abs(CoarseLn(x) - math.Log(x)); d > 1e-5*math.Max(1, math.Abs(math.Log(x))) {
			t.Errorf("CoarseLn(%g) off by %.3g", x, d)
		}
	}
}
