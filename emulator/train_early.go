package emulator

import (
	"context"
	"fmt"
	"math"

	"github.com/cosmoemu/cosmoemu/backend"
	"github.com/cosmoemu/cosmoemu/cosmo"
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
// early-universe network (Ωm, the model's other parameters, H0, ombh2 over
// the padded box), or reports it outside the padded region.
func (t *trainer) earlyPoint(u []float64) (cosmo.Params, bool) {
	m := t.m
	var p cosmo.Params
	lo, hi := t.lnOmRange()
	p.Om = math.Exp(lo + (hi-lo)*u[0])
	for k, name := range append(m.Params()[1:], cosmo.NameOmbh2) {
		a, b := t.padded(name)
		_ = m.Set(&p, name, a+(b-a)*u[k+1])
	}
	if m.Check(&p) != nil || !t.inPaddedRegion(&p) {
		return p, false
	}
	return p, true
}

// inPaddedRegion reports whether p lies in the region of the networks,
// widened like the box.
func (t *trainer) inPaddedRegion(p *cosmo.Params) bool {
	m, r := t.m, t.reg
	if l := t.dom.Limit; l != nil {
		v, _ := m.Get(p, l.Param)
		b := t.box(l.Param)
		return v <= t.dom.LimitAt(p.Om)+padding*(b[1]-b[0])
	}
	if m.Curved() && minE2(p.OmegaR(), p.Om, p.Ok) < 0.9*math.Max(r.MinE2, t.dom.MinE2) {
		return false
	}
	wide := Region{MaxRatio3: 1.2 * r.MaxRatio3, MinE2: 0}
	if r.MaxWInf < 0 {
		wide.MaxWInf = r.MaxWInf + 0.05
	}
	return !m.ClosedForm() || wide.Contains(m, p)
}

// earlyTargets returns ln(r_s/r_s,rm) and ln(J/J_rm) at p, and ln(1+z*).
func earlyTargets(b cosmo.Backend, m *cosmo.Model, p *cosmo.Params) (y [2]float64, lnZs float64, err error) {
	h := p.H()
	zs := cosmo.Decoupling(p.Om*h*h, p.Ombh2)
	req := cosmo.Request{Z: []float64{ZSplit, zs}, Distances: true, CMB: true}
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
	jRM := cosmo.ComovingTail(1/(1+ZSplit), or, p.Om) - cosmo.ComovingTail(as, or, p.Om)
	y[0] = math.Log(res.RsStar / dH / rsRM)
	y[1] = math.Log((res.DC[1] - res.DC[0]) / dH / jRM)
	if math.IsNaN(y[0]) || math.IsNaN(y[1]) || math.IsInf(y[0], 0) || math.IsInf(y[1], 0) {
		return y, 0, fmt.Errorf("non-finite early-universe target at %+v", *p)
	}
	return y, math.Log1p(zs), nil
}

// trainCMB trains the early-universe network.
func (t *trainer) trainCMB(ctx context.Context) (*Net, error) {
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
	inputs := cmbInputs(m)
	x := make([][]float64, n)
	y := make([][]float64, n)
	gen := t.generator()
	lo, hi, _ := t.dom.Range(cosmo.NameH0)
	orLo, orHi := omegaRAt(hi), omegaRAt(lo)
	err := parallel(ctx, n, t.s.Workers, func(_, i int) error {
		p := &pts[i]
		v, lz, err := earlyTargets(gen, m, p)
		if err != nil {
			return fmt.Errorf("train: %s: early-universe point %d: %w", m.Name(), i, err)
		}
		row := []float64{math.Log(p.Om)}
		for _, name := range inputs[1 : len(inputs)-2] {
			val, _ := m.Get(p, name)
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

func omegaRAt(h0 float64) float64 {
	p := cosmo.Params{H0: h0}
	return p.OmegaR()
}
