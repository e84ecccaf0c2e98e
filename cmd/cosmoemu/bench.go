package main

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"sort"
	"time"

	"github.com/cosmoemu/cosmoemu/data"
	"github.com/cosmoemu/cosmoemu/emulator"
	"github.com/cosmoemu/cosmoemu/friedmann"
	"github.com/cosmoemu/cosmoemu/solver"
)

func init() {
	register(command{
		name:    "bench",
		summary: "time the solver against the emulator: the paper's 10,000 × 50 test and the 31-redshift likelihood query",
		run:     runBench,
	})
}

type benchJSON struct {
	Model      string  `json:"model"`
	GoVersion  string  `json:"go_version"`
	GOMAXPROCS int     `json:"gomaxprocs"`
	SolverRTol float64 `json:"solver_rtol"`

	Queries              int     `json:"queries"`
	SolverUsPerQuery31   float64 `json:"solver_us_per_query31"`
	EmulatorUsPerQuery31 float64 `json:"emulator_us_per_query31"`
	AnalyticUsPerQuery31 float64 `json:"analytic_us_per_query31"`
	SpeedupQuery31       float64 `json:"speedup_query31"`
	MaxRelDiffQuery31    float64 `json:"max_rel_diff_query31"` // emulator against solver over the queries

	Pairs               int     `json:"pairs"`
	Points              int     `json:"points_per_pair"`
	Solver10000x50      float64 `json:"solver_s_10000x50"`
	Emulator10000x50    float64 `json:"emulator_s_10000x50"`
	Speedup10000x50     float64 `json:"speedup_10000x50"`
	PaperOdeint10000x50 float64 `json:"paper_reported_odeint_s_10000x50"`
	PaperKeras10000x50  float64 `json:"paper_reported_keras_s_10000x50"`
}

