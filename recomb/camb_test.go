package recomb

import (
	"math"
	"slices"
	"testing"
)

// TestBackgroundMatchesCAMB checks the test's own H(z) against CAMB's H, D_M
// and massive-neutrino density at the JSON's nine redshifts, so that the
// remaining differences in TestCAMBPoints are in the thermal history.
func TestBackgroundMatchesCAMB(t *testing.T) {
	pts := loadCAMBPoints(t)
	worstH, worstD, worstNu, worstNuRec := 0.0, 0.0, 0.0, 0.0
	for i := range pts {
		p := &pts[i]
		b := newBackground(p)
		if d := math.Abs(b.omDE/p.OmegaDE - 1); d > 1e-9 {
			t.Errorf("%s: Ω_DE = %.12g, CAMB %.12g", p.Name, b.omDE, p.OmegaDE)
		}
		for _, r := range p.AtZ {
			worstH = math.Max(worstH, math.Abs(b.Hubble(r.Z)/r.H-1))
			worstD = math.Max(worstD, math.Abs(b.dM(r.Z)/r.DM-1))
			if p.Omnuh2 > 0 {
				d := math.Abs(b.rhoNu(1/(1+r.Z))/r.RhoNu - 1)
				if r.Z > 100 {
					worstNuRec = math.Max(worstNuRec, d)
				} else {
					worstNu = math.Max(worstNu, d)
				}
			}
		}
	}
	t.Logf("max |ΔH/H| %.2e, |ΔD_M/D_M| %.2e, |Δρ_ν/ρ_ν| %.2e (z ≤ 2.33), %.2e (z = 1090)", worstH, worstD, worstNu, worstNuRec)
	// Measured: 3.9e-7, 2.0e-9, 2.2e-9, 2.1e-5 (CAMB 2.0.3's fit to ρ_ν is
	// good to 2.4e-5 at a·m/T_ν between 0.42 and 70).
	if worstH > 1e-6 || worstD > 1e-8 || worstNu > 1e-8 || worstNuRec > 3e-5 {
		t.Errorf("the test background differs from CAMB's")
	}
}

// cambResult holds the differences to CAMB at one point.
type cambResult struct {
	name                                   string
	yHe, zStar, zDrag, rStar, rDrag, theta float64
}

func compareCAMB(t *testing.T, s *Settings) []cambResult {
	t.Helper()
	pts := loadCAMBPoints(t)
	var h History
	var out []cambResult
	for i := range pts {
		p := &pts[i]
		b := newBackground(p)
		c := Cosmology{OmegaBH2: p.Inputs.Ombh2, TCMB: p.TCMB, NEff: p.Inputs.Nnu, Hubble: b.Hubble}
		if err := Solve(&h, &c, s); err != nil {
			t.Fatalf("%s: %v", p.Name, err)
		}
		e := h.Epochs()
		d := p.Derived
		theta, err := e.ThetaStar(b.dM(e.ZStar))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, cambResult{
			name:  p.Name,
			yHe:   h.YHe() - p.YHe,
			zStar: e.ZStar/d.ZStar - 1,
			zDrag: e.ZDrag/d.ZDrag - 1,
			rStar: e.RStar/d.RStar - 1,
			rDrag: e.RDrag/d.RDrag - 1,
			theta: 100*theta/d.ThetaStar - 1,
		})
	}
	return out
}

func maxMedian(rs []cambResult, f func(cambResult) float64) (mx, med float64) {
	v := make([]float64, len(rs))
	for i, r := range rs {
		v[i] = math.Abs(f(r))
	}
	slices.Sort(v)
	return v[len(v)-1], 0.5 * (v[(len(v)-1)/2] + v[len(v)/2])
}

// TestCAMBPoints compares Y_He, z*, z_drag, r_*, r_drag and 100θ* with
// CAMB 2.0.3 at the 14 points of camb_points.json, with the default
// settings.
func TestCAMBPoints(t *testing.T) {
	rs := compareCAMB(t, nil)
	for _, r := range rs {
		t.Logf("%-20s ΔY_He %+.1e  z* %+.2e  z_drag %+.2e  r* %+.2e  r_drag %+.2e  100θ* %+.2e",
			r.name, r.yHe, r.zStar, r.zDrag, r.rStar, r.rDrag, r.theta)
	}
	// Limits near the measured maxima (in the comments; median in
	// parentheses). Y_He is the same interpolation as CAMB's; r* includes
	// the part of the integral below a = 1e-9 that CAMB's sound_horizon
	// leaves out, 1.9e-6 of r*.
	checkCAMB(t, rs, [6]float64{
		1e-15,  // Y_He, absolute: 1.1e-16 (0)
		2.5e-6, // z*: 1.86e-6 (1.40e-6)
		4e-6,   // z_drag: 3.02e-6 (1.46e-6)
		1.5e-6, // r*: 1.05e-6 (9.8e-7)
		1.5e-6, // r_drag: 1.01e-6 (8.6e-7)
		1.5e-6, // 100θ*: 1.03e-6 (9.6e-7)
	})
}

// TestCAMBPointsTight repeats TestCAMBPoints with RTol = 1e-7, where the
// integration error is far below the differences to CAMB: what remains is
// CAMB's own numerical accuracy (RECFAST on a grid of 2046 redshifts with a
// Rosenbrock tolerance of 3e-4 at early times; z* and z_drag by bisection
// to |τ − 1| < 1e-3 and 2e-3 with linear interpolation).
func TestCAMBPointsTight(t *testing.T) {
	rs := compareCAMB(t, &Settings{RTol: 1e-7})
	checkCAMB(t, rs, [6]float64{
		1e-15,  // Y_He: 1.1e-16 (0)
		1.5e-6, // z*: 1.16e-6 (6.9e-7)
		3e-6,   // z_drag: 2.40e-6 (8.4e-7)
		2e-6,   // r*: 1.52e-6 (1.44e-6)
		2e-6,   // r_drag: 1.45e-6 (1.27e-6)
		2e-6,   // 100θ*: 1.52e-6 (1.43e-6)
	})
}

func checkCAMB(t *testing.T, rs []cambResult, limits [6]float64) {
	t.Helper()
	names := [6]string{"Y_He (absolute)", "z*", "z_drag", "r*", "r_drag", "100θ*"}
	fs := [6]func(cambResult) float64{
		func(r cambResult) float64 { return r.yHe },
		func(r cambResult) float64 { return r.zStar },
		func(r cambResult) float64 { return r.zDrag },
		func(r cambResult) float64 { return r.rStar },
		func(r cambResult) float64 { return r.rDrag },
		func(r cambResult) float64 { return r.theta },
	}
	for k := range names {
		mx, med := maxMedian(rs, fs[k])
		t.Logf("%-16s max %.2e  median %.2e", names[k], mx, med)
		if mx > limits[k] {
			t.Errorf("%s: max difference to CAMB %.2e > %.1e", names[k], mx, limits[k])
		}
	}
}
