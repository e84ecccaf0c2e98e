package friedmann

import "math"

// The generalised Ω_i system. The paper's system (Universe.Derivs) carries the
// density parameters and ln H. To compute distances and the sound horizon
// along the same integration, FluidSystem and FieldSystem add four
// quantities, all functions of N = ln a with ' = d/dN:
//
//	a' = a                              the scale factor itself, so that the
//	                                    right-hand sides need no exponential
//	u' = u(3Π/2 − 2)                    u = H_ref/(a²H), since (ln H)' = −3Π/2;
//	                                    of order one at all times (1/√Ω_r
//	                                    in the radiation era), so that its
//	                                    relative error is controlled
//	χ' = ∓a u                           comoving distance in units of c/H_ref
//	s' = ∓a u/√(3(1 + R a))             comoving sound horizon, c_s = c/√(3(1+R_b)),
//	                                    R_b = R·a with R = 3ω_b/(4ω_γ)
//	t' = ∓a² u                          cosmic time in units of 1/H_ref
//
// The upper signs are for integrations backwards from N = 0 (FluidSystem:
// χ, s, t then accumulate D_C, the sound horizon and the lookback time
// from today); the lower for forward integrations from an early N
// (FieldSystem). H_ref is H0 for FluidSystem, where u(0) = 1, and the
// initial H for FieldSystem, which callers rescale at the end.

// Positions of the extra quantities after the first k components of the
// state (the density parameters of a FluidSystem, x, y, Ω_r of a
// FieldSystem). Read the state through these names only.
const (
	OffA     = iota // scale factor a
	OffU            // u = H_ref/(a²H)
	OffChi          // comoving distance / (c/H_ref)
	OffSound        // sound horizon / (c/H_ref)
	OffTime         // time / (1/H_ref)
	NumExtra        // number of extra components
)

// A FluidSystem is a flat or curved universe of fluids with barotropic
// indices γ_i(a) = 1 + w_i(a), integrated backwards from N = 0 with the
// first Extra of the extra quantities above (a and u at least; χ for
// distances, s for the sound horizon, t for the time). Its state is
// y = (Ω_1, …, Ω_n, a, u, χ, s, t) truncated to n + Extra components.
// Curvature is the fluid with γ = 2/3. Fluids listed in Varying (dark
// energy with w(a), massive neutrinos) have an index that varies with a.
type FluidSystem struct {
	Gamma   []float64 // constant γ_i; the varying fluids' entries are ignored
	Varying []Varying // fluids whose γ varies with a, in increasing order of Fluid
	R       float64   // 3ω_b/(4ω_γ) for the sound speed; 0 gives c/√3
	Extra   int       // how many extra quantities to carry, 2 … NumExtra
}

// Varying is a fluid of a FluidSystem whose index varies with a.
type Varying struct {
	Fluid int   // its position in Gamma
	Index Index // its γ(a)
}

// An Index gives the barotropic index γ(a) = 1 + w(a) of a fluid.
type Index interface {
	Gamma(a float64) float64
}

// Dim returns the length of the state.
func (s *FluidSystem) Dim() int { return len(s.Gamma) + s.Extra }

// InitialState writes the state at N = 0: Ω_i0, a = 1, u = 1, χ = s = t = 0.
func (s *FluidSystem) InitialState(dst, omega0 []float64) {
	n := len(s.Gamma)
	if len(omega0) != n || len(dst) != s.Dim() || s.Extra < 2 || s.Extra > NumExtra {
		panic("friedmann: FluidSystem.InitialState length mismatch")
	}
	copy(dst, omega0)
	e := dst[n:]
	for i := range e {
		e[i] = 0
	}
	e[OffA], e[OffU] = 1, 1
}

// Derivs is the right-hand side; it does not allocate and calls no
// exponential.
func (s *FluidSystem) Derivs(dst []float64, _ float64, y []float64) {
	g := s.Gamma
	n := len(g)
	y = y[:n+s.Extra]
	dst = dst[:n+s.Extra]
	a := y[n+OffA]
	u := y[n+OffU]
	// The stored γ of the varying fluids are ignored: their indices go to
	// dst first (as scratch), and Π uses them.
	for _, v := range s.Varying {
		dst[v.Fluid] = v.Index.Gamma(a)
	}
	pi := 0.0
	vi := 0
	for i, gi := range g {
		if vi < len(s.Varying) && s.Varying[vi].Fluid == i {
			gi = dst[i]
			vi++
		}
		pi += gi * y[i]
	}
	vi = 0
	for i, gi := range g {
		if vi < len(s.Varying) && s.Varying[vi].Fluid == i {
			gi = dst[i]
			vi++
		}
		dst[i] = 3 * (pi - gi) * y[i]
	}
	au := a * u
	e := dst[n:]
	e[OffA] = a
	e[OffU] = u * (1.5*pi - 2)
	if s.Extra > OffChi {
		e[OffChi] = -au
	}
	if s.Extra > OffSound {
		e[OffSound] = -au / math.Sqrt(3*(1+s.R*a))
	}
	if s.Extra > OffTime {
		e[OffTime] = -a * au
	}
}

