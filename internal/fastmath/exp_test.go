package fastmath

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
		got, want := Exp(x), bigExp(x)
		if d := ulpDiff(got, want); d > worst {
			worst = d
		}
	}
	if worst > 1 {
		t.Errorf("Exp: worst error %.2f ulp, want ≤ 1", worst)
	}
	t.Logf("Exp: worst error %.2f ulp over 3000 points", worst)
	for _, c := range []struct{ x, want float64 }{
		{0, 1}, {math.Inf(1), math.Inf(1)}, {math.Inf(-1), 0}, {710, math.Inf(1)}, {-709, 0}, {1, math.E},
	} {
		if got := Exp(c.x); got != c.want {
			t.Errorf("Exp(%v) = %v, want %v", c.x, got, c.want)
		}
	}
	if !math.IsNaN(Exp(math.NaN())) {
		t.Error("Exp(NaN) is not NaN")
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
		// Sigmoid(z) = 1/(1+exp(−z)), Tanh(z) = 1 − 2/(exp(2z)+1) to 200 bits.
		e := bigExpF(-z)
		s, _ := new(big.Float).SetPrec(200).Quo(one, e.Add(e, one)).Float64()
		e = bigExpF(2 * z)
		e.Quo(one, e.Add(e, one))
		th, _ := e.Sub(one, e.Add(e, e)).Float64()
		worstSig = max(worstSig, ulpDiff(Sigmoid(z), s))
		worstTanh = max(worstTanh, math.Abs(Tanh(z)-th))
	}
	if worstSig > 3 {
		t.Errorf("Sigmoid: worst error %.2f ulp, want ≤ 3", worstSig)
	}
	if worstTanh > 3e-16 {
		t.Errorf("Tanh: worst absolute error %.3g, want ≤ 3e-16", worstTanh)
	}
	t.Logf("Sigmoid worst %.2f ulp, tanh worst absolute %.3g", worstSig, worstTanh)
	for _, z := range []float64{math.Inf(1), math.Inf(-1), 0, math.Copysign(0, -1), 800, -800} {
		if got, want := Sigmoid(z), 1/(1+math.Exp(-z)); got != want {
			t.Errorf("Sigmoid(%v) = %v, want %v", z, got, want)
		}
		if got, want := Tanh(z), math.Tanh(z); got != want || math.Signbit(got) != math.Signbit(want) {
			t.Errorf("Tanh(%v) = %v, want %v", z, got, want)
		}
	}
}

// The vector loops must give the bits of the scalar functions, special
// values included, for every length (the tail is scalar).
func TestVectorMatchesScalar(t *testing.T) {
	rnd := rand.New(rand.NewPCG(9, 10))
	const n = 1003
	z := make([]float64, n)
	b := make([]float64, n)
	for i := range z {
		z[i] = 20 * rnd.NormFloat64()
		b[i] = rnd.NormFloat64()
	}
	copy(z[:9], []float64{math.Inf(1), math.Inf(-1), 0, math.Copysign(0, -1), 400, -400, 1e-300, 710, math.NaN()})
	clear(b[:9])
	for _, tc := range []struct {
		name   string
		vector func(z, b []float64)
		scalar func(float64) float64
	}{
		{"SigmoidBias", SigmoidBias, Sigmoid},
		{"TanhBias", TanhBias, Tanh},
		{"ScaleExp", func(z, b []float64) {
			for i := range z {
				z[i] += b[i]
			}
			ScaleExp(z, 70.5)
		}, func(x float64) float64 { return 70.5 * Exp(x) }},
	} {
		for _, m := range []int{0, 1, 3, 4, 7, 31, n} {
			got := append([]float64(nil), z[:m]...)
			tc.vector(got, b)
			for i := range got {
				want := tc.scalar(z[i] + b[i])
				if math.Float64bits(got[i]) != math.Float64bits(want) && !(math.IsNaN(got[i]) && math.IsNaN(want)) {
					t.Fatalf("%s, length %d, element %d (%v): vector %v, scalar %v", tc.name, m, i, z[i]+b[i], got[i], want)
				}
			}
		}
	}
	if !Vector {
		t.Log("no AVX2+FMA: the vector loops are the scalar ones")
	}
}
