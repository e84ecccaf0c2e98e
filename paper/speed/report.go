package speed

import "runtime"

// Report is a Result in the form `cosmoemu bench -json` prints, with the
// machine it ran on. The keys name the tests, not their default sizes:
// queries, pairs and points_per_pair give those.
type Report struct {
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

// Report returns the result of timing the emulator named model on the
// query at the redshifts of the data set named data.
func (r *Result) Report(model, data string) *Report {
	q, p := r.Query, r.Paper
	return &Report{
		Model: model, GoVersion: runtime.Version(), GOMAXPROCS: runtime.GOMAXPROCS(0), SolverRTol: r.RTol,
		Data: data, Redshifts: q.Redshifts, Queries: q.Queries,
		SolverUsPerQuery: q.SolverUs, EmulatorUsPerQuery: q.EmulatorUs, AnalyticUsPerQuery: q.AnalyticUs,
		SpeedupQuery: q.Speedup, MaxRelDiffQuery: q.MaxRelDiff,
		Pairs: p.Pairs, Points: p.Points, SolverPaperTest: p.SolverS, EmulatorPaperTest: p.EmulatorS, SpeedupPaperTest: p.Speedup,
		PaperOdeint10000x50: PaperOdeintSeconds, PaperKeras10000x50: PaperKerasSeconds,
	}
}
