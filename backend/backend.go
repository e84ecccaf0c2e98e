// Package backend computes the expansion rate H(z) of flat ΛCDM for
// parameter points θ = (Ω_m0, H0) at fixed redshifts, the query a likelihood
// makes at every step of a sampler. Three backends answer it:
//
//	Analytic  the closed form H = H0 sqrt(Ω_r0(1+z)⁴ + Ω_m0(1+z)³ + Ω_Λ0)
//	Solver    the RK45 solver integrating the Ω_i' system from z = 0
//	Emulator  the Friedmann neural-network emulator (package emulator)
//
// Each backend is a likelihood.Backend: it makes likelihood.Models for
// given redshifts, which do the redshift work once so that Hubble only does
// what depends on θ. Models are not safe for concurrent use, so each
// goroutine makes its own; all three also evaluate many points at once
// (likelihood.BatchModel).
package backend

import (
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/mat"

	"github.com/cosmoemu/cosmoemu/emulator"
	"github.com/cosmoemu/cosmoemu/friedmann"
	"github.com/cosmoemu/cosmoemu/likelihood"
	"github.com/cosmoemu/cosmoemu/solver"
)

// Parameter names of θ, in order.
var ParamNames = []string{"Om0", "H0"}

var (
	_ likelihood.Backend = Analytic{}
	_ likelihood.Backend = Solver{}
	_ likelihood.Backend = Emulator{}
	_ likelihood.Bounded = Emulator{}
)

// New returns the backend named "analytic", "solver" or "emulator". The
// solver uses settings s (nil: rtol 1e-8) and the emulator the model m (nil:
// the embedded default).
func New(name string, s *solver.Settings, m *emulator.Model) (likelihood.Backend, error) {
	switch name {
	case "analytic":
		return Analytic{}, nil
	case "solver":
		return Solver{Settings: s}, nil
	case "emulator":
		if m == nil {
			var err error
			if m, err = emulator.Default(); err != nil {
				return nil, err
			}
		}
		return Emulator{Model: m}, nil
	}
	return nil, fmt.Errorf("backend: unknown backend %q (want analytic, solver or emulator)", name)
}

// checkZ validates redshifts.
func checkZ(z []float64) error {
	if len(z) == 0 {
		return fmt.Errorf("backend: no redshifts")
	}
	for i, v := range z {
		if !(v >= 0) || math.IsInf(v, 0) {
			return fmt.Errorf("backend: redshift z[%d] = %v must be finite and ≥ 0", i, v)
		}
	}
	return nil
}

// checkTheta validates θ = (Ω_m0, H0) for flat ΛCDM with Ω_r0 = 1e-4
// without allocating unless it fails.
func checkTheta(dst, theta []float64, n int) error {
	if len(theta) != 2 {
		panic(fmt.Sprintf("backend: θ has %d parameters, want 2 (Om0, H0)", len(theta)))
	}
	if len(dst) != n {
		panic(fmt.Sprintf("backend: len(dst) = %d, want %d redshifts", len(dst), n))
	}
	return friedmann.CheckLCDM(theta[0], friedmann.DefaultOmegaR0, theta[1])
}

// Analytic is the closed-form backend.
type Analytic struct{}

// Name returns "analytic".
func (Analytic) Name() string { return "analytic" }

// NewModel returns the closed form at the redshifts z.
func (Analytic) NewModel(z []float64) (likelihood.Model, error) {
	if err := checkZ(z); err != nil {
		return nil, err
	}
	m := &analyticModel{x3: make([]float64, len(z)), x4: make([]float64, len(z))}
	for i, v := range z {
		a := 1 + v
		m.x3[i] = a * a * a
		m.x4[i] = m.x3[i] * a
	}
	return m, nil
}

type analyticModel struct {
	x3, x4 []float64 // (1+z)³ and (1+z)⁴
}

// Hubble writes H(z_i) = H0 sqrt(Ω_r0(1+z)⁴ + Ω_m0(1+z)³ + Ω_Λ0).
func (m *analyticModel) Hubble(dst, theta []float64) error {
	if err := checkTheta(dst, theta, len(m.x3)); err != nil {
		return err
	}
	om0, h0 := theta[0], theta[1]
	or0 := friedmann.DefaultOmegaR0
	ol0 := 1 - om0 - or0
	x4 := m.x4[:len(m.x3)]
	dst = dst[:len(m.x3)]
	for i, x3 := range m.x3 {
		dst[i] = h0 * math.Sqrt(or0*x4[i]+om0*x3+ol0)
	}
	return nil
}

// HubbleBatch evaluates the rows of thetas (Ω_m0, H0) into the rows of dst.
func (m *analyticModel) HubbleBatch(dst, thetas *mat.Dense) error {
	return batch(m, dst, thetas)
}

