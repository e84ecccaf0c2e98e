package cosmo

import (
	"github.com/cosmoemu/cosmoemu/friedmann"
	"github.com/cosmoemu/cosmoemu/param"
)

// DarkEnergy is a model's dark energy. It declares its own parameters,
// says which of their values are physical, and describes itself in one of
// two ways, which the backends ask for:
//
//   - as a fluid with an equation of state w(a) (Fluid), which the solver
//     integrates in the Ω_i system; when its density has a closed form as
//     well (ClosedFluid), the closed-form backend and the emulators use it;
//   - by its equations of motion (Field), which only the solver's shooting
//     integrates.
//
// Nothing outside a dark energy's own file switches on what kind it is: a
// new dark energy is one new type (see the package example).
type DarkEnergy interface {
	// Params declares the dark energy's own parameters (names, labels,
	// default priors, physical ranges, fiducial values, emulator boxes),
	// in the order of their values in Params.DE; at most MaxDEParams.
	Params() []param.Param
	// Check returns a *PointError (its Model left empty) when the point
	// does not describe physical dark energy beyond the ranges of Params,
	// e.g. dark energy that is not subdominant at early times. The point's
	// parameters are inside their ranges when Check is called.
	Check(p *Params) error
}

// Fluid is dark energy with an equation of state w(a) = p/ρ.
type Fluid interface {
	DarkEnergy
	// W returns w at the scale factor a ∈ [0, 1] for the values v of the
	// parameters; at a = 0 its early-time limit.
	W(a float64, v Values) float64
}

// ClosedFluid is a Fluid whose density has a closed form.
type ClosedFluid interface {
	Fluid
	// LnDensity returns ln(ρ_DE/ρ_DE0) = 3∫_a^1 (1 + w(a'))da'/a' at the
	// redshift with x = ln(1+z) and c = z/(1+z) = 1 − a (callers on a fixed
	// grid of redshifts compute both once).
	LnDensity(x, c float64, v Values) float64
	// Constant reports whether the density is constant at v (w = −1 at
	// all times), so that backends can skip the exponentials.
	Constant(v Values) bool
}

// DensityVector is implemented by a ClosedFluid that computes
// LnDensity for many redshifts at once faster than one call per redshift
// (the built-in fluids, whose exponent is linear in x and c). Backends use
// it when it is there.
type DensityVector interface {
	// LnDensities writes LnDensity(x_i, c_i, v) to dst.
	LnDensities(dst, x, c []float64, v Values)
}

// Field is dark energy described by its equations of motion: a scalar
// field in the variables of friedmann.FieldSystem, at rest at an early
// time, whose initial potential the solver finds by shooting so that Ω_φ
// today is 1 − Ωm − Ω_r.
type Field interface {
	DarkEnergy
	// Setup prepares sys for the values v.
	Setup(sys *friedmann.FieldSystem, v Values)
	// GuessShift returns the shift of ln y_i from the frozen-field guess
	// at the start of the shooting for Ωm = om: a rolling field needs more
	// potential energy. It only saves search steps.
	GuessShift(v Values, om float64) float64
}
