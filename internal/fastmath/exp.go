// Package fastmath holds cosmoemu's hand-written elementary functions. Each
// is here because a benchmark (bench_test.go, results in the comments next
// to the function) shows that the standard library's costs more where it is
// used, or because results must not depend on the processor.
//
// Exp is the one exponential kernel: exp(x) to 1 ulp from fused
// multiply-adds, additions, multiplications and bit operations only, so that
// the scalar code and the AVX2 vector code (amd64) give the same bits. The
// network activations built on it (Sigmoid, Tanh, and their vector forms
// that add a layer's bias) and ScaleExp inherit that property: a network
// trains to the same bits on any processor and with any number of workers.
//
// CoarseExp and CoarseLn are the ODE solver's step-size controller's short
// approximations (coarse.go).
package fastmath

import "math"

// Constants of Exp, see there.
const (
	expHi   = 709.0
	expLo   = -708.0
	log2e   = 1.44269504088896338700e+00
	shifter = 0x1.8p52 // 1.5·2^52: adding it rounds to an integer in the low mantissa bits
	ln2Hi   = 6.93147180369123816490e-01
	ln2Lo   = 1.90821492927058770002e-10
)

// expPoly[k] = 1/(k+1)!, k = 0…12.
var expPoly = [13]float64{
	1, 1.0 / 2, 1.0 / 6, 1.0 / 24, 1.0 / 120, 1.0 / 720, 1.0 / 5040, 1.0 / 40320,
	1.0 / 362880, 1.0 / 3628800, 1.0 / 39916800, 1.0 / 479001600, 1.0 / 6227020800,
}

// Exp returns e^x to about 1 ulp for −708 ≤ x ≤ 709; it returns 0 below that
// range (where e^x < 3.3e−308), +Inf above it and NaN for NaN. It uses only
// FMA, add, multiply and bit operations, so the vector code in
// exp_amd64.s returns the same bits.
//
// With x = n·ln2 + r, |r| ≤ ln2/2, e^x = 2ⁿ·(1 + r·P(r)) where
// P(r) = Σ_{k=1}^{13} r^{k−1}/k! is evaluated with Estrin's scheme
// (truncation error below 1e−17).
//
// Why not math.Exp: the vector loops below, which give these bits, are
// faster than loops of math.Exp: a layer of 150 sigmoid units takes 236 ns
// against 1,060 ns (BenchmarkSigmoidBias), 31 values of H0·e^x 65 ns
// against 185 ns (BenchmarkScaleExp; the emulator's former table-based
// loop took 150 ns). Bits that do not depend on the processor make a
// trained model the same file everywhere.
func Exp(x float64) float64 {
	if x > expHi {
		return math.Inf(1)
	}
	if x < expLo {
		return 0
	}
	kd := math.FMA(x, log2e, shifter)
	n := kd - shifter
	r := math.FMA(n, -ln2Hi, x)
	r = math.FMA(n, -ln2Lo, r)
	c := &expPoly
	r2 := r * r
	q1 := math.FMA(r, c[1], c[0])
	q2 := math.FMA(r, c[3], c[2])
	q3 := math.FMA(r, c[5], c[4])
	q4 := math.FMA(r, c[7], c[6])
	q5 := math.FMA(r, c[9], c[8])
	q6 := math.FMA(r, c[11], c[10])
	r4 := r2 * r2
	s0 := math.FMA(r2, q2, q1)
	s1 := math.FMA(r2, q4, q3)
	s2 := math.FMA(r2, q6, q5)
	t1 := math.FMA(r4, c[12], s2)
	t0 := math.FMA(r4, s1, s0)
	r8 := r4 * r4
	p := math.FMA(r8, t1, t0)
	e := math.FMA(r, p, 1)
	scale := math.Float64frombits((math.Float64bits(kd) + 1023) << 52)
	return e * scale
}

// Sigmoid returns 1/(1+e^{−z}), with a relative error of a few ulp.
func Sigmoid(z float64) float64 { return 1 / (1 + Exp(-z)) }

// Tanh returns sign(z)·(1−e)/(1+e) with e = e^{−2|z|}: the absolute error
// is a few 1e−16 (the relative error near 0 is larger than math.Tanh's).
func Tanh(z float64) float64 {
	e := Exp(-2 * math.Abs(z))
	return math.Copysign((1-e)/(1+e), z)
}

// SigmoidBias sets z[j] = Sigmoid(z[j] + b[j]) for j < len(z), with the bits
// of the scalar function. It panics if b is shorter than z.
func SigmoidBias(z, b []float64) {
	b = b[:len(z)]
	j := 0
	if Vector && len(z) >= 4 {
		j = len(z) &^ 3
		SigmoidBiasN(&z[0], &b[0], j)
	}
	for ; j < len(z); j++ {
		z[j] = Sigmoid(z[j] + b[j])
	}
}

// TanhBias sets z[j] = Tanh(z[j] + b[j]) for j < len(z), with the bits of
// the scalar function. It panics if b is shorter than z.
func TanhBias(z, b []float64) {
	b = b[:len(z)]
	j := 0
	if Vector && len(z) >= 4 {
		j = len(z) &^ 3
		TanhBiasN(&z[0], &b[0], j)
	}
	for ; j < len(z); j++ {
		z[j] = Tanh(z[j] + b[j])
	}
}

// ScaleExp sets x[i] = s·Exp(x[i]) for every i, with the bits of the scalar
// expression.
func ScaleExp(x []float64, s float64) {
	i := 0
	if Vector && len(x) >= 4 {
		i = len(x) &^ 3
		scaleExpAsm(&x[0], i, s)
	}
	for ; i < len(x); i++ {
		x[i] = s * Exp(x[i])
	}
}
