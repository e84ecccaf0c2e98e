package growth

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/integrate/quad"
)

var testZ = []float64{0, 0.1, 0.38, 0.51, 0.61, 0.7, 0.85, 1.48, 2.33, 3}

// maxRel returns the largest relative difference of D/D0 and f.
func maxRel(a, b *Result) float64 {
	d := 0.0
	for i := range a.F {
		d = math.Max(d, relDiff(a.DRatio[i], b.DRatio[i]))
		d = math.Max(d, relDiff(a.F[i], b.F[i]))
		d = math.Max(d, relDiff(a.FSigma8[i], b.FSigma8[i]))
	}
	return d
}

func eval(t testing.TB, z []float64, set *Settings, bg Background) *Result {
	t.Helper()
	ev, err := NewEvaluator(z, set)
	if err != nil {
		t.Fatal(err)
	}
	res := NewResult(len(z))
	if err := ev.Eval(res, bg); err != nil {
		t.Fatal(err)
	}
	return res
}

// Derivs at the Mészáros mode of radiation and matter, y = a/a_eq:
// Ω_m = y/(1+y), Π = 4/3 − Ω_m/3, f = 3y/(2+3y), f' = 6y/(2+3y)².
func TestDerivsStartMeszaros(t *testing.T) {
	for _, y := range []float64{1e-6, 0.01, 1, 100, 1e6} {
		om := y / (1 + y)
		pi := 4.0/3 - om/3
		g := make([]float64, Dim)
		if err := Start(g, -3, pi, om); err != nil {
			t.Fatal(err)
		}
		f := 3 * y / (2 + 3*y)
		if relDiff(g[IndexF], f) > 1e-15 || math.Abs(g[IndexLnD]-(-3-math.Log(f))) > 1e-15 {
			t.Errorf("y = %g: Start gives (ln D, f) = %v, want (%v, %v)", y, g, -3-math.Log(f), f)
		}
		d := make([]float64, Dim)
		Derivs(d, g, pi, om)
		if relDiff(d[IndexLnD], f) > 1e-15 || relDiff(d[IndexF], 6*y/((2+3*y)*(2+3*y))) > 1e-9 {
			t.Errorf("y = %g: Derivs %v, want (%v, %v)", y, d, f, 6*y/((2+3*y)*(2+3*y)))
		}
	}
	if err := Start(make([]float64, Dim), -3, 1, 0.5); err == nil {
		t.Error("Start accepted Π = 1, Ω_m = 0.5 (not radiation and matter)")
	}
}

// In a universe of radiation and matter alone the solution is Mészáros's:
// D = a + (2/3)a_eq, f = a/D, a_eq = Ω_r/Ω_m.
func TestMeszarosUniverse(t *testing.T) {
	for _, or := range []float64{9e-5, 0.01, 0.3} {
		bg := &CPL{Om: 1 - or, Or: or, W0: -1}
		res := eval(t, testZ, &Settings{RTol: 1e-12, ATol: 1e-14}, bg)
		aeq := or / (1 - or)
		d0 := 1 + 2*aeq/3
		if d := relDiff(res.D0, d0); d > 1e-11 {
			t.Errorf("Ω_r = %g: D0 = %.15g, want %.15g (%.2g)", or, res.D0, d0, d)
		}
		for i, z := range testZ {
			a := 1 / (1 + z)
			d := a + 2*aeq/3
			if e := math.Max(relDiff(res.DRatio[i], d/d0), relDiff(res.F[i], a/d)); e > 1e-11 {
				t.Errorf("Ω_r = %g, z = %g: D/D0 = %.15g, f = %.15g, want %.15g, %.15g", or, z, res.DRatio[i], res.F[i], d/d0, a/d)
			}
		}
	}
}