func runBench(e *env, args []string) error {
	fs := newFlagSet(e, "bench", "[-model default|FILE] [-pairs 10000] [-n 50] [-queries 20000] [-seed S] [-json]")
	model := fs.String("model", "default", "emulator: `default` (embedded) or a model file")
	pairs := fs.Int("pairs", 10000, "(Ω_m0, H0) pairs of the paper's test")
	n := fs.Int("n", 50, "N points per pair, evenly spaced over the domain's N range")
	queries := fs.Int("queries", 20000, "parameter points of the 31-redshift query test")
	rtol := fs.Float64("rtol", 1e-8, "relative tolerance of the solver")
	seed := fs.Uint64("seed", 1, "random `seed` of the parameter points")
	asJSON := fs.Bool("json", false, "print one JSON object instead of a table")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *pairs < 1 || *n < 2 || *queries < 1 {
		return usagef("bench: -pairs and -queries must be ≥ 1, -n ≥ 2")
	}
	if !(*rtol > 0 && *rtol < 1) {
		return usagef("bench: -rtol %v must be in (0, 1)", *rtol)
	}
	m, err := loadModel(*model)
	if err != nil {
		return err
	}
	d := m.Domain()
	rnd := rand.New(rand.NewPCG(*seed, 0x62656e6368))
	draw := func() []float64 {
		return []float64{d.Om0[0] + (d.Om0[1]-d.Om0[0])*rnd.Float64(), d.H0[0] + (d.H0[1]-d.H0[0])*rnd.Float64()}
	}
	res := benchJSON{Model: *model, GoVersion: runtime.Version(), GOMAXPROCS: runtime.GOMAXPROCS(0), SolverRTol: *rtol,
		Queries: *queries, Pairs: *pairs, Points: *n, PaperOdeint10000x50: 14, PaperKeras10000x50: 6.64}

	// The likelihood's query: H at the 31 cosmic-chronometer redshifts.
	ds, err := data.Load("cc31", nil)
	if err != nil {
		return err
	}
	data := ds.Hz
	thetas := make([][]float64, *queries)
	for i := range thetas {
		thetas[i] = draw()
	}
	sset := &solver.Settings{RTol: *rtol, ATol: 1e-10}
	solverModel, err := newPaperSolver(data.Z, sset)
	if err != nil {
		return err
	}
	analyticModel := paperAnalytic(data.Z)
	q, err := m.NewQuery(data.Z)
	if err != nil {
		return err
	}
	hs, he := make([]float64, len(data.Z)), make([]float64, len(data.Z))
	timeIt := func(f func(theta []float64) error) (float64, error) {
		for _, th := range thetas[:min(100, len(thetas))] { // warm up
			if err := f(th); err != nil {
				return 0, err
			}
		}
		start := time.Now()
		for _, th := range thetas {
			if err := f(th); err != nil {
				return 0, err
			}
		}
		return time.Since(start).Seconds() / float64(len(thetas)) * 1e6, nil
	}
	if res.SolverUsPerQuery31, err = timeIt(func(th []float64) error { return solverModel.Hubble(hs, th) }); err != nil {
		return err
	}
	if res.EmulatorUsPerQuery31, err = timeIt(func(th []float64) error { return q.Hubble(he, th) }); err != nil {
		return err
	}
	if res.AnalyticUsPerQuery31, err = timeIt(func(th []float64) error { analyticModel(hs, th); return nil }); err != nil {
		return err
	}
	res.SpeedupQuery31 = res.SolverUsPerQuery31 / res.EmulatorUsPerQuery31
	for _, th := range thetas[:min(1000, len(thetas))] {
		solverModel.Hubble(hs, th)
		q.Hubble(he, th)
		for i := range hs {
			res.MaxRelDiffQuery31 = math.Max(res.MaxRelDiffQuery31, math.Abs(he[i]/hs[i]-1))
		}
	}

	// The paper's test: all outputs at n N points for each pair, the solver
	// one pair at a time (one solve with dense output), the emulator one
	// pass per pair.
	ns := linspace(d.N[0], d.N[1], *n)
	ts := make([]float64, 0, len(ns)) // solver order: from N = 0 outwards
	for i := len(ns) - 1; i >= 0; i-- {
		if ns[i] <= 0 {
			ts = append(ts, ns[i])
		}
	}
	if len(ts) != len(ns) {
		return fmt.Errorf("bench: the domain's N range %v reaches N > 0; the paper's test integrates backwards only", d.N)
	}
	ps := make([][]float64, *pairs)
	for i := range ps {
		ps[i] = draw()
	}
	ref, _ := friedmann.LCDM(0.3, 70)
	sv, err := solver.New(ref.Dim(), sset)
	if err != nil {
		return err
	}
	sol := make([]float64, len(ts)*ref.Dim())
	y0 := make([]float64, ref.Dim())
	bar := newProgress(e, int64(2**pairs), "bench")
	start := time.Now()
	for i, p := range ps {
		// One model's Derivs serve all pairs: nothing is allocated in the
		// timed loop, as for the emulator.
		if err := friedmann.LCDMState(y0, p[0], m.OmegaR0(), p[1]); err != nil {
			return err
		}
		if _, err := sv.Solve(sol, ref.Derivs, 0, y0, ts); err != nil {
			return err
		}
		if i%256 == 0 {
			bar.Set(int64(i))
		}
	}
	res.Solver10000x50 = time.Since(start).Seconds()
	qn, err := m.NewQueryN(ns)
	if err != nil {
		return err
	}
	pts := make([]emulator.Point, len(ns))
	start = time.Now()
	for i, p := range ps {
		if err := qn.Eval(pts, p[0], p[1]); err != nil {
			return err
		}
		if i%256 == 0 {
			bar.Set(int64(*pairs + i))
		}
	}
	res.Emulator10000x50 = time.Since(start).Seconds()
	bar.Finish()
	res.Speedup10000x50 = res.Solver10000x50 / res.Emulator10000x50

	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	w := e.stdout
	fmt.Fprintf(w, "model %s (recipe %s); %s, GOMAXPROCS %d; solver: RK45 at rtol %g, one goroutine\n", *model, m.Recipe(), res.GoVersion, res.GOMAXPROCS, *rtol)
	fmt.Fprintf(w, "\nH at the 31 cc31 redshifts, %d random parameter points:\n", *queries)
	fmt.Fprintf(w, "  solver    %9.3f µs per query\n", res.SolverUsPerQuery31)
	fmt.Fprintf(w, "  emulator  %9.3f µs per query   speedup %.3g×   (max relative difference from the solver %.2g)\n", res.EmulatorUsPerQuery31, res.SpeedupQuery31, res.MaxRelDiffQuery31)
	fmt.Fprintf(w, "  analytic  %9.3f µs per query   (closed form, for reference)\n", res.AnalyticUsPerQuery31)
	fmt.Fprintf(w, "\nThe paper's test: %d (Ω_m0, H0) pairs × %d N points, all outputs (Ω_r, Ω_m, Ω_Λ, H):\n", *pairs, *n)
	fmt.Fprintf(w, "  solver    %9.4f s\n", res.Solver10000x50)
	fmt.Fprintf(w, "  emulator  %9.4f s   speedup %.3g×\n", res.Emulator10000x50, res.Speedup10000x50)
	fmt.Fprintf(w, "  (the paper reports 14 s for scipy odeint and 6.64 s for Keras predict on 10,000 × 50)\n")
	return nil
}

