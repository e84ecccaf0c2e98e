package main

import (
	"fmt"
	"runtime"

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

// benchJSON is what bench -json prints. The keys name the tests, not
// their default sizes: queries, pairs and points_per_pair give those.
type benchJSON struct {
	Model      string  `json:"model"`
	GoVersion  string  `json:"go_version"`
	GOMAXPROCS int     `json:"gomaxprocs"`
	SolverRTol float64 `json:"solver_rtol"`

	Data               string  `json:"query_data"`
	Redshifts          int     `json:"query_redshifts"`
	Queries            int     `json:"queries"`
	SolverUsPerQuery   float64 `json:"solver_us_per_query"`
	EmulatorUsPerQuery float64 `json:"emulator_us_per_query"`
	AnalyticUsPerQuery float64 `json:"analytic_us_per_query"`
	SpeedupQuery       float64 `json:"speedup_query"`
	MaxRelDiffQuery    float64 `json:"max_rel_diff_query"` // emulator against solver over the first 1,000 queries

	Pairs               int     `json:"pairs"`
	Points              int     `json:"points_per_pair"`
	SolverPaperTest     float64 `json:"solver_s_paper_test"`
	EmulatorPaperTest   float64 `json:"emulator_s_paper_test"`
	SpeedupPaperTest    float64 `json:"speedup_paper_test"`
	PaperOdeint10000x50 float64 `json:"paper_reported_odeint_s_10000x50"`
	PaperKeras10000x50  float64 `json:"paper_reported_keras_s_10000x50"`
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
		return err
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
	q, p := r.Query, r.Paper
	res := benchJSON{
		Model: *model, GoVersion: runtime.Version(), GOMAXPROCS: runtime.GOMAXPROCS(0), SolverRTol: r.RTol,
		Data: data.Name, Redshifts: q.Redshifts, Queries: q.Queries,
		SolverUsPerQuery: q.SolverUs, EmulatorUsPerQuery: q.EmulatorUs, AnalyticUsPerQuery: q.AnalyticUs,
		SpeedupQuery: q.Speedup, MaxRelDiffQuery: q.MaxRelDiff,
		Pairs: p.Pairs, Points: p.Points, SolverPaperTest: p.SolverS, EmulatorPaperTest: p.EmulatorS, SpeedupPaperTest: p.Speedup,
		PaperOdeint10000x50: speed.PaperOdeintSeconds, PaperKeras10000x50: speed.PaperKerasSeconds,
	}
	if *asJSON {
		return writeJSON(e.stdout, res)
	}
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
