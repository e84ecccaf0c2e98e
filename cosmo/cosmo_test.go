package cosmo

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func TestOmegaGamma(t *testing.T) {
	// astropy 5.2 (CODATA 2018 through cgs units) gives 2.472975328714089e-05.
	if d := math.Abs(OmegaGammaH2/2.472975328714089e-05 - 1); d > 1e-10 {
		t.Errorf("ω_γ = %.15g differs from astropy's by %.2e", OmegaGammaH2, d)
	}
	p := Params{Nnu: 3.046, H0: 70}
	// The reference points' Omega_r0 at h = 0.7.
	if d := math.Abs(p.OmegaR()/8.538168828261093e-05 - 1); d > 1e-10 {
		t.Errorf("Ω_r(h=0.7) = %.15g, want 8.538168828261093e-05", p.OmegaR())
	}
}

// TestEarlyFormulas checks r_d and z* at the Planck 2018 best fit against
// the independent reference values (backend/testdata/reference_points.json,
// ω_b = 0.02236, Ωm = 0.3153, H0 = 67.36).
func TestEarlyFormulas(t *testing.T) {
	h := 0.6736
	wm := 0.3153 * h * h
	if rd := DragHorizon(wm, 0.02236, 0); math.Abs(rd/146.90308696287187-1) > 1e-12 {
		t.Errorf("r_d = %.15g, want 146.90308696287187", rd)
	}
	if zs := Decoupling(wm, 0.02236); math.Abs(zs/1091.926787837712-1) > 1e-12 {
		t.Errorf("z* = %.15g, want 1091.926787837712", zs)
	}
}

func TestTransverseDistance(t *testing.T) {
	for _, ok := range []float64{-0.3, -0.01, -1e-9, 0, 1e-12, 0.05, 0.2, 0.9} {
		for _, dc := range []float64{1e-3, 0.1, 1, 2.5, 3.6} {
			var want float64
			switch s := math.Sqrt(math.Abs(ok)); {
			case ok > 0:
				want = math.Sinh(s*dc) / s
			case ok < 0:
				want = math.Sin(s*dc) / s
			default:
				want = dc
			}
			// The series is summed to rounding (measured 4e-16).
			if got := TransverseDistance(dc, ok); math.Abs(got/want-1) > 1e-15 {
				t.Errorf("TransverseDistance(%g, %g) = %.17g, want %.17g", dc, ok, got, want)
			}
		}
	}
}

func TestTails(t *testing.T) {
	// Compare the closed forms with midpoint sums in ln a.
	or, om, r := 9e-5, 0.3, 600.0
	ae := 1e-3
	var s, c, g float64
	const n = 200000
	la0, la1 := math.Log(ae)-30, math.Log(ae)
	h := (la1 - la0) / n
	for i := range n {
		a := math.Exp(la0 + (float64(i)+0.5)*h)
		a2e := math.Sqrt(or + om*a) // a²E
		c += h * a / a2e
		s += h * a / a2e / math.Sqrt(3*(1+r*a))
		g += h * a * a / a2e
	}
	for _, x := range [][3]float64{{SoundHorizonTail(ae, or, om, r), s, 0}, {ComovingTail(ae, or, om), c, 1}, {AgeTail(ae, or, om), g, 2}} {
		// The midpoint sums are good to about 3e-9.
		if math.Abs(x[0]/x[1]-1) > 1e-8 {
			t.Errorf("tail %v: closed form %.15g, quadrature %.15g", x[2], x[0], x[1])
		}
	}
}

