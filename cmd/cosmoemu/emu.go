package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/cosmoemu/cosmoemu/backend"
	"github.com/cosmoemu/cosmoemu/cosmo"
	"github.com/cosmoemu/cosmoemu/emulator"
	"github.com/cosmoemu/cosmoemu/plots"
)

// The emulators of the models (package emu) share the train and validate
// commands with the paper's Friedmann emulator: `-model NAME` with the name
// of a cosmological model selects them, and they have their own flags.

// modelArg returns the value of -model in args if it names a cosmological
// model, or "".
func modelArg(args []string) string {
	for i, a := range args {
		a = strings.TrimLeft(a, "-")
		name, val, hasVal := strings.Cut(a, "=")
		if name != "model" {
			continue
		}
		if !hasVal && i+1 < len(args) {
			val = args[i+1]
		}
		if _, err := cosmo.Lookup(val); err == nil || val == earlyName {
			return val
		}
	}
	return ""
}

// earlyName is the -model name of the early-universe emulator.
const earlyName = "early"

func runTrainModel(e *env, args []string) error {
	fs := newFlagSet(e, "train", "-model early|quintessence [-growth] -out FILE.bin [-n POINTS] [-late POINTS] [-width W] [-iterations I] [-seed S] [-workers N]")
	model := fs.String("model", "", "`emulator` to train: early (the early universe) or quintessence (the scalar field's late universe); the closed-form models need none; with -growth any model")
	growthNet := fs.Bool("growth", false, "train the model's growth emulator (D/D0 and f at z ≤ 3; docs/growth.md) instead, with -late points")
	out := fs.String("out", "", "model `file` to write (the embedded defaults are emulator/models/NAME.bin)")
	n := intFlag(fs, "n", 0, 0, emulator.MaxTrainPoints, "design points of the early-universe network (0: 8000; its dark-energy tier twice as many)")
	late := intFlag(fs, "late", 0, 0, emulator.MaxTrainPoints, "design points of the scalar field's late-time networks (0: 9000)")
	width := intFlag(fs, "width", 0, 0, emulator.MaxTrainWidth, "hidden units of each of the two layers of the networks (0: 32; the scalar field's late-time networks 64, the growth's 128)")
	iters := intFlag(fs, "iterations", 0, 0, emulator.MaxTrainIterations, "L-BFGS iterations of each network's variable projection (0: 3000; the early universe's 1500, the growth's 6000)")
	seed := fs.Uint64("seed", 1, "random `seed`: the same seed gives the same model bytes")
	check := intFlag(fs, "check", 300, 0, maxSize, "random points at which to compare the trained emulator with the solver (stored in the file); 0: none")
	var workers int
	workersFlag(fs, &workers)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usagef("train: -out is required")
	}
	for _, c := range []struct {
		flag     string
		v        int
		min, max int
	}{
		{"n", *n, emulator.MinTrainPoints, emulator.MaxTrainPoints},
		{"late", *late, emulator.MinTrainPoints, emulator.MaxTrainPoints},
		{"width", *width, emulator.MinTrainWidth, emulator.MaxTrainWidth},
	} {
		if c.v != 0 && (c.v < c.min || c.v > c.max) {
			return usagef("train: -%s %d: want 0 (the default) or an integer in [%d, %d]", c.flag, c.v, c.min, c.max)
		}
	}
	if err := checkFiles(outFile("out", *out)); err != nil {
		return err
	}
	validate := *check
	if validate == 0 {
		validate = -1 // none
	}
	bar := newProgress(e, -1, "train "+*model)
	start := time.Now()
	set := &emulator.TrainSettings{
		Seed: *seed, Points: *n, LatePoints: *late, Width: *width, LateWidth: *width, Iterations: *iters, Validate: validate, Workers: workers,
		Progress: func(stage string, step, steps int, loss float64) {
			bar.Describe(fmt.Sprintf("%s %d/%d", stage, step, steps))
			bar.Set(int64(step))
		},
	}
	if *growthNet {
		g, err := emulator.TrainGrowth(e.ctx, *model, set)
		bar.Finish()
		if err != nil {
			return fmt.Errorf("train: %w", err)
		}
		if err := g.WriteFile(*out); err != nil {
			return err
		}
		d := g.Domain()
		fmt.Fprintf(e.stdout, "wrote %s: the growth emulator of %s, domain %s (%.0f s); validation %s\n", *out, *model, d.String(), time.Since(start).Seconds(), g.Validation())
		return nil
	}
	if *model == earlyName {
		em, err := emulator.TrainEarly(e.ctx, set)
		bar.Finish()
		if err != nil {
			return fmt.Errorf("train: %w", err)
		}
		if err := em.WriteFile(*out); err != nil {
			return err
		}
		wd, _ := em.WideDomain()
		dd, _ := em.DEDomain()
		fmt.Fprintf(e.stdout, "wrote %s: the early-universe emulator, inner box %s, outer box %s, dark-energy box %s (%.0f s)\n", *out, em.Domain().String(), wd.String(), dd.String(), time.Since(start).Seconds())
		return nil
	}
	m, err := cosmo.Lookup(*model)
	if err != nil {
		bar.Finish()
		return usagef("train: -model: %v", err)
	}
	if m.ClosedForm() {
		bar.Finish()
		return usagef("train: -model %s: the closed form needs no emulator; its early universe is the early-universe emulator's (train -model early)", m.Name())
	}
	em, err := emulator.Train(e.ctx, m.Name(), set)
	bar.Finish()
	if err != nil {
		return fmt.Errorf("train: %w", err)
	}
	if err := em.WriteFile(*out); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "wrote %s: the %s emulator, domain %s (%.0f s)\n", *out, m.Name(), domainString(em), time.Since(start).Seconds())
	return nil
}

