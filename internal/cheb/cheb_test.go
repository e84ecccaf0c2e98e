package cheb

import (
	"math"
	"testing"
)

// The grid interpolates and integrates a smooth function to near rounding.
func TestGrid(t *testing.T) {
	g := New(math.Log(4), 3, 12)
	f := func(x float64) float64 { return math.Exp(x) / math.Sqrt(0.3*math.Exp(3*x)+0.7) }
	fi := func(x float64) float64 { // ∫_0^x f by composite Simpson on a fine grid
		const m = 20000
		h := x / m
		s := f(0) + f(x)
		for i := 1; i < m; i++ {
			c := 2.0
			if i%2 == 1 {
				c = 4
			}
			s += c * f(float64(i)*h)
		}
		return s * h / 3
	}
	v := make([]float64, len(g.x))
	for k, x := range g.x {
		v[k] = f(x)
	}
	w := make([]float64, len(g.x))
	for _, x := range []float64{0, 1e-3, 0.1, 0.4621, 0.5, 0.9242, 1.2, math.Log(4)} {
		g.Interp(w, x)
		p := 0.0
		for k := range w {
			p += w[k] * v[k]
		}
		if d := math.Abs(p/f(x) - 1); d > 1e-11 {
			t.Errorf("interp at x = %g: relative error %.2e", x, d)
		}
		g.Integral(w, x)
		p = 0.0
		for k := range w {
			p += w[k] * v[k]
		}
		if want := fi(x); math.Abs(p-want) > 1e-11*math.Max(1, want) {
			t.Errorf("integral to x = %g: %.15g, want %.15g", x, p, want)
		}
	}
}
