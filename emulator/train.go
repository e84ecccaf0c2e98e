package emulator

// Training: Train (the late universe of a model without a closed form) and
// TrainEarly (the early universe) draw a space-filling design over the
// domain, compute the targets with the solver or the exact early universe
// on all cores, fit the networks and return the emulator, ready to be
// written with WriteFile.
//
// The same settings and seed give the same bytes, whatever the number of
// workers: the design is a seeded sequence, every target is computed and
// stored by index, and package nn and the fits here sum in a fixed order.

import (
	"context"
	"encoding/json"
	"fmt"
	"math"

	"github.com/cosmoemu/cosmoemu/internal/cheb"

	"gonum.org/v1/gonum/mat"

	"github.com/cosmoemu/cosmoemu/backend"
	"github.com/cosmoemu/cosmoemu/cosmo"
)

// TrainSettings configure Train. A nil *TrainSettings, and every zero field, means
// the default.
type TrainSettings struct {
	Seed uint64 // seeds the design and the networks' initialization; default 1
	// Points is the number of design points of the early-universe
	// network; default 8000.
	Points int
	// DEPoints is the number of design points of the early-universe
	// emulator's dark-energy tier (six inputs); default 2·Points. DEWidth
	// is the width of its hidden layers; default 64.
	DEPoints, DEWidth int
	// LatePoints is the number of design points (Ωm, λ) of the scalar
	// field's late-time networks, each solved at three radiation
	// densities; default 9000.
	LatePoints int
	// Width is the number of units of each of the two hidden layers of
	// the early-universe network (default 32), LateWidth that of the
	// scalar field's late-time networks (default 64). Multiples of 32 suit
	// the nn package's kernels best.
	Width, LateWidth int
	Epochs           int // Adam epochs before the variable projection; default 200
	// Iterations bounds the L-BFGS iterations of the variable projection
	// of each network; default 3000 (1500 for the early universe).
	Iterations int
	// Validate is the number of random points at which the trained
	// emulator is compared with the solver or the exact early universe,
	// the summary being stored in the file; default 300, negative for
	// none.
	Validate int
	// Workers is the number of goroutines; 0 means GOMAXPROCS. Results do
	// not depend on it.
	Workers int
	// Progress, if not nil, is called with the stage ("cmb data",
	// "late varpro", …), the step, the number of steps and, for fits, the
	// loss (NaN otherwise). It is called from one goroutine at a time.
	Progress func(stage string, step, steps int, loss float64)
}

// Limits of the settings.
const (
	maxPoints = 200000
	maxWidth  = 256
	maxIter   = 100000
	maxEpochs = 100000
)

func (s *TrainSettings) withDefaults() (TrainSettings, error) {
	var d TrainSettings
	if s != nil {
		d = *s
	}
	def := func(v *int, x int) {
		if *v == 0 {
			*v = x
		}
	}
	if d.Seed == 0 {
		d.Seed = 1
	}
	def(&d.Points, 8000)
	def(&d.DEPoints, min(2*d.Points, MaxTrainPoints))
	def(&d.DEWidth, 64)
	def(&d.LatePoints, 9000)
	def(&d.Width, 32)
	def(&d.LateWidth, 64)
	def(&d.Epochs, 200)
	def(&d.Iterations, 3000)
	def(&d.Validate, 300)
	for _, c := range []struct {
		name     string
		v        int
		min, max int
	}{
		{"Points", d.Points, MinTrainPoints, MaxTrainPoints},
		{"DEPoints", d.DEPoints, MinTrainPoints, MaxTrainPoints},
		{"LatePoints", d.LatePoints, MinTrainPoints, MaxTrainPoints},
		{"Width", d.Width, MinTrainWidth, MaxTrainWidth},
		{"DEWidth", d.DEWidth, MinTrainWidth, MaxTrainWidth},
		{"LateWidth", d.LateWidth, MinTrainWidth, MaxTrainWidth},
	} {
		if c.v < c.min || c.v > c.max {
			return d, fmt.Errorf("emulator: %s = %d, want %d … %d", c.name, c.v, c.min, c.max)
		}
	}
	switch {
	case d.Epochs < 0 || d.Epochs > maxEpochs:
		return d, fmt.Errorf("emulator: Epochs = %d, want 0 … %d", d.Epochs, maxEpochs)
	case d.Iterations < 1 || d.Iterations > maxIter:
		return d, fmt.Errorf("emulator: Iterations = %d, want 1 … %d", d.Iterations, maxIter)
	case d.Validate > maxPoints:
		return d, fmt.Errorf("emulator: Validate = %d, want ≤ %d", d.Validate, maxPoints)
	case d.Workers < 0:
		return d, fmt.Errorf("emulator: Workers = %d, want ≥ 0", d.Workers)
	}
	return d, nil
}