// The result does not depend on where the growing mode starts.
func TestStartIndependence(t *testing.T) {
	const or = 9.1e-5
	worst, worstD0 := 0.0, 0.0
	for _, bg := range []*CPL{
		{Om: 0.31, Or: or, W0: -1},
		{Om: 0.3, Or: or, Ok: 0.3, W0: -1},
		{Om: 0.3, Or: or, Ok: -0.3, W0: -1},
		{Om: 0.31, Or: or, W0: -0.7, Wa: -1},
		{Om: 0.1, Or: or, W0: -0.2, Wa: 0.1}, // w0 + wa = −0.1: DE not negligible at N = −14
		{Om: 0.3, Ok: 0.2, W0: -1},           // no radiation
	} {
		set := &Settings{RTol: 1e-12, ATol: 1e-14, StartN: -30}
		ref := eval(t, testZ, set, bg)
		for _, start := range []float64{-10, -14, -20} {
			set.StartN = start
			res := eval(t, testZ, set, bg)
			d, d0 := maxRel(res, ref), relDiff(res.D0, ref.D0)
			worst, worstD0 = math.Max(worst, d), math.Max(worstD0, d0)
			// Measured: 4.5e-14 and 2.1e-10.
			if d > 1e-12 || d0 > 1e-9 {
				t.Errorf("%+v: start at N = %g differs from N = −30 by %.2g (D0 by %.2g)", *bg, start, d, d0)
			}
		}
	}
	t.Logf("largest relative difference between starts at N = −10, −14, −20 and −30: %.2g in D/D0, f, fσ8/σ8,0; %.2g in D0", worst, worstD0)
}

// (a) The ODE without radiation against Heath's closed form.
func TestAgainstHeath(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	ev, err := NewEvaluator(testZ, nil)
	if err != nil {
		t.Fatal(err)
	}
	h, err := NewHeath(testZ)
	if err != nil {
		t.Fatal(err)
	}
	ode, cf := NewResult(len(testZ)), NewResult(len(testZ))
	worst, worstD0 := 0.0, 0.0
	for range 300 {
		om := 0.1 + 0.5*rng.Float64()
		ok := -0.3 + 0.6*rng.Float64()
		if err := h.Eval(cf, om, ok); err != nil {
			t.Fatal(err)
		}
		if err := ev.Eval(ode, &CPL{Om: om, Ok: ok, W0: -1}); err != nil {
			t.Fatal(err)
		}
		d := maxRel(ode, cf)
		worst, worstD0 = math.Max(worst, d), math.Max(worstD0, relDiff(ode.D0, cf.D0))
		// Measured over these points: 3.7e-10 (D0 to 2.8e-10).
		if d > 1e-9 || relDiff(ode.D0, cf.D0) > 1e-9 {
			t.Errorf("Ωm = %.4f, Ωk = %.4f: ODE and Heath differ by %.2g (D0 %.2g)", om, ok, d, relDiff(ode.D0, cf.D0))
		}
	}
	t.Logf("largest relative difference ODE − Heath over 300 points: %.2g in D/D0, f, fσ8/σ8,0; %.2g in D0", worst, worstD0)
}

