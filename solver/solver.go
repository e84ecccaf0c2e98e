// Package solver integrates systems of ordinary differential equations
// y' = f(t, y) with the explicit Runge–Kutta pair of Dormand and Prince,
// RK5(4)7FM (Dormand & Prince 1980; Hairer, Nørsett & Wanner, Solving
// Ordinary Differential Equations I, 2nd ed., Sect. II.5 and the DOPRI5 code).
//
// Each step of size h advances the fifth-order solution and estimates the
// local error as the difference to the embedded fourth-order solution,
//
//	err = sqrt( (1/d) Σ_i (e_i / sc_i)² ),   sc_i = atol + rtol·max(|y_i|, |ŷ_i|),
//
// accepting the step when err ≤ 1. The next step size follows the
// PI controller of DOPRI5,
//
//	h_new = h · clamp( safety · err^{−(1/5 − 0.75β)} · err_prev^{β}, minFactor, maxFactor ),
//
// with growth limited after a rejection. The last stage of a step is the
// first of the next (first-same-as-last), so an accepted step costs six
// evaluations of f. Solutions at requested output times come from a
// continuous extension, so the output times never shorten the steps: by
// default the method's own of order four (Hairer's dense output for DOPRI5),
// or on request a bootstrapped quintic of order five (see Order5). Integration runs
// forward or backward: the direction is that of the output times from t0.
package solver

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/cosmoemu/cosmoemu/internal/fastmath"
)

// Func evaluates the right-hand side dst = f(t, y). It must not retain dst
// or y and should not allocate.
type Func func(dst []float64, t float64, y []float64)

// Settings control a Solver. The zero value of a field means its default.
type Settings struct {
	RTol float64 // relative tolerance; default 1e-6
	ATol float64 // absolute tolerance; default 1e-10

	InitialStep float64 // |h| of the first step; default: chosen automatically
	MaxStep     float64 // largest |h|; default: the whole interval
	MaxSteps    int     // most steps (accepted and rejected) per Solve; default 100000

	Safety    float64 // safety factor of the step-size controller; default 0.9
	MinFactor float64 // smallest ratio h_new/h; default 0.2
	MaxFactor float64 // largest ratio h_new/h; default 10
	Beta      float64 // PI stabilization exponent; default 0.04, −1 for a pure I controller

	// Dense selects the interpolant of the output times between steps;
	// the default is Order4.
	Dense Interpolant

	// Controlled is the number of leading components of the state whose
	// error controls the step size; the default (0) is all of them. The
	// other components are integrated with the same steps but do not
	// choose them: quantities that are integrals of the leading ones
	// (a distance along a trajectory, say) then leave that trajectory
	// bit-identical to a solve of the leading components alone.
	Controlled int
}

// An Interpolant is a continuous extension giving the solution between the
// ends of a step.
type Interpolant int

const (
	// Order4 is Hairer's continuous extension of DOPRI5: free, of order 4
	// (local error O(h⁵)), so between step ends the error is several times
	// that at the ends.
	Order4 Interpolant = iota
	// Order5 is a bootstrapped quintic of order 5 (local error O(h⁶)) that
	// is as accurate as the steps themselves, for two more evaluations of f
	// on each step that holds output times.
	Order5
)

// Defaults of Settings.
const (
	DefaultRTol      = 1e-6
	DefaultATol      = 1e-10
	DefaultMaxSteps  = 100000
	DefaultSafety    = 0.9
	DefaultMinFactor = 0.2
	DefaultMaxFactor = 10
	DefaultBeta      = 0.04
)

func (s *Settings) withDefaults() Settings {
	var d Settings
	if s != nil {
		d = *s
	}
	if d.RTol == 0 {
		d.RTol = DefaultRTol
	}
	if d.ATol == 0 {
		d.ATol = DefaultATol
	}
	if d.MaxSteps == 0 {
		d.MaxSteps = DefaultMaxSteps
	}
	if d.Safety == 0 {
		d.Safety = DefaultSafety
	}
	if d.MinFactor == 0 {
		d.MinFactor = DefaultMinFactor
	}
	if d.MaxFactor == 0 {
		d.MaxFactor = DefaultMaxFactor
	}
	switch {
	case d.Beta == 0:
		d.Beta = DefaultBeta
	case d.Beta < 0:
		d.Beta = 0
	}
	return d
}

