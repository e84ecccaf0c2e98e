package growth

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/cosmoemu/cosmoemu/solver"
)

// Result holds the growth at a set of redshifts. Make one with NewResult
// and reuse it: Eval fills it without allocating.
type Result struct {
	// D0 is D(z = 0) in the normalisation of Start: D = a + (2/3)a_eq in
	// the radiation and matter eras (D → a in the matter era, exactly so
	// without radiation), so that D0 is the usual growth suppression g0.
	D0      float64
	DRatio  []float64 // D(z)/D(0)
	F       []float64 // f(z) = dlnD/dlna
	FSigma8 []float64 // fσ8(z)/σ8,0 = f(z) D(z)/D(0)
}

// NewResult returns a Result for n redshifts.
func NewResult(n int) *Result {
	buf := make([]float64, 3*n)
	return &Result{DRatio: buf[:n:n], F: buf[n : 2*n : 2*n], FSigma8: buf[2*n:]}
}

func (r *Result) check(n int) error {
	if r == nil || len(r.DRatio) != n || len(r.F) != n || len(r.FSigma8) != n {
		return fmt.Errorf("growth: the Result is not sized for %d redshifts (use NewResult)", n)
	}
	return nil
}

// Settings control an Evaluator. The zero value of a field means its
// default.
type Settings struct {
	RTol float64 // relative tolerance of the solver; default 1e-9
	ATol float64 // absolute tolerance of the solver; default 1e-12
	// StartN is the e-fold time N = ln a where the growing mode starts;
	// default −14 (a ≈ 8e-7). Where the background is not yet radiation
	// and matter alone to 1e-10, |StartResidual| > 1e-10, the start moves
	// back by 2 e-folds at a time, to N = MinStartN at most.
	StartN float64
}

// Defaults of Settings.
const (
	DefaultRTol   = 1e-9
	DefaultATol   = 1e-12
	DefaultStartN = -14.0
	// MinStartN is the earliest start an Evaluator tries.
	MinStartN = -50.0
	startStep = 2.0
	// startFine is the |StartResidual| at which an Evaluator starts the
	// growing mode: D0 is then accurate to about as much (the ratios
	// D(z)/D(0) and f are insensitive to the start, see TestStartIndependence).
	startFine = 1e-10
)

// An Evaluator integrates the growth equation for backgrounds given as
// Go values, at a fixed set of redshifts. It holds all its workspace, so
// Eval does not allocate. It is not safe for concurrent use: make one per
// goroutine.
type Evaluator struct {
	z     []float64
	ns    []float64 // output times N, ascending, ending with N = 0
	order []int     // ns[k] is the time of z[order[k]]; −1 for the last (N = 0)
	out   []float64 // len(ns)·Dim solver outputs
	sol   *solver.Solver
	set   Settings
	rhs   solver.Func // ev.derivs, bound once so that Eval does not allocate

	bg  Background
	bad badPoint // the first point where bg was unusable, during a solve
}

// badPoint records where a Background returned values the growth equation
// cannot use; the message is formatted after the solve.
type badPoint struct {
	set                bool
	n, e2, dlnE, omega float64
}

func (b *badPoint) err() *Error {
	reason := fmt.Sprintf("non-finite background: E² = %v, dlnE/dN = %v, Ω_m = %v", b.e2, b.dlnE, b.omega)
	if b.e2 <= 0 {
		reason = fmt.Sprintf("E² = %.6g ≤ 0: the expansion stops before here (a bounce); no growth history", b.e2)
	}
	return &Error{Z: zOfN(b.n), Reason: reason}
}

