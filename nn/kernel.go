package nn

import "math"

// The numerical kernels of the package. Every output element of a matrix
// product is one fused multiply-add chain over the reduction index in
// increasing order, starting from zero (or from the destination when
// accumulating). The assembly kernels and the pure-Go fallbacks follow the
// same order, and all their other operations are correctly rounded IEEE
// operations, so both give the same bits: results do not depend on the CPU
// features, on how rows are split among workers, or on the blocking.

// maskTable gives the lane masks of a partial column block of width w < 12:
// maskTable[12-w:] starts with w all-ones entries followed by zeros.
var maskTable = [24]int64{-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1}

// gemm sets, for r < m and c < n,
//
//	C[r*ldc+c] = C0 + Σ_{k<kk} A[r*ars+k*aks] · B[k*ldb+c]
//
// where C0 is the old C[r*ldc+c] if acc is true and 0 otherwise. The sum is
// one FMA chain in increasing k. The A strides make A·B (ars = lda, aks = 1)
// and Aᵀ·B (ars = 1, aks = lda) the same kernel.
func gemm(m, n, kk int, a []float64, ars, aks int, b []float64, ldb int, c []float64, ldc int, acc bool) {
	if m == 0 || n == 0 {
		return
	}
	if kk > 0 && ((m-1)*ars+(kk-1)*aks >= len(a) || (kk-1)*ldb+n > len(b)) {
		panic("nn: gemm operand out of range")
	}
	if (m-1)*ldc+n > len(c) {
		panic("nn: gemm destination out of range")
	}
	if kk == 0 {
		if !acc {
			for r := 0; r < m; r++ {
				clear(c[r*ldc : r*ldc+n])
			}
		}
		return
	}
	if useAsm {
		gemmAsm(m, n, kk, a, ars, aks, b, ldb, c, ldc, acc)
		return
	}
	gemmGo(m, n, kk, a, ars, aks, b, ldb, c, ldc, acc)
}

// gemmGo is the portable gemm: row by row, an axpy per k.
func gemmGo(m, n, kk int, a []float64, ars, aks int, b []float64, ldb int, c []float64, ldc int, acc bool) {
	for r := 0; r < m; r++ {
		crow := c[r*ldc : r*ldc+n]
		if !acc {
			clear(crow)
		}
		for k := 0; k < kk; k++ {
			av := a[r*ars+k*aks]
			brow := b[k*ldb : k*ldb+n]
			for j, bv := range brow {
				crow[j] = math.FMA(av, bv, crow[j])
			}
		}
	}
}

// gemv sets z[c] = Σ_{k<len(x)} x[k]·w[k*ldw+c] for c < len(z), one FMA chain
// per element in increasing k: the one-row case of gemm with the same bits.
func gemv(z, x, w []float64, ldw int) {
	n, kk := len(z), len(x)
	if n == 0 {
		return
	}
	if kk == 0 {
		clear(z)
		return
	}
	if (kk-1)*ldw+n > len(w) {
		panic("nn: gemv operand out of range")
	}
	if useAsm {
		gemvAsm(z, x, w, ldw)
		return
	}
	gemvGo(z, x, w, ldw)
}

func gemvGo(z, x, w []float64, ldw int) {
	n := len(z)
	clear(z)
	for k, xv := range x {
		wrow := w[k*ldw : k*ldw+n]
		for j, wv := range wrow {
			z[j] = math.FMA(xv, wv, z[j])
		}
	}
}
