package emulator

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/cosmoemu/cosmoemu/backend"
	"github.com/cosmoemu/cosmoemu/cosmo"
)

func defaultOf(t testing.TB, m *cosmo.Model) *Model {
	t.Helper()
	e, err := DefaultModel(m)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// Each model's emulator against the solver at random points of its domain
// (the emulator boxes of the closed-form models, whose emulator is their
// closed form), both with the exact early universe: the limits are the
// maxima measured over 1000 points (seed 7) with a margin. The closed forms
// meet the earlier issue's limits (1e-5 for H, D_M, D_H, D_V, D_L and
// D_M(z*); 2e-5 mag for μ; 3e-3 for l_A; 1e-5 for R) by orders of
// magnitude; the scalar field's networks meet them in the median (8e-7)
// and miss them by up to 3× at the domain's edges (measured: late 3.0e-5,
// μ 2.2e-5, D_M(z*) 3.1e-5, l_A 0.0083, R 3.2e-5; docs/emulators.md says
// why and what was tried). (late stands for H, D_M, D_H, D_V, D_L.)
func TestAccuracy(t *testing.T) {
	type lim struct{ late, mu, dmStar, lA, r float64 }
	limits := map[string]lim{
		"lcdm":         {1e-8, 2e-8, 1e-8, 3e-6, 1e-8},
		"olcdm":        {6e-8, 8e-8, 3e-7, 3e-5, 1e-7}, // near loitering (Ωm 0.06, Ωk −0.29): 4.7e-8, 5.6e-8, 2.0e-7
		"wcdm":         {5e-8, 1e-7, 1e-7, 3e-5, 1e-7},
		"w0wacdm":      {6e-8, 1e-7, 1e-7, 3e-5, 1e-7},
		"quintessence": {4e-5, 3e-5, 4e-5, 0.01, 4e-5},
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
					"mu": l.mu, "DM_star": l.dmStar, "lA": l.lA, "R": l.r}[o.Name]
				t.Logf("%s: max %.2e, median %.2e", o.Name, o.Max, o.Median)
				if o.Max > limit {
					t.Errorf("%s: max error %.2e > %.1e at %+v (z = %g); median %.2e", o.Name, o.Max, limit, o.Worst, o.WorstZ, o.Median)
				}
			}
		})
	}
}

