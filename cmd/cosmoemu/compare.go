package main

import (
	"fmt"
	"math"

	"github.com/cosmoemu/cosmoemu/plots"
)

func init() {
	register(command{
		name:    "compare",
		summary: "run the same MCMC with the analytic, solver and emulator backends and compare speed and posteriors",
		run:     runCompare,
	})
}

// compareJSON is the -json output of compare.
type compareJSON struct {
	Runs []*sampleRun `json:"runs"` // analytic, solver, emulator
	// The emulator's evaluations per second over the solver's.
	SpeedupEmulatorVsSolver float64 `json:"speedup_emulator_vs_solver"`
	SpeedupAnalyticVsSolver float64 `json:"speedup_analytic_vs_solver"`
	// Largest |mean_emulator − mean_solver|/σ_solver over the parameters,
	// and the largest |σ_emulator/σ_solver − 1|.
	MaxMeanShiftSigma float64 `json:"max_mean_shift_sigma"`
	MaxStdRelDiff     float64 `json:"max_std_rel_diff"`
	// The same for the analytic backend against the solver.
	AnalyticMaxMeanShiftSigma float64 `json:"analytic_max_mean_shift_sigma"`
	AnalyticMaxStdRelDiff     float64 `json:"analytic_max_std_rel_diff"`
	// Whether the emulator meets the agreement the project promises:
	// every mean within 0.1σ and every σ within 10% of the solver's.
	Agree bool `json:"emulator_agrees"`
}

func runCompare(e *env, args []string) error {
	var f sampleFlags
	fs := newFlagSet(e, "compare", "[-model default|FILE] [-data cc31|FILE] [-cov FILE] [-sampler ensemble|mh] [-walkers 32] [-steps 5000] [-seed S] [-out ROOT] [-json]")
	f.register(fs, false)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := f.check("compare"); err != nil {
		return err
	}
	if err := f.makeOutDir(); err != nil {
		return err
	}
	var runs []*sampleRun
	for _, name := range []string{"analytic", "solver", "emulator"} {
		root := ""
		if f.out != "" {
			root = f.out + "_" + name
		}
		r, err := sampleWith(e, &f, name, root)
		if err != nil {
			return err
		}
		runs = append(runs, r)
	}
	an, sol, emu := runs[0], runs[1], runs[2]
	out := compareJSON{
		Runs:                    runs,
		SpeedupEmulatorVsSolver: emu.EvalsPerS / sol.EvalsPerS,
		SpeedupAnalyticVsSolver: an.EvalsPerS / sol.EvalsPerS,
	}
	out.MaxMeanShiftSigma, out.MaxStdRelDiff = shifts(emu, sol)
	out.AnalyticMaxMeanShiftSigma, out.AnalyticMaxStdRelDiff = shifts(an, sol)
	out.Agree = out.MaxMeanShiftSigma <= 0.1 && out.MaxStdRelDiff <= 0.1

	corner := f.corner
	if corner == "" && f.out != "" {
		corner = f.out + ".corner.png"
	}
	if corner != "" {
		var sets []plots.Samples
		for _, r := range runs {
			sets = append(sets, plots.Samples{Name: r.Backend, X: r.samples})
		}
		if err := plots.Corner(corner, sets, sol.Params, &plots.CornerOptions{
			Labels: []string{`\Omega_{m0}`, `H_0`}, Title: fmt.Sprintf("%s: the three backends", f.data),
		}); err != nil {
			return err
		}
	}
	if f.asJSON {
		return writeJSON(e.stdout, out)
	}
	w := e.stdout
	printRuns(w, runs)
	fmt.Fprintf(w, "\nemulator against solver: speedup %.1f× in evaluations per second; ", out.SpeedupEmulatorVsSolver)
	fmt.Fprintf(w, "mean shifts %s σ; σ ratios %s\n", shiftList(emu, sol), ratioList(emu, sol))
	fmt.Fprintf(w, "analytic against solver: speedup %.1f×; mean shifts %s σ; σ ratios %s\n", out.SpeedupAnalyticVsSolver, shiftList(an, sol), ratioList(an, sol))
	verdict := "agrees with"
	if !out.Agree {
		verdict = "does NOT agree with"
	}
	fmt.Fprintf(w, "the emulator's posterior %s the solver's (every mean within 0.1σ, every σ within 10%%)\n", verdict)
	if corner != "" {
		fmt.Fprintf(w, "wrote %s\n", corner)
	}
	return nil
}

// shifts returns the largest |Δmean|/σ_ref and |σ/σ_ref − 1| of r against ref.
func shifts(r, ref *sampleRun) (meanShift, stdDiff float64) {
	for i := range ref.Mean {
		meanShift = math.Max(meanShift, math.Abs(r.Mean[i]-ref.Mean[i])/ref.Std[i])
		stdDiff = math.Max(stdDiff, math.Abs(r.Std[i]/ref.Std[i]-1))
	}
	return meanShift, stdDiff
}

func shiftList(r, ref *sampleRun) string {
	s := ""
	for i, name := range ref.Params {
		s += fmt.Sprintf("%s %+.3f ", name, (r.Mean[i]-ref.Mean[i])/ref.Std[i])
	}
	return s
}

func ratioList(r, ref *sampleRun) string {
	s := ""
	for i, name := range ref.Params {
		s += fmt.Sprintf("%s %.3f ", name, r.Std[i]/ref.Std[i])
	}
	return s
}
