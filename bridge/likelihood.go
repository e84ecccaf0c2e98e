package bridge

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sync"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/cosmoemu/cosmoemu/cosmo"
	"github.com/cosmoemu/cosmoemu/fit"
	"github.com/cosmoemu/cosmoemu/likelihood"
	"github.com/cosmoemu/cosmoemu/param"
)

// LikelihoodConfig is a fit.Config without its sampler, with the JSON
// names of the Python package. Zero fields take fit's defaults.
type LikelihoodConfig struct {
	Model      string             `json:"model"`       // "": lcdm
	Data       []string           `json:"data"`        // built-in sets by name, or files (bao:MEAN[:COV], sn:…, hz:…)
	Backend    string             `json:"backend"`     // analytic, solver, emulator; "": fit.DefaultBackend
	Early      string             `json:"early"`       // emulator (the default of fits), exact or fitting
	Priors     map[string]string  `json:"priors"`      // NAME → "LO:HI" or "gauss:MU:SIGMA[:LO:HI]"
	Fixed      map[string]float64 `json:"fixed"`       // NAME → value
	DiagOnly   bool               `json:"diag_only"`   // pantheonplus, desy5 without their covariance
	Emulator   string             `json:"emulator"`    // the emulator's model file
	NoFallback bool               `json:"no_fallback"` // the emulator refuses points outside its domain
	RTol       float64            `json:"rtol"`        // the solver's tolerance; 0: its default
	CacheDir   string             `json:"cache_dir"`   // where fetched covariances are; "": the user cache
	// Point, if not empty, replaces the sampled parameters by exactly
	// these parameters of the model (ombh2, mnu and nnu included), each
	// with its default prior box: the likelihood of a caller that
	// supplies whole points (a Cobaya theory), for Chi2. The priors and
	// fixed values above then do not apply.
	Point []string `json:"point"`
}

func (c *LikelihoodConfig) fitConfig() (*fit.Config, error) {
	name := c.Model
	if name == "" {
		name = "lcdm"
	}
	m, err := cosmo.Lookup(name)
	if err != nil {
		return nil, err
	}
	return &fit.Config{Model: m, Data: c.Data, Backend: c.Backend, Early: c.Early, Priors: c.Priors, Fixed: c.Fixed,
		DiagOnly: c.DiagOnly, EmulatorFile: c.Emulator, NoFallback: c.NoFallback, SolverRTol: c.RTol, CacheDir: c.CacheDir}, nil
}

// A Likelihood is the posterior of a fit (fit.Build: the same parameter
// space, priors, data, backend and numbers as `cosmoemu fit`) for a
// foreign caller: batches of points evaluated on all the threads of the
// runtime. It is safe for concurrent use.
type Likelihood struct {
	cfg     LikelihoodConfig
	problem *fit.Problem
	post    *likelihood.Posterior
	space   *param.Space
	nDer    int
}

// NewLikelihood builds the fit's problem; every mistake in the
// configuration is an error naming it.
func NewLikelihood(cfg LikelihoodConfig) (*Likelihood, error) {
	fc, err := cfg.fitConfig()
	if err != nil {
		return nil, err
	}
	if len(cfg.Point) > 0 {
		fc.Priors, fc.Fixed = nil, nil
		for _, name := range cfg.Point {
			if name == cosmo.NameOmbh2 {
				fc.Priors = map[string]string{name: ""} // r_d from ω_b, not hrd
			}
		}
		if fc.Priors != nil {
			par, _ := fc.Model.Param(cosmo.NameOmbh2)
			fc.Priors[cosmo.NameOmbh2] = par.DefaultPrior().String()
		}
	}
	p, err := fit.Build(fc)
	if err != nil {
		return nil, err
	}
	if cfg.NoFallback && !p.Emulated() {
		// A switch that would change nothing is a mistake, as in `cosmoemu fit`.
		early := p.EarlyUniverse()
		if early == "" {
			early = "not needed"
		}
		return nil, fmt.Errorf("no_fallback: no emulator answers this likelihood (backend %s, early universe %s): leave it out", p.Config.Backend, early)
	}
	l := &Likelihood{cfg: cfg, problem: p, post: p.Posterior, space: p.Space}
	if len(cfg.Point) > 0 {
		if err := l.pointPosterior(); err != nil {
			return nil, err
		}
	}
	names, _ := l.post.DerivedNames()
	l.nDer = len(names)
	return l, nil
}

