// Package speed times a Friedmann emulator against the RK45 solver it
// replaces, on two tests: the likelihood's query (H at the redshifts of a
// data set, once per parameter point, through the backends a likelihood
// uses) and the paper's test (Ω_r, Ω_m, Ω_Λ and H at N points for each of
// many parameter pairs: Rojas Olvera, Gómez-Vargas & Vázquez 2022 report
// 14 s for scipy's odeint and 6.64 s for Keras on 10,000 pairs × 50
// points).
//
// These are wall-clock measurements of one goroutine each, for the
// cosmoemu bench command; the package's benchmarks are the reference for
// the speed of each piece.
package speed

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/cosmoemu/cosmoemu/emulator"
	"github.com/cosmoemu/cosmoemu/friedmann"
	"github.com/cosmoemu/cosmoemu/solver"
)

// The paper's timings of its test, in seconds for 10,000 pairs × 50 points.
const (
	PaperOdeintSeconds = 14
	PaperKerasSeconds  = 6.64
)

// Settings control Run. A nil *Settings means the defaults; in a non-nil
// one, zero fields take them.
type Settings struct {
	Queries int     // parameter points of the query test; default 20,000
	Pairs   int     // parameter pairs of the paper's test; default 10,000
	Points  int     // N points per pair, evenly spaced over the domain; default 50, at least 2
	RTol    float64 // the solver's relative tolerance; default 1e-8
	Seed    uint64  // of the parameter points, drawn uniformly over the domain; default 1

	// Progress, if not nil, is called now and then during the paper's test
	// with the pairs done and the total (both solver and emulator).
	Progress func(done, total int)
}

func (s *Settings) withDefaults() (Settings, error) {
	var c Settings
	if s != nil {
		c = *s
	}
	for _, f := range []struct {
		v   *int
		def int
	}{{&c.Queries, 20000}, {&c.Pairs, 10000}, {&c.Points, 50}} {
		if *f.v == 0 {
			*f.v = f.def
		}
	}
	if c.RTol == 0 {
		c.RTol = 1e-8
	}
	if c.Seed == 0 {
		c.Seed = 1
	}
	switch {
	case c.Queries < 1 || c.Pairs < 1 || c.Points < 2:
		return c, fmt.Errorf("speed: %d queries, %d pairs and %d points: want ≥ 1, ≥ 1 and ≥ 2", c.Queries, c.Pairs, c.Points)
	case !(c.RTol > 0 && c.RTol < 1):
		return c, fmt.Errorf("speed: solver tolerance %v is not in (0, 1)", c.RTol)
	}
	return c, nil
}

// Query is the outcome of the query test: microseconds per query of each
// backend, and the largest relative difference of the emulator from the
// solver over the first 1,000 queries.
type Query struct {
	Queries              int
	Redshifts            int
	SolverUs, EmulatorUs float64
	AnalyticUs           float64 // the closed form, for reference
	Speedup              float64 // SolverUs/EmulatorUs
	MaxRelDiff           float64
}

// Paper is the outcome of the paper's test: seconds for all pairs.
type Paper struct {
	Pairs, Points      int
	SolverS, EmulatorS float64
	Speedup            float64 // SolverS/EmulatorS
}

// Result is the outcome of Run.
type Result struct {
	RTol  float64
	Query Query
	Paper Paper
}

// Run times the emulator m against the solver: the query at the redshifts
// z, then the paper's test. Parameter points are drawn uniformly over m's
// domain.
func Run(ctx context.Context, m *emulator.Friedmann, z []float64, s *Settings) (*Result, error) {
	c, err := s.withDefaults()
	if err != nil {
		return nil, err
	}
	d := m.Domain()
	rnd := rand.New(rand.NewPCG(c.Seed, 0x62656e6368))
	draw := func() []float64 {
		return []float64{d.Om0[0] + (d.Om0[1]-d.Om0[0])*rnd.Float64(), d.H0[0] + (d.H0[1]-d.H0[0])*rnd.Float64()}
	}
	r := &Result{RTol: c.RTol}
	sset := &solver.Settings{RTol: c.RTol, ATol: 1e-10}
	if r.Query, err = query(m, z, sset, c.Queries, draw); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if r.Paper, err = paper(ctx, m, sset, c, draw); err != nil {
		return nil, err
	}
	return r, nil
}

