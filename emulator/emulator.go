// Package emulator is the Friedmann emulator: neural networks trained on RK45
// solutions that give the density parameters Ω_r, Ω_m, Ω_Λ and the Hubble
// rate H of flat ΛCDM as functions of the e-fold time N = ln a, Ω_m0 and H0.
//
// Two recipes make models:
//
//   - "default", designed for accuracy and speed. Ω_i(N) and E = H/H0 do not
//     depend on H0, so H = H0·E(N; Ω_m0) exactly, and networks need only
//     Ω_m0 as input. One pass of a small tanh network gives ln E at all
//     nodes N_k of a uniform grid, a second network gives Ω_r and Ω_m there
//     (Ω_Λ = 1 − Ω_r − Ω_m), and a not-a-knot cubic spline in N interpolates
//     between nodes. Targets are standardized per node, so that late times,
//     which data constrain, weigh as much as early ones. Because the output
//     layer and the spline are both linear, a Query for fixed redshifts
//     folds them into one small matrix: H at the 31 cosmic-chronometer
//     redshifts costs one hidden layer, one matrix–vector product and 31
//     exponentials.
//   - "paper", the recipe of Rojas Olvera, Gómez-Vargas & Vázquez (2022):
//     one network (N, Ω_m0, H0) → (Ω_m, Ω_r, Ω_Λ, H) per point, 4×150
//     sigmoid layers, outputs min-max scaled to [0, 1].
//
// Models are saved in a versioned binary file (docs/model-format.md) and
// loaded with Load; Default returns the trained default model embedded in
// the package. Predictions outside the training domain return a
// *DomainError, unless the model was made WithFallback, in which case the
// RK45 solver answers them.
package emulator

