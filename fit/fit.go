// Package fit is cosmoemu's inference pipeline: data sets by name (and
// likelihoods of your own), a model, a backend, the posterior with the
// priors a user chooses, the best fit, a sampler and a summary — what
// `cosmoemu fit`, `sample` and `compare` run. It assembles: what it
// decides comes from the declarations of the model and the likelihoods.
//
//	p, err := fit.Build(&fit.Config{Model: cosmo.W0WaCDM, Data: []string{"desi-dr2", "union3", "planck18-distance"}})
//	res, err := p.Run(ctx, nil)
//	fmt.Println(res.Mean, res.Chi2Min)
//
// # Which parameters are sampled
//
// The likelihoods declare what they need (likelihood.Needs); fit reads
// those declarations, and nothing else about the data, to choose the
// parameters. Every parameter of the model is sampled with its default
// prior (the boxes of its declaration) unless the user gives a prior or
// fixes it. Then:
//
//   - the matter is Om, unless the user gives omch2 (ω_c) a prior, which
//     samples it in Om's place, or a value: Om = (ω_b + ω_c + ω_ν)/h² is
//     then derived at every point (ω_c needs ω_b, sampled or fixed), and
//     Result.Derived reports it (or ω_c when Om is sampled and ω_b known);
//     DESI DR2's priors are H0 U[20, 100], ω_b U[0.005, 0.1] (the default
//     boxes) and ω_c U[0.001, 0.99] (-prior omch2=0.001:0.99);
//   - ombh2 (ω_b) is sampled when a likelihood needs it (the CMB sets,
//     bbn) or the user gives it a prior;
//   - mnu (Σmν) and nnu (N_eff) keep their defaults, 0.06 eV and 3.044,
//     unless the user gives them a prior or a value;
//   - a likelihood that needs r_d (BAO) gets it from the model when ω_b is
//     sampled or fixed, otherwise through the nuisance parameter
//     hrd = h·r_d [Mpc];
//   - H0 is fixed at 70 km/s/Mpc, for the radiation density only, when no
//     data set measures it: a likelihood measures it when it declares so
//     (H(z), an H0 prior, the CMB) or needs r_d with ω_b given (BAO alone
//     with hrd, or supernovae, do not): it moves Ωm by less than 0.02σ;
//   - sigma8 (σ8 today) is sampled when a likelihood measures fσ8 (the
//     BOSS/eBOSS full-shape sets) or the user gives it a prior, with the
//     default box [0.3, 1.5]; S8 = σ8 (Ωm/0.3)^{1/2} is then derived
//     (Result.Derived, and a column of the chains);
//   - a likelihood's own nuisance parameters are sampled when required,
//     and an optional one (the supernova absolute magnitude M) only when
//     the user gives it a prior; otherwise its likelihood marginalises it.
//     Each likelihood has its own: with several supernova samples they are
//     M_union3, M_pantheonplus, …, and a prior on M is every one's
//     (likelihood.Combine).
//
// NewPosterior then checks the combination once: unknown, missing or
// doubly given parameters, the source of r_d, ω_b where it is needed, the
// same data given twice and sets that must never be combined. Build
// returns these mistakes, those in the data specs and the priors, and a
// fixed value with which the early universe cannot be computed (ω_b or
// N_eff outside BBN's table with the exact route), as *ConfigError values
// naming the Config field. Sampled values there are unphysical points,
// counted in Result.Unphysical.
package fit

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/cosmoemu/cosmoemu/backend"
	"github.com/cosmoemu/cosmoemu/chains"
	"github.com/cosmoemu/cosmoemu/cosmo"
	"github.com/cosmoemu/cosmoemu/emulator"
	"github.com/cosmoemu/cosmoemu/internal/stats"
	"github.com/cosmoemu/cosmoemu/likelihood"
	"github.com/cosmoemu/cosmoemu/param"
	"github.com/cosmoemu/cosmoemu/solver"
	"gonum.org/v1/gonum/floats"
)