// pointPosterior replaces the posterior by one over the parameters of
// cfg.Point, with the same data and backend.
func (l *Likelihood) pointPosterior() error {
	m := l.problem.Model
	var params []param.Param
	var priors []param.Prior
	seen := make(map[string]bool)
	for _, name := range l.cfg.Point {
		par, err := m.Param(name)
		if err != nil {
			return err
		}
		if seen[name] {
			return fmt.Errorf("parameter %s is given twice", name)
		}
		seen[name] = true
		params = append(params, par)
		priors = append(priors, par.DefaultPrior())
	}
	space, err := param.NewSpace(params, priors)
	if err != nil {
		return err
	}
	post, err := likelihood.NewPosterior(m, l.post.Backend(), l.post.Likelihoods(), space, nil)
	if err != nil {
		return err
	}
	l.post, l.space = post, space
	return nil
}

// Dim returns the number of sampled parameters.
func (l *Likelihood) Dim() int { return l.space.Dim() }

// NDerived returns the number of derived parameters (DerivedNames).
func (l *Likelihood) NDerived() int { return l.nDer }

// NData returns the number of data sets.
func (l *Likelihood) NData() int { return len(l.post.Likelihoods()) }

type priorInfo struct {
	Name  string  `json:"name"`
	Label string  `json:"label"`
	Unit  string  `json:"unit,omitempty"`
	Doc   string  `json:"doc,omitempty"`
	Lo    float64 `json:"lo"`
	Hi    float64 `json:"hi"`
	Mu    float64 `json:"mu,omitempty"`
	Sigma float64 `json:"sigma,omitempty"`
	Prior string  `json:"prior"`
}

// Info describes the likelihood as JSON: the model, backend and early
// universe, the data sets, the sampled parameters with their priors, the
// fixed ones, the derived parameters, the marginalised nuisance
// parameters, ln of the likelihoods' normalisation, and the notes and
// warnings of fit.Build.
func (l *Likelihood) Info() ([]byte, error) {
	var ps []priorInfo
	for i := range l.space.Dim() {
		par, pr := l.space.Param(i), l.space.Prior(i)
		label := par.Label
		if label == "" {
			label = par.Name
		}
		ps = append(ps, priorInfo{Name: par.Name, Label: label, Unit: par.Unit, Doc: par.Doc, Lo: pr.Lo, Hi: pr.Hi, Mu: pr.Mu, Sigma: pr.Sigma, Prior: pr.String()})
	}
	dn, dl := l.post.DerivedNames()
	var data []string
	for _, lk := range l.post.Likelihoods() {
		data = append(data, lk.Name())
	}
	fixed := l.problem.Fixed
	if len(l.cfg.Point) > 0 {
		fixed = map[string]float64{}
	}
	early := l.problem.EarlyUniverse()
	return json.Marshal(map[string]any{
		"model": l.problem.Model.Name(), "backend": l.post.Backend().Name(), "early": early,
		"data": data, "params": ps, "fixed": fixed,
		"derived": dn, "derived_labels": dl, "marginalised": l.post.Marginalised(),
		"log_norm": l.post.LogNorm(), "n_data": l.post.Len(),
		"notes": l.problem.Notes, "warnings": l.problem.Warnings,
	})
}

// Stats returns the counters of the posterior as JSON: evaluations,
// unphysical points, failures and the first failure's message.
func (l *Likelihood) Stats() ([]byte, error) {
	first := ""
	if err := l.post.FirstFailure(); err != nil {
		first = err.Error()
	}
	return json.Marshal(map[string]any{
		"evaluations": l.post.Evaluations(), "unphysical": l.post.Unphysical(),
		"failures": l.post.Failures(), "first_failure": first,
	})
}

// checkPoints refuses NaN and infinite coordinates, naming the point and
// the parameter, and sizes that do not fit n points.
func (l *Likelihood) checkPoints(theta []float64, n int) error {
	d := l.space.Dim()
	if n < 0 || len(theta) != n*d {
		return fmt.Errorf("%d values for %d points of %d parameters", len(theta), n, d)
	}
	for i, v := range theta {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("point %d: %s = %v is not a finite number", i/d, l.space.Param(i%d).Name, v)
		}
	}
	return nil
}

// minParallel is the number of points from which a batch is shared among
// the runtime's threads: a flagship evaluation costs 1.5–3 µs, and
// sharing pays from about 8 µs of work (internal/pool).
const minParallel = 4

