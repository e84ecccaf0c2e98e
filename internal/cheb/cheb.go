// Package cheb is piecewise Chebyshev interpolation and integration on
// fixed nodes: the quadrature of the distances in packages backend and emu.
package cheb

import "math"

// Grid is a piecewise Chebyshev representation of a smooth function of
// x = ln(1+z) on [0, xmax]: the interval is cut into equal panels, each
// carrying the n Chebyshev points of the first kind. A function sampled at
// the nodes is interpolated by the polynomial of degree n−1 through the
// samples of the panel holding x, and integrated exactly for that
// piecewise polynomial. Both are linear in the samples, so for fixed x they
// are rows of weights computed once per Request.
//
// In x the late-time integrands (1+z)/E and 1/E are analytic in a strip
// around the real axis, so the error falls geometrically with n: one panel
// of 32 points on [0, ln 4] interpolates and integrates 1/E of the
// closed-form models of the domain to 6e-9, one of 16 that of the scalar
// field to 3e-9 (docs/emulators.md).
type Grid struct {
	xmax   float64
	panels int
	n      int
	t      []float64 // reference points in (−1, 1), increasing
	lambda []float64 // barycentric weights of t
	x      []float64 // nodes, panel by panel, increasing
	whole  []float64 // weights of the integral over a whole panel, per reference point (panel width 2)
}

func New(xmax float64, panels, n int) *Grid {
	g := &Grid{xmax: xmax, panels: panels, n: n}
	g.t = make([]float64, n)
	g.lambda = make([]float64, n)
	for k := range n {
		theta := math.Pi * (float64(n-1-k) + 0.5) / float64(n)
		g.t[k] = math.Cos(theta)
		// λ_k = (−1)^k sin θ_k for the first-kind points (the sign
		// convention cancels in the barycentric quotient).
		g.lambda[k] = math.Sin(theta)
		if k%2 == 1 {
			g.lambda[k] = -g.lambda[k]
		}
	}
	g.x = make([]float64, panels*n)
	for p := range panels {
		a, b := g.Edge(p), g.Edge(p+1)
		for k, tk := range g.t {
			g.x[p*n+k] = a + (b-a)*(tk+1)/2
		}
	}
	g.whole = chebIntegralWeights(g.t, 1)
	return g
}

// Nodes returns the nodes, panel by panel, increasing. The slice must not
// be modified.
func (g *Grid) Nodes() []float64 { return g.x }

// Panels returns the number of panels; PerPanel the nodes in each.
func (g *Grid) Panels() int   { return g.panels }
func (g *Grid) PerPanel() int { return g.n }

// WholeUpTo writes to w the weights of the integral from 0 to the left edge
// of panel p: the whole-panel weights of the panels below it.
func (g *Grid) WholeUpTo(w []float64, p int) {
	clear(w)
	half := g.xmax / float64(g.panels) / 2
	for q := range p {
		for k, v := range g.whole {
			w[q*g.n+k] = half * v
		}
	}
}

// Edge returns the left edge of panel p (p = panels gives xmax).
func (g *Grid) Edge(p int) float64 {
	if p == g.panels {
		return g.xmax
	}
	return g.xmax * float64(p) / float64(g.panels)
}

// Locate returns the panel holding x (clamped to the grid) and the
// reference coordinate of x in it.
func (g *Grid) Locate(x float64) (p int, tau float64) {
	h := g.xmax / float64(g.panels)
	p = int(x / h)
	p = max(0, min(p, g.panels-1))
	a, b := g.Edge(p), g.Edge(p+1)
	tau = 2*(x-a)/(b-a) - 1
	return p, math.Max(-1, math.Min(1, tau))
}

// Interp writes to w (one weight per node) the weights of the interpolant
// at x: f(x) ≈ Σ_k w_k f(x_k).
func (g *Grid) Interp(w []float64, x float64) {
	clear(w)
	p, tau := g.Locate(x)
	row := w[p*g.n : (p+1)*g.n]
	for k, tk := range g.t {
		if tau == tk {
			row[k] = 1
			return
		}
	}
	s := 0.0
	for k, tk := range g.t {
		row[k] = g.lambda[k] / (tau - tk)
		s += row[k]
	}
	for k := range row {
		row[k] /= s
	}
}

// Integral writes to w (one weight per node) the weights of the integral of
// the piecewise interpolant from 0 to x: ∫_0^x f dx ≈ Σ_k w_k f(x_k).
func (g *Grid) Integral(w []float64, x float64) {
	clear(w)
	p, tau := g.Locate(x)
	half := g.xmax / float64(g.panels) / 2
	for q := range p {
		for k, v := range g.whole {
			w[q*g.n+k] = half * v
		}
	}
	part := chebIntegralWeights(g.t, tau)
	for k, v := range part {
		w[p*g.n+k] = half * v
	}
}

// chebIntegralWeights returns the weights ω_k with ∫_{−1}^{τ} p(t) dt =
// Σ_k ω_k f(t_k) for the polynomial p of degree n−1 through the values f at
// the Chebyshev points of the first kind t. With the discrete Chebyshev
// coefficients c_j = α_j Σ_k f_k T_j(t_k) (α_0 = 1/n, α_j = 2/n) and
// I_j(τ) = ∫_{−1}^{τ} T_j, ω_k = Σ_j α_j T_j(t_k) I_j(τ).
func chebIntegralWeights(t []float64, tau float64) []float64 {
	n := len(t)
	tj := chebT(tau, n+1)
	integ := make([]float64, n)
	integ[0] = tau + 1
	if n > 1 {
		integ[1] = (tau*tau - 1) / 2
	}
	for j := 2; j < n; j++ {
		// ∫T_j = T_{j+1}/(2(j+1)) − T_{j−1}/(2(j−1)), and
		// T_{j±1}(−1) = (−1)^{j+1}.
		fj := float64(j)
		lower := 1/(2*(fj+1)) - 1/(2*(fj-1))
		if j%2 == 0 {
			lower = -lower
		}
		integ[j] = tj[j+1]/(2*(fj+1)) - tj[j-1]/(2*(fj-1)) - lower
	}
	w := make([]float64, n)
	for k, tk := range t {
		tv := chebT(tk, n)
		s := 0.0
		for j := range n {
			alpha := 2 / float64(n)
			if j == 0 {
				alpha = 1 / float64(n)
			}
			s += alpha * tv[j] * integ[j]
		}
		w[k] = s
	}
	return w
}

// chebT returns T_0(t), …, T_{m−1}(t).
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
