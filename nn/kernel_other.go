//go:build !amd64 || purego

package nn

const useAsm = false

func gemmAsm(m, n, kk int, a []float64, ars, aks int, b []float64, ldb int, c []float64, ldc int, acc bool) {
	panic("nn: no assembly kernels")
}

func gemvAsm(z, x, w []float64, ldw int) { panic("nn: no assembly kernels") }

func rmspropAsm(p, grad, v *float64, n int, c *[4]float64) { panic("nn: no assembly kernels") }
func adamAsm(p, grad, m, v *float64, n int, c *[8]float64) { panic("nn: no assembly kernels") }