// LogPost stores ln P = ln π(θ) − χ²/2 of each of the n points theta (n ×
// Dim, row-major) in out, as fit's samplers see it (−Inf outside the
// prior and where the model cannot describe the point or the backend
// fails; Stats counts these), and, if derived is not nil, the derived
// parameters of each point (n × NDerived: χ², χ² of each data set, r_d).
// A coordinate that is not a finite number is an error.
func (l *Likelihood) LogPost(theta []float64, n int, out, derived []float64) error {
	if err := l.checkPoints(theta, n); err != nil {
		return err
	}
	if len(out) != n || derived != nil && len(derived) != n*l.nDer {
		return errors.New("output arrays of the wrong size")
	}
	if n == 0 {
		return nil
	}
	d := l.space.Dim()
	if n == 1 && derived == nil {
		out[0] = l.post.LogProb(theta)
		return nil
	}
	return rows(n, minParallel, func(lo, hi int) error {
		th := mat.NewDense(hi-lo, d, theta[lo*d:hi*d])
		if derived == nil {
			l.post.LogProbBatch(out[lo:hi], th)
			return nil
		}
		l.post.LogProbBatchDerived(out[lo:hi], th, mat.NewDense(hi-lo, l.nDer, derived[lo*l.nDer:hi*l.nDer]))
		return nil
	})
}

// LogPrior stores the normalised ln π(θ) of each point in out (−Inf
// outside the prior).
func (l *Likelihood) LogPrior(theta []float64, n int, out []float64) error {
	if err := l.checkPoints(theta, n); err != nil {
		return err
	}
	if len(out) != n {
		return errors.New("output array of the wrong size")
	}
	d := l.space.Dim()
	for i := range n {
		out[i] = l.space.LogPrior(theta[i*d : (i+1)*d])
	}
	return nil
}

// Chi2 stores χ² of each point in total and its part from each data set
// in byData (n × NData), whether or not the point lies inside the prior;
// status is 0 for a computed point, 1 for a point the model cannot
// describe, 2 for another failure, whose outputs are NaN. It returns the
// number of failed points and the first one's message.
func (l *Likelihood) Chi2(theta []float64, n int, total, byData []float64, status []int32) (failed int, first string, err error) {
	if err := l.checkPoints(theta, n); err != nil {
		return 0, "", err
	}
	nd := l.NData()
	if len(total) != n || len(byData) != n*nd || len(status) != n {
		return 0, "", errors.New("output arrays of the wrong size")
	}
	d := l.space.Dim()
	var mu sync.Mutex
	firstRow := n
	err = rows(n, minParallel, func(lo, hi int) error {
		for i := lo; i < hi; i++ {
			t, by, cerr := l.post.Chi2(theta[i*d : (i+1)*d])
			if cerr == nil {
				status[i], total[i] = 0, t
				copy(byData[i*nd:(i+1)*nd], by)
				continue
			}
			status[i], total[i] = 2, math.NaN()
			var pe *cosmo.PointError
			if errors.As(cerr, &pe) {
				status[i] = 1
			}
			for k := range nd {
				byData[i*nd+k] = math.NaN()
			}
			mu.Lock()
			if i < firstRow {
				firstRow, first = i, fmt.Sprintf("point %d: %v", i, cerr)
			}
			mu.Unlock()
		}
		return nil
	})
	for _, s := range status {
		if s != 0 {
			failed++
		}
	}
	return failed, first, err
}

// Transform maps each of the n points u of the unit hypercube (n × Dim)
// to θ through each prior's quantile function (param.Space.Transform: the
// map of `cosmoemu fit -sampler nested`) in out. A coordinate outside
// [0, 1] is an error naming it.
func (l *Likelihood) Transform(u []float64, n int, out []float64) error {
	d := l.space.Dim()
	if n < 0 || len(u) != n*d || len(out) != n*d {
		return fmt.Errorf("%d values for %d points of %d parameters", len(u), n, d)
	}
	for i, v := range u {
		if !(v >= 0 && v <= 1) {
			return fmt.Errorf("point %d: the unit-cube coordinate of %s is %v, outside [0, 1]", i/d, l.space.Param(i%d).Name, v)
		}
	}
	for i := range n {
		l.space.Transform(out[i*d:(i+1)*d], u[i*d:(i+1)*d])
	}
	return nil
}

// TimeLogPost returns the mean time of LogPost for the one point theta
// over reps calls made from Go: what a foreign caller's call overhead is
// measured against, in the same process and at the same moment.
func (l *Likelihood) TimeLogPost(theta []float64, reps int) (time.Duration, error) {
	out := make([]float64, 1)
	if err := l.LogPost(theta, 1, out, nil); err != nil {
		return 0, err
	}
	start := time.Now()
	for range reps {
		_ = l.LogPost(theta, 1, out, nil)
	}
	return time.Since(start) / time.Duration(max(reps, 1)), nil
}
