package fit

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/cosmoemu/cosmoemu/cosmo"
)

// Comparison is a Bayesian model comparison of nested-sampling fits on the
// same data, against the first model added: what `cosmoemu evidence`
// prints.
type Comparison struct {
	Data   []string      `json:"data"`
	Models []ModelResult `json:"models"`
	Notes  []string      `json:"notes,omitempty"`
}

// ModelResult is one model's row of a Comparison.
type ModelResult struct {
	Model       string  `json:"model"`
	LogZ        float64 `json:"logz"`
	LogZErr     float64 `json:"logz_err"`
	DeltaLogZ   float64 `json:"delta_logz"`     // ln Z − ln Z_reference
	DeltaErr    float64 `json:"delta_logz_err"` // the two errors in quadrature
	BayesFactor float64 `json:"bayes_factor"`   // Z/Z_reference
	Chi2Min     float64 `json:"chi2_min"`
	DeltaChi2   float64 `json:"delta_chi2"` // χ²_min − χ²_min,reference
	NParams     int     `json:"n_params"`
	Jeffreys    string  `json:"jeffreys"`
	Backend     string  `json:"backend"`
	Calls       int64   `json:"calls"`
	WallSeconds float64 `json:"wall_seconds"`
	// FallbackFraction is the emulator's share of calls answered by the
	// solver, outside its domain (0 for the other backends).
	FallbackFraction float64 `json:"fallback_fraction"`

	Result *Result `json:"-"`
}

// Add appends the result of a nested-sampling fit; the first is the
// reference. It panics if r has no evidence (programmer error).
func (c *Comparison) Add(r *Result) {
	if r.LogZ == nil {
		panic("fit: Comparison.Add needs a nested-sampling result")
	}
	if len(c.Models) == 0 {
		c.Data = r.Data
		for _, n := range r.Notes {
			if n == noteSNEvidence {
				c.Notes = append(c.Notes, n)
			}
		}
	}
	m := ModelResult{Model: r.Model, LogZ: *r.LogZ, LogZErr: *r.LogZErr, Chi2Min: r.Chi2Min,
		NParams: len(r.Params), Backend: r.Backend, Calls: r.Calls, WallSeconds: r.WallSeconds,
		FallbackFraction: r.FallbackFraction, Result: r}
	if len(c.Models) > 0 {
		ref := c.Models[0]
		m.DeltaLogZ = m.LogZ - ref.LogZ
		m.DeltaErr = math.Hypot(m.LogZErr, ref.LogZErr)
		m.DeltaChi2 = m.Chi2Min - ref.Chi2Min
	}
	m.BayesFactor = math.Exp(m.DeltaLogZ)
	m.Jeffreys = Jeffreys(m.DeltaLogZ)
	if len(c.Models) == 0 {
		m.Jeffreys = "reference"
	}
	c.Models = append(c.Models, m)
}

// Jeffreys describes a difference of log-evidences on the Jeffreys scale
// as Trotta (2008, arXiv:0803.4089) calibrates it: |Δ ln Z| < 1
// inconclusive, < 2.5 weak, < 5 moderate, beyond strong evidence, for the
// model (Δ > 0) or against it.
func Jeffreys(d float64) string {
	a := math.Abs(d)
	var s string
	switch {
	case a < 1:
		return "inconclusive"
	case a < 2.5:
		s = "weak"
	case a < 5:
		s = "moderate"
	default:
		s = "strong"
	}
	if d > 0 {
		return s + " evidence for"
	}
	return s + " evidence against"
}

// Backends returns the backends on which a comparison of m runs the same
// fit, in order: analytic (where m has a closed form), solver, emulator.
func Backends(m *cosmo.Model) []string {
	var b []string
	if m.ClosedForm() {
		b = append(b, "analytic")
	}
	return append(b, "solver", "emulator")
}

