package growth

import (
	"fmt"
	"math"
)

// Positions in the growth state g = (ln D, f).
const (
	IndexLnD = 0 // ln D
	IndexF   = 1 // f = dlnD/dN
	// Dim is the length of the growth state: the number of components to
	// append to an Ω_i system.
	Dim = 2
)

// StartTol is the largest |Π − (4/3 − Ω_m/3)| that Start accepts: how far
// from a universe of radiation and clustering matter alone the background
// may be where the growing mode starts.
const StartTol = 1e-3

// Derivs writes d/dN of the growth state g = (ln D, f) to dst,
//
//	(ln D)' = f,   f' = (3/2)Ω_m − f(f + 2 − 3Π/2),
//
// given, at the same N, Π = Σ_i γ_i Ω_i (so that dlnH/dN = −3Π/2) and
// Ω_m, the clustering matter's share of the critical density. It is the
// right-hand side to append to an Ω_i system whose state gives Π and Ω_m;
// it does not allocate.
func Derivs(dst, g []float64, pi, omegaM float64) {
	_ = dst[IndexF]
	f := g[IndexF]
	dst[IndexLnD] = f
	dst[IndexF] = 1.5*omegaM - f*(f+2-1.5*pi)
}

// Start writes the growing mode at N, where the background has Π and
// Ω_m, to dst: the Mészáros solution of a universe of radiation and
// clustering matter,
//
//	f = 3Ω_m/(2 + Ω_m),   ln D = N − ln f,
//
// that is D = a + (2/3)a_eq with a_eq the scale factor of matter–radiation
// equality (D = a where there is no radiation). It returns an *Error if Π
// or Ω_m is not finite, Ω_m ∉ (0, 1 + StartTol], or the background is not
// that of radiation and matter alone, |Π − (4/3 − Ω_m/3)| > StartTol: then
// there is no growing mode to start from at N (start earlier, or the
// model's dark energy is not subdominant in the past).
func Start(dst []float64, n, pi, omegaM float64) error {
	_ = dst[IndexF]
	if reason := startReason(pi, omegaM); reason != "" {
		return &Error{Z: zOfN(n), Reason: reason + ": no growing mode to start from"}
	}
	om := math.Min(omegaM, 1)
	f := 3 * om / (2 + om)
	dst[IndexLnD] = n - math.Log(f)
	dst[IndexF] = f
	return nil
}

// startReason returns why no growing mode starts from Π and Ω_m, or "".
func startReason(pi, omegaM float64) string {
	switch {
	case !isFinite(pi) || !isFinite(omegaM):
		return fmt.Sprintf("non-finite background (Π = %v, Ω_m = %v)", pi, omegaM)
	case !(omegaM > 0):
		return fmt.Sprintf("no clustering matter (Ω_m = %v)", omegaM)
	case omegaM > 1+StartTol:
		return fmt.Sprintf("Ω_m = %v > 1 (other components of negative density)", omegaM)
	}
	if r := StartResidual(pi, omegaM); math.Abs(r) > StartTol {
		return fmt.Sprintf("not radiation and clustering matter alone (Π − 4/3 + Ω_m/3 = %.3g)", r)
	}
	return ""
}

// StartResidual returns Π − (4/3 − Ω_m/3): zero where the background is
// radiation and clustering matter alone, as Start assumes. The relative
// error of the growing mode's amplitude (D0) is about as large as this
// residual where it starts; D(z)/D(0) and f are insensitive to it, because
// the part of the error that is not a change of amplitude is a decaying
// mode.
func StartResidual(pi, omegaM float64) float64 { return pi - (4.0/3.0 - omegaM/3) }

// An Error reports why the growth of a background cannot be computed, and
// where.
type Error struct {
	Z      float64 // the redshift where it happened; NaN for bad parameters
	Reason string
}

func (e *Error) Error() string {
	if math.IsNaN(e.Z) {
		return "growth: " + e.Reason
	}
	return fmt.Sprintf("growth: at z = %.6g: %s", e.Z, e.Reason)
}

// A Background is the expansion history that growth is computed for.
// Expansion returns, at e-fold time N = ln a, E² = H²/H0², dlnE/dN and Ω_m,
// the share of the critical density in clustering matter (Ω_m0 e^{−3N}/E²
// when all matter clusters). An Evaluator calls it about a thousand times
// per evaluation (1,100 for ΛCDM at ten redshifts with the default
// settings), so it should not allocate.
type Background interface {
	Expansion(n float64) (e2, dlnE, omegaM float64)
}

// CPL is the closed-form background of radiation, matter, curvature and
// dark energy with w(a) = w0 + wa(1 − a) (Chevallier–Polarski–Linder):
//
//	E²(a) = Ω_r a⁻⁴ + Ω_m a⁻³ + Ω_k a⁻² + Ω_DE a^{−3(1+w0+wa)} e^{−3wa(1−a)},
//
// with Ω_DE = 1 − Ω_m − Ω_r − Ω_k, all the matter clustering and nothing
// else. ΛCDM is W0 = −1, Wa = 0 (oΛCDM with Ok ≠ 0), wCDM is Wa = 0.
type CPL struct {
	Om, Or, Ok float64 // matter, radiation and curvature today
	W0, Wa     float64 // dark-energy equation of state
}

// Expansion implements Background.
func (c *CPL) Expansion(n float64) (e2, dlnE, omegaM float64) {
	a := math.Exp(n)
	ai := 1 / a
	ai2 := ai * ai
	r, m, k := c.Or*ai2*ai2, c.Om*ai2*ai, c.Ok*ai2
	ode := 1 - c.Om - c.Or - c.Ok
	de, gde := ode, 0.0
	if c.W0 != -1 || c.Wa != 0 {
		de = ode * math.Exp(-3*((1+c.W0+c.Wa)*n+c.Wa*(1-a)))
		gde = 1 + c.W0 + c.Wa*(1-a)
	}
	e2 = r + m + k + de
	inv := 1 / e2
	dlnE = -0.5 * (4*r + 3*m + 2*k + 3*gde*de) * inv
	return e2, dlnE, m * inv
}

func isFinite(x float64) bool { return x-x == 0 }

// zOfN returns z = e^{−N} − 1.
func zOfN(n float64) float64 { return math.Expm1(-n) }
