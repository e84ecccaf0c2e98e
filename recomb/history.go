package recomb

import (
	"fmt"
	"math"
	"sort"
)

// Cosmology is what the thermal history needs of a cosmological model: the
// baryons, the helium, the CMB temperature and the expansion rate.
type Cosmology struct {
	// OmegaBH2 is the physical baryon density ω_b = Ω_b h², in (0, 1).
	OmegaBH2 float64
	// YHe is the helium mass fraction Y_He = ρ_He/ρ_b, in (0, 1). Zero
	// means BBN consistency: HeliumBBN(OmegaBH2, NEff), as CAMB does by
	// default.
	YHe float64
	// TCMB is the CMB temperature today in K; zero means TCMBDefault.
	TCMB float64
	// NEff is the effective number of neutrino species. It enters only
	// through BBN (when YHe is zero), and must then lie in the PRIMAT
	// table (BBNRange); the expansion rate is the Hubble function's.
	NEff float64
	// Hubble returns the expansion rate H(z) in km/s/Mpc, with everything
	// the model has: photons, massless and massive neutrinos, baryons,
	// dark matter, dark energy and curvature. It is called for
	// 0 ≤ z ≲ 10⁶ (the sound horizon is an integral to z = ∞; its
	// quadrature's nodes stop there) and must return a finite positive
	// value. Solve calls it about 750 times; History keeps it for
	// SoundHorizon.
	Hubble func(z float64) float64
}

// Settings control Solve. A nil *Settings, and the zero value of a field,
// mean the default.
type Settings struct {
	// RTol is the relative tolerance of the integration of the
	// recombination equations, in [1e-10, 1e-3]; default 1e-4. It bounds
	// the local errors of x_H and T_m relative to their values, of x_He
	// relative to x_e/f_He (helium matters through x_e) and of the optical
	// depths relative to their increments. At the default the epochs are
	// within 7e-7 of their converged values and x_e within 3.3e-4; at
	// 1e-6, 1.3e-9 and 6e-6 (TestConvergence).
	RTol float64
	// Fudge is the set of RECFAST corrections; nil means DefaultFudge.
	Fudge *Fudge
}

// DefaultRTol is the default Settings.RTol.
const DefaultRTol = 1e-4

// DefaultFudge is the RECFAST parameter set of CAMB 2.0.3's default
// recombination model, the one that reproduces its derived parameters.
var DefaultFudge = FudgeCosmoRec

// History is the ionization and thermal history of one cosmology, with its
// recombination and drag epochs. It is the workspace of Solve: reusing a
// History for the next cosmology allocates nothing once its buffers have
// grown to the size needed. The zero value is ready for use. A History is
// not safe for concurrent use by several goroutines, and must not be copied
// once used (the copy would share its buffers).
type History struct {
	m      model
	st     rosStepper
	ok     bool
	rtol   float64
	yHe    float64
	zStart float64 // the start of the integration: HeI leaves Saha equilibrium
	nStart float64
	xHe0   float64 // x_He at zStart
	ns     []float64
	ys     [][nState]float64
	fs     [][nState]float64  // dy/dN at the nodes, for the optical depths
	sl     [][nSpline]float64 // spline slopes of x_H, T_m/T_R and x_He
	work   []float64          // the spline's scratch
	epochs Epochs
	stats  Stats

	y, f0, yNew, yErr [nState]float64 // the integrator's state
}

// Stats counts the work of the last Solve.
type Stats struct {
	Steps       int // accepted steps of the recombination equations
	Rejected    int // rejected steps
	Evaluations int // evaluations of the equations
	HubbleCalls int // calls of Cosmology.Hubble, in all
}