// A FieldSystem is the flat universe of matter, radiation, massive
// neutrinos and the scalar field with V ∝ e^{−λκφ} in the variables of
// Rojas Olvera et al. (2022), x = κφ'/√6, y = κ√V/(√3H):
//
//	Ω_m = 1 − x² − y² − Ω_r − Ω_ν,   Π = Ω_m + (4/3)Ω_r + γ_ν(a)Ω_ν + 2x²,
//	x' = −3x + λ√(3/2) y² + (3/2)Πx,
//	y' = −λ√(3/2) xy + (3/2)Πy,
//	Ω_r' = 3(Π − 4/3)Ω_r,   Ω_ν' = 3(Π − γ_ν)Ω_ν,
//
// integrated forwards, with the extra quantities above. Ω_m is the matter
// that scales as a⁻³ (baryons and cold dark matter), Ω_r photons and
// massless neutrinos, Ω_ν the massive neutrinos with index γ_ν(a) = Nu
// (nil: no massive neutrinos; Ω_ν stays 0). Its state is
// y = (x, y, Ω_r, Ω_ν[, a, u, χ, s, t]): the core and a and u (FieldShoot
// components) for the shooting, all with Extra set. The right-hand side of
// χ, s and t takes a = e^N from the time argument rather than from the
// state: the field's solver controls the step size by the first
// FieldShoot components alone (see package backend), which would leave an
// integrated a with an error of 1e-7 over 12 e-folds; γ_ν reads the a of
// the state, whose error is far below what γ_ν resolves.
type FieldSystem struct {
	Lambda float64 // λ
	R      float64 // 3ω_b/(4ω_γ)
	Nu     Index   // γ_ν(a) of the massive neutrinos, or nil
	Extra  bool    // carry χ, s, t
}

// Field state positions.
const (
	FieldX  = 0 // x = κφ'/√6
	FieldY  = 1 // y = κ√V/(√3H)
	FieldOr = 2 // Ω_r
	FieldNu = 3 // Ω_ν
	// FieldCore is the number of field components before the extra ones.
	FieldCore = 4
	// FieldShoot is the dimension of the field with a and u only: the
	// components whose errors control the steps of the field's solves.
	FieldShoot = FieldCore + 2
)

// Dim returns the length of the state.
func (s *FieldSystem) Dim() int {
	if s.Extra {
		return FieldCore + NumExtra
	}
	return FieldShoot
}

// FieldPi returns Π = Ω_m + (4/3)Ω_r + γ_ν Ω_ν + 2x² of a field state:
// the quantity with (ln H)' = −3Π/2.
func FieldPi(x, y, or, onu, gnu float64) float64 {
	return (1 - x*x - y*y - or - onu) + 4.0/3.0*or + gnu*onu + 2*x*x
}

// Derivs is the right-hand side; it does not allocate.
func (s *FieldSystem) Derivs(dst []float64, n float64, st []float64) {
	x, y, or, onu := st[FieldX], st[FieldY], st[FieldOr], st[FieldNu]
	e, d := st[FieldCore:], dst[FieldCore:]
	gnu := 1.0
	if s.Nu != nil {
		gnu = s.Nu.Gamma(e[OffA])
	}
	pi := FieldPi(x, y, or, onu, gnu)
	l := s.Lambda * math.Sqrt(1.5)
	dst[FieldX] = -3*x + l*y*y + 1.5*pi*x
	dst[FieldY] = -l*x*y + 1.5*pi*y
	dst[FieldOr] = 3 * (pi - 4.0/3.0) * or
	dst[FieldNu] = 3 * (pi - gnu) * onu
	d[OffA] = e[OffA]
	d[OffU] = e[OffU] * (1.5*pi - 2)
	if len(dst) == FieldShoot {
		return
	}
	a, u := math.Exp(n), e[OffU]
	au := a * u
	d[OffChi] = au
	d[OffSound] = au / math.Sqrt(3*(1+s.R*a))
	d[OffTime] = a * au
}
