package recomb

import (
	"errors"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/gonum/integrate/quad"
)

// planck18 is the first CAMB point's cosmology with a cheap H(z).
func planck18() Cosmology {
	return Cosmology{OmegaBH2: 0.02237, NEff: 3.046, Hubble: lcdmMassless(67.36, 0.02237, 0.12)}
}

// TestHeliumBBNTable checks the interpolation at the table's nodes (where it
// must return the table's Y_p^BBN, converted) and its range.
func TestHeliumBBNTable(t *testing.T) {
	b, err := os.ReadFile(sharedFile(t, "bbn/PRIMAT_Yp_DH_ErrorMC_2024.dat"))
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != string(primatTable) {
		t.Fatal("the embedded PRIMAT table differs from shared/data/bbn")
	}
	worst := 0.0
	rows := 0
	for line := range strings.SplitSeq(string(primatTable), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		ob, _ := strconv.ParseFloat(f[0], 64)
		dn, _ := strconv.ParseFloat(f[2], 64)
		yp, _ := strconv.ParseFloat(f[4], 64)
		y, err := HeliumBBN(ob, NEffStandard+dn)
		if err != nil {
			t.Fatalf("ω_b %v ΔN %v: %v", ob, dn, err)
		}
		worst = math.Max(worst, math.Abs(y-ypToYHe(yp)))
		rows++
	}
	if rows != 52*25 || worst > 1e-15 { // measured 5.6e-17
		t.Errorf("%d rows; at the nodes |ΔY_He| ≤ %.1e", rows, worst)
	}
	// Y_p^BBN = 4 n_He/n_b exceeds the mass fraction by the binding energy.
	y, _ := HeliumBBN(0.0224, 3.044)
	if !(y > 0.244 && y < 0.247) {
		t.Errorf("Y_He(0.0224, 3.044) = %v", y)
	}
	obMin, obMax, nMin, nMax := BBNRange()
	if obMin != 0.005 || obMax != 0.04 || math.Abs(nMin-0.044) > 1e-12 || math.Abs(nMax-10.044) > 1e-12 {
		t.Errorf("BBNRange = %v %v %v %v", obMin, obMax, nMin, nMax)
	}
	for _, c := range []struct {
		ob, n float64
		param string
	}{
		{0.0049, 3.044, "OmegaBH2"}, {0.0401, 3.044, "OmegaBH2"}, {math.NaN(), 3.044, "OmegaBH2"},
		{0.0224, 0.04, "NEff"}, {0.0224, 10.05, "NEff"}, {0.0224, math.Inf(1), "NEff"},
	} {
		_, err := HeliumBBN(c.ob, c.n)
		var pe *ParamError
		if !errors.As(err, &pe) || pe.Param != c.param {
			t.Errorf("HeliumBBN(%v, %v): %v, want a ParamError for %s", c.ob, c.n, err, c.param)
		}
	}
	if _, err := HeliumBBN(0.005, 0.044); err != nil {
		t.Errorf("corner of the table: %v", err)
	}
}