func TestModels(t *testing.T) {
	if _, err := Lookup("lambdacdm"); err == nil || !strings.Contains(err.Error(), "known: lcdm, olcdm") {
		t.Errorf("Lookup of an unknown model: %v", err)
	}
	m, err := Lookup("w0wacdm")
	if err != nil || m != W0WaCDM {
		t.Fatal(m, err)
	}
	cases := []struct {
		m    *Model
		vals map[string]float64
		want string
	}{
		{LCDM, map[string]float64{"Om": 0.3}, "needs parameter H0"},
		{LCDM, map[string]float64{"Om": 0.3, "H0": 70, "w": -1}, `does not take parameter "w"`},
		{LCDM, map[string]float64{"Om": 0.3, "H0": 70, "Omega_m": 1}, `does not take parameter "Omega_m"`},
		{LCDM, map[string]float64{"Om": 0, "H0": 70}, "Om = 0"},
		{LCDM, map[string]float64{"Om": 0.3, "H0": -1}, "H0 = -1"},
		{WCDM, map[string]float64{"Om": 0.3, "H0": 70, "w": 0}, "w < 0"},
		{W0WaCDM, map[string]float64{"Om": 0.3, "H0": 70, "w0": -0.5, "wa": 0.5}, "w0 + wa < 0"},
		{Quintessence, map[string]float64{"Om": 0.99995, "H0": 70, "lambda": 1}, "no room for the scalar field"},
		{Quintessence, map[string]float64{"Om": 0.3, "H0": 70, "lambda": -1}, "lambda = -1"},
		{LCDM, map[string]float64{"Om": 0.3, "H0": 70, "ombh2": 0.2}, "baryons exceed"},
	}
	for _, c := range cases {
		_, err := c.m.NewParams(c.vals)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %v: error %v, want %q", c.m, c.vals, err, c.want)
		}
	}
	p, err := W0WaCDM.NewParams(map[string]float64{"Om": 0.3, "H0": 70, "w0": -0.9, "wa": -0.2, "ombh2": 0.0224})
	if err != nil || !p.HasOmbh2 || p.DE[0] != -0.9 || p.DE[1] != -0.2 {
		t.Fatal(p, err)
	}
	var pe *PointError
	if err := WCDM.Check(&Params{Nnu: 3.044, Om: 0.3, H0: 70, DE: Values{0.5}}); !errors.As(err, &pe) || pe.Param != "w" || pe.Model != "wcdm" {
		t.Errorf("Check: %v", err)
	}
}

func TestExpansion(t *testing.T) {
	for _, m := range Models()[:4] {
		p := Params{Nnu: 3.044, Om: 0.3, Ok: 0.1, DE: deValues(m, -0.8, -0.9, -0.5), H0: 70}
		e := m.Expansion(&p)
		if d := math.Abs(e.E2Z(0) - 1); d > 1e-15 {
			t.Errorf("%s: E²(0) = 1 + %g", m, d)
		}
		// a⁴E² at a = 1/(1+z) is E²/(1+z)⁴.
		z := 1.7
		a := 1 / (1 + z)
		if d := math.Abs(e.A4E2(a, math.Log(a))/(e.E2Z(z)*a*a*a*a) - 1); d > 1e-14 {
			t.Errorf("%s: A4E2 inconsistent with E2 by %g", m, d)
		}
	}
	e := W0WaCDM.Expansion(&Params{Nnu: 3.044, Om: 0.3, DE: Values{-0.9, -0.3}, H0: 70})
	if w := e.W(1); math.Abs(w-(-0.9-0.3*0.5)) > 1e-15 {
		t.Errorf("w(z=1) = %v", w)
	}
	// A closed universe with little matter stops expanding in the past.
	c := OLCDM.Expansion(&Params{Nnu: 3.044, Om: 0.02, Ok: -0.6, H0: 70})
	if err := c.CheckPositive("olcdm", 3); err == nil || !strings.Contains(err.Error(), "E²(z)") {
		t.Errorf("CheckPositive: %v", err)
	}
	if err := c.CheckPositive("olcdm", 0.1); err != nil {
		t.Errorf("CheckPositive to z = 0.1: %v", err)
	}
}

