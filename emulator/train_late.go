package emulator

import (
	"context"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/cosmoemu/cosmoemu/backend"
	"github.com/cosmoemu/cosmoemu/cosmo"
)

// The scalar field's late-time grid: one panel of 16 Chebyshev points on
// [0, ln 4] interpolates its 1/E to 3e-9 and integrates it to the solver's
// accuracy, 2e-9 (docs/emulators.md); two of 12 do no better.
const (
	latePanels = 1
	latePer    = 16
)

// limitTable tabulates the largest value of the field's parameter (the
// first it declares: λ of the thawing field) for which a field at rest at
// the start reaches Ω_φ0 = 1 − Ωm − Ω_r, by bisection with the solver, at
// 41 values of ln Ωm over the padded range, taking the least over H0 at
// the ends and the middle of its padded range.
func (t *trainer) limitTable(ctx context.Context) error {
	const n = 41
	name := t.m.DEParams()[0]
	lo, hi := t.lnOmRange()
	h0lo, h0hi := t.padded(cosmo.NameH0)
	h0s := []float64{h0lo, (h0lo + h0hi) / 2, h0hi}
	// Beyond top the domain's cap at the box's end applies anyway.
	b := t.box(name)
	top := b[1] + limitMargin + 0.5
	lnOm := make([]float64, n)
	lmax := make([]float64, n)
	req := cosmo.Request{Z: []float64{ZSplit}}
	err := parallel(ctx, n, t.s.Workers, func(_, i int) error {
		ev, err := backend.Solver{}.NewEvaluator(t.m, req)
		if err != nil {
			return err
		}
		res := cosmo.NewResult(req)
		lnOm[i] = lo + (hi-lo)*float64(i)/(n-1)
		best := top
		for _, h0 := range h0s {
			ok := func(l float64) bool {
				p := t.m.Defaults()
				p.Om, p.H0 = math.Exp(lnOm[i]), h0
				_ = t.m.Set(&p, name, l)
				return ev.Eval(res, &p) == nil
			}
			a, b := b[0], top
			if ok(b) {
				continue
			}
			for b-a > 1e-4 {
				mid := (a + b) / 2
				if ok(mid) {
					a = mid
				} else {
					b = mid
				}
			}
			best = math.Min(best, a)
		}
		lmax[i] = best
		return nil
	}, func(done int) { t.s.report(name+"_max", done, n, math.NaN()) })
	if err != nil {
		return err
	}
	t.dom.Limit = &Limit{Param: name, LnOm: lnOm, Max: lmax, Margin: limitMargin}
	return t.dom.check(t.m)
}

// trainLate trains the scalar field's late-time networks.
func (t *trainer) trainLate(ctx context.Context) (*Late, error) {
	l := &Late{ZMax: ZSplit, Panels: latePanels, PerPanel: latePer}
	nodes := lateNodes(l)
	k := len(nodes)
	pts, err := t.lateDesign(t.s.LatePoints)
	if err != nil {
		return nil, err
	}
	x, yL, yW, err := t.lateTargets(ctx, pts, nodes)
	if err != nil {
		return nil, err
	}
	outs := make([]string, k+1)
	wouts := make([]string, k+1)
	for q := range k {
		outs[q] = fmt.Sprintf("ln(1/E)(x_%d)", q)
		wouts[q] = fmt.Sprintf("w(x_%d)", q)
	}
	wouts[k] = "ln(T/T_L)"
	outs[k] = "ln(J/J_L)"
	xm, n := matrix(x), len(pts)
	if l.Net, err = t.fitLate(ctx, "late", xm, matrix(yL), outs, n); err != nil {
		return nil, err
	}
	if l.Extra, err = t.fitLate(ctx, "extra", xm, matrix(yW), wouts, n); err != nil {
		return nil, err
	}
	return l, nil
}

// designPoint returns the model's defaults with ln Ωm at u[0] of [lo, hi]
// and the dark energy's parameters at u[1:] of their padded boxes: the
// part of a design point the late-time and growth designs share.
func (t *trainer) designPoint(u []float64, lo, hi float64) cosmo.Params {
	p := t.m.Defaults()
	p.Om = math.Exp(lo + (hi-lo)*u[0])
	for j, name := range t.m.DEParams() {
		a, b := t.padded(name)
		p.DE[j] = a + (b-a)*u[1+j]
	}
	return p
}

// lateDesign returns n design points (Ωm, the field's parameters, Σmν) of
// the late-time networks: Halton points in the padded box, below λ_max and
// physical at every radiation coordinate.
func (t *trainer) lateDesign(n int) ([]cosmo.Params, error) {
	m := t.m
	de := m.DEParams()
	cand := halton(16*n, 2+len(de), t.s.Seed+1)
	lo, hi := t.lnOmRange()
	mlo, mhi := t.padded(cosmo.NameMnu)
	var pts []cosmo.Params
	for i := 0; i < 16*n && len(pts) < n; i++ {
		u := cand.RawRowView(i)
		p := t.designPoint(u, lo, hi)
		p.Mnu = mlo + (mhi-mlo)*u[1+len(de)]
		if t.belowLimit(&p) && t.physicalAtEveryU(&p) {
			pts = append(pts, p)
		}
	}
	if len(pts) < n {
		return nil, fmt.Errorf("emulator: %s: only %d of %d late-time design points fall in the domain", m.Name(), len(pts), n)
	}
	return pts, nil
}

