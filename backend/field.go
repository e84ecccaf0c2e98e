package backend

import (
	"fmt"
	"math"

	"github.com/cosmoemu/cosmoemu/cosmo"
	"github.com/cosmoemu/cosmoemu/friedmann"
	"github.com/cosmoemu/cosmoemu/growth"
	"github.com/cosmoemu/cosmoemu/solver"
)

// The scalar field starts at rest at N = FieldStartN with y = y_i, which
// sets how much potential energy it has. Today's Ω_φ is a function of
// s = ln y_i that rises while the field stays frozen until late (Ω_φ ∝ y_i²),
// reaches a maximum when the field starts rolling too early for a steep
// potential, and then tends to the scaling value 3/λ². The physical
// (thawing) solution is the root on the rising branch; if the maximum is
// below the target, no thawing field gives the Ω_φ0 asked for.
//
// The search runs on the core system (x, y, Ω_r) alone, which is cheap;
// the full system then integrates with the solver's step control restricted
// to those components (solver.Settings.Controlled), so that its core
// trajectory is bit-identical to the search's last one and Ω_φ today is
// matched (to FieldTol) on the very trajectory the observables come from.
// A separate final solve with the extra quantities in the step control
// would differ by the global error of the growing mode y, about 1e3·rtol.

// fieldStart writes the state (x, y, Ω_r, Ω_ν, a, u[, χ, s, t]) at
// N = FieldStartN for y_i = e^s: the field at rest, and radiation, massive
// neutrinos and matter sharing the rest in the ratios of their densities
// there (share), which are those of today's densities carried back by
// their own laws whatever the field does.
func fieldStart(dst []float64, s float64, share *[3]float64) {
	y := math.Exp(s)
	rest := 1 - y*y
	dst[friedmann.FieldX] = 0
	dst[friedmann.FieldY] = y
	dst[friedmann.FieldOr] = rest * share[0]
	dst[friedmann.FieldNu] = rest * share[1]
	// a and u = H_i/(a²H) start at a_i and 1/a_i²; χ, s and t at 0.
	ai := math.Exp(FieldStartN)
	e := dst[friedmann.FieldCore:]
	e[friedmann.OffA], e[friedmann.OffU] = ai, 1/(ai*ai)
	for i := friedmann.OffU + 1; i < len(e); i++ {
		e[i] = 0
	}
}

// startShares returns the shares of radiation, massive neutrinos and matter
// in their sum at N = FieldStartN for the densities of ex.
func startShares(ex *cosmo.Expansion) [3]float64 {
	ai := math.Exp(FieldStartN)
	r, nu, m := ex.Orl, ex.NuDensity(ai), ex.Ocb*ai
	t := r + nu + m
	return [3]float64{r / t, nu / t, m / t}
}

// fieldShooter holds what the search needs besides the evaluator's full
// solve.
type fieldShooter struct {
	core  friedmann.FieldSystem
	sv    *solver.Solver // core system
	out   []float64
	shots int // core solves of the last search
}

func newFieldShooter(set solver.Settings) (*fieldShooter, error) {
	set.Controlled = 0
	sv, err := solver.New(friedmann.FieldShoot, &set)
	if err != nil {
		return nil, err
	}
	return &fieldShooter{sv: sv, out: make([]float64, friedmann.FieldShoot)}, nil
}

// solveCore returns ln(Ω_φ/target) today from the core system.
func (fs *fieldShooter) solveCore(s float64, share *[3]float64, target float64) (float64, error) {
	fs.shots++
	var st [friedmann.FieldShoot]float64
	fieldStart(st[:], s, share)
	zero := [1]float64{0}
	if _, err := fs.sv.Solve(fs.out, fs.core.Derivs, FieldStartN, st[:], zero[:]); err != nil {
		return 0, err
	}
	x, y := fs.out[friedmann.FieldX], fs.out[friedmann.FieldY]
	return math.Log((x*x + y*y) / target), nil
}

// full solves the full system from y_i = e^s to the output times ev.ts (the
// last is N = 0), leaving the solution in ev.sol, and returns
// ln(Ω_φ/target) today.
func (ev *solverEval) full(s float64, share *[3]float64, target float64) (float64, error) {
	fieldStart(ev.y0, s, share)
	d := ev.fdim
	if fd := ev.fieldX.Dim(); d > fd {
		if err := fieldGrowthStart(ev.y0[fd:], ev.y0, ev.fieldX.Nu); err != nil {
			return 0, err
		}
	}
	sol := ev.sol[:len(ev.ts)*d]
	if _, err := ev.sv.Solve(sol, ev.fieldRHS, FieldStartN, ev.y0, ev.ts); err != nil {
		return 0, err
	}
	last := (len(ev.ts) - 1) * d
	x, y := sol[last+friedmann.FieldX], sol[last+friedmann.FieldY]
	return math.Log((x*x + y*y) / target), nil
}

