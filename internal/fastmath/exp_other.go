//go:build !amd64 || purego

package fastmath

const useAsm = false

func sigmoidBiasAsm(z, b *float64, n int)      { panic("fastmath: no assembly loops") }
func tanhBiasAsm(z, b *float64, n int)         { panic("fastmath: no assembly loops") }
func scaleExpAsm(x *float64, n int, s float64) { panic("fastmath: no assembly loops") }