// Config describes a fit. Zero fields take the documented defaults.
type Config struct {
	Model *cosmo.Model // the model: a built-in one (cosmo.Lookup) or one of your own; nil means flat ΛCDM
	// Data are data specs: built-in sets by name or files (see
	// likelihood.Open).
	Data []string
	// Likelihoods are likelihoods of your own, fitted after those of
	// Data. Data and Likelihoods together hold at least one.
	Likelihoods []likelihood.Likelihood
	// Backend is "analytic", "solver" or "emulator"; "" means
	// DefaultBackend's choice: the closed form where the model has one,
	// else its embedded emulator (with the solver outside its domain),
	// else the solver.
	Backend string
	// SolverRTol is the solver backend's tolerance (RTol = ATol); 0 means
	// backend.DefaultSolverRTol.
	SolverRTol float64
	// EmulatorFile is the emulator's model file; "" means the embedded
	// default of the model.
	EmulatorFile string
	// GrowthEmulatorFile is a growth emulator's file (cosmoemu train
	// -growth) for the emulator backend; "" means the model's embedded one
	// if it has one, else the growth ODE (closed forms) or the fallback.
	GrowthEmulatorFile string
	// NoFallback makes points outside the emulator's domain errors
	// instead of solver evaluations (the default falls back, counted in
	// Result.Fallbacks).
	NoFallback bool
	// Early is how the early universe (z*, r_s(z*), z_drag, r_d) is
	// computed: "emulator" (the default: the early-universe emulator,
	// with the exact route outside its domain, counted), "exact"
	// (recombination for every point, as CAMB) or "fitting" (the fitting
	// formulas of earlier work, cosmo.EarlyFitting).
	Early string
	// Priors maps parameter names to prior specs ("LO:HI",
	// "gauss:MU:SIGMA", see param.ParsePrior). A nuisance parameter that
	// several data sets declare has a name for each (M_union3,
	// M_pantheonplus): a prior on the declared name (M) is refused, since
	// their zero points differ.
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

// A ConfigError is a mistake in a Config: the field at fault, the
// parameter it concerns if any, and what is wrong. Build returns every
// mistake in the data and the parameters as one, so that a caller can say
// where it came from (the command line names its flag).
type ConfigError struct {
	Field string // the Config (or BackendSettings) field: "Data", "Priors", "Fixed", "EmulatorFile", …; "" for a combination of fields
	Key   string // the parameter, for Priors and Fixed; "" if none
	Err   error
}

func (e *ConfigError) Error() string {
	switch {
	case e.Key == "":
		return "fit: " + e.Err.Error()
	case e.Field == "Fixed":
		return fmt.Sprintf("fit: fixed %s: %v", e.Key, e.Err)
	}
	return fmt.Sprintf("fit: prior on %s: %v", e.Key, e.Err)
}

func (e *ConfigError) Unwrap() error { return e.Err }

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
	emuStats        *emulator.Stats // the emulator backend's counts, or nil
	earlyStats      *emulator.Stats // the early-universe emulator's counts, or nil
	earlyName       string          // the early universe's source, if the data need it
}

// Build opens the data, chooses the parameter space from what the
// likelihoods declare (likelihood.Needs) and makes the posterior, which
// checks the combination. Every mistake a user can make in cfg is an
// error naming it, a *ConfigError for the data and the parameters.
func Build(cfg *Config) (*Problem, error) {
	c := *cfg
	if c.Model == nil {
		c.Model = cosmo.LCDM
	}
	if len(c.Data) == 0 && len(c.Likelihoods) == 0 {
		return nil, &ConfigError{Field: "Data", Err: errors.New("no data sets: name one (e.g. desi-dr2) or give likelihoods")}
	}
	p := &Problem{Config: c, Model: c.Model, Fixed: make(map[string]float64)}
	maps.Copy(p.Fixed, c.Fixed)
	needs, err := p.openData()
	if err != nil {
		return nil, err
	}
	sb := &spaceBuilder{p: p, m: c.Model, needs: needs}
	if err := sb.parsePriors(c.Priors); err != nil {
		return nil, err
	}
	if p.Space, err = sb.build(); err != nil {
		return nil, err
	}
	if err := p.connect(needs.Sigma8); err != nil {
		return nil, err
	}
	return p, nil
}

// openData opens the data sets of the configuration and returns what they
// need together (likelihood.Combine checks the combination).
func (p *Problem) openData() (likelihood.Needs, error) {
	c := &p.Config
	for _, spec := range c.Data {
		l, warn, err := likelihood.Open(spec, &likelihood.Options{DiagOnly: c.DiagOnly, CacheDir: c.CacheDir})
		if err != nil {
			return likelihood.Needs{}, &ConfigError{Field: "Data", Err: err}
		}
		if warn != "" {
			p.Warnings = append(p.Warnings, warn)
		}
		p.likes = append(p.likes, l)
	}
	p.likes = append(p.likes, c.Likelihoods...)
	needs, err := likelihood.Combine(p.likes)
	if err != nil {
		return likelihood.Needs{}, &ConfigError{Field: "Data", Err: err}
	}
	return needs, nil
}

// spaceBuilder chooses the sampled parameters of a fit and their priors
// from the model, what the data need and what the user gave.
type spaceBuilder struct {
	p      *Problem
	m      *cosmo.Model
	needs  likelihood.Needs
	priors map[string]param.Prior // the user's, by the name given
	// nuisancePriors are the user's priors of nuisance parameters by
	// their posterior names.
	nuisancePriors map[string]param.Prior
}

