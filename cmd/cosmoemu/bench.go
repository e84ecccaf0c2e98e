package main

import (
	"fmt"

	"github.com/cosmoemu/cosmoemu/likelihood"
	"github.com/cosmoemu/cosmoemu/paper/speed"
)

func init() {
	register(command{
		name:    "bench",
		summary: "time the solver against the emulator: the paper's 10,000 × 50 test and the 31-redshift likelihood query",
		run:     runBench,
	})
}

func runBench(e *env, args []string) error {
	fs := newFlagSet(e, "bench", "[-model default|FILE] [-pairs 10000] [-n 50] [-queries 20000] [-seed S] [-json]")
	model := fs.String("model", "default", "emulator: `default` (embedded) or a model file")
	// Pairs and queries cost time, not memory beyond 16 bytes each; the
	// points multiply with nothing but the 4 outputs of one pair.
	pairs := intFlag(fs, "pairs", 10000, 1, maxSize, "(Ω_m0, H0) pairs of the paper's test")
	n := intFlag(fs, "n", 50, 2, 1_000_000, "N points per pair, evenly spaced over the domain's N range")
	queries := intFlag(fs, "queries", 20000, 1, maxSize, "parameter points of the test of the likelihood's query (H at the cc31 redshifts)")
	rtol := floatFlag(fs, "rtol", 1e-8, 0, 1, true, "relative tolerance of the solver")
	seed := fs.Uint64("seed", 1, "random `seed` of the parameter points")
	asJSON := fs.Bool("json", false, "print one JSON object instead of a table")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	warnShadowed(e, "model", *model, "default")
	m, err := loadModel(*model)
	if err != nil {
		return badInput("bench", "model", err)
	}
	cc31, _, err := likelihood.Open("cc31", nil)
	if err != nil {
		return err
	}
	data := cc31.(*likelihood.Hz).Data()
	bar := newProgress(e, int64(2**pairs), "bench")
	r, err := speed.Run(e.ctx, m, data.Z, &speed.Settings{
		Queries: *queries, Pairs: *pairs, Points: *n, RTol: *rtol, Seed: *seed,
		Progress: func(done, _ int) { bar.Set(int64(done)) },
	})
	bar.Finish()
	if err != nil {
		return err
	}
	res := r.Report(*model, data.Name)
	if *asJSON {
		return writeJSON(e.stdout, res)
	}
	q, p := r.Query, r.Paper
	w := e.stdout
	fmt.Fprintf(w, "model %s (recipe %s); %s, GOMAXPROCS %d; solver: RK45 at rtol %g, one goroutine\n", *model, m.Recipe(), res.GoVersion, res.GOMAXPROCS, r.RTol)
	fmt.Fprintf(w, "\nH at the %d %s redshifts, %d random parameter points:\n", q.Redshifts, data.Name, q.Queries)
	fmt.Fprintf(w, "  solver    %9.3f µs per query\n", q.SolverUs)
	fmt.Fprintf(w, "  emulator  %9.3f µs per query   speedup %.3g×   (max relative difference from the solver %.2g)\n", q.EmulatorUs, q.Speedup, q.MaxRelDiff)
	fmt.Fprintf(w, "  analytic  %9.3f µs per query   (closed form, for reference)\n", q.AnalyticUs)
	fmt.Fprintf(w, "\nThe paper's test: %d (Ω_m0, H0) pairs × %d N points, all outputs (Ω_r, Ω_m, Ω_Λ, H):\n", p.Pairs, p.Points)
	fmt.Fprintf(w, "  solver    %9.4f s\n", p.SolverS)
	fmt.Fprintf(w, "  emulator  %9.4f s   speedup %.3g×\n", p.EmulatorS, p.Speedup)
	fmt.Fprintf(w, "  (the paper reports %g s for scipy odeint and %g s for Keras predict on 10,000 × 50)\n", float64(speed.PaperOdeintSeconds), speed.PaperKerasSeconds)
	return nil
}
