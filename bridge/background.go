package bridge

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/cosmoemu/cosmoemu/backend"
	"github.com/cosmoemu/cosmoemu/cosmo"
	"github.com/cosmoemu/cosmoemu/emulator"
	"github.com/cosmoemu/cosmoemu/fit"
)

// ZColumns are the observables at each redshift that Background.Eval
// computes, in the order of its perZ output, with the names of `cosmoemu
// background -json`: E = H/H0, H [km/s/Mpc], D_C, D_M, D_A, D_L [Mpc], μ
// [mag], D_H = c/H, D_V [Mpc], the dark energy's w, the lookback time
// [Gyr]; then, where the growth is computed (Background.Columns), the
// linear growth (cosmo's conventions): D(z)/D(0), f(z), fσ8(z)/σ8, and
// with sigma8 among the parameters fσ8(z) and σ8(z) (NaN without it).
var ZColumns = []string{"E", "H", "DC", "DM", "DA", "DL", "mu", "DH", "DV", "w", "lookback_Gyr",
	"D_ratio", "f", "fs8_over_s8", "fsigma8", "sigma8_z"}

// ScalarColumns are the quantities of each point that Background.Eval
// computes, in the order of its scalar output, with the names of
// `cosmoemu background -json`: the early universe (z_drag, r_d [Mpc], z*,
// r_s(z*) [Mpc], D_M(z*) [Mpc], 100θ*, the shift parameters R and l_A,
// the helium fraction Y_He) — NaN without ombh2, z_drag with the fitting
// formulas and Y_He where the route gives none — then Ω_ν of the massive
// neutrinos, the age [Gyr] and Ωm (derived from omch2 when the matter is
// given so); then, where the growth is computed, its D0 (D → a in the
// matter era) and, with sigma8, S8 = σ8 (Ωm/0.3)^½.
var ScalarColumns = []string{"zdrag", "rdrag", "zstar", "rs_star", "DM_star", "theta_star_100", "R", "lA", "YHe", "Omega_nu", "age_Gyr", "Om", "D0", "S8"}

// growthZ and growthScalars are how many of the last ZColumns and
// ScalarColumns are the growth's.
const growthZ, growthScalars = 5, 2

// Columns returns the columns this Background's Eval fills: ZColumns and
// ScalarColumns, without the growth's unless it is computed.
func (b *Background) Columns() (z, scalars []string) {
	if b.growth {
		return ZColumns, ScalarColumns
	}
	return ZColumns[:len(ZColumns)-growthZ], ScalarColumns[:len(ScalarColumns)-growthScalars]
}

// BackgroundConfig chooses what a Background computes; the JSON names are
// those of the Python package.
type BackgroundConfig struct {
	Model      string   `json:"model"`       // lcdm, olcdm, wcdm, w0wacdm, quintessence
	Params     []string `json:"params"`      // the columns of the points, in order
	Backend    string   `json:"backend"`     // analytic, solver, emulator; "": the closed form where there is one
	Early      string   `json:"early"`       // exact (the default, as `cosmoemu background`), emulator or fitting
	Emulator   string   `json:"emulator"`    // the emulator's model file; "": the embedded one
	NoFallback bool     `json:"no_fallback"` // the emulator refuses points outside its domain
	RTol       float64  `json:"rtol"`        // the solver's tolerance; 0: its default
	// Growth asks for the linear growth columns, which sigma8 among the
	// parameters asks for too. They cost the growth ODE, 40–80 µs a
	// point for the closed forms against about 1 µs for the rest
	// (BenchmarkBackground10k: 0.64–0.69 s with them, 23 ms without, for
	// 10,000 points × 30 redshifts), so they are not computed unasked.
	Growth bool `json:"growth"`
}