// The early-universe emulator meets the 1e-5 for z*, z_drag,
// r_s(z*), r_d and 100θ* against the exact route at random points of its
// domain with a margin: the limit, 1e-6, is near the maxima measured over
// 300 points (seed 7): 4.4e-7 (z*), 4.4e-7 (z_drag), 3.5e-7 (r_s(z*)),
// 4.1e-7 (r_d), 3.4e-7 (100θ*); medians 7–9e-8.
func TestEarlyAccuracy(t *testing.T) {
	e, err := DefaultEarly()
	if err != nil {
		t.Fatal(err)
	}
	v, err := ValidateEarly(context.Background(), e, &ValidateSettings{Points: 300, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range earlyQuantities {
		t.Logf("%-15s max %.2e, median %.2e", q, v.Max[q], v.Median[q])
		if v.Max[q] > 1e-6 {
			t.Errorf("%s: max error %.2e > 1e-6 at %v", q, v.Max[q], v.Worst[q])
		}
	}
	// The outer tier: measured over 1000 points (seed 7) 5.3e-5 (z*),
	// 8.7e-5 (z_drag), 7.2e-5 (r_s(z*)), 8.5e-5 (r_d), 7.3e-5 (100θ*),
	// medians 5–7e-6, the largest at ω_b or ω_c near their lower ends.
	if v.Wide == nil {
		t.Fatal("the embedded early-universe emulator has no outer tier")
	}
	for _, q := range earlyQuantities {
		t.Logf("outer %-15s max %.2e, median %.2e", q, v.Wide.Max[q], v.Wide.Median[q])
		if v.Wide.Max[q] > 1.5e-4 {
			t.Errorf("outer tier: %s: max error %.2e > 1.5e-4 at %v", q, v.Wide.Max[q], v.Wide.Worst[q])
		}
	}
	// The dark-energy tier, at w0waCDM points: measured over 1000 points
	// (seed 7) 1.2e-4 (z*), 1.4e-4 (z_drag), 6.4e-5 (r_s(z*)), 6.8e-5
	// (r_d), 1.1e-4 (100θ*), medians 7.5e-6–1.1e-5, the largest where
	// dark energy is several times the matter at z = 800.
	if v.DE == nil {
		t.Fatal("the embedded early-universe emulator has no dark-energy tier")
	}
	for _, q := range earlyQuantities {
		t.Logf("dark energy %-15s max %.2e, median %.2e", q, v.DE.Max[q], v.DE.Median[q])
		if v.DE.Max[q] > 2e-4 || v.DE.Median[q] > 2e-5 {
			t.Errorf("dark-energy tier: %s: max error %.2e > 2e-4 at %v, or median %.2e > 2e-5", q, v.DE.Max[q], v.DE.Worst[q], v.DE.Median[q])
		}
	}
}

// Points outside the early-universe emulator's boxes are answered by the
// exact route and counted; with NoFallback they are a *DomainError. A
// point of the outer box is its outer tier's, and one whose dark energy is
// not negligible early the dark-energy tier's, within their accuracy
// (1e-4).
func TestEarlyFallback(t *testing.T) {
	e, err := DefaultEarly()
	if err != nil {
		t.Fatal(err)
	}
	in := cosmo.Params{Nnu: 3.044, Mnu: 0.06, Om: 0.31, H0: 67.4, Ombh2: 0.0224, HasOmbh2: true}
	outer := in
	outer.Ombh2 = 0.03 // beyond the inner ω_b ≤ 0.027, inside the outer ≤ 0.04
	outBox := in
	outBox.Mnu = 1.5 // beyond Σmν ≤ 1 eV
	earlyDE := in
	earlyDE.DE = cosmo.Values{-0.3, 0.25} // ρ_DE/ρ_cb = 0.3 at z = 800
	beyondDE := in
	beyondDE.DE = cosmo.Values{1, -1.02} // 30 at z = 800, beyond the box's 10
	var stats Stats
	c := EarlySource{Emulator: e, Stats: &stats}.NewEarly()
	exact := cosmo.NewEarlyUniverse(cosmo.EarlyExact)
	for _, tc := range []struct {
		m        *cosmo.Model
		p        cosmo.Params
		fallback bool
	}{{cosmo.LCDM, in, false}, {cosmo.LCDM, outer, false}, {cosmo.LCDM, outBox, true}, {cosmo.W0WaCDM, earlyDE, false}, {cosmo.W0WaCDM, beyondDE, true}} {
		var got, want cosmo.Epochs
		if err := c.Compute(&got, tc.m, &tc.p); err != nil {
			t.Fatal(err)
		}
		if err := exact.Compute(&want, tc.m, &tc.p); err != nil {
			t.Fatal(err)
		}
		for _, d := range []float64{math.Abs(got.ZStar/want.ZStar - 1), math.Abs(got.RsStar/want.RsStar - 1)} {
			if tc.fallback && d != 0 || !tc.fallback && (d == 0 || d > 1e-4) {
				t.Errorf("%s %+v: z* %v, r_s %v; exact %v, %v", tc.m, tc.p, got.ZStar, got.RsStar, want.ZStar, want.RsStar)
			}
		}
	}
	if stats.Evaluations() != 5 || stats.Fallbacks() != 2 {
		t.Errorf("stats %d/%d, want 5 evaluations and 2 fallbacks", stats.Evaluations(), stats.Fallbacks())
	}
	strict := EarlySource{Emulator: e, NoFallback: true}.NewEarly()
	var ep cosmo.Epochs
	var de *DomainError
	if err := strict.Compute(&ep, cosmo.LCDM, &outBox); !errors.As(err, &de) || de.Param != cosmo.NameMnu {
		t.Errorf("NoFallback outside the box: %v", err)
	}
	if err := strict.Compute(&ep, cosmo.W0WaCDM, &beyondDE); !errors.As(err, &de) || de.Param != "ρ_DE/ρ_cb(z=800)" || !(de.Value > 10) {
		t.Errorf("NoFallback with dark energy beyond the box: %v", err)
	}
}

// Points outside the domain are a *DomainError without a fallback, and the
// fallback's answer, counted, with one.
func TestDomainFallback(t *testing.T) {
	req := cosmo.Request{Z: []float64{0.5, 1}, Distances: true, CMB: true}
	out := cosmo.Params{Nnu: 3.044, Om: 0.3, DE: cosmo.Values{1}, H0: 95, Ombh2: 0.0224, HasOmbh2: true}
	in := cosmo.Params{Nnu: 3.044, Om: 0.3, DE: cosmo.Values{1}, H0: 70, Ombh2: 0.0224, HasOmbh2: true}
	m := cosmo.Quintessence
	ev, err := Backend{Early: cosmo.EarlyExact}.NewEvaluator(m, req)
	if err != nil {
		t.Fatal(err)
	}
	res := cosmo.NewResult(req)
	err = ev.Eval(res, &out)
	var de *DomainError
	if !errors.As(err, &de) || de.Param != cosmo.NameH0 || de.Value != 95 || de.Min != 50 || de.Max != 90 {
		t.Fatalf("Eval outside the domain: %v, want a *DomainError for H0", err)
	}
	var stats Stats
	ev, err = Backend{Early: cosmo.EarlyExact, Fallback: backend.Solver{}, Stats: &stats}.NewEvaluator(m, req)
	if err != nil {
		t.Fatal(err)
	}
	if err := ev.Eval(res, &out); err != nil {
		t.Fatal(err)
	}
	want := cosmo.NewResult(req)
	sol, _ := backend.Solver{}.NewEvaluator(m, req)
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
	p := cosmo.Params{Nnu: 3.044, Om: 0.3, DE: cosmo.Values{1}, H0: 70}
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

// An emulator of one model refuses another.
func TestWrongModel(t *testing.T) {
	e := defaultOf(t, cosmo.Quintessence)
	_, err := Backend{Emulator: e}.NewEvaluator(cosmo.WCDM, cosmo.Request{Z: []float64{1}})
	if err == nil {
		t.Fatal("a quintessence emulator accepted model wcdm")
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
		if err := d.Contains(&p); err != nil {
			t.Fatal(err)
		}
		if p.DE[0] > d.LimitAt(p.Om) {
			t.Fatalf("λ = %v above the limit %v at Om = %v", p.DE[0], d.LimitAt(p.Om), p.Om)
		}
	}
}

// LimitGap is the distance below the limit table, without the margin or
// the box: the table's value at its nodes, and what LimitAt leaves plus
// the margin wherever the box does not cap it.
func TestLimitGap(t *testing.T) {
	e := defaultOf(t, cosmo.Quintessence)
	d := e.Domain()
	l := d.Limit
	p := e.Model().Defaults()
	for i, x := range l.LnOm {
		p.Om, p.DE[0] = math.Exp(x), 0.25
		if got, want := d.LimitGap(&p), l.Max[i]-0.25; math.Abs(got-want) > 1e-12 {
			t.Errorf("node %d (Om %v): gap %v, want %v", i, p.Om, got, want)
		}
	}
	rnd := rand.New(rand.NewPCG(4, 4))
	capped := 0
	for range 500 {
		p := e.RandomPoint(rnd)
		gap := d.LimitGap(&p)
		if gap < l.Margin {
			t.Fatalf("%v: gap %v inside the domain, below the margin %v", p, gap, l.Margin)
		}
		_, hi, _ := d.Range(cosmo.NameLambda)
		if d.LimitAt(p.Om) == hi {
			capped++
			continue
		}
		if want := d.LimitAt(p.Om) + l.Margin - p.DE[0]; math.Abs(gap-want) > 1e-12 {
			t.Fatalf("%v: gap %v, LimitAt + margin − λ = %v", p, gap, want)
		}
	}
	if capped == 500 {
		t.Fatal("the box capped the limit at every point")
	}
}

// w(z), the lookback times and the age match the solver.
func TestWAge(t *testing.T) {
	req := cosmo.Request{Z: []float64{0.1, 0.7, 2.5}, W: true, Age: true}
	rnd := rand.New(rand.NewPCG(11, 11))
	for _, m := range cosmo.Models() {
		e := defaultOf(t, m)
		ev, err := Backend{Emulator: e, Early: cosmo.EarlyExact}.NewEvaluator(m, req)
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
		// Measured: |Δw| 0 and times 1.3e-8 for the closed forms, 7.7e-5
		// and 1.9e-5 for the field's network.
		limW, limT := 1e-14, 5e-8
		if !m.ClosedForm() {
			limW, limT = 9e-5, 3e-5
		}
		if dw > limW || dt > limT {
			t.Errorf("%s: max |Δw| %.1e (limit %.0e), times %.1e (limit %.0e)", m.Name(), dw, limW, dt, limT)
		}
	}
}
