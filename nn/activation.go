package nn

import (
	"fmt"
	"math"
	"strings"

	"github.com/cosmoemu/cosmoemu/internal/fastmath"
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
	// The vector loops are called directly: see fastmath.SigmoidBiasN.
	case Sigmoid:
		j := 0
		if fastmath.Vector && len(z) >= 4 {
			j = len(z) &^ 3
			fastmath.SigmoidBiasN(&z[0], &b[0], j)
		}
		for ; j < len(z); j++ {
			z[j] = fastmath.Sigmoid(z[j] + b[j])
		}
	case Tanh:
		j := 0
		if fastmath.Vector && len(z) >= 4 {
			j = len(z) &^ 3
			fastmath.TanhBiasN(&z[0], &b[0], j)
		}
		for ; j < len(z); j++ {
			z[j] = fastmath.Tanh(z[j] + b[j])
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
		e := fastmath.Exp(v - m)
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