// TestXeQualitative checks the shape of the history.
func TestXeQualitative(t *testing.T) {
	var h History
	c := planck18()
	if err := Solve(&h, &c, nil); err != nil {
		t.Fatal(err)
	}
	f := h.FHe()
	yhe := h.YHe()
	if math.Abs(f-yhe/(notHe4*(1-yhe))) > 1e-15 {
		t.Errorf("f_He = %v", f)
	}
	check := func(what string, got, lo, hi float64) {
		t.Helper()
		if !(got >= lo && got <= hi) {
			t.Errorf("%s = %.6g, want in [%g, %g]", what, got, lo, hi)
		}
	}
	check("x_e(9000) (all ionized)", h.Xe(9000), 1+2*f-1e-12, 1+2*f+1e-12)
	check("x_e(4000) (He singly ionized)", h.Xe(4000), 1+f-1e-12, 1+f+1e-12)
	check("1+f_He", 1+f, 1.080, 1.083)
	check("x_e(2500) (He recombining)", h.Xe(2500), 1.05, 1+f)
	check("x_e(1500) (He neutral, H recombining)", h.Xe(1500), 0.9, 1)
	check("x_e(z*)", h.Xe(h.Epochs().ZStar), 0.1, 0.2)
	check("x_e(0) (freeze-out)", h.Xe(0), 1.5e-4, 2.5e-4)
	check("T_m/T_R at z = 1000", h.Tm(1000)/(TCMBDefault*1001), 0.9999, 1)
	check("T_m at z = 0 (adiabatic since z ≈ 150)", h.Tm(0), 0.01, 0.05)
	check("τ(z*)", h.OpticalDepth(h.Epochs().ZStar), 1-1e-9, 1+1e-9)
	check("τ_d(z_drag)", h.DragDepth(h.Epochs().ZDrag), 1-1e-9, 1+1e-9)
	check("z* − z_drag", h.Epochs().ZStar-h.Epochs().ZDrag, 20, 40)
	// x_e falls monotonically below z = 1800, and T_m/T_R too.
	prev, prevT := h.Xe(1800), 1.0
	for z := 1799.0; z >= 0; z-- {
		x, tr := h.Xe(z), h.Tm(z)/(TCMBDefault*(1+z))
		if !(x < prev) || !(tr <= prevT+1e-12) {
			t.Fatalf("not monotonic at z = %v: x_e %v after %v, T_m/T_R %v after %v", z, x, prev, tr, prevT)
		}
		prev, prevT = x, tr
	}
	// Outside the domain.
	if !math.IsNaN(h.Xe(-1)) || !math.IsNaN(h.OpticalDepth(1e5)) || !math.IsNaN(h.SoundHorizon(-0.5)) {
		t.Error("no NaN outside the domain")
	}
	t.Logf("Y_He %.5f, x_e: %.5f (z=4000) %.5f (2500) %.5f (1500) %.5f (z*) %.3e (0); T_m(0) = %.4f K",
		yhe, h.Xe(4000), h.Xe(2500), h.Xe(1500), h.Xe(h.Epochs().ZStar), h.Xe(0), h.Tm(0))
}

// TestConvergence checks that tighter tolerances converge: the differences
// to a solution at RTol = 1e-10 fall with RTol, and are small at the default.
func TestConvergence(t *testing.T) {
	c := planck18()
	var ref, h History
	if err := Solve(&ref, &c, &Settings{RTol: 1e-10}); err != nil { // the tightest allowed
		t.Fatal(err)
	}
	re := ref.Epochs()
	prevZ, prevX := math.Inf(1), math.Inf(1)
	for _, rt := range []struct {
		rtol       float64
		zMax, xMax float64 // limits near the measured maxima (comments)
	}{
		{1e-3, 3e-5, 1e-2},   // 1.7e-5, 5.6e-3
		{1e-4, 1.5e-6, 1e-3}, // 6.9e-7, 5.6e-4
		{1e-5, 1e-7, 1e-4},   // 3.1e-8, 4.2e-5
		{1e-6, 1e-8, 1e-5},   // 1.6e-9, 6.1e-6
	} {
		if err := Solve(&h, &c, &Settings{RTol: rt.rtol}); err != nil {
			t.Fatal(err)
		}
		e := h.Epochs()
		dz := math.Max(math.Abs(e.ZStar/re.ZStar-1), math.Abs(e.ZDrag/re.ZDrag-1))
		dz = math.Max(dz, math.Max(math.Abs(e.RStar/re.RStar-1), math.Abs(e.RDrag/re.RDrag-1)))
		dx := 0.0
		for z := 0.0; z < 2900; z += 0.37 {
			dx = math.Max(dx, math.Abs(h.Xe(z)/ref.Xe(z)-1))
		}
		t.Logf("RTol %g: %4d steps, epochs %.1e, x_e %.1e", rt.rtol, h.Stats().Steps, dz, dx)
		if dz > rt.zMax || dx > rt.xMax || !(dz < prevZ) || !(dx < prevX) {
			t.Errorf("RTol %g: epochs differ by %.2e (limit %.0e), x_e by %.2e (limit %.0e)", rt.rtol, dz, rt.zMax, dx, rt.xMax)
		}
		prevZ, prevX = dz, dx
	}
}