// declared returns the declaration of a parameter of the model, hrd, or a
// nuisance parameter of the data, by its name or the name it was declared
// as.
func (sb *spaceBuilder) declared(name string) (param.Param, error) {
	par, err := sb.m.Param(name)
	if err == nil {
		return par, nil
	}
	if name == likelihood.HRd.Name && sb.needs.Rd {
		return likelihood.HRd, nil
	}
	for _, n := range sb.needs.Nuisance {
		if n.Name == name || n.Declared == name {
			return n.Param, nil
		}
	}
	return param.Param{}, fmt.Errorf("%w, nor do the data%s", err, nuisanceNames(sb.needs))
}

// parsePriors reads the user's priors.
func (sb *spaceBuilder) parsePriors(specs map[string]string) error {
	sb.priors = make(map[string]param.Prior)
	for _, name := range slices.Sorted(maps.Keys(specs)) {
		if err := sb.shared(name); err != nil {
			return &ConfigError{Field: "Priors", Key: name, Err: err}
		}
		par, err := sb.declared(name)
		if err != nil {
			return &ConfigError{Field: "Priors", Key: name, Err: err}
		}
		pr, err := param.ParsePrior(par, specs[name])
		if err != nil {
			return &ConfigError{Field: "Priors", Err: err} // it names the parameter
		}
		sb.priors[name] = pr
	}
	return nil
}

// shared refuses the declared name of a nuisance parameter that several
// data sets declare (M with union3 and pantheonplus): each has its own,
// named NAME_<data set>, as a fixed value of it is refused by the
// posterior ("does not take parameter").
func (sb *spaceBuilder) shared(name string) error {
	var sets, names []string
	var doc string
	for _, n := range sb.needs.Nuisance {
		if n.Declared == name && n.Name != name {
			sets, names, doc = append(sets, n.Data), append(names, n.Name), n.Doc
		}
	}
	if len(sets) < 2 {
		return nil
	}
	if doc == "" {
		doc = "value of " + name
	}
	return fmt.Errorf("%s each have their own %s (%s): give %s", andList(sets, "and"), doc, name, andList(names, "and/or"))
}

// andList joins "a", "b", "c" as "a, b and c" (with conj for "and").
func andList(s []string, conj string) string {
	if len(s) < 2 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " " + conj + " " + s[len(s)-1]
}

// given reports whether the user gave name a prior or a value.
func (sb *spaceBuilder) given(name string) (prior, fixed bool) {
	_, prior = sb.priors[name]
	_, fixed = sb.p.Fixed[name]
	return prior, fixed
}

// build chooses the sampled parameters and returns their space.
func (sb *spaceBuilder) build() (*param.Space, error) {
	names, err := sb.cosmological()
	if err != nil {
		return nil, err
	}
	names = sb.nuisance(names)
	for _, name := range slices.Sorted(maps.Keys(sb.priors)) {
		if slices.Contains(names, name) {
			continue
		}
		return nil, &ConfigError{Field: "Priors", Key: name, Err: fmt.Errorf("%s is not a parameter of this fit (sampled: %s)", name, strings.Join(names, ", "))}
	}
	if len(names) == 0 {
		return nil, &ConfigError{Field: "Fixed", Err: errors.New("every parameter is fixed: nothing to sample")}
	}
	var params []param.Param
	var prs []param.Prior
	for _, name := range names {
		par, _ := sb.declared(name)
		pr, ok := sb.priors[name]
		if !ok {
			pr, ok = sb.nuisancePriors[name]
		}
		if !ok {
			pr = par.DefaultPrior()
		}
		par.Name = name
		params = append(params, par)
		prs = append(prs, pr)
	}
	space, err := param.NewSpace(params, prs)
	if err != nil {
		return nil, &ConfigError{Field: "Priors", Err: err}
	}
	return space, nil
}

