package solver_test

import (
	"errors"
	"math"
	"testing"

	"github.com/cosmoemu/cosmoemu/solver"
)

func linspace(a, b float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = a + (b-a)*float64(i)/float64(n-1)
	}
	return out
}

func mustNew(t testing.TB, dim int, s *solver.Settings) *solver.Solver {
	t.Helper()
	sv, err := solver.New(dim, s)
	if err != nil {
		t.Fatal(err)
	}
	return sv
}

// Exponential decay y' = −λy in both directions, against e^{−λt}.
func TestExponentialDecay(t *testing.T) {
	const lambda = 1.3
	decay := func(dst []float64, _ float64, y []float64) { dst[0] = -lambda * y[0] }
	for _, tc := range []struct {
		name string
		ts   []float64
	}{
		{"forward", linspace(0, 5, 41)},
		{"backward", linspace(0, -5, 41)},
		{"forward from 2", linspace(2, 7, 11)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sv := mustNew(t, 1, &solver.Settings{RTol: 1e-10, ATol: 1e-14})
			dst := make([]float64, len(tc.ts))
			t0 := tc.ts[0]
			st, err := sv.Solve(dst, decay, t0, []float64{1}, tc.ts)
			if err != nil {
				t.Fatal(err)
			}
			maxRel := 0.0
			for j, tt := range tc.ts {
				want := math.Exp(-lambda * (tt - t0))
				maxRel = math.Max(maxRel, math.Abs(dst[j]/want-1))
			}
			if maxRel > 1e-8 {
				t.Errorf("max relative error %.3g > 1e-8 (%+v)", maxRel, st)
			}
			if st.Accepted == 0 || st.Evaluations != 6*(st.Accepted+st.Rejected)+2 {
				t.Errorf("inconsistent stats %+v: want 6 evaluations per step plus 2", st)
			}
		})
	}
}

// The harmonic oscillator x” = −x: the exact solution and its conserved energy.
func TestHarmonicOscillator(t *testing.T) {
	osc := func(dst []float64, _ float64, y []float64) {
		dst[0] = y[1]
		dst[1] = -y[0]
	}
	ts := linspace(0, 20*math.Pi, 401)
	sv := mustNew(t, 2, &solver.Settings{RTol: 1e-11, ATol: 1e-13})
	dst := make([]float64, 2*len(ts))
	if _, err := sv.Solve(dst, osc, 0, []float64{1, 0}, ts); err != nil {
		t.Fatal(err)
	}
	for j, tt := range ts {
		x, v := dst[2*j], dst[2*j+1]
		if d := math.Hypot(x-math.Cos(tt), v+math.Sin(tt)); d > 1e-8 {
			t.Fatalf("t = %g: distance to the exact solution %.3g > 1e-8", tt, d)
		}
		if e := math.Abs(x*x + v*v - 1); e > 1e-8 {
			t.Fatalf("t = %g: energy drift %.3g > 1e-8", tt, e)
		}
	}
}

// The Arenstorf orbit (Hairer, Nørsett & Wanner I, Sect. II.0) is periodic:
// after one period the satellite is back where it started.
func TestArenstorfOrbit(t *testing.T) {
	const (
		mu     = 0.012277471
		muHat  = 1 - mu
		period = 17.0652165601579625588917206249
	)
	arenstorf := func(dst []float64, _ float64, y []float64) {
		y1, y2 := y[0], y[1]
		d1 := math.Pow((y1+mu)*(y1+mu)+y2*y2, 1.5)
		d2 := math.Pow((y1-muHat)*(y1-muHat)+y2*y2, 1.5)
		dst[0] = y[2]
		dst[1] = y[3]
		dst[2] = y1 + 2*y[3] - muHat*(y1+mu)/d1 - mu*(y1-muHat)/d2
		dst[3] = y2 - 2*y[2] - muHat*y2/d1 - mu*y2/d2
	}
	y0 := []float64{0.994, 0, 0, -2.00158510637908252240537862224}
	sv := mustNew(t, 4, &solver.Settings{RTol: 1e-12, ATol: 1e-12})
	dst := make([]float64, 4)
	st, err := sv.Solve(dst, arenstorf, 0, y0, []float64{period})
	if err != nil {
		t.Fatal(err)
	}
	if d := math.Hypot(dst[0]-y0[0], dst[1]-y0[1]); d > 1e-6 {
		t.Errorf("after one period the orbit is %.3g from its start, want ≤ 1e-6 (%+v)", d, st)
	}
	if st.Rejected == 0 {
		t.Errorf("the Arenstorf orbit should force rejected steps; stats %+v", st)
	}
}

