//go:build !amd64 || purego

package fastmath

// Vector reports whether the assembly loops run: never here.
const Vector = false

func SigmoidBiasN(z, b *float64, n int)        { panic("fastmath: no assembly loops") }
func TanhBiasN(z, b *float64, n int)           { panic("fastmath: no assembly loops") }
func scaleExpAsm(x *float64, n int, s float64) { panic("fastmath: no assembly loops") }
