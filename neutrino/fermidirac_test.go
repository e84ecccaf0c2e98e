package neutrino

import (
	"math"
	"math/rand/v2"
	"testing"
)

// refIntegrals returns ρ(y)/ρ(0) and p(y)/ρ(0) by double-exponential
// (exp-sinh) quadrature, q = exp((π/2) sinh t), with step h = 1/64 on
// t ∈ [−5, 3.5]: a method independent of the package's Gauss–Legendre
// panels. In t the singularities nearest the real axis (q = ±iy, and the
// poles q = ±iπ) lie at least 0.1 away for 1e-6 ≤ y ≤ 1e6, so the error
// exp(−2π·0.1/h) is below 1e-17; the ends of the t range cut the integrands
// below 1e-40 of the integrals.
func refIntegrals(y float64) (rho, p float64) {
	const h = 1.0 / 64
	y2 := y * y
	for k := -5 * 64; k <= 7*32; k++ {
		t := float64(k) * h
		s := math.Pi / 2 * math.Sinh(t)
		q := math.Exp(s)
		dq := math.Pi / 2 * math.Cosh(t) * q * h
		eq := math.Exp(-q)
		f := eq / (1 + eq)
		e := math.Sqrt(q*q + y2)
		rho += dq * f * q * q * e
		p += dq * f * q * q * q * q / e
	}
	return rho / fdConst, p / (3 * fdConst)
}

// golden holds ρ(y)/ρ(0) and p(y)/ρ(0) from mpmath 1.2.1 (40 digits,
// mp.quad, tanh-sinh, with break points at y·2^k and 1, 4, 16, 40, 80;
// checked against its Gauss–Legendre rule to 1e-25), to 20 digits:
//
//	F = 7*mp.pi**4/120
//	r = mp.quad(lambda q: q**2*mp.sqrt(q*q+y*y)/(mp.exp(q)+1), pts)/F
//	p = mp.quad(lambda q: q**4/mp.sqrt(q*q+y*y)/(mp.exp(q)+1), pts)/(3*F)
var golden = []struct{ y, rho, p float64 }{
	{1e-6, 1.0000000000000723723, 0.33333333333330920924},
	{0.001, 1.0000000723721945517, 0.33333330920931780398},
	{0.05, 1.000180701099452905, 0.33327323037453322889},
	{0.3, 1.0063644918999822283, 0.33128571730348269869},
	{1, 1.0639626203517057042, 0.3153347125924613308},
	{2.5, 1.3179572040029399021, 0.2655165201298740489},
	{10, 3.3658091566873826353, 0.12135914816042562825},
	{64, 20.340617750379982843, 0.021306054638849392932},
	{300, 95.203402855669225436, 0.0045614019584114175343},
	{1e4, 3173.2188776584161915, 0.00013686531818528701247},
	{1e6, 317321.86723809529928, 1.3686533914536591213e-6},
}

func rel(got, want float64) float64 { return math.Abs(got/want - 1) }

// TestQuadratureGolden checks both quadratures, and the interpolated
// functions, against mpmath. Measured: the package's quadrature (within
// the table range) 1.1e-15, the reference 6.7e-16, DensityPressure 9.8e-13
// (p at y = 300, in the table).
func TestQuadratureGolden(t *testing.T) {
	var worstPkg, worstRef, worstFn float64
	rule := newFDRule()
	for _, g := range golden {
		if g.y >= tableMin && g.y <= tableMax {
			r, p := rule.integrals(g.y)
			worstPkg = max(worstPkg, rel(r, g.rho), rel(p, g.p))
		}
		r, p := refIntegrals(g.y)
		worstRef = max(worstRef, rel(r, g.rho), rel(p, g.p))
		r, p = DensityPressure(g.y)
		worstFn = max(worstFn, rel(r, g.rho), rel(p, g.p))
	}
	t.Logf("largest relative error vs mpmath: package quadrature %.2g, reference %.2g, DensityPressure %.2g", worstPkg, worstRef, worstFn)
	if worstPkg > 2e-15 || worstRef > 2e-15 || worstFn > 2e-12 {
		t.Errorf("relative errors %.2g, %.2g, %.2g, want ≤ 2e-15, 2e-15, 2e-12", worstPkg, worstRef, worstFn)
	}
}