// Heath's quadrature is converged: against gonum's Gauss–Legendre on 128
// equal panels of [0, √a] with 24 nodes each, for random points of
// Ω_m ∈ [0.01, 1], Ω_k ∈ [−1, 1] and for points close to a bounce (the
// minimum of a³E² on [0, 1] at 0.0012 … 0.012, which take the fine panels).
func TestHeathQuadratureConverged(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	z := []float64{0, 0.5, 1, 3, 10, 1100}
	h, err := NewHeath(z)
	if err != nil {
		t.Fatal(err)
	}
	res := NewResult(len(z))
	var points [][2]float64
	for len(points) < 30 {
		om, ok := 0.01+0.99*rng.Float64(), -1+2*rng.Float64()
		if _, p := minP(om, ok, 1-om-ok); p >= heathMinP {
			points = append(points, [2]float64{om, ok})
		}
	}
	for _, om := range []float64{0.01, 0.03, 0.1, 0.3} {
		for _, target := range []float64{1.2e-3, 4e-3, 1.2e-2} {
			// P_min falls as Ω_k does: bisect for P_min = target.
			lo, hi := -3.0, 0.0
			for range 100 {
				mid := 0.5 * (lo + hi)
				if _, p := minP(om, mid, 1-om-mid); p > target {
					hi = mid
				} else {
					lo = mid
				}
			}
			points = append(points, [2]float64{om, hi})
		}
	}
	// Reference nodes and weights on [0, √a] for each a.
	ref := map[float64][2][]float64{}
	for _, zi := range append([]float64{0}, z...) {
		a := 1 / (1 + zi)
		const panels, n = 128, 24
		x, w := make([]float64, panels*n), make([]float64, panels*n)
		width := math.Sqrt(a) / panels
		for p := range panels {
			quad.Legendre{}.FixedLocations(x[p*n:(p+1)*n], w[p*n:(p+1)*n], float64(p)*width, float64(p+1)*width)
		}
		ref[a] = [2][]float64{x, w}
	}
	worst := 0.0
	for _, pt := range points {
		om, ok := pt[0], pt[1]
		ol := 1 - om - ok
		if err := h.Eval(res, om, ok); err != nil {
			t.Fatalf("Ωm = %v, Ωk = %v: %v", om, ok, err)
		}
		integ := func(a float64) float64 {
			s := 0.0
			nw := ref[a]
			for k, u := range nw[0] {
				v := u * u
				p := om + ok*v + ol*v*v*v
				s += nw[1][k] * 2 * v * v / math.Pow(p, 1.5)
			}
			return s
		}
		d0, _ := heathDF(1, integ(1), om, ok, ol)
		e := relDiff(res.D0, d0)
		for i, zi := range z {
			a := 1 / (1 + zi)
			d, f := heathDF(a, integ(a), om, ok, ol)
			e = math.Max(e, math.Max(relDiff(res.DRatio[i], d/d0), relDiff(res.F[i], f)))
		}
		worst = math.Max(worst, e)
		// Measured: 4.2e-13 at most.
		if e > 1e-11 {
			t.Errorf("Ωm = %v, Ωk = %v: Heath differs from the reference quadrature by %.2g", om, ok, e)
		}
	}
	t.Logf("largest relative difference of D0, D/D0 and f to the reference quadrature: %.2g", worst)
	// Closer to a bounce the point is refused.
	if err := h.Eval(res, 0.3, -1.0132); err == nil || !strings.Contains(err.Error(), "too close to a bounce") {
		t.Errorf("a³E² = 1e-4 somewhere: got %v", err)
	}
}

// Without Λ and curvature D = a and f = 1 (D0 = 1); with Λ the growth
// at z = 0 is close to the fit f ≈ Ωm^0.55.
func TestHeathLimits(t *testing.T) {
	h, err := NewHeath(testZ)
	if err != nil {
		t.Fatal(err)
	}
	res := NewResult(len(testZ))
	if err := h.Eval(res, 1, 0); err != nil {
		t.Fatal(err)
	}
	if math.Abs(res.D0-1) > 1e-14 {
		t.Errorf("Einstein–de Sitter: D0 = %v", res.D0)
	}
	for i, z := range testZ {
		if relDiff(res.DRatio[i], 1/(1+z)) > 1e-14 || math.Abs(res.F[i]-1) > 1e-14 {
			t.Errorf("Einstein–de Sitter, z = %g: D/D0 = %v, f = %v", z, res.DRatio[i], res.F[i])
		}
	}
	if err := h.Eval(res, 0.3, 0); err != nil {
		t.Fatal(err)
	}
	if d := math.Abs(res.F[0] - math.Pow(0.3, 0.55)); d > 3e-3 {
		t.Errorf("ΛCDM Ωm = 0.3: f(0) = %v, Ωm^0.55 = %v", res.F[0], math.Pow(0.3, 0.55))
	}
	for i := range testZ {
		if res.FSigma8[i] != res.F[i]*res.DRatio[i] {
			t.Errorf("fσ8/σ8,0 is not f·D/D0 at %d", i)
		}
	}
}

// nanAt is a ΛCDM background that returns NaN after N = at.
type nanAt struct {
	CPL
	at float64
}

