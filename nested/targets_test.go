package nested

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// target is a test problem with a known ln Z.
type target struct {
	name   string
	prob   Problem
	logZ   float64 // the true ln Z
	live   int     // live points used in the tests
	mean   []float64
	modeOK func(theta []float64) bool // optional: inside the first mode
	modeW  float64                    // its posterior mass
}

// boxTransform maps the unit cube onto the box [lo, hi]^d.
func boxTransform(lo, hi float64) func(dst, u []float64) {
	return func(dst, u []float64) {
		for i, v := range u {
			dst[i] = lo + (hi-lo)*v
		}
	}
}

// gaussian returns ln N(θ; μ, Σ) for Σ = L·Lᵀ with L lower triangular
// (row-major); it is safe for concurrent use and does not allocate for
// d ≤ 16.
func gaussian(mu []float64, l *mat.TriDense) func([]float64) float64 {
	d := len(mu)
	lr := make([]float64, d*d)
	logDet := 0.0
	for i := range d {
		for j := 0; j <= i; j++ {
			lr[i*d+j] = l.At(i, j)
		}
		logDet += 2 * math.Log(l.At(i, i))
	}
	norm := -0.5 * (float64(d)*math.Log(2*math.Pi) + logDet)
	return func(x []float64) float64 {
		var buf [16]float64
		y := buf[:d]
		if d > len(buf) {
			y = make([]float64, d)
		}
		r2 := 0.0
		for i := range d {
			v := x[i] - mu[i]
			for j := 0; j < i; j++ {
				v -= lr[i*d+j] * y[j]
			}
			y[i] = v / lr[i*d+i]
			r2 += y[i] * y[i]
		}
		return norm - 0.5*r2
	}
}

// correlatedGaussian is N(μ, Σ) with μ_i = 1, unit variances and
// correlations Σ_ij = 0.9^|i−j|, inside the uniform box [−10, 10]^d. The
// Gaussian is normalized, so Z = P(box)/20^d; the mass outside the box is
// at most Σ_i erfc(9/√2) ≈ 2·10⁻¹⁹·d (each marginal is N(1, 1), 9σ from the
// nearer face), so ln Z = −d·ln 20 to better than 10⁻¹⁸.
func correlatedGaussian(d, live int) target {
	sig := mat.NewSymDense(d, nil)
	for i := range d {
		for j := range d {
			sig.SetSym(i, j, math.Pow(0.9, math.Abs(float64(i-j))))
		}
	}
	var ch mat.Cholesky
	if !ch.Factorize(sig) {
		panic("not positive definite")
	}
	l := mat.NewTriDense(d, mat.Lower, nil)
	ch.LTo(l)
	mu := make([]float64, d)
	for i := range mu {
		mu[i] = 1
	}
	return target{
		name: fmt.Sprintf("gauss%dd", d),
		prob: Problem{Dim: d, Transform: boxTransform(-10, 10), LogLike: gaussian(mu, l)},
		logZ: -float64(d) * math.Log(20),
		live: live,
		mean: mu,
	}
}

// stdNormalCDF is Φ(x).
func stdNormalCDF(x float64) float64 { return 0.5 * math.Erfc(-x/math.Sqrt2) }

// edgeGaussian is a diagonal Gaussian in the unit box [0, 1]^3 centred
// near faces and a corner, so that the box cuts it:
// Z = Π_i [Φ((1 − μ_i)/σ_i) − Φ(−μ_i/σ_i)], exactly.
func edgeGaussian(live int) target {
	mu := []float64{0.97, 0.5, 0.03}
	sd := []float64{0.05, 0.1, 0.02}
	l := mat.NewTriDense(3, mat.Lower, nil)
	logZ := 0.0
	for i := range mu {
		l.SetTri(i, i, sd[i])
		logZ += math.Log(stdNormalCDF((1-mu[i])/sd[i]) - stdNormalCDF(-mu[i]/sd[i]))
	}
	return target{
		name: "edge3d",
		prob: Problem{Dim: 3, Transform: boxTransform(0, 1), LogLike: gaussian(mu, l)},
		logZ: logZ,
		live: live,
	}
}

// Gaussian shells of Feroz & Hobson (2008), §6.2 of MultiNest's paper
// (Feroz, Hobson & Bridges 2009): two rings of radius 2 and width 0.1
// centred at (±3.5, 0), uniform prior on [−6, 6]².
const (
	shellR = 2.0
	shellW = 0.1
	shellC = 3.5
	shellA = 6.0
)

func shellCirc(x, y, cx float64) float64 {
	r := math.Hypot(x-cx, y)
	return math.Exp(-(r-shellR)*(r-shellR)/(2*shellW*shellW)) / math.Sqrt(2*math.Pi*shellW*shellW)
}

