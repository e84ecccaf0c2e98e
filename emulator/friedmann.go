// The paper's Friedmann emulator. Two recipes make models:
//
//   - "default", designed for accuracy and speed. Ω_i(N) and E = H/H0 do not
//     depend on H0, so H = H0·E(N; Ω_m0) exactly, and networks need only
//     Ω_m0 as input. One pass of a small tanh network gives ln E at all
//     nodes N_k of a uniform grid, a second network gives Ω_r and Ω_m there
//     (Ω_Λ = 1 − Ω_r − Ω_m), and a not-a-knot cubic spline in N interpolates
//     between nodes. Targets are standardized per node, so that late times,
//     which data constrain, weigh as much as early ones. Because the output
//     layer and the spline are both linear, a Query for fixed redshifts
//     folds them into one small matrix. A third network gives E itself at
//     the nodes of z ≤ LateZ, so that H at the 31 cosmic-chronometer
//     redshifts costs one hidden layer and one matrix–vector product, and
//     beyond one exponential per redshift.
//   - "paper", the recipe of Rojas Olvera, Gómez-Vargas & Vázquez (2022):
//     one network (N, Ω_m0, H0) → (Ω_m, Ω_r, Ω_Λ, H) per point, 4×150
//     sigmoid layers, outputs min-max scaled to [0, 1].
//
// Package paper/friedmann makes them from a training set. Predictions
// outside the training domain return a *DomainError, unless the model was
// made WithFallback, in which case the RK45 solver answers them.

package emulator

import (
	"errors"
	"fmt"
	"math"

	"github.com/cosmoemu/cosmoemu/friedmann"
	"github.com/cosmoemu/cosmoemu/internal/modelfile"
	"github.com/cosmoemu/cosmoemu/nn"
	"github.com/cosmoemu/cosmoemu/solver"
)

// Recipe names.
const (
	RecipeDefault = "default"
	RecipePaper   = "paper"
)

// LateZ is the redshift up to which the default recipe's late-time network
// gives E = H/H0 directly: the range of H(z) data.
const LateZ = 3

// friedmannModel names the paper's Friedmann emulator in errors.
const friedmannModel = "friedmann"

// FriedmannDomain is the box of parameters a Friedmann emulator was
// trained on.
type FriedmannDomain struct {
	Om0 [2]float64 `json:"Om0"` // [min, max] of Ω_m0
	H0  [2]float64 `json:"H0"`  // [min, max] of H0 in km/s/Mpc
	N   [2]float64 `json:"N"`   // [min, max] of N = ln a
}

func (d FriedmannDomain) checkTheta(om0, h0 float64) error {
	if !(om0 >= d.Om0[0] && om0 <= d.Om0[1]) {
		return &DomainError{Model: friedmannModel, Param: "Om0", Value: om0, Min: d.Om0[0], Max: d.Om0[1]}
	}
	if !(h0 >= d.H0[0] && h0 <= d.H0[1]) {
		return &DomainError{Model: friedmannModel, Param: "H0", Value: h0, Min: d.H0[0], Max: d.H0[1]}
	}
	return nil
}

func (d FriedmannDomain) checkN(n float64) error {
	if !(n >= d.N[0] && n <= d.N[1]) {
		return &DomainError{Model: friedmannModel, Param: "N", Value: n, Min: d.N[0], Max: d.N[1]}
	}
	return nil
}

// Contains reports whether (N, Ω_m0, H0) lies in the domain.
func (d FriedmannDomain) Contains(n, om0, h0 float64) bool {
	return d.checkTheta(om0, h0) == nil && d.checkN(n) == nil
}

// FriedmannTraining records how a model was trained.
type FriedmannTraining struct {
	Seed         uint64             `json:"seed"`
	Grid         string             `json:"grid"` // the training grid's axes
	GridRows     int                `json:"grid_rows"`
	Samples      int                `json:"samples"` // training examples
	Validation   int                `json:"validation_samples"`
	Optimizer    string             `json:"optimizer"`
	Epochs       int                `json:"epochs"`
	BatchSize    int                `json:"batch_size"`
	LearningRate float64            `json:"learning_rate"`
	LBFGSIters   int                `json:"lbfgs_iterations,omitempty"`
	TrainLoss    map[string]float64 `json:"train_loss"`      // final MSE per network on scaled outputs
	ValLoss      map[string]float64 `json:"validation_loss"` // same on the validation split
	Params       map[string]int     `json:"parameters"`      // trainable parameters per network
}