// paperSolver is the RK45 solution of the paper's ΛCDM (Ω_r0 = 1e-4), the
// model the legacy emulator learned, at fixed redshifts.
type paperSolver struct {
	sv     *solver.Solver
	derivs solver.Func
	order  []int
	ns     []float64
	sol    []float64
	y0     []float64
}

func newPaperSolver(z []float64, set *solver.Settings) (*paperSolver, error) {
	ref, err := friedmann.LCDM(0.3, 70)
	if err != nil {
		return nil, err
	}
	sv, err := solver.New(ref.Dim(), set)
	if err != nil {
		return nil, err
	}
	m := &paperSolver{sv: sv, derivs: ref.Derivs, order: make([]int, len(z)), ns: make([]float64, len(z)),
		sol: make([]float64, len(z)*ref.Dim()), y0: make([]float64, ref.Dim())}
	for i := range m.order {
		m.order[i] = i
	}
	sort.SliceStable(m.order, func(a, b int) bool { return z[m.order[a]] < z[m.order[b]] })
	for k, i := range m.order {
		m.ns[k] = friedmann.NOfZ(z[i])
	}
	return m, nil
}

// Hubble writes H at the redshifts for θ = (Ω_m0, H0).
func (m *paperSolver) Hubble(dst, th []float64) error {
	if err := friedmann.LCDMState(m.y0, th[0], friedmann.DefaultOmegaR0, th[1]); err != nil {
		return err
	}
	if _, err := m.sv.Solve(m.sol, m.derivs, 0, m.y0, m.ns); err != nil {
		return err
	}
	for k, i := range m.order {
		dst[i] = th[1] * math.Exp(m.sol[4*k+3]-m.y0[3])
	}
	return nil
}

// paperAnalytic returns the closed form of the paper's ΛCDM at fixed
// redshifts.
func paperAnalytic(z []float64) func(dst, th []float64) {
	x3, x4 := make([]float64, len(z)), make([]float64, len(z))
	for i, v := range z {
		a := 1 + v
		x3[i] = a * a * a
		x4[i] = x3[i] * a
	}
	return func(dst, th []float64) {
		om, h0, or := th[0], th[1], friedmann.DefaultOmegaR0
		for i := range x3 {
			dst[i] = h0 * math.Sqrt(or*x4[i]+om*x3[i]+1-om-or)
		}
	}
}
