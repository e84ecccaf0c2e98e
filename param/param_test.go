package param

import (
	"math"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/integrate/quad"
)

var om = Param{Name: "Om", Label: `\Omega_m`, Min: 0.01, Max: 0.99, Lo: 0, Hi: 1, LoOpen: true, HiOpen: true}

func TestPriorNormalized(t *testing.T) {
	for _, p := range []Prior{Uniform(0.1, 0.5), Gauss(0.3, 0.05, 0.1, 0.5), Gauss(0.02218, 0.00055, 0.005, 0.1), Gauss(0, 1, 2, 3)} {
		f := func(x float64) float64 { return math.Exp(p.LogPDF(x)) }
		// Integrate piecewise so that narrow Gaussians are resolved.
		total := 0.0
		const pieces = 200
		for i := range pieces {
			a := p.Lo + (p.Hi-p.Lo)*float64(i)/pieces
			b := p.Lo + (p.Hi-p.Lo)*float64(i+1)/pieces
			total += quad.Fixed(f, a, b, 20, nil, 0)
		}
		if math.Abs(total-1) > 1e-10 {
			t.Errorf("%v integrates to %.15g", p, total)
		}
		if !math.IsInf(p.LogPDF(p.Hi+1e-9), -1) || !math.IsInf(p.LogPDF(math.NaN()), -1) {
			t.Errorf("%v: outside the box is not −Inf", p)
		}
	}
}

func TestTransform(t *testing.T) {
	for _, p := range []Prior{Uniform(-3, 2), Gauss(0.3, 0.05, 0.1, 0.5), Gauss(0, 1, 2, 3)} {
		// The transform is the inverse CDF: the fraction of prior mass
		// below Transform(u) is u.
		f := func(x float64) float64 { return math.Exp(p.LogPDF(x)) }
		for _, u := range []float64{0, 0.1, 0.5, 0.9, 1} {
			x := p.Transform(u)
			if !p.Contains(x) {
				t.Fatalf("%v: Transform(%g) = %g outside the box", p, u, x)
			}
			mass := 0.0
			if x > p.Lo {
				mass = quad.Fixed(f, p.Lo, x, 60, nil, 0)
			}
			if math.Abs(mass-u) > 1e-9 {
				t.Errorf("%v: mass below Transform(%g) = %g is %g", p, u, x, mass)
			}
		}
	}
}

func TestParsePrior(t *testing.T) {
	p, err := ParsePrior(om, "0.1:0.5")
	if err != nil || p != Uniform(0.1, 0.5) {
		t.Fatal(p, err)
	}
	p, err = ParsePrior(om, "gauss:0.3:0.02")
	if err != nil || p != Gauss(0.3, 0.02, 0.01, 0.99) {
		t.Fatal(p, err)
	}
	if q, err := ParsePrior(om, p.String()); err != nil || q != p {
		t.Errorf("round trip of %v: %v %v", p, q, err)
	}
	for s, want := range map[string]string{
		"0.5:0.1":           "lo < hi",
		"0:0.5":             "leaves the physical range",
		"0.1:x":             "not a finite number",
		"gauss:0.3:0":       "sigma must be > 0",
		"gauss:0.3":         "want LO:HI",
		"gauss:5:0.01":      "no mass in its box",
		"0.1:0.5:0.7":       "want LO:HI",
		"gauss:0.3:0.1:1:2": "leaves the physical range",
	} {
		if _, err := ParsePrior(om, s); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want %q", s, err, want)
		}
	}
}

func TestSpace(t *testing.T) {
	h0 := Param{Name: "H0", Min: 20, Max: 100, Lo: 0, Hi: 1000, LoOpen: true}
	s, err := NewSpace([]Param{om, h0}, []Prior{Uniform(0.1, 0.5), Gauss(70, 5, 50, 90)})
	if err != nil {
		t.Fatal(err)
	}
	if s.Index("H0") != 1 || s.Index("w") != -1 || s.Dim() != 2 {
		t.Error("Index/Dim")
	}
	theta := []float64{0.3, 70}
	want := -math.Log(0.4) + s.Prior(1).LogPDF(70)
	if got := s.LogPrior(theta); math.Abs(got-want) > 1e-14 {
		t.Errorf("LogPrior = %v, want %v", got, want)
	}
	// The precomputed constants give LogPDF's bits, inside and outside.
	for _, th := range [][]float64{{0.3, 70}, {0.11, 52.5}, {0.49, 89}, {0.05, 70}, {0.3, 95}} {
		want := s.Prior(0).LogPDF(th[0]) + s.Prior(1).LogPDF(th[1])
		if got := s.LogPrior(th); got != want {
			t.Errorf("LogPrior(%v) = %v, want %v", th, got, want)
		}
	}
	if got, want := s.Ranges(), [][2]float64{{0.1, 0.5}, {50, 90}}; !slices.Equal(got, want) {
		t.Errorf("Ranges = %v, want %v", got, want)
	}
	dst := make([]float64, 2)
	s.Transform(dst, []float64{0.5, 0.5})
	if math.Abs(dst[0]-0.3) > 1e-15 || math.Abs(dst[1]-70) > 1e-9 {
		t.Errorf("Transform(0.5, 0.5) = %v", dst)
	}
	if _, err := NewSpace([]Param{om, om}, []Prior{Uniform(0.1, 0.5), Uniform(0.1, 0.5)}); err == nil {
		t.Error("duplicate accepted")
	}
	if _, err := NewSpace([]Param{om}, []Prior{Uniform(-0.1, 0.5)}); err == nil {
		t.Error("box outside the physical range accepted")
	}
}
