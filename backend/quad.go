package backend

import (
	"math"

	"gonum.org/v1/gonum/integrate/quad"
)

// Quadrature on fixed nodes. Distances are integrals of smooth functions of
// x = ln(1+z): in x the integrands c(1+z)/H and c_s(1+z)/H are analytic in
// a strip around the real axis (the nearest singularities are zeros of E²
// at Im x ≈ ±π/3 and ±π), so polynomial quadrature converges
// geometrically and a few dozen nodes give 1e-10.

// gaussLegendre returns the n Gauss–Legendre nodes and weights on [0, 1]
// (from gonum's quad.Legendre).
func gaussLegendre(n int) (t, w []float64) {
	t = make([]float64, n)
	w = make([]float64, n)
	quad.Legendre{}.FixedLocations(t, w, 0, 1)
	return t, w
}

// cumulative integrates a function sampled at fixed nodes from x = 0 to a
// set of output points, exactly for the piecewise Chebyshev interpolant of
// the samples. [0, xmax] is cut into panels of equal width; each carries
// the n Chebyshev points of the first kind. For outputs x_i,
//
//	∫_0^{x_i} f dx ≈ Σ_k W_ik f(x_k),
//
// where W holds the whole-panel (Fejér) weights for the panels below x_i and
// the partial-panel weights of the interpolant for the panel holding x_i.
// Evaluating the integrals is then one matrix–vector product.
type cumulative struct {
	x     []float64 // nodes, panel by panel
	w     []float64 // len(out) × len(x), row-major
	edges []float64 // panel edges, 0 = edges[0] < … < edges[P] = xmax
	whole []float64 // weights of the whole of [0, xmax]
	per   int       // nodes per panel
}

// newCumulative builds the operator for outputs out (each in [0, xmax]),
// panels no wider than width and n nodes per panel.
func newCumulative(out []float64, xmax, width float64, n int) *cumulative {
	panels := max(1, int(math.Ceil(xmax/width-1e-9)))
	c := &cumulative{per: n, edges: make([]float64, panels+1)}
	for p := range c.edges {
		c.edges[p] = xmax * float64(p) / float64(panels)
	}
	c.edges[panels] = xmax
	// Chebyshev points of the first kind on [−1, 1], increasing.
	t := make([]float64, n)
	for k := range t {
		t[k] = -math.Cos(math.Pi * (float64(k) + 0.5) / float64(n))
	}
	c.x = make([]float64, panels*n)
	for p := range panels {
		a, b := c.edges[p], c.edges[p+1]
		for k, tk := range t {
			c.x[p*n+k] = a + (b-a)*(tk+1)/2
		}
	}
	full := chebPartialWeights(t, 1)
	c.whole = make([]float64, len(c.x))
	for p := range panels {
		h := (c.edges[p+1] - c.edges[p]) / 2
		for k := range n {
			c.whole[p*n+k] = h * full[k]
		}
	}
	c.w = make([]float64, len(out)*len(c.x))
	for i, xi := range out {
		row := c.w[i*len(c.x) : (i+1)*len(c.x)]
		p := c.panel(xi)
		copy(row[:p*n], c.whole[:p*n])
		a, b := c.edges[p], c.edges[p+1]
		ti := math.Max(-1, math.Min(1, 2*(xi-a)/(b-a)-1))
		part := chebPartialWeights(t, ti)
		for k := range n {
			row[p*n+k] = (b - a) / 2 * part[k]
		}
	}
	return c
}

// panel returns the index of the panel holding x (the last one for x = xmax).
func (c *cumulative) panel(x float64) int {
	p := len(c.edges) - 2
	for q := 1; q < len(c.edges)-1; q++ {
		if x < c.edges[q] {
			return q - 1
		}
	}
	return p
}

// apply writes Σ_k W_ik f_k to dst[i]. Four partial sums break the chain of
// dependent additions.
func (c *cumulative) apply(dst, f []float64) {
	m := len(c.x)
	f = f[:m]
	for i := range dst {
		row := c.w[i*m : (i+1)*m]
		var s0, s1, s2, s3 float64
		k := 0
		for ; k+4 <= m; k += 4 {
			s0 += row[k] * f[k]
			s1 += row[k+1] * f[k+1]
			s2 += row[k+2] * f[k+2]
			s3 += row[k+3] * f[k+3]
		}
		for ; k < m; k++ {
			s0 += row[k] * f[k]
		}
		dst[i] = (s0 + s1) + (s2 + s3)
	}
}

// upTo returns ∫_0^{edges[p]} f dx: the sum of the whole-panel integrals
// below panel p.
func (c *cumulative) upTo(p int, f []float64) float64 {
	s := 0.0
	for k := range p * c.per {
		s += c.whole[k] * f[k]
	}
	return s
}

// chebPartialWeights returns the weights ω_k such that
// ∫_{−1}^{τ} p(t) dt = Σ_k ω_k f(t_k) for the polynomial p of degree n−1
// interpolating f at the Chebyshev points t (first kind).
func chebPartialWeights(t []float64, tau float64) []float64 {
	n := len(t)
	// I_j = ∫_{−1}^{τ} T_j.
	tj := chebT(tau, n+1)
	integ := make([]float64, n)
	integ[0] = tau + 1
	if n > 1 {
		integ[1] = (tau*tau - 1) / 2
	}
	for j := 2; j < n; j++ {
		sign := 1.0
		if j%2 == 0 {
			sign = -1 // (−1)^{j+1}
		}
		fj := float64(j)
		integ[j] = 0.5*(tj[j+1]/(fj+1)-tj[j-1]/(fj-1)) - 0.5*sign*(1/(fj+1)-1/(fj-1))
	}
	// Coefficients: c_j = α_j Σ_k f_k T_j(t_k), α_0 = 1/n, α_j = 2/n.
	w := make([]float64, n)
	for k, tk := range t {
		tk := chebT(tk, n)
		s := 0.0
		for j := range n {
			alpha := 2 / float64(n)
			if j == 0 {
				alpha = 1 / float64(n)
			}
			s += alpha * tk[j] * integ[j]
		}
		w[k] = s
	}
	return w
}

// chebT returns T_0(t), …, T_{m−1}(t) by the three-term recurrence.
func chebT(t float64, m int) []float64 {
	v := make([]float64, m)
	v[0] = 1
	if m > 1 {
		v[1] = t
	}
	for j := 2; j < m; j++ {
		v[j] = 2*t*v[j-1] - v[j-2]
	}
	return v
}
