package backend

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"github.com/cosmoemu/cosmoemu/cosmo"
	"github.com/cosmoemu/cosmoemu/friedmann"
	"github.com/cosmoemu/cosmoemu/growth"
	"github.com/cosmoemu/cosmoemu/neutrino"
	"github.com/cosmoemu/cosmoemu/solver"
)

// Solver computes observables with the RK45 solver on the generalised
// Ω_i system of package friedmann, integrating the distances, the sound
// horizon and the time along with the densities (friedmann.FluidSystem,
// friedmann.FieldSystem):
//
//   - fluid models integrate backwards from N = 0, where the state is
//     known, to the earliest redshift asked for, or to N = −20 when r_s(z*)
//     or the age is asked for; before N = −20 (z ≈ 5e8) radiation and
//     matter alone remain and the rest of r_s and of the age is added in
//     closed form (cosmo.SoundHorizonTail, cosmo.AgeTail);
//   - the scalar field starts at rest at N = −12 with y_i found by a
//     safeguarded secant search on ln y_i, each trial a solve of (x, y, Ω_r)
//     to N = 0, until x² + y² = 1 − Ωm − Ω_r today within 1e-11; then
//     one solve with the extra quantities gives the observables.
type Solver struct {
	// Settings of the solver; nil means RTol = ATol = 1e-9. Measured over
	// the default priors against the closed form and against 1e-12: E and
	// distances for z ≤ 3 and D_M(z*) within 3e-9, E(z*) and r_s(z*)
	// within 3e-8 (the error of u accumulated to z*; l_A then moves by
	// 1e-5, against σ(l_A) = 0.09). Tighter settings converge as RTol.
	// ATol applies to the density parameters, fractions that sum to one,
	// so it is as large as RTol: a smaller one makes the solver follow the
	// relative error of dark energy's vanishing early density.
	Settings *solver.Settings
	// Early computes z*, r_s(z*), z_drag and r_d: a cosmo.EarlyRoute or
	// an emulator; nil means the exact route.
	Early cosmo.EarlySource
}

// Defaults of the Solver backend.
const (
	DefaultSolverRTol = 1e-9
	DefaultSolverATol = 1e-9
	// earlyN is where fluid integrations for r_s and the age stop at the
	// latest; see earlyEnd.
	earlyN = -20.0
	// tailTol bounds the share of the density that curvature and dark
	// energy may still have where the integration stops and the closed
	// form for radiation and matter takes over (see earlyEnd).
	tailTol = 1e-10
	// FieldStartN is where the scalar field starts at rest.
	FieldStartN = -12.0
	// FieldTol is the accuracy of Ω_φ today required of the shooting.
	FieldTol = 1e-11
)

// Name returns "solver".
func (Solver) Name() string { return "solver" }

func (s Solver) settings() solver.Settings {
	if s.Settings != nil {
		return *s.Settings
	}
	return solver.Settings{RTol: DefaultSolverRTol, ATol: DefaultSolverATol}
}