// shootField finds ln y_i of the thawing solution and leaves its full
// solution in ev.sol.
func (ev *solverEval) shootField(p *cosmo.Params, ex *cosmo.Expansion) error {
	m := ev.model
	om := p.Om
	target := 1 - om - ex.Orl
	share := startShares(ex)
	fs := ev.shooter
	fs.shots = 0
	field := m.Field()
	field.Setup(&fs.core, p.DE)
	fs.core.Nu = ev.fieldX.Nu
	fail := func(why string) error {
		return &cosmo.PointError{Model: m.Name(),
			Reason: fmt.Sprintf("unphysical scalar field at %s: %s", m.Format(p, 6), why)}
	}
	f := func(s float64) (float64, error) { return fs.solveCore(s, &share, target) }
	// |ln(Ω_φ/Ω_φ0)| ≤ tol gives |Ω_φ − Ω_φ0| ≤ FieldTol.
	tol := 0.9 * FieldTol / target

	// ΛCDM guess: Ω_Λ(N) = Ω_Λ0/E²(N) at the start.
	n := FieldStartN
	e2 := ex.E2(math.Exp(-n), -n)
	s0 := 0.5 * math.Log(target/e2)
	// A rolling field needs more potential energy.
	s0 += field.GuessShift(p.DE, om)
	f0, err := f(s0)
	if err != nil {
		return fail(err.Error())
	}
	// Secant steps from the guess, the first with the frozen field's slope
	// 2. Once the root is bracketed, steps that leave the bracket fall back
	// to Illinois regula falsi; without a bracket they are at most 1 long.
	// A step up that finds a lower value below the target means Ω_φ0 has a
	// maximum near: if even that is below the target there is no thawing
	// solution.
	var lo, hi, flo, fhi float64
	haveLo, haveHi := false, false
	record := func(s, fs float64) {
		if fs < 0 {
			if !haveLo || s > lo {
				lo, flo, haveLo = s, fs, true
			}
		} else if !haveHi || s < hi {
			hi, fhi, haveHi = s, fs, true
		}
	}
	s := s0
	record(s0, f0)
	if math.Abs(f0) > tol {
		s = s0 - f0/2
	}
	for it := 0; math.Abs(f0) > tol; it++ {
		if it == 60 {
			return fail("the search for the initial potential did not converge")
		}
		f1, err := f(s)
		if err != nil {
			return fail(err.Error())
		}
		if math.Abs(f1) <= tol {
			break
		}
		if f1 < 0 && f0 < 0 && s > s0 && f1 <= f0 && !haveHi {
			peak, fpeak, err := fs.maximize(f, s0-(s-s0), s)
			if err != nil {
				return fail(err.Error())
			}
			if fpeak < 0 {
				return fail(fmt.Sprintf("a field at rest at N = %g reaches at most Ω_φ0 = %.4g, below the %.6g asked for", FieldStartN, target*math.Exp(fpeak), target))
			}
			record(peak, fpeak)
			s, f1 = peak, fpeak
		}
		record(s, f1)
		next := s - f1*(s-s0)/(f1-f0)
		if f1 == f0 || math.IsNaN(next) || math.IsInf(next, 0) {
			next = s - f1/2
		}
		if haveLo && haveHi {
			if !(next > lo && next < hi) || it%4 == 3 {
				next = (lo*fhi - hi*flo) / (fhi - flo)
				if !(next > lo && next < hi) {
					next = (lo + hi) / 2
				}
			}
		} else if math.Abs(next-s) > 1 {
			next = s + math.Copysign(1, next-s)
		}
		s0, f0, s = s, f1, next
	}
	// The full solve repeats the search's last trajectory.
	fv, err := ev.full(s, &share, target)
	if err != nil {
		return fail(err.Error())
	}
	if math.Abs(math.Expm1(fv))*target > FieldTol {
		return fail(fmt.Sprintf("the full solve missed Ω_φ0 by %.3g", math.Expm1(fv)*target))
	}
	return nil
}

// maximize returns the maximum of f on [a, b] by golden-section search,
// to 1e-2 in s: near a maximum that moves Ω_φ0 by about 1e-4, enough to tell whether the target is reachable.
func (fs *fieldShooter) maximize(f func(float64) (float64, error), a, b float64) (s, fs0 float64, err error) {
	const g = 0.6180339887498949
	c, d := b-g*(b-a), a+g*(b-a)
	fc, err := f(c)
	if err != nil {
		return 0, 0, err
	}
	fd, err := f(d)
	if err != nil {
		return 0, 0, err
	}
	for b-a > 1e-2 {
		if fc > fd {
			b, d, fd = d, c, fc
			c = b - g*(b-a)
			if fc, err = f(c); err != nil {
				return 0, 0, err
			}
		} else {
			a, c, fc = c, d, fd
			d = a + g*(b-a)
			if fd, err = f(d); err != nil {
				return 0, 0, err
			}
		}
	}
	if fc > fd {
		return c, fc, nil
	}
	return d, fd, nil
}