// cosmological returns the sampled cosmological parameters (and hrd):
// the model's, the matter as ω_c if the user gave omch2, H0 fixed when no
// data set measures it, ω_b when the data need it or the user gave it a
// prior, Σmν and N_eff only with a prior.
func (sb *spaceBuilder) cosmological() ([]string, error) {
	p, needs := sb.p, sb.needs
	ombh2Prior, ombh2Fixed := sb.given(cosmo.NameOmbh2)
	haveOmbh2 := needs.Ombh2 || ombh2Prior || ombh2Fixed
	omch2, err := sb.matterAsOmch2(haveOmbh2)
	if err != nil {
		return nil, err
	}
	// Distances in units of r_d measure H0 when r_d comes from ω_b.
	measuresH0 := needs.H0 || needs.Rd && haveOmbh2
	var names []string
	for _, name := range sb.m.Params() {
		if name == cosmo.NameOm && omch2 {
			if prior, _ := sb.given(cosmo.NameOmch2); prior {
				names = append(names, cosmo.NameOmch2)
			}
			continue
		}
		prior, fixed := sb.given(name)
		if fixed && !prior {
			continue
		}
		if name == cosmo.NameH0 && !prior && !fixed && !measuresH0 {
			p.Fixed[name] = cosmo.DefaultH0
			p.Notes = append(p.Notes, "H0 is fixed at 70 km/s/Mpc, for the radiation density only: no data set measures it")
			continue
		}
		names = append(names, name)
	}
	if (needs.Ombh2 || ombh2Prior) && (ombh2Prior || !ombh2Fixed) {
		names = append(names, cosmo.NameOmbh2)
	}
	// Σmν and N_eff keep their defaults unless given a prior (or a value).
	for _, name := range []string{cosmo.NameMnu, cosmo.NameNnu} {
		if prior, _ := sb.given(name); prior {
			names = append(names, name)
		}
	}
	// A fixed nuisance parameter is left to NewPosterior to refuse.
	if prior, fixed := sb.given(likelihood.HRd.Name); needs.Rd && !haveOmbh2 && (prior || !fixed) {
		names = append(names, likelihood.HRd.Name)
		p.Notes = append(p.Notes, "r_d without ω_b: it is free through hrd = h·r_d")
	}
	// σ8 when the data measure fσ8, or the user gives it a prior.
	if prior, fixed := sb.given(cosmo.NameSigma8); (sb.needs.Sigma8 || prior) && (prior || !fixed) {
		names = append(names, cosmo.NameSigma8)
	}
	return names, nil
}

// matterAsOmch2 reports whether the matter is given as ω_c (the user gave
// omch2 a prior or a value), which needs ω_b and excludes Om.
func (sb *spaceBuilder) matterAsOmch2(haveOmbh2 bool) (bool, error) {
	omchPrior, omchFixed := sb.given(cosmo.NameOmch2)
	if !omchPrior && !omchFixed {
		return false, nil
	}
	field := "Priors"
	if !omchPrior {
		field = "Fixed"
	}
	if omPrior, omFixed := sb.given(cosmo.NameOm); omPrior || omFixed {
		return false, &ConfigError{Field: field, Key: cosmo.NameOmch2, Err: fmt.Errorf("the matter is given twice, as %s and as %s: give one of them", cosmo.NameOm, cosmo.NameOmch2)}
	}
	if !haveOmbh2 {
		return false, &ConfigError{Field: field, Key: cosmo.NameOmch2, Err: fmt.Errorf("%s gives the matter only with %s (Ωm = (ω_b + ω_c + ω_ν)/h²): give %s a prior or fix it, or sample %s instead", cosmo.NameOmch2, cosmo.NameOmbh2, cosmo.NameOmbh2, cosmo.NameOm)}
	}
	sb.p.Notes = append(sb.p.Notes, "the matter is given as ω_c (omch2): Om = (ω_b + ω_c + ω_ν)/h² is derived at every point")
	return true, nil
}

// nuisance appends the sampled nuisance parameters of the data to names:
// those that are not optional, and the optional ones given a prior (the
// others are marginalised by their likelihoods).
func (sb *spaceBuilder) nuisance(names []string) []string {
	sb.nuisancePriors = make(map[string]param.Prior)
	for _, n := range sb.needs.Nuisance {
		pr, ok := sb.priors[n.Name]
		if _, fixed := sb.p.Fixed[n.Name]; fixed && !ok {
			continue
		}
		if ok || !n.Optional {
			names = append(names, n.Name)
			if ok {
				sb.nuisancePriors[n.Name] = pr
			}
			continue
		}
		sb.p.Notes = append(sb.p.Notes, fmt.Sprintf("the %s %s of %s is marginalised by its likelihood (a prior on %s samples it)", n.Doc, n.Name, n.Data, n.Name))
	}
	return names
}

