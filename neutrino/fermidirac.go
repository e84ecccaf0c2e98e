package neutrino

import (
	"math"
	"sync"
)

// NonRelativisticSlope is the limit of ρ(y)/(ρ(0) y) for y → ∞,
// 180ζ(3)/(7π⁴) = (3/2)ζ(3)/(7π⁴/120) ≈ 0.31729: the number density times
// the mass, over the massless energy density.
const NonRelativisticSlope = 1.5 * zeta3 / fdConst

// Mathematical constants of the Fermi–Dirac integrals.
const (
	// fdConst is ∫₀^∞ q³/(e^q+1) dq = 7π⁴/120, the massless integral.
	fdConst = 7 * math.Pi * math.Pi * math.Pi * math.Pi / 120

	zeta3  = 1.2020569031595942854
	zeta5  = 1.0369277551433699263
	zeta7  = 1.0083492773819228268
	zeta9  = 1.0020083928260822144
	zeta11 = 1.0004941886041194646
	zeta13 = 1.0001227133475784891

	// smallC2 is the y² coefficient of ρ(y)/ρ(0), 5/(7π²) = (π²/24)/fdConst.
	smallC2 = 5 / (7 * math.Pi * math.Pi)
)

// Coefficients of the large-y expansions (see Density and Pressure):
// ρ/ρ(0) = Σ_k C(½,k) η(2k+3) (2k+2)! y^{1−2k} / fdConst and
// p/ρ(0) = Σ_k C(−½,k) η(2k+5) (2k+4)! y^{−1−2k} / (3 fdConst), with
// η(s) = (1 − 2^{1−s}) ζ(s) and C the binomial coefficients, k = 0…4.
const (
	rhoL0 = 1.0 * (3.0 / 4) * 2 * zeta3 / fdConst
	rhoL1 = (1.0 / 2) * (15.0 / 16) * 24 * zeta5 / fdConst
	rhoL2 = (-1.0 / 8) * (63.0 / 64) * 720 * zeta7 / fdConst
	rhoL3 = (1.0 / 16) * (255.0 / 256) * 40320 * zeta9 / fdConst
	rhoL4 = (-5.0 / 128) * (1023.0 / 1024) * 3628800 * zeta11 / fdConst

	pL0 = 1.0 * (15.0 / 16) * 24 * zeta5 / (3 * fdConst)
	pL1 = (-1.0 / 2) * (63.0 / 64) * 720 * zeta7 / (3 * fdConst)
	pL2 = (3.0 / 8) * (255.0 / 256) * 40320 * zeta9 / (3 * fdConst)
	pL3 = (-5.0 / 16) * (1023.0 / 1024) * 3628800 * zeta11 / (3 * fdConst)
	pL4 = (35.0 / 128) * (4095.0 / 4096) * 479001600 * zeta13 / (3 * fdConst)
)

// The table covers tableMin ≤ y < tableMax, in octaves [2^e, 2^{e+1}) each
// cut into cellsPerOctave cells of equal width; on each cell ρ/ρ(0) and
// p/ρ(0) are polynomials of degree degree, their Chebyshev interpolants at
// degree+1 points of the first kind, from quadrature of the integrals.
const (
	minExp         = -14 // tableMin = 2^minExp
	maxExp         = 9   // tableMax = 2^maxExp
	cellBits       = 3
	cellsPerOctave = 1 << cellBits
	degree         = 7
	numCells       = (maxExp - minExp) * cellsPerOctave

	tableMin = 1.0 / (1 << -minExp)
	tableMax = 1 << maxExp
)

// cell is the interpolant on one cell: with t = (y − mid)·scale ∈ [−1, 1],
// ρ/ρ(0) = Σ rho[i] tⁱ and p/ρ(0) = Σ p[i] tⁱ.
type cell struct {
	mid, scale float64
	rho, p     [degree + 1]float64
}

var (
	tableOnce sync.Once
	table     *[numCells]cell
)

// cells returns the table, building it on first use.
func cells() *[numCells]cell {
	tableOnce.Do(buildTable)
	return table
}

// buildTable fills the table from the quadrature of the integrals.
func buildTable() {
	const n = degree + 1
	var tab [numCells]cell
	rule := newFDRule()
	var rv, pv [n]float64
	for e := minExp; e < maxExp; e++ {
		width := math.Ldexp(1, e) / cellsPerOctave
		for j := range cellsPerOctave {
			c := &tab[(e-minExp)*cellsPerOctave+j]
			c.mid = math.Ldexp(1, e) + (float64(j)+0.5)*width
			c.scale = 2 / width
			for k := range n {
				// The Chebyshev points of the first kind, cos(π(k+½)/n).
				t := math.Cos(math.Pi * (float64(k) + 0.5) / n)
				rv[k], pv[k] = rule.integrals(c.mid + t*width/2)
			}
			c.rho = chebInterp(&rv)
			c.p = chebInterp(&pv)
		}
	}
	table = &tab
}

