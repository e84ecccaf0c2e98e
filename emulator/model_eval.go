package emulator

import (
	"errors"
	"fmt"
	"math"

	"github.com/cosmoemu/cosmoemu/internal/cheb"

	"github.com/cosmoemu/cosmoemu/backend"
	"github.com/cosmoemu/cosmoemu/cosmo"
	"github.com/cosmoemu/cosmoemu/nn"
)

// Backend is an emulator as a cosmo.Backend, named "emulator": the late
// universe from a Model (the closed form, or the scalar field's networks),
// the early universe from Early (nil: the embedded early-universe
// emulator, with the exact route outside its domain).
//
// Points outside the Model's domain are answered by Fallback (typically
// backend.Solver{}) and counted; without a fallback they are a
// *DomainError. The emulator never extrapolates.
type Backend struct {
	// Emulator answers the points; nil means DefaultModel(m) for the
	// model m of each NewEvaluator.
	Emulator *Model
	// Early computes the early universe; nil means the embedded
	// early-universe emulator with the exact route as its fallback (an
	// EarlySource of its own Stats counts those).
	Early cosmo.EarlySource
	// Fallback answers what the emulator does not: points outside its
	// domain, and requests beyond what it predicts (redshifts above ZMax,
	// w(z) if it has no network for it). Nil: those are errors.
	Fallback cosmo.Backend
	// Stats, if not nil, sums the counts of every Evaluator made by this
	// Backend (for a run's report of how many evaluations fell back).
	Stats *Stats
	// Growth computes the linear growth (Request.Growth) where it answers:
	// nil means the model's embedded growth emulator (DefaultGrowth), if it
	// has one. Elsewhere the closed-form models run the growth ODE on the
	// closed form (RTol 1e-7); the field falls back.
	Growth *GrowthModel
}

// Name returns "emulator".
func (Backend) Name() string { return "emulator" }

// Evaluator computes a Request for parameter points with an emulator. It
// is not safe for concurrent use: make one per goroutine.
type Evaluator struct {
	e     *Model
	m     *cosmo.Model
	req   cosmo.Request
	fb    cosmo.Evaluator
	all   error // why the emulator cannot answer this request (then every point falls back)
	c     *counts
	early cosmo.EarlyCalculator

	opz, x, zc []float64 // 1 + z, ln(1+z) and z/(1+z) of the request

	nuZ, nuNodes cosmo.MassiveDensities // the closed form's neutrinos at opz and nodeOpz

	// Late time: 1/E at the grid's nodes, g, and one linear layer from g
	// to the rows (1/E at the redshifts for the field, D_C there, D_C(3),
	// lookback times there and at 3) of the request.
	grid           *cheb.Grid
	nodeOpz, nodeX []float64
	nodeC          []float64 // 1 − 1/(1+z) at the nodes
	g              []float64
	quad           *nn.Workspace
	rows           []float64
	rInvE, rDC     int // first row of 1/E and D_C at the redshifts (−1: none)
	rDC3           int // row of D_C(ZSplit)
	rLook, rLook3  int // first row of the lookback times, and at ZSplit

	// The scalar field's networks.
	late      *netEval
	lateLayer *nn.Workspace // → ln(1/E) at the nodes [, ln(J/J_Λ)]
	lateVals  []float64
	wNet      *netEval
	wLayer    *nn.Workspace // → w at the redshifts [, ln(T/T_Λ)]
	wVals     []float64
	lateInput []float64 // ln Ωm, the dark energy's parameters, Σmν

	// Gauss–Legendre nodes on [0, 1] of the closed-form early integrals.
	jNd, ageNd cosmo.Nodes

	// The growth (Request.Growth): the ODE on the closed form, or the
	// model's growth network (growth_eval.go).
	grow    *backend.ClosedGrowth
	growNet *growthEval
	growFB  cosmo.Evaluator // the fallback for the growth alone (a field without a growth network)
	growRes *cosmo.Result
}

