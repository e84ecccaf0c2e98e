package emulator

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// exp2Table must hold 2^{j/32} correctly rounded: check with 200-bit
// arithmetic (2^{j/32} is the root of y^32 = 2^j; Newton's method).
func TestExp2Table(t *testing.T) {
	for j, v := range exp2Table {
		y := new(big.Float).SetPrec(200).SetFloat64(math.Exp2(float64(j) / 32))
		target := new(big.Float).SetPrec(200).SetMantExp(big.NewFloat(1), j) // 2^j
		for range 20 {
			// y ← y − (y^32 − 2^j)/(32 y^31)
			y31 := new(big.Float).SetPrec(200).SetInt64(1)
			for range 31 {
				y31.Mul(y31, y)
			}
			y32 := new(big.Float).SetPrec(200).Mul(y31, y)
			num := new(big.Float).SetPrec(200).Sub(y32, target)
			den := new(big.Float).SetPrec(200).Mul(y31, big.NewFloat(32))
			y.Sub(y, num.Quo(num, den))
		}
		want, _ := y.Float64()
		if v != want {
			t.Errorf("exp2Table[%d] = %x, want %x", j, v, want)
		}
	}
}

func TestScaleExp(t *testing.T) {
	rnd := rand.New(rand.NewPCG(3, 4))
	xs := []float64{0, 1, -1, math.Ln2, -math.Ln2 / 64, math.Ln2 / 64, 700, -700, 1e-300, 0.5}
	for range 200000 {
		xs = append(xs, -50+100*rnd.Float64())
	}
	got := append([]float64(nil), xs...)
	scaleExp(got, 1)
	worst := 0.0
	for i, x := range xs {
		want := math.Exp(x)
		worst = math.Max(worst, math.Abs(got[i]-want)/want)
	}
	if worst > 6.7e-16 {
		t.Errorf("max relative difference from math.Exp %.3g > 6.7e-16 (3 ulp)", worst)
	}
	v := []float64{0.3}
	scaleExp(v, 70)
	if math.Abs(v[0]/(70*math.Exp(0.3))-1) > 6.7e-16 {
		t.Errorf("scaled: %v", v[0])
	}
}