// query times H at z for n parameter points with the RK45 solver and the
// closed form of the paper's ΛCDM (the model the emulator learned, Ω_r0 =
// 1e-4) and the emulator's Query.
func query(m *emulator.Friedmann, z []float64, sset *solver.Settings, n int, draw func() []float64) (Query, error) {
	q := Query{Queries: n, Redshifts: len(z)}
	thetas := make([][]float64, n)
	for i := range thetas {
		thetas[i] = draw()
	}
	var models [3]hubbler
	var err error
	if models[0], err = newPaperSolver(z, sset); err != nil {
		return q, err
	}
	if models[1], err = m.NewQuery(z); err != nil {
		return q, err
	}
	models[2] = newPaperAnalytic(z)
	h := make([]float64, len(z))
	timeIt := func(hub func(dst, theta []float64) error) (float64, error) {
		for _, th := range thetas[:min(100, len(thetas))] { // warm up
			if err := hub(h, th); err != nil {
				return 0, err
			}
		}
		start := time.Now()
		for _, th := range thetas {
			if err := hub(h, th); err != nil {
				return 0, err
			}
		}
		return time.Since(start).Seconds() / float64(len(thetas)) * 1e6, nil
	}
	for i, dst := range []*float64{&q.SolverUs, &q.EmulatorUs, &q.AnalyticUs} {
		if *dst, err = timeIt(models[i].Hubble); err != nil {
			return q, err
		}
	}
	q.Speedup = q.SolverUs / q.EmulatorUs
	hs := make([]float64, len(z))
	for _, th := range thetas[:min(1000, len(thetas))] {
		if err := models[0].Hubble(hs, th); err != nil {
			return q, err
		}
		if err := models[1].Hubble(h, th); err != nil {
			return q, err
		}
		for i := range hs {
			q.MaxRelDiff = math.Max(q.MaxRelDiff, math.Abs(h[i]/hs[i]-1))
		}
	}
	return q, nil
}

// paper times the paper's test: all outputs at c.Points N points for each
// of c.Pairs pairs, the solver one pair at a time (one solve with dense
// output), the emulator one pass per pair.
func paper(ctx context.Context, m *emulator.Friedmann, sset *solver.Settings, c Settings, draw func() []float64) (Paper, error) {
	p := Paper{Pairs: c.Pairs, Points: c.Points}
	d := m.Domain()
	ns := make([]float64, c.Points)
	for i := range ns {
		ns[i] = d.N[0] + (d.N[1]-d.N[0])*float64(i)/float64(c.Points-1)
	}
	ts := make([]float64, 0, len(ns)) // solver order: from N = 0 outwards
	for i := len(ns) - 1; i >= 0; i-- {
		if ns[i] <= 0 {
			ts = append(ts, ns[i])
		}
	}
	if len(ts) != len(ns) {
		return p, fmt.Errorf("speed: the domain's N range %v reaches N > 0; the paper's test integrates backwards only", d.N)
	}
	ps := make([][]float64, c.Pairs)
	for i := range ps {
		ps[i] = draw()
	}
	ref, err := friedmann.LCDM(0.3, 70)
	if err != nil {
		return p, err
	}
	sv, err := solver.New(ref.Dim(), sset)
	if err != nil {
		return p, err
	}
	sol := make([]float64, len(ts)*ref.Dim())
	y0 := make([]float64, ref.Dim())
	progress := func(done int) {
		if c.Progress != nil && done%256 == 0 {
			c.Progress(done, 2*c.Pairs)
		}
	}
	start := time.Now()
	for i, q := range ps {
		// One model's Derivs serve all pairs: nothing is allocated in the
		// timed loop, as for the emulator.
		if err := friedmann.LCDMState(y0, q[0], m.OmegaR0(), q[1]); err != nil {
			return p, err
		}
		if _, err := sv.Solve(sol, ref.Derivs, 0, y0, ts); err != nil {
			return p, err
		}
		progress(i)
		if i%256 == 0 && ctx.Err() != nil {
			return p, ctx.Err()
		}
	}
	p.SolverS = time.Since(start).Seconds()
	qn, err := m.NewQueryN(ns)
	if err != nil {
		return p, err
	}
	pts := make([]emulator.Point, len(ns))
	start = time.Now()
	for i, q := range ps {
		if err := qn.Eval(pts, q[0], q[1]); err != nil {
			return p, err
		}
		progress(c.Pairs + i)
	}
	p.EmulatorS = time.Since(start).Seconds()
	p.Speedup = p.SolverS / p.EmulatorS
	return p, nil
}

// hubbler computes H at fixed redshifts for θ = (Ω_m0, H0).
type hubbler interface {
	Hubble(dst, theta []float64) error
}

// paperSolver is the RK45 solution of the paper's ΛCDM (Ω_r0 = 1e-4) at
// fixed redshifts, integrated from z = 0 to the largest.
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
	d := len(m.y0)
	for k, i := range m.order {
		dst[i] = friedmann.LCDMHubble(m.sol[k*d:(k+1)*d], m.y0, th[1])
	}
	return nil
}

// paperAnalytic is the closed form of the paper's ΛCDM at fixed redshifts.
type paperAnalytic struct{ x3, x4 []float64 }

func newPaperAnalytic(z []float64) *paperAnalytic {
	a := &paperAnalytic{x3: make([]float64, len(z)), x4: make([]float64, len(z))}
	for i, v := range z {
		o := 1 + v
		a.x3[i] = o * o * o
		a.x4[i] = a.x3[i] * o
	}
	return a
}

// Hubble writes H at the redshifts for θ = (Ω_m0, H0).
func (a *paperAnalytic) Hubble(dst, th []float64) error {
	om, h0, or := th[0], th[1], friedmann.DefaultOmegaR0
	if err := friedmann.CheckLCDM(om, or, h0); err != nil {
		return err
	}
	for i := range a.x3 {
		dst[i] = h0 * math.Sqrt(or*a.x4[i]+om*a.x3[i]+1-om-or)
	}
	return nil
}