// NewEvaluator prepares the solver for m and r.
func (s Solver) NewEvaluator(m *cosmo.Model, r cosmo.Request) (cosmo.Evaluator, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	set := s.settings()
	ev := &solverEval{model: m, req: r}
	if r.CMB || r.Drag {
		ev.early = cosmo.NewEarly(s.Early)
	}
	n := len(r.Z)
	ev.order = make([]int, n)
	for i := range ev.order {
		ev.order[i] = i
	}
	sort.SliceStable(ev.order, func(a, b int) bool { return r.Z[ev.order[a]] < r.Z[ev.order[b]] })
	ev.nz = make([]float64, n)
	for k, i := range ev.order {
		ev.nz[k] = -math.Log1p(r.Z[i])
	}
	if n > 0 && ev.nz[n-1] < earlyN {
		return nil, &cosmo.PointError{Model: m.Name(), Param: "z", Value: r.Z[ev.order[n-1]],
			Reason: fmt.Sprintf("the solver integrates back to N = %g (z = %.4g), and this redshift is earlier", earlyN, math.Expm1(-earlyN))}
	}
	if m.Field() != nil {
		if n > 0 && ev.nz[n-1] < FieldStartN {
			return nil, &cosmo.PointError{Model: m.Name(), Param: "z", Value: r.Z[ev.order[n-1]],
				Reason: fmt.Sprintf("the field starts at rest at N = %g (z = %.4g), and this redshift is earlier", FieldStartN, math.Expm1(-FieldStartN))}
		}
		ev.fieldX = &friedmann.FieldSystem{Extra: true}
		var err error
		if ev.shooter, err = newFieldShooter(set); err != nil {
			return nil, err
		}
		full := set
		full.Controlled = friedmann.FieldShoot
		// D_C at low z is χ(0) − χ(N_z), a difference 300 times smaller
		// than χ at z = 0.01: the order-5 interpolant keeps it accurate.
		full.Dense = solver.Order5
		// The growth, if asked for, is appended to the full solve; the
		// step control stays that of the field (Controlled).
		ev.fdim = ev.fieldX.Dim()
		ev.fieldRHS = ev.fieldX.Derivs
		if r.Growth {
			ev.fdim += growth.Dim
			ev.fieldRHS = ev.fieldGrowthDerivs
		}
		if ev.sv, err = solver.New(ev.fdim, &full); err != nil {
			return nil, err
		}
		ev.y0 = make([]float64, ev.fdim)
		ev.ts = make([]float64, 0, n+2)
		ev.sol = make([]float64, (n+2)*ev.fdim)
		return ev, nil
	}
	// Fluids: radiation (photons and massless neutrinos), massive
	// neutrinos, matter, [curvature,] dark energy.
	gam := []float64{friedmann.GammaRadiation, friedmann.GammaRadiation, friedmann.GammaMatter}
	if m.Curved() {
		gam = append(gam, friedmann.GammaCurvature)
	}
	gam = append(gam, friedmann.GammaLambda)
	// Carry only the extra quantities the request needs.
	extra := friedmann.OffChi + 1
	switch {
	case r.Age:
		extra = friedmann.OffTime + 1
	case !r.Distances && !r.CMB:
		extra = friedmann.OffU + 1
	}
	ev.fluids = &friedmann.FluidSystem{Gamma: gam, Extra: extra}
	ev.deIndex = &fluidIndex{de: m.Fluid()}
	d := ev.fluids.Dim()
	var err error
	if ev.sv, err = solver.New(d, &set); err != nil {
		return nil, err
	}
	ev.y0 = make([]float64, d)
	ev.omega0 = make([]float64, len(gam))
	ev.ts = make([]float64, 0, n+2)
	ev.sol = make([]float64, (n+2)*d)
	ev.varying = make([]friedmann.Varying, 0, 2)
	if r.Growth {
		if ev.grow, err = newFluidGrowth(ev.fluids, r.Z); err != nil {
			return nil, err
		}
	}
	return ev, nil
}

type solverEval struct {
	model *cosmo.Model
	req   cosmo.Request
	order []int     // order[k]: index in Z of the k-th smallest redshift
	nz    []float64 // N of the sorted redshifts, decreasing

	sv      *solver.Solver
	y0      []float64
	ts      []float64
	sol     []float64
	fluids  *friedmann.FluidSystem
	deIndex *fluidIndex
	nuIndex nuIndex
	varying []friedmann.Varying
	omega0  []float64
	early   cosmo.EarlyCalculator

	fieldX   *friedmann.FieldSystem
	shooter  *fieldShooter
	fdim     int         // the full field solve's dimension: the field's, and the growth's if asked for
	fieldRHS solver.Func // its right-hand side

	grow *fluidGrowth // the fluids' forward growth solve, if asked for
}

// Eval fills dst for p.
func (ev *solverEval) Eval(dst *cosmo.Result, p *cosmo.Params) error {
	m := ev.model
	if err := m.Check(p); err != nil {
		return err
	}
	dst.H0 = p.H0
	if ev.fluids != nil {
		return ev.evalFluids(dst, p)
	}
	return ev.evalField(dst, p)
}

// outputs fills ev.ts with the sorted N of the redshifts and, if asked, N*
// and then `last`, and returns the index of N* in ev.ts (−1 if none).
func (ev *solverEval) outputs(nStar, last float64, withStar, withLast bool) int {
	ev.ts = ev.ts[:0]
	star := -1
	for _, n := range ev.nz {
		if withStar && star < 0 && n < nStar {
			star = len(ev.ts)
			ev.ts = append(ev.ts, nStar)
		}
		ev.ts = append(ev.ts, n)
	}
	if withStar && star < 0 {
		star = len(ev.ts)
		ev.ts = append(ev.ts, nStar)
	}
	if withLast {
		ev.ts = append(ev.ts, last)
	}
	return star
}

// Fluid positions in the state of the fluid system.
const (
	fluidRadiation = iota
	fluidNu
	fluidMatter
)

