package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"

	"github.com/cosmoemu/cosmoemu/chains"
	"github.com/cosmoemu/cosmoemu/cosmo"
	"github.com/cosmoemu/cosmoemu/fit"
	"github.com/cosmoemu/cosmoemu/likelihood"
	"github.com/cosmoemu/cosmoemu/plots"
)

func init() {
	register(command{
		name:    "fit",
		summary: "fit a model to data sets by name (BAO, supernovae, CMB, BBN, fσ8, H(z)) with MCMC or nested sampling",
		run:     runFit,
	})
}

// listFlag collects NAME=VALUE items from repeated flags or comma lists.
type listFlag struct{ items []string }

func (l *listFlag) String() string { return strings.Join(l.items, ",") }

func (l *listFlag) Set(s string) error {
	for _, it := range strings.Split(s, ",") {
		if it = strings.TrimSpace(it); it == "" {
			continue
		}
		if !strings.Contains(it, "=") {
			return fmt.Errorf("%q: want NAME=VALUE", it)
		}
		l.items = append(l.items, it)
	}
	return nil
}

// fitFlags are the flags of fit, sample and compare.
type fitFlags struct {
	model, data, backend, sampler string
	priors, fixes                 listFlag
	diagOnly                      bool
	rtol                          float64
	steps, walkers, chains, live  int
	dlogz                         float64
	workers                       int
	seed                          uint64
	converge                      bool
	out, corner                   string
	resume, force, asJSON         bool
	emuFile, growthFile           string
	noFallback                    bool
	early                         string
	set                           map[string]bool // the flags given on the command line (parse)
}

// parse parses the flags of a fit command and records which of them the
// command line gives, so that checkApplies refuses only those.
func (f *fitFlags) parse(fs *flag.FlagSet, args []string) error {
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	f.set = map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { f.set[fl.Name] = true })
	return nil
}

// register defines the flags of a fit; defModel and defData are the
// command's defaults, withBackend adds -backend.
func (f *fitFlags) register(fs *flag.FlagSet, defModel, defData string, withBackend bool) {
	fs.StringVar(&f.model, "model", defModel, "cosmological `model`: "+modelList(", ", " or "))
	f.registerProblem(fs, defData, withBackend)
	fs.StringVar(&f.sampler, "sampler", "ensemble", "`sampler`: ensemble (affine-invariant stretch move), mh (adaptive Metropolis–Hastings) or nested (nested sampling: the evidence ln Z too)")
	f.registerNested(fs)
	intVar(fs, &f.steps, "steps", 5000, 1, maxSize, "steps per walker or chain (the maximum with -converge)")
	intVar(fs, &f.walkers, "walkers", 0, 0, 100000, "walkers of the ensemble sampler (even, ≥ 2·parameters); 0 means max(32, 4·parameters)")
	intVar(fs, &f.chains, "chains", 4, 2, 10000, "chains of the MH sampler")
	fs.BoolVar(&f.converge, "converge", false, "stop early once the Gelman–Rubin R−1 < 0.01 (checked every 100 steps)")
	f.registerRun(fs)
	fs.StringVar(&f.corner, "corner", "", "corner-plot PNG `file` (default ROOT.corner.png with -out)")
}

// registerProblem defines the flags of the posterior: data, backend,
// priors, fixed parameters.
func (f *fitFlags) registerProblem(fs *flag.FlagSet, defData string, withBackend bool) {
	fs.StringVar(&f.data, "data", defData, "data sets, comma-separated `NAMES`: built-in (cosmoemu data lists them) or bao:MEAN[:COV], sn:TABLE[:COV], hz:TABLE[:COV]")
	if withBackend {
		fs.StringVar(&f.backend, "backend", "", "`backend`: analytic (closed form), solver (RK45) or emulator; default analytic where the model has a closed form, else its embedded emulator (the solver outside its domain, and for growth data)")
	}
	fs.StringVar(&f.emuFile, "emulator", "", "emulator model `file` (train -model NAME), read by the emulator backend, which it makes the default; default: the embedded one of the model")
	fs.StringVar(&f.growthFile, "growth-emulator", "", "growth emulator `file` (train -model NAME -growth) for growth data, read by the emulator backend, which it makes the default; default: the model's embedded one if any, else the growth ODE (closed forms) or the solver")
	fs.BoolVar(&f.noFallback, "no-fallback", false, "refuse points outside the emulator's domain instead of answering them with the solver")
	fs.StringVar(&f.early, "early", "emulator", "early universe (z*, r_s, z_drag, r_d): `emulator` (the early-universe emulator; the exact route outside its domain, counted), exact (recombination for every point, as CAMB) or fitting (Hu & Sugiyama z*, Aubourg et al. r_d)")
	fs.Var(&f.priors, "prior", "prior `NAME=LO:HI` or NAME=gauss:MU:SIGMA (repeatable or comma-separated)")
	fs.Var(&f.fixes, "fix", "fixed parameter `NAME=VALUE` (repeatable or comma-separated)")
	fs.BoolVar(&f.diagOnly, "diag-only", false, "fit pantheonplus or desy5 without their covariance (NOT the published likelihood)")
	floatVar(fs, &f.rtol, "rtol", 0, 0, 1e-3, false, "solver tolerance (RTol = ATol); 0 means the default 1e-9")
}

