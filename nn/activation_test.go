package nn

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/cosmoemu/cosmoemu/internal/fastmath"
)

// biasActivate applies the bias and the named activation; the vector
// kernels' bits are tested in internal/fastmath.
func TestBiasActivate(t *testing.T) {
	rnd := rand.New(rand.NewPCG(9, 10))
	const n = 103
	z := make([]float64, n)
	b := make([]float64, n)
	for i := range z {
		z[i] = 20 * rnd.NormFloat64()
		b[i] = rnd.NormFloat64()
	}
	for _, act := range []Activation{Linear, Sigmoid, Tanh, ReLU} {
		got := append([]float64(nil), z...)
		biasActivate(act, got, b)
		for i := range z {
			var want float64
			v := z[i] + b[i]
			switch act {
			case Linear:
				want = v
			case Sigmoid:
				want = fastmath.Sigmoid(v)
			case Tanh:
				want = fastmath.Tanh(v)
			case ReLU:
				want = max(v, 0)
			}
			if math.Float64bits(got[i]) != math.Float64bits(want) {
				t.Fatalf("%v(%v): got %v, want %v", act, v, got[i], want)
			}
		}
		nan := []float64{math.NaN(), 1, 2, 3}
		biasActivate(act, nan, make([]float64, 4))
		if !math.IsNaN(nan[0]) {
			t.Errorf("%v(NaN) = %v, want NaN", act, nan[0])
		}
	}
}

func TestParseActivation(t *testing.T) {
	for a := Linear; a <= Softmax; a++ {
		got, err := ParseActivation(a.String())
		if err != nil || got != a {
			t.Errorf("ParseActivation(%q) = %v, %v", a.String(), got, err)
		}
		text, err := a.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back Activation
		if err := back.UnmarshalText(text); err != nil || back != a {
			t.Errorf("text round trip of %v: %v, %v", a, back, err)
		}
	}
	if got, err := ParseActivation("TanH"); err != nil || got != Tanh {
		t.Errorf("ParseActivation(TanH) = %v, %v", got, err)
	}
	if _, err := ParseActivation("elu"); err == nil {
		t.Error("ParseActivation(elu): no error")
	}
	if _, err := Activation(0).MarshalText(); err == nil {
		t.Error("MarshalText of the zero Activation: no error")
	}
}
