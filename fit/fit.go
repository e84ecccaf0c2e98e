// Package fit is cosmoemu's inference pipeline: data sets by name, a model,
// a backend, the posterior with the priors a user chooses, the best fit, a
// sampler and a summary — what `cosmoemu fit`, `sample` and `compare` run.
//
//	p, err := fit.Build(&fit.Config{Model: cosmo.W0WaCDM, Data: []string{"desi-dr2", "union3", "planck18-distance"}})
//	res, err := p.Run(ctx, nil)
//	fmt.Println(res.Mean, res.Chi2Min)
//
// # Which parameters are sampled
//
// Every parameter of the model is sampled with its default prior (the
// boxes of cosmo.Registry) unless the user gives a prior or fixes it. Then:
//
//   - ombh2 (ω_b) is sampled when a data set needs it (the CMB distance
//     priors) or the user gives it a prior (a BBN prior, say);
//   - BAO need r_d: from the model when ω_b is sampled or fixed, otherwise
//     through the nuisance parameter hrd = h·r_d [Mpc];
//   - H0 is fixed at 70 km/s/Mpc, for the radiation density only, when no
//     data set measures it (BAO alone with hrd, supernovae with M
//     marginalised): it moves Ωm by less than 0.02σ;
//   - the supernova absolute magnitude M is marginalised analytically
//     unless the user gives it a prior.
package fit

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/cosmoemu/cosmoemu/backend"
	"github.com/cosmoemu/cosmoemu/cosmo"
	"github.com/cosmoemu/cosmoemu/emu"
	"github.com/cosmoemu/cosmoemu/likelihood"
	"github.com/cosmoemu/cosmoemu/param"
	"github.com/cosmoemu/cosmoemu/solver"
)

// Config describes a fit. Zero fields take the documented defaults.
type Config struct {
	Model *cosmo.Model // the model: a built-in one (cosmo.Lookup) or one of your own; nil means flat ΛCDM
	Data  []string     // data specs (see likelihood.Open); at least one
	// Backend is "analytic", "solver" or "emulator"; default the closed
	// form where the model has one, else the solver.
	Backend string
	// SolverRTol is the solver backend's tolerance (RTol = ATol); 0 means
	// backend.DefaultSolverRTol.
	SolverRTol float64
	// EmulatorFile is the emulator's model file; "" means the embedded
	// default of the model.
	EmulatorFile string
	// NoFallback makes points outside the emulator's domain errors
	// instead of solver evaluations (the default falls back, counted in
	// Result.Fallbacks).
	NoFallback bool
	// Priors maps parameter names to prior specs ("LO:HI",
	// "gauss:MU:SIGMA", see param.ParsePrior).
	Priors map[string]string
	// Fixed maps parameter names to fixed values.
	Fixed map[string]float64
	// DiagOnly lets Pantheon+ and DES-SN5YR be fitted without their
	// covariance (not the published likelihood: a warning says so).
	DiagOnly bool
	// CacheDir is where downloaded covariances are found; "" is the user
	// cache directory.
	CacheDir string

	Sampler Sampler
}

// Sampler configures the sampler of Problem.Run.
type Sampler struct {
	Kind    string  // "ensemble" (default), "mh" or "nested"
	Steps   int     // steps per walker or chain; default 5000
	Walkers int     // ensemble walkers; default max(32, 4·dim) rounded to even
	Chains  int     // MH chains; default 4
	Live    int     // nested: live points; 0 means nested's default
	DLogZ   float64 // nested: stop when the remaining Δln Z is below this; 0 means 0.1
	Seed    uint64  // random seed; the same seed gives the same chains
	Workers int     // goroutines; 0 chooses (see mcmc.Settings.Workers)
	// Converge stops early when the Gelman–Rubin R−1 < 0.01.
	Converge bool
	// Out is the path prefix of the output files; "" writes none.
	Out    string
	Resume bool
	// Force lets a new run replace a finished one at Out (which stays
	// intact until the new run has its first checkpoint).
	Force bool
}

