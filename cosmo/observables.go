package cosmo

import (
	"fmt"
	"math"
)

// A Request is what a likelihood (or a user) needs computed at every
// parameter point: E and D_M at fixed redshifts, and optionally the CMB
// scalars, w(z) and ages. Backends do the redshift-only work once, when they
// make an Evaluator for a Request.
type Request struct {
	// Z are the redshifts (≥ 0, any order, repeats allowed) at which E(z)
	// is computed, and D_M(z) if Distances is set.
	Z []float64
	// Distances asks for D_M at Z as well as E (H(z) data need only E,
	// which costs far less).
	Distances bool
	// CMB asks for z*, r_s(z*) and D_M(z*); the point must have ombh2.
	CMB bool
	// Drag asks for z_drag and r_d; the point must have ombh2.
	Drag bool
	// W asks for the dark-energy equation of state w(z) at Z.
	W bool
	// Age asks for the age of the universe and the lookback times at Z.
	Age bool
	// Growth asks for the linear growth at Z: D(z)/D(0) and f(z) (see
	// Result.DRatio), and D(0).
	Growth bool
}

// Validate checks the redshifts.
func (r *Request) Validate() error {
	for i, z := range r.Z {
		if !(z >= 0) || math.IsInf(z, 0) {
			return fmt.Errorf("cosmo: redshift %d = %v must be finite and ≥ 0", i+1, z)
		}
	}
	if len(r.Z) == 0 && !r.CMB && !r.Drag && !r.Age {
		return fmt.Errorf("cosmo: empty request: no redshifts and no scalars")
	}
	return nil
}

// MaxZ returns the largest redshift of the request (0 if none).
func (r *Request) MaxZ() float64 {
	m := 0.0
	for _, z := range r.Z {
		m = math.Max(m, z)
	}
	return m
}

// Result holds the observables of one parameter point for a Request. Make
// one with NewResult and reuse it: Evaluators fill it without allocating.
type Result struct {
	H0 float64   // km/s/Mpc, copied from the point
	E  []float64 // E(z) = H(z)/H0 at Request.Z
	// With Request.Distances, at Request.Z, in Mpc:
	DC []float64 // line-of-sight comoving distance D_C(z)
	DM []float64 // comoving transverse distance D_M(z)

	// With Request.CMB or Request.Drag, by the backend's early-universe
	// route: z*, r_s(z*) (Mpc), z_drag, r_d (Mpc) and Y_He.
	Epochs
	// With Request.CMB:
	DMStar float64 // D_M(z*) in Mpc

	// With Request.W:
	W []float64 // dark-energy equation of state at Request.Z

	// With Request.Age:
	Age      float64   // age of the universe t0 in Gyr
	Lookback []float64 // lookback time at Request.Z in Gyr

	// With Request.Growth, the scale-independent linear growth of CDM and
	// baryons (the conventions are in growth.go of this package):
	DRatio []float64 // D(z)/D(0) at Request.Z
	F      []float64 // f(z) = dln D/dln a at Request.Z
	// D0 is D(z = 0) normalised so that D = a + (2/3)a_eq in the
	// radiation and matter eras: the growth suppression, 0.78 for flat
	// ΛCDM with Ωm = 0.3.
	D0 float64
}

// NewResult returns a Result sized for r.
func NewResult(r Request) *Result {
	n := len(r.Z)
	res := &Result{E: make([]float64, n)}
	if r.Distances {
		res.DC = make([]float64, n)
		res.DM = make([]float64, n)
	}
	if r.W {
		res.W = make([]float64, n)
	}
	if r.Age {
		res.Lookback = make([]float64, n)
	}
	if r.Growth {
		res.DRatio = make([]float64, n)
		res.F = make([]float64, n)
	}
	return res
}

// An Evaluator computes the observables of a Request for parameter points
// of one model. It is not safe for concurrent use: make one per goroutine.
type Evaluator interface {
	// Eval fills dst (made by NewResult for the Evaluator's Request) for
	// the point p. It returns an error, and leaves dst undefined, for a
	// point the model cannot describe or the backend cannot compute.
	Eval(dst *Result, p *Params) error
}