// TestAgainstQuadrature compares ρ/ρ(0), p/ρ(0) and w with the reference
// quadrature at 3000 random y, log-uniform over [1e-6, 1e6], and at the
// edges of every table cell. Measured: 1.2e-14 (ρ, y = 8), 1.1e-12 (p and
// w, y = 256): the table's error, since the reference is good to 1e-15.
func TestAgainstQuadrature(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	ys := make([]float64, 0, 3000+2*numCells)
	for range 3000 {
		ys = append(ys, math.Pow(10, -6+12*rng.Float64()))
	}
	for e := minExp; e < maxExp; e++ {
		for j := 0; j <= cellsPerOctave; j++ {
			y := math.Ldexp(1+float64(j)/cellsPerOctave, e)
			ys = append(ys, y, math.Nextafter(y, 0))
		}
	}
	var worstR, worstP, worstW float64
	var atR, atP, atW float64
	for _, y := range ys {
		wantR, wantP := refIntegrals(y)
		r, p := DensityPressure(y)
		if d := rel(r, wantR); d > worstR {
			worstR, atR = d, y
		}
		if d := rel(p, wantP); d > worstP {
			worstP, atP = d, y
		}
		if d := rel(EoS(y), wantP/wantR); d > worstW {
			worstW, atW = d, y
		}
	}
	t.Logf("largest relative errors: ρ %.2g (y = %.4g), p %.2g (y = %.4g), w %.2g (y = %.4g)", worstR, atR, worstP, atP, worstW, atW)
	if worstR > 4e-14 || worstP > 2e-12 || worstW > 2e-12 {
		t.Errorf("relative errors ρ %.2g, p %.2g, w %.2g, want ≤ 4e-14, 2e-12, 2e-12", worstR, worstP, worstW)
	}
}

// TestSmallYSeries checks the exact small-y series of the package
// documentation, to y⁹, against the reference quadrature. The coefficients
// are those of the Mellin-transform expansion: the y^(2k) terms are
// C(½,k) Γ(s)η(s) at s = 4 − 2k (continued analytically; s = 0 gives the
// y⁴ ln y term), the odd ones come from the Taylor series of 1/(e^q+1).
// The first omitted term, c₁₀ y¹⁰ with c₁₀ ≈ 5e-6 in ρ and −3c₁₀ y¹⁰ in p,
// is 5e-16 and 4.5e-15 relative at y = 0.1. Measured: 4.4e-16 (ρ), 4.4e-15
// (p, at y = 0.1; 3.3e-16 below).
func TestSmallYSeries(t *testing.T) {
	const (
		pi2   = math.Pi * math.Pi
		pi4   = pi2 * pi2
		euler = 0.57721566490153286061
	)
	c := [10]float64{
		2: 5 / (7 * pi2),
		4: (1.0/64 - (math.Log(math.Pi)-euler)/16) / fdConst,
		5: -4 / (7 * pi4),
		6: 15 * zeta3 / (16 * pi4 * pi2),
		7: -4 / (147 * pi4),
		8: 155 * zeta5 / (4096 * pi4 * fdConst),
		9: -4 / (2205 * pi4),
	}
	a4 := 15 / (14 * pi4) // y⁴ ln y
	var worstR, worstP float64
	for _, y := range []float64{1e-4, 1e-3, 0.01, 0.03, 0.05, 0.1} {
		ln := math.Log(y)
		r, yr := 1.0, 0.0 // ρ/ρ(0) and y d(ρ/ρ(0))/dy
		for k := 9; k >= 2; k-- {
			yk := math.Pow(y, float64(k))
			r += c[k] * yk
			yr += float64(k) * c[k] * yk
		}
		y4 := y * y * y * y
		r += a4 * y4 * ln
		yr += a4 * y4 * (4*ln + 1)
		p := (r - yr) / 3
		wantR, wantP := refIntegrals(y)
		worstR = max(worstR, rel(r, wantR))
		worstP = max(worstP, rel(p, wantP))
	}
	t.Logf("series vs quadrature: ρ %.2g, p %.2g", worstR, worstP)
	if worstR > 1e-15 || worstP > 6e-15 {
		t.Errorf("series differs from quadrature: ρ %.2g, p %.2g", worstR, worstP)
	}
}

