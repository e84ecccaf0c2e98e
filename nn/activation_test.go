package nn

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// ulpDiff is the distance between a and b in units in the last place.
func ulpDiff(a, b float64) float64 {
	if a == b {
		return 0
	}
	return math.Abs(a-b) / (math.Nextafter(math.Abs(b), math.Inf(1)) - math.Abs(b))
}

// bigExp returns exp(x) correctly rounded to float64.
func bigExp(x float64) float64 {
	f, _ := bigExpF(x).Float64()
	return f
}

// bigExpF returns exp(x) to 200 bits, from a Taylor series on x/2^s squared
// s times.
func bigExpF(x float64) *big.Float {
	const prec = 200
	const s = 12
	y := new(big.Float).SetPrec(prec).SetFloat64(x)
	y.SetMantExp(y, -s)
	sum := new(big.Float).SetPrec(prec).SetInt64(1)
	term := new(big.Float).SetPrec(prec).SetInt64(1)
	for k := 1; k < 60; k++ {
		term.Mul(term, y)
		term.Quo(term, new(big.Float).SetPrec(prec).SetInt64(int64(k)))
		sum.Add(sum, term)
	}
	for i := 0; i < s; i++ {
		sum.Mul(sum, sum)
	}
	return sum
}

func TestExpAccuracy(t *testing.T) {
	rnd := rand.New(rand.NewPCG(5, 6))
	worst := 0.0
	for i := 0; i < 3000; i++ {
		var x float64
		switch i % 3 {
		case 0:
			x = expLo + (expHi-expLo)*rnd.Float64()
		case 1:
			x = 40 * (rnd.Float64() - 0.5)
		default:
			x = 1e-3 * rnd.NormFloat64()
		}
		got, want := expm(x), bigExp(x)
		if d := ulpDiff(got, want); d > worst {
			worst = d
		}
	}
	if worst > 1 {
		t.Errorf("expm: worst error %.2f ulp, want ≤ 1", worst)
	}
	t.Logf("expm: worst error %.2f ulp over 3000 points", worst)
	for _, c := range []struct{ x, want float64 }{
		{0, 1}, {math.Inf(1), math.Inf(1)}, {math.Inf(-1), 0}, {710, math.Inf(1)}, {-709, 0}, {1, math.E},
	} {
		if got := expm(c.x); got != c.want {
			t.Errorf("expm(%v) = %v, want %v", c.x, got, c.want)
		}
	}
	if !math.IsNaN(expm(math.NaN())) {
		t.Error("expm(NaN) is not NaN")
	}
}

func TestSigmoidTanhAccuracy(t *testing.T) {
	rnd := rand.New(rand.NewPCG(7, 8))
	var worstSig, worstTanh float64
	one := big.NewFloat(1).SetPrec(200)
	for i := 0; i < 3000; i++ {
		z := 30 * rnd.NormFloat64()
		if i%2 == 0 {
			z = 3 * rnd.NormFloat64()
		}
		// sigmoid(z) = 1/(1+exp(−z)), tanh(z) = 1 − 2/(exp(2z)+1) to 200 bits.
		e := bigExpF(-z)
		s, _ := new(big.Float).SetPrec(200).Quo(one, e.Add(e, one)).Float64()
		e = bigExpF(2 * z)
		e.Quo(one, e.Add(e, one))
		th, _ := e.Sub(one, e.Add(e, e)).Float64()
		worstSig = max(worstSig, ulpDiff(sigmoid(z), s))
		worstTanh = max(worstTanh, math.Abs(tanh(z)-th))
	}
	if worstSig > 3 {
		t.Errorf("sigmoid: worst error %.2f ulp, want ≤ 3", worstSig)
	}
	if worstTanh > 3e-16 {
		t.Errorf("tanh: worst absolute error %.3g, want ≤ 3e-16", worstTanh)
	}
	t.Logf("sigmoid worst %.2f ulp, tanh worst absolute %.3g", worstSig, worstTanh)
	for _, z := range []float64{math.Inf(1), math.Inf(-1), 0, math.Copysign(0, -1), 800, -800} {
		if got, want := sigmoid(z), 1/(1+math.Exp(-z)); got != want {
			t.Errorf("sigmoid(%v) = %v, want %v", z, got, want)
		}
		if got, want := tanh(z), math.Tanh(z); got != want || math.Signbit(got) != math.Signbit(want) {
			t.Errorf("tanh(%v) = %v, want %v", z, got, want)
		}
	}
}

// TestActivationVectorMatchesScalar checks that the vector activations give
// the bits of the scalar ones, including special values.
func TestActivationVectorMatchesScalar(t *testing.T) {
	rnd := rand.New(rand.NewPCG(9, 10))
	const n = 1003
	z := make([]float64, n)
	b := make([]float64, n)
	for i := range z {
		z[i] = 20 * rnd.NormFloat64()
		b[i] = rnd.NormFloat64()
	}
	copy(z[:8], []float64{math.Inf(1), math.Inf(-1), 0, math.Copysign(0, -1), 400, -400, 1e-300, 710})
	clear(b[:8])
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
				want = sigmoid(v)
			case Tanh:
				want = tanh(v)
			case ReLU:
				want = max(v, 0)
			}
			if math.Float64bits(got[i]) != math.Float64bits(want) {
				t.Fatalf("%v(%v): vector %v, scalar %v", act, v, got[i], want)
			}
		}
	}
	nan := []float64{math.NaN(), 1, 2, 3}
	for _, act := range []Activation{Linear, Sigmoid, Tanh, ReLU} {
		x := append([]float64(nil), nan...)
		biasActivate(act, x, make([]float64, 4))
		if !math.IsNaN(x[0]) {
			t.Errorf("%v(NaN) = %v, want NaN", act, x[0])
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