// A Backend computes observables: the closed form with quadrature, the RK45
// solver or an emulator.
type Backend interface {
	// Name returns "analytic", "solver", "emulator", …
	Name() string
	// NewEvaluator prepares the computation of r for model m. It returns an
	// error if the backend cannot compute m or r.
	NewEvaluator(m *Model, r Request) (Evaluator, error)
}

// GyrPerInvH0 converts 1/H0 with H0 in km/s/Mpc to Gyr: (Mpc/km)/Gyr.
const GyrPerInvH0 = mpcSI / 1e3 / (365.25 * 86400 * 1e9)

// TransverseDistance returns D_M from D_C (both in units of c/H0) for a
// curvature Ωk: sinh for an open universe, sin for a closed one, as
// D_C·S(Ωk D_C²) with S(y) = Σ y^n/(2n+1)! (sinh(x)/x for y = x² > 0,
// sin(x)/x for y = −x²), summed by Horner's rule where 14 terms reach
// rounding (|y| ≤ 4), which avoids the cancellation of sinh(x)/x at small
// x and costs no exponential.
func TransverseDistance(dc, ok float64) float64 {
	if ok == 0 {
		return dc
	}
	y := ok * dc * dc
	if math.Abs(y) > 4 {
		s := math.Sqrt(math.Abs(ok))
		if ok > 0 {
			return math.Sinh(s*dc) / s
		}
		return math.Sin(s*dc) / s
	}
	// Terms to n = 10 reach rounding for |y| ≤ 1.6 (1.6¹¹/23! < 1e-17).
	top := len(sinhcInv) - 1
	if math.Abs(y) <= 1.6 {
		top = 10
	}
	s := 1.0
	for n := top; n >= 1; n-- {
		s = 1 + y*s*sinhcInv[n]
	}
	return dc * s
}

// sinhcInv[n] = 1/((2n)(2n+1)), the ratios of successive terms of S.
var sinhcInv = func() [15]float64 {
	var c [15]float64
	for n := 1; n < len(c); n++ {
		c[n] = 1 / float64((2*n)*(2*n+1))
	}
	return c
}()

// HubbleRate returns H(z) = H0 E(z) in km/s/Mpc.
func (r *Result) HubbleRate(i int) float64 { return r.H0 * r.E[i] }

// DH returns D_H = c/H(z) in Mpc.
func (r *Result) DH(i int) float64 { return C / (r.H0 * r.E[i]) }

// DV returns D_V = (z D_M² D_H)^{1/3} in Mpc at redshift z = Request.Z[i].
func (r *Result) DV(i int, z float64) float64 {
	return math.Cbrt(z * r.DM[i] * r.DM[i] * r.DH(i))
}

// DA returns the angular diameter distance D_M/(1+z) in Mpc.
func (r *Result) DA(i int, z float64) float64 { return r.DM[i] / (1 + z) }

// DL returns the luminosity distance (1+z_hel) D_M(z) in Mpc, with z_hel the
// heliocentric redshift (equal to z when the two are not distinguished).
func (r *Result) DL(i int, zhel float64) float64 { return (1 + zhel) * r.DM[i] }

// Mu returns the distance modulus 5 log10(D_L/Mpc) + 25.
func (r *Result) Mu(i int, zhel float64) float64 { return 5*math.Log10(r.DL(i, zhel)) + 25 }

// ShiftR returns the CMB shift parameter R = √Ωm H0 D_M(z*)/c.
func (r *Result) ShiftR(om float64) float64 { return math.Sqrt(om) * r.H0 * r.DMStar / C }

// AcousticScale returns l_A = π D_M(z*)/r_s(z*).
func (r *Result) AcousticScale() float64 { return math.Pi * r.DMStar / r.RsStar }

// ThetaStar returns θ* = r_s(z*)/D_M(z*) (radians; CAMB's thetastar is
// 100θ*).
func (r *Result) ThetaStar() float64 { return r.RsStar / r.DMStar }