func (s *Settings) validate() error {
	bad := func(name string, v float64, allowed string) error {
		return &SettingsError{Field: name, Value: v, Allowed: allowed}
	}
	switch {
	case !(s.RTol > 0 && s.RTol < 1):
		return bad("RTol", s.RTol, "(0, 1)")
	case !(s.ATol > 0) || math.IsInf(s.ATol, 1):
		return bad("ATol", s.ATol, "(0, +Inf)")
	case !(s.InitialStep >= 0) || math.IsInf(s.InitialStep, 1):
		return bad("InitialStep", s.InitialStep, "[0, +Inf)")
	case !(s.MaxStep >= 0) || math.IsInf(s.MaxStep, 1):
		return bad("MaxStep", s.MaxStep, "[0, +Inf)")
	case s.MaxSteps < 1:
		return bad("MaxSteps", float64(s.MaxSteps), "[1, +Inf)")
	case !(s.Safety > 0 && s.Safety <= 1):
		return bad("Safety", s.Safety, "(0, 1]")
	case !(s.MinFactor > 0 && s.MinFactor < 1):
		return bad("MinFactor", s.MinFactor, "(0, 1)")
	case !(s.MaxFactor > 1) || math.IsInf(s.MaxFactor, 1):
		return bad("MaxFactor", s.MaxFactor, "(1, +Inf)")
	case !(s.Beta >= 0 && s.Beta < 0.2):
		return bad("Beta", s.Beta, "[0, 0.2)")
	case s.Dense != Order4 && s.Dense != Order5:
		return bad("Dense", float64(s.Dense), "Order4 (0) or Order5 (1)")
	case s.Controlled < 0:
		return bad("Controlled", float64(s.Controlled), "[0, dimension]")
	}
	return nil
}

// Stats counts the work of one Solve.
type Stats struct {
	Evaluations int // calls of f
	Accepted    int // accepted steps
	Rejected    int // rejected steps
}

// A Solver integrates systems of a fixed dimension. It holds all the
// workspace it needs, so Solve does not allocate. A Solver is not safe for
// concurrent use; make one per goroutine.
type Solver struct {
	dim   int
	set   Settings
	invNC float64 // 1/Controlled

	y, y1, ytmp            []float64
	k1, k2, k3, k4, k5, k6 []float64
	k7                     []float64
	r1, r2, r3, r4, r5     []float64 // dense-output coefficients of the current step
	fa, fb, qc             []float64 // bootstrapped quintic: f at θ = 1/3, 2/3 and the quartic term

	// SolveAt's scratch: the times sorted outwards from t0, their
	// positions in the caller's order, and the rows in sorted order.
	atOrder []int
	atTimes []float64
	atRows  []float64

	stats Stats
}

// New returns a Solver for systems of dimension dim. A nil s means the
// default Settings. It returns a *SettingsError for invalid settings.
func New(dim int, s *Settings) (*Solver, error) {
	if dim < 1 {
		return nil, fmt.Errorf("solver: dimension %d < 1", dim)
	}
	set := s.withDefaults()
	if err := set.validate(); err != nil {
		return nil, err
	}
	if set.Controlled > dim {
		return nil, &SettingsError{Field: "Controlled", Value: float64(set.Controlled), Allowed: fmt.Sprintf("[0, %d]", dim)}
	}
	if set.Controlled == 0 {
		set.Controlled = dim
	}
	buf := make([]float64, 18*dim)
	next := func() []float64 {
		v := buf[:dim:dim]
		buf = buf[dim:]
		return v
	}
	return &Solver{
		dim: dim, set: set, invNC: 1 / float64(set.Controlled),
		y: next(), y1: next(), ytmp: next(),
		k1: next(), k2: next(), k3: next(), k4: next(), k5: next(), k6: next(), k7: next(),
		r1: next(), r2: next(), r3: next(), r4: next(), r5: next(),
		fa: next(), fb: next(), qc: next(),
	}, nil
}

