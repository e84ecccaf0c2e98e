package backend

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/cosmoemu/cosmoemu/cosmo"
	"github.com/cosmoemu/cosmoemu/friedmann"
	"github.com/cosmoemu/cosmoemu/growth"
	"github.com/cosmoemu/cosmoemu/solver"
)

// The linear growth (cosmo.Request.Growth) in the backends:
//
//   - Analytic: the growth equation of package growth integrated (RK45,
//     RTol 1e-9) on the closed form of E(z) (cosmo.Expansion.GrowthRates),
//     from the Mészáros growing mode at N = −14 or earlier: ClosedGrowth.
//   - Solver, fluid models: the Ω_i system of the fluids integrated
//     backwards from today (as for the distances) to N_s, where radiation
//     and matter alone remain (to 1e-10 of the density), then forwards
//     from the growing mode at N_s with the growth appended, in the
//     normalised form Π = Σγ_iΩ_i/ΣΩ_i that keeps ΣΩ_i = 1 stable forwards
//     in time (package growth's caution), with relative error control
//     only; no closed form is used.
//   - Solver, the scalar field: the growth appended to the field's own
//     forward solve (friedmann.FieldSystem), which already starts in the
//     radiation era (N = −12): Ω_cb = 1 − x² − y² − Ω_r − Ω_ν, Π of the
//     field. The field's step control stays that of the shooting.
//
// Every route counts only CDM and baryons as clustering (cosmo's growth
// conventions); a point with no growing mode or no growth history is a
// *cosmo.PointError (cosmo.NoGrowth).

// ClosedGrowth computes the growth of a closed-form model at fixed
// redshifts by package growth's ODE on its cosmo.Expansion. It holds its
// workspace, so Eval does not allocate; it is not safe for concurrent use.
// The emulator backend uses it for the closed-form models.
type ClosedGrowth struct {
	ev  *growth.Evaluator
	res growth.Result
	fs8 []float64
	x   cosmo.Expansion
	bg  cosmo.GrowthBackground
}

// NewClosedGrowth returns a ClosedGrowth for the redshifts z with the
// growth settings set (nil: package growth's defaults, RTol 1e-9).
func NewClosedGrowth(z []float64, set *growth.Settings) (*ClosedGrowth, error) {
	ev, err := growth.NewEvaluator(z, set)
	if err != nil {
		return nil, err
	}
	g := &ClosedGrowth{ev: ev, fs8: make([]float64, len(z))}
	g.bg.X = &g.x
	return g, nil
}

// Eval fills dst.DRatio, dst.F and dst.D0 for the point p of model m
// whose expansion is x (m.Expansion(p)). A point without a growth history
// is a *cosmo.PointError.
func (g *ClosedGrowth) Eval(dst *cosmo.Result, m *cosmo.Model, p *cosmo.Params, x *cosmo.Expansion) error {
	g.x = *x
	g.res.DRatio, g.res.F, g.res.FSigma8 = dst.DRatio, dst.F, g.fs8
	err := g.ev.Eval(&g.res, &g.bg)
	g.res.DRatio, g.res.F = nil, nil
	if err != nil {
		return growthFailure(m, p, err)
	}
	dst.D0 = g.res.D0
	return nil
}

// growthFailure turns a failure of package growth into a
// *cosmo.PointError naming the point; other errors pass.
func growthFailure(m *cosmo.Model, p *cosmo.Params, err error) error {
	var ge *growth.Error
	if errors.As(err, &ge) {
		return cosmo.NoGrowth(m, p, err)
	}
	return fmt.Errorf("model %s: %w", m.Name(), err)
}

// Tolerances of the fluids' growth solves of the Solver backend (see
// fluidGrowth; the absolute tolerance applies to ln|Ω_i|, ln D and f, so
// that it is a relative tolerance on the densities and D).
const (
	GrowthRTol = 1e-10
	GrowthATol = 1e-10
	// growthStartTol is the share of the density that is neither radiation
	// nor matter where the growing mode starts (see earlyEnd).
	growthStartTol = 1e-10
)

