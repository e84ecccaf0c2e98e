package emulator

import (
	"fmt"
	"sync"
)

// uniformSpline is the not-a-knot cubic spline through values y_k at the
// uniform nodes x_k = x0 + k·h, k = 0, …, n−1 (n ≥ 4). Its second derivatives
// M_k solve, for 1 ≤ k ≤ n−2,
//
//	M_{k−1} + 4M_k + M_{k+1} = 6(y_{k−1} − 2y_k + y_{k+1})/h² = r_k,
//
// with third derivatives continuous at x_1 and x_{n−2} (not-a-knot):
// M_0 = 2M_1 − M_2 and M_{n−1} = 2M_{n−2} − M_{n−3}. Substituting, the first
// and last equations become 6M_1 = r_1 and 6M_{n−2} = r_{n−2}, and the rest
// is a tridiagonal system with constant coefficients, factorized once. The
// spline is linear in the y_k, and its error is O(h⁴) up to the ends.
type uniformSpline struct {
	x0, h float64
	n     int
	cp    []float64 // Thomas algorithm: modified super-diagonal of rows 2…n−3
	inv   []float64 // and the reciprocals of the modified diagonal

	respOnce sync.Once
	resp     []float64 // resp[i*n+k]: M_i of the spline through the unit vector e_k
}

func newUniformSpline(x0, h float64, n int) (*uniformSpline, error) {
	if n < 4 {
		return nil, fmt.Errorf("emulator: a not-a-knot spline needs at least 4 nodes, have %d", n)
	}
	if !(h > 0) {
		return nil, fmt.Errorf("emulator: spline node spacing %v must be positive", h)
	}
	s := &uniformSpline{x0: x0, h: h, n: n}
	// Rows k = 2 … n−3 of M_{k−1} + 4M_k + M_{k+1} = r_k.
	m := n - 4
	s.cp = make([]float64, m)
	s.inv = make([]float64, m)
	prev := 0.0
	for i := range m {
		d := 4 - prev
		s.inv[i] = 1 / d
		s.cp[i] = s.inv[i]
		prev = s.cp[i]
	}
	return s, nil
}

// fit writes the second derivatives of the spline through y to m; both have
// length n. It does not allocate.
func (s *uniformSpline) fit(m, y []float64) {
	n := s.n
	_ = y[n-1]
	_ = m[n-1]
	h2 := 6 / (s.h * s.h)
	r := func(k int) float64 { return h2 * (y[k-1] - 2*y[k] + y[k+1]) }
	m[1] = r(1) / 6
	m[n-2] = r(n-2) / 6
	if n == 4 {
		m[0] = 2*m[1] - m[2]
		m[3] = 2*m[2] - m[1]
		return
	}
	// Forward sweep over rows k = 2 … n−3, with the known M_1 and M_{n−2}
	// moved to the right-hand side; m[k] holds the modified right side.
	for i, k := 0, 2; k <= n-3; i, k = i+1, k+1 {
		rhs := r(k)
		if k == 2 {
			rhs -= m[1]
		}
		if k == n-3 {
			rhs -= m[n-2]
		}
		if i > 0 {
			rhs -= m[k-1]
		}
		m[k] = rhs * s.inv[i]
	}
	for k := n - 4; k >= 2; k-- {
		m[k] -= s.cp[k-2] * m[k+1]
	}
	m[0] = 2*m[1] - m[2]
	m[n-1] = 2*m[n-2] - m[n-3]
}

// locate returns the interval k with x in [x_k, x_{k+1}] (clamped to the
// ends) and the position t = (x − x_k)/h in it.
func (s *uniformSpline) locate(x float64) (k int, t float64) {
	u := (x - s.x0) / s.h
	k = int(u)
	if u < 0 {
		k = 0
	}
	if k > s.n-2 {
		k = s.n - 2
	}
	return k, u - float64(k)
}

// eval returns the spline with values y and second derivatives m at x.
func (s *uniformSpline) eval(y, m []float64, x float64) float64 {
	k, t := s.locate(x)
	u := 1 - t
	return u*y[k] + t*y[k+1] + s.h*s.h/6*((u*u*u-u)*m[k]+(t*t*t-t)*m[k+1])
}

// weights writes to w (length n) the weights with which the spline at x
// combines the values: S(x) = Σ_k w_k y_k. The second derivatives are linear
// in the values too, M_i = Σ_k R_ik y_k, and the response R is computed once.
func (s *uniformSpline) weights(w []float64, x float64) {
	s.respOnce.Do(func() {
		n := s.n
		s.resp = make([]float64, n*n)
		e := make([]float64, n)
		m := make([]float64, n)
		for k := range n {
			e[k] = 1
			s.fit(m, e)
			for i, v := range m {
				s.resp[i*n+k] = v
			}
			e[k] = 0
		}
	})
	i, t := s.locate(x)
	u := 1 - t
	n := s.n
	ci, cj := s.h*s.h/6*(u*u*u-u), s.h*s.h/6*(t*t*t-t)
	ri, rj := s.resp[i*n:(i+1)*n], s.resp[(i+1)*n:(i+2)*n]
	for k := range w {
		w[k] = ci*ri[k] + cj*rj[k]
	}
	w[i] += u
	w[i+1] += t
}