// Dim returns the dimension of the systems the Solver integrates.
func (s *Solver) Dim() int { return s.dim }

// Settings returns the Solver's settings with defaults filled in.
func (s *Solver) Settings() Settings { return s.set }

// Stats returns the work counts of the last Solve.
func (s *Solver) Stats() Stats { return s.stats }

// Dormand–Prince RK5(4)7FM coefficients.
const (
	c2 = 1.0 / 5
	c3 = 3.0 / 10
	c4 = 4.0 / 5
	c5 = 8.0 / 9

	a21 = 1.0 / 5
	a31 = 3.0 / 40
	a32 = 9.0 / 40
	a41 = 44.0 / 45
	a42 = -56.0 / 15
	a43 = 32.0 / 9
	a51 = 19372.0 / 6561
	a52 = -25360.0 / 2187
	a53 = 64448.0 / 6561
	a54 = -212.0 / 729
	a61 = 9017.0 / 3168
	a62 = -355.0 / 33
	a63 = 46732.0 / 5247
	a64 = 49.0 / 176
	a65 = -5103.0 / 18656
	a71 = 35.0 / 384
	a73 = 500.0 / 1113
	a74 = 125.0 / 192
	a75 = -2187.0 / 6784
	a76 = 11.0 / 84

	// Error coefficients: fifth- minus fourth-order weights.
	e1 = 71.0 / 57600
	e3 = -71.0 / 16695
	e4 = 71.0 / 1920
	e5 = -17253.0 / 339200
	e6 = 22.0 / 525
	e7 = -1.0 / 40

	// Dense output (Hairer's CONTD5).
	d1 = -12715105075.0 / 11282082432
	d3 = 87487479700.0 / 32700410799
	d4 = -10690763975.0 / 1880347072
	d5 = 701980252875.0 / 199316789632
	d6 = -1453857185.0 / 822651844
	d7 = 69997945.0 / 29380423
)

// Solve integrates y' = f(t, y) from y(t0) = y0 and writes y(ts[j]) to
// dst[j*d : (j+1)*d], d = Dim(). The output times must run monotonically away
// from t0 (all ≥ t0 increasing, or all ≤ t0 decreasing); they may include t0.
// Integration stops at the last output time.
//
// Solve panics if len(y0) ≠ Dim() or len(dst) ≠ len(ts)·Dim(), and returns an
// error for output times that are not monotone or not finite. A failed
// integration returns a *StepSizeError, *MaxStepsError or *NonFiniteError
// saying where it happened; dst then holds the outputs reached so far.
func (s *Solver) Solve(dst []float64, f Func, t0 float64, y0 []float64, ts []float64) (Stats, error) {
	d := s.dim
	if len(y0) != d {
		panic(fmt.Sprintf("solver: len(y0) = %d, want %d", len(y0), d))
	}
	if len(dst) != len(ts)*d {
		panic(fmt.Sprintf("solver: len(dst) = %d, want len(ts)·dim = %d", len(dst), len(ts)*d))
	}
	s.stats = Stats{}
	if len(ts) == 0 {
		return s.stats, nil
	}
	dir, err := direction(t0, ts)
	if err != nil {
		return s.stats, err
	}
	for i, v := range y0 {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return s.stats, &NonFiniteError{T: t0, Component: i, Value: v}
		}
	}
	copy(s.y, y0)
	// Outputs at t0 need no step.
	out := 0
	for out < len(ts) && ts[out] == t0 {
		copy(dst[out*d:(out+1)*d], s.y)
		out++
	}
	if out == len(ts) {
		return s.stats, nil
	}
	err = s.integrate(dst[out*d:], f, t0, ts[out:], dir)
	return s.stats, err
}