// connect makes the early universe, the backend and the posterior, and
// checks what can only be checked with them (fixed values the early
// universe cannot compute, an emulator's domain without a fallback).
// growth says whether the data need the growth of structure.
func (p *Problem) connect(growth bool) error {
	c := &p.Config
	early, err := NewEarly(c.Early, c.NoFallback)
	if err != nil {
		return &ConfigError{Field: "Early", Err: err}
	}
	if es, ok := early.(emulator.EarlySource); ok {
		p.earlyStats = es.Stats
	}
	set := &BackendSettings{SolverRTol: c.SolverRTol, EmulatorFile: c.EmulatorFile, GrowthEmulatorFile: c.GrowthEmulatorFile, NoFallback: c.NoFallback, Early: early}
	if c.Backend == "" {
		c.Backend = DefaultBackend(p.Model, growth, set)
	}
	if f := c.GrowthEmulatorFile; f != "" && !growth {
		// A file that nothing would read is a mistake, not a no-op.
		return &ConfigError{Field: "GrowthEmulatorFile", Err: fmt.Errorf("growth emulator %s: the data measure no growth of structure (fσ8), the only thing it answers", f)}
	}
	b, err := NewBackend(c.Backend, p.Model, set)
	if err != nil {
		return err
	}
	eb, isEmu := b.(emulator.Backend)
	if isEmu {
		p.emuStats = eb.Stats
	}
	c.Backend = b.Name()
	if p.Posterior, err = likelihood.NewPosterior(p.Model, b, p.likes, p.Space, p.Fixed); err != nil {
		return &ConfigError{Err: err}
	}
	if req := p.Posterior.Request(); req.CMB || req.Drag {
		p.earlyName = early.Name()
	}
	if err := p.checkFixed(); err != nil {
		return err
	}
	if p.paramsOnly() {
		p.Notes = append(p.Notes, "the data need no observable of the model, only its parameters (an H0 or ω_b measurement): the parameters they do not measure follow their priors")
	}
	if isEmu && eb.Fallback == nil {
		if err := p.insideDomain(eb.Emulator.Domain(), "emulator"); err != nil {
			return err
		}
		// The field's growth comes from its growth emulator, whose domain
		// is narrower (docs/growth.md); the closed forms' from the ODE.
		if p.Posterior.Request().Growth && !p.Model.ClosedForm() {
			g := eb.Growth
			if g == nil {
				if g, err = emulator.DefaultGrowth(p.Model); err != nil {
					return err
				}
			}
			if g != nil {
				return p.insideDomain(g.Domain(), "growth emulator")
			}
		}
	}
	return nil
}

// checkFixed refuses a fixed value with which no point of the fit is
// physical: one outside the range the early universe can compute (ω_b or
// N_eff outside BBN's table), found by computing the starting point. A
// sampled parameter outside that range only makes its points unphysical,
// counted in Result.Unphysical.
func (p *Problem) checkFixed() error {
	_, _, err := p.Posterior.Chi2(p.Start())
	var pe *cosmo.PointError
	if !errors.As(err, &pe) || !strings.HasPrefix(pe.Reason, "outside") {
		return nil
	}
	if _, fixed := p.Fixed[pe.Param]; !fixed {
		return nil
	}
	return &ConfigError{Field: "Fixed", Key: pe.Param, Err: fmt.Errorf("%s = %v is %s: no point of the fit could be computed", pe.Param, pe.Value, pe.Reason)}
}

// A Derived is the posterior of a parameter computed from the sampled
// ones: Om when the matter is sampled as ω_c (omch2), ω_c when it is
// sampled as Om and ω_b is sampled or fixed, S8 = σ8 (Ωm/0.3)^{1/2} when
// σ8 is sampled or fixed (fσ8 data).
type Derived struct {
	Name    string  `json:"name"`
	Label   string  `json:"label"`
	Mean    float64 `json:"mean"`
	Std     float64 `json:"std"`
	Q025    float64 `json:"q025"`
	Q16     float64 `json:"q16"`
	Q84     float64 `json:"q84"`
	Q975    float64 `json:"q975"`
	BestFit float64 `json:"best_fit"` // at the best fit of the sampled parameters
}

// MarshalJSON writes d with its non-finite numbers as null.
func (d Derived) MarshalJSON() ([]byte, error) {
	f := func(v float64) chains.Float { return chains.Float(v) }
	return json.Marshal(struct {
		Name    string       `json:"name"`
		Label   string       `json:"label"`
		Mean    chains.Float `json:"mean"`
		Std     chains.Float `json:"std"`
		Q025    chains.Float `json:"q025"`
		Q16     chains.Float `json:"q16"`
		Q84     chains.Float `json:"q84"`
		Q975    chains.Float `json:"q975"`
		BestFit chains.Float `json:"best_fit"`
	}{d.Name, d.Label, f(d.Mean), f(d.Std), f(d.Q025), f(d.Q16), f(d.Q84), f(d.Q975), f(d.BestFit)})
}

// derivedParams returns the parameters Derived reports and how each is
// computed from a point.
func (p *Problem) derivedParams() []derivedParam {
	sampled := func(name string) bool { return p.Space.Index(name) >= 0 }
	_, omFixed := p.Fixed[cosmo.NameOm]
	_, omchFixed := p.Fixed[cosmo.NameOmch2]
	_, wbFixed := p.Fixed[cosmo.NameOmbh2]
	var out []derivedParam
	if !sampled(cosmo.NameOm) && !omFixed && (sampled(cosmo.NameOmch2) || omchFixed) {
		out = append(out, derivedParam{name: cosmo.NameOm, f: func(c *cosmo.Params) float64 { return c.Om }})
	}
	if !sampled(cosmo.NameOmch2) && !omchFixed && (sampled(cosmo.NameOm) || omFixed) && (sampled(cosmo.NameOmbh2) || wbFixed) {
		out = append(out, derivedParam{name: cosmo.NameOmch2, f: func(c *cosmo.Params) float64 {
			h := c.H()
			return (c.Om-c.OmegaNu())*h*h - c.Ombh2
		}})
	}
	if _, s8Fixed := p.Fixed[cosmo.NameSigma8]; sampled(cosmo.NameSigma8) || s8Fixed {
		out = append(out, derivedParam{name: "S8", label: `S_8`, f: func(c *cosmo.Params) float64 { return c.S8() }})
	}
	return out
}