// registerNested defines the nested sampler's flags.
func (f *fitFlags) registerNested(fs *flag.FlagSet) {
	intVar(fs, &f.live, "live", 0, 0, 100000, "live points of the nested sampler; 0 means max(500, 25·parameters)")
	floatVar(fs, &f.dlogz, "dlogz", 0.1, 1e-6, 10, false, "nested sampling stops when the evidence left in the live points is below this Δln Z")
}

// registerRun defines the flags of a run: workers, seed, outputs (but
// -corner, which register adds: evidence draws no corner plot).
func (f *fitFlags) registerRun(fs *flag.FlagSet) {
	workersFlag(fs, &f.workers)
	fs.Uint64Var(&f.seed, "seed", 1, "random `seed`: the same seed gives the same chains")
	fs.StringVar(&f.out, "out", "", "output `root`: GetDist chains ROOT_1.txt…, ROOT.paramnames, ROOT.chain.npy, ROOT.summary.json, ROOT.corner.png")
	fs.BoolVar(&f.resume, "resume", false, "continue the interrupted run recorded under -out")
	fs.BoolVar(&f.force, "force", false, "replace a finished run at -out (kept intact until the new run's first checkpoint)")
	fs.BoolVar(&f.asJSON, "json", false, "print one JSON object instead of a table")
}

// config turns the flags into a fit.Config.
func (f *fitFlags) config(cmd string) (*fit.Config, error) {
	if f.sampler != "ensemble" && f.sampler != "mh" && f.sampler != "nested" {
		return nil, usagef("%s: -sampler %q: want ensemble, mh or nested", cmd, f.sampler)
	}
	if f.walkers != 0 && (f.walkers < 4 || f.walkers%2 != 0) {
		return nil, usagef("%s: -walkers %d: need an even number ≥ 4", cmd, f.walkers)
	}
	if f.resume && f.out == "" {
		return nil, usagef("%s: -resume needs -out, the root of the run to continue", cmd)
	}
	if f.resume && f.force {
		return nil, usagef("%s: -resume continues a run, -force replaces it: choose one", cmd)
	}
	m, err := cosmo.Lookup(f.model)
	if err != nil {
		return nil, usagef("%s: -model: %v", cmd, err)
	}
	cfg := &fit.Config{
		Model: m, Backend: f.backend, SolverRTol: f.rtol, DiagOnly: f.diagOnly,
		EmulatorFile: f.emuFile, GrowthEmulatorFile: f.growthFile, NoFallback: f.noFallback, Early: f.early,
		Data: splitNames(f.data), Priors: map[string]string{}, Fixed: map[string]float64{},
		Sampler: fit.Sampler{Kind: f.sampler, Steps: f.steps, Walkers: f.walkers, Chains: f.chains, Live: f.live, DLogZ: f.dlogz,
			Seed: f.seed, Workers: f.workers, Converge: f.converge, Out: f.out, Resume: f.resume, Force: f.force},
	}
	if len(cfg.Data) == 0 {
		return nil, usagef("%s: -data is required (e.g. -data desi-dr2,union3)", cmd)
	}
	for _, it := range f.priors.items {
		name, spec, _ := strings.Cut(it, "=")
		if _, dup := cfg.Priors[name]; dup {
			return nil, usagef("%s: -prior %s given twice", cmd, name)
		}
		cfg.Priors[name] = spec
	}
	fixed, err := cosmo.ParseAssignments(f.fixes.String())
	if err != nil {
		return nil, usagef("%s: -fix: %v", cmd, err)
	}
	cfg.Fixed = fixed
	return cfg, nil
}

