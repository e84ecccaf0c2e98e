//go:build amd64 && !purego

package nn

import "math"

// expTab holds the constants of expm for act_amd64.s, each repeated in the
// four lanes of a vector. The indices are fixed by the assembly, its only
// user (so staticcheck sees it as unused).
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

// sigmoidBiasAsm sets z[j] = sigmoid(z[j]+b[j]) for j < n, n a positive
// multiple of 4.
//
//go:noescape
func sigmoidBiasAsm(z, b *float64, n int)

// tanhBiasAsm sets z[j] = tanh(z[j]+b[j]) for j < n, n a positive multiple
// of 4.
//
//go:noescape
func tanhBiasAsm(z, b *float64, n int)

// rmspropAsm is the RMSprop loop of rmspropState.update on n elements, n a
// positive multiple of 4; c = {ρ, 1−ρ, ε, η}.
//
//go:noescape
func rmspropAsm(p, grad, v *float64, n int, c *[4]float64)

// adamAsm is the Adam loop of adamState.update on n elements, n a positive
// multiple of 4; c = {β₁, 1−β₁, β₂, 1−β₂, 1/(1−β₁ᵗ), 1/(1−β₂ᵗ), η, ε}.
//
//go:noescape
func adamAsm(p, grad, m, v *float64, n int, c *[8]float64)