type derivedParam struct {
	name  string
	f     func(*cosmo.Params) float64
	label string // "" for a parameter of the model: its own label
}

// fillDerived fills r.Derived from the samples (weighted for nested
// sampling) and the best fit.
func (p *Problem) fillDerived(r *Result) {
	dps := p.derivedParams()
	if len(dps) == 0 || r.Samples == nil {
		return
	}
	rows, _ := r.Samples.Dims()
	best := make([]float64, p.Space.Dim())
	for i, name := range p.Space.Names() {
		best[i] = r.BestFit[name]
	}
	bp := p.Posterior.Params(best)
	v := make([][]float64, len(dps))
	for k := range dps {
		v[k] = make([]float64, rows)
	}
	var c cosmo.Params // one for every row: &c escapes to d.f
	for i := range rows {
		c = p.Posterior.Params(r.Samples.RawRowView(i))
		for k, d := range dps {
			v[k][i] = d.f(&c)
		}
	}
	for k, d := range dps {
		label := d.label
		if label == "" {
			par, _ := p.Model.Param(d.name)
			label = par.Label
		}
		s := weightedSummary(v[k], r.Weights)
		r.Derived = append(r.Derived, Derived{Name: d.name, Label: label, Mean: s[0], Std: s[1],
			Q025: s[2], Q16: s[3], Q84: s[4], Q975: s[5], BestFit: d.f(&bp)})
	}
}

// weightedSummary returns the mean, the standard deviation and the 2.5,
// 16, 84 and 97.5% quantiles of x with weights w (nil: equal), the
// quantiles interpolated linearly in the cumulative weight at the middle
// of each sample's share.
func weightedSummary(x, w []float64) [6]float64 {
	weight := func(i int) float64 {
		if w == nil {
			return 1
		}
		return w[i]
	}
	sw, mean := 0.0, 0.0
	for i, v := range x {
		sw += weight(i)
		mean += weight(i) * v
	}
	mean /= sw
	vr := 0.0
	for i, v := range x {
		vr += weight(i) * (v - mean) * (v - mean)
	}
	var q [4]float64
	if w == nil {
		// Equal weights (MCMC): two order statistics per quantile, put in
		// place by a quickselect instead of a sort: 160,000 values in 3.4 ms
		// against 23 ms for the sort weights need (29 ms for the index sort
		// before; BenchmarkWeightedSummary), the same numbers bit for bit
		// (TestWeightedSummaryEqualWeights).
		equalWeightQuantiles(q[:], x, sw, summaryProbs)
	} else {
		weightedQuantiles(q[:], x, w, sw, summaryProbs)
	}
	return [6]float64{mean, math.Sqrt(vr / sw), q[0], q[1], q[2], q[3]}
}

// summaryProbs are the probabilities of weightedSummary's quantiles.
var summaryProbs = []float64{0.025, 0.16, 0.84, 0.975}

// weightedQuantiles stores in dst the quantiles ps of x with weights w
// summing to sw, as weightedSummary defines them: linear in the
// cumulative weight at the middle of each sample's share.
func weightedQuantiles(dst, x, w []float64, sw float64, ps []float64) {
	n := len(x)
	type sample struct{ x, w float64 }
	ss := make([]sample, n)
	for i := range ss {
		ss[i] = sample{x[i], w[i]}
	}
	slices.SortFunc(ss, func(a, b sample) int { return cmp.Compare(a.x, b.x) })
	cum := make([]float64, n)
	acc := 0.0
	for k, s := range ss {
		cum[k] = (acc + s.w/2) / sw
		acc += s.w
	}
	for j, p := range ps {
		k := sort.SearchFloat64s(cum, p)
		switch {
		case k == 0:
			dst[j] = ss[0].x
		case k == n:
			dst[j] = ss[n-1].x
		default:
			t := (p - cum[k-1]) / (cum[k] - cum[k-1])
			dst[j] = ss[k-1].x + t*(ss[k].x-ss[k-1].x)
		}
	}
}