// validateModelJSON is validate -model NAME -json.
type validateModelJSON struct {
	Model     string             `json:"model"`
	Emulator  string             `json:"emulator"`
	Reference string             `json:"reference"`
	Points    int                `json:"points"`
	Seed      uint64             `json:"seed"`
	Max       map[string]float64 `json:"max"`
	Median    map[string]float64 `json:"median"`
	// Wide is the early universe's outer tier.
	Wide *emulator.EarlyValidation `json:"wide,omitempty"`
	// DE is the early universe's dark-energy tier.
	DE   *emulator.EarlyValidation `json:"dark_energy,omitempty"`
	Plot string                    `json:"plot,omitempty"`
}

func runValidateModel(e *env, args []string) error {
	fs := newFlagSet(e, "validate", "-model "+modelList("|", "|")+" [-emulator FILE] [-n 1000] [-seed S] [-plot FILE] [-json]")
	model := fs.String("model", "", "cosmological `model` whose emulator to check against the solver")
	file := fs.String("emulator", "", "emulator model `file` (default: the embedded one)")
	n := intFlag(fs, "n", 1000, 1, 1_000_000, "random points of the emulator's domain")
	seed := fs.Uint64("seed", 1, "random `seed` of the points")
	plot := fs.String("plot", "", "PNG `file` of the errors against z (maximum and median over the points)")
	asJSON := fs.Bool("json", false, "print one JSON object")
	growthNet := fs.Bool("growth", false, "check the model's growth emulator (-emulator FILE, or the embedded one) against the solver: D/D0, f, fσ8/σ8")
	var workers int
	workersFlag(fs, &workers)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := checkFiles(inFile("emulator", *file), outFile("plot", *plot)); err != nil {
		return err
	}
	if *model == earlyName {
		return validateEarly(e, *file, *n, *seed, workers, *plot, *asJSON)
	}
	m, err := cosmo.Lookup(*model)
	if err != nil {
		return usagef("validate: -model: %v", err)
	}
	name := "embedded"
	if *file != "" {
		name = *file
	}
	bar := newProgress(e, -1, "validate "+m.Name())
	var v *emulator.Validation
	if *growthNet {
		v, err = validateGrowth(e, m, *file, *n, *seed, workers)
	} else {
		var em *emulator.Model
		if em, err = emulator.LoadModel(*file, m); err != nil {
			bar.Finish()
			return badInput("validate", "emulator", err)
		}
		v, err = emulator.Validate(e.ctx, em, backend.Solver{}, &emulator.ValidateSettings{Points: *n, Seed: *seed, Workers: workers})
	}
	bar.Finish()
	if err != nil {
		return fmt.Errorf("validate: %w", err)
	}
	if *plot != "" {
		if err := plots.ValidationErrors(*plot, v); err != nil {
			return err
		}
	}
	if *asJSON {
		s := v.Summary()
		return writeJSON(e.stdout, validateModelJSON{Model: m.Name(), Emulator: name, Reference: s.Reference,
			Points: s.Points, Seed: s.Seed, Max: s.Max, Median: s.Median, Plot: *plot})
	}
	w := e.stdout
	fmt.Fprintf(w, "the %s emulator (%s) against the %s, %d random points of its domain, 0.01 ≤ z ≤ 3:\n", m.Name(), name, v.Reference, v.Points)
	fmt.Fprintf(w, "%-10s %-9s %12s %12s   %s\n", "observable", "error", "max", "median", "the worst point")
	for _, o := range v.Observables {
		worst := ""
		if o.Max > 0 {
			worst = m.Format(&o.Worst, 4)
			if o.WorstZ > 0 {
				worst += fmt.Sprintf(" at z = %.3g", o.WorstZ)
			}
		}
		fmt.Fprintf(w, "%-10s %-9s %12.3g %12.3g   %s\n", o.Name, o.Kind, o.Max, o.Median, worst)
	}
	if *plot != "" {
		fmt.Fprintf(w, "wrote %s\n", *plot)
	}
	return nil
}

