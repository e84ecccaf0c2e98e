package main

import (
	"fmt"
	"math"

	"github.com/cosmoemu/cosmoemu/paper/friedmann"
)

func init() {
	register(command{
		name:    "validate",
		summary: "check an emulator: a model's against the solver (-model NAME), or the Friedmann emulator against the closed form with the paper's Figs. 6 and 7",
		run:     runValidate,
	})
}

func runValidate(e *env, args []string) error {
	if modelArg(args) != "" {
		return runValidateModel(e, args)
	}
	fs := newFlagSet(e, "validate", "-model "+modelList("|", "|")+" [-emulator FILE] [-plot FILE] [-json]   (a model's emulator against the solver; its flags: validate -model NAME -h)\n   or: cosmoemu validate [-model default|FILE] [-n 1000] [-seed S] [-json] [-fig6 FILE] [-fig7 FILE]   (the paper's Friedmann emulator; its flags below)")
	model := fs.String("model", "default", "emulator: `default` (embedded) or a model file")
	n := intFlag(fs, "n", 1000, 1, maxSize, "random points in each test set (whole domain; z in [0, 3])")
	seed := fs.Uint64("seed", 1, "random `seed` of the test points")
	asJSON := fs.Bool("json", false, "print one JSON object instead of a table")
	fig6 := fs.String("fig6", "", "PNG `file` to draw the paper's Fig. 6 to: Ω_i and H against N, emulator and solver, at Ω_m0 = 0.3, H0 = 70")
	fig7 := fs.String("fig7", "", "PNG `file` to draw the paper's Fig. 7 to: curves for several parameter points")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	modelFile := *model
	if modelFile == "default" {
		modelFile = ""
	}
	if err := checkFiles(inFile("model", modelFile), outFile("fig6", *fig6), outFile("fig7", *fig7)); err != nil {
		return err
	}
	warnShadowed(e, "model", *model, "default")
	m, err := loadModel(*model)
	if err != nil {
		return badInput("validate", "model", err)
	}
	r, err := friedmann.Validate(m, *model, *n, *seed)
	if err != nil {
		return err
	}
	if *fig6 != "" {
		if err := friedmann.Fig6(*fig6, m); err != nil {
			return err
		}
	}
	if *fig7 != "" {
		if err := friedmann.Fig7(*fig7, m); err != nil {
			return err
		}
	}
	r.Fig6, r.Fig7 = *fig6, *fig7
	if *asJSON {
		return writeJSON(e.stdout, r)
	}
	d := r.Domain
	w := e.stdout
	fmt.Fprintf(w, "model %s (recipe %s), domain Om0 %v, H0 %v, N %v\n", *model, m.Recipe(), d.Om0, d.H0, d.N)
	fmt.Fprintf(w, "against the closed form, %d random points per set (seed %d):\n", r.N, *seed)
	fmt.Fprintf(w, "  %-36s %10s %10s\n", "", "max", "median")
	fmt.Fprintf(w, "  %-36s %10.3g %10.3g\n", "relative error of H, z in [0, 3]", r.MaxRelErrHZ03, r.MedianRelErrHZ03)
	fmt.Fprintf(w, "  %-36s %10.3g %10.3g\n", "relative error of H, whole domain", r.MaxRelErrHAll, r.MedianRelErrHAll)
	fmt.Fprintf(w, "  %-36s %10.3g\n", "absolute error of Omega_i", math.Max(r.MaxAbsErrOmega, r.MaxAbsErrOmegaZ3))
	fmt.Fprintf(w, "  worst H at N = %.4g, Om0 = %.4g, H0 = %.4g\n", r.WorstN, r.WorstOm0, r.WorstH0)
	for _, f := range []string{*fig6, *fig7} {
		if f != "" {
			fmt.Fprintf(w, "wrote %s\n", f)
		}
	}
	return nil
}