// TestFudgeChoice checks that CAMB 2.0.3 is matched by its default
// (CosmoRec) parameters and not by RECFAST 1.5.2's: z* moves by 2e-5.
func TestFudgeChoice(t *testing.T) {
	pts := loadCAMBPoints(t)
	p := &pts[0]
	b := newBackground(p)
	c := Cosmology{OmegaBH2: p.Inputs.Ombh2, TCMB: p.TCMB, NEff: p.Inputs.Nnu, Hubble: b.Hubble}
	var h History
	for _, f := range []struct {
		name   string
		fudge  *Fudge
		lo, hi float64
	}{
		{"default", nil, 0, 3e-6},
		{"CosmoRec", &FudgeCosmoRec, 0, 3e-6},
		{"Planck", &FudgePlanck, 1.5e-5, 3e-5}, // measured 2.2e-5
	} {
		if err := Solve(&h, &c, &Settings{Fudge: f.fudge}); err != nil {
			t.Fatal(err)
		}
		d := math.Abs(h.Epochs().ZStar/p.Derived.ZStar - 1)
		t.Logf("%-8s z* − CAMB: %.2e", f.name, d)
		if d < f.lo || d > f.hi {
			t.Errorf("%s: |Δz*/z*| = %.2e, want in [%g, %g]", f.name, d, f.lo, f.hi)
		}
	}
}

// TestTCMB checks the CMB temperature: recombination happens at a
// temperature, so with the same H(z) a hotter CMB recombines at a lower
// redshift, 1+z* ≈ (2.7255 K/T_CMB)(1+z*(2.7255 K)).
func TestTCMB(t *testing.T) {
	c := planck18()
	var a, b History
	if err := Solve(&a, &c, nil); err != nil {
		t.Fatal(err)
	}
	c.TCMB = 2.8
	if err := Solve(&b, &c, nil); err != nil {
		t.Fatal(err)
	}
	want := (1+a.Epochs().ZStar)*TCMBDefault/2.8 - 1
	if d := b.Epochs().ZStar/want - 1; math.Abs(d) > 0.01 {
		t.Errorf("z*(2.8 K) = %v, want ≈ %v", b.Epochs().ZStar, want)
	}
}

// TestSoundHorizonQuadrature checks the 32-point Gauss–Legendre rule of
// the sound horizon against a 4×64-point rule on split intervals, and
// shows the size of the part below a = 1e-9 that CAMB omits.
func TestSoundHorizonQuadrature(t *testing.T) {
	pts := loadCAMBPoints(t)
	var h History
	for _, i := range []int{0, 3, 5} { // massive neutrinos of 0.06 and 0.3 eV, N_eff = 3.5
		p := &pts[i]
		b := newBackground(p)
		c := Cosmology{OmegaBH2: p.Inputs.Ombh2, TCMB: p.TCMB, NEff: p.Inputs.Nnu, Hubble: b.Hubble}
		if err := Solve(&h, &c, nil); err != nil {
			t.Fatal(err)
		}
		e := h.Epochs()
		aStar := 1 / (1 + e.ZStar)
		x, w := make([]float64, 64), make([]float64, 64)
		ref, tiny := 0.0, 0.0
		edges := []float64{0, 1e-9, 1e-6, 1e-4, aStar}
		for k := range 4 {
			quad.Legendre{}.FixedLocations(x, w, edges[k], edges[k+1])
			s := 0.0
			for i, a := range x {
				s += w[i] * cKmS / (a * a * b.Hubble(1/a-1)) / math.Sqrt(3*(1+h.m.r0*a))
			}
			ref += s
			if k == 0 {
				tiny = s
			}
		}
		d := math.Abs(e.RStar/ref - 1)
		t.Logf("%s: r* %.10f, reference %.10f (%.1e); a < 1e-9 gives %.2e of r*", p.Name, e.RStar, ref, d, tiny/ref)
		if d > 1e-11 { // measured 3e-14
			t.Errorf("%s: r* = %v, reference %v", p.Name, e.RStar, ref)
		}
		if sh := h.SoundHorizon(e.ZStar); math.Abs(sh/e.RStar-1) > 1e-14 {
			t.Errorf("SoundHorizon(z*) = %v, RStar %v", sh, e.RStar)
		}
	}
}

