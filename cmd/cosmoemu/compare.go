package main

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"strings"

	"github.com/cosmoemu/cosmoemu/cosmo"
	"github.com/cosmoemu/cosmoemu/fit"
	"github.com/cosmoemu/cosmoemu/plots"
)

func init() {
	register(command{
		name:    "compare",
		summary: "run the same fit with every backend (closed form, solver, emulator) and compare speed and posteriors",
		run:     runCompare,
	})
}

// compareJSON is the -json output of compare.
type compareJSON struct {
	Model string        `json:"model"`
	Data  []string      `json:"data"`
	Runs  []*fit.Result `json:"runs"` // analytic (where it exists), solver, emulator (where it exists)
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
	// Agree: every emulator mean within 0.05σ and σ within 5% of the
	// solver's.
	Agree bool `json:"emulator_agrees"`
}

func runCompare(e *env, args []string) error {
	var f fitFlags
	flags := newFlagSet(e, "compare", "[-model lcdm] [-data cc31|SET,…] [-prior …] [-fix …] [-sampler ensemble|mh] [-walkers N] [-steps 5000] [-seed S] [-out ROOT] [-corner FILE] [-json]")
	f.register(flags, "lcdm", "cc31", false)
	if err := parseFlags(flags, args); err != nil {
		return err
	}
	if f.data == "cc31" && f.model == "lcdm" {
		withDefaultPriors(&f)
	}
	m, err := cosmo.Lookup(f.model)
	if err != nil {
		return usagef("compare: -model: %v", err)
	}
	var backends []string
	if m.ClosedForm() {
		backends = append(backends, "analytic")
	}
	backends = append(backends, "solver", "emulator")
	corner := cornerPath(&f)
	var roots []string
	if f.out != "" {
		for _, b := range backends {
			roots = append(roots, f.out+"_"+b)
		}
	}
	if err := checkRunOutputs(f.out, corner, roots...); err != nil {
		return err
	}
	var runs []*fit.Result
	var an, sol, emu *fit.Result
	for _, name := range backends {
		f.backend = name
		cfg, err := f.config("compare")
		if err != nil {
			return err
		}
		if f.out != "" {
			cfg.Sampler.Out = f.out + "_" + name
		}
		p, err := build(e, "compare", cfg)
		if err != nil {
			return err
		}
		r, err := runOne(e, p, name)
		if err != nil && f.resume && errors.Is(err, fs.ErrNotExist) {
			// Interrupted before this backend started: start it now.
			p.Config.Sampler.Resume = false
			r, err = runOne(e, p, name)
		}
		if err != nil {
			return fmt.Errorf("compare: %s: %w", name, err)
		}
		runs = append(runs, r)
		switch name {
		case "analytic":
			an = r
		case "solver":
			sol = r
		case "emulator":
			emu = r
		}
	}
	out := compareJSON{Model: m.Name(), Data: sol.Data, Runs: runs}
	if an != nil {
		out.SpeedupAnalyticVsSolver = an.EvaluationsPerSecond / sol.EvaluationsPerSecond
		out.AnalyticMaxMeanShiftSigma, out.AnalyticMaxStdRelDiff = shifts(an, sol)
	}
	if emu != nil {
		out.FallbackFraction = emu.FallbackFraction
		out.SpeedupEmulatorVsSolver = emu.EvaluationsPerSecond / sol.EvaluationsPerSecond
		out.MaxMeanShiftSigma, out.MaxStdRelDiff = shifts(emu, sol)
		out.Agree = out.MaxMeanShiftSigma <= 0.05 && out.MaxStdRelDiff <= 0.05
	}
	if corner != "" {
		var sets []plots.Samples
		for _, r := range runs {
			sets = append(sets, plots.Samples{Name: r.Backend, X: r.Samples})
		}
		if err := plots.Corner(corner, sets, sol.Params, &plots.CornerOptions{
			Labels: sol.Labels, Title: fmt.Sprintf("%s: %s, every backend", m.Name(), strings.Join(sol.Data, " + ")),
		}); err != nil {
			return err
		}
	}
	if f.asJSON {
		return writeJSON(e.stdout, out)
	}
	w := e.stdout
	printResults(w, runs)
	fmt.Fprintln(w)
	if emu != nil {
		fmt.Fprintf(w, "emulator against solver: speedup %.1f× in evaluations per second; mean shifts %s σ; σ ratios %s\n",
			out.SpeedupEmulatorVsSolver, shiftList(emu, sol), ratioList(emu, sol))
	}
	if an != nil {
		fmt.Fprintf(w, "analytic against solver: speedup %.1f×; mean shifts %s σ; σ ratios %s\n",
			out.SpeedupAnalyticVsSolver, shiftList(an, sol), ratioList(an, sol))
	}
	if corner != "" {
		fmt.Fprintf(w, "wrote %s\n", corner)
	}
	return nil
}

// shifts returns the largest |Δmean|/σ_ref and |σ/σ_ref − 1| of r against ref.
func shifts(r, ref *fit.Result) (meanShift, stdDiff float64) {
	for i := range ref.Mean {
		meanShift = math.Max(meanShift, math.Abs(r.Mean[i]-ref.Mean[i])/ref.Std[i])
		stdDiff = math.Max(stdDiff, math.Abs(r.Std[i]/ref.Std[i]-1))
	}
	return meanShift, stdDiff
}

func shiftList(r, ref *fit.Result) string {
	s := ""
	for i, name := range ref.Params {
		s += fmt.Sprintf("%s %+.3f ", name, (r.Mean[i]-ref.Mean[i])/ref.Std[i])
	}
	return s
}

func ratioList(r, ref *fit.Result) string {
	s := ""
	for i, name := range ref.Params {
		s += fmt.Sprintf("%s %.3f ", name, r.Std[i]/ref.Std[i])
	}
	return s
}