// TestLimits checks the relativistic and non-relativistic limits and the
// joins between the table and the series.
func TestLimits(t *testing.T) {
	if r, p := DensityPressure(0); r != 1 || p != 1.0/3 || EoS(0) != 1.0/3 {
		t.Errorf("y = 0: ρ %v, p %v, want 1, 1/3", r, p)
	}
	// ρ/ρ(0) → (180ζ(3)/7π⁴) y: the number density times the mass.
	if d := math.Abs(NonRelativisticSlope - 180*zeta3/(7*math.Pow(math.Pi, 4))); d > 1e-16 {
		t.Errorf("NonRelativisticSlope off by %g", d)
	}
	for _, y := range []float64{1e6, 1e8, 1e12} {
		// Next term: (45/4)ζ₅/(fdConst y), relative 6.5/y².
		if d := rel(Density(y)/y, NonRelativisticSlope); d > 7/(y*y)+1e-16 {
			t.Errorf("y = %g: ρ/(ρ(0) y) = %v, want %v", y, Density(y)/y, NonRelativisticSlope)
		}
		// p → (15ζ₅/2)/(fdConst y), so w → 5ζ₅/(ζ₃ y²) → 0.
		if d := rel(EoS(y)*y*y, 5*zeta5/zeta3); d > 30/(y*y)+1e-15 {
			t.Errorf("y = %g: w y² = %v, want 5ζ₅/ζ₃", y, EoS(y)*y*y)
		}
	}
	for _, y := range []float64{1e-9, 1e-6, 1e-4} {
		if d := math.Abs(EoS(y) - 1.0/3); d > y*y {
			t.Errorf("y = %g: w = %v, want 1/3", y, EoS(y))
		}
	}
	// Even in y.
	for _, y := range []float64{1e-5, 0.3, 7, 1e3} {
		r1, p1 := DensityPressure(y)
		r2, p2 := DensityPressure(-y)
		if r1 != r2 || p1 != p2 {
			t.Errorf("y = ±%g: %v, %v and %v, %v", y, r1, p1, r2, p2)
		}
	}
	// Continuity where the table meets the series.
	for _, y := range []float64{tableMin, tableMax} {
		r1, p1 := DensityPressure(math.Nextafter(y, 0))
		r2, p2 := DensityPressure(y)
		if rel(r1, r2) > 1e-14 || rel(p1, p2) > 2e-12 {
			t.Errorf("jump at y = %g: ρ %.2g, p %.2g", y, rel(r1, r2), rel(p1, p2))
		}
	}
	if r, p := DensityPressure(math.NaN()); !math.IsNaN(r) || !math.IsNaN(p) {
		t.Errorf("y = NaN: %v, %v", r, p)
	}
	if r, p := DensityPressure(math.Inf(1)); !math.IsInf(r, 1) || p != 0 {
		t.Errorf("y = +Inf: %v, %v", r, p)
	}
}

func TestNoAllocations(t *testing.T) {
	s, err := New(0.06, 3.046, TCMB)
	if err != nil {
		t.Fatal(err)
	}
	for name, f := range map[string]func(){
		"DensityPressure": func() { sinkF, sinkF = DensityPressure(3) },
		"EoS":             func() { sinkF = EoS(3) },
		"MassiveDensity":  func() { sinkF = s.MassiveDensity(0.01) },
		"New":             func() { s, _ = New(0.06, 3.046, TCMB) },
	} {
		if n := testing.AllocsPerRun(100, f); n != 0 {
			t.Errorf("%s: %v allocations", name, n)
		}
	}
}
