package nn

import (
	"fmt"
	"math"
	"strings"
)

// Activation is the function a layer applies to its pre-activation
// z = a·W + b. The zero value is not a valid activation, so that a layer
// read from a file without one is caught by Network.Validate.
type Activation int

const (
	// Linear is the identity, f(z) = z.
	Linear Activation = iota + 1
	// Sigmoid is the logistic function f(z) = 1/(1+exp(−z)), f' = f(1−f).
	Sigmoid
	// Tanh is f(z) = tanh z, f' = 1−f².
	Tanh
	// ReLU is f(z) = max(z, 0), f' = 1 for z > 0 and 0 otherwise.
	ReLU
	// Softmax is f(z)_j = exp(z_j)/Σ_k exp(z_k) over the outputs of one
	// sample. It is allowed only in the output layer.
	Softmax
)

var activationNames = [...]string{Linear: "linear", Sigmoid: "sigmoid", Tanh: "tanh", ReLU: "relu", Softmax: "softmax"}

// String returns the name of a: "linear", "sigmoid", "tanh", "relu" or
// "softmax".
func (a Activation) String() string {
	if a.valid() {
		return activationNames[a]
	}
	return fmt.Sprintf("Activation(%d)", int(a))
}

func (a Activation) valid() bool { return a >= Linear && a <= Softmax }

// ParseActivation returns the activation named s (case-insensitive):
// "linear", "sigmoid", "tanh", "relu" or "softmax".
func ParseActivation(s string) (Activation, error) {
	for a := Linear; a <= Softmax; a++ {
		if strings.EqualFold(s, activationNames[a]) {
			return a, nil
		}
	}
	return 0, fmt.Errorf("nn: unknown activation %q (want linear, sigmoid, tanh, relu or softmax)", s)
}

// MarshalText implements encoding.TextMarshaler, so that model files name
// activations.
func (a Activation) MarshalText() ([]byte, error) {
	if !a.valid() {
		return nil, fmt.Errorf("nn: cannot marshal invalid %v", a)
	}
	return []byte(a.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (a *Activation) UnmarshalText(text []byte) error {
	v, err := ParseActivation(string(text))
	if err != nil {
		return err
	}
	*a = v
	return nil
}

// Constants of expm, see there.
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

// expm is exp(x) to about 1 ulp for −708 ≤ x ≤ 709; it returns 0 below that
// range (where exp(x) < 3.3e−308), +Inf above it and NaN for NaN. It uses
// only FMA, add, multiply and bit operations, so the vector version in
// act_amd64.s returns the same bits.
//
// With x = n·ln2 + r, |r| ≤ ln2/2, exp(x) = 2ⁿ·(1 + r·P(r)) where
// P(r) = Σ_{k=1}^{13} r^{k−1}/k! is evaluated with Estrin's scheme
// (truncation error below 1e−17).
func expm(x float64) float64 {
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

// sigmoid is 1/(1+exp(−z)), with a relative error of a few ulp.
func sigmoid(z float64) float64 { return 1 / (1 + expm(-z)) }

// tanh is sign(z)·(1−e)/(1+e) with e = exp(−2|z|): the absolute error is a
// few 1e−16 (the relative error near 0 is larger than math.Tanh's).
func tanh(z float64) float64 {
	e := expm(-2 * math.Abs(z))
	return math.Copysign((1-e)/(1+e), z)
}

// biasActivate sets z[j] = f(z[j] + b[j]) for an elementwise activation.
func biasActivate(act Activation, z, b []float64) {
	b = b[:len(z)]
	switch act {
	case Linear:
		for j := range z {
			z[j] += b[j]
		}
	case ReLU:
		for j := range z {
			v := z[j] + b[j]
			if v < 0 {
				v = 0
			}
			z[j] = v
		}
	case Sigmoid:
		j := 0
		if useAsm && len(z) >= 4 {
			j = len(z) &^ 3
			sigmoidBiasAsm(&z[0], &b[0], j)
		}
		for ; j < len(z); j++ {
			z[j] = sigmoid(z[j] + b[j])
		}
	case Tanh:
		j := 0
		if useAsm && len(z) >= 4 {
			j = len(z) &^ 3
			tanhBiasAsm(&z[0], &b[0], j)
		}
		for ; j < len(z); j++ {
			z[j] = tanh(z[j] + b[j])
		}
	case Softmax:
		for j := range z {
			z[j] += b[j]
		}
		softmax(z)
	default:
		panic("nn: invalid activation " + act.String())
	}
}

// softmax replaces z by exp(z − max z)/Σ exp(z − max z).
func softmax(z []float64) {
	m := math.Inf(-1)
	for _, v := range z {
		if v > m || v != v {
			m = v
		}
	}
	s := 0.0
	for j, v := range z {
		e := expm(v - m)
		z[j] = e
		s += e
	}
	for j := range z {
		z[j] /= s
	}
}

// logSumExp returns log Σ exp(z_j), computed stably.
func logSumExp(z []float64) float64 {
	m := math.Inf(-1)
	for _, v := range z {
		if v > m || v != v {
			m = v
		}
	}
	if math.IsInf(m, 0) {
		return m
	}
	s := 0.0
	for _, v := range z {
		s += math.Exp(v - m)
	}
	return m + math.Log(s)
}

// mulDerivative sets d[j] *= f'(z_j) where a[j] = f(z_j), for elementwise f.
func mulDerivative(act Activation, d, a []float64) {
	a = a[:len(d)]
	switch act {
	case Linear:
	case Sigmoid:
		for j, v := range a {
			d[j] *= v * (1 - v)
		}
	case Tanh:
		for j, v := range a {
			d[j] *= 1 - float64(v*v)
		}
	case ReLU:
		for j, v := range a {
			if !(v > 0) {
				d[j] = 0
			}
		}
	default:
		panic("nn: no elementwise derivative for " + act.String())
	}
}
