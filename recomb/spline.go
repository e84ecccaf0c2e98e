package recomb

// nSpline is the number of components (x_H, T_m/T_R, x_He: the first three
// of the state) interpolated by a spline through the node values.
const nSpline = 3

// slope returns the derivative dy_k/dN used at node i by the dense output.
func (h *History) slope(i, k int) float64 {
	if k < nSpline {
		return h.sl[i][k]
	}
	return h.fs[i][k]
}

// splineSlopes computes, for each of the first nSpline components, the
// slopes at the nodes of the C² cubic spline through the node values, with
// the end slopes of the cubics through the first and the last four nodes.
// With fewer than four nodes it falls back on the equations' f.
//
// Why not gonum's interp.NotAKnotCubic: its Fit allocates a banded matrix
// on every call, and Solve must not allocate once its History has grown.
// The tridiagonal system here is solved by the Thomas algorithm, stable
// since the interior rows are diagonally dominant.
func (h *History) splineSlopes() {
	np := len(h.ns)
	h.sl = h.sl[:0]
	for i := range np {
		var s [nSpline]float64
		copy(s[:], h.fs[i][:nSpline])
		h.sl = append(h.sl, s)
	}
	if np < 4 {
		return
	}
	if cap(h.work) < 2*np {
		h.work = make([]float64, 2*np)
	}
	cp, dp := h.work[:np], h.work[np:2*np]
	x := h.ns
	m := np - 1
	for k := range nSpline {
		y := func(i int) float64 { return h.ys[i][k] }
		s0 := lagrangeSlope(x[0], x[0], x[1], x[2], x[3], y(0), y(1), y(2), y(3))
		sm := lagrangeSlope(x[m], x[m], x[m-1], x[m-2], x[m-3], y(m), y(m-1), y(m-2), y(m-3))
		// Row 0 and row m are s = end slope; row i:
		// h_i s_{i−1} + 2(h_{i−1}+h_i) s_i + h_{i−1} s_{i+1} = 3(h_i δ_{i−1} + h_{i−1} δ_i).
		cp[0], dp[0] = 0, s0
		for i := 1; i < m; i++ {
			h0, h1 := x[i]-x[i-1], x[i+1]-x[i]
			d0, d1 := (y(i)-y(i-1))/h0, (y(i+1)-y(i))/h1
			a, b, c := h1, 2*(h0+h1), h0
			r := 3 * (h1*d0 + h0*d1)
			den := b - a*cp[i-1]
			cp[i] = c / den
			dp[i] = (r - a*dp[i-1]) / den
		}
		h.sl[m][k] = sm
		for i := m - 1; i >= 1; i-- {
			h.sl[i][k] = dp[i] - cp[i]*h.sl[i+1][k]
		}
		h.sl[0][k] = s0
	}
}

// lagrangeSlope returns the derivative at t of the cubic through
// (x0, y0), …, (x3, y3).
func lagrangeSlope(t, x0, x1, x2, x3, y0, y1, y2, y3 float64) float64 {
	xs := [4]float64{x0, x1, x2, x3}
	ys := [4]float64{y0, y1, y2, y3}
	d := 0.0
	for j := range 4 {
		// L_j'(t) = L_j(t) Σ_{m≠j} 1/(t − x_m), written without division by t − x_m.
		den := 1.0
		for m := range 4 {
			if m != j {
				den *= xs[j] - xs[m]
			}
		}
		num := 0.0
		for l := range 4 {
			if l == j {
				continue
			}
			p := 1.0
			for m := range 4 {
				if m != j && m != l {
					p *= t - xs[m]
				}
			}
			num += p
		}
		d += ys[j] * num / den
	}
	return d
}
