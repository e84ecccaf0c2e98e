package solver

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestFastLnExp(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	worst := 0.0
	for range 100000 {
		// The controller's range: errors from 1e-16 to 1e6, exponents of DOPRI5.
		x := math.Pow(10, -16+22*rnd.Float64())
		y := math.Pow(10, -4+4*rnd.Float64())
		got := fastExp(0.17*fastLn(x) - 0.04*fastLn(y))
		want := math.Pow(x, 0.17) * math.Pow(y, -0.04)
		worst = math.Max(worst, math.Abs(got/want-1))
	}
	if worst > 1e-4 {
		t.Errorf("max relative error %.3g > 1e-4", worst)
	}
	for _, x := range []float64{1, 2, math.Sqrt2, 0.5, 1e-300, 1e300} {
		if d := math.Abs(fastLn(x) - math.Log(x)); d > 1e-5*math.Max(1, math.Abs(math.Log(x))) {
			t.Errorf("fastLn(%g) off by %.3g", x, d)
		}
	}
}