// makeOutDir creates the directory of the -out root, so that -out
// chains/cc31 works in a fresh clone.
func makeOutDir(out string) error {
	if out == "" {
		return nil
	}
	if dir := filepath.Dir(out); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	return nil
}

// build makes the problem; configuration mistakes are usage errors.
func build(e *env, cmd string, cfg *fit.Config) (*fit.Problem, error) {
	p, err := fit.Build(cfg)
	if err != nil {
		return nil, fitUsage(cmd, err)
	}
	for _, w := range p.Warnings {
		fmt.Fprintf(e.stderr, "%s: warning: %s\n", cmd, w)
	}
	return p, nil
}

// configFlags are the flags of the fields of fit.Config.
var configFlags = map[string]string{"Data": "data", "Priors": "prior", "Fixed": "fix", "Backend": "backend", "SolverRTol": "rtol",
	"EmulatorFile": "emulator", "GrowthEmulatorFile": "growth-emulator"}

// fitUsage reports an error of package fit in the input as a usage error
// of cmd: a *fit.ConfigError with the flag of the field at fault; any other
// error as it is, with its package's prefix.
func fitUsage(cmd string, err error) error {
	var cov *likelihood.CovError
	if errors.As(err, &cov) {
		return usagef("%s: %s", cmd, covHelp(cov))
	}
	var ce *fit.ConfigError
	if !errors.As(err, &ce) {
		return usagef("%v", err)
	}
	flag, ok := configFlags[ce.Field]
	switch {
	case !ok:
		return usagef("%s: %v", cmd, ce.Err)
	case ce.Key != "":
		return usagef("%s: -%s %s: %v", cmd, flag, ce.Key, ce.Err)
	}
	return usagef("%s: -%s: %v", cmd, flag, ce.Err)
}

// covHelp says, in the command line's terms, how to get a covariance that
// is not in the cache.
func covHelp(e *likelihood.CovError) string {
	r := e.Remote
	if e.Err != nil {
		return fmt.Sprintf("%s: the cached covariance is not the released file (%v): delete it and run `cosmoemu data get %s`", e.Set, e.Err, r.Name)
	}
	return fmt.Sprintf("%s needs its covariance %s, which is not in the cache (%s): run `cosmoemu data get %s`, or download %s by hand to %s, "+
		"or pass it with -data %s:FILE, or use -diag-only (diagonal errors, not the published fit)", e.Set, r.File, e.Path, r.Name, r.URL, e.Path, e.Set)
}

// runOne runs a problem with a progress bar.
func runOne(e *env, p *fit.Problem, label string) (*fit.Result, error) {
	max := int64(p.Config.Sampler.Steps)
	if p.Config.Sampler.Kind == "nested" {
		max = -1 // the number of iterations is not known in advance
	}
	bar := newProgress(e, max, label)
	res, err := p.Run(e.ctx, func(pr fit.Progress) {
		if e.onProgress != nil {
			e.onProgress(pr)
		}
		switch pr.Stage {
		case "sampling":
			bar.Set(int64(pr.Step))
			if pr.Step%100 == 0 {
				bar.Describe(fmt.Sprintf("%s acc %.2f", label, pr.Acceptance))
			}
		case "nested":
			bar.Set(int64(pr.Step))
			bar.Describe(fmt.Sprintf("%s Δln Z %.3g, %d calls", label, pr.DLogZ, pr.Calls))
		}
	})
	bar.Finish()
	return res, runFailure(err)
}

// runFailure words the errors of a run about its output root in the terms
// of the command line (-out, -resume, -force).
func runFailure(err error) error {
	var ee *chains.ExistsError
	var ce *chains.CollisionError
	var cfe *fit.ConfigError
	switch {
	case errors.As(err, &cfe):
		return fitUsage("fit", cfe) // found by the run: a prior box where the model is unphysical
	case errors.As(err, &ee):
		return fmt.Errorf("fit: %s holds %s: continue it with -resume, or replace it with -force: %w", ee.Root, ee.Holds, chains.ErrRunExists)
	case errors.As(err, &ce) && ce.Resume:
		return fmt.Errorf("fit: %w", ce)
	case errors.As(err, &ce):
		return fmt.Errorf("fit: -out %s: %s: choose another -out, or -force to write over them: %w", ce.Root, ce.Detail, chains.ErrCollision)
	}
	return err
}