func (b *nanAt) Expansion(n float64) (float64, float64, float64) {
	if n > b.at {
		return math.NaN(), math.NaN(), math.NaN()
	}
	return b.CPL.Expansion(n)
}

// firstZero returns the largest redshift below 1e6 where E² of bg
// reaches 0, by a scan in N and bisection.
func firstZero(bg Background) float64 {
	lo := -math.Log1p(1e6)
	for hi := lo; hi <= 0; hi += 1e-3 {
		if e2, _, _ := bg.Expansion(hi); e2 <= 0 {
			for range 100 {
				mid := 0.5 * (lo + hi)
				if e2, _, _ := bg.Expansion(mid); e2 > 0 {
					lo = mid
				} else {
					hi = mid
				}
			}
			return math.Expm1(-hi)
		}
		lo = hi
	}
	return math.NaN()
}

// Bad backgrounds and inputs give an *Error (or, for inputs, an error)
// that names the point, never a panic or a NaN.
func TestBadInput(t *testing.T) {
	ev, err := NewEvaluator(testZ, nil)
	if err != nil {
		t.Fatal(err)
	}
	res := NewResult(len(testZ))
	nan, inf := math.NaN(), math.Inf(1)
	for _, tc := range []struct {
		name string
		bg   Background
		want string // in the message
		z    float64
	}{
		// a³E² = 0.05 − 1.5a + 2.45a³ + Ω_r/a < 0 from z ≈ 27.
		{"bounce", &CPL{Om: 0.05, Or: 9e-5, Ok: -1.5, W0: -1}, "bounce", -1},
		{"phantom bounce", &CPL{Om: 0.3, Or: 9e-5, W0: -1.5, Wa: -1, Ok: -0.8}, "bounce", -1},
		{"w > 1/3 dominates early", &CPL{Om: 0.3, Or: 9e-5, W0: 0.5}, "no growing mode", math.Expm1(14)},
		{"no matter", &CPL{Om: 0, Or: 9e-5, W0: -1}, "no growing mode", math.Expm1(14)},
		{"negative matter", &CPL{Om: -0.1, Or: 9e-5, W0: -1}, "no growing mode", math.Expm1(14)},
		{"NaN parameter", &CPL{Om: nan, Or: 9e-5, W0: -1}, "non-finite", math.NaN()},
		{"Inf parameter", &CPL{Om: 0.3, Or: 9e-5, W0: -1, Wa: inf}, "", math.NaN()},
		{"NaN late", &nanAt{CPL{Om: 0.3, Or: 9e-5, W0: -1}, -0.5}, "non-finite", math.NaN()},
	} {
		err := ev.Eval(res, tc.bg)
		var ge *Error
		if !errors.As(err, &ge) {
			t.Errorf("%s: got %v, want *Error", tc.name, err)
			continue
		}
		t.Logf("%s: %v", tc.name, err)
		if !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "z = ") {
			t.Errorf("%s: message %q does not say %q and where", tc.name, err, tc.want)
		}
		if tc.z == -1 {
			tc.z = firstZero(tc.bg)
			if relDiff(ge.Z, tc.z) > 1e-9 {
				t.Errorf("%s: at z = %v, E² = 0 at z = %v", tc.name, ge.Z, tc.z)
			}
		}
		if !math.IsNaN(tc.z) && ge.Z != tc.z && relDiff(ge.Z, tc.z) > 1e-9 {
			t.Errorf("%s: at z = %v, want %v", tc.name, ge.Z, tc.z)
		}
	}
	if err := ev.Eval(res, nil); err == nil {
		t.Error("nil background accepted")
	}
	if err := ev.Eval(NewResult(3), &CPL{Om: 0.3, W0: -1}); err == nil {
		t.Error("a Result of the wrong size accepted")
	}
	for _, z := range [][]float64{{-0.1}, {nan}, {inf}, {1, 2e6}} {
		if _, err := NewEvaluator(z, nil); err == nil {
			t.Errorf("NewEvaluator accepted z = %v", z)
		}
	}
	for _, z := range [][]float64{{-0.1}, {nan}, {inf}} {
		if _, err := NewHeath(z); err == nil {
			t.Errorf("NewHeath accepted z = %v", z)
		}
	}
	for _, s := range []Settings{{StartN: 1}, {StartN: -60}, {RTol: -1}, {RTol: nan}} {
		if _, err := NewEvaluator(testZ, &s); err == nil {
			t.Errorf("NewEvaluator accepted %+v", s)
		}
	}

	h, err := NewHeath(testZ)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range [][2]float64{{0, 0}, {-0.1, 0}, {nan, 0}, {0.3, nan}, {inf, 0}, {0.05, -1.5}} {
		err := h.Eval(res, p[0], p[1])
		var ge *Error
		if !errors.As(err, &ge) {
			t.Errorf("Heath Ωm = %v, Ωk = %v: got %v, want *Error", p[0], p[1], err)
		}
	}
	if err := h.Eval(res, 0.05, -1.5); err == nil || !strings.Contains(err.Error(), "bounce") {
		t.Errorf("Heath bounce: %v", err)
	}
}