// The rule by which the emulator agrees with the solver: every posterior
// mean within AgreeMeanShift posterior standard deviations of the
// solver's, and every standard deviation within a fraction AgreeStdRelDiff
// of the solver's.
const (
	AgreeMeanShift  = 0.05
	AgreeStdRelDiff = 0.05
)

// BackendComparison is the same fit run with every backend, against the
// solver's: what `cosmoemu compare -json` prints.
type BackendComparison struct {
	Model string    `json:"model"`
	Data  []string  `json:"data"`
	Runs  []*Result `json:"runs"` // analytic (where it exists), solver, emulator (where it exists)
	// Evaluations per second of each backend over the solver's.
	SpeedupEmulatorVsSolver float64 `json:"speedup_emulator_vs_solver,omitempty"`
	SpeedupAnalyticVsSolver float64 `json:"speedup_analytic_vs_solver,omitempty"`
	// Largest |mean − mean_solver|/σ_solver over the parameters, and the
	// largest |σ/σ_solver − 1|, of the emulator and of the closed form.
	MaxMeanShiftSigma         float64 `json:"max_mean_shift_sigma,omitempty"`
	MaxStdRelDiff             float64 `json:"max_std_rel_diff,omitempty"`
	AnalyticMaxMeanShiftSigma float64 `json:"analytic_max_mean_shift_sigma,omitempty"`
	AnalyticMaxStdRelDiff     float64 `json:"analytic_max_std_rel_diff,omitempty"`
	// FallbackFraction is the emulator's share of evaluations answered by
	// the solver because they fell outside its domain.
	FallbackFraction float64 `json:"fallback_fraction"`
	// Agree: the emulator's posterior agrees with the solver's
	// (AgreeMeanShift, AgreeStdRelDiff).
	Agree bool `json:"emulator_agrees"`
}

// CompareBackends compares the runs of one fit with several backends
// (Result.Backend names each) against the solver's. It returns an error if
// no run is the solver's or the runs differ in model or parameters.
func CompareBackends(runs []*Result) (*BackendComparison, error) {
	sol := byBackend(runs, "solver")
	if sol == nil {
		return nil, errors.New("fit: comparing backends needs the solver's run")
	}
	for _, r := range runs {
		if r.Model != sol.Model || !slices.Equal(r.Params, sol.Params) {
			return nil, fmt.Errorf("fit: comparing backends: the %s run fits %s %v, the solver's %s %v", r.Backend, r.Model, r.Params, sol.Model, sol.Params)
		}
	}
	c := &BackendComparison{Model: sol.Model, Data: sol.Data, Runs: runs}
	if an := byBackend(runs, "analytic"); an != nil {
		c.SpeedupAnalyticVsSolver = an.EvaluationsPerSecond / sol.EvaluationsPerSecond
		c.AnalyticMaxMeanShiftSigma, c.AnalyticMaxStdRelDiff = shifts(an, sol)
	}
	if emu := byBackend(runs, "emulator"); emu != nil {
		c.FallbackFraction = emu.FallbackFraction
		c.SpeedupEmulatorVsSolver = emu.EvaluationsPerSecond / sol.EvaluationsPerSecond
		c.MaxMeanShiftSigma, c.MaxStdRelDiff = shifts(emu, sol)
		c.Agree = agree(c.MaxMeanShiftSigma, c.MaxStdRelDiff)
	}
	return c, nil
}

// Run returns the run with the named backend, or nil.
func (c *BackendComparison) Run(backend string) *Result { return byBackend(c.Runs, backend) }

func byBackend(runs []*Result, backend string) *Result {
	for _, r := range runs {
		if r.Backend == backend {
			return r
		}
	}
	return nil
}

// shifts returns the largest |mean − mean_ref|/σ_ref and the largest
// |σ/σ_ref − 1| over the parameters of r against ref.
func shifts(r, ref *Result) (meanShift, stdDiff float64) {
	for _, d := range MeanShifts(r, ref) {
		meanShift = math.Max(meanShift, math.Abs(d))
	}
	for _, q := range StdRatios(r, ref) {
		stdDiff = math.Max(stdDiff, math.Abs(q-1))
	}
	return meanShift, stdDiff
}