// Point is the emulator's answer at one (N, Ω_m0, H0).
type Point struct {
	OmegaR, OmegaM, OmegaL float64 // density parameters, ≥ 0, summing to 1
	H                      float64 // Hubble rate in km/s/Mpc
}

// FriedmannNet is a trained network with the affine maps of its inputs and
// outputs: physical inputs → In → Net → inverse of Out → physical outputs.
// A nil scaler is the identity.
type FriedmannNet struct {
	Net     *nn.Network
	In, Out nn.Scaler
}

// FriedmannCurves are the networks of a default-recipe model: functions of Ω_m0
// alone whose outputs are values at uniform nodes in N, joined by a
// not-a-knot cubic spline.
type FriedmannCurves struct {
	Nodes []float64    // uniform N nodes covering the domain, at least 4
	LnE   FriedmannNet // Ω_m0 → ln E(N_k), one output per node
	Omega FriedmannNet // Ω_m0 → (Ω_r(N_k), Ω_m(N_k)), Ω_r at all nodes first

	// Optional: E itself at uniform nodes that end at the domain's last N,
	// so that H at late times needs no exponential. Both or neither.
	LateNodes []float64
	Late      *FriedmannNet
}

// FriedmannParts are what a model is made of. Exactly one of Curves (the default
// recipe) and Point (the paper recipe) is set.
type FriedmannParts struct {
	Description string
	OmegaR0     float64 // the radiation density the training solutions used
	Domain      FriedmannDomain
	Training    FriedmannTraining
	Validation  *FriedmannReport // may be nil

	Curves *FriedmannCurves
	// Point maps (N, Ω_m0, H0) to (Ω_m, Ω_r, Ω_Λ, H).
	Point *FriedmannNet
}

// Friedmann is a trained Friedmann emulator. It is immutable and safe for
// concurrent use; Queries made from it are not.
type Friedmann struct {
	desc       string
	or0        float64
	domain     FriedmannDomain
	training   FriedmannTraining
	validation *FriedmannReport
	kind       kind

	fallback *solver.Settings // non-nil: out-of-domain points go to the solver
}

// kind is the runtime half of a recipe: the networks a model holds and how
// they answer inside the domain.
type kind interface {
	recipe() string
	// nets returns the networks in the order of the model file.
	nets() []namedNet
	// newEvaluator returns an evaluator with its own buffers.
	newEvaluator() evaluator
	// encode adds the recipe's arrays to e and its fields to h.
	encode(e *modelfile.Encoder, h *friedmannHeader)
}

// evaluator computes points inside the domain. It is not safe for
// concurrent use.
type evaluator interface {
	eval(n, om0, h0 float64) Point
}

// namedNet is a network as a model file names it and its inputs and outputs.
type namedNet struct {
	name            string
	net             *FriedmannNet
	inputs, outputs []string
}

// NewFriedmann checks the parts and returns their model. The model keeps the
// networks and scalers, which must not be changed afterwards.
func NewFriedmann(p FriedmannParts) (*Friedmann, error) {
	m, err := assembleFriedmann(p)
	if err != nil {
		return nil, fmt.Errorf("emulator: %w", err)
	}
	return m, nil
}

// assembleFriedmann is New with errors that do not name the package, for decode.
func assembleFriedmann(p FriedmannParts) (*Friedmann, error) {
	if err := checkFriedmannDomain(p.Domain, p.OmegaR0); err != nil {
		return nil, err
	}
	m := &Friedmann{desc: p.Description, or0: p.OmegaR0, domain: p.Domain, training: p.Training, validation: p.Validation}
	var err error
	switch {
	case p.Curves != nil && p.Point == nil:
		m.kind, err = newCurves(*p.Curves, p.Domain)
	case p.Point != nil && p.Curves == nil:
		m.kind, err = newPoint(*p.Point)
	default:
		err = errors.New("exactly one of Curves and Point must be set")
	}
	if err != nil {
		return nil, err
	}
	return m, nil
}

