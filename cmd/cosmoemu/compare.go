package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"

	"github.com/cosmoemu/cosmoemu/cosmo"
	"github.com/cosmoemu/cosmoemu/fit"
	"github.com/cosmoemu/cosmoemu/plots"
)

func init() {
	register(command{
		name:    "compare",
		summary: "run the same fit with every backend (closed form, solver, emulator), or with the exact and the emulated early universe, and compare speed and posteriors",
		run:     runCompare,
	})
}

func runCompare(e *env, args []string) error {
	var f fitFlags
	var what string
	flags := newFlagSet(e, "compare", "[-what backends|early] [-model lcdm] [-data cc31|SET,…] [-backend B] [-prior …] [-fix …] [-sampler ensemble|mh] [-walkers N] [-steps 5000] [-seed S] [-out ROOT] [-corner FILE] [-json]")
	flags.StringVar(&what, "what", "backends", "what to compare: `backends` (closed form, solver and emulator of the late universe) or early (the exact early universe against the emulated one, on -backend)")
	flags.StringVar(&f.backend, "backend", "", "`backend` of the late universe with -what early: analytic, solver or emulator; default analytic where the model has a closed form, else emulator")
	f.register(flags, "lcdm", "cc31", false)
	if err := f.parse(flags, args); err != nil {
		return err
	}
	m, err := cosmo.Lookup(f.model)
	if err != nil {
		return usagef("compare: -model: %v", err)
	}
	var runs []compareCase
	switch what {
	case "backends":
		if f.backend != "" {
			return usagef("compare: -backend is for -what early: -what backends runs every backend")
		}
		for _, b := range fit.Backends(m) {
			runs = append(runs, compareCase{backend: b, early: f.early, label: b})
		}
	case "early":
		if f.set["early"] {
			return usagef("compare: -early: -what early runs both the exact and the emulated early universe: leave it out")
		}
		if f.backend == "" {
			f.backend = fit.Backends(m)[0]
			if f.backend == "solver" {
				f.backend = "emulator"
			}
		}
		runs = []compareCase{{backend: f.backend, early: "exact", label: "early exact"}, {backend: f.backend, early: "emulator", label: "early emulator"}}
	default:
		return usagef("compare: -what %q: want backends or early", what)
	}
	corner := cornerPath(&f)
	var roots []string
	if f.out != "" {
		for _, c := range runs {
			roots = append(roots, c.root(f.out, what))
		}
	}
	if err := checkRunFiles(&f, corner, roots...); err != nil {
		return err
	}
	// Build every case first, so that a mistake in the last one is
	// reported before the first one runs.
	probs := make([]*fit.Problem, len(runs))
	for i, c := range runs {
		if probs[i], err = compareBuild(e, &f, c, what); err != nil {
			return err
		}
	}
	if err := checkApplies("compare", &f, probs...); err != nil {
		return err
	}
	results := make([]*fit.Result, len(runs))
	for i, c := range runs {
		if results[i], err = runOrStart(e, f.resume, probs[i], c.label); err != nil {
			return fmt.Errorf("compare: %s: %w", c.label, err)
		}
	}
	if what == "early" {
		return reportEarly(e, results, corner, f.asJSON)
	}
	c, err := fit.CompareBackends(results)
	if err != nil {
		return err
	}
	if corner != "" {
		if err := plots.BackendsCorner(corner, c); err != nil {
			return err
		}
	}
	if f.asJSON {
		return writeJSON(e.stdout, c)
	}
	printComparison(e.stdout, c, corner)
	return nil
}

// compareCase is one run of a comparison.
type compareCase struct{ backend, early, label string }

// root is the output root of the run under -out ROOT: ROOT_BACKEND, or
// ROOT_EARLY with -what early.
func (c compareCase) root(out, what string) string {
	if what == "early" {
		return out + "_" + c.early
	}
	return out + "_" + c.backend
}