// Eval allocates nothing.
func TestNoAllocs(t *testing.T) {
	ev, err := NewEvaluator(testZ, nil)
	if err != nil {
		t.Fatal(err)
	}
	h, err := NewHeath(testZ)
	if err != nil {
		t.Fatal(err)
	}
	res := NewResult(len(testZ))
	bg := &CPL{Om: 0.31, Or: 9.1e-5, W0: -0.9, Wa: 0.1}
	if a := testing.AllocsPerRun(20, func() {
		if err := ev.Eval(res, bg); err != nil {
			t.Fatal(err)
		}
	}); a != 0 {
		t.Errorf("Evaluator.Eval allocates %v times", a)
	}
	if a := testing.AllocsPerRun(20, func() {
		if err := h.Eval(res, 0.3, 0.1); err != nil {
			t.Fatal(err)
		}
	}); a != 0 {
		t.Errorf("Heath.Eval allocates %v times", a)
	}
}

// The accuracy of the settings, over random points of every family with
// radiation, against RTol = 1e-12.
func TestAccuracyVsTolerance(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	tight, err := NewEvaluator(testZ, &Settings{RTol: 1e-12, ATol: 1e-14})
	if err != nil {
		t.Fatal(err)
	}
	ref, res := NewResult(len(testZ)), NewResult(len(testZ))
	for _, c := range []struct {
		set  *Settings
		want float64 // measured largest difference, with margin
	}{
		{nil, 1e-9}, // measured 4.6e-10
		{&Settings{RTol: 1e-7, ATol: 1e-9}, 1e-7}, // measured 5.3e-8
	} {
		ev, err := NewEvaluator(testZ, c.set)
		if err != nil {
			t.Fatal(err)
		}
		worst, worstD0 := 0.0, 0.0
		for range 100 {
			h := 0.6 + 0.2*rng.Float64()
			bg := &CPL{Om: 0.1 + 0.4*rng.Float64(), Or: 4.18e-5 / (h * h), W0: -1}
			switch rng.IntN(4) {
			case 1:
				bg.Ok = -0.3 + 0.6*rng.Float64()
			case 2:
				bg.W0 = -1.5 + rng.Float64()
			case 3:
				bg.W0 = -1.5 + rng.Float64()
				bg.Wa = -1.5 + 2*rng.Float64()
				if bg.W0+bg.Wa > -0.1 {
					bg.Wa = -0.1 - bg.W0
				}
			}
			if err := tight.Eval(ref, bg); err != nil {
				t.Fatal(err)
			}
			if err := ev.Eval(res, bg); err != nil {
				t.Fatal(err)
			}
			worst = math.Max(worst, maxRel(res, ref))
			worstD0 = math.Max(worstD0, relDiff(res.D0, ref.D0))
		}
		t.Logf("%+v: largest relative error %.2g in D/D0, f, fσ8/σ8,0; %.2g in D0", c.set, worst, worstD0)
		if worst > c.want || worstD0 > c.want {
			t.Errorf("%+v: error %.2g (D0 %.2g) > %g", c.set, worst, worstD0, c.want)
		}
	}
}
