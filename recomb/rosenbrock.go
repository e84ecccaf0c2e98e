package recomb

import "math"

// A Rosenbrock method for the stiff recombination equations.
//
// Why not the module's solver (explicit Dormand–Prince): the equations are
// stiff wherever a rate is much faster than the expansion, and that is
// everywhere above z ≈ 200: Compton scattering couples T_m to T_R at a
// rate up to 10⁸ H, photoionization holds x_H and x_He near their
// quasi-equilibria at rates up to 10⁴ H. An explicit method is then
// limited by stability, not accuracy, to steps ΔN ≲ 3H/Γ. Measured on the
// Planck 2018 cosmology at a relative tolerance of 1e-4 from z = 2813 to 0
// (BenchmarkIntegrators): solver.Solver takes 594,411 steps, 3.9 million
// evaluations and 0.9–1.0 s; ROS4 below 174 steps, 681 evaluations and
// 0.16 ms for the whole Solve.
// Gonum has no stiff integrator.
//
// The method is the L-stable ROS4 of Hairer & Wanner (Solving Ordinary
// Differential Equations II, 2nd ed., Sect. IV.7, Table 7.2; the
// coefficients as in KPP, Sandu et al. 1997, Atmos. Environ. 31, 3459): four
// stages with three evaluations of f, order 4 with an embedded order-3
// error estimate; the Jacobian is analytic once helium has recombined and
// by finite differences before (∂f/∂t always). In
// the notation of KPP, with γ = γ₁,
//
//	(1/(hγ) − J) k_i = f(t + α_i h, y + Σ_j a_ij k_j) + Σ_j (c_ij/h) k_j + γ_i h ∂f/∂t,
//	y_new = y + Σ m_i k_i,   err = Σ e_i k_i.
//
// Dense output between steps is the cubic Hermite interpolant of the
// step's ends and slopes (f at the new end is the next step's first
// stage, so it costs nothing).
const (
	rosGamma = 0.57282
	rosA21   = 2.0
	rosA31   = 1.867943637803922
	rosA32   = 0.2344449711399156
	rosC21   = -7.137615036412310
	rosC31   = 2.580708087951457
	rosC32   = 0.6515950076447975
	rosC41   = -2.137148994382534
	rosC42   = -0.3214669691237626
	rosC43   = -0.6949742501781779
	rosM1    = 2.255570073418735
	rosM2    = 0.2870493262186792
	rosM3    = 0.4353179431840180
	rosM4    = 1.093502252409163
	rosE1    = -0.2815431932141155
	rosE2    = -0.07276199124938920
	rosE3    = -0.1082196201495311
	rosE4    = -1.093502252409163
	rosAl2   = 1.145640000000000
	rosAl3   = 0.6552168638155900
	rosG1    = 0.5728200000000000
	rosG2    = -1.769193891319233
	rosG3    = 0.7592633437920482
	rosG4    = -0.1049021087100450
)

// rosSystem is a system of equations for rosStepper: rhs evaluates
// dst = f(t, y). (An interface holding a pointer, not a func value: a
// method value would allocate on every Solve.)
type rosSystem interface {
	rhs(dst *[nState]float64, t float64, y *[nState]float64)
	// jacobian writes ∂f_i/∂y_j for the core columns j < nc and ∂f/∂t at
	// (t, y), f0 = f(t, y), and reports whether it could; if not, the
	// stepper differentiates f numerically.
	jacobian(jac *[nState][nState]float64, ft *[nState]float64, nc int, t float64, y, f0 *[nState]float64) bool
}

// rosStepper takes steps of ROS4 for systems of up to nState components
// whose first nc ("core") components may be coupled to all others; the
// remaining components must not enter f (quadratures, or frozen values
// with f = 0), so that their Jacobian columns vanish and the linear
// systems reduce to the core block.
type rosStepper struct {
	sys  rosSystem
	nc   int
	jac  [nState][nState]float64 // ∂f_i/∂y_j, j < nc
	ft   [nState]float64         // ∂f/∂t
	inv  [3][3]float64           // inverse of the core block of 1/(hγ) − J
	k    [4][nState]float64
	yp   [nState]float64 // a perturbed or stage state
	fs   [nState]float64
	fpt  [nState]float64
	hLU  float64 // h of the current factorization
	jacT float64 // t of the current Jacobian
}

// jacobian computes J and ∂f/∂t at (t, y) with f0 = f(t, y) by forward
// differences. A column's step is √ε·|y_j| (or a floor); it is taken
// towards smaller |y_j| so that fractions near 1 stay below 1.
func (s *rosStepper) jacobian(t float64, y, f0 *[nState]float64, floor *[nState]float64) {
	s.jacT = t
	if s.sys.jacobian(&s.jac, &s.ft, s.nc, t, y, f0) {
		return
	}
	const sqrtEps = 1.4901161193847656e-08
	yp := &s.yp
	for j := range s.nc {
		d := sqrtEps * math.Max(math.Abs(y[j]), floor[j])
		*yp = *y
		yp[j] = y[j] - d
		d = y[j] - yp[j]
		s.sys.rhs(&s.fpt, t, yp)
		for i := range nState {
			s.jac[i][j] = (f0[i] - s.fpt[i]) / d
		}
	}
	dt := 1e-7 * math.Max(1, math.Abs(t))
	tp := t + dt
	dt = tp - t
	s.sys.rhs(&s.fpt, tp, y)
	for i := range nState {
		s.ft[i] = (s.fpt[i] - f0[i]) / dt
	}
}