// A Background evaluates `cosmoemu background` for many points: the same
// checks and the same numbers, bit for bit, with one evaluator per
// goroutine that is kept from call to call while the redshifts stay the
// same. It is safe for concurrent use.
type Background struct {
	cfg     BackgroundConfig
	model   *cosmo.Model
	backend cosmo.Backend
	stats   *emulator.Stats // the emulator's fallbacks, or nil
	slots   []cosmo.Slot
	base    cosmo.Params
	ombh2   bool
	// growth is whether the growth columns are computed: asked for, and
	// the backend has it; growthNote says why the backend has none, as in
	// backend.Observe ("" when it does or when not asked).
	growth     bool
	growthNote string

	mu   sync.Mutex
	plan *plan
}

// plan is the computation for one list of redshifts: the request and a
// pool of evaluators for it.
type plan struct {
	z, zhel []float64
	zmax    float64 // the largest of z, for backend.CheckPoint
	req     cosmo.Request
	pool    sync.Pool
}

type bgWorker struct {
	ev  cosmo.Evaluator
	res *cosmo.Result
	p   cosmo.Params // the point, here so that it does not escape per call
}

// NewBackground checks the configuration (model, backend, early universe,
// parameter names) and returns the Background.
func NewBackground(cfg BackgroundConfig) (*Background, error) {
	m, err := cosmo.Lookup(cfg.Model)
	if err != nil {
		return nil, err
	}
	if cfg.Early == "" {
		cfg.Early = "exact"
	}
	early, err := fit.NewEarly(cfg.Early, cfg.NoFallback)
	if err != nil {
		return nil, fmt.Errorf("early: %w", err)
	}
	b, err := fit.NewBackend(cfg.Backend, m, &fit.BackendSettings{SolverRTol: cfg.RTol, EmulatorFile: cfg.Emulator, NoFallback: cfg.NoFallback, Early: early})
	if err != nil {
		return nil, err
	}
	bg := &Background{cfg: cfg, model: m, backend: b, base: m.Defaults()}
	bg.cfg.Backend = b.Name()
	if eb, ok := b.(emulator.Backend); ok {
		bg.stats = eb.Stats
	}
	seen := make(map[string]bool)
	for _, name := range cfg.Params {
		if seen[name] {
			return nil, fmt.Errorf("parameter %s is given twice", name)
		}
		seen[name] = true
		sl, err := m.Slot(name)
		if err != nil {
			return nil, err
		}
		bg.slots = append(bg.slots, sl)
	}
	bg.ombh2 = seen[cosmo.NameOmbh2]
	if cfg.NoFallback && !fit.EmulatesBackground(b, early, bg.ombh2) {
		// A switch that would change nothing is a mistake, as in `cosmoemu background`.
		return nil, fmt.Errorf("no_fallback: no emulator answers (backend %s; the early-universe emulator only with early=\"emulator\" and ombh2): leave it out", b.Name())
	}
	if cfg.Growth || seen[cosmo.NameSigma8] {
		// Whether the backend computes the growth, by backend.Observe's rule.
		if _, _, bg.growthNote, err = backend.NewEvaluator(b, m, cosmo.Request{Z: []float64{1}, Distances: true, Growth: true}); err != nil {
			return nil, err
		}
		bg.growth = bg.growthNote == ""
	}
	if seen[cosmo.NameOm] && seen[cosmo.NameOmch2] {
		return nil, fmt.Errorf("model %s: give the matter as Om or as omch2, not both", m.Name())
	}
	if seen[cosmo.NameOmch2] && !bg.ombh2 {
		return nil, fmt.Errorf("model %s: ω_c (omch2) gives the matter only with ω_b (ombh2)", m.Name())
	}
	for _, name := range m.Params() {
		if !seen[name] && !(name == cosmo.NameOm && seen[cosmo.NameOmch2]) {
			return nil, fmt.Errorf("model %s needs parameter %s (it takes %s, and ombh2, omch2, mnu, nnu)", m.Name(), name, strings.Join(m.Params(), ", "))
		}
	}
	return bg, nil
}

// Info returns the configuration with the backend chosen, and the output
// columns, as JSON.
func (b *Background) Info() ([]byte, error) {
	zc, sc := b.Columns()
	return json.Marshal(map[string]any{
		"config": b.cfg, "z_columns": zc, "scalar_columns": sc,
		"closed_form": b.model.ClosedForm(), "fallbacks": b.Fallbacks(),
		"growth": b.growth, "growth_note": b.growthNote,
	})
}