// fluidGrowth computes the growth of a fluid model on the Ω_i system in
// two solves of the logarithms ℓ_i = ln|Ω_i| (Ω_i = s_i e^{ℓ_i}, s_i the
// sign; a fluid of zero density is left out), with
//
//	ℓ_i' = 3(Π − γ_i(a)),   Π = Σ_i γ_iΩ_i / Σ_iΩ_i,   a = e^N,
//
// the normalised Π keeping ΣΩ_i = 1 whatever the errors (package growth's
// caution): backwards from today to N_s, where the background is
// radiation and matter alone; then forwards from the growing mode at N_s
// with the growth appended. In the logarithms the ratios of densities of
// constant γ are linear in N, so the steps are set by the transitions,
// the varying indices and the growth, not by the e^{4N} of dark energy's
// vanishing early share (in Ω_i with relative error control the solves
// took 550 steps each); and the small densities keep their relative
// accuracy, which the distances' solve (an absolute tolerance on the
// Ω_i) does not give. The varying indices read a = e^N from the time,
// not from an integrated a, whose relative error an absolute tolerance
// would leave uncontrolled early on (it cost 1e-4 in f with massive
// neutrinos).
type fluidGrowth struct {
	sys    *friedmann.FluidSystem // Gamma and Varying of the fluids
	bsv    *solver.Solver         // backwards: (ℓ_1, …, ℓ_n)
	sv     *solver.Solver         // forwards: (ℓ_1, …, ℓ_n, ln D, f)
	gam    []float64              // γ_i at the current a (scratch)
	sign   []float64              // s_i, 0 for a fluid of zero density
	by     []float64
	y0     []float64
	ts     []float64 // output times, ascending: the redshifts', then 0
	order  []int     // ts[k] is the time of z[order[k]]
	out    []float64
	rhs    solver.Func
	brhs   solver.Func
	matter int // position of the clustering matter (CDM and baryons)
}

func newFluidGrowth(sys *friedmann.FluidSystem, z []float64) (*fluidGrowth, error) {
	nf := len(sys.Gamma)
	dim := nf + growth.Dim
	set := solver.Settings{RTol: GrowthRTol, ATol: GrowthATol, Dense: solver.Order5}
	sv, err := solver.New(dim, &set)
	if err != nil {
		return nil, err
	}
	g := &fluidGrowth{sys: sys, sv: sv, matter: fluidMatter}
	if g.bsv, err = solver.New(nf, &set); err != nil {
		return nil, err
	}
	n := len(z)
	g.gam, g.sign, g.by, g.y0 = make([]float64, nf), make([]float64, nf), make([]float64, nf), make([]float64, dim)
	g.ts, g.order, g.out = make([]float64, n+1), make([]int, n), make([]float64, (n+1)*dim)
	for i := range g.order {
		g.order[i] = i
	}
	// Ascending N is descending z.
	slices.SortStableFunc(g.order, func(a, b int) int { return cmp.Compare(z[b], z[a]) })
	for k, i := range g.order {
		g.ts[k] = -math.Log1p(z[i])
	}
	g.ts[n] = 0
	g.rhs, g.brhs = g.derivs, g.backwards
	return g, nil
}

// pi sets g.gam to the indices at e-fold time n and returns, for the
// state y (ℓ_1, …, ℓ_n, …), Π = Σγ_iΩ_i/ΣΩ_i and ΣΩ_i.
func (g *fluidGrowth) pi(n float64, y []float64) (pi, sum float64) {
	a := math.Exp(n)
	copy(g.gam, g.sys.Gamma)
	for _, v := range g.sys.Varying {
		g.gam[v.Fluid] = v.Index.Gamma(a)
	}
	for i, gi := range g.gam {
		if s := g.sign[i]; s != 0 {
			o := s * math.Exp(y[i])
			sum += o
			pi += gi * o
		}
	}
	return pi / sum, sum
}

// background is the right-hand side of (ℓ_1, …, ℓ_n); it returns Π and
// ΣΩ_i.
func (g *fluidGrowth) background(dst []float64, n float64, y []float64) (pi, sum float64) {
	pi, sum = g.pi(n, y)
	for i, gi := range g.gam {
		if g.sign[i] != 0 {
			dst[i] = 3 * (pi - gi)
		} else {
			dst[i] = 0
		}
	}
	return pi, sum
}

// backwards is background as a solver.Func.
func (g *fluidGrowth) backwards(dst []float64, n float64, y []float64) { g.background(dst, n, y) }

// derivs is the right-hand side of (ℓ_1, …, ℓ_n, ln D, f): the
// background's, and the growth (growth.Derivs) with Π and the clustering
// matter's share Ω_cb/ΣΩ_i.
func (g *fluidGrowth) derivs(dst []float64, n float64, y []float64) {
	nf := len(g.gam)
	pi, s := g.background(dst[:nf], n, y[:nf])
	growth.Derivs(dst[nf:], y[nf:], pi, math.Exp(y[g.matter])/s)
}