// equalWeightQuantiles stores in dst the quantiles ps of x, of equal
// weights summing to sw = len(x), as weightedSummary defines them: the
// share of sample k of the sorted values has its middle at (k + ½)/n. Any
// NaN in x gives NaN.
func equalWeightQuantiles(dst, x []float64, sw float64, ps []float64) {
	if floats.HasNaN(x) {
		for j := range dst {
			dst[j] = math.NaN()
		}
		return
	}
	n := len(x)
	cum := func(k int) float64 { return (float64(k) + 0.5) / sw }
	ks := make([]int, len(ps)) // the first k with cum(k) ≥ p
	var ranks []int
	for j, p := range ps {
		ks[j] = sort.Search(n, func(k int) bool { return cum(k) >= p })
		if k := ks[j]; k > 0 && k < n {
			ranks = append(ranks, k-1, k)
		} else {
			ranks = append(ranks, min(k, n-1))
		}
	}
	slices.Sort(ranks)
	ranks = slices.Compact(ranks)
	xs := slices.Clone(x)
	stats.SelectRanks(xs, ranks)
	for j, p := range ps {
		switch k := ks[j]; {
		case k == 0:
			dst[j] = xs[0]
		case k == n:
			dst[j] = xs[n-1]
		default:
			t := (p - cum(k-1)) / (cum(k) - cum(k-1))
			dst[j] = xs[k-1] + t*(xs[k]-xs[k-1])
		}
	}
}

// nuisanceNames lists the nuisance parameters of the data for an error.
func nuisanceNames(n likelihood.Needs) string {
	var names []string
	if n.Rd {
		names = append(names, likelihood.HRd.Name)
	}
	for _, p := range n.Nuisance {
		names = append(names, p.Name)
	}
	if len(names) == 0 {
		return ", which have no nuisance parameters"
	}
	return " (" + strings.Join(names, ", ") + ")"
}

// insideDomain checks, for an emulator (called what in the messages)
// without a fallback, that every prior box and fixed value lies in its
// domain: otherwise the run would fail at its first point outside, after
// the work before it. Limits on combinations (λ_max, E² > 0) are left to
// the run.
func (p *Problem) insideDomain(d emulator.Domain, what string) error {
	for _, name := range d.Params {
		lo, hi, _ := d.Range(name)
		if i := p.Space.Index(name); i >= 0 {
			pr := p.Space.Prior(i)
			if pr.Lo < lo || pr.Hi > hi {
				return &ConfigError{Field: "Priors", Err: fmt.Errorf("the prior of %s, [%g, %g], leaves the %s's domain [%g, %g] and there is no fallback: narrow it to [%g, %g] or let the solver answer outside the domain", name, pr.Lo, pr.Hi, what, lo, hi, max(lo, pr.Lo), min(hi, pr.Hi))}
			}
		} else if v, ok := p.Fixed[name]; ok && (v < lo || v > hi) {
			return &ConfigError{Field: "Fixed", Err: fmt.Errorf("%s = %g is outside the %s's domain [%g, %g] and there is no fallback", name, v, what, lo, hi)}
		}
	}
	return nil
}

// NewEarly returns the early universe called name: "" or "emulator" (the
// embedded early-universe emulator; outside its domain the exact route,
// counted, or with noFallback an error), "exact" or "fitting"
// (cosmo.EarlyRoute).
func NewEarly(name string, noFallback bool) (cosmo.EarlySource, error) {
	switch name {
	case "", "emulator":
		e, err := emulator.DefaultEarly()
		if err != nil {
			return nil, err
		}
		return emulator.EarlySource{Emulator: e, NoFallback: noFallback, Stats: &emulator.Stats{}}, nil
	}
	r, err := cosmo.ParseEarlyRoute(name)
	if err != nil {
		return nil, fmt.Errorf("%w (or emulator)", err)
	}
	return r, nil
}

// EmulatesBackground reports whether an emulator answers a background
// (cosmoemu background, the Python package's) computed by backend b with the
// early universe early: the backend, or the early-universe emulator, which
// answers only with ω_b (ombh2) among the parameters. NoFallback changes
// nothing where none does.
func EmulatesBackground(b cosmo.Backend, early cosmo.EarlySource, ombh2 bool) bool {
	return b.Name() == "emulator" || ombh2 && early.Name() == "emulator"
}

// BackendSettings configure NewBackend; nil means the defaults.
type BackendSettings struct {
	SolverRTol         float64           // the solver's tolerance (RTol = ATol); 0: its default
	EmulatorFile       string            // the emulator's model file; "": the embedded default
	GrowthEmulatorFile string            // a growth emulator's file; "": the embedded one, if any
	NoFallback         bool              // the emulator refuses points outside its domain
	Early              cosmo.EarlySource // how the early universe is computed; nil: the exact route
}