// Fallbacks returns the evaluations the emulator left to the solver
// (outside its domain), 0 for the other backends.
func (b *Background) Fallbacks() int64 {
	if b.stats == nil {
		return 0
	}
	return b.stats.Fallbacks()
}

// planFor returns the plan of the redshifts z, zhel, reusing the last one
// when they are the same.
func (b *Background) planFor(z, zhel []float64) (*plan, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if p := b.plan; p != nil && slices.Equal(p.z, z) && slices.Equal(p.zhel, zhel) {
		return p, nil
	}
	for i, v := range z {
		if !(v > 0) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("redshift %d = %v must be finite and > 0", i, v)
		}
	}
	for i, v := range zhel {
		if !(v > -1) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("heliocentric redshift %d = %v must be finite and > −1", i, v)
		}
	}
	p := &plan{z: slices.Clone(z), zhel: slices.Clone(zhel)}
	p.req = backend.ObserveRequest(p.z, b.ombh2)
	p.req.Growth = b.growth
	if err := p.req.Validate(); err != nil {
		return nil, err
	}
	p.zmax = p.req.MaxZ()
	w, err := b.newWorker(p)
	if err != nil {
		return nil, err
	}
	p.pool.Put(w)
	b.plan = p
	return p, nil
}

func (b *Background) newWorker(p *plan) (*bgWorker, error) {
	ev, err := b.backend.NewEvaluator(b.model, p.req)
	if err != nil {
		return nil, err
	}
	return &bgWorker{ev: ev, res: cosmo.NewResult(p.req)}, nil
}

// Eval computes the observables of n points, the rows of params (n ×
// len(Params), row-major), at the redshifts z with heliocentric
// redshifts zhel (nil: z). perZ receives a block of n × len(z) values
// for each z column of Columns, scalars a block of n values for each
// scalar column, status
// one code per point: 0 computed, 1 a point the model cannot describe
// (cosmo.PointError), 2 another failure of the backend; a failed point's
// outputs are NaN. It returns the number of failed points and the message
// of the first (by row); err is for input that fits no point (sizes,
// redshifts).
func (b *Background) Eval(params []float64, n int, z, zhel []float64, perZ, scalars []float64, status []int32) (failed int, first string, err error) {
	np, nz := len(b.slots), len(z)
	if zhel == nil {
		zhel = z
	}
	switch {
	case n < 0 || len(params) != n*np:
		return 0, "", fmt.Errorf("%d values for %d points of %d parameters", len(params), n, np)
	case nz == 0:
		return 0, "", errors.New("no redshifts")
	case len(zhel) != nz:
		return 0, "", fmt.Errorf("%d heliocentric redshifts for %d redshifts", len(zhel), nz)
	case len(perZ) != b.nZ()*n*nz || len(scalars) != b.nScalars()*n || len(status) != n:
		return 0, "", errors.New("output arrays of the wrong size")
	}
	if n == 0 {
		return 0, "", nil
	}
	pl, err := b.planFor(z, zhel)
	if err != nil {
		return 0, "", err
	}
	var mu sync.Mutex // guards firstRow and first
	firstRow := n
	err = rows(n, 2, func(lo, hi int) error {
		w, ok := pl.pool.Get().(*bgWorker)
		if !ok {
			var err error
			if w, err = b.newWorker(pl); err != nil {
				return err
			}
		}
		defer pl.pool.Put(w)
		for i := lo; i < hi; i++ {
			perr := b.point(w, pl, params[i*np:(i+1)*np], i, n, perZ, scalars)
			if perr == nil {
				status[i] = 0
				continue
			}
			status[i] = 2
			var pe *cosmo.PointError
			if errors.As(perr, &pe) {
				status[i] = 1
			}
			b.nanPoint(i, n, nz, perZ, scalars)
			mu.Lock()
			if i < firstRow {
				firstRow = i
				first = fmt.Sprintf("point %d (%s): %v", i, b.format(params[i*np:(i+1)*np]), perr)
			}
			mu.Unlock()
		}
		return nil
	})
	if err != nil {
		return 0, "", err
	}
	for _, s := range status {
		if s != 0 {
			failed++
		}
	}
	return failed, first, nil
}

