package backend

import (
	"fmt"
	"math"

	"github.com/cosmoemu/cosmoemu/cosmo"
)

// Analytic computes observables from the closed form of E(z) with fixed-node
// quadrature for the integrals (lcdm, olcdm, wcdm, w0wacdm):
//
//   - D_C at the requested redshifts: piecewise Chebyshev quadrature in
//     x = ln(1+z) on panels of width ≤ 0.75 with 20 nodes each, folded into
//     one matrix per Request (see cumulative);
//   - D_C(z*): that, plus the comoving distance from z* to the last panel
//     edge below it (cosmo.Expansion.ComovingBetween, 24 nodes);
//   - z*, r_s(z*), z_drag and r_d by the request's early-universe route
//     (cosmo.EarlyUniverse);
//   - the age (cosmo.Expansion.AgeAt, 48 nodes);
//   - the linear growth by package growth's ODE on the closed form
//     (ClosedGrowth; see growth.go).
//
// The last three are the closed forms of radiation and matter plus
// Gauss–Legendre in √a for what dark energy and curvature add (package
// cosmo). Doubling every node count moves nothing by more than 3e-11
// (TestNodesConverged).
type Analytic struct {
	// Early computes z*, r_s(z*), z_drag and r_d: a cosmo.EarlyRoute or
	// an emulator; nil means the exact route.
	Early cosmo.EarlySource
	nodes int // multiplies every node count (tests); 0 means 1
}

const (
	lateWidth = 0.75 // widest panel of the cumulative quadrature, in ln(1+z)
	latePer   = 20   // Chebyshev nodes per panel
	gapNodes  = 24   // Gauss–Legendre nodes in √a from z* to the last panel edge
	ageNodes  = 48   // Gauss–Legendre nodes of the age in √a
)

// Name returns "analytic".
func (Analytic) Name() string { return "analytic" }