// TrainingRecord is what the file stores about the training.
type TrainingRecord struct {
	Seed      uint64                  `json:"seed"`
	Generator string                  `json:"generator"` // "solver" or "exact early universe"
	Design    string                  `json:"design"`
	Padding   float64                 `json:"padding"`
	Width     int                     `json:"width"`
	LateWidth int                     `json:"late_width,omitempty"`
	Epochs    int                     `json:"adam_epochs"`
	Networks  map[string]*NetTraining `json:"networks"`
}

// NetTraining describes one network's training.
type NetTraining struct {
	Points     int     `json:"points"`
	Loss       float64 `json:"loss"`
	Iterations int     `json:"iterations"`
	Status     string  `json:"status"`
	Restarts   int     `json:"restarts,omitempty"` // of L-BFGS after a failed line search
	Params     int     `json:"parameters"`
}

// Model-specific limits (measured: docs/emulators.md).
const (
	// padding widens the training box beyond the domain on every side
	// where the model stays defined, as a fraction of each width, so that
	// no point of the domain lies at the edge of the data.
	padding = 0.04
	// curvedMinE2 keeps the domain of a curved model away from universes
	// that nearly stop expanding.
	curvedMinE2 = 0.25
	// limitMargin is the distance kept from the largest value of a field's
	// parameter for which the field exists (λ_max(Ωm) of the thawing
	// field).
	limitMargin = 0.3
)

// domain returns the domain of model m: the emulator boxes its parameters
// declare (param.Param.EmuBox).
func domain(m *cosmo.Model) (Domain, error) {
	d := Domain{Model: m.Name()}
	for _, name := range domainParams(m) {
		p, _ := m.Param(name)
		if p.EmuBox == [2]float64{} {
			return d, fmt.Errorf("emulator: model %s: parameter %s declares no emulator box", m.Name(), p.Name)
		}
		d.Params = append(d.Params, p.Name)
		d.Min = append(d.Min, p.EmuBox[0])
		d.Max = append(d.Max, p.EmuBox[1])
	}
	if m.Curved() {
		d.MinE2 = curvedMinE2
	}
	return d, d.check(m)
}

// box returns the range of the parameter called name in the domain being
// trained: its emulator box (param.Param.EmuBox), or less for a growth
// emulator (cosmo.Model.GrowthBoxes).
func (t *trainer) box(name string) [2]float64 {
	lo, hi, ok := t.dom.Range(name)
	if !ok {
		p, _ := t.m.Param(name)
		return p.EmuBox
	}
	return [2]float64{lo, hi}
}

// Train trains the emulator of the late universe of the model called
// model, which must have no closed form (the scalar field): a model with
// one needs no emulator (DefaultModel), and its early universe is the
// early-universe emulator's (TrainEarly).
func Train(ctx context.Context, model string, s *TrainSettings) (*Model, error) {
	m, err := cosmo.Lookup(model)
	if err != nil {
		return nil, fmt.Errorf("emulator: %w", err)
	}
	if m.ClosedForm() {
		return nil, fmt.Errorf("emulator: model %s has a closed form, which its emulator evaluates directly: there is nothing to train (the early universe's emulator is trained with TrainEarly)", m.Name())
	}
	set, err := s.withDefaults()
	if err != nil {
		return nil, err
	}
	dom, err := domain(m)
	if err != nil {
		return nil, err
	}
	t := newTrainer(m, set, dom, "solver")
	if err := t.limitTable(ctx); err != nil {
		return nil, err
	}
	spec := ModelSpec{Model: m.Name(), Domain: t.dom}
	if spec.Late, err = t.trainLate(ctx); err != nil {
		return nil, err
	}
	if spec.Training, err = json.Marshal(t.rec); err != nil {
		return nil, err
	}
	e, err := NewModel(spec)
	if err != nil {
		return nil, fmt.Errorf("emulator: %w", err)
	}
	if set.Validate > 0 {
		v, err := Validate(ctx, e, backend.Solver{}, set.validation())
		if err != nil {
			return nil, err
		}
		if e.valid, err = json.Marshal(v.Summary()); err != nil {
			return nil, err
		}
	}
	return e, nil
}