func (ev *solverEval) evalFluids(dst *cosmo.Result, p *cosmo.Params) error {
	m, r := ev.model, &ev.req
	ex := m.EarlyExpansion(p) // the densities today (for a fluid without a closed form too)
	ok := ex.Ok
	sys := ev.fluids
	nu := len(sys.Gamma)
	ev.omega0[fluidRadiation] = ex.Orl
	ev.omega0[fluidNu] = ex.Om - ex.Ocb
	ev.omega0[fluidMatter] = ex.Ocb
	if m.Curved() {
		ev.omega0[fluidMatter+1] = ok
	}
	ev.omega0[nu-1] = ex.Ode
	// The varying indices: the massive neutrinos' and the dark energy's.
	ev.varying = ev.varying[:0]
	if nus, err := p.Neutrinos(); err == nil && nus.MassSum() > 0 {
		ev.nuIndex.nu = nus
		ev.varying = append(ev.varying, friedmann.Varying{Fluid: fluidNu, Index: &ev.nuIndex})
	}
	ev.deIndex.v = p.DE
	sys.Gamma[nu-1] = 0
	if !ev.deIndex.constant() {
		ev.varying = append(ev.varying, friedmann.Varying{Fluid: nu - 1, Index: ev.deIndex})
	}
	sys.Varying = ev.varying
	var nStar float64
	if ev.early != nil {
		if err := ev.early.Compute(&dst.Epochs, m, p); err != nil {
			return err
		}
		nStar = -math.Log1p(dst.ZStar)
	}
	nEnd := earlyN
	if r.Age {
		// At or before every output: z* and the redshifts.
		last := 0.0
		if r.CMB {
			last = nStar
		}
		if n := len(ev.nz); n > 0 {
			last = math.Min(last, ev.nz[n-1])
		}
		nEnd = earlyEnd(m, p, &ex, last)
	}
	if r.Growth {
		if err := ev.grow.solve(dst, m, p, &ex, ev.omega0); err != nil {
			return err
		}
	}
	star := ev.outputs(nStar, nEnd, r.CMB, r.Age)
	if len(ev.ts) == 0 {
		return nil
	}
	sys.InitialState(ev.y0, ev.omega0)
	d := sys.Dim()
	sol := ev.sol[:len(ev.ts)*d]
	if _, err := ev.sv.Solve(sol, sys.Derivs, 0, ev.y0, ev.ts); err != nil {
		return fluidFailure(m, p, ok, ex.Ode, err)
	}
	at := func(j, off int) float64 { return sol[j*d+nu+off] }
	dH := cosmo.HubbleDistance(p.H0)
	for kk, i := range ev.order {
		j := kk
		if star >= 0 && kk >= star {
			j++
		}
		a, u := at(j, friedmann.OffA), at(j, friedmann.OffU)
		dst.E[i] = 1 / (a * a * u)
		if !(dst.E[i] > 0) || math.IsInf(dst.E[i], 0) {
			return e2Error(m, p, r.Z[i], dst.E[i])
		}
		if r.Distances {
			chi := at(j, friedmann.OffChi)
			dst.DC[i] = dH * chi
			dst.DM[i] = dH * cosmo.TransverseDistance(chi, ok)
		}
		if r.Age {
			dst.Lookback[i] = cosmo.GyrPerInvH0 / p.H0 * at(j, friedmann.OffTime)
		}
		if r.W {
			dst.W[i] = m.W(p, r.Z[i])
		}
	}
	if r.CMB {
		dst.DMStar = dH * cosmo.TransverseDistance(at(star, friedmann.OffChi), ok)
	}
	if r.Age {
		last := len(ev.ts) - 1
		aEnd := at(last, friedmann.OffA)
		dst.Age = cosmo.GyrPerInvH0 / p.H0 * (at(last, friedmann.OffTime) + cosmo.AgeTail(aEnd, ex.Or, ex.Ocb))
	}
	return nil
}

// nuIndex is the barotropic index γ = 1 + w(a) of massive neutrinos.
type nuIndex struct{ nu neutrino.Species }

func (n *nuIndex) Gamma(a float64) float64 { return 1 + n.nu.MassiveEoS(a) }

