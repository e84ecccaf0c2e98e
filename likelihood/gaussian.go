package likelihood

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
)

// gaussian is the Gaussian form χ² = rᵀC⁻¹r of a residual r: with a full
// covariance C = LLᵀ, factorized once, χ² = |L⁻¹r|² by one triangular
// solve (blas64.Trsv); with diagonal errors, Σ r_i²/σ_i².
type gaussian struct {
	n      int
	lower  blas64.Triangular // nil Data: diagonal
	invVar []float64
	logDet float64 // ln det C
}

// newGaussian prepares C (nil: diag(sigma²)). name labels errors.
func newGaussian(name string, cov *mat.SymDense, sigma []float64) (*gaussian, error) {
	if cov == nil {
		g := &gaussian{n: len(sigma), invVar: make([]float64, len(sigma))}
		for i, s := range sigma {
			if !(s > 0) || math.IsInf(s, 1) {
				return nil, fmt.Errorf("%s: error %d = %v must be positive and finite", name, i+1, s)
			}
			g.invVar[i] = 1 / (s * s)
			g.logDet += 2 * math.Log(s)
		}
		return g, nil
	}
	n := cov.SymmetricDim()
	var chol mat.Cholesky
	if !chol.Factorize(cov) {
		return nil, fmt.Errorf("%s: the %d×%d covariance is not positive definite", name, n, n)
	}
	var l mat.TriDense
	chol.LTo(&l)
	return &gaussian{n: n, lower: l.RawTriangular(), logDet: chol.LogDet()}, nil
}

// checkScale refuses data that no χ² can hold: with C = LLᵀ, a row of
// the whitened data L⁻¹d (d_i/σ_i for diagonal errors, lower nil or empty)
// larger than maxWhitened in magnitude, or not finite. Its square, and the
// χ² of any
// theory near the scale of physical values, would leave the float64 range
// (or come close enough that sums do), which the sampler could only report
// as a non-finite χ² without saying where. name labels the error, which
// names the row.
func checkScale(name string, d []float64, lower *blas64.Triangular, sigma []float64) error {
	w := append([]float64(nil), d...)
	if lower == nil || lower.Data == nil {
		for i := range w {
			w[i] /= sigma[i]
		}
	} else {
		blas64.Trsv(blas.NoTrans, *lower, blas64.Vector{N: len(w), Data: w, Inc: 1})
	}
	for i, v := range w {
		if !(math.Abs(v) <= maxWhitened) {
			return fmt.Errorf("%s: row %d: the value %g is %.3g times its error, beyond what a χ² can hold (at most %g)", name, i+1, d[i], v, maxWhitened)
		}
	}
	return nil
}

// maxWhitened bounds the data in units of their errors (checkScale). Real
// data are at most about 10⁴ times their errors.
const maxWhitened = 1e100

// chi2 returns rᵀC⁻¹r, overwriting r.
func (g *gaussian) chi2(r []float64) float64 {
	r = r[:g.n]
	if g.lower.Data == nil {
		return weightedSumSq(r, g.invVar)
	}
	blas64.Trsv(blas.NoTrans, g.lower, blas64.Vector{N: g.n, Data: r, Inc: 1})
	s := 0.0
	for _, v := range r {
		s += v * v
	}
	return s
}

// weightedSumSq returns Σ r_i² w_i with four partial sums, so that the
// additions do not wait on each other (with the H(z) residual loop made
// free of bounds checks, a cc31 posterior evaluation went 160 → 137 ns).
func weightedSumSq(r, w []float64) float64 {
	w = w[:len(r)]
	var s0, s1, s2, s3 float64
	i := 0
	for ; i+4 <= len(r); i += 4 {
		s0 += r[i] * r[i] * w[i]
		s1 += r[i+1] * r[i+1] * w[i+1]
		s2 += r[i+2] * r[i+2] * w[i+2]
		s3 += r[i+3] * r[i+3] * w[i+3]
	}
	for ; i < len(r); i++ {
		s0 += r[i] * r[i] * w[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// logNorm returns −½ ln det(2πC).
func (g *gaussian) logNorm() float64 { return -0.5 * (float64(g.n)*ln2Pi + g.logDet) }