// With steps forced to a fixed size the global error of the fifth-order
// solution must fall as h^5, and that of the dense output at mid-steps at
// least as h^4.
func TestOrderOfConvergence(t *testing.T) {
	// y' = y cos t, y(0) = 1: y = exp(sin t).
	f := func(dst []float64, t float64, y []float64) { dst[0] = y[0] * math.Cos(t) }
	exact := func(t float64) float64 { return math.Exp(math.Sin(t)) }
	const tEnd = 2.0
	errAt := func(h float64) (end, mid float64) {
		// A huge ATol accepts every step; MaxStep = InitialStep fixes the size.
		sv := mustNew(t, 1, &solver.Settings{RTol: 0.5, ATol: 1e10, InitialStep: h, MaxStep: h})
		n := int(math.Round(tEnd / h))
		ts := []float64{h / 2, tEnd} // one dense output mid-way through the first step
		dst := make([]float64, 2)
		st, err := sv.Solve(dst, f, 0, []float64{1}, ts)
		if err != nil {
			t.Fatal(err)
		}
		if st.Accepted != n || st.Rejected != 0 {
			t.Fatalf("h = %g: %+v, want %d fixed steps", h, st, n)
		}
		return math.Abs(dst[1] - exact(tEnd)), math.Abs(dst[0] - exact(h/2))
	}
	hs := []float64{0.2, 0.1, 0.05, 0.025}
	var ends, mids []float64
	for _, h := range hs {
		e, m := errAt(h)
		ends = append(ends, e)
		mids = append(mids, m)
	}
	for i := 1; i < len(hs); i++ {
		order := math.Log2(ends[i-1] / ends[i])
		if math.Abs(order-5) > 0.3 {
			t.Errorf("h = %g → %g: observed order %.3f, want 5 ± 0.3 (errors %.3g, %.3g)", hs[i-1], hs[i], order, ends[i-1], ends[i])
		}
		// The local error of the continuous extension is O(h^5).
		if local := math.Log2(mids[i-1] / mids[i]); local < 4.5 {
			t.Errorf("h = %g → %g: dense-output local order %.3f, want ≥ 4.5", hs[i-1], hs[i], local)
		}
	}
}

func TestOutputsAtStartAndRepeated(t *testing.T) {
	f := func(dst []float64, _ float64, y []float64) { dst[0] = y[0] }
	sv := mustNew(t, 1, &solver.Settings{RTol: 1e-10})
	ts := []float64{0, 0, 0.5, 0.5, 1}
	dst := make([]float64, len(ts))
	if _, err := sv.Solve(dst, f, 0, []float64{2}, ts); err != nil {
		t.Fatal(err)
	}
	for j, tt := range ts {
		if want := 2 * math.Exp(tt); math.Abs(dst[j]/want-1) > 1e-9 {
			t.Errorf("y(%g) = %.15g, want %.15g", tt, dst[j], want)
		}
	}
	// Only t0: no step, one output.
	st, err := sv.Solve(dst[:1], f, 0, []float64{2}, []float64{0})
	if err != nil || dst[0] != 2 || st.Evaluations != 0 {
		t.Errorf("output only at t0: y = %g, stats %+v, err %v", dst[0], st, err)
	}
}

// The last output must be reached exactly whatever rounding t + (tEnd − t)
// suffers on the way.
func TestAwkwardEndpoints(t *testing.T) {
	f := func(dst []float64, _ float64, y []float64) { dst[0] = -y[0] }
	sv := mustNew(t, 1, &solver.Settings{RTol: 1e-9})
	for _, tc := range [][2]float64{{0.1, 0.7}, {1.0 / 3, 7.0 / 3}, {-0.3, -12.1}, {1e-17, 0.3}, {5, 5 + 1e-9}} {
		t0, t1 := tc[0], tc[1]
		ts := []float64{t0 + (t1-t0)/3, t1}
		dst := []float64{math.NaN(), math.NaN()}
		if _, err := sv.Solve(dst, f, t0, []float64{1}, ts); err != nil {
			t.Fatalf("[%g, %g]: %v", t0, t1, err)
		}
		for j, tt := range ts {
			if want := math.Exp(-(tt - t0)); !(math.Abs(dst[j]/want-1) < 1e-8) {
				t.Errorf("[%g, %g]: y(%g) = %v, want %v", t0, t1, tt, dst[j], want)
			}
		}
	}
}