// Recipe returns the model's recipe, RecipeDefault or RecipePaper.
func (m *Friedmann) Recipe() string { return m.kind.recipe() }

// Domain returns the training domain.
func (m *Friedmann) Domain() FriedmannDomain { return m.domain }

// OmegaR0 returns the present radiation density the model was trained with.
func (m *Friedmann) OmegaR0() float64 { return m.or0 }

// Training returns how the model was trained.
func (m *Friedmann) Training() FriedmannTraining { return m.training }

// Validation returns the validation report stored with the model, or nil.
func (m *Friedmann) Validation() *FriedmannReport { return m.validation }

// Description returns the model's one-line description.
func (m *Friedmann) Description() string { return m.desc }

// Nodes returns a copy of the N nodes of a default-recipe model (nil for the
// paper recipe).
func (m *Friedmann) Nodes() []float64 {
	if c, ok := m.kind.(*friedmannCurves); ok {
		return append([]float64(nil), c.nodes...)
	}
	return nil
}

// NumParams returns the number of trainable parameters of each network.
func (m *Friedmann) NumParams() map[string]int {
	p := map[string]int{}
	for _, n := range m.kind.nets() {
		p[n.name] = n.net.Net.NumParams()
	}
	return p
}

// WithFallback returns a copy of m that answers points outside the training
// domain with the RK45 solver (settings s; nil means rtol 1e-10) instead of
// returning a *DomainError. Ω_m0 must still be a valid density and H0
// positive.
func (m *Friedmann) WithFallback(s *solver.Settings) *Friedmann {
	c := *m
	set := referenceSettings
	if s != nil {
		set = *s
	}
	c.fallback = &set
	return &c
}

// workspace holds the buffers of curve evaluations: the recipe's evaluator
// and the fallback solver's.
type workspace struct {
	ev       evaluator
	fallback *solver.Solver // made on first use
	solution []float64      // the fallback's rows
}

func (m *Friedmann) newWorkspace() *workspace { return &workspace{ev: m.kind.newEvaluator()} }

// normalized clips the density parameters at zero and scales them to sum to
// one: networks and splines are accurate to about 1e-5, and Ω_Λ at early
// times is far smaller than that.
func normalized(or, om, ol, h float64) Point {
	or, om, ol = max(or, 0), max(om, 0), max(ol, 0)
	s := or + om + ol
	if s > 0 {
		or, om, ol = or/s, om/s, ol/s
	}
	return Point{OmegaR: or, OmegaM: om, OmegaL: ol, H: h}
}

// Predict returns the emulator's Ω_i and H at one (N, Ω_m0, H0).
func (m *Friedmann) Predict(n, om0, h0 float64) (Point, error) {
	var p [1]Point
	if err := m.Curve(p[:], []float64{n}, om0, h0); err != nil {
		return Point{}, err
	}
	return p[0], nil
}

// FriedmannPointError reports the failure of one point of PredictPoints.
type FriedmannPointError struct {
	Index int // position of the point in the input
	Err   error
}

func (e *FriedmannPointError) Error() string { return fmt.Sprintf("point %d: %v", e.Index, e.Err) }
func (e *FriedmannPointError) Unwrap() error { return e.Err }

// PredictPoints writes the emulator's answers at the points (n[i], om0[i],
// h0[i]) to dst. Consecutive points with the same Ω_m0 share one pass of the
// networks, so rows grouped by parameter point are fastest. A failure is a
// *PointError naming the point.
func (m *Friedmann) PredictPoints(dst []Point, n, om0, h0 []float64) error {
	if len(dst) != len(n) || len(om0) != len(n) || len(h0) != len(n) {
		panic("emulator: PredictPoints: slices of different lengths")
	}
	ws := m.newWorkspace()
	for i := range n {
		if err := m.curve(ws, dst[i:i+1], n[i:i+1], om0[i], h0[i]); err != nil {
			return &FriedmannPointError{Index: i, Err: err}
		}
	}
	return nil
}

