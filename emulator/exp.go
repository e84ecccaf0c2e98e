package emulator

import "math"

// scaleExp sets dst[i] = s·e^{dst[i]} to within 3 ulp of s·math.Exp, for
// |dst[i]| ≤ 700. The query path takes 31 exponentials per likelihood call:
// math.Exp is a call the processor cannot overlap, while this loop lets the
// iterations run in parallel.
//
// x = (32m + j)·ln2/32 + r with |r| ≤ ln2/64 (ln2/32 split in two parts,
// Cody–Waite, so that r is exact to a few ulp); e^x = 2^m · 2^{j/32} · e^r,
// with 2^{j/32} from a table and e^r by its Taylor series to r⁶, whose
// truncation error (ln2/64)^7/7! ≈ 2e-18 is below the rounding.
func scaleExp(dst []float64, s float64) {
	const (
		invStep = 32 / math.Ln2
		// ln 2 = ln2Hi + ln2Lo as in the math package's Exp: ln2Hi has
		// 32 significant bits, so k·ln2Hi/32 is exact for |k| < 2^21.
		stepHi = 6.93147180369123816490e-01 / 32
		stepLo = 1.90821492927058770002e-10 / 32
	)
	// Adding and subtracting 1.5·2^52 rounds to the nearest integer (ties
	// to even) for |x·invStep| < 2^51, in two additions.
	const shifter = 0x1.8p52
	for i, x := range dst {
		k := (x*invStep + shifter) - shifter
		// k·stepHi is exact, so x − k·stepHi is too (Sterbenz); no fused
		// multiply-add is needed, and without GOAMD64=v3 each one would
		// cost a test of the processor's features.
		r := (x - k*stepHi) - k*stepLo
		// Estrin's scheme: a short chain of dependent operations lets the
		// processor overlap many iterations.
		r2 := r * r
		p := (1 + r) + r2*(1.0/2+r*(1.0/6)) + r2*r2*((1.0/24+r*(1.0/120))+r2*(1.0/720))
		ki := int64(k)
		dst[i] = s * exp2Table[ki&31] * p * math.Float64frombits(uint64((ki>>5)+1023)<<52)
	}
}

// exp2Table[j] = 2^{j/32}, correctly rounded.
var exp2Table = [32]float64{
	0x1p+00, 0x1.059b0d3158574p+00, 0x1.0b5586cf9890fp+00, 0x1.11301d0125b51p+00,
	0x1.172b83c7d517bp+00, 0x1.1d4873168b9aap+00, 0x1.2387a6e756238p+00, 0x1.29e9df51fdee1p+00,
	0x1.306fe0a31b715p+00, 0x1.371a7373aa9cbp+00, 0x1.3dea64c123422p+00, 0x1.44e086061892dp+00,
	0x1.4bfdad5362a27p+00, 0x1.5342b569d4f82p+00, 0x1.5ab07dd485429p+00, 0x1.6247eb03a5585p+00,
	0x1.6a09e667f3bcdp+00, 0x1.71f75e8ec5f74p+00, 0x1.7a11473eb0187p+00, 0x1.82589994cce13p+00,
	0x1.8ace5422aa0dbp+00, 0x1.93737b0cdc5e5p+00, 0x1.9c49182a3f09p+00, 0x1.a5503b23e255dp+00,
	0x1.ae89f995ad3adp+00, 0x1.b7f76f2fb5e47p+00, 0x1.c199bdd85529cp+00, 0x1.cb720dcef9069p+00,
	0x1.d5818dcfba487p+00, 0x1.dfc97337b9b5fp+00, 0x1.ea4afa2a490dap+00, 0x1.f50765b6e454p+00,
}