// format writes a row as "Om=0.3, H0=70".
func (b *Background) format(row []float64) string {
	parts := make([]string, len(row))
	for k, v := range row {
		parts[k] = fmt.Sprintf("%s=%g", b.cfg.Params[k], v)
	}
	return strings.Join(parts, ", ")
}

// point computes point i with backend.Observe's checks and arithmetic.
func (b *Background) point(w *bgWorker, pl *plan, row []float64, i, n int, perZ, scalars []float64) error {
	m := b.model
	w.p = b.base
	p := &w.p
	for k, sl := range b.slots {
		p.Set(sl, row[k])
	}
	if err := p.Resolve(); err != nil {
		return err
	}
	if err := backend.CheckPoint(m, p, pl.zmax); err != nil {
		return err
	}
	res := w.res
	if err := w.ev.Eval(res, p); err != nil {
		return err
	}
	nz := len(pl.z)
	col := func(k int) []float64 { return perZ[(k*n+i)*nz : (k*n+i+1)*nz] }
	cE, cH, cDC, cDM, cDA, cDL, cMu, cDH, cDV, cW, cLB := col(0), col(1), col(2), col(3), col(4), col(5), col(6), col(7), col(8), col(9), col(10)
	for j, zj := range pl.z {
		o, err := backend.ObservablesAt(res, m, p, j, zj, pl.zhel[j])
		if err != nil {
			return err
		}
		cE[j], cH[j], cDC[j], cDM[j] = res.E[j], o.H, res.DC[j], res.DM[j]
		cDA[j], cDL[j], cMu[j] = o.DA, o.DL, o.Mu
		cDH[j], cDV[j], cW[j], cLB[j] = o.DH, o.DV, res.W[j], res.Lookback[j]
	}
	nan := math.NaN()
	e := backend.EarlyScalars{ZDrag: nan, Rd: nan, ZStar: nan, RsStar: nan, DMStar: nan, ThetaStar100: nan, R: nan, LA: nan, YHe: nan}
	if p.HasOmbh2 {
		e = backend.EarlyOf(res, p)
	}
	// In the order of ScalarColumns.
	for k, v := range [...]float64{e.ZDrag, e.Rd, e.ZStar, e.RsStar, e.DMStar, e.ThetaStar100, e.R, e.LA, e.YHe,
		p.OmegaNu(), res.Age, p.Om} {
		scalars[k*n+i] = v
	}
	if !pl.req.Growth {
		return nil
	}
	cD, cF, cFS, cFS8, cS8 := col(11), col(12), col(13), col(14), col(15)
	for j := range cFS8 {
		cFS8[j], cS8[j] = nan, nan
	}
	copy(cD, res.DRatio)
	copy(cF, res.F)
	backend.FillGrowth(res, p, cFS, cFS8, cS8)
	s8 := nan
	if p.HasSigma8 {
		s8 = p.S8()
	}
	scalars[12*n+i], scalars[13*n+i] = res.D0, s8
	return nil
}

// nZ and nScalars are how many z and scalar columns Eval fills.
func (b *Background) nZ() int {
	z, _ := b.Columns()
	return len(z)
}

func (b *Background) nScalars() int {
	_, s := b.Columns()
	return len(s)
}

// nanPoint fills the outputs of a failed point i with NaN.
func (b *Background) nanPoint(i, n, nz int, perZ, scalars []float64) {
	nan := math.NaN()
	for k := range b.nZ() {
		for j := range nz {
			perZ[(k*n+i)*nz+j] = nan
		}
	}
	for k := range b.nScalars() {
		scalars[k*n+i] = nan
	}
}