// Solve computes the ionization history of c, from Saha equilibrium at high
// redshift through the RECFAST equations down to z = 0, and the epochs and
// sound horizons of Epochs, into dst. A nil s means the default Settings.
//
// Solve returns a *ParamError for an input outside its range (naming it,
// its value and the allowed range; a Hubble function that returns a value
// that is not finite and positive is reported as the parameter
// "Hubble(z=…)"), and an *EpochError when recombination does not complete
// or z* or z_drag does not exist. After an error dst holds no valid
// history (its methods return NaN).
func Solve(dst *History, c *Cosmology, s *Settings) error {
	dst.ok = false
	if c == nil {
		return fmt.Errorf("recomb: nil Cosmology")
	}
	set, err := s.resolve()
	if err != nil {
		return err
	}
	if err := c.validate(); err != nil {
		return err
	}
	yHe := c.YHe
	if yHe == 0 {
		if yHe, err = HeliumBBN(c.OmegaBH2, c.NEff); err != nil {
			return err
		}
	}
	tcmb := c.TCMB
	if tcmb == 0 {
		tcmb = TCMBDefault
	}
	dst.rtol = set.RTol
	dst.yHe = yHe
	dst.stats = Stats{}

	m := &dst.m
	*m = model{
		hubble: c.Hubble,
		fudge:  *set.Fudge,
		invF:   1 / set.Fudge.H,
		fHe:    yHe / (notHe4 * (1 - yHe)),
		nNow:   3 * (1e5 / megaparsec) * (1e5 / megaparsec) * c.OmegaBH2 * (1 - yHe) / (8 * math.Pi * gNewton * mHydrogen),
		tNow:   tcmb,
		lnTS:   math.Log(tcmb / TCMBDefault),
		heLive: true,
	}
	m.akC = sigmaThomson * m.nNow * megaparsec * cKmS
	m.r0 = 3 * c.OmegaBH2 / (4 * omegaGammaPerT4 * tcmb * tcmb * tcmb * tcmb)

	dst.zStart, dst.xHe0 = m.heliumStart()
	dst.nStart = -math.Log1p(dst.zStart)
	if err := dst.integrate(); err != nil {
		return err
	}
	dst.splineSlopes()
	if err := dst.findEpochs(); err != nil {
		return err
	}
	dst.stats.Evaluations = m.evals
	dst.stats.HubbleCalls = m.hubbleCalls
	dst.ok = true
	return nil
}

func (s *Settings) resolve() (Settings, error) {
	var d Settings
	if s != nil {
		d = *s
	}
	if d.RTol == 0 {
		d.RTol = DefaultRTol
	}
	if !(d.RTol >= 1e-10 && d.RTol <= 1e-3) {
		return d, &ParamError{Param: "Settings.RTol", Value: d.RTol, Allowed: "[1e-10, 1e-3]"}
	}
	if d.Fudge == nil {
		d.Fudge = &DefaultFudge
	}
	f := d.Fudge
	switch {
	case !(f.H > 0) || math.IsInf(f.H, 1):
		return d, &ParamError{Param: "Fudge.H", Value: f.H, Allowed: "(0, +Inf)"}
	case !(f.HeI > 0) || math.IsInf(f.HeI, 1):
		return d, &ParamError{Param: "Fudge.HeI", Value: f.HeI, Allowed: "(0, +Inf)"}
	}
	for i, g := range [2]Gaussian{f.K1, f.K2} {
		name := [2]string{"Fudge.K1", "Fudge.K2"}[i]
		switch {
		case math.IsNaN(g.Amp) || math.IsInf(g.Amp, 0) || g.Amp <= -1:
			return d, &ParamError{Param: name + ".Amp", Value: g.Amp, Allowed: "(-1, +Inf)"}
		case math.IsNaN(g.Center) || math.IsInf(g.Center, 0):
			return d, &ParamError{Param: name + ".Center", Value: g.Center, Allowed: "(-Inf, +Inf)"}
		case g.Amp != 0 && (!(g.Width > 0) || math.IsInf(g.Width, 1)):
			return d, &ParamError{Param: name + ".Width", Value: g.Width, Allowed: "(0, +Inf)"}
		}
	}
	return d, nil
}

func (c *Cosmology) validate() error {
	finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	switch {
	case !(c.OmegaBH2 > 0 && c.OmegaBH2 < 1):
		return &ParamError{Param: "OmegaBH2", Value: c.OmegaBH2, Allowed: "(0, 1)"}
	case c.YHe != 0 && !(c.YHe > 0 && c.YHe < 1):
		return &ParamError{Param: "YHe", Value: c.YHe, Allowed: "(0, 1), or 0 for BBN"}
	case c.TCMB != 0 && !(c.TCMB > 0 && finite(c.TCMB)):
		return &ParamError{Param: "TCMB", Value: c.TCMB, Allowed: "(0, +Inf), or 0 for 2.7255 K"}
	case !(c.NEff >= 0 && finite(c.NEff)):
		return &ParamError{Param: "NEff", Value: c.NEff, Allowed: "[0, +Inf)"}
	case c.Hubble == nil:
		return fmt.Errorf("recomb: Cosmology.Hubble is nil")
	}
	return nil
}

