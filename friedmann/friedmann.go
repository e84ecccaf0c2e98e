// Package friedmann describes a spatially flat universe filled with
// barotropic fluids and the equations for its background expansion.
//
// Each fluid i has a constant barotropic index γ_i, its pressure being
// p_i = (γ_i − 1)ρ_i, and a present density parameter Ω_i0 = ρ_i0/ρ_c0. With
// the e-fold time N = ln a = −ln(1+z) and ' = d/dN, the density parameters
// Ω_i = ρ_i/ρ_c evolve as
//
//	Ω_i' = 3(Π − γ_i)Ω_i,   Π = Σ_i γ_i Ω_i,
//
// and the Hubble rate as
//
//	H'/H = (ln H)' = −3Π/2,
//
// subject to the Friedmann constraint Σ_i Ω_i = 1. For constant γ_i the system
// has the closed form (Rojas Olvera, Gómez-Vargas & Vázquez 2022, Eq. 16)
//
//	H²(N)/H0² = Σ_i Ω_i0 e^{−3γ_i N},   Ω_i(N) = Ω_i0 e^{−3γ_i N} H0²/H²(N),
//
// and the deceleration parameter is q = −1 − H'/H = (3Π − 2)/2.
//
// The default universe is the paper's ΛCDM: radiation (γ = 4/3) with
// Ω_r0 = 1e-4, matter (γ = 1) with Ω_m0 and a cosmological constant (γ = 0)
// with Ω_Λ0 = 1 − Ω_r0 − Ω_m0.
package friedmann

import (
	"fmt"
	"math"
)

// Barotropic indices γ = 1 + w of the standard fluids.
const (
	GammaRadiation = 4.0 / 3.0
	GammaMatter    = 1.0
	GammaLambda    = 0.0
	// GammaCurvature is the index of a curvature-like fluid, ρ ∝ a^{−2}.
	GammaCurvature = 2.0 / 3.0
)

// DefaultOmegaR0 is the present radiation density of the default ΛCDM model.
const DefaultOmegaR0 = 1e-4

// FlatnessTol is the largest |Σ_i Ω_i0 − 1| that New accepts.
const FlatnessTol = 1e-10

// Names of the fluids of the ΛCDM model made by LCDM, in order.
const (
	Radiation = "radiation"
	Matter    = "matter"
	Lambda    = "lambda"
)

// A Fluid is a barotropic fluid with constant index γ = 1 + w.
type Fluid struct {
	Name   string
	Gamma  float64 // barotropic index γ, p = (γ − 1)ρ
	Omega0 float64 // present density parameter Ω_0
}

// A Universe is a flat universe: a Hubble constant and a set of fluids whose
// present densities sum to one. Make one with New or LCDM; a Universe is
// immutable and safe for concurrent use.
type Universe struct {
	h0     float64
	fluids []Fluid

	gamma   []float64 // γ_i
	gamma3  []float64 // 3γ_i, for Derivs
	omega0  []float64 // Ω_i0
	lnOmega []float64 // ln Ω_i0 (−Inf for an empty fluid)
}

// ParamError reports a parameter outside its allowed range.
type ParamError struct {
	Param   string  // the parameter's name, e.g. "Om0" or "Omega0[matter]"
	Value   float64 // the offending value
	Allowed string  // the allowed range, e.g. "(0, 0.9999)"
}

func (e *ParamError) Error() string {
	return fmt.Sprintf("friedmann: parameter %s = %v is outside the allowed range %s", e.Param, e.Value, e.Allowed)
}

// FlatnessError reports present densities that do not sum to one.
type FlatnessError struct {
	Sum float64 // Σ_i Ω_i0
}

func (e *FlatnessError) Error() string {
	return fmt.Sprintf("friedmann: present densities sum to %.12g; a flat universe needs Σ Omega0 = 1 within %g", e.Sum, FlatnessTol)
}

// New returns the flat model with Hubble constant h0 (km/s/Mpc) and the given
// fluids. It returns a *ParamError if h0 is not a positive finite number, a
// fluid has a non-finite γ or a negative or non-finite Ω_0, and a
// *FlatnessError if the Ω_0 do not sum to one.
func New(h0 float64, fluids ...Fluid) (*Universe, error) {
	if !(h0 > 0) || math.IsInf(h0, 1) {
		return nil, &ParamError{Param: "H0", Value: h0, Allowed: "(0, +Inf)"}
	}
	if len(fluids) == 0 {
		return nil, fmt.Errorf("friedmann: a model needs at least one fluid")
	}
	m := &Universe{
		h0:      h0,
		fluids:  append([]Fluid(nil), fluids...),
		gamma:   make([]float64, len(fluids)),
		gamma3:  make([]float64, len(fluids)),
		omega0:  make([]float64, len(fluids)),
		lnOmega: make([]float64, len(fluids)),
	}
	sum := 0.0
	for i, f := range fluids {
		if math.IsNaN(f.Gamma) || math.IsInf(f.Gamma, 0) {
			return nil, &ParamError{Param: "Gamma[" + fluidName(f, i) + "]", Value: f.Gamma, Allowed: "a finite number"}
		}
		if !(f.Omega0 >= 0) || math.IsInf(f.Omega0, 1) {
			return nil, &ParamError{Param: "Omega0[" + fluidName(f, i) + "]", Value: f.Omega0, Allowed: "[0, 1]"}
		}
		m.gamma[i] = f.Gamma
		m.gamma3[i] = 3 * f.Gamma
		m.omega0[i] = f.Omega0
		m.lnOmega[i] = math.Log(f.Omega0)
		sum += f.Omega0
	}
	if math.Abs(sum-1) > FlatnessTol {
		return nil, &FlatnessError{Sum: sum}
	}
	return m, nil
}

