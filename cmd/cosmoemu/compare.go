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
		summary: "run the same fit with every backend (closed form, solver, emulator) and compare speed and posteriors",
		run:     runCompare,
	})
}

func runCompare(e *env, args []string) error {
	var f fitFlags
	flags := newFlagSet(e, "compare", "[-model lcdm] [-data cc31|SET,…] [-prior …] [-fix …] [-sampler ensemble|mh] [-walkers N] [-steps 5000] [-seed S] [-out ROOT] [-corner FILE] [-json]")
	f.register(flags, "lcdm", "cc31", false)
	if err := parseFlags(flags, args); err != nil {
		return err
	}
	m, err := cosmo.Lookup(f.model)
	if err != nil {
		return usagef("compare: -model: %v", err)
	}
	backends := fit.Backends(m)
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
	for _, name := range backends {
		r, err := compareRun(e, &f, name)
		if err != nil {
			return err
		}
		runs = append(runs, r)
	}
	c, err := fit.CompareBackends(runs)
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

// compareRun runs the fit of the flags with one backend, its outputs under
// -out ROOT_BACKEND.
func compareRun(e *env, f *fitFlags, backend string) (*fit.Result, error) {
	f.backend = backend
	cfg, err := f.config("compare")
	if err != nil {
		return nil, err
	}
	if f.data == "cc31" && f.model == "lcdm" {
		fit.DefaultPriors(cfg.Priors, fit.PaperHzPriors())
	}
	if f.out != "" {
		cfg.Sampler.Out = f.out + "_" + backend
	}
	p, err := build(e, "compare", cfg)
	if err != nil {
		return nil, err
	}
	r, err := runOne(e, p, backend)
	if err != nil && f.resume && errors.Is(err, fs.ErrNotExist) {
		// Interrupted before this backend started: start it now.
		p.Config.Sampler.Resume = false
		r, err = runOne(e, p, backend)
	}
	if err != nil {
		return nil, fmt.Errorf("compare: %s: %w", backend, err)
	}
	return r, nil
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
