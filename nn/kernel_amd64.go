//go:build amd64 && !purego

package nn

import "golang.org/x/sys/cpu"

// useAsm selects the AVX2+FMA kernels of kernel_amd64.s and opt_amd64.s.
var useAsm = cpu.X86.HasAVX2 && cpu.X86.HasFMA

//go:noescape
func kern4x12(k int, a0, a1, a2, a3 *float64, aks int, b *float64, ldb int, c0, c1, c2, c3 *float64, acc int)

//go:noescape
func kern4x12m(k int, a0, a1, a2, a3 *float64, aks int, b *float64, ldb int, c0, c1, c2, c3 *float64, acc int, mask *int64, ksafe int)

//go:noescape
func gemv32(k int, x, w *float64, ldw int, z *float64)

//go:noescape
func gemv32m(k int, x, w *float64, ldw int, z *float64, mask *int64, ksafe int)

//go:noescape
func gemv8m(k int, x, w *float64, ldw int, z *float64, mask *int64, ksafe int)

// maskTable32 is maskTable for blocks of 32 columns.
var maskTable32 = [64]int64{
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
}

// safeRows returns how many of the kk rows of a width-wide block starting
// at b[j0], rows ld apart, can be read whole without leaving b.
func safeRows(kk, lenB, j0, width, ld int) int {
	if lenB < j0+width {
		return 0
	}
	return min(kk, (lenB-j0-width)/ld+1)
}

// gemmAsm tiles C into blocks of 4 rows × 12 columns. Rows past m are
// computed from row 0 of the block and stored into a scratch tile; columns
// past n are masked in C, and in B for the rows where a whole block would
// leave the slice. The arguments have been checked by gemm.
func gemmAsm(m, n, kk int, a []float64, ars, aks int, b []float64, ldb int, c []float64, ldc int, acc bool) {
	var scratch [12]float64
	accFlag := 0
	if acc {
		accFlag = 1
	}
	for j0 := 0; j0 < n; j0 += 12 {
		w := min(12, n-j0)
		bp := &b[j0]
		ksafe := kk
		if w < 12 {
			ksafe = safeRows(kk, len(b), j0, 12, ldb)
		}
		for r0 := 0; r0 < m; r0 += 4 {
			a0 := &a[r0*ars]
			c0 := &c[r0*ldc+j0]
			a1, a2, a3 := a0, a0, a0
			c1, c2, c3 := &scratch[0], &scratch[0], &scratch[0]
			switch m - r0 {
			default:
				a3 = &a[(r0+3)*ars]
				c3 = &c[(r0+3)*ldc+j0]
				fallthrough
			case 3:
				a2 = &a[(r0+2)*ars]
				c2 = &c[(r0+2)*ldc+j0]
				fallthrough
			case 2:
				a1 = &a[(r0+1)*ars]
				c1 = &c[(r0+1)*ldc+j0]
			case 1:
			}
			if w == 12 {
				kern4x12(kk, a0, a1, a2, a3, aks, bp, ldb, c0, c1, c2, c3, accFlag)
			} else {
				kern4x12m(kk, a0, a1, a2, a3, aks, bp, ldb, c0, c1, c2, c3, accFlag, &maskTable[12-w], ksafe)
			}
		}
	}
}

// gemvAsm covers z with blocks of 32 columns; the last block is masked
// (see gemmAsm).
func gemvAsm(z, x, w []float64, ldw int) {
	n, kk := len(z), len(x)
	j0 := 0
	for ; j0+32 <= n; j0 += 32 {
		gemv32(kk, &x[0], &w[j0], ldw, &z[j0])
	}
	switch rest := n - j0; {
	case rest == 0:
	case rest <= 8:
		gemv8m(kk, &x[0], &w[j0], ldw, &z[j0], &maskTable32[32-rest], safeRows(kk, len(w), j0, 8, ldw))
	default:
		gemv32m(kk, &x[0], &w[j0], ldw, &z[j0], &maskTable32[32-rest], safeRows(kk, len(w), j0, 32, ldw))
	}
}

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