func TestParseAssignments(t *testing.T) {
	m, err := ParseAssignments(" Om=0.3, H0 = 70 ")
	if err != nil || m["Om"] != 0.3 || m["H0"] != 70 {
		t.Fatal(m, err)
	}
	for _, bad := range []string{"Om", "Om=x", "Om=NaN", "Om=1,Om=2", "=3", "Om=Inf"} {
		if _, err := ParseAssignments(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// TestDecoupling checks the exponentials of Decoupling against the
// formula of Hu & Sugiyama written with math.Pow: within 2 ulp (measured
// 4.4e-16).
func TestDecoupling(t *testing.T) {
	pow := func(wm, wb float64) float64 {
		g1 := 0.0783 * math.Pow(wb, -0.238) / (1 + 39.5*math.Pow(wb, 0.763))
		g2 := 0.560 / (1 + 21.1*math.Pow(wb, 1.81))
		return 1048 * (1 + 0.00124*math.Pow(wb, -0.738)) * (1 + g1*math.Pow(wm, g2))
	}
	worst := 0.0
	for i := range 10000 {
		wm := 0.01 + 0.5*float64(i%100)/99
		wb := 0.005 + 0.05*float64(i/100)/99
		worst = math.Max(worst, math.Abs(Decoupling(wm, wb)/pow(wm, wb)-1))
	}
	if worst > 1e-15 {
		t.Errorf("largest relative difference %.2e", worst)
	}
}

func BenchmarkDecoupling(b *testing.B) {
	s := 0.0
	for i := range b.N {
		s += Decoupling(0.14+1e-6*float64(i&1023), 0.0224)
	}
	_ = s
}

// TestE2Values: the loop with the dark energy decided once equals E2
// within 2e-15 (measured 1.1e-15, w0wacdm's exponent rounding differently).
func TestE2Values(t *testing.T) {
	var s, x, c []float64
	for z := 0.0; z <= 3; z += 0.05 {
		s, x, c = append(s, 1+z), append(x, math.Log1p(z)), append(c, z/(1+z))
	}
	dst, cached := make([]float64, len(s)), make([]float64, len(s))
	var md MassiveDensities
	worst := 0.0
	for i := range 50 {
		f := float64(i) / 49
		for _, m := range Models()[:4] {
			// Σmν and N_eff repeat and change, so that the cache both
			// answers and is refilled.
			mnu := []float64{0, 0.06, 0.06, 0.3, 0.06}[i%5]
			p := Params{Nnu: 3.044 + float64(i/25), Mnu: mnu, Om: 0.05 + 0.6*f, Ok: -0.2 + 0.4*f, DE: deValues(m, -1.8+1.7*f, -1.5+f, -2+1.4*f), H0: 55 + 30*f}
			e := m.Expansion(&p)
			e.E2Values(dst, s, x, c, new(MassiveDensities)) // computed afresh
			e.E2Values(cached, s, x, c, &md)
			for j := range s {
				worst = math.Max(worst, math.Abs(dst[j]/e.E2(s[j], x[j])-1))
				if cached[j] != dst[j] {
					t.Fatalf("%s at %+v, z = %g: E² %v with the cache, %v without", m.Name(), p, s[j]-1, cached[j], dst[j])
				}
			}
		}
	}
	if worst > 2e-15 {
		t.Errorf("largest relative difference %.1e", worst)
	}
}

// deValues returns the dark-energy values of the built-in model m from w
// (wcdm) or w0, wa (w0wacdm).
func deValues(m *Model, w, w0, wa float64) Values {
	switch len(m.DEParams()) {
	case 1:
		return Values{w}
	case 2:
		return Values{w0, wa}
	}
	return Values{}
}

// TestGrowthBoxesChecked: a model's growth boxes name its parameters and
// lie inside their emulator boxes.
func TestGrowthBoxesChecked(t *testing.T) {
	for _, c := range []struct {
		boxes map[string][2]float64
		want  string
	}{
		{map[string][2]float64{"w": {-1, -0.5}}, `growth box of model lcdm2 does not take parameter "w"`},
		{map[string][2]float64{NameOm: {0.01, 0.5}}, "growth box [0.01, 0.5] of Om is not inside its emulator box [0.05, 0.7]"},
		{map[string][2]float64{NameMnu: {0.3, 0.3}}, "growth box [0.3, 0.3] of mnu"},
	} {
		_, err := NewModel(ModelSpec{Name: "lcdm2", DarkEnergy: Lambda{}, GrowthBoxes: c.boxes})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want %q", c.boxes, err, c.want)
		}
	}
	b := W0WaCDM.GrowthBoxes()
	b[NameOm] = [2]float64{0, 1}
	if W0WaCDM.GrowthBoxes()[NameOm] != [2]float64{0.2, 0.5} {
		t.Error("GrowthBoxes returns the model's own map")
	}
}