func runFit(e *env, args []string) error {
	var f fitFlags
	fs := newFlagSet(e, "fit", "-model NAME -data SET,… [-backend analytic|solver|emulator] [-early emulator|exact|fitting] [-prior NAME=LO:HI|gauss:MU:SIGMA …] [-fix NAME=VALUE …] [-sampler ensemble|mh] [-steps N] [-seed S] [-out ROOT] [-resume] [-corner FILE] [-json]")
	f.register(fs, "lcdm", "", true)
	if err := f.parse(fs, args); err != nil {
		return err
	}
	cfg, err := f.config("fit")
	if err != nil {
		return err
	}
	return fitAndReport(e, "fit", &f, cfg)
}

// cornerPath is -corner, or ROOT.corner.png with -out.
func cornerPath(f *fitFlags) string {
	if f.corner == "" && f.out != "" {
		return f.out + ".corner.png"
	}
	return f.corner
}

// fitAndReport builds, runs and prints one fit (fit and sample).
func fitAndReport(e *env, cmd string, f *fitFlags, cfg *fit.Config) error {
	corner := cornerPath(f)
	if err := checkRunFiles(f, corner, f.out); err != nil {
		return err
	}
	p, err := build(e, cmd, cfg)
	if err != nil {
		return err
	}
	if err := checkApplies(cmd, f, p); err != nil {
		return err
	}
	res, err := runOne(e, p, p.Config.Backend)
	if err != nil {
		return err
	}
	if corner != "" {
		if err := plots.FitCorner(corner, res); err != nil {
			return err
		}
	}
	if f.asJSON {
		return writeJSON(e.stdout, res)
	}
	printResults(e.stdout, []*fit.Result{res})
	if corner != "" {
		fmt.Fprintf(e.stdout, "wrote %s\n", corner)
	}
	return nil
}