// NewEvaluator returns an Evaluator for the redshifts z (finite, ≥ 0, any
// order, repeats allowed). A nil set means the default Settings.
func NewEvaluator(z []float64, set *Settings) (*Evaluator, error) {
	var s Settings
	if set != nil {
		s = *set
	}
	if s.RTol == 0 {
		s.RTol = DefaultRTol
	}
	if s.ATol == 0 {
		s.ATol = DefaultATol
	}
	if s.StartN == 0 {
		s.StartN = DefaultStartN
	}
	if !(s.StartN >= MinStartN && s.StartN < 0) {
		return nil, fmt.Errorf("growth: StartN = %v is outside [%v, 0)", s.StartN, MinStartN)
	}
	if err := checkRedshifts(z); err != nil {
		return nil, err
	}
	for _, v := range z {
		if -math.Log1p(v) <= s.StartN {
			return nil, fmt.Errorf("growth: redshift %v is before the start of the growing mode, N = %v", v, s.StartN)
		}
	}
	// The order-5 dense output costs two evaluations per step that holds
	// outputs (20 of 1,100 for ten redshifts) and halves the error of D/D0
	// and f at the default tolerances (3.3e-10 against 7.2e-10 for w0waCDM).
	sol, err := solver.New(Dim, &solver.Settings{RTol: s.RTol, ATol: s.ATol, Dense: solver.Order5})
	if err != nil {
		return nil, fmt.Errorf("growth: %w", err)
	}
	n := len(z)
	ev := &Evaluator{
		z:     slices.Clone(z),
		ns:    make([]float64, n+1),
		order: outputOrder(z),
		out:   make([]float64, (n+1)*Dim),
		sol:   sol,
		set:   s,
	}
	for k, i := range ev.order[:n] {
		ev.ns[k] = -math.Log1p(z[i])
	}
	ev.rhs = ev.derivs
	return ev, nil
}

// outputOrder returns the indices of z by descending z (ascending N and
// a; stable for repeats), then −1 for the last output, z = 0.
func outputOrder(z []float64) []int {
	n := len(z)
	order := make([]int, n+1)
	for i := range n {
		order[i] = i
	}
	slices.SortStableFunc(order[:n], func(a, b int) int { return cmp.Compare(z[b], z[a]) })
	order[n] = -1
	return order
}

func checkRedshifts(z []float64) error {
	for i, v := range z {
		if !(v >= 0) || math.IsInf(v, 1) {
			return fmt.Errorf("growth: redshift %d = %v must be finite and ≥ 0", i+1, v)
		}
	}
	return nil
}

// Z returns the Evaluator's redshifts.
func (ev *Evaluator) Z() []float64 { return slices.Clone(ev.z) }

// Settings returns the Evaluator's settings with defaults filled in.
func (ev *Evaluator) Settings() Settings { return ev.set }

// derivs is the right-hand side for the solver: Derivs with the
// background's Π = −(2/3)dlnE/dN and Ω_m.
func (ev *Evaluator) derivs(dst []float64, n float64, g []float64) {
	e2, dlnE, om := ev.bg.Expansion(n)
	if !usable(e2, dlnE, om) {
		if !ev.bad.set {
			ev.bad = badPoint{set: true, n: n, e2: e2, dlnE: dlnE, omega: om}
		}
		dst[IndexLnD], dst[IndexF] = math.NaN(), math.NaN()
		return
	}
	Derivs(dst, g, -2.0/3.0*dlnE, om)
}

// usable reports whether the growth equation can use a background's E²,
// dlnE/dN and Ω_m: E² > 0 and all finite.
func usable(e2, dlnE, om float64) bool {
	return e2 > 0 && isFinite(e2) && isFinite(dlnE) && isFinite(om)
}

// start finds where the growing mode starts and writes it to g: the
// latest N ≤ StartN, in steps of startStep, where the background is
// radiation and matter to startFine, else the earliest (MinStartN) if it is
// so to StartTol there.
func (ev *Evaluator) start(g []float64) (float64, error) {
	var first string
	for n := ev.set.StartN; ; n -= startStep {
		e2, dlnE, om := ev.bg.Expansion(n)
		if !usable(e2, dlnE, om) {
			b := badPoint{n: n, e2: e2, dlnE: dlnE, omega: om}
			return 0, b.err()
		}
		pi := -2.0 / 3.0 * dlnE
		reason := startReason(pi, om)
		if reason == "" && math.Abs(StartResidual(pi, om)) <= startFine {
			return n, Start(g, n, pi, om)
		}
		if first == "" && reason != "" {
			first = reason
		}
		if n-startStep < MinStartN {
			if reason == "" {
				return n, Start(g, n, pi, om)
			}
			return 0, &Error{Z: zOfN(ev.set.StartN), Reason: fmt.Sprintf(
				"%s, here and at every earlier N down to %v: no growing mode", first, n)}
		}
	}
}