func fluidName(f Fluid, i int) string {
	if f.Name != "" {
		return f.Name
	}
	return fmt.Sprint(i)
}

// LCDM returns the paper's flat ΛCDM model: radiation with Ω_r0 =
// DefaultOmegaR0, matter with Ω_m0 = om0 and a cosmological constant with
// Ω_Λ0 = 1 − Ω_r0 − Ω_m0, in that order. It returns a *ParamError if om0 is
// not in (0, 1 − Ω_r0) or h0 is not a positive finite number.
func LCDM(om0, h0 float64) (*Universe, error) {
	return LCDMRadiation(om0, DefaultOmegaR0, h0)
}

// LCDMRadiation is LCDM with a given present radiation density or0 ≥ 0.
func LCDMRadiation(om0, or0, h0 float64) (*Universe, error) {
	if err := CheckLCDM(om0, or0, h0); err != nil {
		return nil, err
	}
	return New(h0,
		Fluid{Name: Radiation, Gamma: GammaRadiation, Omega0: or0},
		Fluid{Name: Matter, Gamma: GammaMatter, Omega0: om0},
		Fluid{Name: Lambda, Gamma: GammaLambda, Omega0: 1 - or0 - om0},
	)
}

// CheckLCDM returns a *ParamError if (Ω_m0, Ω_r0, H0) do not make a flat
// ΛCDM model: Ω_r0 ∈ [0, 1), Ω_m0 ∈ (0, 1 − Ω_r0), H0 positive and finite.
// It does not allocate for valid parameters, so that hot loops can check
// without building a Universe.
func CheckLCDM(om0, or0, h0 float64) error {
	if !(or0 >= 0 && or0 < 1) {
		return &ParamError{Param: "Or0", Value: or0, Allowed: "[0, 1)"}
	}
	if !(om0 > 0 && om0 < 1-or0) {
		return &ParamError{Param: "Om0", Value: om0, Allowed: fmt.Sprintf("(0, %g)", 1-or0)}
	}
	if !(h0 > 0) || math.IsInf(h0, 1) {
		return &ParamError{Param: "H0", Value: h0, Allowed: "(0, +Inf)"}
	}
	return nil
}

// LCDMState writes the state at N = 0, y = (Ω_r0, Ω_m0, Ω_Λ0, ln H0), of the
// model LCDMRadiation(om0, or0, h0) to dst without building the model or
// allocating. The Derivs of every ΛCDM model are the same (they depend on
// the γ_i alone), so one Universe and this state serve all parameter points
// of a hot loop.
func LCDMState(dst []float64, om0, or0, h0 float64) error {
	if len(dst) != 4 {
		panic("friedmann: LCDMState destination length mismatch")
	}
	if err := CheckLCDM(om0, or0, h0); err != nil {
		return err
	}
	dst[0], dst[1], dst[2], dst[3] = or0, om0, 1-or0-om0, math.Log(h0)
	return nil
}

// Positions in the state y = (Ω_r, Ω_m, Ω_Λ, ln H) of the ΛCDM models made
// by LCDM and LCDMRadiation (and written by LCDMState). Read states through
// these names, or HubbleOf for any model.
const (
	IndexRadiation = 0
	IndexMatter    = 1
	IndexLambda    = 2
	IndexLnH       = 3
)

// LCDMHubble returns H in km/s/Mpc of a ΛCDM state y solved from the initial
// state y0 of Hubble constant h0: h0·e^{ln H − ln H0}, which is exactly h0
// at y0 (e^{ln h0} need not round to h0).
func LCDMHubble(y, y0 []float64, h0 float64) float64 {
	return h0 * math.Exp(y[IndexLnH]-y0[IndexLnH])
}

// HubbleOf returns H in km/s/Mpc of a state y of the model's system
// (Derivs), exactly H0 at the initial state.
func (m *Universe) HubbleOf(y []float64) float64 {
	n := len(m.gamma)
	return m.h0 * math.Exp(y[n]-math.Log(m.h0))
}

// H0 returns the Hubble constant in km/s/Mpc.
func (m *Universe) H0() float64 { return m.h0 }