// reportEarly compares the runs with the exact and the emulated early
// universe and prints or draws the comparison.
func reportEarly(e *env, runs []*fit.Result, corner string, asJSON bool) error {
	c, err := fit.CompareEarly(runs[0], runs[1])
	if err != nil {
		return err
	}
	if corner != "" {
		if err := plots.EarlyCorner(corner, c); err != nil {
			return err
		}
	}
	if asJSON {
		return writeJSON(e.stdout, c)
	}
	w := e.stdout
	printResults(w, c.Runs, "early exact", "early emulator")
	fmt.Fprintln(w)
	ex, em := c.Runs[0], c.Runs[1]
	fmt.Fprintf(w, "emulated against exact early universe: speedup %.1f× in evaluations per second; mean shifts %s σ; σ ratios %s\n",
		c.SpeedupEmulatedVsExact, paramList(ex.Params, fit.MeanShifts(em, ex), "%+.3f"), paramList(ex.Params, fit.StdRatios(em, ex), "%.3f"))
	verdict := "agree"
	if !c.Agree {
		verdict = "do NOT agree"
	}
	fmt.Fprintf(w, "the posteriors %s (every mean within %.2gσ, every σ within %.0f%%)\n", verdict, fit.AgreeMeanShift, 100*fit.AgreeStdRelDiff)
	if corner != "" {
		fmt.Fprintf(w, "wrote %s\n", corner)
	}
	return nil
}

// compareBuild builds the fit of the flags in one case of a comparison,
// its outputs under -out ROOT_BACKEND (ROOT_EARLY with -what early).
func compareBuild(e *env, f *fitFlags, c compareCase, what string) (*fit.Problem, error) {
	f.backend, f.early = c.backend, c.early
	cfg, err := f.config("compare")
	if err != nil {
		return nil, err
	}
	fit.PaperDefaults(cfg)
	if what == "backends" && c.backend != "emulator" {
		// The emulator's case alone reads the model files.
		cfg.EmulatorFile, cfg.GrowthEmulatorFile = "", ""
	}
	if f.out != "" {
		cfg.Sampler.Out = c.root(f.out, what)
	}
	p, err := build(e, "compare", cfg)
	if err != nil {
		return nil, err
	}
	if what == "early" && p.EarlyUniverse() == "" {
		return nil, usagef("compare: -what early: the data %s need no early universe (z*, r_d): add CMB, θ* or BAO data with r_d from the model", f.data)
	}
	return p, nil
}

// runOrStart runs one of the problems of a command that runs several
// (compare, evidence) under -out ROOT_CASE: with -resume, a case that the
// interruption stopped before it started has no run to resume, and starts.
func runOrStart(e *env, resume bool, p *fit.Problem, label string) (*fit.Result, error) {
	r, err := runOne(e, p, label)
	if err != nil && resume && errors.Is(err, fs.ErrNotExist) {
		p.Config.Sampler.Resume = false
		r, err = runOne(e, p, label)
	}
	return r, err
}

// printComparison prints the runs side by side and each backend against
// the solver.
func printComparison(w io.Writer, c *fit.BackendComparison, corner string) {
	printResults(w, c.Runs)
	fmt.Fprintln(w)
	sol := c.Run("solver")
	if emu := c.Run("emulator"); emu != nil {
		fmt.Fprintf(w, "emulator against solver: speedup %.1f× in evaluations per second; mean shifts %s σ; σ ratios %s\n",
			c.SpeedupEmulatorVsSolver, paramList(sol.Params, fit.MeanShifts(emu, sol), "%+.3f"), paramList(sol.Params, fit.StdRatios(emu, sol), "%.3f"))
	}
	if an := c.Run("analytic"); an != nil {
		fmt.Fprintf(w, "analytic against solver: speedup %.1f×; mean shifts %s σ; σ ratios %s\n",
			c.SpeedupAnalyticVsSolver, paramList(sol.Params, fit.MeanShifts(an, sol), "%+.3f"), paramList(sol.Params, fit.StdRatios(an, sol), "%.3f"))
	}
	if corner != "" {
		fmt.Fprintf(w, "wrote %s\n", corner)
	}
}

// paramList writes "NAME VALUE " for each parameter, the values in format.
func paramList(names []string, v []float64, format string) string {
	s := ""
	for i, name := range names {
		s += fmt.Sprintf("%s "+format+" ", name, v[i])
	}
	return s
}