// sahaRHS returns RECFAST's Saha factor (2π m_e kT/h²)^{3/2} e^{−χ/kT}/n_H
// at 1+z = u for the ionization energy χ/k = cb, in K.
func (m *model) sahaRHS(u, cb float64) float64 {
	return math.Exp(1.5*math.Log(crSaha*m.tNow/u)-cb/(m.tNow*u)) / m.nNow
}

// heliumStart returns where RECFAST leaves the Saha phases and starts the
// equations: HeI in Saha equilibrium until x_He = 0.99 (and not before
// z_s = 3500), hydrogen fully ionized until then.
func (m *model) heliumStart() (z, xHe float64) {
	// Saha for He⁺ ↔ He⁰ with x_H = 1: x² + (r−1)x − (1+f)r = 0, x = 1 + f x_He,
	// r = 4·saha. At x_He = 0.99: r* = x(x−1)/(1+f−x).
	f := m.fHe
	x := 1 + 0.99*f
	target := math.Log(x * (x - 1) / (1 + f - x) / 4)
	g := func(u float64) float64 {
		return 1.5*math.Log(crSaha*m.tNow/u) - cb1He1/(m.tNow*u) - math.Log(m.nNow) - target
	}
	// g = ln(r/r*) increases with u over the range of interest: bisect
	// in ln u.
	uMax := (3500 + 1) * TCMBDefault / m.tNow
	lo, hi := math.Log(10.0), math.Log(uMax)
	if g(uMax) <= 0 {
		// x_He is at most 0.99 already at z_s = 3500 (only for extreme
		// ω_b or T_CMB): the equations start there.
		lo = hi
	}
	for range 200 {
		if hi-lo < 1e-15 {
			break
		}
		mid := 0.5 * (lo + hi)
		if g(math.Exp(mid)) > 0 {
			hi = mid
		} else {
			lo = mid
		}
	}
	u := math.Exp(hi)
	return u - 1, m.sahaHe(u)
}

// sahaHe returns x_He = n_He⁺/n_He from the Saha equation of HeI at 1+z = u
// with hydrogen fully ionized.
func (m *model) sahaHe(u float64) float64 {
	r := 4 * m.sahaRHS(u, cb1He1)
	x := 0.5 * (math.Sqrt((r-1)*(r-1)+4*(1+m.fHe)*r) - (r - 1))
	return (x - 1) / m.fHe
}

// sahaXe returns x_e = n_e/n_H in RECFAST's Saha phases at 1+z = u:
// everything ionized above z_s = 8000, HeII ↔ HeIII Saha down to 5000, He
// singly ionized down to 3500, then HeI ↔ HeII Saha.
func (m *model) sahaXe(u float64) float64 {
	zs := u*m.tNow/TCMBDefault - 1
	f := m.fHe
	switch {
	case zs > 8000:
		return 1 + 2*f
	case zs > 5000:
		r := m.sahaRHS(u, cb1He2)
		b := r - 1 - f
		return 0.5 * (math.Sqrt(b*b+4*(1+2*f)*r) - b)
	case zs > 3500:
		return 1 + f
	default:
		return 1 + f*m.sahaHe(u)
	}
}

// The largest step in N = ln a before z = 400 (nLate = −ln 401).
const (
	maxSteps  = 100000
	hMaxEarly = 0.03
	nLate     = -5.993961427306569
)

// slowStart returns the initial x_H and T_m/T_R at N, with x_He given: on
// the slow manifold of the stiff equations, so that the integration starts
// without a transient (RECFAST starts from x_H = 1 and T_m = T_R, 1e-9 and
// 1e-7 away, which the first steps must then resolve). Hydrogen is in Saha
// equilibrium, x_H x_e/(1 − x_H) = r with x_e = x_H + f_He x_He, and the
// temperature in Compton equilibrium, λ(T_m/T_R − 1) + T_m/T_R = 0 with λ
// the Compton rate over H.
func (m *model) slowStart(n, xHe float64) (xH, tm, xHeOut float64) {
	u := math.Exp(-n)
	r := m.sahaRHS(u, cb1H)
	b := m.fHe*xHe + r
	xH = 2 * r / (b + math.Sqrt(b*b+4*r)) // the positive root, without cancellation
	e := m.setEnv(n)
	x := xH + m.fHe*xHe
	lam := e.compton * x / (1 + m.fHe + x)
	return xH, lam / (1 + lam), xHe
}