// DefaultBackend returns the backend a fit of model m uses unless told,
// given the files in s (nil: none). A model file named in s, an emulator
// or a growth emulator, asks for "emulator", the backend that reads them.
// Otherwise, where m has a closed form, "analytic", unless the data need
// the growth of structure (growth) and a growth emulator is embedded
// (emulator.DefaultGrowth): then "emulator", whose growth network replaces
// the growth ODE that is nearly the whole cost of such a fit, the ODE
// answering outside the network's domain. Without a closed form,
// "emulator" where an emulator of m is embedded (emulator.DefaultModel)
// and, if growth, a growth emulator too (without one the growth would go
// to the solver at every point, and the emulator save nothing); else
// "solver". The emulators answer the points outside their domains with
// the solver, counted: `cosmoemu compare` shows that their posteriors
// agree with the solver's (docs/emulators.md, docs/growth.md).
func DefaultBackend(m *cosmo.Model, growth bool, s *BackendSettings) string {
	if s != nil && (s.EmulatorFile != "" || s.GrowthEmulatorFile != "") {
		return "emulator"
	}
	growthNet := false
	if growth {
		g, err := emulator.DefaultGrowth(m)
		growthNet = err == nil && g != nil
	}
	if m.ClosedForm() {
		if growth && growthNet {
			return "emulator"
		}
		return "analytic"
	}
	if _, err := emulator.DefaultModel(m); err != nil || (growth && !growthNet) {
		return "solver"
	}
	return "emulator"
}

// NewBackend returns the backend called name for model m: "analytic",
// "solver" or "emulator" ("" chooses the closed form where there is one,
// else the solver). The emulator answers points outside its domain with
// the solver, and counts them, unless NoFallback is set. A model file in s
// that the backend would not read, or that does not hold an emulator of m,
// is refused with a *ConfigError naming its field (EmulatorFile,
// GrowthEmulatorFile).
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
	// A file that nothing would read is a mistake, not a no-op.
	for _, f := range []struct{ field, what, path string }{{"EmulatorFile", "emulator", set.EmulatorFile}, {"GrowthEmulatorFile", "growth emulator", set.GrowthEmulatorFile}} {
		if f.path != "" && name != "emulator" {
			return nil, &ConfigError{Field: f.field, Err: fmt.Errorf("%s %s: the %s backend does not read it; the emulator backend does", f.what, f.path, name)}
		}
	}
	sv := backend.Solver{Early: set.Early}
	if set.SolverRTol != 0 {
		if !(set.SolverRTol > 0 && set.SolverRTol < 1e-3) {
			return nil, &ConfigError{Field: "SolverRTol", Err: fmt.Errorf("solver tolerance %g must be in (0, 1e-3)", set.SolverRTol)}
		}
		sv.Settings = &solver.Settings{RTol: set.SolverRTol, ATol: set.SolverRTol}
	}
	switch name {
	case "analytic":
		if !m.ClosedForm() {
			return nil, &ConfigError{Field: "Backend", Err: fmt.Errorf("model %s has no closed form: use the solver or the emulator backend", m.Name())}
		}
		return backend.Analytic{Early: set.Early}, nil
	case "solver":
		return sv, nil
	case "emulator":
		e, err := emulator.LoadModel(set.EmulatorFile, m)
		if err != nil {
			if set.EmulatorFile != "" {
				return nil, &ConfigError{Field: "EmulatorFile", Err: err}
			}
			return nil, fmt.Errorf("fit: %w", err)
		}
		b := emulator.Backend{Emulator: e, Early: set.Early, Stats: &emulator.Stats{}}
		if set.GrowthEmulatorFile != "" {
			if b.Growth, err = emulator.LoadGrowth(set.GrowthEmulatorFile, m); err != nil {
				return nil, &ConfigError{Field: "GrowthEmulatorFile", Err: err}
			}
		}
		if !set.NoFallback {
			b.Fallback = sv
		}
		return b, nil
	}
	return nil, &ConfigError{Field: "Backend", Err: fmt.Errorf("unknown backend %q (want analytic, solver or emulator)", name)}
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

// paramsOnly reports whether every likelihood measures parameters only.
func (p *Problem) paramsOnly() bool {
	for _, l := range p.likes {
		if !l.Needs().ParamsOnly {
			return false
		}
	}
	return true
}

// EarlyUniverse names the source of the early universe (z*, r_s, z_drag,
// r_d): emulator, exact or fitting; "" if the data need none of it.
func (p *Problem) EarlyUniverse() string { return p.earlyName }

// Emulated reports whether an emulator answers some of the problem: its
// backend, or the early universe its data need. NoFallback changes
// nothing in a problem that is not.
func (p *Problem) Emulated() bool { return p.emuStats != nil || p.earlyName == "emulator" }

// SolverAnswers reports whether the solver answers some of the problem,
// so that SolverRTol matters: its backend, or the emulator backend's
// fallback outside the emulator's domain (NewBackend).
func (p *Problem) SolverAnswers() bool {
	return p.Config.Backend == "solver" || p.emuStats != nil && !p.Config.NoFallback
}

// DataNames returns the names of the data sets.
func (p *Problem) DataNames() []string {
	s := make([]string, len(p.likes))
	for i, l := range p.likes {
		s[i] = l.Name()
	}
	return s
}