// chebInterp returns the coefficients, in powers of t, of the polynomial
// of degree n−1 that takes the values f at the n Chebyshev points of the
// first kind t_k = cos θ_k, θ_k = π(k+½)/n: Σ_j a_j T_j(t) with
// a_j = (2/n) Σ_k f_k cos(jθ_k) (a_0 halved), each Chebyshev polynomial
// expanded by T_{j+1} = 2t T_j − T_{j−1}. On [−1, 1] the expansion loses
// at most a factor 2^(n−1) = 128 on the small a_j, not on the values.
func chebInterp(f *[degree + 1]float64) (coef [degree + 1]float64) {
	const n = degree + 1
	var cheb [n][n]float64 // cheb[j][i]: coefficient of tⁱ in T_j
	cheb[0][0], cheb[1][1] = 1, 1
	for j := 2; j < n; j++ {
		for i := range n {
			if i > 0 {
				cheb[j][i] = 2 * cheb[j-1][i-1]
			}
			cheb[j][i] -= cheb[j-2][i]
		}
	}
	for j := range n {
		a := 0.0
		for k := range n {
			a += f[k] * math.Cos(float64(j)*math.Pi*(float64(k)+0.5)/n)
		}
		a *= 2.0 / n
		if j == 0 {
			a /= 2
		}
		for i := range n {
			coef[i] += a * cheb[j][i]
		}
	}
	return coef
}

// DensityPressure returns the energy density and the pressure of one
// species of thermal neutrinos (neutrino and antineutrino, one helicity
// each) of mass m, relative to the energy density of the same species if
// it were massless:
//
//	ρ(y)/ρ(0) = (120/7π⁴) ∫₀^∞ q² √(q²+y²) / (e^q+1) dq,
//	p(y)/ρ(0) = (120/7π⁴) ∫₀^∞ q⁴ / (3√(q²+y²)) / (e^q+1) dq,
//
// where y = m a c²/(k_B T_ν0) is the mass over the temperature of the
// species (the distribution of comoving momenta q is frozen at
// decoupling, 1/(e^q+1), so y grows as the scale factor a). Since the
// integrands depend on y², so do the results: y < 0 gives those of |y|.
//
// Between 2⁻¹⁴ and 2⁹ the values are interpolated from a table of the
// integrals, to 1.2e-14 (ρ) and 1.1e-12 (p) relative (TestAgainstQuadrature).
// Below it the series ρ/ρ(0) = 1 + (5/7π²) y² + O(y⁴ ln y) is used, above
// it the non-relativistic expansions
//
//	ρ/ρ(0) = [ (3/2)ζ₃ y + (45/4)ζ₅/y − (2835/32)ζ₇/y³ + … ] / (7π⁴/120),
//	p/ρ(0) = [ (15/2)ζ₅/y − (945/8)ζ₇/y³ + … ] / (7π⁴/120),
//
// to the y⁻⁷ term; the terms left out are below 1e-17 relative where the
// table ends. The full small-y series (TestSmallYSeries) is
//
//	ρ/ρ(0) = 1 + (5/7π²) y² + (15/14π⁴) y⁴ ln y + c₄ y⁴ − (4/7π⁴) y⁵
//	         + (15ζ₃/16π⁶) y⁶ − (4/147π⁴) y⁷ + …,
//	c₄ = (1/64 − (ln π − γ)/16)/(7π⁴/120) ≈ −0.0034924,
//
// and at every y, p = (ρ − y dρ/dy)/3, which is the continuity equation
// dρ/d ln a = −3(ρ + p) with ρ_ν ∝ a⁻⁴ ρ(y)/ρ(0).
//
// The table is built on the first call (about 2.5 ms); later calls take a
// few nanoseconds and do not allocate.
func DensityPressure(y float64) (rho, p float64) {
	y = math.Abs(y)
	if y < tableMin {
		y2 := y * y
		return 1 + smallC2*y2, (1 - smallC2*y2) / 3
	}
	if !(y < tableMax) { // also NaN
		return largeY(y)
	}
	c := &cells()[int(math.Float64bits(y)>>(52-cellBits))-(1023+minExp)<<cellBits]
	t := (y - c.mid) * c.scale
	return poly(&c.rho, t), poly(&c.p, t)
}

// largeY returns the non-relativistic expansions of DensityPressure.
func largeY(y float64) (rho, p float64) {
	u := 1 / y
	u2 := u * u
	rho = y*rhoL0 + u*(rhoL1+u2*(rhoL2+u2*(rhoL3+u2*rhoL4)))
	p = u * (pL0 + u2*(pL1+u2*(pL2+u2*(pL3+u2*pL4))))
	return rho, p
}

// Density returns ρ(y)/ρ(0), the energy density of a massive neutrino
// species relative to the massless case; see DensityPressure.
func Density(y float64) float64 {
	rho, _ := DensityPressure(y)
	return rho
}

// Pressure returns p(y)/ρ(0), the pressure of a massive neutrino species
// relative to the massless energy density; see DensityPressure.
func Pressure(y float64) float64 {
	_, p := DensityPressure(y)
	return p
}

// EoS returns the equation of state w = p/ρ of a massive neutrino species,
// from 1/3 (y = 0, relativistic) to 0 (y → ∞); see DensityPressure.
func EoS(y float64) float64 {
	rho, p := DensityPressure(y)
	return p / rho
}

// poly evaluates Σ c[i] tⁱ by Estrin's scheme, whose dependency chain is
// shorter than Horner's.
func poly(c *[degree + 1]float64, t float64) float64 {
	t2 := t * t
	t4 := t2 * t2
	a := c[0] + c[1]*t
	b := c[2] + c[3]*t
	d := c[4] + c[5]*t
	e := c[6] + c[7]*t
	return (a + b*t2) + (d+e*t2)*t4
}