// direction checks that t0 and the output times are finite and that the
// times run monotonically away from t0, and returns the direction of
// integration, +1 or −1.
func direction(t0 float64, ts []float64) (float64, error) {
	if math.IsNaN(t0) || math.IsInf(t0, 0) {
		return 0, fmt.Errorf("solver: initial time t0 = %v is not finite", t0)
	}
	dir := 1.0
	if ts[len(ts)-1] < t0 {
		dir = -1
	}
	prev := t0
	for j, t := range ts {
		if math.IsNaN(t) || math.IsInf(t, 0) {
			return 0, fmt.Errorf("solver: output time ts[%d] = %v is not finite", j, t)
		}
		if (t-prev)*dir < 0 {
			return 0, fmt.Errorf("solver: output times are not monotone away from t0 = %v: ts[%d] = %v after %v", t0, j, t, prev)
		}
		prev = t
	}
	return dir, nil
}

// controller is the PI step-size controller of DOPRI5 (see the package
// documentation), working with logarithms of the error.
type controller struct {
	safety, beta, minFactor, maxFactor float64
	expo1                              float64 // 1/5 − 0.75β
	lnFacOld                           float64 // ln of the previous accepted error, at least lnMinFacOld
}

const lnMinFacOld = -9.210340371976184 // ln 1e-4, DOPRI5's floor on the previous error

func newController(set *Settings) controller {
	return controller{
		safety: set.Safety, beta: set.Beta, minFactor: set.MinFactor, maxFactor: set.MaxFactor,
		expo1: 0.2 - 0.75*set.Beta, lnFacOld: lnMinFacOld,
	}
}

// accept returns h_new/h after a step accepted with error² errSq ≤ 1,
// safety·err^{−expo1}·errOld^{β} clamped to [minFactor, maxFactor], and
// remembers the error.
func (c *controller) accept(errSq float64) float64 {
	lnErr := 0.5 * fastmath.CoarseLn(errSq)
	grow := c.safety * fastmath.CoarseExp(c.beta*c.lnFacOld-c.expo1*lnErr)
	if grow > c.maxFactor {
		grow = c.maxFactor
	}
	if grow < c.minFactor {
		grow = c.minFactor
	}
	c.lnFacOld = lnMinFacOld
	if lnErr > lnMinFacOld {
		c.lnFacOld = lnErr
	}
	return grow
}

// reject returns h_new/h after a step rejected with error² errSq > 1:
// safety·err^{−expo1}, at least minFactor.
func (c *controller) reject(errSq float64) float64 {
	return math.Max(c.minFactor, c.safety*fastmath.CoarseExp(-0.5*c.expo1*fastmath.CoarseLn(errSq)))
}

