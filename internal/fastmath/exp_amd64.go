//go:build amd64 && !purego

package fastmath

import (
	"math"

	"golang.org/x/sys/cpu"
)

// Vector reports whether the AVX2+FMA loops of exp_amd64.s run on this
// processor: only then may SigmoidBiasN and TanhBiasN be called.
var Vector = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// expTab holds the constants of Exp for exp_amd64.s, each repeated in the
// four lanes of a vector. The indices are fixed by the assembly.
//
//lint:ignore U1000 read only by exp_amd64.s, which staticcheck does not see.
var expTab = func() (t [25][4]uint64) {
	set := func(i int, v uint64) { t[i] = [4]uint64{v, v, v, v} }
	f := math.Float64bits
	set(0, f(log2e))
	set(1, f(shifter))
	set(2, f(-ln2Hi))
	set(3, f(-ln2Lo))
	for k, c := range expPoly {
		set(4+k, f(c))
	}
	set(17, f(1))
	set(18, f(expHi))
	set(19, f(expLo))
	set(20, f(math.Inf(1)))
	set(21, 1023)
	set(22, 1<<63)
	set(23, 1<<63-1)
	set(24, f(-2))
	return t
}()

// SigmoidBiasN is the vector loop of SigmoidBias: it sets
// z[j] = Sigmoid(z[j]+b[j]) for j < n, n a positive multiple of 4, z and b
// pointing to at least n elements, if Vector. It is exported for the
// layers of package nn, where the call through SigmoidBias costs 2.5 ns of
// the emulator's 113 ns query (BenchmarkQuery31 of the root package).
//
//go:noescape
func SigmoidBiasN(z, b *float64, n int)

// TanhBiasN is SigmoidBiasN for Tanh.
//
//go:noescape
func TanhBiasN(z, b *float64, n int)

// scaleExpAsm sets x[i] = s·Exp(x[i]) for i < n, n a positive multiple of 4.
//
//go:noescape
func scaleExpAsm(x *float64, n int, s float64)