// factor forms the core block of M = 1/(hγ) − J and inverts it by
// cofactors (nc is 2 or 3; 1/(hγ) − J is well conditioned where the
// equations are stiff, since J's large eigenvalues are negative). It
// reports false for a singular or non-finite block.
//
// Why not an LU factorization with pivoting (or gonum's): the explicit
// inverse makes each of the four solves of a step a 3×3 product; with LU
// the solves took 14 % of Solve (pprof of BenchmarkSolveCheapHubble).
func (s *rosStepper) factor(h float64) bool {
	d := 1 / (h * rosGamma)
	j := &s.jac
	inv := &s.inv
	switch s.nc {
	case 2:
		a, b := d-j[0][0], -j[0][1]
		c, e := -j[1][0], d-j[1][1]
		det := a*e - b*c
		if det == 0 || math.IsNaN(det) || math.IsInf(det, 0) {
			return false
		}
		id := 1 / det
		inv[0] = [3]float64{e * id, -b * id, 0}
		inv[1] = [3]float64{-c * id, a * id, 0}
	case 3:
		var m [3][3]float64
		for r := range 3 {
			for k := range 3 {
				m[r][k] = -j[r][k]
			}
			m[r][r] += d
		}
		c00 := m[1][1]*m[2][2] - m[1][2]*m[2][1]
		c01 := m[1][2]*m[2][0] - m[1][0]*m[2][2]
		c02 := m[1][0]*m[2][1] - m[1][1]*m[2][0]
		det := m[0][0]*c00 + m[0][1]*c01 + m[0][2]*c02
		if det == 0 || math.IsNaN(det) || math.IsInf(det, 0) {
			return false
		}
		id := 1 / det
		inv[0] = [3]float64{c00 * id, (m[0][2]*m[2][1] - m[0][1]*m[2][2]) * id, (m[0][1]*m[1][2] - m[0][2]*m[1][1]) * id}
		inv[1] = [3]float64{c01 * id, (m[0][0]*m[2][2] - m[0][2]*m[2][0]) * id, (m[0][2]*m[1][0] - m[0][0]*m[1][2]) * id}
		inv[2] = [3]float64{c02 * id, (m[0][1]*m[2][0] - m[0][0]*m[2][1]) * id, (m[0][0]*m[1][1] - m[0][1]*m[1][0]) * id}
	default:
		panic("recomb: rosStepper supports cores of 2 or 3 components")
	}
	s.hLU = h
	return true
}

// solve overwrites b with M⁻¹ b: the core block by its inverse, then the
// other components, whose rows are (1/(hγ)) k_i − Σ_j J_ij k_j = b_i over
// the core j.
func (s *rosStepper) solve(b *[nState]float64) {
	inv := &s.inv
	var x0, x1, x2 float64
	if s.nc == 2 {
		x0 = inv[0][0]*b[0] + inv[0][1]*b[1]
		x1 = inv[1][0]*b[0] + inv[1][1]*b[1]
	} else {
		x0 = inv[0][0]*b[0] + inv[0][1]*b[1] + inv[0][2]*b[2]
		x1 = inv[1][0]*b[0] + inv[1][1]*b[1] + inv[1][2]*b[2]
		x2 = inv[2][0]*b[0] + inv[2][1]*b[1] + inv[2][2]*b[2]
	}
	hg := s.hLU * rosGamma
	j := &s.jac
	for i := s.nc; i < nState; i++ {
		b[i] = hg * (b[i] + j[i][0]*x0 + j[i][1]*x1 + j[i][2]*x2)
	}
	b[0], b[1] = x0, x1
	if s.nc == 3 {
		b[2] = x2
	}
}

// step advances y(t) by h with f0 = f(t, y), whose Jacobian must have been
// computed at t. It writes the new state to yNew and the error estimate to
// yErr, and reports false if the matrix is singular.
func (s *rosStepper) step(t, h float64, y, f0, yNew, yErr *[nState]float64) bool {
	if !s.factor(h) {
		return false
	}
	k1, k2, k3, k4 := &s.k[0], &s.k[1], &s.k[2], &s.k[3]
	for i := range nState {
		k1[i] = f0[i] + h*rosG1*s.ft[i]
	}
	s.solve(k1)
	ys := &s.yp
	for i := range nState {
		ys[i] = y[i] + rosA21*k1[i]
	}
	s.sys.rhs(&s.fs, t+rosAl2*h, ys)
	ih := 1 / h
	for i := range nState {
		k2[i] = s.fs[i] + rosC21*ih*k1[i] + h*rosG2*s.ft[i]
	}
	s.solve(k2)
	for i := range nState {
		ys[i] = y[i] + rosA31*k1[i] + rosA32*k2[i]
	}
	s.sys.rhs(&s.fs, t+rosAl3*h, ys)
	for i := range nState {
		k3[i] = s.fs[i] + ih*(rosC31*k1[i]+rosC32*k2[i]) + h*rosG3*s.ft[i]
	}
	s.solve(k3)
	// Stage 4 reuses the third evaluation of f (a4j = a3j).
	for i := range nState {
		k4[i] = s.fs[i] + ih*(rosC41*k1[i]+rosC42*k2[i]+rosC43*k3[i]) + h*rosG4*s.ft[i]
	}
	s.solve(k4)
	for i := range nState {
		yNew[i] = y[i] + rosM1*k1[i] + rosM2*k2[i] + rosM3*k3[i] + rosM4*k4[i]
		yErr[i] = rosE1*k1[i] + rosE2*k2[i] + rosE3*k3[i] + rosE4*k4[i]
	}
	return true
}
