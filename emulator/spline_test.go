package emulator

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/interp"
)

func TestUniformSplineMatchesGonum(t *testing.T) {
	fs := []func(float64) float64{
		func(x float64) float64 { return math.Sin(0.7*x) + 0.01*x*x },
		func(x float64) float64 { return math.Exp(-0.4 * x) },
	}
	for _, tc := range []struct{ n, f int }{{4, 0}, {5, 0}, {6, 0}, {7, 1}, {9, 0}, {11, 1}, {21, 1}, {50, 0}} {
		n := tc.n
		x0, h := -12.0, 12.0/float64(n-1)
		xs := make([]float64, n)
		ys := make([]float64, n)
		for k := range xs {
			xs[k] = x0 + float64(k)*h
			ys[k] = fs[tc.f](xs[k])
		}
		var ref interp.NotAKnotCubic
		if err := ref.Fit(xs, ys); err != nil {
			t.Fatal(err)
		}
		s, err := newUniformSpline(x0, h, n)
		if err != nil {
			t.Fatal(err)
		}
		m := make([]float64, n)
		s.fit(m, ys)
		w := make([]float64, n)
		for i := 0; i <= 200; i++ {
			x := x0 + 12*float64(i)/200
			got, want := s.eval(ys, m, x), ref.Predict(x)
			if math.Abs(got-want) > 1e-12*math.Max(1, math.Abs(want)) {
				t.Fatalf("n = %d, x = %g: spline %v, gonum NotAKnotCubic %v", n, x, got, want)
			}
			s.weights(w, x)
			lin := 0.0
			for k := range w {
				lin += w[k] * ys[k]
			}
			if math.Abs(lin-got) > 1e-12 {
				t.Fatalf("n = %d, x = %g: weights give %v, spline %v", n, x, lin, got)
			}
		}
	}
	if _, err := newUniformSpline(0, 1, 3); err == nil {
		t.Error("no error for 3 nodes")
	}
}

// The spline's error falls as h⁴, ends included.
func TestUniformSplineOrder(t *testing.T) {
	f := func(x float64) float64 { return math.Exp(0.5 * x) }
	errFor := func(n int) float64 {
		h := 2.0 / float64(n-1)
		s, _ := newUniformSpline(0, h, n)
		ys := make([]float64, n)
		for k := range ys {
			ys[k] = f(float64(k) * h)
		}
		m := make([]float64, n)
		s.fit(m, ys)
		worst := 0.0
		for i := 0; i <= 1000; i++ {
			x := 2 * float64(i) / 1000
			worst = math.Max(worst, math.Abs(s.eval(ys, m, x)-f(x)))
		}
		return worst
	}
	for _, n := range []int{11, 21, 41} {
		if order := math.Log2(errFor(n) / errFor(2*n-1)); order < 3.7 {
			t.Errorf("n = %d → %d: observed order %.2f, want ≈ 4", n, 2*n-1, order)
		}
	}
}
