package recomb

import (
	"fmt"
	"math"
	"sync"

	"gonum.org/v1/gonum/integrate/quad"
)

// Epochs are the derived quantities of the thermal history, with CAMB's
// definitions (see the package documentation).
type Epochs struct {
	ZStar float64 // redshift where the Thomson optical depth (no reionization) is 1
	ZDrag float64 // redshift where the baryon drag depth is 1
	RStar float64 // comoving sound horizon r_s(z*), Mpc
	RDrag float64 // comoving sound horizon r_s(z_drag), Mpc
}

// ThetaStar returns θ* = r_s(z*)/D_M(z*) in radians for the comoving angular
// diameter (transverse comoving) distance dMStar to z* in Mpc, which the
// caller computes from its own background (it depends on the whole
// late-time expansion and the curvature). CAMB's derived parameter
// "thetastar" is 100 θ*. It returns a *ParamError for dMStar that is not
// finite and positive, and for Epochs without a finite positive RStar.
func (e Epochs) ThetaStar(dMStar float64) (float64, error) {
	if !(dMStar > 0) || math.IsInf(dMStar, 1) {
		return math.NaN(), &ParamError{Param: "D_M(z*)", Value: dMStar, Allowed: "(0, +Inf) Mpc"}
	}
	if !(e.RStar > 0) || math.IsInf(e.RStar, 1) {
		return math.NaN(), &ParamError{Param: "Epochs.RStar", Value: e.RStar, Allowed: "(0, +Inf) Mpc (from a successful Solve)"}
	}
	return e.RStar / dMStar, nil
}

// Epochs returns the epochs of the last Solve (NaN fields if it failed).
func (h *History) Epochs() Epochs {
	if !h.ok {
		nan := math.NaN()
		return Epochs{nan, nan, nan, nan}
	}
	return h.epochs
}

// Gauss–Legendre rules on [0, 1] for the sound horizon, from gonum.
var (
	glOnce               sync.Once
	glX, glW, glX8, glW8 []float64
)

// soundNodes is the number of Gauss–Legendre nodes of the sound-horizon
// integral from a = 0 to a*; the integrand is analytic there (radiation
// makes a²H finite at a = 0), and 32 nodes reach 1e-12 (TestSoundHorizonConvergence).
const soundNodes = 32

func glRules() {
	glOnce.Do(func() {
		glX, glW = make([]float64, soundNodes), make([]float64, soundNodes)
		quad.Legendre{}.FixedLocations(glX, glW, 0, 1)
		glX8, glW8 = make([]float64, 8), make([]float64, 8)
		quad.Legendre{}.FixedLocations(glX8, glW8, 0, 1)
	})
}

// soundIntegral returns ∫_{a0}^{a1} c_s/(a²H) da in Mpc, c_s = 1/√(3(1+R)),
// R = 3ρ_b/(4ρ_γ) = r0·a (CAMB's dsound_da_exact), with the rule (x, w).
func (h *History) soundIntegral(a0, a1 float64, x, w []float64) float64 {
	m := &h.m
	s := 0.0
	da := a1 - a0
	for i, xi := range x {
		a := a0 + da*xi
		hz := m.hubbleAt(1/a - 1)
		if math.IsNaN(hz) {
			return math.NaN()
		}
		s += w[i] * cKmS / (a * a * hz) / math.Sqrt(3*(1+m.r0*a))
	}
	return s * da
}

// SoundHorizon returns the comoving sound horizon r_s(z) = ∫_z^∞ c_s dz'/H(z')
// in Mpc, with CAMB's baryon loading R = 3ρ_b/(4ρ_γ) = 3ω_b/(4ω_γ(1+z)).
// It calls the Hubble function of the last Solve 32 times, and returns NaN
// if that Solve failed, for z < 0, or if Hubble fails.
func (h *History) SoundHorizon(z float64) float64 {
	if !h.ok || !(z >= 0) || math.IsInf(z, 1) {
		return math.NaN()
	}
	glRules()
	bad, calls := h.m.bad, h.m.hubbleCalls
	r := h.soundIntegral(0, 1/(1+z), glX, glW)
	h.m.bad, h.m.hubbleCalls = bad, calls
	return r
}