// Curve writes the emulator's Ω_i and H at the times ns for one (Ω_m0, H0) to
// dst (len(dst) = len(ns)). For the default recipe it costs one pass of the
// networks whatever the number of times.
func (m *Friedmann) Curve(dst []Point, ns []float64, om0, h0 float64) error {
	if len(dst) != len(ns) {
		panic(fmt.Sprintf("emulator: Curve: len(dst) = %d, len(ns) = %d", len(dst), len(ns)))
	}
	return m.curve(m.newWorkspace(), dst, ns, om0, h0)
}

func (m *Friedmann) curve(ws *workspace, dst []Point, ns []float64, om0, h0 float64) error {
	if err := m.domain.checkTheta(om0, h0); err != nil {
		if m.fallback == nil {
			return err
		}
		return m.solve(ws, m.fallback, dst, ns, om0, h0)
	}
	for _, n := range ns {
		if err := m.domain.checkN(n); err != nil {
			if m.fallback == nil {
				return err
			}
			return m.solve(ws, m.fallback, dst, ns, om0, h0)
		}
	}
	for i, n := range ns {
		dst[i] = ws.ev.eval(n, om0, h0)
	}
	return checkFinite(dst, ns, om0, h0)
}

// checkFinite returns an error for the first point of dst whose H is not a
// finite positive number: H0 large enough to overflow, or a model file
// whose networks overflow.
func checkFinite(dst []Point, ns []float64, om0, h0 float64) error {
	for i, p := range dst {
		if !(p.H > 0) || math.IsInf(p.H, 1) {
			return fmt.Errorf("emulator: H = %v at N = %v, Om0 = %v, H0 = %v is not a finite positive number", p.H, ns[i], om0, h0)
		}
	}
	return nil
}

// referenceSettings are the solver settings of Solve and of the default
// fallback: accurate to about 1e-10, far below the emulator's errors.
var referenceSettings = solver.Settings{RTol: 1e-10, ATol: 1e-12, Dense: solver.Order5}

// Solve writes to dst (len(dst) = len(ns)) the RK45 solution of flat ΛCDM
// with the model's Ω_r0 at the times ns, at relative tolerance 1e-10: what
// the model emulates, to compare with it. Any Ω_m0 and H0 of a valid
// model are accepted, in the domain or not.
func (m *Friedmann) Solve(dst []Point, ns []float64, om0, h0 float64) error {
	if len(dst) != len(ns) {
		panic(fmt.Sprintf("emulator: Solve: len(dst) = %d, len(ns) = %d", len(dst), len(ns)))
	}
	return m.solve(&workspace{}, &referenceSettings, dst, ns, om0, h0)
}

// solve answers a curve with the RK45 solver with settings s: one
// integration from N = 0 to all the times. ws keeps the solver, made on
// first use with s.
func (m *Friedmann) solve(ws *workspace, s *solver.Settings, dst []Point, ns []float64, om0, h0 float64) error {
	model, err := friedmann.LCDMRadiation(om0, m.or0, h0)
	if err != nil {
		return err
	}
	d := model.Dim()
	if ws.fallback == nil {
		if ws.fallback, err = solver.New(d, s); err != nil {
			return err
		}
	}
	if cap(ws.solution) < len(ns)*d {
		ws.solution = make([]float64, len(ns)*d)
	}
	sol := ws.solution[:len(ns)*d]
	y0 := model.InitialState(nil)
	if _, err := ws.fallback.SolveAt(sol, model.Derivs, 0, y0, ns); err != nil {
		return fmt.Errorf("emulator: solving Om0 = %g, H0 = %g: %w", om0, h0, err)
	}
	for i := range ns {
		y := sol[i*d : (i+1)*d]
		dst[i] = Point{OmegaR: y[friedmann.IndexRadiation], OmegaM: y[friedmann.IndexMatter], OmegaL: y[friedmann.IndexLambda], H: friedmann.LCDMHubble(y, y0, h0)}
	}
	return checkFinite(dst, ns, om0, h0)
}