func shellLogLike(t []float64) float64 {
	return math.Log(shellCirc(t[0], t[1], -shellC) + shellCirc(t[0], t[1], shellC))
}

// shellsLogZ is the closed form over the whole plane: each ring integrates
// to ∫₀^∞ 2πρ N(ρ; r, w²) dρ = 2π[r Φ(r/w) + w φ(r/w)] ≈ 2πr, so
// Z = 2·2πr/(2a)² = π/18 ≈ 0.17453, ln Z ≈ −1.7455 (the paper's −1.75).
// The box cuts only the rings' tails beyond 5w (every ring point is ≥ 0.5
// inside the box): a relative loss below 10⁻⁶, which TestShellsQuadrature
// checks by integrating over the box.
func shellsLogZ() float64 {
	q := shellR / shellW
	ring := 2 * math.Pi * (shellR*stdNormalCDF(q) + shellW*math.Exp(-q*q/2)/math.Sqrt(2*math.Pi))
	return math.Log(2 * ring / (4 * shellA * shellA))
}

func shells(live int) target {
	return target{
		name:   "shells2d",
		prob:   Problem{Dim: 2, Transform: boxTransform(-shellA, shellA), LogLike: shellLogLike},
		logZ:   shellsLogZ(),
		live:   live,
		modeOK: func(t []float64) bool { return t[0] < 0 },
		modeW:  0.5,
	}
}

// mixture is 0.7·N(μ₁, 0.5²I) + 0.3·N(μ₂, 0.3²I) in d dimensions with
// μ₁ = (−4, …), μ₂ = (4, …), in the box [−10, 10]^d: Z = P(box)/20^d with
// the mass outside below erfc(6/(0.5√2)) ≈ 10⁻³², so ln Z = −d·ln 20.
func mixture(d, live int) target {
	m1, m2 := make([]float64, d), make([]float64, d)
	l1, l2 := mat.NewTriDense(d, mat.Lower, nil), mat.NewTriDense(d, mat.Lower, nil)
	for i := range d {
		m1[i], m2[i] = -4, 4
		l1.SetTri(i, i, 0.5)
		l2.SetTri(i, i, 0.3)
	}
	g1, g2 := gaussian(m1, l1), gaussian(m2, l2)
	w1, w2 := math.Log(0.7), math.Log(0.3)
	mean := make([]float64, d)
	for i := range mean {
		mean[i] = 0.7*m1[i] + 0.3*m2[i]
	}
	return target{
		name: fmt.Sprintf("mixture%dd", d),
		prob: Problem{Dim: d, Transform: boxTransform(-10, 10), LogLike: func(t []float64) float64 {
			return logAddExp(w1+g1(t), w2+g2(t))
		}},
		logZ:   -float64(d) * math.Log(20),
		live:   live,
		mean:   mean,
		modeOK: func(t []float64) bool { return t[0] < 0 },
		modeW:  0.7,
	}
}

// banana is a curved degeneracy like w0–wa plus parameters correlated with
// it: θ₁ ~ N(0, 1), θ₂ | θ₁ ~ N(θ₁², 0.1²) and, for k = 3…d,
// θ_k | θ₁ ~ N(θ₁/2, 0.5²) — a normalized density (the shears have unit
// Jacobian) — in the box θ₁ ∈ [−5, 5], θ₂ ∈ [−2, 28], θ_k ∈ [−10, 10].
// The conditionals lie ≥ 3/0.1 = 30σ (θ₂) and 7.5/0.5 = 15σ (θ_k) inside
// the box for |θ₁| ≤ 5, so Z = erf(5/√2)/(10·30·20^(d−2)) to double
// precision.
func banana(d, live int) target {
	return target{
		name: fmt.Sprintf("banana%dd", d),
		prob: Problem{
			Dim: d,
			Transform: func(dst, u []float64) {
				dst[0] = -5 + 10*u[0]
				dst[1] = -2 + 30*u[1]
				for i := 2; i < len(u); i++ {
					dst[i] = -10 + 20*u[i]
				}
			},
			LogLike: func(t []float64) float64 {
				const s2, sk = 0.1, 0.5
				ln2pi := math.Log(2 * math.Pi)
				r := (t[1] - t[0]*t[0]) / s2
				l := -0.5*t[0]*t[0] - 0.5*r*r - math.Log(s2) - ln2pi
				for _, v := range t[2:] {
					r := (v - t[0]/2) / sk
					l += -0.5*r*r - math.Log(sk) - 0.5*ln2pi
				}
				return l
			},
		},
		logZ: math.Log(math.Erf(5/math.Sqrt2)) - math.Log(300) - float64(d-2)*math.Log(20),
		live: live,
	}
}