// NumFluids returns the number of fluids.
func (m *Universe) NumFluids() int { return len(m.fluids) }

// Fluids returns a copy of the model's fluids.
func (m *Universe) Fluids() []Fluid { return append([]Fluid(nil), m.fluids...) }

// Index returns the position of the fluid with the given name, or −1.
func (m *Universe) Index(name string) int {
	for i, f := range m.fluids {
		if f.Name == name {
			return i
		}
	}
	return -1
}

// NOfZ returns the e-fold time N = ln a = −ln(1 + z) of redshift z.
func NOfZ(z float64) float64 { return -math.Log1p(z) }

// ZOfN returns the redshift z = e^{−N} − 1 of e-fold time N.
func ZOfN(n float64) float64 { return math.Expm1(-n) }

// LnE2 returns ln(H²/H0²) = ln Σ_i Ω_i0 e^{−3γ_i N}, computed as a
// log-sum-exp so that it neither overflows nor underflows for any N.
func (m *Universe) LnE2(n float64) float64 {
	mx := math.Inf(-1)
	for i, g := range m.gamma {
		if v := m.lnOmega[i] - 3*g*n; v > mx {
			mx = v
		}
	}
	s := 0.0
	for i, g := range m.gamma {
		s += math.Exp(m.lnOmega[i] - 3*g*n - mx)
	}
	return mx + math.Log(s)
}

// E returns the normalized expansion rate E(N) = H(N)/H0 of the closed form.
func (m *Universe) E(n float64) float64 { return math.Exp(0.5 * m.LnE2(n)) }

// H returns the Hubble rate H(N) in km/s/Mpc of the closed form.
func (m *Universe) H(n float64) float64 { return m.h0 * m.E(n) }

// HZ returns the Hubble rate at redshift z in km/s/Mpc.
func (m *Universe) HZ(z float64) float64 { return m.H(NOfZ(z)) }

// Omegas writes the density parameters Ω_i(N) = Ω_i0 e^{−3γ_i N}/E²(N) of
// the closed form to dst and returns it. If dst is nil a new slice is made;
// otherwise it must have length NumFluids.
func (m *Universe) Omegas(dst []float64, n float64) []float64 {
	if dst == nil {
		dst = make([]float64, len(m.gamma))
	}
	if len(dst) != len(m.gamma) {
		panic("friedmann: Omegas destination length mismatch")
	}
	lnE2 := m.LnE2(n)
	for i, g := range m.gamma {
		dst[i] = math.Exp(m.lnOmega[i] - 3*g*n - lnE2)
	}
	return dst
}

// Pi returns Π(N) = Σ_i γ_i Ω_i(N) of the closed form.
func (m *Universe) Pi(n float64) float64 {
	lnE2 := m.LnE2(n)
	pi := 0.0
	for i, g := range m.gamma {
		pi += g * math.Exp(m.lnOmega[i]-3*g*n-lnE2)
	}
	return pi
}

// Decel returns the deceleration parameter q(N) = (3Π − 2)/2 of the closed
// form.
func (m *Universe) Decel(n float64) float64 { return Deceleration(m.Pi(n)) }

// Deceleration returns q = −1 − H'/H = (3Π − 2)/2 for a given Π.
func Deceleration(pi float64) float64 { return (3*pi - 2) / 2 }

// Dim returns the length of the ODE state y = (Ω_1, …, Ω_n, ln H).
func (m *Universe) Dim() int { return len(m.gamma) + 1 }

// InitialState writes the state at N = 0, y = (Ω_10, …, Ω_n0, ln H0), to dst
// and returns it. If dst is nil a new slice is made.
func (m *Universe) InitialState(dst []float64) []float64 {
	if dst == nil {
		dst = make([]float64, m.Dim())
	}
	if len(dst) != m.Dim() {
		panic("friedmann: InitialState destination length mismatch")
	}
	copy(dst, m.omega0)
	dst[len(m.omega0)] = math.Log(m.h0)
	return dst
}

// Derivs writes dy/dN of the state y = (Ω_1, …, Ω_n, ln H) to dst:
//
//	Ω_i' = 3(Π − γ_i)Ω_i,   (ln H)' = −3Π/2,   Π = Σ_i γ_i Ω_i.
//
// The right-hand side does not depend on N; the argument is there so that
// Derivs is a solver.Func. It does not allocate.
func (m *Universe) Derivs(dst []float64, _ float64, y []float64) {
	// With g_i = 3γ_i: Ω_i' = (3Π − g_i)Ω_i and (ln H)' = −3Π/2, which
	// keeps the chain of dependent operations short.
	g := m.gamma3
	n := len(g)
	y = y[:n+1]
	dst = dst[:n+1]
	pi3 := 0.0
	for i, gi := range g {
		pi3 += gi * y[i]
	}
	for i, gi := range g {
		dst[i] = (pi3 - gi) * y[i]
	}
	dst[n] = -0.5 * pi3
}