// agree applies the rule of AgreeMeanShift and AgreeStdRelDiff to the
// largest shifts of a run against its reference.
func agree(meanShift, stdDiff float64) bool {
	return meanShift <= AgreeMeanShift && stdDiff <= AgreeStdRelDiff
}

// MeanShifts returns (mean − mean_ref)/σ_ref of each parameter of r
// against ref.
func MeanShifts(r, ref *Result) []float64 {
	s := make([]float64, len(ref.Mean))
	for i := range s {
		s[i] = (r.Mean[i] - ref.Mean[i]) / ref.Std[i]
	}
	return s
}

// StdRatios returns σ/σ_ref of each parameter of r against ref.
func StdRatios(r, ref *Result) []float64 {
	s := make([]float64, len(ref.Std))
	for i := range s {
		s[i] = r.Std[i] / ref.Std[i]
	}
	return s
}

// EarlyComparison is the same fit run with the exact early universe
// (recombination for every point) and with the early-universe emulator,
// on one late-universe backend: what `cosmoemu compare -what early -json`
// prints. The emulator agrees with the exact route by the rule of
// BackendComparison (AgreeMeanShift, AgreeStdRelDiff).
type EarlyComparison struct {
	Model   string    `json:"model"`
	Data    []string  `json:"data"`
	Backend string    `json:"backend"`
	Runs    []*Result `json:"runs"` // exact, emulator
	// SpeedupEmulatedVsExact is the emulated run's evaluations per second
	// over the exact run's.
	SpeedupEmulatedVsExact float64 `json:"speedup_emulated_vs_exact"`
	// Largest |mean − mean_exact|/σ_exact over the parameters, and the
	// largest |σ/σ_exact − 1|.
	MaxMeanShiftSigma float64 `json:"max_mean_shift_sigma"`
	MaxStdRelDiff     float64 `json:"max_std_rel_diff"`
	// FallbackFraction is the emulated run's share of evaluations the
	// exact route answered because they fell outside the emulator's domain.
	FallbackFraction float64 `json:"early_fallback_fraction"`
	Agree            bool    `json:"emulator_agrees"`
}

// CompareEarly compares a fit with the emulated early universe against the
// same fit with the exact one. It returns an error unless the two runs
// are the same fit on the same backend, with early universes "exact" and
// "emulator".
func CompareEarly(exact, emulated *Result) (*EarlyComparison, error) {
	if exact.Early != cosmo.EarlyExact.Name() || emulated.Early != "emulator" {
		return nil, fmt.Errorf("fit: comparing early universes needs an exact and an emulated run, not %q and %q", exact.Early, emulated.Early)
	}
	if emulated.Model != exact.Model || emulated.Backend != exact.Backend || !slices.Equal(emulated.Params, exact.Params) || !slices.Equal(emulated.Data, exact.Data) {
		return nil, fmt.Errorf("fit: comparing early universes: the emulated run fits %s %v to %v with %s, the exact %s %v to %v with %s",
			emulated.Model, emulated.Params, emulated.Data, emulated.Backend, exact.Model, exact.Params, exact.Data, exact.Backend)
	}
	c := &EarlyComparison{Model: exact.Model, Data: exact.Data, Backend: exact.Backend, Runs: []*Result{exact, emulated},
		SpeedupEmulatedVsExact: emulated.EvaluationsPerSecond / exact.EvaluationsPerSecond,
		FallbackFraction:       emulated.EarlyFallbackFraction}
	c.MaxMeanShiftSigma, c.MaxStdRelDiff = shifts(emulated, exact)
	c.Agree = agree(c.MaxMeanShiftSigma, c.MaxStdRelDiff)
	return c, nil
}