// integrate steps from y(t0) = s.y to the last of the output times ts, all
// beyond t0 in the direction dir, writing y(ts[j]) to dst[j*d : (j+1)*d],
// and sets s.stats.
func (s *Solver) integrate(dst []float64, f Func, t0 float64, ts []float64, dir float64) error {
	set := &s.set
	tEnd := ts[len(ts)-1]
	hmax := set.MaxStep
	if span := math.Abs(tEnd - t0); hmax == 0 || hmax > span {
		hmax = span
	}
	ctl := newController(set)
	t := t0
	f(s.k1, t, s.y)
	evals := 1
	h := set.InitialStep
	if h == 0 {
		h = s.initialStep(f, t, s.y, s.k1, hmax, dir)
		evals++
	}
	accepted, rejected, maxSteps := 0, 0, set.MaxSteps
	h = math.Min(h, hmax) * dir
	rejectedLast, nonFinite := false, false
	out := 0
	for {
		if accepted+rejected >= maxSteps {
			s.stats = Stats{Evaluations: evals, Accepted: accepted, Rejected: rejected}
			return &MaxStepsError{T: t, Steps: maxSteps}
		}
		if 0.1*math.Abs(h) <= math.Abs(t)*0x1p-52 || h == 0 {
			s.stats = Stats{Evaluations: evals, Accepted: accepted, Rejected: rejected}
			if nonFinite {
				return &NonFiniteError{T: t, Component: -1, Value: math.NaN()}
			}
			return &StepSizeError{T: t, H: h}
		}
		last := false
		if (t+1.01*h-tEnd)*dir >= 0 {
			h = tEnd - t
			last = true
		}
		tNew := t + h
		if last {
			tNew = tEnd // t + (tEnd − t) may round away from tEnd
		}
		errSq := s.step(f, t, h, tNew)
		evals += 6
		if errSq-errSq != 0 {
			// A non-finite stage: retry with a much smaller step.
			nonFinite, rejectedLast = true, true
			rejected++
			h *= ctl.minFactor
			continue
		}
		if errSq > 1 {
			h *= ctl.reject(errSq)
			rejected++
			rejectedLast = true
			continue
		}
		nonFinite = false
		hNew := h * ctl.accept(errSq)
		accepted++
		if out < len(ts) && (ts[out]-tNew)*dir <= 0 {
			var n int
			out, n = s.denseOutput(dst, f, ts, out, t, tNew, h, dir)
			evals += n
		}
		copy(s.y, s.y1)
		s.k1, s.k7 = s.k7, s.k1 // first same as last
		t = tNew
		if last || out == len(ts) {
			s.stats = Stats{Evaluations: evals, Accepted: accepted, Rejected: rejected}
			return nil
		}
		if math.Abs(hNew) > hmax {
			hNew = hmax * dir
		}
		if rejectedLast {
			hNew = dir * math.Min(math.Abs(hNew), math.Abs(h))
		}
		rejectedLast = false
		h = hNew
	}
}

// step takes one Dormand–Prince step of size h from y(t) = s.y, with
// k1 = f(t, y), to tNew = t + h: it computes the stages k2 to k7 and the
// fifth-order solution s.y1, and returns the square of the RMS error
// estimate over the controlled components, NaN if a stage or the solution
// is not finite.
func (s *Solver) step(f Func, t, h, tNew float64) float64 {
	y, y1, yt := s.y, s.y1, s.ytmp
	k1, k2, k3, k4, k5, k6, k7 := s.k1, s.k2, s.k3, s.k4, s.k5, s.k6, s.k7
	// Stages 2 to 7. Each stage input is y + h Σ_j a_sj k_j; the term of
	// the newest stage enters last through one fused multiply-add, so
	// that the rest of the sum is ready before its stage is.
	h2, h3, h4, h5, h6, h7 := h*a21, h*a32, h*a43, h*a54, h*a65, h*a76
	y = y[:len(yt)]
	k1 = k1[:len(yt)]
	for i := range yt {
		yt[i] = math.FMA(h2, k1[i], y[i])
	}
	f(k2, t+c2*h, yt)
	k2 = k2[:len(yt)]
	for i := range yt {
		yt[i] = math.FMA(h3, k2[i], y[i]+h*(a31*k1[i]))
	}
	f(k3, t+c3*h, yt)
	k3 = k3[:len(yt)]
	for i := range yt {
		yt[i] = math.FMA(h4, k3[i], y[i]+h*(a41*k1[i]+a42*k2[i]))
	}
	f(k4, t+c4*h, yt)
	k4 = k4[:len(yt)]
	for i := range yt {
		yt[i] = math.FMA(h5, k4[i], y[i]+h*(a51*k1[i]+a52*k2[i]+a53*k3[i]))
	}
	f(k5, t+c5*h, yt)
	k5 = k5[:len(yt)]
	for i := range yt {
		yt[i] = math.FMA(h6, k5[i], y[i]+h*(a61*k1[i]+a62*k2[i]+a63*k3[i]+a64*k4[i]))
	}
	f(k6, tNew, yt)
	k6 = k6[:len(yt)]
	y1 = y1[:len(yt)]
	for i := range y1 {
		y1[i] = math.FMA(h7, k6[i], y[i]+h*(a71*k1[i]+a73*k3[i]+a74*k4[i]+a75*k5[i]))
	}
	f(k7, tNew, y1)
	k7 = k7[:len(yt)]

	// Error estimate, RMS norm. ySum only detects a non-finite state:
	// x − x is NaN exactly when x is ±Inf or NaN.
	rtol, atol, nc := s.set.RTol, s.set.ATol, s.set.Controlled
	he7 := h * e7
	sum, ySum := 0.0, 0.0
	for i := range y1[:nc] {
		e := math.FMA(he7, k7[i], h*(e1*k1[i]+e3*k3[i]+e4*k4[i]+e5*k5[i]+e6*k6[i]))
		ya, yb := math.Abs(y[i]), math.Abs(y1[i])
		if yb > ya {
			ya = yb
		}
		r := e / (atol + rtol*ya)
		sum += r * r
	}
	for _, v := range y1 {
		ySum += v
	}
	if ySum-ySum != 0 {
		return math.NaN()
	}
	// err² = sum/d: comparing it with 1 and halving its logarithm avoids a
	// square root on the critical path.
	return sum * s.invNC
}

