package train

import (
	"context"
	"fmt"
	"math"

	"github.com/cosmoemu/cosmoemu/backend"
	"github.com/cosmoemu/cosmoemu/cosmo"
	"github.com/cosmoemu/cosmoemu/emu"
)

// generator returns the backend that computes the training targets: the
// closed form with quadrature where there is one (exact to 1e-10 and ten
// times faster than the solver), else the solver.
func (t *trainer) generator() cosmo.Backend {
	if t.m.ClosedForm() {
		return backend.Analytic{}
	}
	return backend.Solver{}
}

// earlyPoint maps a point u of the unit cube to a training point of the
// early-universe network (Ωm, the model's parameters, H0, ombh2 over the
// padded box), or reports it outside the padded region.
func (t *trainer) earlyPoint(u []float64) (cosmo.Params, bool) {
	m := t.m
	p := cosmo.Params{HasOmbh2: true}
	lo, hi := lnOmRange()
	p.Om = math.Exp(lo + (hi-lo)*u[0])
	k := 1
	at := func(b [2]float64, plo, phi bool) float64 {
		a, c := padded(b, plo, phi)
		v := a + (c-a)*u[k]
		k++
		return v
	}
	for _, n := range m.Params()[1:] {
		switch n {
		case cosmo.NameOk:
			p.Ok = at(boxOk, true, true)
		case cosmo.NameW:
			p.W = at(boxW, true, false)
		case cosmo.NameW0:
			p.W0 = at(boxW0, true, true)
		case cosmo.NameWa:
			p.Wa = at(boxWa, true, true)
		case cosmo.NameLambda:
			p.Lambda = at(boxL, true, true)
		case cosmo.NameH0:
			p.H0 = at(boxH0, true, true)
		}
	}
	p.Ombh2 = at(boxOmbh2, true, true)
	if !t.inPaddedRegion(&p) || !(p.Ombh2 < p.Om*p.H()*p.H()) {
		return p, false
	}
	// λ < 0 mirrors λ > 0 (the observables depend on λ²): the point keeps
	// its sign as the network's input, and the targets are those of |λ|.
	q := p
	q.Lambda = math.Abs(p.Lambda)
	if m.Check(&q) != nil {
		return p, false
	}
	return p, true
}

// inPaddedRegion reports whether p lies in the region of the networks,
// widened like the box.
func (t *trainer) inPaddedRegion(p *cosmo.Params) bool {
	m, r := t.m, t.reg
	switch {
	case !m.ClosedForm():
		lim := t.dom.LambdaLimit(p.Om)
		return math.Abs(p.Lambda) <= lim+padding*(boxL[1]-boxL[0])
	case m.Curved() && minE2(p) < 0.9*math.Max(r.MinE2, t.dom.MinE2):
		return false
	}
	if r.MaxWInf < 0 {
		w := p.W
		if m.DarkEnergy() == cosmo.CPL {
			w = p.W0 + p.Wa
		}
		if w > r.MaxWInf+0.05 {
			return false
		}
	}
	if r.MaxRatio3 > 0 {
		ex := m.Expansion(p)
		if emu.Ratio3(&ex) > 1.2*r.MaxRatio3 {
			return false
		}
	}
	return true
}

// minE2 is the minimum of E² over z ≥ 0 of a Λ model with curvature.
func minE2(p *cosmo.Params) float64 {
	or, om, ok := p.OmegaR(), p.Om, p.Ok
	if ok >= 0 {
		return 1
	}
	s := -4 * ok / (3*om + math.Sqrt(9*om*om-32*or*ok))
	if s <= 1 {
		return 1
	}
	return math.Min(1, ((or*s+om)*s+ok)*s*s+1-or-om-ok)
}

// earlyTargets returns ln(r_s/r_s,rm) and ln(J/J_rm) at p, and ln(1+z*).
func earlyTargets(b cosmo.Backend, m *cosmo.Model, signed *cosmo.Params) (y [2]float64, lnZs float64, err error) {
	q := *signed
	q.Lambda = math.Abs(q.Lambda)
	p := &q
	h := p.H()
	zs := cosmo.Decoupling(p.Om*h*h, p.Ombh2)
	req := cosmo.Request{Z: []float64{emu.ZSplit, zs}, Distances: true, CMB: true}
	ev, err := b.NewEvaluator(m, req)
	if err != nil {
		return y, 0, err
	}
	res := cosmo.NewResult(req)
	if err := ev.Eval(res, p); err != nil {
		return y, 0, err
	}
	dH := cosmo.HubbleDistance(p.H0)
	or := p.OmegaR()
	as := 1 / (1 + zs)
	rsRM := cosmo.SoundHorizonTail(as, or, p.Om, cosmo.BaryonPhotonRatio(p.Ombh2))
	jRM := cosmo.ComovingTail(1/(1+emu.ZSplit), or, p.Om) - cosmo.ComovingTail(as, or, p.Om)
	y[0] = math.Log(res.RsStar / dH / rsRM)
	y[1] = math.Log((res.DC[1] - res.DC[0]) / dH / jRM)
	if math.IsNaN(y[0]) || math.IsNaN(y[1]) || math.IsInf(y[0], 0) || math.IsInf(y[1], 0) {
		return y, 0, fmt.Errorf("non-finite early-universe target at %+v", *p)
	}
	return y, math.Log1p(zs), nil
}

// trainCMB trains the early-universe network.
func (t *trainer) trainCMB(ctx context.Context) (*emu.Net, error) {
	m := t.m
	n := t.s.Points
	dims := len(m.Params()) + 1
	cand := halton(16*n, dims, t.s.Seed)
	var pts []cosmo.Params
	for i := 0; i < 16*n && len(pts) < n; i++ {
		if p, ok := t.earlyPoint(cand.RawRowView(i)); ok {
			pts = append(pts, p)
		}
	}
	if len(pts) < n {
		return nil, fmt.Errorf("train: %s: only %d of %d early-universe design points fall in the domain", m.Name(), len(pts), n)
	}
	inputs := emu.CMBInputs(m)
	x := make([][]float64, n)
	y := make([][]float64, n)
	gen := t.generator()
	lo, hi, _ := t.dom.Range(cosmo.NameH0)
	orLo, orHi := omegaR(hi), omegaR(lo)
	err := parallel(ctx, n, t.s.Workers, func(_, i int) error {
		p := &pts[i]
		v, lz, err := earlyTargets(gen, m, p)
		if err != nil {
			return fmt.Errorf("train: %s: early-universe point %d: %w", m.Name(), i, err)
		}
		row := []float64{math.Log(p.Om)}
		for _, name := range inputs[1 : len(inputs)-2] {
			val, _ := p.Get(name)
			row = append(row, val)
		}
		u := (2*p.OmegaR() - orLo - orHi) / (orHi - orLo)
		x[i] = append(row, u, lz)
		y[i] = v[:]
		return nil
	}, func(done int) { t.progress("cmb data", done, n, math.NaN()) })
	if err != nil {
		return nil, err
	}
	net, res, err := fitNet(ctx, matrix(x), matrix(y), inputs, []string{"ln(rs/rs_rm)", "ln(J/J_rm)"}, 0, t.fitSettings("cmb"))
	if err != nil {
		return nil, err
	}
	t.record("cmb", n, net, res)
	return net, nil
}

func omegaR(h0 float64) float64 {
	p := cosmo.Params{H0: h0}
	return p.OmegaR()
}
