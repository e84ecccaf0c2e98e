package backend

import (
	"math"

	"github.com/cosmoemu/cosmoemu/internal/cheb"
)

// Quadrature on fixed nodes. Distances are integrals of smooth functions of
// x = ln(1+z): in x the integrands c(1+z)/H and c_s(1+z)/H are analytic in
// a strip around the real axis (the nearest singularities are zeros of E²
// at Im x ≈ ±π/3 and ±π), so polynomial quadrature converges
// geometrically and a few dozen nodes give 1e-10.

// cumulative integrates a function sampled at fixed nodes from x = 0 to a
// set of output points, exactly for the piecewise Chebyshev interpolant of
// the samples (package internal/cheb): [0, xmax] is cut into panels of
// equal width, each carrying n Chebyshev points of the first kind. For
// outputs x_i,
//
//	∫_0^{x_i} f dx ≈ Σ_k W_ik f(x_k),
//
// so evaluating the integrals is one matrix–vector product.
type cumulative struct {
	grid  *cheb.Grid
	x     []float64 // nodes, panel by panel
	w     []float64 // len(out) × len(x), row-major
	whole []float64 // weights of the whole of [0, xmax]
	per   int       // nodes per panel
}

// newCumulative builds the operator for outputs out (each in [0, xmax]),
// panels no wider than width and n nodes per panel.
func newCumulative(out []float64, xmax, width float64, n int) *cumulative {
	panels := max(1, int(math.Ceil(xmax/width-1e-9)))
	g := cheb.New(xmax, panels, n)
	c := &cumulative{grid: g, x: g.Nodes(), per: n}
	m := len(c.x)
	c.whole = make([]float64, m)
	g.WholeUpTo(c.whole, panels)
	c.w = make([]float64, len(out)*m)
	for i, xi := range out {
		g.Integral(c.w[i*m:(i+1)*m], xi)
	}
	return c
}

// edge returns the left edge of panel p (p = the number of panels: xmax).
func (c *cumulative) edge(p int) float64 { return c.grid.Edge(p) }

// panels returns the number of panels.
func (c *cumulative) panels() int { return c.grid.Panels() }

// panel returns the index of the panel holding x (the last one for x = xmax).
func (c *cumulative) panel(x float64) int {
	p, _ := c.grid.Locate(x)
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

// upTo returns ∫_0^{edge(p)} f dx: the sum of the whole-panel integrals
// below panel p.
func (c *cumulative) upTo(p int, f []float64) float64 {
	s := 0.0
	for k := range p * c.per {
		s += c.whole[k] * f[k]
	}
	return s
}