// NewEvaluator prepares the closed form for m and r. The scalar field has no
// closed form: use the solver backend for it.
func (an Analytic) NewEvaluator(m *cosmo.Model, r cosmo.Request) (cosmo.Evaluator, error) {
	if !m.ClosedForm() {
		return nil, fmt.Errorf("backend analytic: model %s has no closed form; use the solver backend", m.Name())
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	k := max(an.nodes, 1)
	ev := &analytic{model: m, req: r}
	n := len(r.Z)
	ev.opz = make([]float64, n)
	ev.x = make([]float64, n)
	ev.c = make([]float64, n)
	xmax := 0.0
	for i, z := range r.Z {
		ev.opz[i] = 1 + z
		ev.x[i] = math.Log1p(z)
		ev.c[i] = z / (1 + z)
		xmax = math.Max(xmax, ev.x[i])
	}
	if r.Distances || r.Age || r.CMB {
		// The panels cover the requested redshifts; CMB integrals go on
		// from their end. With no redshifts one panel up to z = 3 serves.
		if xmax == 0 {
			xmax = math.Log(4)
		}
		ev.late = newCumulative(ev.x, xmax, lateWidth, latePer*k)
		ev.lateOpz = make([]float64, len(ev.late.x))
		for j, x := range ev.late.x {
			ev.lateOpz[j] = math.Exp(x)
		}
		ev.lateC = make([]float64, len(ev.late.x))
		for j, opz := range ev.lateOpz {
			ev.lateC[j] = 1 - 1/opz
		}
		ev.f = make([]float64, len(ev.late.x))
		ev.dc = make([]float64, n)
	}
	if r.CMB {
		ev.gap = cosmo.NewNodes(gapNodes * k)
	}
	if r.CMB || r.Drag {
		ev.early = cosmo.NewEarly(an.Early)
	}
	if r.Age {
		ev.ageNd = cosmo.NewNodes(ageNodes * k)
		ev.g = make([]float64, len(ev.late.x))
	}
	if r.Growth {
		var err error
		if ev.grow, err = NewClosedGrowth(r.Z, nil); err != nil {
			return nil, err
		}
	}
	return ev, nil
}

type analytic struct {
	model *cosmo.Model
	req   cosmo.Request
	opz   []float64 // 1 + z_i
	x     []float64 // ln(1 + z_i)
	c     []float64 // z_i/(1 + z_i)

	late    *cumulative
	lateOpz []float64 // e^x at the late nodes
	lateC   []float64 // 1 − e^{−x} = z/(1+z) at the late nodes
	f       []float64 // (1+z)/E at the late nodes
	g       []float64 // 1/E at the late nodes (age)
	dc      []float64 // D_C/(c/H0) at the requested redshifts

	gap, ageNd cosmo.Nodes // Gauss–Legendre in √a (cosmo.Expansion)
	early      cosmo.EarlyCalculator
	grow       *ClosedGrowth // the growth's ODE on the closed form, if asked for

	nuZ, nuLate cosmo.MassiveDensities // at opz and lateOpz
}

// Eval fills dst for p.
func (ev *analytic) Eval(dst *cosmo.Result, p *cosmo.Params) error {
	m := ev.model
	if err := m.Check(p); err != nil {
		return err
	}
	r := &ev.req
	if ev.early != nil {
		if err := ev.early.Compute(&dst.Epochs, m, p); err != nil {
			return err
		}
	}
	e := m.Expansion(p)
	dst.H0 = p.H0
	if i := e.EValues(dst.E, ev.opz, ev.x, ev.c, &ev.nuZ); i >= 0 {
		return e2Error(m, p, ev.opz[i]-1, e.E2(ev.opz[i], ev.x[i]))
	}
	if r.W {
		for i, opz := range ev.opz {
			dst.W[i] = e.W(opz - 1)
		}
	}
	if ev.grow != nil {
		if err := ev.grow.Eval(dst, m, p, &e); err != nil {
			return err
		}
	}
	if ev.late == nil {
		return nil
	}
	e.E2Values(ev.f, ev.lateOpz, ev.late.x, ev.lateC, &ev.nuLate)
	for j, opz := range ev.lateOpz {
		e2 := ev.f[j]
		if !(e2 > 0) {
			return e2Error(m, p, opz-1, e2)
		}
		ev.f[j] = opz / math.Sqrt(e2)
		if r.Age {
			ev.g[j] = 1 / math.Sqrt(e2)
		}
	}
	dH := cosmo.HubbleDistance(p.H0)
	if r.Distances {
		ev.late.apply(ev.dc, ev.f)
		for i, dc := range ev.dc {
			dst.DC[i] = dH * dc
			dst.DM[i] = dH * cosmo.TransverseDistance(dc, e.Ok)
		}
	}
	if r.CMB {
		if err := ev.cmb(dst, p, &e, dH); err != nil {
			return err
		}
	}
	if r.Age {
		return ev.age(dst, p, &e)
	}
	return nil
}

func e2Error(m *cosmo.Model, p *cosmo.Params, z, e2 float64) error {
	return &cosmo.PointError{Model: m.Name(), Reason: fmt.Sprintf("E²(z) = %.3g ≤ 0 at z = %.4g: no expanding universe reaches that redshift (Om = %g, Ok = %g)", e2, z, p.Om, p.Ok)}
}

// cmb computes D_M(z*) (z* is in dst).
func (ev *analytic) cmb(dst *cosmo.Result, p *cosmo.Params, e *cosmo.Expansion, dH float64) error {
	zs := dst.ZStar
	xs := math.Log1p(zs)
	// D_C(z*): the panels up to the last edge below x*, then Gauss–Legendre.
	c := ev.late
	var base, x0 float64
	if last := c.edge(c.panels()); xs >= last {
		base, x0 = c.upTo(c.panels(), ev.f), last
	} else {
		pn := c.panel(xs)
		base, x0 = c.upTo(pn, ev.f), c.edge(pn)
	}
	dcStar := base + e.ComovingBetween(1/(1+zs), math.Exp(-x0), ev.gap)
	if !(dcStar > 0) || math.IsInf(dcStar, 0) {
		return e2Error(ev.model, p, zs, math.NaN())
	}
	dst.DMStar = dH * cosmo.TransverseDistance(dcStar, e.Ok)
	return nil
}

// age computes t0 and the lookback times.
func (ev *analytic) age(dst *cosmo.Result, p *cosmo.Params, e *cosmo.Expansion) error {
	tH := cosmo.GyrPerInvH0 / p.H0
	ev.late.apply(dst.Lookback, ev.g)
	for i := range dst.Lookback {
		dst.Lookback[i] *= tH
	}
	t := e.AgeAt(1, ev.ageNd)
	if !(t > 0) || math.IsInf(t, 0) {
		return e2Error(ev.model, p, 0, math.NaN())
	}
	dst.Age = tH * t
	return nil
}