// lateTargets solves the field at each design point for the three
// radiation coordinates and returns the networks' inputs (ln Ωm, the
// field's parameters, Σmν) and targets, each as the quadratic in u
// through its three values: for the late network ln(1/E) at the k nodes
// and ln(J/J_L), for the extra network w at the nodes and ln(T/T_L).
func (t *trainer) lateTargets(ctx context.Context, pts []cosmo.Params, nodes []float64) (x, yL, yW [][]float64, err error) {
	m, n, k := t.m, len(pts), len(nodes)
	zs := make([]float64, k+2)
	for j, x := range nodes {
		zs[j] = math.Expm1(x)
	}
	zs[k], zs[k+1] = ZSplit, ZField
	req := cosmo.Request{Z: zs, Distances: true, Age: true, W: true}
	nde := len(m.DEParams())
	x, yL, yW = make([][]float64, n), make([][]float64, n), make([][]float64, n)
	// Each worker has its own solver, and its own quadrature nodes (they
	// carry scratch).
	nw := workersOf(t.s.Workers, n)
	wEvs := make([]cosmo.Evaluator, nw)
	wRes := make([]*cosmo.Result, nw)
	jNd, ageNd := make([]cosmo.Nodes, nw), make([]cosmo.Nodes, nw)
	for w := range nw {
		jNd[w], ageNd[w] = cosmo.NewNodes(nodesJ), cosmo.NewNodes(nodesAge)
		if wEvs[w], err = (backend.Solver{}).NewEvaluator(m, req); err != nil {
			return nil, nil, nil, err
		}
		wRes[w] = cosmo.NewResult(req)
	}
	err = parallel(ctx, n, nw, func(w, i int) error {
		pt := pts[i]
		x[i] = append(append([]float64{math.Log(pt.Om)}, pt.DE[:nde]...), pt.Mnu)
		yL[i] = make([]float64, 3*(k+1))
		yW[i] = make([]float64, 3*(k+1))
		var vals, wv [3][]float64
		for j, u := range radiationU {
			p := pt
			p.H0 = t.h0OfU(u, &pt)
			r := wRes[w]
			if err := wEvs[w].Eval(r, &p); err != nil {
				return fmt.Errorf("emulator: %s: late-time point %d (%v): %w", m.Name(), i, m.Values(&p), err)
			}
			v := make([]float64, k+1)
			for q := range k {
				v[q] = -math.Log(r.E[q])
			}
			// The distance from ZSplit to ZField and the age beyond
			// ZSplit (units of c/H0 and 1/H0) over those of the early
			// expansion (the evaluator's quadratures).
			ex := m.EarlyExpansion(&p)
			dH := cosmo.HubbleDistance(p.H0)
			jL := ex.ComovingBetween(1/(1+ZField), 1/(1+ZSplit), jNd[w])
			v[k] = math.Log((r.DC[k+1] - r.DC[k]) / dH / jL)
			vals[j] = v
			tail := (r.Age - r.Lookback[k]) * p.H0 / cosmo.GyrPerInvH0
			wv[j] = append(append([]float64(nil), r.W[:k]...), math.Log(tail/ex.AgeAt(1/(1+ZSplit), ageNd[w])))
		}
		for q := range k + 1 {
			quadraticInU(yL[i], vals[0][q], vals[1][q], vals[2][q], q, k+1)
			quadraticInU(yW[i], wv[0][q], wv[1][q], wv[2][q], q, k+1)
		}
		return nil
	}, func(done int) { t.s.report("late data", done, n, math.NaN()) })
	if err != nil {
		return nil, nil, nil, err
	}
	return x, yL, yW, nil
}

func (t *trainer) fitLate(ctx context.Context, name string, x, y *mat.Dense, outs []string, n int) (*Net, error) {
	net, res, err := fitNet(ctx, x, y, lateInputs(t.m), outs, 2, t.fitSettings(name))
	if err != nil {
		return nil, err
	}
	t.rec.add(name, n, net, res)
	return net, nil
}

// belowLimit reports whether the field's parameter of p lies below its
// limit (λ_max(Ωm) less the margin), widened like the box.
func (t *trainer) belowLimit(p *cosmo.Params) bool {
	l := t.dom.Limit
	v, _ := t.m.Get(p, l.Param)
	b := t.box(l.Param)
	return v <= t.dom.LimitAt(p.Om)+padding*(b[1]-b[0])
}

// physicalAtEveryU reports whether p is a point of the model at the H0 of
// every radiation coordinate of the training (radiationU): at the ends of
// the boxes of Ωm and Σmν the massive neutrinos can exceed the matter.
func (t *trainer) physicalAtEveryU(p *cosmo.Params) bool {
	for _, u := range radiationU {
		q := *p
		q.H0 = t.h0OfU(u, &q)
		if t.m.Check(&q) != nil {
			return false
		}
	}
	return true
}

// h0OfU returns the H0 at which p has the radiation coordinate u of the
// domain.
func (t *trainer) h0OfU(u float64, p *cosmo.Params) float64 {
	r := radiationRange(&t.dom)
	return h0OfU(u, r[0], r[1], p)
}