// denseOutput writes the solution at the output times ts[out:] inside the
// step (t, tNew] of size h just taken to their rows of dst, and returns the
// index of the first output time after the step and the evaluations of f
// it made (two for Order5, none for Order4).
func (s *Solver) denseOutput(dst []float64, f Func, ts []float64, out int, t, tNew, h, dir float64) (int, int) {
	d := s.dim
	s.denseCoefficients(h, s.y, s.y1)
	evals := 0
	quintic := s.set.Dense == Order5
	if quintic {
		s.bootstrap(f, t, h, s.y, s.y1, s.k1, s.k7)
		evals = 2
	}
	for out < len(ts) && (ts[out]-tNew)*dir <= 0 {
		row := dst[out*d : (out+1)*d]
		switch theta := (ts[out] - t) / h; {
		case ts[out] == tNew:
			copy(row, s.y1)
		case quintic:
			s.quintic(row, theta, h, s.y, s.k1, s.k7)
		default:
			s.interpolate(row, theta)
		}
		out++
	}
	return out, evals
}

// SolveAt is Solve for output times in any order and on either side of t0:
// it integrates from y(t0) = y0 backwards to the earlier times and forwards
// to the later ones, and writes y(ts[j]) to dst[j*d : (j+1)*d]. Its scratch
// space is kept between calls, so calls with as many times do not allocate.
// The returned Stats add up both directions.
func (s *Solver) SolveAt(dst []float64, f Func, t0 float64, y0 []float64, ts []float64) (Stats, error) {
	d, n := s.dim, len(ts)
	if len(dst) != n*d {
		panic(fmt.Sprintf("solver: len(dst) = %d, want len(ts)·dim = %d", len(dst), n*d))
	}
	for j, t := range ts {
		if math.IsNaN(t) || math.IsInf(t, 0) {
			return Stats{}, fmt.Errorf("solver: output time ts[%d] = %v is not finite", j, t)
		}
	}
	if cap(s.atOrder) < n {
		s.atOrder, s.atTimes, s.atRows = make([]int, n), make([]float64, n), make([]float64, n*d)
	}
	order, times, rows := s.atOrder[:n], s.atTimes[:n], s.atRows[:n*d]
	for j := range order {
		order[j] = j
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(ts[a], ts[b]) })
	// Times before t0 run backwards: reverse that part of the order.
	k, _ := slices.BinarySearchFunc(order, t0, func(j int, t float64) int { return cmp.Compare(ts[j], t) })
	slices.Reverse(order[:k])
	for i, j := range order {
		times[i] = ts[j]
	}
	var total Stats
	for _, part := range [][2]int{{0, k}, {k, n}} {
		st, err := s.Solve(rows[part[0]*d:part[1]*d], f, t0, y0, times[part[0]:part[1]])
		total.Evaluations += st.Evaluations
		total.Accepted += st.Accepted
		total.Rejected += st.Rejected
		s.stats = total
		if err != nil {
			return total, err
		}
	}
	for i, j := range order {
		copy(dst[j*d:(j+1)*d], rows[i*d:(i+1)*d])
	}
	return total, nil
}