// OpticalDepth returns the Thomson optical depth τ(z) = ∫_0^z n_e σ_T c dz'/((1+z')H)
// without reionization, for 0 ≤ z ≤ ZMax (the start of the recombination
// equations, z ≈ 2900); NaN elsewhere.
func (h *History) OpticalDepth(z float64) float64 { return h.depth(z, iTau) }

// DragDepth returns the baryon drag depth τ_d(z) = ∫_0^z dτ/R, the optical
// depth weighted by 1/R = 4ρ_γ/(3ρ_b), for 0 ≤ z ≤ ZMax; NaN elsewhere.
func (h *History) DragDepth(z float64) float64 { return h.depth(z, iDrag) }

// ZMax returns the redshift where the recombination equations start, the
// upper limit of OpticalDepth and DragDepth.
func (h *History) ZMax() float64 {
	if !h.ok {
		return math.NaN()
	}
	return h.zStart
}

func (h *History) depth(z float64, k int) float64 {
	if !h.ok || !(z >= 0 && z <= h.zStart) {
		return math.NaN()
	}
	n := -math.Log1p(z)
	last := len(h.ns) - 1
	return h.ys[last][k] - h.hermite(h.segment(n), k, n)
}

// root returns the N where the depth of component k is 1, from the steps:
// Q(N) = Q(0) − 1, with Q monotonic.
func (h *History) root(k int) (float64, bool) {
	last := len(h.ns) - 1
	target := h.ys[last][k] - 1
	if !(h.ys[0][k] <= target) {
		return 0, false
	}
	// The step that holds the target.
	lo, hi := 0, last
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if h.ys[mid][k] <= target {
			lo = mid
		} else {
			hi = mid
		}
	}
	i := lo
	a, b := h.ns[i], h.ns[i+1]
	fa, fb := h.ys[i][k]-target, h.ys[i+1][k]-target
	// Newton on the Hermite interpolant, kept inside [a, b].
	n := a - fa*(b-a)/(fb-fa)
	for range 50 {
		v := h.hermite(i, k, n) - target
		if v == 0 {
			break
		}
		if v < 0 {
			a = n
		} else {
			b = n
		}
		d := h.hermiteSlope(i, k, n)
		next := n - v/d
		if !(next > a && next < b) {
			next = 0.5 * (a + b)
		}
		if math.Abs(next-n) <= 1e-15*(1+math.Abs(n)) {
			n = next
			break
		}
		n = next
	}
	return n, true
}

// hermiteSlope is the N-derivative of hermite.
func (h *History) hermiteSlope(i, k int, n float64) float64 {
	n0, n1 := h.ns[i], h.ns[i+1]
	dn := n1 - n0
	t := (n - n0) / dn
	y0, y1 := h.ys[i][k], h.ys[i+1][k]
	d0, d1 := h.slope(i, k)*dn, h.slope(i+1, k)*dn
	delta := y1 - y0
	return (d0 + t*(2*(3*delta-2*d0-d1)+3*t*(d0+d1-2*delta))) / dn
}

// findEpochs finds z*, z_drag and the sound horizons.
func (h *History) findEpochs() error {
	last := len(h.ns) - 1
	if xH := h.ys[last][iXH]; !(xH < 0.5) {
		return &EpochError{Epoch: "recombination", Detail: fmt.Sprintf("x_H(z=0) = %.4g: hydrogen does not recombine", xH), ZMin: 0, ZMax: h.zStart}
	}
	nStar, ok := h.root(iTau)
	if !ok {
		return &EpochError{Epoch: "z*", Detail: fmt.Sprintf("the optical depth to z = %.6g is only %.4g < 1", h.zStart, h.ys[last][iTau]), ZMin: 0, ZMax: h.zStart}
	}
	nDrag, ok := h.root(iDrag)
	if !ok {
		return &EpochError{Epoch: "z_drag", Detail: fmt.Sprintf("the drag depth to z = %.6g is only %.4g < 1", h.zStart, h.ys[last][iDrag]), ZMin: 0, ZMax: h.zStart}
	}
	e := &h.epochs
	e.ZStar = math.Expm1(-nStar)
	e.ZDrag = math.Expm1(-nDrag)
	glRules()
	aStar, aDrag := math.Exp(nStar), math.Exp(nDrag)
	e.RStar = h.soundIntegral(0, aStar, glX, glW)
	e.RDrag = e.RStar + h.soundIntegral(aStar, aDrag, glX8, glW8)
	if h.m.bad {
		return h.hubbleError()
	}
	return nil
}
