package likelihood

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// Gaussian is the Gaussian likelihood of a Data set:
//
//	χ² = Δᵀ C⁻¹ Δ,   Δ = H_model − H_obs,   ln L = −χ²/2.
//
// With diagonal errors the inverse variances 1/σ_i² are precomputed; with a
// full covariance C = L Lᵀ is factorized once by NewGaussian and each
// evaluation solves L y = Δ by forward substitution, χ² = yᵀy. A Gaussian
// is immutable and safe for concurrent use; evaluations need caller-owned
// scratch of length WorkLen.
type Gaussian struct {
	obs     []float64
	invVar  []float64 // diagonal case: 1/σ²
	lower   []float64 // full case: row-major N×N Cholesky factor L; nil if diagonal
	logNorm float64
}

// NewGaussian validates d and prepares its likelihood. It returns an error if
// the covariance is not positive definite.
func NewGaussian(d *Data) (*Gaussian, error) {
	if err := d.Validate(); err != nil {
		return nil, err
	}
	n := d.Len()
	g := &Gaussian{obs: append([]float64(nil), d.H...)}
	const ln2Pi = 1.8378770664093453 // ln 2π
	if d.Cov == nil {
		g.invVar = make([]float64, n)
		var logDet float64
		for i, s := range d.Sigma {
			g.invVar[i] = 1 / (s * s)
			logDet += 2 * math.Log(s)
		}
		g.logNorm = -0.5 * (float64(n)*ln2Pi + logDet)
		return g, nil
	}
	var chol mat.Cholesky
	if !chol.Factorize(d.Cov) {
		return nil, &ParseError{File: d.Name, Msg: "covariance is not positive definite (Cholesky factorization failed)"}
	}
	var l mat.TriDense
	chol.LTo(&l)
	g.lower = make([]float64, n*n)
	for i := range n {
		for j := 0; j <= i; j++ {
			g.lower[i*n+j] = l.At(i, j)
		}
	}
	g.logNorm = -0.5 * (float64(n)*ln2Pi + chol.LogDet())
	return g, nil
}

// Len returns the number of measurements.
func (g *Gaussian) Len() int { return len(g.obs) }

// WorkLen returns the length of the scratch slice ChiSquare needs: N with
// a full covariance, 0 with diagonal errors.
func (g *Gaussian) WorkLen() int {
	if g.lower == nil {
		return 0
	}
	return len(g.obs)
}

// ChiSquare returns χ² = Δᵀ C⁻¹ Δ for the model values h = H_model(z_i).
// work is overwritten scratch of length ≥ WorkLen (nil is fine for diagonal
// errors). It does not allocate. It panics if len(h) != Len.
func (g *Gaussian) ChiSquare(work, h []float64) float64 {
	n := len(g.obs)
	if len(h) != n {
		panic("likelihood: len(h) != number of measurements")
	}
	var chi2 float64
	if g.lower == nil {
		// Four partial sums: one chain of 31 dependent additions would
		// take longer than all the arithmetic around it.
		obs, iv := g.obs[:n], g.invVar[:n]
		var s0, s1, s2, s3 float64
		i := 0
		for ; i+4 <= n; i += 4 {
			d0, d1, d2, d3 := h[i]-obs[i], h[i+1]-obs[i+1], h[i+2]-obs[i+2], h[i+3]-obs[i+3]
			s0 += d0 * d0 * iv[i]
			s1 += d1 * d1 * iv[i+1]
			s2 += d2 * d2 * iv[i+2]
			s3 += d3 * d3 * iv[i+3]
		}
		for ; i < n; i++ {
			d := h[i] - obs[i]
			s0 += d * d * iv[i]
		}
		return (s0 + s1) + (s2 + s3)
	}
	if len(work) < n {
		panic("likelihood: work shorter than WorkLen")
	}
	y := work[:n]
	for i := range n {
		row := g.lower[i*n : i*n+i+1]
		s := h[i] - g.obs[i]
		for j, l := range row[:i] {
			s -= l * y[j]
		}
		y[i] = s / row[i]
		chi2 += y[i] * y[i]
	}
	return chi2
}

// LogLike returns ln L = −χ²/2, without the normalization LogNorm.
func (g *Gaussian) LogLike(work, h []float64) float64 {
	return -0.5 * g.ChiSquare(work, h)
}

// LogNorm returns the normalization constant −(N ln 2π + ln det C)/2 that
// LogLike leaves out: the normalized log-likelihood is LogLike + LogNorm.
func (g *Gaussian) LogNorm() float64 { return g.logNorm }