// Eval fills dst (made by NewResult for the Evaluator's redshifts) with
// the growth of bg: D(z)/D(0), f(z) and fσ8(z)/σ8,0, and D(0). It returns
// an *Error, leaving dst undefined, for a background with no growing mode,
// E² ≤ 0 or non-finite values anywhere from the start to z = 0, or a growth
// that cannot be integrated (D crossing zero).
func (ev *Evaluator) Eval(dst *Result, bg Background) error {
	if err := dst.check(len(ev.z)); err != nil {
		return err
	}
	if bg == nil {
		return errors.New("growth: nil Background")
	}
	ev.bg, ev.bad = bg, badPoint{}
	defer func() { ev.bg = nil }()

	var g [Dim]float64
	n0, err := ev.start(g[:])
	if err != nil {
		return err
	}
	_, err = ev.sol.Solve(ev.out, ev.rhs, n0, g[:], ev.ns)
	if err != nil || ev.bad.set {
		return ev.failure(err)
	}
	last := len(ev.ns) - 1
	lnD0, f0 := ev.out[last*Dim+IndexLnD], ev.out[last*Dim+IndexF]
	if !isFinite(math.Exp(lnD0)) || !isFinite(f0) {
		return &Error{Z: 0, Reason: fmt.Sprintf("non-finite growth: ln D = %v, f = %v", lnD0, f0)}
	}
	for k, i := range ev.order[:last] {
		row := ev.out[k*Dim : (k+1)*Dim]
		d, f := math.Exp(row[IndexLnD]-lnD0), row[IndexF]
		if !isFinite(d) || !isFinite(f) {
			return &Error{Z: ev.z[i], Reason: fmt.Sprintf("non-finite growth: D/D0 = %v, f = %v", d, f)}
		}
		dst.DRatio[i], dst.F[i], dst.FSigma8[i] = d, f, f*d
	}
	dst.D0 = math.Exp(lnD0)
	return nil
}

// failure explains a failed solve: where E² reaches zero (a bounce), where
// the background was not finite, or where the integration stopped.
func (ev *Evaluator) failure(err error) error {
	nf := math.NaN() // where the solver stopped: all was well before
	var (
		se *solver.StepSizeError
		ne *solver.NonFiniteError
		me *solver.MaxStepsError
	)
	switch {
	case errors.As(err, &se):
		nf = se.T
	case errors.As(err, &ne):
		nf = ne.T
	case errors.As(err, &me):
		nf = me.T
	}
	b := ev.bad
	if b.set && !(b.e2 <= 0) {
		return b.err() // NaN or Inf
	}
	// E² ≤ 0 where the right-hand side was evaluated, or the step size
	// underflowed: look just ahead for E² ≤ 0, since the growth equation
	// is singular where E² → 0 and the steps may never reach it.
	if isFinite(nf) {
		if !b.set {
			for _, dn := range [...]float64{1e-9, 1e-6, 1e-3, 1e-2, 0.1} {
				if e2, _, _ := ev.bg.Expansion(nf + dn); e2 <= 0 {
					b = badPoint{set: true, n: nf + dn, e2: e2}
					break
				}
			}
		}
		if b.set && b.n > nf {
			if e2, _, _ := ev.bg.Expansion(nf); e2 > 0 {
				return ev.bounce(nf, b.n)
			}
		}
	}
	if b.set {
		return b.err()
	}
	return &Error{Z: zOfN(nf), Reason: fmt.Sprintf("the growth equation cannot be integrated past here; D may cross zero (%v)", err)}
}

// bounce returns the error for E² > 0 at lo and E² ≤ 0 at hi, with the
// root of E² between them found by bisection.
func (ev *Evaluator) bounce(lo, hi float64) error {
	for range 60 {
		mid := 0.5 * (lo + hi)
		if mid <= lo || mid >= hi {
			break
		}
		if e2, _, _ := ev.bg.Expansion(mid); e2 > 0 {
			lo = mid
		} else {
			hi = mid
		}
	}
	return &Error{Z: zOfN(hi), Reason: "E² reaches 0: the expansion stops there (a bounce); no growth history"}
}