import (
	"errors"
	"fmt"
	"math"

	"github.com/cosmoemu/cosmoemu/friedmann"
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

// Domain is the box of parameters a model was trained on.
type Domain struct {
	Om0 [2]float64 `json:"Om0"` // [min, max] of Ω_m0
	H0  [2]float64 `json:"H0"`  // [min, max] of H0 in km/s/Mpc
	N   [2]float64 `json:"N"`   // [min, max] of N = ln a
}

// DomainError reports a prediction asked for outside the training domain.
type DomainError struct {
	Param    string // "Om0", "H0", "N" or "z"
	Value    float64
	Min, Max float64
}

func (e *DomainError) Error() string {
	return fmt.Sprintf("emulator: %s = %v is outside the training domain [%v, %v] (the emulator does not extrapolate; use the solver, or a model made WithFallback)", e.Param, e.Value, e.Min, e.Max)
}

func (d Domain) checkTheta(om0, h0 float64) error {
	if !(om0 >= d.Om0[0] && om0 <= d.Om0[1]) {
		return &DomainError{Param: "Om0", Value: om0, Min: d.Om0[0], Max: d.Om0[1]}
	}
	if !(h0 >= d.H0[0] && h0 <= d.H0[1]) {
		return &DomainError{Param: "H0", Value: h0, Min: d.H0[0], Max: d.H0[1]}
	}
	return nil
}

func (d Domain) checkN(n float64) error {
	if !(n >= d.N[0] && n <= d.N[1]) {
		return &DomainError{Param: "N", Value: n, Min: d.N[0], Max: d.N[1]}
	}
	return nil
}

// Contains reports whether (N, Ω_m0, H0) lies in the domain.
func (d Domain) Contains(n, om0, h0 float64) bool {
	return d.checkTheta(om0, h0) == nil && d.checkN(n) == nil
}

// TrainingInfo records how a model was trained.
type TrainingInfo struct {
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

// curveNet maps Ω_m0 to a vector of values at the nodes.
type curveNet struct {
	net *nn.Network
	in  nn.Scaler // Ω_m0 → network input
	out nn.Scaler // network output → physical values
}

// Model is a trained Friedmann emulator. It is immutable and safe for
// concurrent use; Queries made from it are not.
type Model struct {
	recipe     string
	desc       string
	or0        float64
	domain     Domain
	training   TrainingInfo
	validation *Report

	// default recipe
	nodes  []float64
	spline *uniformSpline
	lnE    curveNet // Ω_m0 → ln E(N_k)
	omega  curveNet // Ω_m0 → (Ω_r(N_k), Ω_m(N_k))
	// late times, z ≤ LateZ: Ω_m0 → E(N_k) itself at the nodes lateNodes,
	// so that H = H0·E there needs no exponential (nil in files without it)
	late       *curveNet
	lateNodes  []float64
	lateSpline *uniformSpline

	// paper recipe: (N, Ω_m0, H0) → (Ω_m, Ω_r, Ω_Λ, H)
	point curveNet

	fallback *solver.Settings // non-nil: out-of-domain points go to the solver
}

// Recipe returns the model's recipe, RecipeDefault or RecipePaper.
func (m *Model) Recipe() string { return m.recipe }

// Domain returns the training domain.
func (m *Model) Domain() Domain { return m.domain }

// OmegaR0 returns the present radiation density the model was trained with.
func (m *Model) OmegaR0() float64 { return m.or0 }

// Training returns how the model was trained.
func (m *Model) Training() TrainingInfo { return m.training }

// Validation returns the validation report stored with the model, or nil.
func (m *Model) Validation() *Report { return m.validation }

// Description returns the model's one-line description.
func (m *Model) Description() string { return m.desc }

// Nodes returns a copy of the N nodes of a default-recipe model (nil for the
// paper recipe).
func (m *Model) Nodes() []float64 { return append([]float64(nil), m.nodes...) }

// NumParams returns the number of trainable parameters of each network.
func (m *Model) NumParams() map[string]int {
	p := map[string]int{}
	for name, c := range m.nets() {
		p[name] = c.net.NumParams()
	}
	return p
}

func (m *Model) nets() map[string]*curveNet {
	if m.recipe == RecipePaper {
		return map[string]*curveNet{"point": &m.point}
	}
	nets := map[string]*curveNet{"lnE": &m.lnE, "omega": &m.omega}
	if m.late != nil {
		nets["E_late"] = m.late
	}
	return nets
}

// isLate reports whether H at N comes from the late-time network.
func (m *Model) isLate(n float64) bool {
	return m.late != nil && n >= m.lateNodes[0]
}

// WithFallback returns a copy of m that answers points outside the training
// domain with the RK45 solver (settings s; nil means rtol 1e-10) instead of
// returning a *DomainError. Ω_m0 must still be a valid density and H0
// positive.
func (m *Model) WithFallback(s *solver.Settings) *Model {
	c := *m
	set := solver.Settings{RTol: 1e-10, ATol: 1e-12, Dense: solver.Order5}
	if s != nil {
		set = *s
	}
	c.fallback = &set
	return &c
}

// workspace holds the buffers of one curve evaluation.
type workspace struct {
	x            [3]float64
	lnEWS, omWS  *nn.Workspace
	pointWS      *nn.Workspace
	lnE, omega   []float64 // physical node values: K, 2K
	mLnE, mR, mM []float64 // spline second derivatives
	lateWS       *nn.Workspace
	late, mLate  []float64 // E at the late nodes and its spline
	out          []float64
	lastOm0      float64        // Ω_m0 of the node values held, NaN if none
	fallback     *solver.Solver // made on first use
	solution     []float64      // the fallback's rows
}

func (m *Model) newWorkspace() *workspace {
	ws := &workspace{lastOm0: math.NaN()}
	if m.recipe == RecipePaper {
		ws.pointWS = m.point.net.NewWorkspace()
		ws.out = make([]float64, 4)
		return ws
	}
	k := len(m.nodes)
	ws.lnEWS = m.lnE.net.NewWorkspace()
	ws.omWS = m.omega.net.NewWorkspace()
	ws.lnE = make([]float64, k)
	ws.omega = make([]float64, 2*k)
	ws.mLnE = make([]float64, k)
	ws.mR = make([]float64, k)
	ws.mM = make([]float64, k)
	if m.late != nil {
		ws.lateWS = m.late.net.NewWorkspace()
		ws.late = make([]float64, len(m.lateNodes))
		ws.mLate = make([]float64, len(m.lateNodes))
	}
	return ws
}

// nodesFor evaluates the default recipe's networks at Ω_m0 and fits the
// splines, unless they already hold that Ω_m0.
func (m *Model) nodesFor(ws *workspace, om0 float64) {
	if om0 == ws.lastOm0 {
		return
	}
	k := len(m.nodes)
	x := ws.x[:1]
	x[0] = om0
	m.lnE.in.TransformRow(x, x)
	ws.lnEWS.Forward(ws.lnE, x)
	m.lnE.out.InverseRow(ws.lnE, ws.lnE)
	x[0] = om0
	m.omega.in.TransformRow(x, x)
	ws.omWS.Forward(ws.omega, x)
	m.omega.out.InverseRow(ws.omega, ws.omega)
	m.spline.fit(ws.mLnE, ws.lnE)
	m.spline.fit(ws.mR, ws.omega[:k])
	m.spline.fit(ws.mM, ws.omega[k:])
	if m.late != nil {
		x[0] = om0
		m.late.in.TransformRow(x, x)
		ws.lateWS.Forward(ws.late, x)
		m.late.out.InverseRow(ws.late, ws.late)
		m.lateSpline.fit(ws.mLate, ws.late)
	}
	ws.lastOm0 = om0
}

// evalPoint computes one point in the domain (checked by the caller).
func (m *Model) evalPoint(ws *workspace, n, om0, h0 float64) Point {
	if m.recipe == RecipePaper {
		ws.x = [3]float64{n, om0, h0}
		x := ws.x[:]
		if m.point.in != nil {
			m.point.in.TransformRow(x, x)
		}
		ws.pointWS.Forward(ws.out, x)
		m.point.out.InverseRow(ws.out, ws.out)
		// The paper's output order is Ω_m, Ω_r, Ω_Λ, H.
		return normalized(ws.out[1], ws.out[0], ws.out[2], ws.out[3])
	}
	m.nodesFor(ws, om0)
	k := len(m.nodes)
	s := m.spline
	or := s.eval(ws.omega[:k], ws.mR, n)
	om := s.eval(ws.omega[k:], ws.mM, n)
	var h float64
	if m.isLate(n) {
		h = h0 * m.lateSpline.eval(ws.late, ws.mLate, n)
	} else {
		h = h0 * math.Exp(s.eval(ws.lnE, ws.mLnE, n))
	}
	return normalized(or, om, 1-or-om, h)
}

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
func (m *Model) Predict(n, om0, h0 float64) (Point, error) {
	var p [1]Point
	if err := m.Curve(p[:], []float64{n}, om0, h0); err != nil {
		return Point{}, err
	}
	return p[0], nil
}

// PointError reports the failure of one point of PredictPoints.
type PointError struct {
	Index int // position of the point in the input
	Err   error
}

func (e *PointError) Error() string { return fmt.Sprintf("point %d: %v", e.Index, e.Err) }
func (e *PointError) Unwrap() error { return e.Err }

// PredictPoints writes the emulator's answers at the points (n[i], om0[i],
// h0[i]) to dst. Consecutive points with the same Ω_m0 share one pass of the
// networks, so rows grouped by parameter point are fastest. A failure is a
// *PointError naming the point.
func (m *Model) PredictPoints(dst []Point, n, om0, h0 []float64) error {
	if len(dst) != len(n) || len(om0) != len(n) || len(h0) != len(n) {
		panic("emulator: PredictPoints: slices of different lengths")
	}
	ws := m.newWorkspace()
	for i := range n {
		if err := m.curve(ws, dst[i:i+1], n[i:i+1], om0[i], h0[i]); err != nil {
			return &PointError{Index: i, Err: err}
		}
	}
	return nil
}

// Curve writes the emulator's Ω_i and H at the times ns for one (Ω_m0, H0) to
// dst (len(dst) = len(ns)). For the default recipe it costs one pass of the
// networks whatever the number of times.
func (m *Model) Curve(dst []Point, ns []float64, om0, h0 float64) error {
	if len(dst) != len(ns) {
		panic(fmt.Sprintf("emulator: Curve: len(dst) = %d, len(ns) = %d", len(dst), len(ns)))
	}
	return m.curve(m.newWorkspace(), dst, ns, om0, h0)
}

func (m *Model) curve(ws *workspace, dst []Point, ns []float64, om0, h0 float64) error {
	if err := m.domain.checkTheta(om0, h0); err != nil {
		if m.fallback == nil {
			return err
		}
		return m.solve(ws, dst, ns, om0, h0)
	}
	for _, n := range ns {
		if err := m.domain.checkN(n); err != nil {
			if m.fallback == nil {
				return err
			}
			return m.solve(ws, dst, ns, om0, h0)
		}
	}
	for i, n := range ns {
		dst[i] = m.evalPoint(ws, n, om0, h0)
	}
	return nil
}

// solve answers a curve with the RK45 solver: one integration from N = 0
// to all the times.
func (m *Model) solve(ws *workspace, dst []Point, ns []float64, om0, h0 float64) error {
	model, err := friedmann.LCDMRadiation(om0, m.or0, h0)
	if err != nil {
		return err
	}
	d := model.Dim()
	if ws.fallback == nil {
		if ws.fallback, err = solver.New(d, m.fallback); err != nil {
			return err
		}
	}
	if cap(ws.solution) < len(ns)*d {
		ws.solution = make([]float64, len(ns)*d)
	}
	sol := ws.solution[:len(ns)*d]
	y0 := model.InitialState(nil)
	if _, err := ws.fallback.SolveAt(sol, model.Derivs, 0, y0, ns); err != nil {
		return fmt.Errorf("emulator: solver fallback at Om0 = %g, H0 = %g: %w", om0, h0, err)
	}
	for i := range ns {
		y := sol[i*d : (i+1)*d]
		dst[i] = Point{OmegaR: y[0], OmegaM: y[1], OmegaL: y[2], H: h0 * math.Exp(y[3]-y0[3])}
	}
	return nil
}

// errNoModel reports an unusable Model value.
var errNoModel = errors.New("emulator: model not trained or loaded")