func TestErrors(t *testing.T) {
	blowUp := func(dst []float64, _ float64, y []float64) { dst[0] = y[0] * y[0] } // y = 1/(1−t)
	nanAfter := func(dst []float64, t float64, y []float64) {
		dst[0] = -y[0]
		if t > 0.5 {
			dst[0] = math.NaN()
		}
	}
	decay := func(dst []float64, _ float64, y []float64) { dst[0] = -y[0] }

	t.Run("step size underflow", func(t *testing.T) {
		sv := mustNew(t, 1, &solver.Settings{RTol: 1e-8})
		dst := make([]float64, 1)
		_, err := sv.Solve(dst, blowUp, 0, []float64{1}, []float64{2})
		var se *solver.StepSizeError
		var nf *solver.NonFiniteError
		switch {
		case errors.As(err, &se):
			if math.Abs(se.T-1) > 1e-3 {
				t.Errorf("underflow reported at t = %g, want near the singularity at 1", se.T)
			}
		case errors.As(err, &nf):
			if math.Abs(nf.T-1) > 1e-3 {
				t.Errorf("non-finite state reported at t = %g, want near the singularity at 1", nf.T)
			}
		default:
			t.Fatalf("got %v, want a *StepSizeError or *NonFiniteError", err)
		}
	})
	t.Run("non-finite right-hand side", func(t *testing.T) {
		sv := mustNew(t, 1, nil)
		dst := make([]float64, 1)
		_, err := sv.Solve(dst, nanAfter, 0, []float64{1}, []float64{1})
		var nf *solver.NonFiniteError
		if !errors.As(err, &nf) {
			t.Fatalf("got %v, want *NonFiniteError", err)
		}
		if math.Abs(nf.T-0.5) > 1e-6 {
			t.Errorf("reported at t = %g, want 0.5", nf.T)
		}
	})
	t.Run("non-finite initial state", func(t *testing.T) {
		sv := mustNew(t, 2, nil)
		dst := make([]float64, 2)
		_, err := sv.Solve(dst, func(d []float64, _ float64, y []float64) { copy(d, y) }, 0, []float64{1, math.Inf(1)}, []float64{1})
		var nf *solver.NonFiniteError
		if !errors.As(err, &nf) || nf.Component != 1 || nf.T != 0 {
			t.Fatalf("got %v, want *NonFiniteError for component 1 at t = 0", err)
		}
	})
	t.Run("too many steps", func(t *testing.T) {
		sv := mustNew(t, 1, &solver.Settings{MaxSteps: 5, RTol: 1e-12})
		dst := make([]float64, 1)
		_, err := sv.Solve(dst, decay, 0, []float64{1}, []float64{100})
		var ms *solver.MaxStepsError
		if !errors.As(err, &ms) || ms.Steps != 5 || !(ms.T > 0 && ms.T < 100) {
			t.Fatalf("got %v, want *MaxStepsError with 5 steps inside (0, 100)", err)
		}
	})
	t.Run("non-monotone outputs", func(t *testing.T) {
		sv := mustNew(t, 1, nil)
		dst := make([]float64, 3)
		if _, err := sv.Solve(dst, decay, 0, []float64{1}, []float64{1, 0.5, 2}); err == nil {
			t.Fatal("no error for non-monotone output times")
		}
		if _, err := sv.Solve(dst, decay, 0, []float64{1}, []float64{-1, 1, 2}); err == nil {
			t.Fatal("no error for output times on both sides of t0")
		}
		if _, err := sv.Solve(dst, decay, 0, []float64{1}, []float64{1, math.NaN(), 2}); err == nil {
			t.Fatal("no error for a NaN output time")
		}
	})
	t.Run("bad settings", func(t *testing.T) {
		for _, s := range []solver.Settings{
			{RTol: -1}, {RTol: 1}, {ATol: math.NaN()}, {ATol: -1e-3}, {Safety: 2},
			{MinFactor: 1.5}, {MaxFactor: 0.5}, {MaxSteps: -3}, {InitialStep: -1}, {MaxStep: math.Inf(1)},
		} {
			_, err := solver.New(1, &s)
			var se *solver.SettingsError
			if !errors.As(err, &se) {
				t.Errorf("settings %+v: got %v, want *SettingsError", s, err)
			}
		}
		if _, err := solver.New(0, nil); err == nil {
			t.Error("no error for dimension 0")
		}
	})
}

// SolveAt takes times in any order on both sides of t0, repeats included.
func TestSolveAt(t *testing.T) {
	f := func(dst []float64, _ float64, y []float64) { dst[0] = -0.7 * y[0] }
	sv := mustNew(t, 1, &solver.Settings{RTol: 1e-11, ATol: 1e-14})
	ts := []float64{0.5, -2, 1, 1, -0.3, 0.5, 0, 3, -2}
	dst := make([]float64, len(ts))
	st, err := sv.SolveAt(dst, f, 0.5, []float64{2}, ts)
	if err != nil {
		t.Fatal(err)
	}
	for j, tt := range ts {
		if want := 2 * math.Exp(-0.7*(tt-0.5)); math.Abs(dst[j]/want-1) > 1e-9 {
			t.Errorf("y(%g) = %v, want %v", tt, dst[j], want)
		}
	}
	if st.Accepted == 0 || st != sv.Stats() {
		t.Errorf("stats %+v, Stats() %+v", st, sv.Stats())
	}
	if _, err := sv.SolveAt(dst[:1], f, 0, []float64{1}, []float64{math.NaN()}); err == nil {
		t.Error("no error for a NaN time")
	}
	if a := testing.AllocsPerRun(20, func() { sv.SolveAt(dst, f, 0.5, []float64{2}, ts) }); a != 0 {
		t.Errorf("SolveAt allocates %v times per call after the first", a)
	}
}

func TestSolveDoesNotAllocate(t *testing.T) {
	decay := func(dst []float64, _ float64, y []float64) { dst[0] = -y[0] }
	sv := mustNew(t, 1, &solver.Settings{RTol: 1e-8})
	ts := linspace(0, 10, 50)
	dst := make([]float64, len(ts))
	y0 := []float64{1}
	allocs := testing.AllocsPerRun(20, func() {
		if _, err := sv.Solve(dst, decay, 0, y0, ts); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("Solve allocates %v times per call, want 0", allocs)
	}
}
