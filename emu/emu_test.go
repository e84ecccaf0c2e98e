package emu

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/cosmoemu/cosmoemu/backend"
	"github.com/cosmoemu/cosmoemu/cosmo"
	"github.com/cosmoemu/cosmoemu/solver"
)

func defaultOf(t testing.TB, m *cosmo.Model) *Emulator {
	t.Helper()
	e, err := Default(m.Name())
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// The series of transverse matches sinh and sin.
func TestTransverse(t *testing.T) {
	for _, ok := range []float64{-0.3, -0.01, 1e-9, 0.05, 0.3} {
		for _, dc := range []float64{1e-3, 0.1, 1, 2.5, 3.6} {
			got, want := transverse(dc, ok), cosmo.TransverseDistance(dc, ok)
			if d := math.Abs(got/want - 1); d > 4e-16 {
				t.Errorf("Ωk = %g, D_C = %g: %.17g, want %.17g (%.1e)", ok, dc, got, want, d)
			}
		}
	}
}

// The closed-form early-universe integrals and age tail of the emulator
// match the solver at a tight tolerance, also where the networks do not
// answer (early dark energy, near-loitering curvature). (The analytic
// backend's r_s, by Gauss–Legendre in a, is 1.7e-7 off for w → 0, where
// the dark-energy term a^{1−3w} is not smooth at a = 0.)
func TestClosedFormEarly(t *testing.T) {
	jT, jW := gaussLegendre(nodesJ)
	rsT, rsW := gaussLegendre(nodesRs)
	rsLn := logs(rsT)
	ageT, ageW := gaussLegendre(nodesAge)
	ev := &Evaluator{ageT: ageT, ageW: ageW, ageLn: logs(ageT)}
	cases := []struct {
		m *cosmo.Model
		p cosmo.Params
	}{
		{cosmo.LCDM, cosmo.Params{Om: 0.05, H0: 50}},
		{cosmo.OLCDM, cosmo.Params{Om: 0.07, Ok: -0.3, H0: 90}},
		{cosmo.OLCDM, cosmo.Params{Om: 0.05, Ok: 0.3, H0: 60}},
		{cosmo.WCDM, cosmo.Params{Om: 0.05, W: -0.01, H0: 70}},
		{cosmo.WCDM, cosmo.Params{Om: 0.7, W: -2, H0: 70}},
		{cosmo.W0WaCDM, cosmo.Params{Om: 0.05, W0: -0.1, Wa: 0.09, H0: 80}},
		{cosmo.W0WaCDM, cosmo.Params{Om: 0.05, W0: -2, Wa: 1.99, H0: 50}},
		{cosmo.W0WaCDM, cosmo.Params{Om: 0.3, W0: 0, Wa: -3, H0: 70}},
	}
	for _, c := range cases {
		p := c.p
		h := p.H()
		p.Ombh2, p.HasOmbh2 = math.Min(0.022, 0.8*p.Om*h*h), true
		zs := cosmo.Decoupling(p.Om*h*h, p.Ombh2)
		req := cosmo.Request{Z: []float64{ZSplit, zs}, Distances: true, CMB: true, Age: true}
		tight := &solver.Settings{RTol: 1e-11, ATol: 1e-11}
		an, err := backend.Solver{Settings: tight}.NewEvaluator(c.m, req)
		if err != nil {
			t.Fatal(err)
		}
		res := cosmo.NewResult(req)
		if err := an.Eval(res, &p); err != nil {
			t.Fatal(err)
		}
		ex := c.m.Expansion(&p)
		rs, j := closedEarly(&ex, 1/(1+zs), cosmo.BaryonPhotonRatio(p.Ombh2), jT, jW, rsT, rsW, rsLn)
		dH := cosmo.HubbleDistance(p.H0)
		wantJ := (res.DC[1] - res.DC[0]) / dH
		tail := ev.ageTail(&ex)
		wantTail := (res.Age - res.Lookback[0]) * p.H0 / cosmo.GyrPerInvH0
		// Measured: below 1.5e-9; the solver at 1e-11 is good to 3e-10.
		for _, q := range []struct {
			name      string
			got, want float64
		}{{"r_s", rs * dH, res.RsStar}, {"J", j, wantJ}, {"age tail", tail, wantTail}} {
			if d := math.Abs(q.got/q.want - 1); d > 3e-9 {
				t.Errorf("%s %+v: %s = %.12g, analytic %.12g (%.1e)", c.m.Name(), p, q.name, q.got, q.want, d)
			} else if testing.Verbose() {
				t.Logf("%s %s: %.1e", c.m.Name(), q.name, d)
			}
		}
	}
}

// Each default emulator meets the accuracy of the issue against the solver
// at random points of its domain: the limits are the maxima measured over
// 1000 points (seed 7, not the seed of the validation stored in the file)
// with a margin of 1.3–5, and never above the issue's: 1e-5 for the
// relative errors of H, D_M, D_H, D_V, D_L, r_s(z*), D_M(z*); 2e-5 mag for
// μ; 3e-3 for l_A; 1e-5 for R. (H stands for H, D_M, D_H, D_V, D_L.)
func TestAccuracy(t *testing.T) {
	type lim struct{ late, mu, rs, dmStar, lA, r float64 }
	limits := map[string]lim{
		// Measured maxima in the comments. The late time of the
		// closed-form models is the closed form on Chebyshev panels; the
		// solver itself is good to 3e-9 (3e-8 for r_s).
		"lcdm":         {1e-8, 2e-8, 1e-7, 1e-8, 3e-5, 1e-8},   // 2.0e-9, 4.4e-9, 2.6e-8, 2.3e-9, 8.2e-6, 3.2e-9
		"olcdm":        {3e-8, 3e-8, 3e-6, 3e-6, 2e-3, 2e-6},   // 8.6e-9, 7.9e-9, 1.0e-6, 1.5e-6, 8.1e-4, 7.0e-7
		"wcdm":         {5e-8, 1e-7, 1e-6, 2e-6, 5e-4, 2e-6},   // 1.7e-8, 3.7e-8, 4.1e-7, 6.6e-7, 2.1e-4, 8.5e-7
		"w0wacdm":      {6e-8, 1e-7, 3e-6, 6e-6, 3e-3, 1e-5},   // 2.1e-8, 2.9e-8, 1.1e-6, 3.0e-6, 1.3e-3, 5.1e-6
		"quintessence": {1e-5, 1.5e-5, 1e-7, 1e-5, 3e-3, 1e-5}, // 6.5e-6, 7.8e-6, 4.9e-8, 5.4e-6, 1.5e-3, 5.7e-6
	}
	for _, m := range cosmo.Models() {
		t.Run(m.Name(), func(t *testing.T) {
			e := defaultOf(t, m)
			v, err := Validate(context.Background(), e, backend.Solver{}, &ValidateSettings{Points: 1000, Seed: 7})
			if err != nil {
				t.Fatal(err)
			}
			l := limits[m.Name()]
			for _, o := range v.Observables {
				limit := map[string]float64{"H": l.late, "DM": l.late, "DH": l.late, "DV": l.late, "DL": l.late,
					"mu": l.mu, "rs_star": l.rs, "DM_star": l.dmStar, "rd": 0, "z_star": 1e-15, "lA": l.lA, "R": l.r}[o.Name]
				if o.Max > limit {
					t.Errorf("%s: max error %.2e > %.1e at %+v (z = %g); median %.2e", o.Name, o.Max, limit, o.Worst, o.WorstZ, o.Median)
				}
			}
		})
	}
}

// Points outside the domain are a *DomainError without a fallback, and the
// fallback's answer, counted, with one.
func TestDomainFallback(t *testing.T) {
	req := cosmo.Request{Z: []float64{0.5, 1}, Distances: true, CMB: true}
	out := cosmo.Params{Om: 0.3, W: -2.5, H0: 70, Ombh2: 0.0224, HasOmbh2: true}
	in := cosmo.Params{Om: 0.3, W: -1, H0: 70, Ombh2: 0.0224, HasOmbh2: true}
	ev, err := Backend{}.NewEvaluator(cosmo.WCDM, req)
	if err != nil {
		t.Fatal(err)
	}
	res := cosmo.NewResult(req)
	err = ev.Eval(res, &out)
	var de *DomainError
	if !errors.As(err, &de) || de.Param != cosmo.NameW || de.Value != -2.5 || de.Min != -2 || de.Max != 0 {
		t.Fatalf("Eval outside the domain: %v, want a *DomainError for w", err)
	}
	var stats Stats
	ev, err = Backend{Fallback: backend.Solver{}, Stats: &stats}.NewEvaluator(cosmo.WCDM, req)
	if err != nil {
		t.Fatal(err)
	}
	if err := ev.Eval(res, &out); err != nil {
		t.Fatal(err)
	}
	want := cosmo.NewResult(req)
	sol, _ := backend.Solver{}.NewEvaluator(cosmo.WCDM, req)
	if err := sol.Eval(want, &out); err != nil {
		t.Fatal(err)
	}
	if res.DM[1] != want.DM[1] || res.RsStar != want.RsStar {
		t.Errorf("fallback answer D_M = %v, r_s = %v, want the solver's %v, %v", res.DM[1], res.RsStar, want.DM[1], want.RsStar)
	}
	if err := ev.Eval(res, &in); err != nil {
		t.Fatal(err)
	}
	e := ev.(*Evaluator)
	if e.Evaluations() != 2 || e.Fallbacks() != 1 || stats.Evaluations() != 2 || stats.Fallbacks() != 1 {
		t.Errorf("counts %d/%d, stats %d/%d, want 2 evaluations and 1 fallback", e.Evaluations(), e.Fallbacks(), stats.Evaluations(), stats.Fallbacks())
	}
	// A point no backend can describe is the model's error, not a fallback.
	bad := in
	bad.Om = -1
	var pe *cosmo.PointError
	if err := ev.Eval(res, &bad); !errors.As(err, &pe) {
		t.Errorf("Eval at Om = −1: %v, want a *cosmo.PointError", err)
	}
}

// The scalar field's emulator answers z ≤ 3 only: beyond, without a
// fallback, NewEvaluator refuses the request; with one, every point
// falls back.
func TestBeyondZMax(t *testing.T) {
	req := cosmo.Request{Z: []float64{1, 4}, Distances: true}
	if _, err := (Backend{}).NewEvaluator(cosmo.Quintessence, req); err == nil {
		t.Fatal("no error for z = 4")
	}
	ev, err := Backend{Fallback: backend.Solver{}}.NewEvaluator(cosmo.Quintessence, req)
	if err != nil {
		t.Fatal(err)
	}
	p := cosmo.Params{Om: 0.3, Lambda: 1, H0: 70}
	if err := ev.Eval(cosmo.NewResult(req), &p); err != nil {
		t.Fatal(err)
	}
	if f := ev.(*Evaluator).Fallbacks(); f != 1 {
		t.Errorf("%d fallbacks, want 1", f)
	}
	// The closed-form models answer any redshift.
	if _, err := (Backend{}).NewEvaluator(cosmo.WCDM, cosmo.Request{Z: []float64{10}, Distances: true}); err != nil {
		t.Error(err)
	}
}

// An emulator trained for one model refuses another.
func TestWrongModel(t *testing.T) {
	e := defaultOf(t, cosmo.LCDM)
	_, err := Backend{Emulator: e}.NewEvaluator(cosmo.WCDM, cosmo.Request{Z: []float64{1}})
	if err == nil {
		t.Fatal("an lcdm emulator accepted model wcdm")
	}
	t.Log(err)
}

// RandomPoint stays in the domain, including the λ limit of the field.
func TestRandomPoint(t *testing.T) {
	e := defaultOf(t, cosmo.Quintessence)
	rnd := rand.New(rand.NewPCG(3, 3))
	d := e.Domain()
	for range 200 {
		p := e.RandomPoint(rnd)
		if err := d.Contains(&p, true); err != nil {
			t.Fatal(err)
		}
		if p.Lambda > d.LambdaLimit(p.Om) {
			t.Fatalf("λ = %v above the limit %v at Om = %v", p.Lambda, d.LambdaLimit(p.Om), p.Om)
		}
	}
}

// decoupling is cosmo.Decoupling to rounding.
func TestDecoupling(t *testing.T) {
	rnd := rand.New(rand.NewPCG(5, 5))
	worst := 0.0
	for range 10000 {
		wm, wb := 0.01+0.5*rnd.Float64(), 0.005+0.05*rnd.Float64()
		got, want := decoupling(wm, wb), cosmo.Decoupling(wm, wb)
		worst = math.Max(worst, math.Abs(got/want-1))
	}
	// Measured: 4.4e-16 (2 ulp).
	if worst > 1e-15 {
		t.Errorf("largest relative difference %.2e", worst)
	}
}

func BenchmarkDecoupling(b *testing.B) {
	s := 0.0
	for i := range b.N {
		wm := 0.14 + 1e-6*float64(i&1023)
		s += decoupling(wm, 0.0224)
	}
	_ = s
}

func BenchmarkDecouplingCosmo(b *testing.B) {
	s := 0.0
	for i := range b.N {
		wm := 0.14 + 1e-6*float64(i&1023)
		s += cosmo.Decoupling(wm, 0.0224)
	}
	_ = s
}

// w(z), the lookback times and the age match the solver.
func TestWAge(t *testing.T) {
	req := cosmo.Request{Z: []float64{0.1, 0.7, 2.5}, W: true, Age: true}
	rnd := rand.New(rand.NewPCG(11, 11))
	for _, m := range cosmo.Models() {
		e := defaultOf(t, m)
		ev, err := Backend{Emulator: e}.NewEvaluator(m, req)
		if err != nil {
			t.Fatal(err)
		}
		sol, _ := backend.Solver{}.NewEvaluator(m, req)
		a, b := cosmo.NewResult(req), cosmo.NewResult(req)
		var dw, dt float64
		for range 200 {
			p := e.RandomPoint(rnd)
			if err := ev.Eval(a, &p); err != nil {
				t.Fatal(err)
			}
			if err := sol.Eval(b, &p); err != nil {
				t.Fatal(err)
			}
			dt = math.Max(dt, math.Abs(a.Age/b.Age-1))
			for i := range req.Z {
				dw = math.Max(dw, math.Abs(a.W[i]-b.W[i]))
				dt = math.Max(dt, math.Abs(a.Lookback[i]/b.Lookback[i]-1))
			}
		}
		t.Logf("%s: max |Δw| %.1e, max relative error of the times %.1e", m.Name(), dw, dt)
		// Measured: |Δw| 1.1e-15 and times 1.4e-8 for the closed forms,
		// 1.3e-5 and 2.5e-6 for the field's network.
		limW, limT := 1e-14, 5e-8
		if !m.ClosedForm() {
			limW, limT = 3e-5, 1e-5
		}
		if dw > limW || dt > limT {
			t.Errorf("%s: max |Δw| %.1e (limit %.0e), times %.1e (limit %.0e)", m.Name(), dw, limW, dt, limT)
		}
	}
}

// closedE2 is cosmo.Expansion.E2, to rounding.
func TestClosedE2(t *testing.T) {
	req := cosmo.Request{Z: []float64{1}, Distances: true}
	rnd := rand.New(rand.NewPCG(4, 4))
	for _, m := range cosmo.Models()[:4] {
		ev, err := Backend{}.newEvaluator(m, req)
		if err != nil {
			t.Fatal(err)
		}
		e := defaultOf(t, m)
		worst := 0.0
		for range 100 {
			p := e.RandomPoint(rnd)
			ex := m.Expansion(&p)
			closedE2(ev.g, m, &p, &ex, ev.nodeOpz, ev.nodeX, ev.nodeC)
			for j, s := range ev.nodeOpz {
				worst = math.Max(worst, math.Abs(ev.g[j]/ex.E2(s, ev.nodeX[j])-1))
			}
		}
		// Measured: 1.1e-15 (w0wacdm: the exponent's argument rounds
		// differently).
		if worst > 2e-15 {
			t.Errorf("%s: largest relative difference %.1e", m.Name(), worst)
		}
	}
}

func BenchmarkClosedE2(b *testing.B) {
	req := cosmo.Request{Z: []float64{1}, Distances: true}
	ev, err := Backend{}.newEvaluator(cosmo.W0WaCDM, req)
	if err != nil {
		b.Fatal(err)
	}
	p := cosmo.Params{Om: 0.3, W0: -0.9, Wa: -0.3, H0: 70}
	ex := cosmo.W0WaCDM.Expansion(&p)
	b.Run("local", func(b *testing.B) {
		for range b.N {
			closedE2(ev.g, cosmo.W0WaCDM, &p, &ex, ev.nodeOpz, ev.nodeX, ev.nodeC)
		}
	})
	b.Run("E2", func(b *testing.B) {
		for range b.N {
			for j, s := range ev.nodeOpz {
				ev.g[j] = ex.E2(s, ev.nodeX[j])
			}
		}
	})
}