// initialStep is Hairer's HINIT: a first step whose Euler error estimate
// balances with the tolerance. It uses one evaluation of f.
func (s *Solver) initialStep(f Func, t float64, y, f0 []float64, hmax, dir float64) float64 {
	rtol, atol := s.set.RTol, s.set.ATol
	nc := s.set.Controlled
	dnf, dny := 0.0, 0.0
	for i, v := range y[:nc] {
		sk := atol + rtol*math.Abs(v)
		dnf += (f0[i] / sk) * (f0[i] / sk)
		dny += (v / sk) * (v / sk)
	}
	h := 1e-6
	if dnf > 1e-10 && dny > 1e-10 {
		h = math.Sqrt(dny/dnf) * 0.01
	}
	h = math.Min(h, hmax)
	yt, f1 := s.ytmp, s.k2
	for i := range yt {
		yt[i] = y[i] + dir*h*f0[i]
	}
	f(f1, t+dir*h, yt)
	der2 := 0.0
	for i, v := range y[:nc] {
		sk := atol + rtol*math.Abs(v)
		r := (f1[i] - f0[i]) / sk
		der2 += r * r
	}
	der2 = math.Sqrt(der2) / h
	der12 := math.Max(math.Abs(der2), math.Sqrt(dnf))
	h1 := math.Max(1e-6, h*1e-3)
	if der12 > 1e-15 {
		h1 = math.Pow(0.01/der12, 0.2)
	}
	return math.Min(math.Min(100*h, h1), hmax)
}

// denseCoefficients prepares the continuous extension of the step of size h
// from y to y1 (Hairer's CONTD5).
func (s *Solver) denseCoefficients(h float64, y, y1 []float64) {
	k1, k3, k4, k5, k6, k7 := s.k1, s.k3, s.k4, s.k5, s.k6, s.k7
	r1, r2, r3, r4, r5 := s.r1, s.r2, s.r3, s.r4, s.r5
	_ = k1[len(y)-1]
	_ = k3[len(y)-1]
	_ = k4[len(y)-1]
	_ = k5[len(y)-1]
	_ = k6[len(y)-1]
	_ = k7[len(y)-1]
	_ = y1[len(y)-1]
	_ = r1[len(y)-1]
	_ = r2[len(y)-1]
	_ = r3[len(y)-1]
	_ = r4[len(y)-1]
	_ = r5[len(y)-1]
	for i, y0 := range y {
		dy := y1[i] - y0
		bspl := h*k1[i] - dy
		r1[i] = y0
		r2[i] = dy
		r3[i] = bspl
		r4[i] = dy - h*k7[i] - bspl
		r5[i] = h * (d1*k1[i] + d3*k3[i] + d4*k4[i] + d5*k5[i] + d6*k6[i] + d7*k7[i])
	}
}

// interpolate writes the continuous extension at θ ∈ [0, 1] of the step
// prepared by denseCoefficients to dst.
func (s *Solver) interpolate(dst []float64, theta float64) {
	th1 := 1 - theta
	r1, r2, r3, r4, r5 := s.r1, s.r2, s.r3, s.r4, s.r5
	_ = r1[len(dst)-1]
	_ = r2[len(dst)-1]
	_ = r3[len(dst)-1]
	_ = r4[len(dst)-1]
	_ = r5[len(dst)-1]
	for i := range dst {
		dst[i] = r1[i] + theta*(r2[i]+th1*(r3[i]+theta*(r4[i]+th1*r5[i])))
	}
}