// solve fills dst's growth for the point p of model m, whose early
// expansion is ex and densities today omega0 (in the order of the fluids).
func (g *fluidGrowth) solve(dst *cosmo.Result, m *cosmo.Model, p *cosmo.Params, ex *cosmo.Expansion, omega0 []float64) error {
	nf := len(g.gam)
	for i, o := range omega0 {
		g.sign[i], g.by[i] = 0, 0
		if o != 0 {
			g.sign[i], g.by[i] = math.Copysign(1, o), math.Log(math.Abs(o))
		}
	}
	if g.sign[g.matter] <= 0 {
		return growthFailure(m, p, &growth.Error{Z: math.NaN(), Reason: "no clustering matter"})
	}
	ns := growthStart(m, p, ex, math.Min(0, g.ts[0]-1))
	// Backwards to N_s.
	at := [1]float64{ns}
	if _, err := g.bsv.Solve(g.y0[:nf], g.brhs, 0, g.by, at[:]); err != nil {
		return growthFailure(m, p, backFailure(err))
	}
	// Forwards from the growing mode at N_s.
	pi, s := g.pi(ns, g.y0)
	if !(s > 0) {
		return growthFailure(m, p, &growth.Error{Z: math.Expm1(-ns), Reason: fmt.Sprintf("E² ≤ 0 (ΣΩ_i = %.3g): no growth history", s)})
	}
	if err := growth.Start(g.y0[nf:], ns, pi, math.Exp(g.y0[g.matter])/s); err != nil {
		return growthFailure(m, p, err)
	}
	if _, err := g.sv.Solve(g.out, g.rhs, ns, g.y0, g.ts); err != nil {
		return growthFailure(m, p, &growth.Error{Z: math.NaN(), Reason: fmt.Sprintf("the forward growth solve failed: %v", err)})
	}
	dim := nf + growth.Dim
	last := len(g.order)
	lnD0 := g.out[last*dim+nf+growth.IndexLnD]
	for k, i := range g.order {
		row := g.out[k*dim+nf:]
		dst.DRatio[i] = math.Exp(row[growth.IndexLnD] - lnD0)
		dst.F[i] = row[growth.IndexF]
	}
	dst.D0 = math.Exp(lnD0)
	if !(dst.D0 > 0) || math.IsInf(dst.D0, 0) {
		return growthFailure(m, p, &growth.Error{Z: 0, Reason: fmt.Sprintf("non-finite growth: D0 = %v", dst.D0)})
	}
	return nil
}

// backFailure explains a failed backward solve: with a negative
// curvature or dark-energy density E² can reach zero in the past (a
// bounce), where ΣΩ_i → 0 and the steps underflow.
func backFailure(err error) *growth.Error {
	var se *solver.StepSizeError
	var nf *solver.NonFiniteError
	const bounce = "E² reaches 0 near here: the expansion stops there (a bounce); no growth history"
	switch {
	case errors.As(err, &se):
		return &growth.Error{Z: math.Expm1(-se.T), Reason: bounce}
	case errors.As(err, &nf):
		return &growth.Error{Z: math.Expm1(-nf.T), Reason: bounce}
	}
	return &growth.Error{Z: math.NaN(), Reason: fmt.Sprintf("the backward solve to the radiation era failed: %v", err)}
}

// growthStart returns where the growing mode of a fluid model starts: the
// latest N (at most last, at least growth.MinStartN) before which
// curvature and dark energy hold less than growthStartTol of the
// radiation density and the massive neutrinos are relativistic to that,
// so that the background is radiation and matter alone as
// growth.Start assumes.
func growthStart(m *cosmo.Model, p *cosmo.Params, ex *cosmo.Expansion, last float64) float64 {
	return radiationMatterFrom(m, p, ex, last, growthStartTol, growth.MinStartN)
}

// fieldGrowthStart writes the growing mode at the field's start to g from
// the field's state st there.
func fieldGrowthStart(g, st []float64, nu friedmann.Index) error {
	x, y, or, onu := st[friedmann.FieldX], st[friedmann.FieldY], st[friedmann.FieldOr], st[friedmann.FieldNu]
	gnu := 1.0
	if nu != nil {
		gnu = nu.Gamma(st[friedmann.FieldCore+friedmann.OffA])
	}
	return growth.Start(g, FieldStartN, friedmann.FieldPi(x, y, or, onu, gnu), 1-x*x-y*y-or-onu)
}

// fieldGrowthDerivs is the field's right-hand side with the growth
// appended after its dim components.
func (ev *solverEval) fieldGrowthDerivs(dst []float64, n float64, st []float64) {
	sys := ev.fieldX
	d := sys.Dim()
	sys.Derivs(dst[:d], n, st[:d])
	x, y, or, onu := st[friedmann.FieldX], st[friedmann.FieldY], st[friedmann.FieldOr], st[friedmann.FieldNu]
	gnu := 1.0
	if sys.Nu != nil {
		gnu = sys.Nu.Gamma(st[friedmann.FieldCore+friedmann.OffA])
	}
	growth.Derivs(dst[d:], st[d:], friedmann.FieldPi(x, y, or, onu, gnu), 1-x*x-y*y-or-onu)
}