// validateEarly is validate -model early: the early-universe emulator
// against the exact route.
func validateEarly(e *env, file string, n int, seed uint64, workers int, plot string, asJSON bool) error {
	em, err := emulator.DefaultEarly()
	name := "embedded"
	if file != "" {
		em, err = emulator.LoadEarly(file)
		name = file
	}
	if err != nil {
		return badInput("validate", "emulator", err)
	}
	bar := newProgress(e, -1, "validate early")
	v, err := emulator.ValidateEarly(e.ctx, em, &emulator.ValidateSettings{Points: n, Seed: seed, Workers: workers})
	bar.Finish()
	if err != nil {
		return fmt.Errorf("validate: %w", err)
	}
	if plot != "" {
		tiers := []plots.EarlyTier{{Name: "inner tier", Errors: v.Errors}}
		if v.Wide != nil {
			tiers = append(tiers, plots.EarlyTier{Name: "outer tier", Errors: v.Wide.Errors})
		}
		if v.DE != nil {
			tiers = append(tiers, plots.EarlyTier{Name: "dark-energy tier (w0waCDM)", Errors: v.DE.Errors})
		}
		if err := plots.EarlyErrors(plot, tiers); err != nil {
			return err
		}
	}
	if asJSON {
		return writeJSON(e.stdout, validateModelJSON{Model: earlyName, Emulator: name, Reference: "exact early universe",
			Points: v.Points, Seed: v.Seed, Max: v.Max, Median: v.Median, Wide: v.Wide, DE: v.DE, Plot: plot})
	}
	w := e.stdout
	d := em.Domain()
	fmt.Fprintf(w, "the early-universe emulator (%s) against the exact route, %d random points of its inner box %s:\n", name, v.Points, d.String())
	printEarlyErrors(w, v)
	if v.Wide != nil {
		wd, _ := em.WideDomain()
		fmt.Fprintf(w, "its outer tier, %d random points of %s (uniform in ln ω_b, ln ω_c) where the exact route succeeds:\n", v.Wide.Points, wd.String())
		printEarlyErrors(w, v.Wide)
	}
	if v.DE != nil {
		dd, _ := em.DEDomain()
		fmt.Fprintf(w, "its dark-energy tier, %d random w0waCDM points of %s (uniform in ln ω_b, ln ω_c, ln share, w and wa) where the exact route succeeds:\n", v.DE.Points, dd.String())
		printEarlyErrors(w, v.DE)
	}
	if plot != "" {
		fmt.Fprintf(w, "wrote %s\n", plot)
	}
	return nil
}

// printEarlyErrors prints the table of an early-universe validation.
func printEarlyErrors(w io.Writer, v *emulator.EarlyValidation) {
	fmt.Fprintf(w, "%-15s %12s %12s   the worst point (%s)\n", "quantity", "max", "median", strings.Join(v.InputNames, ", "))
	for _, q := range []string{"z_star", "z_drag", "rs_star", "rd", "theta_star_100"} {
		fmt.Fprintf(w, "%-15s %12.3g %12.3g   %.4g\n", q, v.Max[q], v.Median[q], v.Worst[q])
	}
}

func domainString(em *emulator.Model) string {
	d := em.Domain()
	return d.String()
}
