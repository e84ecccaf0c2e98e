package neutrino

import (
	"math"

	"gonum.org/v1/gonum/integrate/quad"
)

// fdRule is a composite Gauss–Legendre rule for the Fermi–Dirac integrals
// ∫₀^∞ g(q)/(e^q+1) dq on fixed panels, its weights including the factor
// 1/(e^q+1); it builds the interpolation table.
//
// The integrands q²√(q²+y²)/(e^q+1) and q⁴/(√(q²+y²)(e^q+1)) are analytic
// but for the branch points q = ±iy and the poles q = ±iπ(2k+1). An n-point
// Gauss–Legendre rule on a panel converges as ρ^(−2n), where ρ is the sum of
// the semi-axes, in half-widths of the panel, of the largest ellipse with
// foci at the panel's ends that holds no singularity. The panels are
// [0, 2⁻¹⁵], then dyadic, [2^k, 2^(k+1)] up to 4, then of width 4 up to 48.
// Every panel but the first lies at least three half-widths from q = 0, so
// that a singularity on the imaginary axis is outside the ellipse of
// ρ = 3 + √8 ≈ 5.8; the first keeps the branch point iy outside ρ = 8.3 for
// y ≥ 2⁻¹⁴. With n = 12, 5.8^(−24) ≈ 5e-19. The integrands beyond q = 48
// add less than 1e-16 of the integrals.
type fdRule struct {
	q, w []float64
}

const (
	quadNodes  = 12
	quadMinExp = -15 // first panel [0, 2^quadMinExp]
	quadWidth  = 4.0
	quadMax    = 48.0
)

// newFDRule returns the rule, its nodes from gonum's Gauss–Legendre rule.
func newFDRule() *fdRule {
	var x, w [quadNodes]float64
	quad.Legendre{}.FixedLocations(x[:], w[:], -1, 1)
	edges := []float64{0}
	for k := quadMinExp; k <= 2; k++ {
		edges = append(edges, math.Ldexp(1, k))
	}
	for b := 2 * quadWidth; b <= quadMax; b += quadWidth {
		edges = append(edges, b)
	}
	r := &fdRule{}
	for i := 1; i < len(edges); i++ {
		h, m := (edges[i]-edges[i-1])/2, (edges[i]+edges[i-1])/2
		for k := range x {
			q := m + h*x[k]
			r.q = append(r.q, q)
			r.w = append(r.w, h*w[k]/(math.Exp(q)+1))
		}
	}
	return r
}

// integrals returns ρ(y)/ρ(0) and p(y)/ρ(0) (see DensityPressure), to
// about 1e-15 relative for 2⁻¹⁴ ≤ y ≤ 2⁹, the range of the table
// (TestQuadratureGolden).
func (r *fdRule) integrals(y float64) (rho, p float64) {
	y2 := y * y
	for i, q := range r.q {
		q2 := q * q
		e := math.Sqrt(q2 + y2)
		wq2 := r.w[i] * q2
		rho += wq2 * e
		p += wq2 * q2 / e
	}
	return rho / fdConst, p / (3 * fdConst)
}