func (ev *solverEval) evalField(dst *cosmo.Result, p *cosmo.Params) error {
	m, r := ev.model, &ev.req
	ex := m.EarlyExpansion(p)
	sys := ev.fieldX
	m.Field().Setup(sys, p.DE)
	sys.Nu = nil
	if nus, err := p.Neutrinos(); err == nil && nus.MassSum() > 0 {
		ev.nuIndex.nu = nus
		sys.Nu = &ev.nuIndex
	}
	var nStar float64
	if ev.early != nil {
		if err := ev.early.Compute(&dst.Epochs, m, p); err != nil {
			return err
		}
		nStar = -math.Log1p(dst.ZStar)
		if nStar < FieldStartN {
			return fmt.Errorf("model %s: z* = %g is before the field starts", m.Name(), dst.ZStar)
		}
	}
	// Outputs in increasing N: the redshifts are sorted decreasing in N,
	// so fill ev.ts in reverse, then N = 0.
	star := ev.outputs(nStar, 0, r.CMB, true)
	ts := ev.ts
	body := ts[:len(ts)-1]
	for i, j := 0, len(body)-1; i < j; i, j = i+1, j-1 {
		body[i], body[j] = body[j], body[i]
	}
	if star >= 0 {
		star = len(body) - 1 - star
	}
	if err := ev.shootField(p, &ex); err != nil {
		return err
	}
	d := ev.fdim
	sol := ev.sol[:len(ts)*d]
	at := func(j, off int) float64 { return sol[j*d+friedmann.FieldCore+off] }
	ai := math.Exp(FieldStartN)
	last := len(ts) - 1
	// u is H_i/(a²H); today a = 1, so K = u(0) = H_i/H0 rescales to H0.
	kk := at(last, friedmann.OffU)
	dH := cosmo.HubbleDistance(p.H0)
	tH := cosmo.GyrPerInvH0 / p.H0
	chi0, t0 := at(last, friedmann.OffChi), at(last, friedmann.OffTime)
	nz := len(ev.nz)
	for k, i := range ev.order {
		// The k-th smallest redshift is the k-th largest N: position
		// nz−1−k among the redshift outputs, shifted past N*.
		j := nz - 1 - k
		if star >= 0 && j >= star {
			j++
		}
		a, u := math.Exp(ts[j]), at(j, friedmann.OffU)
		dst.E[i] = kk / (a * a * u)
		if r.Distances {
			dst.DC[i] = dH * (chi0 - at(j, friedmann.OffChi)) / kk
			dst.DM[i] = dst.DC[i]
		}
		if r.Age {
			dst.Lookback[i] = tH * (t0 - at(j, friedmann.OffTime)) / kk
		}
		if r.W {
			x, y := sol[j*d+friedmann.FieldX], sol[j*d+friedmann.FieldY]
			dst.W[i] = (x*x - y*y) / (x*x + y*y)
		}
	}
	if r.CMB {
		dst.DMStar = dH * (chi0 - at(star, friedmann.OffChi)) / kk
	}
	if r.Age {
		dst.Age = tH * (t0/kk + cosmo.AgeTail(ai, ex.Or, ex.Ocb))
	}
	if r.Growth {
		return ev.fieldGrowth(dst, p, sol, star)
	}
	return nil
}

// fieldGrowth reads the growth from the full solve sol (rows of ev.fdim;
// the redshifts in reverse order of ev.order, shifted past N* at star,
// then N = 0).
func (ev *solverEval) fieldGrowth(dst *cosmo.Result, p *cosmo.Params, sol []float64, star int) error {
	d, g := ev.fdim, ev.fieldX.Dim()
	last := len(ev.ts) - 1
	lnD0 := sol[last*d+g+growth.IndexLnD]
	nz := len(ev.nz)
	for k, i := range ev.order {
		j := nz - 1 - k
		if star >= 0 && j >= star {
			j++
		}
		dst.DRatio[i] = math.Exp(sol[j*d+g+growth.IndexLnD] - lnD0)
		dst.F[i] = sol[j*d+g+growth.IndexF]
	}
	dst.D0 = math.Exp(lnD0)
	if !(dst.D0 > 0) || math.IsInf(dst.D0, 0) {
		return cosmo.NoGrowth(ev.model, p, &growth.Error{Z: 0, Reason: fmt.Sprintf("non-finite growth: D0 = %v", dst.D0)})
	}
	return nil
}