// integrate solves the equations from nStart to N = 0 and records the steps.
func (h *History) integrate() error {
	m := &h.m
	st := &h.st
	st.sys = m
	st.nc = 3
	// Finite-difference steps of the Jacobian are √ε·max(|y_j|, floor_j).
	floor := [nState]float64{1e-8, 1e-8, 1e-12, 1, 1}

	y, f0, yNew, yErr := &h.y, &h.f0, &h.yNew, &h.yErr
	n := h.nStart
	*y = [nState]float64{}
	y[iXH], y[iTm], y[iXHe] = m.slowStart(n, h.xHe0)
	m.rhs(f0, n, y)
	h.ns = append(h.ns[:0], n)
	h.ys = append(h.ys[:0], *y)
	h.fs = append(h.fs[:0], *f0)

	step := 1e-3
	const facMin, facMax, safety = 0.2, 6.0, 0.9
	rejectedLast := false
	for n < 0 {
		if m.bad {
			return h.hubbleError()
		}
		if h.stats.Steps+h.stats.Rejected > maxSteps || step < 1e-12 {
			return &EpochError{Epoch: "recombination", Detail: fmt.Sprintf("the RECFAST equations failed at z = %.6g (step %.3g after %d steps)", math.Expm1(-n), step, h.stats.Steps+h.stats.Rejected), ZMin: 0, ZMax: h.zStart}
		}
		// Before z ≈ 400 the quasi-equilibria of x_H and x_He move by
		// order unity over ΔN ≈ 0.1: with longer steps a linearly implicit
		// method can follow the equilibrium of the step's start while its
		// error estimate, dominated by the stiff components, stays small.
		if n < nLate && step > hMaxEarly {
			step = hMaxEarly
		}
		last := false
		if n+1.01*step >= 0 {
			step = -n
			last = true
		}
		st.jacobian(n, y, f0, &floor)
		ok := st.step(n, step, y, f0, yNew, yErr)
		if m.bad {
			return h.hubbleError()
		}
		errN := math.NaN() // a failed step is rejected as a non-finite error
		if ok {
			errN = h.errorNorm(y, yNew, yErr)
		}
		fac := facMin
		if !math.IsNaN(errN) && !math.IsInf(errN, 0) {
			fac = safety / math.Sqrt(math.Sqrt(errN)) // safety·err^(−1/4): not math.Pow, 6 % of Solve
			fac = math.Min(facMax, math.Max(facMin, fac))
		}
		if !(errN <= 1) {
			step *= fac
			h.stats.Rejected++
			rejectedLast = true
			continue
		}
		h.stats.Steps++
		if last {
			n = 0
		} else {
			n += step
		}
		h.accept(n)
		if rejectedLast {
			fac = math.Min(fac, 1)
		}
		rejectedLast = false
		step *= fac
	}
	if m.bad {
		return h.hubbleError()
	}
	return nil
}

// errorNorm returns the error of a step from y to yNew: the RMS over the
// components of the error estimate yErr relative to a scale for each;
// +Inf for a step that leaves the physical domain.
func (h *History) errorNorm(y, yNew, yErr *[nState]float64) float64 {
	m, rtol := &h.m, h.rtol
	sum, cnt := 0.0, 0
	for i := range nState {
		var sc float64
		switch i {
		case iXH:
			sc = rtol * (1e-6 + math.Max(y[i], yNew[i]))
		case iTm:
			sc = rtol * math.Max(y[i], yNew[i])
		case iXHe:
			if !m.heLive {
				continue
			}
			// x_He matters through x_e = x_H + f_He x_He.
			sc = rtol * math.Max(y[iXH], yNew[iXH]) / m.fHe
		default:
			// The depths enter through their increments from z to 0.
			sc = rtol * (1e-3 + math.Abs(yNew[i]-y[i]))
		}
		r := yErr[i] / sc
		sum += r * r
		cnt++
	}
	// A step that leaves the physical domain is too long, whatever its
	// error estimate (as CAMB's RecfastRosenbrockStateOK).
	if !(yNew[iXH] >= -1e-8 && yNew[iXH] <= 1+1e-7 && yNew[iTm] > 0) ||
		m.heLive && !(yNew[iXHe] <= 1+1e-7 && yNew[iXHe] >= -heFreeze) {
		return math.Inf(1)
	}
	return math.Sqrt(sum / float64(cnt))
}

