package solver

import "math"

// The step-size controller needs err^p·errOld^q to a few digits only, but it
// sits on the critical path of every step: the next step cannot start before
// its size is known. math.Pow, or math.Log with math.Exp, would cost as much
// as the right-hand side of a small system, so the controller works with
// these short, low-latency approximations instead (relative error < 1e-7).

// fastLn is ln x for positive normal x, from x = m·2^e with m ∈ [√½, √2) and
// ln m = 2 atanh(t), t = (m−1)/(m+1), |t| ≤ 0.1716, by its series to t^9.
// Zero and subnormal x give a large negative number instead of −Inf.
func fastLn(x float64) float64 {
	bits := math.Float64bits(x)
	e := int((bits>>52)&0x7ff) - 1023
	m := math.Float64frombits(bits&^(0x7ff<<52) | 1023<<52) // m ∈ [1, 2)
	if m > math.Sqrt2 {
		m *= 0.5
		e++
	}
	t := (m - 1) / (m + 1)
	t2 := t * t
	t4 := t2 * t2
	// Estrin: 1 + t²/3 + t⁴(1/5 + t²/7) + t⁸/9.
	s := math.FMA(t2, 1.0/3, 1) + t4*(math.FMA(t2, 1.0/7, 1.0/5)+t4*(1.0/9))
	return math.FMA(float64(e), math.Ln2, 2*t*s)
}

// fastExp is e^y for |y| < 700, from y = k ln 2 + r, |r| ≤ ln2/2, and the
// Taylor series of e^r to r^8 evaluated by Estrin's scheme.
func fastExp(y float64) float64 {
	k := math.Floor(math.FMA(y, math.Log2E, 0.5))
	r := math.FMA(-k, math.Ln2, y)
	r2 := r * r
	r4 := r2 * r2
	lo := math.FMA(r, 1, 1) + r2*math.FMA(r, 1.0/6, 1.0/2)
	hi := math.FMA(r, 1.0/120, 1.0/24) + r2*math.FMA(r, 1.0/5040, 1.0/720)
	p := lo + r4*(hi+r4*(1.0/40320))
	return p * math.Float64frombits(uint64(int64(k)+1023)<<52)
}
