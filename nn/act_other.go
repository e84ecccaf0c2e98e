//go:build !amd64 || purego

package nn

func sigmoidBiasAsm(z, b *float64, n int) { panic("nn: no assembly kernels") }
func tanhBiasAsm(z, b *float64, n int)    { panic("nn: no assembly kernels") }

func rmspropAsm(p, grad, v *float64, n int, c *[4]float64) { panic("nn: no assembly kernels") }
func adamAsm(p, grad, m, v *float64, n int, c *[8]float64) { panic("nn: no assembly kernels") }