// bootstrap prepares the quintic interpolant of a step from t to t+h with
// ends y, y1 and slopes k1, k7. It evaluates f at θ = 1/3 and 2/3 on the
// order-4 continuous extension, whose O(h⁵) error enters the quintic only
// multiplied by h, and fits the quartic q(θ) ≈ y'(t+θh) through the slopes
// at θ = 0, 1/3, 2/3, 1 with ∫₀¹ q = (y1 − y)/h:
//
//	q = Σ_j f_j L_j + c w,   w(θ) = θ(θ − 1/3)(θ − 2/3)(θ − 1),
//	c = −270 ((y1 − y)/h − (k1 + 3 f_a + 3 f_b + k7)/8),
//
// L_j being the cubic Lagrange basis on the four nodes (∫₀¹ L_j are the
// Simpson-3/8 weights, ∫₀¹ w = −1/270). The interpolant y + h ∫₀^θ q then
// has local error O(h⁶), as the fifth-order step.
func (s *Solver) bootstrap(f Func, t, h float64, y, y1, k1, k7 []float64) {
	fa, fb, qc, tmp := s.fa, s.fb, s.qc, s.ytmp
	s.interpolate(tmp, 1.0/3)
	f(fa, t+h/3, tmp)
	s.interpolate(tmp, 2.0/3)
	f(fb, t+2*h/3, tmp)
	_ = fb[len(y)-1]
	_ = qc[len(y)-1]
	_ = y1[len(y)-1]
	_ = k1[len(y)-1]
	_ = k7[len(y)-1]
	for i, y0 := range y {
		qc[i] = -270 * ((y1[i]-y0)/h - (k1[i]+3*fa[i]+3*fb[i]+k7[i])/8)
	}
}

// quintic writes the interpolant prepared by bootstrap at θ ∈ [0, 1] to dst.
func (s *Solver) quintic(dst []float64, theta, h float64, y, k1, k7 []float64) {
	t2 := theta * theta
	// ∫₀^θ of the Lagrange basis and of w.
	b0 := theta * (1 + theta*(-11.0/4+theta*(3-theta*9.0/8)))
	ba := t2 * (9.0/2 + theta*(-15.0/2+theta*27.0/8))
	bb := t2 * (-9.0/4 + theta*(6-theta*27.0/8))
	b1 := t2 * (1.0/2 + theta*(-3.0/2+theta*9.0/8))
	bw := t2 * (-1.0/9 + theta*(11.0/27+theta*(-1.0/2+theta/5)))
	fa, fb, qc := s.fa, s.fb, s.qc
	_ = y[len(dst)-1]
	_ = k1[len(dst)-1]
	_ = k7[len(dst)-1]
	_ = fa[len(dst)-1]
	_ = fb[len(dst)-1]
	_ = qc[len(dst)-1]
	for i := range dst {
		dst[i] = y[i] + h*(b0*k1[i]+ba*fa[i]+bb*fb[i]+b1*k7[i]+bw*qc[i])
	}
}

// SettingsError reports an invalid field of Settings.
type SettingsError struct {
	Field   string
	Value   float64
	Allowed string
}

func (e *SettingsError) Error() string {
	return fmt.Sprintf("solver: setting %s = %v is outside the allowed range %s", e.Field, e.Value, e.Allowed)
}

// StepSizeError reports that the step size underflowed: the problem is too
// stiff or singular near T for the tolerances.
type StepSizeError struct {
	T float64 // where the integration stopped
	H float64 // the last step size tried
}

func (e *StepSizeError) Error() string {
	return fmt.Sprintf("solver: step size %.3g underflowed at t = %.17g", e.H, e.T)
}

// MaxStepsError reports that the integration took more steps than allowed.
type MaxStepsError struct {
	T     float64 // where the integration stopped
	Steps int     // the limit, Settings.MaxSteps
}

func (e *MaxStepsError) Error() string {
	return fmt.Sprintf("solver: more than %d steps, stopped at t = %.17g", e.Steps, e.T)
}

// NonFiniteError reports a NaN or infinite value in the state.
type NonFiniteError struct {
	T         float64 // where the value appeared
	Component int     // its index in the state, or −1 if only the derivative was non-finite
	Value     float64
}

func (e *NonFiniteError) Error() string {
	if e.Component < 0 {
		return fmt.Sprintf("solver: the right-hand side is not finite near t = %.17g", e.T)
	}
	return fmt.Sprintf("solver: state component %d became %v at t = %.17g", e.Component, e.Value, e.T)
}