// Problem is a fit ready to run: the posterior and how it was made.
type Problem struct {
	Config    Config
	Model     *cosmo.Model
	Posterior *likelihood.Posterior
	Space     *param.Space
	Fixed     map[string]float64
	// Notes says what was decided for the user (H0 fixed, hrd sampled,
	// M marginalised); Warnings what the user should know (diagonal-only
	// covariances, shadowed file names).
	Notes, Warnings []string
	likes           []likelihood.Likelihood
	emuStats        *emu.Stats // the emulator backend's counts, or nil
}

// Build loads the data, chooses the parameter space and makes the
// posterior. Every mistake a user can make in cfg is an error naming it.
func Build(cfg *Config) (*Problem, error) {
	c := *cfg
	if c.Model == nil {
		c.Model = cosmo.LCDM
	}
	m := c.Model
	if len(c.Data) == 0 {
		return nil, errors.New("fit: no data sets (try -data desi-dr2)")
	}
	p := &Problem{Config: c, Model: m, Fixed: make(map[string]float64)}

	// Priors and fixed values: known names only, each at most once.
	priors := make(map[string]param.Prior)
	for _, name := range sortedKeys(c.Priors) {
		par, err := lookupParam(m, name)
		if err != nil {
			return nil, fmt.Errorf("fit: -prior %s: %v", name, err)
		}
		pr, err := param.ParsePrior(par, c.Priors[name])
		if err != nil {
			return nil, fmt.Errorf("fit: -prior %v", err)
		}
		priors[name] = pr
	}
	for _, name := range sortedKeys(c.Fixed) {
		if _, ok := priors[name]; ok {
			return nil, fmt.Errorf("fit: parameter %s has both a prior and a fixed value", name)
		}
		par, err := lookupParam(m, name)
		if err != nil {
			return nil, fmt.Errorf("fit: -fix %s: %v", name, err)
		}
		if name == likelihood.HRd.Name || name == likelihood.AbsMag.Name {
			return nil, fmt.Errorf("fit: -fix %s: a nuisance parameter cannot be fixed", name)
		}
		if err := par.Check(c.Fixed[name]); err != nil {
			return nil, fmt.Errorf("fit: -fix %v", err)
		}
		p.Fixed[name] = c.Fixed[name]
	}

	// Data.
	_, sampleM := priors[likelihood.AbsMag.Name]
	seen := make(map[string]bool)
	var hasBAO, hasCMB, measuresH0, hasSN bool
	var desi []string
	for _, spec := range c.Data {
		if seen[spec] {
			return nil, fmt.Errorf("fit: data set %s given twice", spec)
		}
		seen[spec] = true
		l, warn, err := likelihood.Open(spec, &likelihood.Options{
			DiagOnly: c.DiagOnly, CacheDir: c.CacheDir,
			SN: likelihood.SNSettings{SampleM: sampleM},
		})
		if err != nil {
			return nil, err
		}
		if warn != "" {
			p.Warnings = append(p.Warnings, warn)
		}
		switch l := l.(type) {
		case *likelihood.BAO:
			hasBAO = true
			if strings.HasPrefix(l.Name(), "desi") {
				desi = append(desi, l.Name())
			}
		case *likelihood.CMB:
			hasCMB, measuresH0 = true, true
		case *likelihood.Hz, *likelihood.H0:
			measuresH0 = true
		case *likelihood.SN:
			hasSN = true // likelihood.Open warns about diagonal-only covariances
		}
		p.likes = append(p.likes, l)
	}
	if len(desi) > 1 {
		return nil, fmt.Errorf("fit: %s overlap: DESI DR2 supersedes DR1, never combine them", strings.Join(desi, " and "))
	}
	if seen["sdss-dr12"] && len(desi) > 0 {
		p.Warnings = append(p.Warnings, "sdss-dr12 and DESI measure BAO at the same redshifts; combining them double-counts the overlapping volume")
	}
	if sampleM && !hasSN {
		return nil, errors.New("fit: -prior M: no supernova sample among the data")
	}

	// The sampled parameters.
	_, ombh2Fixed := p.Fixed[cosmo.NameOmbh2]
	_, ombh2Prior := priors[cosmo.NameOmbh2]
	sampleOmbh2 := (hasCMB || ombh2Prior) && !ombh2Fixed
	haveOmbh2 := sampleOmbh2 || ombh2Fixed
	if hasBAO && haveOmbh2 {
		measuresH0 = true
	}
	_, h0Fixed := p.Fixed[cosmo.NameH0]
	_, h0Prior := priors[cosmo.NameH0]
	var names []string
	for _, name := range m.Params() {
		if _, fixed := p.Fixed[name]; fixed {
			continue
		}
		if name == cosmo.NameH0 && !h0Prior && !h0Fixed && !measuresH0 {
			p.Fixed[name] = cosmo.DefaultH0
			p.Notes = append(p.Notes, "H0 is fixed at 70 km/s/Mpc, for the radiation density only: no data set measures it")
			continue
		}
		names = append(names, name)
	}
	if sampleOmbh2 {
		names = append(names, cosmo.NameOmbh2)
	}
	if hasBAO && !haveOmbh2 {
		names = append(names, likelihood.HRd.Name)
		p.Notes = append(p.Notes, "BAO without ω_b: r_d is free through hrd = h·r_d")
	}
	if sampleM {
		names = append(names, likelihood.AbsMag.Name)
	} else if hasSN {
		p.Notes = append(p.Notes, "the supernova absolute magnitude M is marginalised analytically")
	}
	for name := range priors {
		if !slices.Contains(names, name) {
			return nil, fmt.Errorf("fit: -prior %s: %s is not a parameter of this fit (sampled: %s)", name, name, strings.Join(names, ", "))
		}
	}
	if len(names) == 0 {
		return nil, errors.New("fit: every parameter is fixed: nothing to sample")
	}
	var params []param.Param
	var prs []param.Prior
	for _, name := range names {
		par, _ := lookupParam(m, name)
		params = append(params, par)
		pr, ok := priors[name]
		if !ok {
			pr = par.DefaultPrior()
		}
		prs = append(prs, pr)
	}
	space, err := param.NewSpace(params, prs)
	if err != nil {
		return nil, fmt.Errorf("fit: %w", err)
	}
	p.Space = space

	b, err := NewBackend(c.Backend, m, &BackendSettings{SolverRTol: c.SolverRTol, EmulatorFile: c.EmulatorFile, NoFallback: c.NoFallback})
	if err != nil {
		return nil, err
	}
	if eb, ok := b.(emu.Backend); ok {
		p.emuStats = eb.Stats
	}
	p.Config.Backend = b.Name()
	if p.Posterior, err = likelihood.NewPosterior(m, b, p.likes, p.Space, p.Fixed); err != nil {
		return nil, fmt.Errorf("fit: %v", err)
	}
	if eb, ok := b.(emu.Backend); ok && eb.Fallback == nil {
		if err := p.insideDomain(eb.Emulator.Domain()); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// insideDomain checks, for an emulator without a fallback, that every
// prior box and fixed value lies in the emulator's domain: otherwise the
// run would fail at its first point outside, after the work before it.
// ombh2 counts only when the CMB is asked for (r_d alone is exact for any
// ω_b). Limits on combinations (λ_max, E² > 0) are left to the run.
func (p *Problem) insideDomain(d emu.Domain) error {
	cmb := p.Posterior.Request().CMB
	for _, name := range d.Params {
		if name == cosmo.NameOmbh2 && !cmb {
			continue
		}
		lo, hi, _ := d.Range(name)
		if i := p.Space.Index(name); i >= 0 {
			pr := p.Space.Prior(i)
			if pr.Lo < lo || pr.Hi > hi {
				return fmt.Errorf("fit: the prior of %s, [%g, %g], leaves the emulator's domain [%g, %g] and there is no fallback: narrow it (-prior %s=%g:%g) or let the solver answer outside the domain", name, pr.Lo, pr.Hi, lo, hi, name, max(lo, pr.Lo), min(hi, pr.Hi))
			}
		} else if v, ok := p.Fixed[name]; ok && (v < lo || v > hi) {
			return fmt.Errorf("fit: %s = %g is outside the emulator's domain [%g, %g] and there is no fallback", name, v, lo, hi)
		}
	}
	return nil
}

// BackendSettings configure NewBackend; nil means the defaults.
type BackendSettings struct {
	SolverRTol   float64 // the solver's tolerance (RTol = ATol); 0: its default
	EmulatorFile string  // the emulator's model file; "": the embedded default
	NoFallback   bool    // the emulator refuses points outside its domain
}

// NewBackend returns the backend called name for model m: "analytic",
// "solver" or "emulator" ("" chooses the closed form where there is one,
// else the solver). The emulator answers points outside its domain with
// the solver, and counts them, unless NoFallback is set.
func NewBackend(name string, m *cosmo.Model, s *BackendSettings) (cosmo.Backend, error) {
	var set BackendSettings
	if s != nil {
		set = *s
	}
	if name == "" {
		name = "solver"
		if m.ClosedForm() {
			name = "analytic"
		}
	}
	var sv cosmo.Backend = backend.Solver{}
	if set.SolverRTol != 0 {
		if !(set.SolverRTol > 0 && set.SolverRTol < 1e-3) {
			return nil, fmt.Errorf("fit: solver tolerance %g must be in (0, 1e-3)", set.SolverRTol)
		}
		sv = backend.Solver{Settings: &solver.Settings{RTol: set.SolverRTol, ATol: set.SolverRTol}}
	}
	switch name {
	case "analytic":
		if !m.ClosedForm() {
			return nil, fmt.Errorf("fit: model %s has no closed form: use -backend solver or emulator", m.Name())
		}
		return backend.Analytic{}, nil
	case "solver":
		return sv, nil
	case "emulator":
		var e *emu.Emulator
		var err error
		if set.EmulatorFile != "" {
			e, err = emu.Load(set.EmulatorFile)
		} else {
			e, err = emu.Default(m.Name())
		}
		if err != nil {
			return nil, fmt.Errorf("fit: %w", err)
		}
		if e.Model() != m {
			return nil, fmt.Errorf("fit: the emulator %s was trained for model %s, not %s", set.EmulatorFile, e.Model().Name(), m.Name())
		}
		b := emu.Backend{Emulator: e, Stats: &emu.Stats{}}
		if !set.NoFallback {
			b.Fallback = sv
		}
		return b, nil
	}
	return nil, fmt.Errorf("fit: unknown backend %q (want analytic, solver or emulator)", name)
}

// lookupParam finds a parameter of model m or a nuisance parameter.
func lookupParam(m *cosmo.Model, name string) (param.Param, error) {
	switch name {
	case likelihood.HRd.Name:
		return likelihood.HRd, nil
	case likelihood.AbsMag.Name:
		return likelihood.AbsMag, nil
	}
	p, err := m.Param(name)
	if err != nil {
		return p, fmt.Errorf("%w, or the nuisance parameters hrd and M", err)
	}
	return p, nil
}

// Start returns the starting point of the best-fit search: each
// parameter's fiducial value (param.Param.Fiducial), near where the data
// put the posterior, clamped into the prior box; the centre of a Gaussian
// prior.
func (p *Problem) Start() []float64 {
	x := p.Space.Center(nil)
	for i := range x {
		pr := p.Space.Prior(i)
		if v := p.Space.Param(i).Fiducial; pr.Sigma == 0 {
			w := pr.Hi - pr.Lo
			x[i] = math.Min(math.Max(v, pr.Lo+0.01*w), pr.Hi-0.01*w)
		}
	}
	return x
}

// DataNames returns the names of the data sets.
func (p *Problem) DataNames() []string {
	s := make([]string, len(p.likes))
	for i, l := range p.likes {
		s[i] = l.Name()
	}
	return s
}

func sortedKeys[V any](m map[string]V) []string {
	k := make([]string, 0, len(m))
	for n := range m {
		k = append(k, n)
	}
	sort.Strings(k)
	return k
}