// batch evaluates one point at a time.
func batch(m likelihood.Model, dst, thetas *mat.Dense) error {
	r, c := thetas.Dims()
	if c != 2 {
		panic(fmt.Sprintf("backend: θ matrix has %d columns, want 2", c))
	}
	for i := range r {
		if err := m.Hubble(dst.RawRowView(i), thetas.RawRowView(i)); err != nil {
			return fmt.Errorf("point %d: %w", i, err)
		}
	}
	return nil
}

// Solver is the RK45 backend: for each θ it integrates the Ω_i' and ln H
// system from N = 0 back to the largest redshift, with dense output at the
// others.
type Solver struct {
	// Settings of the solver; nil means RTol 1e-8, ATol 1e-10.
	Settings *solver.Settings
}

// Name returns "solver".
func (Solver) Name() string { return "solver" }

// NewModel returns the solver at the redshifts z.
func (s Solver) NewModel(z []float64) (likelihood.Model, error) {
	if err := checkZ(z); err != nil {
		return nil, err
	}
	set := solver.Settings{RTol: 1e-8, ATol: 1e-10}
	if s.Settings != nil {
		set = *s.Settings
	}
	// The derivatives of the Ω_i' system depend only on the γ_i: any ΛCDM
	// model gives them, and θ enters through the initial state alone.
	ref, err := friedmann.LCDM(0.3, 70)
	if err != nil {
		return nil, err
	}
	sv, err := solver.New(ref.Dim(), &set)
	if err != nil {
		return nil, err
	}
	m := &solverModel{
		sv:     sv,
		derivs: ref.Derivs,
		order:  make([]int, len(z)),
		ns:     make([]float64, len(z)),
		sol:    make([]float64, len(z)*ref.Dim()),
		y0:     make([]float64, ref.Dim()),
	}
	for i := range m.order {
		m.order[i] = i
	}
	// Integration order: increasing z, decreasing N.
	sort.SliceStable(m.order, func(a, b int) bool { return z[m.order[a]] < z[m.order[b]] })
	for k, i := range m.order {
		m.ns[k] = friedmann.NOfZ(z[i])
	}
	return m, nil
}

type solverModel struct {
	sv     *solver.Solver
	derivs solver.Func
	order  []int     // order[k] = index in z of the k-th redshift integrated
	ns     []float64 // N of the redshifts in integration order
	sol    []float64
	y0     []float64
}

// Hubble solves the model for θ and writes H at the redshifts.
func (m *solverModel) Hubble(dst, theta []float64) error {
	if err := checkTheta(dst, theta, len(m.ns)); err != nil {
		return err
	}
	om0, h0 := theta[0], theta[1]
	if err := friedmann.LCDMState(m.y0, om0, friedmann.DefaultOmegaR0, h0); err != nil {
		return err
	}
	if _, err := m.sv.Solve(m.sol, m.derivs, 0, m.y0, m.ns); err != nil {
		return fmt.Errorf("backend: solver at Om0 = %g, H0 = %g: %w", om0, h0, err)
	}
	for k, i := range m.order {
		dst[i] = h0 * math.Exp(m.sol[4*k+3]-m.y0[3])
	}
	return nil
}

// HubbleBatch evaluates the rows of thetas (Ω_m0, H0) into the rows of dst.
func (m *solverModel) HubbleBatch(dst, thetas *mat.Dense) error {
	return batch(m, dst, thetas)
}

// Emulator is the neural-network backend: an emulator.Query per Model. Its
// Domain is the emulator's training box, so that a posterior refuses a prior
// that would make it extrapolate.
type Emulator struct {
	Model *emulator.Model // nil means the embedded default model
}

func (e Emulator) model() (*emulator.Model, error) {
	if e.Model != nil {
		return e.Model, nil
	}
	return emulator.Default()
}

// Name returns "emulator".
func (Emulator) Name() string { return "emulator" }

// NewModel returns an emulator query at the redshifts z.
func (e Emulator) NewModel(z []float64) (likelihood.Model, error) {
	if err := checkZ(z); err != nil {
		return nil, err
	}
	m, err := e.model()
	if err != nil {
		return nil, err
	}
	return m.NewQuery(z)
}

// Domain returns the emulator's training box in (Ω_m0, H0).
func (e Emulator) Domain() (lo, hi []float64) {
	m, err := e.model()
	if err != nil {
		// An empty box: any prior is refused, and NewModel reports why.
		return []float64{math.Inf(1), math.Inf(1)}, []float64{math.Inf(-1), math.Inf(-1)}
	}
	d := m.Domain()
	return []float64{d.Om0[0], d.H0[0]}, []float64{d.Om0[1], d.H0[1]}
}