// accept takes the step's new state h.yNew at N = n, records it, and
// freezes helium once its recombination is over.
func (h *History) accept(n float64) {
	m, y, f0 := &h.m, &h.y, &h.f0
	*y = h.yNew
	y[iXH] = math.Min(math.Max(y[iXH], 0), 1)
	if m.heLive && y[iXHe] < heFreeze {
		// Helium recombination is over: x_He stays at its value.
		m.heLive = false
		y[iXHe] = math.Max(y[iXHe], 0)
		m.xHeFixed = y[iXHe]
		m.rValid = false
		h.st.nc = 2
	}
	m.rhs(f0, n, y)
	h.ns = append(h.ns, n)
	h.ys = append(h.ys, *y)
	h.fs = append(h.fs, *f0)
}

func (h *History) hubbleError() error {
	return &ParamError{Param: fmt.Sprintf("Hubble(z=%.6g)", h.m.badZ), Value: h.m.badH, Allowed: "(0, +Inf)"}
}

// segment returns the index i of the step [ns[i], ns[i+1]] that holds N.
func (h *History) segment(n float64) int {
	i := sort.SearchFloat64s(h.ns, n) - 1
	return max(0, min(i, len(h.ns)-2))
}

// hermite evaluates component k of the cubic Hermite interpolant on step i
// at N: with the slopes f of the equations for the optical depths, whose
// integrands are smooth, and with the spline's slopes for x_H, T_m/T_R and
// x_He, for which f at a node is no estimate of the derivative where the
// equations are stiff (a deviation δ from the quasi-equilibrium of a
// component relaxing at the rate λ ≫ 1 per e-fold gives f = −λδ).
func (h *History) hermite(i, k int, n float64) float64 {
	n0, n1 := h.ns[i], h.ns[i+1]
	dn := n1 - n0
	t := (n - n0) / dn
	y0, y1 := h.ys[i][k], h.ys[i+1][k]
	d0, d1 := h.slope(i, k)*dn, h.slope(i+1, k)*dn
	// y0 + t(d0 + t((3Δ − 2d0 − d1) + t(d0 + d1 − 2Δ))), Δ = y1 − y0
	delta := y1 - y0
	return y0 + t*(d0+t*((3*delta-2*d0-d1)+t*(d0+d1-2*delta)))
}

// Xe returns the free electrons per hydrogen nucleus, x_e = n_e/n_H, at
// redshift z ≥ 0 (without reionization). It is 1 + 2f_He when everything
// is ionized, f_He = n_He/n_H. It returns NaN for z < 0 or if the last
// Solve failed.
func (h *History) Xe(z float64) float64 {
	if !h.ok || !(z >= 0) {
		return math.NaN()
	}
	if z >= h.zStart {
		return h.m.sahaXe(1 + z)
	}
	n := -math.Log1p(z)
	i := h.segment(n)
	return h.hermite(i, iXH, n) + h.m.fHe*h.hermite(i, iXHe, n)
}

// XH returns the ionized fraction of hydrogen n_HII/n_H at z ≥ 0.
func (h *History) XH(z float64) float64 {
	if !h.ok || !(z >= 0) {
		return math.NaN()
	}
	if z >= h.zStart {
		return 1
	}
	n := -math.Log1p(z)
	return h.hermite(h.segment(n), iXH, n)
}

// Tm returns the matter (baryon) temperature in K at z ≥ 0.
func (h *History) Tm(z float64) float64 {
	if !h.ok || !(z >= 0) {
		return math.NaN()
	}
	trad := h.m.tNow * (1 + z)
	if z >= h.zStart {
		return trad
	}
	n := -math.Log1p(z)
	return trad * h.hermite(h.segment(n), iTm, n)
}

// YHe returns the helium mass fraction of the last Solve (given, or from
// BBN).
func (h *History) YHe() float64 {
	if !h.ok {
		return math.NaN()
	}
	return h.yHe
}

// FHe returns n_He/n_H of the last Solve.
func (h *History) FHe() float64 {
	if !h.ok {
		return math.NaN()
	}
	return h.m.fHe
}

// Stats returns the work counts of the last Solve.
func (h *History) Stats() Stats { return h.stats }
