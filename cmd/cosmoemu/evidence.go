package main

import (
	"bufio"
	"fmt"
	"slices"
	"strings"

	"github.com/cosmoemu/cosmoemu/cosmo"
	"github.com/cosmoemu/cosmoemu/emulator"
	"github.com/cosmoemu/cosmoemu/fit"
)

func init() {
	register(command{
		name:    "evidence",
		summary: "Bayesian model comparison: ln Z of several models on the same data by nested sampling, with Bayes factors",
		run:     runEvidence,
	})
}

func runEvidence(e *env, args []string) error {
	var f fitFlags
	flags := newFlagSet(e, "evidence", "-models lcdm,wcdm,… -data SET,… [-backend analytic|solver|emulator] [-prior …] [-fix …] [-live N] [-dlogz 0.1] [-seed S] [-out ROOT] [-json]")
	// The flags of fit but the model, the MCMC ones and -corner: evidence
	// samples each model of -models by nested sampling and draws no plot.
	f.registerProblem(flags, "", true)
	f.registerNested(flags)
	f.registerRun(flags)
	models := flags.String("models", "lcdm,wcdm,w0wacdm,quintessence", "the `models` to compare, comma-separated; the first is the reference")
	if err := f.parse(flags, args); err != nil {
		return err
	}
	names := splitNames(*models)
	if len(names) == 0 {
		return usagef("evidence: -models is empty")
	}
	if err := distinctModels("evidence", names); err != nil {
		return err
	}
	f.sampler = "nested"
	var roots []string
	if f.out != "" {
		for _, m := range names {
			roots = append(roots, f.out+"_"+m)
		}
	}
	if err := checkRunFiles(&f, "", roots...); err != nil {
		return err
	}
	emuFor, err := modelOf("evidence", "emulator", f.emuFile, names)
	if err != nil {
		return err
	}
	growthFor, err := modelOf("evidence", "growth-emulator", f.growthFile, names)
	if err != nil {
		return err
	}
	// Build every problem first, so that a mistake in the last model is
	// reported before the first one runs.
	var probs []*fit.Problem
	for i, name := range names {
		f.model = name
		cfg, err := f.config("evidence")
		if err != nil {
			return err
		}
		// The model files are another model's.
		if name != emuFor {
			cfg.EmulatorFile = ""
		}
		if name != growthFor {
			cfg.GrowthEmulatorFile = ""
		}
		if f.out != "" {
			cfg.Sampler.Out = roots[i]
		}
		p, err := build(e, "evidence", cfg)
		if err != nil {
			return err
		}
		probs = append(probs, p)
	}
	if err := checkApplies("evidence", &f, probs...); err != nil {
		return err
	}
	cmp := &fit.Comparison{}
	for i, p := range probs {
		r, err := runOrStart(e, f.resume, p, names[i])
		if err != nil {
			return fmt.Errorf("evidence: %s: %w", names[i], err)
		}
		cmp.Add(r)
	}
	if f.asJSON {
		return writeJSON(e.stdout, cmp)
	}
	w := bufio.NewWriter(e.stdout)
	fmt.Fprintf(w, "data %s; nested sampling; reference model %s\n", strings.Join(cmp.Data, ", "), names[0])
	fmt.Fprintf(w, "%-14s %6s %18s %10s %12s %10s %9s %9s %10s %8s  %s\n", "model", "params", "ln Z", "Δln Z", "Bayes factor", "χ²_min", "Δχ²", "backend", "calls", "wall [s]", "Jeffreys scale (vs the reference)")
	for _, m := range cmp.Models {
		fmt.Fprintf(w, "%-14s %6d %18s %+10.3f %12.4g %10.3f %+9.3f %9s %10d %8.2f  %s\n", m.Model, m.NParams,
			fmt.Sprintf("%.3f ± %.3f", m.LogZ, m.LogZErr), m.DeltaLogZ, m.BayesFactor, m.Chi2Min, m.DeltaChi2, m.Backend, m.Calls, m.WallSeconds, m.Jeffreys)
	}
	for _, n := range cmp.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	for _, m := range cmp.Models {
		if m.FallbackFraction > 0 {
			fmt.Fprintf(w, "note: %s: the solver answered %.1f%% of the calls, outside the emulator's domain (a prior inside the domain avoids it)\n", m.Model, 100*m.FallbackFraction)
		}
		if r := m.Result; r != nil && r.GrowthOutside > 0 {
			fmt.Fprintf(w, "note: %s: the growth ODE computed the growth of %.1f%% of the calls, outside the growth emulator's domain\n", m.Model, 100*r.GrowthOutsideFraction)
		}
		if r := m.Result; r != nil && r.Unphysical > 0 {
			fmt.Fprintf(w, "note: %s: %d calls fell where the model is unphysical (zero likelihood, part of the prior volume)\n", m.Model, r.Unphysical)
		}
	}
	fmt.Fprintln(w, "(Δln Z > 0 favours the model over the reference; Jeffreys scale after Trotta 2008: |Δln Z| < 1 inconclusive, 1–2.5 weak, 2.5–5 moderate, > 5 strong)")
	return w.Flush()
}

// modelOf returns the model the file of -flag was trained for ("" without
// a file), which must be one of names: an emulator (-emulator) or a growth
// emulator (-growth-emulator) is one model's, and a command that fits
// several gives it to that model alone.
func modelOf(cmd, flag, path string, names []string) (string, error) {
	if path == "" {
		return "", nil
	}
	e, err := emulator.Load(path)
	if err != nil {
		return "", usagef("%s: -%s: %v", cmd, flag, err)
	}
	var m *cosmo.Model
	noun, how := "emulator", "cosmoemu train -model NAME"
	switch t := e.(type) {
	case *emulator.Model:
		if flag == "emulator" {
			m = t.Model()
		}
	case *emulator.GrowthModel:
		if flag == "growth-emulator" {
			m = t.Model()
		}
	}
	if flag == "growth-emulator" {
		noun, how = "growth emulator", "cosmoemu train -model NAME -growth"
	}
	switch {
	case m == nil:
		return "", usagef("%s: -%s %s: a %s file, not a model's %s (%s makes one)", cmd, flag, path, e.Kind(), noun, how)
	case !slices.Contains(names, m.Name()):
		return "", usagef("%s: -%s %s is the %s of %s, which -models does not name", cmd, flag, path, noun, m.Name())
	}
	return m.Name(), nil
}
