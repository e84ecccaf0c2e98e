package growth

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/integrate/quad"
)

// Quadrature of Heath's integral. With u = √a and
// P(v) = Ω_m + Ω_k v + Ω_Λ v³ (so that a³E² = P(a)),
//
//	I(a) = ∫_0^a da'/(a'E(a'))³ = ∫_0^{√a} 2u⁴ P(u²)^{−3/2} du,
//
// whose integrand is analytic on the real axis (the a'^{3/2} of the
// matter era becomes u³), so Gauss–Legendre converges geometrically.
// [0, 1] is cut at the outputs' √a and into panels no wider than
// heathWidth, each with heathN nodes. The convergence is limited by the
// zeros of P(u²) nearest to [0, 1], which approach it where the minimum
// of P on [0, 1], P_min, approaches zero (a universe close to a bounce).
// Measured against panels of width 1/2048 for Ω_m ∈ [0.01, 1.01] and
// Ω_k ∈ [−1, 1]: width 1/8 (128 nodes) is accurate to 1.6e-11 for
// P_min ≥ 0.01; width 1/64 (1024 nodes), used for 1e-3 ≤ P_min < 0.01,
// to 1e-13; below P_min = 1e-3 Eval refuses the point.
const (
	heathN         = 16
	heathWidth     = 1.0 / 8
	heathFineWidth = 1.0 / 64
	heathFineP     = 0.01 // P_min below which the fine panels are used
	heathMinP      = 1e-3 // P_min below which Eval refuses the point
)

// Heath computes the growth of ΛCDM and oΛCDM without radiation from the
// closed form of Heath (1977) at a fixed set of redshifts. It holds its
// nodes, so Eval does not allocate. It is not safe for concurrent use.
type Heath struct {
	z     []float64
	order []int     // sorted outputs, ascending a; the last is a = 1 (−1)
	a     []float64 // a of the sorted outputs
	end   []int     // nodes of the outputs' panels end at end[k]
	u, w  []float64 // nodes and weights
	// The same on panels of width heathFineWidth, for P_min < heathFineP.
	endFine      []int
	uFine, wFine []float64
	integ        []float64 // scratch: I at the sorted outputs
}

// NewHeath returns a Heath for the redshifts z (finite, ≥ 0, any order,
// repeats allowed).
func NewHeath(z []float64) (*Heath, error) {
	if err := checkRedshifts(z); err != nil {
		return nil, err
	}
	n := len(z)
	h := &Heath{
		z:     slices.Clone(z),
		order: outputOrder(z),
		a:     make([]float64, n+1),
		integ: make([]float64, n+1),
	}
	for k, i := range h.order[:n] {
		h.a[k] = 1 / (1 + z[i])
	}
	h.a[n] = 1
	h.u, h.w, h.end = heathNodes(h.a, heathWidth)
	h.uFine, h.wFine, h.endFine = heathNodes(h.a, heathFineWidth)
	return h, nil
}

// heathNodes returns Gauss–Legendre nodes and weights in u = √a on the
// panels of [0, 1] cut at √a of the outputs and no wider than width, and
// where the nodes of the outputs' panels end.
func heathNodes(a []float64, width float64) (u, w []float64, end []int) {
	x := make([]float64, heathN)
	wx := make([]float64, heathN)
	end = make([]int, len(a))
	lo := 0.0
	for k, ak := range a {
		hi := math.Sqrt(ak)
		if hi > lo {
			panels := int(math.Ceil((hi - lo) / width))
			for p := range panels {
				l := lo + (hi-lo)*float64(p)/float64(panels)
				r := lo + (hi-lo)*float64(p+1)/float64(panels)
				quad.Legendre{}.FixedLocations(x, wx, l, r)
				u = append(u, x...)
				w = append(w, wx...)
			}
			lo = hi
		}
		end[k] = len(u)
	}
	return u, w, end
}

// Z returns the redshifts.
func (h *Heath) Z() []float64 { return slices.Clone(h.z) }

// Eval fills dst (made by NewResult for h's redshifts) with the growth of
// the universe of matter Ω_m = om, curvature Ω_k = ok and Λ, Ω_Λ = 1 − om
// − ok, without radiation:
//
//	D(a) = (5Ω_m/2) E(a) I(a),   f(a) = a^{5/2}/(P(a)^{3/2} I(a)) − (3Ω_m + 2Ω_k a)/(2P(a)),
//
// with I and P as above; D → a as a → 0. It returns an *Error if om is not
// positive and finite, ok not finite, or E² ≤ 0 somewhere in [0, 1] in a
// (a bounce), or a³E² < 1e-3 somewhere (close to a bounce, where the
// quadrature would lose accuracy).
func (h *Heath) Eval(dst *Result, om, ok float64) error {
	if err := dst.check(len(h.z)); err != nil {
		return err
	}
	ol := 1 - om - ok
	if !(om > 0) || !isFinite(om) || !isFinite(ok) {
		return &Error{Z: math.NaN(), Reason: fmt.Sprintf("parameters Ωm = %v, Ωk = %v: need Ωm > 0 and both finite", om, ok)}
	}
	a, pMin := minP(om, ok, ol)
	switch {
	case pMin <= 0:
		return &Error{Z: 1/a - 1, Reason: fmt.Sprintf("E² ≤ 0 (a³E² = %.6g): the expansion stops there (a bounce); no growth history", pMin)}
	case pMin < heathMinP:
		return &Error{Z: 1/a - 1, Reason: fmt.Sprintf("a³E² = %.3g < %g: too close to a bounce for Heath's quadrature (use an Evaluator)", pMin, heathMinP)}
	}
	us, ws, end := h.u, h.w, h.end
	if pMin < heathFineP {
		us, ws, end = h.uFine, h.wFine, h.endFine
	}
	// Cumulative sums of the integrand over the panels.
	s, j := 0.0, 0
	for k, e := range end {
		for ; j < e; j++ {
			u := us[j]
			v := u * u
			p := om + v*(ok+ol*v*v)
			s += ws[j] * 2 * v * v / (p * math.Sqrt(p))
		}
		h.integ[k] = s
	}
	last := len(h.a) - 1
	d0, _ := heathDF(1, h.integ[last], om, ok, ol)
	for k, i := range h.order[:last] {
		d, f := heathDF(h.a[k], h.integ[k], om, ok, ol)
		d /= d0
		dst.DRatio[i], dst.F[i], dst.FSigma8[i] = d, f, f*d
	}
	dst.D0 = d0
	return nil
}

// heathDF returns D and f at a from I(a).
func heathDF(a, integ, om, ok, ol float64) (d, f float64) {
	p := om + a*(ok+ol*a*a)
	sp := math.Sqrt(p)
	e := sp / (a * math.Sqrt(a)) // E = √(P/a³)
	d = 2.5 * om * e * integ
	f = a*a*math.Sqrt(a)/(p*sp*integ) - (3*om+2*ok*a)/(2*p)
	return d, f
}

// minP returns the smallest value of P(a) = Ω_m + Ω_k a + Ω_Λ a³ on
// [0, 1] and where it is: at a = 1 (P = 1 for Ω_m + Ω_k + Ω_Λ = 1), or at
// the interior minimum a² = −Ω_k/(3Ω_Λ) (P(0) = Ω_m > 0).
func minP(om, ok, ol float64) (a, p float64) {
	a, p = 1, om+ok+ol
	if ol > 0 && ok < 0 {
		if c := math.Sqrt(-ok / (3 * ol)); c < 1 {
			if pc := om + c*(ok+ol*c*c); pc < p {
				a, p = c, pc
			}
		}
	}
	return a, p
}