func writeJSON(w io.Writer, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		// A NaN or an infinity somewhere: null there (jsonSafe), so that
		// -json is always valid JSON.
		if !errors.As(err, new(*json.UnsupportedValueError)) {
			return err
		}
		buf.Reset()
		if err := enc.Encode(jsonSafe(reflect.ValueOf(v))); err != nil {
			return err
		}
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// plural writes "1 point", "2 points".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// printResults prints fits side by side, one column per result, headed by
// its backend or, given, its label.
func printResults(w io.Writer, runs []*fit.Result, labels ...string) {
	r0 := runs[0]
	if r0.Sampler == "nested" {
		fmt.Fprintf(w, "model %s; data %s (%s); nested sampling, %d live points, %d iterations, seed %d\n",
			r0.Model, strings.Join(r0.Data, ", "), plural(r0.NData, "point"), r0.Live, r0.Iterations, r0.Seed)
	} else {
		fmt.Fprintf(w, "model %s; data %s (%s); %s sampler, %d walkers/chains × %d steps (burn-in %d), seed %d\n",
			r0.Model, strings.Join(r0.Data, ", "), plural(r0.NData, "point"), r0.Sampler, r0.Walkers, r0.Steps, r0.Burn, r0.Seed)
	}
	if r0.Early != "" {
		fmt.Fprintf(w, "early universe (z*, z_drag, r_s, r_d): %s\n", r0.Early)
	}
	for _, n := range r0.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	if len(r0.Fixed) > 0 {
		fmt.Fprint(w, "fixed:")
		for _, k := range slices.Sorted(maps.Keys(r0.Fixed)) {
			fmt.Fprintf(w, " %s=%g", k, r0.Fixed[k])
		}
		fmt.Fprintln(w)
	}
	const col = 24
	fmt.Fprintf(w, "%-22s", "")
	for i, r := range runs {
		label := r.Backend
		if i < len(labels) {
			label = labels[i]
		}
		fmt.Fprintf(w, " %*s", col, label)
	}
	fmt.Fprintln(w)
	row := func(name string, f func(r *fit.Result) string) {
		fmt.Fprintf(w, "%-22s", name)
		for _, r := range runs {
			fmt.Fprintf(w, " %*s", col, f(r))
		}
		fmt.Fprintln(w)
	}
	for i, name := range r0.Params {
		row(name+" mean ± std", func(r *fit.Result) string { return fmt.Sprintf("%.5g ± %.3g", r.Mean[i], r.Std[i]) })
		row(name+" 95% interval", func(r *fit.Result) string { return fmt.Sprintf("[%.5g, %.5g]", r.Q025[i], r.Q975[i]) })
		if r0.Tau != nil {
			row(name+" best fit, τ", func(r *fit.Result) string { return fmt.Sprintf("%.5g  %4.0f", r.BestFit[name], r.Tau[i]) })
		} else {
			row(name+" best fit", func(r *fit.Result) string { return fmt.Sprintf("%.5g", r.BestFit[name]) })
		}
	}
	for i, d := range r0.Derived {
		at := func(r *fit.Result) fit.Derived {
			if i < len(r.Derived) && r.Derived[i].Name == d.Name {
				return r.Derived[i]
			}
			return fit.Derived{Mean: math.NaN(), Std: math.NaN(), Q025: math.NaN(), Q975: math.NaN(), BestFit: math.NaN()}
		}
		row(d.Name+" (derived)", func(r *fit.Result) string { return fmt.Sprintf("%.5g ± %.3g", at(r).Mean, at(r).Std) })
		row(d.Name+" 95% interval", func(r *fit.Result) string { return fmt.Sprintf("[%.5g, %.5g]", at(r).Q025, at(r).Q975) })
		row(d.Name+" best fit", func(r *fit.Result) string { return fmt.Sprintf("%.5g", at(r).BestFit) })
	}
	row("χ²_min", func(r *fit.Result) string { return fmt.Sprintf("%.3f", r.Chi2Min) })
	for _, d := range r0.Data {
		row("  χ² "+d, func(r *fit.Result) string { return fmt.Sprintf("%.3f", r.Chi2ByData[d]) })
	}
	if r0.LogZ != nil {
		row("ln Z", func(r *fit.Result) string { return fmt.Sprintf("%.3f ± %.3f", *r.LogZ, *r.LogZErr) })
		row("information H [nats]", func(r *fit.Result) string { return fmt.Sprintf("%.2f", *r.Information) })
		row("converged (Δln Z)", func(r *fit.Result) string { return fmt.Sprint(r.Converged) })
	} else {
		row("acceptance", func(r *fit.Result) string { return fmt.Sprintf("%.3f", r.Acceptance) })
		row("R−1", func(r *fit.Result) string {
			if r.RMinus1 == nil {
				return "undefined"
			}
			return fmt.Sprintf("%.2g", *r.RMinus1)
		})
		row("converged (≥ 50τ)", func(r *fit.Result) string { return fmt.Sprint(r.Converged) })
	}
	row("evaluations", func(r *fit.Result) string { return fmt.Sprint(r.Evaluations) })
	row("wall time [s]", func(r *fit.Result) string { return fmt.Sprintf("%.3f", r.WallSeconds) })
	row("evaluations per s", func(r *fit.Result) string { return fmt.Sprintf("%.0f", r.EvaluationsPerSecond) })
	printRunNotes(w, runs)
}

// printRunNotes prints what each run's backend should say: warnings,
// unphysical proposals, the emulators' fallbacks.
func printRunNotes(w io.Writer, runs []*fit.Result) {
	for _, r := range runs {
		if r.Warning != "" {
			fmt.Fprintf(w, "%s: %s\n", r.Backend, r.Warning)
		}
		if r.Unphysical > 0 {
			fmt.Fprintf(w, "%s: %d proposals fell where the model is unphysical (zero density)\n", r.Backend, r.Unphysical)
		}
		switch {
		case r.Backend != "emulator":
		case r.Fallbacks > 0:
			fmt.Fprintf(w, "emulator: %d evaluations (%.2g%%) fell outside its domain and were answered by the solver\n", r.Fallbacks, 100*r.FallbackFraction)
		case r.GrowthOutside == 0:
			fmt.Fprintf(w, "emulator: every evaluation was inside its domain\n")
		}
		if r.GrowthFallbacks > 0 {
			fmt.Fprintf(w, "emulator: %s has no growth emulator: the solver computed the growth of %d evaluations\n", r.Model, r.GrowthFallbacks)
		}
		if r.GrowthOutside > 0 {
			fmt.Fprintf(w, "emulator: %d evaluations (%.2g%%) fell outside the growth emulator's domain: the growth ODE on the closed form computed their growth\n",
				r.GrowthOutside, 100*r.GrowthOutsideFraction)
		}
		if r.EarlyFallbacks > 0 {
			fmt.Fprintf(w, "%s: the early-universe emulator answered all but %d evaluations (%.2g%%), which fell outside its domain and took the exact route\n",
				r.Backend, r.EarlyFallbacks, 100*r.EarlyFallbackFraction)
		}
	}
}