// rosTest is a nonlinear, non-autonomous system with a quadrature
// component: y₀' = −y₀ + cos t·y₀² + y₁, y₁' = −k(y₁ − sin t) + cos t
// (stiff for large k, with the smooth solution y₁ = sin t), y₃' = y₀².
type rosTest struct{ k float64 }

func (r rosTest) rhs(dst *[nState]float64, t float64, y *[nState]float64) {
	*dst = [nState]float64{}
	dst[0] = -y[0] + math.Cos(t)*y[0]*y[0] + y[1]
	dst[1] = -r.k*(y[1]-math.Sin(t)) + math.Cos(t)
	dst[3] = y[0] * y[0]
}

func (rosTest) jacobian(*[nState][nState]float64, *[nState]float64, int, float64, *[nState]float64, *[nState]float64) bool {
	return false
}

// rosIntegrate takes n fixed steps of ROS4 from t = 0 to 2.
func rosIntegrate(k float64, n int) [nState]float64 {
	var s rosStepper
	s.sys, s.nc = rosTest{k}, 2
	y := [nState]float64{0.5, 0}
	var f0, yNew, yErr [nState]float64
	floor := [nState]float64{1, 1, 1, 1, 1}
	h := 2.0 / float64(n)
	for i := range n {
		t := float64(i) * h
		s.sys.rhs(&f0, t, &y)
		s.jacobian(t, &y, &f0, &floor)
		s.step(t, h, &y, &f0, &yNew, &yErr)
		y = yNew
	}
	return y
}

// TestRosenbrockOrder checks the coefficients of ROS4: the error falls as
// h⁴, on a non-stiff system and on a very stiff one (k = 10⁴, where a
// Rosenbrock method keeps its order on the smooth solution; in between,
// for k h ≈ 1–10, the order drops as for any method that is not stiffly
// accurate).
func TestRosenbrockOrder(t *testing.T) {
	for _, k := range []float64{1, 1e4} {
		ref := rosIntegrate(k, 20000)
		prev := 0.0
		for i, n := range []int{20, 40, 80, 160} {
			y := rosIntegrate(k, n)
			e := math.Max(math.Abs(y[0]-ref[0]), math.Abs(y[3]-ref[3]))
			if i > 0 {
				order := math.Log2(prev / e)
				t.Logf("k = %g, h = 2/%d: error %.2e, observed order %.2f", k, n, e, order)
				if order < 3.7 || order > 4.3 { // measured 3.83–3.94
					t.Errorf("k = %g: observed order %.2f, want 4", k, order)
				}
			}
			prev = e
		}
	}
}

// TestNoAllocations checks that a History that has been used allocates
// nothing on the next Solve.
func TestNoAllocations(t *testing.T) {
	c := planck18()
	var h History
	if err := Solve(&h, &c, nil); err != nil {
		t.Fatal(err)
	}
	c.OmegaBH2 = 0.0225
	if n := testing.AllocsPerRun(20, func() {
		if err := Solve(&h, &c, nil); err != nil {
			t.Fatal(err)
		}
	}); n != 0 {
		t.Errorf("Solve allocates %v times", n)
	}
}