// fluidFailure explains a failed integration. With a negative curvature or
// dark-energy density, E² can reach zero going back in time (the universe
// would have bounced): the Ω_i then diverge and the steps underflow there.
func fluidFailure(m *cosmo.Model, p *cosmo.Params, ok, ode float64, err error) error {
	var se *solver.StepSizeError
	var nf *solver.NonFiniteError
	t := math.NaN()
	switch {
	case errors.As(err, &se):
		t = se.T
	case errors.As(err, &nf):
		t = nf.T
	}
	if (ok < 0 || ode < 0) && !math.IsNaN(t) {
		return &cosmo.PointError{Model: m.Name(), Reason: fmt.Sprintf("E²(z) reaches 0 near z = %.4g: no expanding universe reaches the redshifts asked for (Om = %g, Ok = %g)", math.Expm1(-t), p.Om, ok)}
	}
	return fmt.Errorf("model %s: %w", m.Name(), err)
}

// earlyEnd returns where a fluid integration for the age may stop: the
// latest N (at most last, at least earlyN) before which curvature and dark
// energy hold less than tailTol of the radiation density, and the massive
// neutrinos are relativistic to that, so that the closed form for
// radiation and matter (cosmo.AgeTail) is exact to that. For flat models
// whose dark energy dies fast in the past this saves the integration of
// the radiation era (a quarter of the steps).
func earlyEnd(m *cosmo.Model, p *cosmo.Params, ex *cosmo.Expansion, last float64) float64 {
	return radiationMatterFrom(m, p, ex, last, tailTol, earlyN)
}

// radiationMatterFrom returns the latest N, at most last and at least
// floor, before which curvature and dark energy hold less than share of
// the radiation density and the massive neutrinos are relativistic to
// that (earlyEnd with share = tailTol, floor = earlyN).
func radiationMatterFrom(m *cosmo.Model, p *cosmo.Params, ex *cosmo.Expansion, last, share, floor float64) float64 {
	lnA := last
	tol := share * ex.Or
	if ex.Ok != 0 {
		// |Ωk| a² ≤ tol·Ω_r
		lnA = math.Min(lnA, 0.5*math.Log(tol/math.Abs(ex.Ok)))
	}
	if ode := math.Abs(ex.Ode); ode > 0 && m.Fluid() != nil {
		lnA = math.Min(lnA, deNegligible(m.Fluid(), p.DE, ode, tol, floor))
	}
	if nu, err := p.Neutrinos(); err == nil && nu.MassSum() > 0 {
		// ρ_ν/ρ_ν,rel − 1 ≈ (5/7π²) y² ≤ share: y ≤ 3.7·√share.
		lnA = math.Min(lnA, math.Log(3.7*math.Sqrt(share)/nu.Y(1)))
	}
	return math.Max(lnA, floor)
}

// deNegligible returns an ln a at or before which the dark energy's share
// Ω_DE0·a⁴ρ_DE(a)/ρ_DE0 is below tol (relative to today's critical
// density, tol a lower bound on what the radiation then holds): from the
// early-time scaling a^{1−3w(0)}, corrected by the density's actual value
// until it is below tol (or floor is reached).
func deNegligible(de cosmo.Fluid, v cosmo.Values, ode, tol, floor float64) float64 {
	k := 1 - 3*de.W(0, v)
	if !(k > 0) {
		return floor
	}
	lnA := math.Log(tol/ode) / k
	for range 20 {
		if lnA <= floor {
			break
		}
		g := math.Log(ode/tol) + 4*lnA + lnDensity(de, v, lnA)
		if g <= 0 {
			return lnA
		}
		lnA -= math.Max(g/k, 0.05)
	}
	return floor
}

// lnDensity returns ln(ρ_DE/ρ_DE0) at ln a: the closed form when the dark
// energy has one, else 3∫(1+w)d ln a by the midpoint rule on 200 steps
// (enough to decide where the integration may stop).
func lnDensity(de cosmo.Fluid, v cosmo.Values, lnA float64) float64 {
	if c, ok := de.(cosmo.ClosedFluid); ok {
		return c.LnDensity(-lnA, -math.Expm1(lnA), v)
	}
	const n = 200
	h := -lnA / n
	s := 0.0
	for i := range n {
		s += 1 + de.W(math.Exp(lnA+(float64(i)+0.5)*h), v)
	}
	return 3 * s * h
}

// fluidIndex is the barotropic index γ = 1 + w(a) of a fluid dark energy
// at the values v, for friedmann.FluidSystem.
type fluidIndex struct {
	de cosmo.Fluid
	v  cosmo.Values
}

func (f *fluidIndex) Gamma(a float64) float64 { return 1 + f.de.W(a, f.v) }

// constant reports whether the dark energy's density is constant.
func (f *fluidIndex) constant() bool {
	c, ok := f.de.(cosmo.ClosedFluid)
	return ok && c.Constant(f.v)
}
