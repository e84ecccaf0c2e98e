package fastmath

import "math"

// The ODE solver's step-size controller needs err^p·errOld^q to a few
// digits only (it is a heuristic with a safety factor of 0.9), but it sits
// on the critical path of every step: the next step cannot start before its
// size is known. These short, low-latency approximations replace math.Pow,
// or math.Log with math.Exp, there.
//
// Why not Exp: not for speed (BenchmarkLatency gives 17 ns for either, 31
// ns for math.Exp, and the solver's BenchmarkFriedmann is 16.8 µs with
// either), but because the controller's bits decide the solver's steps,
// hence every training grid and the embedded emulator model: with Exp here
// the default recipe's grid changes (its SHA-256 differs), and
// emulator/models/friedmann.bin would no longer rebuild byte for byte.

// CoarseLn returns ln x to about 1e-6 relative for positive normal x, from
// x = m·2^e with m ∈ [√½, √2) and ln m = 2 atanh(t) ≈ 2t(1 + t²/3 + t⁴/5),
// t = (m−1)/(m+1), |t| ≤ 0.1716. Zero and subnormal x give a large negative
// number instead of −Inf. (It is too long to be inlined, which suits the
// solver: inlined, it slowed its step loop down.)
func CoarseLn(x float64) float64 {
	bits := math.Float64bits(x)
	e := float64(int((bits>>52)&0x7ff) - 1023)
	m := math.Float64frombits(bits&^(0x7ff<<52) | 1023<<52) // m ∈ [1, 2)
	if m > math.Sqrt2 {
		m *= 0.5
		e++
	}
	t := (m - 1) / (m + 1)
	t2 := t * t
	return e*math.Ln2 + 2*t*(1+t2*(1.0/3+t2*(1.0/5)))
}

// CoarseExp returns e^y to about 3e-6 relative for |y| < 700, from
// y = k ln 2 + r, |r| ≤ ln2/2, and the Taylor series of e^r to r⁵.
func CoarseExp(y float64) float64 {
	k := math.Floor(y*math.Log2E + 0.5)
	r := y - k*math.Ln2
	p := 1 + r*(1+r*(1.0/2+r*(1.0/6+r*(1.0/24+r*(1.0/120)))))
	return p * math.Float64frombits(uint64(int64(k)+1023)<<52)
}