// Gauss–Legendre nodes of the closed-form early-universe integrals, in
// t = √a: enough for 1e-9 over the domain (TestClosedFormEarly).
const (
	nodesJ   = 24
	nodesAge = 40
	// gridPer is the number of Chebyshev points per late-time panel of
	// the closed-form models: one panel of 32 points on [0, ln 4]
	// interpolates and integrates 1/E to 6e-9 over the domain, three of 12
	// (36 points) to 4e-7 (near loitering; docs/emulators.md).
	gridPer = 32
)

// gridWidth is the widest late-time panel of the closed-form models in
// ln(1+z): one panel up to z = 3.
var gridWidth = math.Log(4)

// NewEvaluator prepares the emulator for model m and request r: every
// redshift-only quantity (interpolation and quadrature weights, folded
// output layers) is computed here, once.
func (b Backend) NewEvaluator(m *cosmo.Model, r cosmo.Request) (cosmo.Evaluator, error) {
	ev, err := b.newEvaluator(m, r)
	if err != nil {
		return nil, err
	}
	return ev, nil
}

func (b Backend) newEvaluator(m *cosmo.Model, r cosmo.Request) (*Evaluator, error) {
	if m == nil {
		return nil, errors.New("emu: NewEvaluator needs a model")
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	e := b.Emulator
	if e == nil {
		var err error
		if e, err = DefaultModel(m); err != nil {
			return nil, err
		}
	}
	if e.model != m {
		return nil, fmt.Errorf("emulator: this emulator was trained for model %s and cannot compute model %s", e.model.Name(), m.Name())
	}
	r.Z = append([]float64(nil), r.Z...)
	ev := &Evaluator{e: e, m: m, req: r, c: &counts{}}
	if b.Stats != nil {
		b.Stats.add(ev.c)
	}
	if r.CMB || r.Drag {
		src := b.Early
		if src == nil {
			early, err := DefaultEarly()
			if err != nil {
				return nil, err
			}
			src = EarlySource{Emulator: early}
		}
		ev.early = src.NewEarly()
	}
	if b.Fallback != nil {
		fb, err := b.Fallback.NewEvaluator(m, r)
		if err != nil {
			return nil, fmt.Errorf("emu: fallback %s: %w", b.Fallback.Name(), err)
		}
		ev.fb = fb
	}
	if zmax := r.MaxZ(); zmax > e.ZMax() {
		ev.all = fmt.Errorf("emulator %s answers z ≤ %g; redshift %g needs a fallback backend", m.Name(), e.ZMax(), zmax)
	} else if (r.W || r.Age) && !e.PredictsExtra() {
		ev.all = fmt.Errorf("emulator %s does not predict w(z) and the age; a fallback backend must answer Request.W and Request.Age", m.Name())
	} else if r.Growth {
		ev.all = ev.setupGrowth(b.Growth, b.Fallback)
	}
	if ev.all != nil {
		if ev.fb == nil {
			return nil, ev.all
		}
		return ev, nil
	}
	n := len(r.Z)
	ev.opz = make([]float64, n)
	ev.x = make([]float64, n)
	ev.zc = make([]float64, n)
	for i, z := range r.Z {
		ev.opz[i] = 1 + z
		ev.x[i] = math.Log1p(z)
		ev.zc[i] = z / (1 + z)
	}
	ev.setupLate()
	if r.CMB {
		ev.jNd = cosmo.NewNodes(nodesJ)
	}
	if r.Age {
		ev.ageNd = cosmo.NewNodes(nodesAge)
	}
	return ev, nil
}

// setupLate builds the late-time grid and the linear layer from 1/E at its
// nodes to the rows the request needs.
func (ev *Evaluator) setupLate() {
	e, r := ev.e, &ev.req
	field := e.late != nil
	ev.rInvE, ev.rDC, ev.rDC3, ev.rLook, ev.rLook3 = -1, -1, -1, -1, -1
	needGrid := field || r.Distances || r.CMB || r.Age
	if !needGrid {
		return
	}
	if field {
		ev.grid = cheb.New(math.Log1p(e.late.ZMax), e.late.Panels, e.late.PerPanel)
	} else {
		xmax := math.Log1p(math.Max(r.MaxZ(), ZSplit))
		panels := max(1, int(math.Ceil(xmax/gridWidth-1e-9)))
		ev.grid = cheb.New(xmax, panels, gridPer)
	}
	k := len(ev.grid.Nodes())
	ev.nodeX = ev.grid.Nodes()
	ev.nodeOpz = make([]float64, k)
	ev.nodeC = make([]float64, k)
	for j, x := range ev.nodeX {
		ev.nodeOpz[j] = math.Exp(x)
		ev.nodeC[j] = -math.Expm1(-x)
	}
	ev.g = make([]float64, k)
	// Rows of the request, as weights on g = 1/E at the nodes.
	var rows [][]float64
	add := func(w []float64) { rows = append(rows, w) }
	xs := math.Log1p(ZSplit)
	// 1/E at the redshifts from the nodes: for the closed form too, an
	// interpolation (error below 1e-8) costs less than the closed form's
	// exponential at each redshift.
	{
		ev.rInvE = len(rows)
		for _, x := range ev.x {
			w := make([]float64, k)
			ev.grid.Interp(w, x)
			add(w)
		}
	}
	dc := func(x float64) []float64 {
		w := make([]float64, k)
		ev.grid.Integral(w, x)
		for j := range w {
			w[j] *= ev.nodeOpz[j] // D_C = ∫ (1+z)/E dx
		}
		return w
	}
	if r.Distances {
		ev.rDC = len(rows)
		for _, x := range ev.x {
			add(dc(x))
		}
	}
	if r.CMB {
		ev.rDC3 = len(rows)
		add(dc(xs))
	}
	if r.Age {
		look := func(x float64) []float64 {
			w := make([]float64, k)
			ev.grid.Integral(w, x)
			return w
		}
		ev.rLook = len(rows)
		for _, x := range ev.x {
			add(look(x))
		}
		ev.rLook3 = len(rows)
		add(look(xs))
	}
	if len(rows) > 0 {
		ly := nn.Layer{In: k, Out: len(rows), Act: nn.Linear, W: make([]float64, k*len(rows)), B: make([]float64, len(rows))}
		for o, w := range rows {
			for j, v := range w {
				ly.W[j*len(rows)+o] = v
			}
		}
		ev.quad = layerWorkspace(ly)
		ev.rows = make([]float64, len(rows))
	}
	if field {
		ev.setupField(k)
	}
}

// setupField folds the scalar field's late-time networks for the request:
// ln(1/E) at the k nodes (and ln(J/J_Λ) with the CMB), w at the redshifts
// and the age beyond ZSplit.
func (ev *Evaluator) setupField(k int) {
	e, r := ev.e, &ev.req
	ev.late = newNetEval(e.late.Net)
	ev.lateInput = make([]float64, len(e.late.Net.Inputs))
	sel := make([][]weighted, k, k+1)
	for j := range sel {
		sel[j] = []weighted{{j, 1}}
	}
	if r.CMB {
		sel = append(sel, []weighted{{k, 1}}) // ln(J/J_Λ) to ZField
	}
	ev.lateLayer = layerWorkspace(e.late.Net.folded(sel))
	ev.lateVals = make([]float64, len(sel))
	if r.W || r.Age {
		// w at the redshifts, then the age beyond ZSplit.
		ev.wNet = newNetEval(e.late.Extra)
		var wsel [][]weighted
		if r.W {
			w := make([]float64, k)
			for _, x := range ev.x {
				ev.grid.Interp(w, x)
				var terms []weighted
				for j, v := range w {
					if v != 0 {
						terms = append(terms, weighted{j, v})
					}
				}
				wsel = append(wsel, terms)
			}
		}
		if r.Age {
			wsel = append(wsel, []weighted{{k, 1}})
		}
		ev.wLayer = layerWorkspace(e.late.Extra.folded(wsel))
		ev.wVals = make([]float64, len(wsel))
	}
}

func layerWorkspace(ly nn.Layer) *nn.Workspace {
	return (&nn.Network{Layers: []nn.Layer{ly}}).NewWorkspace()
}

// Evaluations returns the number of Eval calls of this Evaluator.
func (ev *Evaluator) Evaluations() int64 { return ev.c.evals.Load() }

// Fallbacks returns how many of them the fallback answered.
func (ev *Evaluator) Fallbacks() int64 { return ev.c.fallbacks.Load() }

// Eval fills dst (made by cosmo.NewResult for the Request) for p.
func (ev *Evaluator) Eval(dst *cosmo.Result, p *cosmo.Params) error {
	ev.c.evals.Add(1)
	m, r := ev.m, &ev.req
	if err := m.Check(p); err != nil {
		return err
	}
	err := ev.all
	if err == nil {
		err = ev.e.domain.Contains(p)
	}
	if err != nil {
		if ev.fb == nil {
			return err
		}
		ev.c.fallbacks.Add(1)
		return ev.fb.Eval(dst, p)
	}
	dst.H0 = p.H0
	if ev.early != nil {
		if err := ev.early.Compute(&dst.Epochs, m, p); err != nil {
			return err
		}
	}
	// The growth network answers inside its own domain; outside it the
	// closed-form models run the ODE, and the field falls back.
	useNet := ev.growNet != nil && ev.growNet.contains(p)
	if ev.growNet != nil && !useNet && ev.grow == nil {
		if ev.fb == nil {
			return ev.growNet.g.domain.Contains(p)
		}
		ev.c.fallbacks.Add(1)
		return ev.fb.Eval(dst, p)
	}
	var dc3, look3, tail float64
	ex := m.EarlyExpansion(p)
	if ev.late != nil {
		u := ev.e.U(p.OmegaRToday())
		dc3, look3, tail = ev.evalField(dst, p, u, &ex)
	} else {
		dc3, look3 = ev.evalFluid(dst, p, &ex)
		if r.Age {
			tail = ex.AgeAt(1/(1+ZSplit), ev.ageNd)
		}
	}
	if r.CMB {
		ev.cmb(dst, &ex, dc3)
	}
	if r.Age {
		tH := cosmo.GyrPerInvH0 / p.H0
		for i := range dst.Lookback {
			dst.Lookback[i] = tH * ev.rows[ev.rLook+i]
		}
		dst.Age = tH * (look3 + tail)
	}
	switch {
	case useNet:
		ev.growNet.eval(dst, p)
	case ev.grow != nil:
		if ev.growNet != nil {
			ev.c.growthOutside.Add(1)
		}
		return ev.grow.Eval(dst, m, p, &ex)
	case ev.growFB != nil:
		ev.c.growthFallbacks.Add(1)
		if err := ev.growFB.Eval(ev.growRes, p); err != nil {
			return err
		}
		copy(dst.DRatio, ev.growRes.DRatio)
		copy(dst.F, ev.growRes.F)
		dst.D0 = ev.growRes.D0
	}
	return nil
}

// evalFluid fills E, D_C, D_M and w of a closed-form model and returns
// D_C(ZSplit) and the lookback time to ZSplit (units of c/H0 and 1/H0),
// when the request needs them.
func (ev *Evaluator) evalFluid(dst *cosmo.Result, p *cosmo.Params, ex *cosmo.Expansion) (dc3, look3 float64) {
	r := &ev.req
	if r.W {
		for i, opz := range ev.opz {
			dst.W[i] = ex.W(opz - 1)
		}
	}
	if ev.quad == nil {
		// E alone: the closed form at the redshifts.
		ex.E2Values(dst.E, ev.opz, ev.x, ev.zc, &ev.nuZ)
		for i, e2 := range dst.E {
			dst.E[i] = math.Sqrt(e2)
		}
		return 0, 0
	}
	ex.E2Values(ev.g, ev.nodeOpz, ev.nodeX, ev.nodeC, &ev.nuNodes)
	for j, e2 := range ev.g {
		ev.g[j] = 1 / math.Sqrt(e2)
	}
	ev.quad.Forward(ev.rows, ev.g)
	for i := range ev.x {
		dst.E[i] = 1 / ev.rows[ev.rInvE+i]
	}
	return ev.distances(dst, ex.Ok)
}

// distances fills D_C and D_M from the rows and returns D_C(ZSplit) and the
// lookback time to ZSplit.
func (ev *Evaluator) distances(dst *cosmo.Result, ok float64) (dc3, look3 float64) {
	dH := cosmo.HubbleDistance(dst.H0)
	if ev.rDC >= 0 {
		for i := range ev.x {
			dc := ev.rows[ev.rDC+i]
			dst.DC[i] = dH * dc
			dst.DM[i] = dH * cosmo.TransverseDistance(dc, ok)
		}
	}
	if ev.rDC3 >= 0 {
		dc3 = ev.rows[ev.rDC3]
	}
	if ev.rLook3 >= 0 {
		look3 = ev.rows[ev.rLook3]
	}
	return dc3, look3
}

// evalField fills E, D_C, D_M and w of the scalar field from its networks
// and returns D_C(ZSplit) (with, for the CMB, the field's distance from
// ZSplit to ZField added), the lookback time to ZSplit and the age beyond
// it (units of c/H0 and 1/H0); ex is the point's early expansion.
func (ev *Evaluator) evalField(dst *cosmo.Result, p *cosmo.Params, u float64, ex *cosmo.Expansion) (dc3, look3, tail float64) {
	r := &ev.req
	in := ev.lateInput
	in[0] = math.Log(p.Om)
	copy(in[1:len(in)-1], p.DE[:])
	in[len(in)-1] = p.Mnu
	z := ev.late.features(ev.lateInput, u)
	ev.lateLayer.Forward(ev.lateVals, z)
	for j := range ev.g {
		ev.g[j] = math.Exp(ev.lateVals[j])
	}
	ev.quad.Forward(ev.rows, ev.g)
	for i := range ev.x {
		dst.E[i] = 1 / ev.rows[ev.rInvE+i]
	}
	dc3, look3 = ev.distances(dst, 0)
	if r.CMB {
		// The distance from ZSplit to ZField: that of the early
		// expansion times the network's ratio.
		a3, af := 1/(1+ZSplit), 1/(1+ZField)
		dc3 += ex.ComovingBetween(af, a3, ev.jNd) * math.Exp(ev.lateVals[len(ev.g)])
	}
	if ev.wNet != nil {
		zw := ev.wNet.features(ev.lateInput, u)
		ev.wLayer.Forward(ev.wVals, zw)
		if r.W {
			copy(dst.W, ev.wVals)
		}
		if r.Age {
			tail = ex.AgeAt(1/(1+ZSplit), ev.ageNd) * math.Exp(ev.wVals[len(ev.wVals)-1])
		}
	}
	return dc3, look3, tail
}

// cmb fills D_M(z*) from D_C up to dc0 (units of c/H0): D_C(ZSplit) for a
// closed-form model, D_C(ZField) for the field, whose expansion before is
// its early expansion's; the rest is the closed form's integral.
func (ev *Evaluator) cmb(dst *cosmo.Result, ex *cosmo.Expansion, dc0 float64) {
	a0 := 1 / (1 + ZSplit)
	if ev.late != nil {
		a0 = 1 / (1 + ZField)
	}
	as := 1 / (1 + dst.ZStar)
	dcStar := dc0 + ex.ComovingBetween(as, a0, ev.jNd)
	dst.DMStar = cosmo.HubbleDistance(dst.H0) * cosmo.TransverseDistance(dcStar, ex.Ok)
}