// TestSmoothInParameters checks that the epochs are smooth functions of
// the parameters, as emulators need: the adaptive steps change with the
// parameters, but the jumps that this causes are far below the accuracy
// targets. The fourth differences over a fine scan of ω_b measure them.
func TestSmoothInParameters(t *testing.T) {
	var h History
	const n = 201
	var v [3][n]float64
	for i := range n {
		ob := 0.019 + 0.007*float64(i)/(n-1)
		c := Cosmology{OmegaBH2: ob, NEff: 3.046, Hubble: lcdmMassless(67.36, ob, 0.12)}
		if err := Solve(&h, &c, nil); err != nil {
			t.Fatal(err)
		}
		e := h.Epochs()
		v[0][i], v[1][i], v[2][i] = e.ZStar, e.ZDrag, e.RStar
	}
	for k, name := range []string{"z*", "z_drag", "r*"} {
		w := 0.0
		for i := 2; i < n-2; i++ {
			d4 := v[k][i-2] - 4*v[k][i-1] + 6*v[k][i] - 4*v[k][i+1] + v[k][i+2]
			w = math.Max(w, math.Abs(d4)/v[k][i])
		}
		t.Logf("%-6s max |Δ⁴|/value over ω_b ∈ [0.019, 0.026]: %.1e", name, w)
		if w > 5e-7 { // measured 1.0e-7, 4.4e-8, 6.5e-8
			t.Errorf("%s is not smooth in ω_b: fourth differences %.1e", name, w)
		}
	}
}

// TestAnalyticJacobian checks the analytic Jacobian and ∂f/∂N of the
// equations after helium recombination against central differences.
func TestAnalyticJacobian(t *testing.T) {
	pts := loadCAMBPoints(t)
	p := &pts[3] // Σm_ν = 0.3 eV
	b := newBackground(p)
	c := Cosmology{OmegaBH2: p.Inputs.Ombh2, TCMB: p.TCMB, NEff: p.Inputs.Nnu, Hubble: b.Hubble}
	var h History
	if err := Solve(&h, &c, nil); err != nil {
		t.Fatal(err)
	}
	m := &h.m
	worst := 0.0
	for _, z := range []float64{1500, 1300, 1100, 900, 600, 300, 100, 10, 0.5} {
		n := -math.Log1p(z)
		y := h.ys[h.segment(n)]
		var f0, fp, fm [nState]float64
		var jac [nState][nState]float64
		var ft [nState]float64
		m.rhs(&f0, n, &y)
		if !m.jacobian(&jac, &ft, 2, n, &y, &f0) {
			t.Fatal("no analytic Jacobian after helium recombination")
		}
		for j := range 3 { // x_H, T_m/T_R, then N
			d := 1e-6 * math.Max(math.Abs(y[j]), 1e-3)
			if j == 2 {
				d = 1e-6
			}
			yp, ym := y, y
			np, nm := n, n
			if j < 2 {
				yp[j] += d
				ym[j] -= d
			} else {
				np, nm = n+d, n-d
			}
			m.rhs(&fp, np, &yp)
			m.rhs(&fm, nm, &ym)
			for i := range nState {
				num := (fp[i] - fm[i]) / (2 * d)
				an := ft[i]
				if j < 2 {
					an = jac[i][j]
				}
				scale := math.Abs(num) + 1e-12*math.Abs(f0[i])/d
				if e := math.Abs(an-num) / math.Max(scale, 1e-300); an != num && e > worst {
					worst = e
				}
				if math.Abs(an-num) > 1e-5*math.Abs(num)+1e-9*math.Abs(f0[i])/d {
					t.Errorf("z %g: ∂f_%d/∂%d analytic %.10e, numeric %.10e", z, i, j, an, num)
				}
			}
		}
	}
	t.Logf("largest relative difference %.1e", worst)
}