// validation returns the settings of the validation that ends a training.
func (s *TrainSettings) validation() *ValidateSettings {
	return &ValidateSettings{Points: s.Validate, Seed: s.Seed, Workers: s.Workers}
}

// report calls Progress, if set.
func (s *TrainSettings) report(stage string, step, steps int, loss float64) {
	if s.Progress != nil {
		s.Progress(stage, step, steps, loss)
	}
}

// fit returns the settings of the fit of the network called name, of the
// given width and ridge (fitSettings.ridge).
func (s *TrainSettings) fit(name string, width int, ridge float64) fitSettings {
	return fitSettings{name: name, width: width, epochs: s.Epochs, iterations: s.Iterations,
		seed: s.Seed, workers: s.Workers, progress: s.Progress, ridge: ridge}
}

// add records the training of the network n called name on the given
// number of points.
func (r *TrainingRecord) add(name string, points int, n *Net, res *fitResult) {
	r.Networks[name] = &NetTraining{Points: points, Loss: res.Loss, Iterations: res.Iterations, Status: res.Status, Restarts: res.Restarts, Params: n.Net.NumParams()}
}

// trainer trains the networks of one model on its domain: the late-time
// emulator (Train) and the growth emulator (TrainGrowth).
type trainer struct {
	m   *cosmo.Model
	s   TrainSettings
	dom Domain
	rec *TrainingRecord
}

// newTrainer returns the trainer of model m, its record saying that the
// targets come from generator.
func newTrainer(m *cosmo.Model, set TrainSettings, dom Domain, generator string) *trainer {
	return &trainer{m: m, s: set, dom: dom, rec: &TrainingRecord{Seed: set.Seed, Design: "Owen-scrambled Halton (gonum samplemv)", Padding: padding,
		LateWidth: set.LateWidth, Epochs: set.Epochs, Networks: map[string]*NetTraining{}, Generator: generator}}
}

// fitSettings returns the settings of the fit of a network of the model:
// LateWidth units, ridgeLate.
func (t *trainer) fitSettings(name string) fitSettings {
	return t.s.fit(name, t.s.LateWidth, ridgeLate)
}

// padded returns the training interval of the parameter called name: its
// range in the domain (box) widened by padding on each side where the
// parameter's range allows (points the model refuses are dropped later).
func (t *trainer) padded(name string) (float64, float64) {
	p, _ := t.m.Param(name)
	b := t.box(name)
	w := padding * (b[1] - b[0])
	lo, hi := b[0], b[1]
	if p.Allowed(lo - w) {
		lo -= w
	}
	if p.Allowed(hi + w) {
		hi += w
	}
	return lo, hi
}

// lnOmRange returns the training interval of ln Ωm: the padded box in
// ln Ωm.
func (t *trainer) lnOmRange() (float64, float64) {
	b := t.box(cosmo.NameOm)
	lo, hi := math.Log(b[0]), math.Log(b[1])
	w := padding * (hi - lo)
	return lo - w, hi + w
}

// lateNodes returns the nodes of the scalar field's late-time grid.
func lateNodes(l *Late) []float64 {
	return append([]float64(nil), cheb.New(math.Log1p(l.ZMax), l.Panels, l.PerPanel).Nodes()...)
}

// radiationU are the values of u at which the late-time targets are
// computed (the Chebyshev points of degree 2), and the quadratic through
// them is what the networks learn.
var radiationU = [3]float64{-math.Sqrt(3) / 2, 0, math.Sqrt(3) / 2}

// h0OfU returns the H0 at which the point p (Σmν, N_eff) has the
// radiation coordinate u for the emulator radiation range [lo, hi]
// (Model.U).
func h0OfU(u, lo, hi float64, p *cosmo.Params) float64 {
	or := (lo+hi)/2 + u*(hi-lo)/2
	q := *p
	q.H0 = 100
	return 100 * math.Sqrt(q.OmegaRToday()/or)
}

// quadraticInU turns values at radiationU into coefficients of 1, u, u².
func quadraticInU(dst []float64, vm, v0, vp float64, k, cols int) {
	c := radiationU[2]
	dst[k] = v0
	dst[cols+k] = (vp - vm) / (2 * c)
	dst[2*cols+k] = (vp + vm - 2*v0) / (2 * c * c)
}

// matrix builds a Dense from rows.
func matrix(rows [][]float64) *mat.Dense {
	m := mat.NewDense(len(rows), len(rows[0]), nil)
	for i, r := range rows {
		m.SetRow(i, r)
	}
	return m
}
