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
//   - D_C(z*): that, plus 24-point Gauss–Legendre in x from the last panel
//     edge below z* up to z*;
//   - r_s(z*) = (c/H0)∫_0^{a*} da/(√(a⁴E²) √(3(1+R_b))): 24-point
//     Gauss–Legendre in √a, whose integrand is smooth at a = 0;
//   - the age: Gauss–Legendre in x on unit panels up to x = 20 (a ≈ 2e-9),
//     where radiation dominates and the rest is negligible (< 1e-17 Gyr).
//
// The node counts give a relative error below 1e-10 against adaptive
// quadrature over the default priors (TestAnalyticQuadrature).
type Analytic struct {
	nodes int // multiplies every node count (tests); 0 means 1
}

const (
	lateWidth = 0.75 // widest panel of the cumulative quadrature, in ln(1+z)
	latePer   = 20   // Chebyshev nodes per panel
	gapNodes  = 24   // Gauss–Legendre nodes from the last panel edge to z*
	soundN    = 24   // Gauss–Legendre nodes of r_s(z*) in a
	agePanels = 20   // unit panels in x of the age integral
	ageNodes  = 16   // Gauss–Legendre nodes per age panel
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
	xmax := 0.0
	for i, z := range r.Z {
		ev.opz[i] = 1 + z
		ev.x[i] = math.Log1p(z)
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
		ev.f = make([]float64, len(ev.late.x))
		ev.dc = make([]float64, n)
	}
	if r.CMB {
		ev.gapT, ev.gapW = gaussLegendre(gapNodes * k)
		ev.soundT, ev.soundW = gaussLegendre(soundN * k)
		ev.soundLnT = make([]float64, len(ev.soundT))
		for j, t := range ev.soundT {
			ev.soundLnT[j] = 2 * math.Log(t) // ln a − ln a* in σ = √a
		}
	}
	if r.Age {
		ev.ageT, ev.ageW = gaussLegendre(ageNodes * k)
		ev.g = make([]float64, len(ev.late.x))
	}
	return ev, nil
}

type analytic struct {
	model *cosmo.Model
	req   cosmo.Request
	opz   []float64 // 1 + z_i
	x     []float64 // ln(1 + z_i)

	late    *cumulative
	lateOpz []float64 // e^x at the late nodes
	f       []float64 // (1+z)/E at the late nodes
	g       []float64 // 1/E at the late nodes (age)
	dc      []float64 // D_C/(c/H0) at the requested redshifts

	gapT, gapW               []float64
	soundT, soundW, soundLnT []float64
	ageT, ageW               []float64
}

// Eval fills dst for p.
func (ev *analytic) Eval(dst *cosmo.Result, p *cosmo.Params) error {
	m := ev.model
	if err := m.Check(p); err != nil {
		return err
	}
	r := &ev.req
	if r.CMB && !p.HasOmbh2 {
		return fmt.Errorf("model %s: the CMB observables need ombh2", m.Name())
	}
	e := m.Expansion(p)
	dst.H0 = p.H0
	if i := e.EValues(dst.E, ev.opz, ev.x); i >= 0 {
		return e2Error(m, p, ev.opz[i]-1, e.E2(ev.opz[i], ev.x[i]))
	}
	if r.W {
		for i, opz := range ev.opz {
			dst.W[i] = e.W(opz - 1)
		}
	}
	if ev.late == nil {
		return nil
	}
	for j, opz := range ev.lateOpz {
		e2 := e.E2(opz, ev.late.x[j])
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

// cmb computes z*, D_M(z*) and r_s(z*).
func (ev *analytic) cmb(dst *cosmo.Result, p *cosmo.Params, e *cosmo.Expansion, dH float64) error {
	h := p.H()
	wm := p.Om * h * h
	zs := cosmo.Decoupling(wm, p.Ombh2)
	xs := math.Log1p(zs)
	// D_C(z*): the panels up to the last edge below x*, then Gauss–Legendre.
	c := ev.late
	var base, x0 float64
	if last := c.edges[len(c.edges)-1]; xs >= last {
		base, x0 = c.upTo(len(c.edges)-1, ev.f), last
	} else {
		pn := c.panel(xs)
		base, x0 = c.upTo(pn, ev.f), c.edges[pn]
	}
	span := xs - x0
	gap := 0.0
	for j, t := range ev.gapT {
		x := x0 + span*t
		opz := math.Exp(x)
		e2 := e.E2(opz, x)
		if !(e2 > 0) {
			return e2Error(ev.model, p, opz-1, e2)
		}
		gap += ev.gapW[j] * opz / math.Sqrt(e2)
	}
	dcStar := base + span*gap
	// r_s(z*) in σ = √a from 0 to √a*: da = 2σ dσ. In σ the integrand is
	// smooth at a = 0 even where dark energy adds a^{1−3w} with w near 0,
	// which Gauss–Legendre in a resolves only to 1e-7, and the
	// radiation–matter singularity at a = −Ω_r/Ωm moves off the interval.
	as := 1 / (1 + zs)
	lnAs := -xs
	rb := cosmo.BaryonPhotonRatio(p.Ombh2)
	s := 0.0
	for j, t := range ev.soundT {
		a := as * t * t
		v := e.A4E2(a, lnAs+ev.soundLnT[j])
		s += ev.soundW[j] * t / math.Sqrt(3*v*(1+rb*a))
	}
	dst.ZStar = zs
	dst.DMStar = dH * cosmo.TransverseDistance(dcStar, e.Ok)
	dst.RsStar = dH * 2 * as * s
	return nil
}

// age computes t0 and the lookback times.
func (ev *analytic) age(dst *cosmo.Result, p *cosmo.Params, e *cosmo.Expansion) error {
	tH := cosmo.GyrPerInvH0 / p.H0
	ev.late.apply(dst.Lookback, ev.g)
	for i := range dst.Lookback {
		dst.Lookback[i] *= tH
	}
	t := 0.0
	for k := range agePanels {
		for j, u := range ev.ageT {
			x := float64(k) + u
			opz := math.Exp(x)
			e2 := e.E2(opz, x)
			if !(e2 > 0) {
				return e2Error(ev.model, p, opz-1, e2)
			}
			t += ev.ageW[j] / math.Sqrt(e2)
		}
	}
	// Beyond x = 20 radiation dominates: ∫ e^{−2x}/√Ω_r dx.
	t += math.Exp(-2*agePanels) / (2 * math.Sqrt(e.Or))
	dst.Age = tH * t
	return nil
}
