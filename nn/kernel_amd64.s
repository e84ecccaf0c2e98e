//go:build amd64 && !purego

#include "textflag.h"

// Matrix kernels (AVX2 + FMA). Every output element is one FMA chain over k
// in increasing order, the same as the pure-Go kernels in kernel.go.

// func kern4x12(k int, a0, a1, a2, a3 *float64, aks int, b *float64, ldb int, c0, c1, c2, c3 *float64, acc int)
//
// For r < 4 and c < 12: C_r[c] = (acc ? C_r[c] : 0) + Σ_{i<k} A_r[i*aks] · B[i*ldb+c].
TEXT ·kern4x12(SB), NOSPLIT, $0-104
	MOVQ k+0(FP), CX
	MOVQ a0+8(FP), R8
	MOVQ a1+16(FP), R9
	MOVQ a2+24(FP), R10
	MOVQ a3+32(FP), R11
	MOVQ aks+40(FP), R12
	SHLQ $3, R12
	MOVQ b+48(FP), BX
	MOVQ ldb+56(FP), R13
	SHLQ $3, R13
	MOVQ c0+64(FP), AX
	MOVQ c1+72(FP), DX
	MOVQ c2+80(FP), SI
	MOVQ c3+88(FP), DI
	CMPQ acc+96(FP), $0
	JNE  load

	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	VXORPD Y4, Y4, Y4
	VXORPD Y5, Y5, Y5
	VXORPD Y6, Y6, Y6
	VXORPD Y7, Y7, Y7
	VXORPD Y8, Y8, Y8
	VXORPD Y9, Y9, Y9
	VXORPD Y10, Y10, Y10
	VXORPD Y11, Y11, Y11
	JMP  loop

load:
	VMOVUPD (AX), Y0
	VMOVUPD 32(AX), Y1
	VMOVUPD 64(AX), Y2
	VMOVUPD (DX), Y3
	VMOVUPD 32(DX), Y4
	VMOVUPD 64(DX), Y5
	VMOVUPD (SI), Y6
	VMOVUPD 32(SI), Y7
	VMOVUPD 64(SI), Y8
	VMOVUPD (DI), Y9
	VMOVUPD 32(DI), Y10
	VMOVUPD 64(DI), Y11

loop:
	VMOVUPD      (BX), Y12
	VMOVUPD      32(BX), Y13
	VMOVUPD      64(BX), Y14
	VBROADCASTSD (R8), Y15
	VFMADD231PD  Y12, Y15, Y0
	VFMADD231PD  Y13, Y15, Y1
	VFMADD231PD  Y14, Y15, Y2
	VBROADCASTSD (R9), Y15
	VFMADD231PD  Y12, Y15, Y3
	VFMADD231PD  Y13, Y15, Y4
	VFMADD231PD  Y14, Y15, Y5
	VBROADCASTSD (R10), Y15
	VFMADD231PD  Y12, Y15, Y6
	VFMADD231PD  Y13, Y15, Y7
	VFMADD231PD  Y14, Y15, Y8
	VBROADCASTSD (R11), Y15
	VFMADD231PD  Y12, Y15, Y9
	VFMADD231PD  Y13, Y15, Y10
	VFMADD231PD  Y14, Y15, Y11
	ADDQ         R12, R8
	ADDQ         R12, R9
	ADDQ         R12, R10
	ADDQ         R12, R11
	ADDQ         R13, BX
	DECQ         CX
	JNZ          loop

	VMOVUPD Y0, (AX)
	VMOVUPD Y1, 32(AX)
	VMOVUPD Y2, 64(AX)
	VMOVUPD Y3, (DX)
	VMOVUPD Y4, 32(DX)
	VMOVUPD Y5, 64(DX)
	VMOVUPD Y6, (SI)
	VMOVUPD Y7, 32(SI)
	VMOVUPD Y8, 64(SI)
	VMOVUPD Y9, (DI)
	VMOVUPD Y10, 32(DI)
	VMOVUPD Y11, 64(DI)
	VZEROUPPER
	RET

// func kern4x12m(k int, a0, a1, a2, a3 *float64, aks int, b *float64, ldb int, c0, c1, c2, c3 *float64, acc int, mask *int64, ksafe int)
//
// kern4x12 restricted to the columns whose mask entry (12 int64) is all ones:
// masked-out columns of C are neither read nor written. The first ksafe rows
// of B are read whole (the caller checked that they are in bounds; the extra
// lanes are discarded), the others through the mask.
TEXT ·kern4x12m(SB), NOSPLIT, $0-120
	MOVQ k+0(FP), CX
	MOVQ a0+8(FP), R8
	MOVQ a1+16(FP), R9
	MOVQ a2+24(FP), R10
	MOVQ a3+32(FP), R11
	MOVQ aks+40(FP), R12
	SHLQ $3, R12
	MOVQ b+48(FP), BX
	MOVQ ldb+56(FP), R13
	SHLQ $3, R13
	MOVQ mask+104(FP), AX
	CMPQ acc+96(FP), $0
	JNE  load

	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	VXORPD Y4, Y4, Y4
	VXORPD Y5, Y5, Y5
	VXORPD Y6, Y6, Y6
	VXORPD Y7, Y7, Y7
	VXORPD Y8, Y8, Y8
	VXORPD Y9, Y9, Y9
	VXORPD Y10, Y10, Y10
	VXORPD Y11, Y11, Y11
	JMP  loop

load:
	VMOVUPD    (AX), Y12
	VMOVUPD    32(AX), Y13
	VMOVUPD    64(AX), Y14
	MOVQ       c0+64(FP), DX
	VMASKMOVPD (DX), Y12, Y0
	VMASKMOVPD 32(DX), Y13, Y1
	VMASKMOVPD 64(DX), Y14, Y2
	MOVQ       c1+72(FP), DX
	VMASKMOVPD (DX), Y12, Y3
	VMASKMOVPD 32(DX), Y13, Y4
	VMASKMOVPD 64(DX), Y14, Y5
	MOVQ       c2+80(FP), DX
	VMASKMOVPD (DX), Y12, Y6
	VMASKMOVPD 32(DX), Y13, Y7
	VMASKMOVPD 64(DX), Y14, Y8
	MOVQ       c3+88(FP), DX
	VMASKMOVPD (DX), Y12, Y9
	VMASKMOVPD 32(DX), Y13, Y10
	VMASKMOVPD 64(DX), Y14, Y11

loop:
	MOVQ  ksafe+112(FP), DX
	SUBQ  DX, CX
	TESTQ DX, DX
	JZ    masked

unmasked:
	VMOVUPD      (BX), Y12
	VMOVUPD      32(BX), Y13
	VMOVUPD      64(BX), Y14
	VBROADCASTSD (R8), Y15
	VFMADD231PD  Y12, Y15, Y0
	VFMADD231PD  Y13, Y15, Y1
	VFMADD231PD  Y14, Y15, Y2
	VBROADCASTSD (R9), Y15
	VFMADD231PD  Y12, Y15, Y3
	VFMADD231PD  Y13, Y15, Y4
	VFMADD231PD  Y14, Y15, Y5
	VBROADCASTSD (R10), Y15
	VFMADD231PD  Y12, Y15, Y6
	VFMADD231PD  Y13, Y15, Y7
	VFMADD231PD  Y14, Y15, Y8
	VBROADCASTSD (R11), Y15
	VFMADD231PD  Y12, Y15, Y9
	VFMADD231PD  Y13, Y15, Y10
	VFMADD231PD  Y14, Y15, Y11
	ADDQ         R12, R8
	ADDQ         R12, R9
	ADDQ         R12, R10
	ADDQ         R12, R11
	ADDQ         R13, BX
	DECQ         DX
	JNZ          unmasked

masked:
	TESTQ CX, CX
	JZ    store

maskedloop:
	VMOVUPD      (AX), Y15
	VMASKMOVPD   (BX), Y15, Y12
	VMOVUPD      32(AX), Y15
	VMASKMOVPD   32(BX), Y15, Y13
	VMOVUPD      64(AX), Y15
	VMASKMOVPD   64(BX), Y15, Y14
	VBROADCASTSD (R8), Y15
	VFMADD231PD  Y12, Y15, Y0
	VFMADD231PD  Y13, Y15, Y1
	VFMADD231PD  Y14, Y15, Y2
	VBROADCASTSD (R9), Y15
	VFMADD231PD  Y12, Y15, Y3
	VFMADD231PD  Y13, Y15, Y4
	VFMADD231PD  Y14, Y15, Y5
	VBROADCASTSD (R10), Y15
	VFMADD231PD  Y12, Y15, Y6
	VFMADD231PD  Y13, Y15, Y7
	VFMADD231PD  Y14, Y15, Y8
	VBROADCASTSD (R11), Y15
	VFMADD231PD  Y12, Y15, Y9
	VFMADD231PD  Y13, Y15, Y10
	VFMADD231PD  Y14, Y15, Y11
	ADDQ         R12, R8
	ADDQ         R12, R9
	ADDQ         R12, R10
	ADDQ         R12, R11
	ADDQ         R13, BX
	DECQ         CX
	JNZ          maskedloop

store:
	VMOVUPD    (AX), Y12
	VMOVUPD    32(AX), Y13
	VMOVUPD    64(AX), Y14
	MOVQ       c0+64(FP), DX
	VMASKMOVPD Y0, Y12, (DX)
	VMASKMOVPD Y1, Y13, 32(DX)
	VMASKMOVPD Y2, Y14, 64(DX)
	MOVQ       c1+72(FP), DX
	VMASKMOVPD Y3, Y12, (DX)
	VMASKMOVPD Y4, Y13, 32(DX)
	VMASKMOVPD Y5, Y14, 64(DX)
	MOVQ       c2+80(FP), DX
	VMASKMOVPD Y6, Y12, (DX)
	VMASKMOVPD Y7, Y13, 32(DX)
	VMASKMOVPD Y8, Y14, 64(DX)
	MOVQ       c3+88(FP), DX
	VMASKMOVPD Y9, Y12, (DX)
	VMASKMOVPD Y10, Y13, 32(DX)
	VMASKMOVPD Y11, Y14, 64(DX)
	VZEROUPPER
	RET

// func gemv32(k int, x, w *float64, ldw int, z *float64)
//
// For c < 32: z[c] = Σ_{i<k} x[i] · w[i*ldw+c].
TEXT ·gemv32(SB), NOSPLIT, $0-40
	MOVQ k+0(FP), CX
	MOVQ x+8(FP), SI
	MOVQ w+16(FP), BX
	MOVQ ldw+24(FP), R8
	SHLQ $3, R8
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	VXORPD Y4, Y4, Y4
	VXORPD Y5, Y5, Y5
	VXORPD Y6, Y6, Y6
	VXORPD Y7, Y7, Y7

loop:
	VBROADCASTSD (SI), Y8
	VFMADD231PD  (BX), Y8, Y0
	VFMADD231PD  32(BX), Y8, Y1
	VFMADD231PD  64(BX), Y8, Y2
	VFMADD231PD  96(BX), Y8, Y3
	VFMADD231PD  128(BX), Y8, Y4
	VFMADD231PD  160(BX), Y8, Y5
	VFMADD231PD  192(BX), Y8, Y6
	VFMADD231PD  224(BX), Y8, Y7
	ADDQ         $8, SI
	ADDQ         R8, BX
	DECQ         CX
	JNZ          loop

	MOVQ    z+32(FP), DI
	VMOVUPD Y0, (DI)
	VMOVUPD Y1, 32(DI)
	VMOVUPD Y2, 64(DI)
	VMOVUPD Y3, 96(DI)
	VMOVUPD Y4, 128(DI)
	VMOVUPD Y5, 160(DI)
	VMOVUPD Y6, 192(DI)
	VMOVUPD Y7, 224(DI)
	VZEROUPPER
	RET

// func gemv32m(k int, x, w *float64, ldw int, z *float64, mask *int64, ksafe int)
//
// gemv32 restricted to the columns whose mask entry (32 int64) is all ones.
// The first ksafe rows of w are read whole (in bounds, checked by the
// caller; the extra lanes are discarded), the others through the mask.
TEXT ·gemv32m(SB), NOSPLIT, $0-56
	MOVQ k+0(FP), CX
	MOVQ x+8(FP), SI
	MOVQ w+16(FP), BX
	MOVQ ldw+24(FP), R8
	SHLQ $3, R8
	MOVQ mask+40(FP), AX
	MOVQ ksafe+48(FP), DX
	SUBQ DX, CX
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	VXORPD Y4, Y4, Y4
	VXORPD Y5, Y5, Y5
	VXORPD Y6, Y6, Y6
	VXORPD Y7, Y7, Y7
	TESTQ DX, DX
	JZ    masked

unmasked:
	VBROADCASTSD (SI), Y8
	VFMADD231PD  (BX), Y8, Y0
	VFMADD231PD  32(BX), Y8, Y1
	VFMADD231PD  64(BX), Y8, Y2
	VFMADD231PD  96(BX), Y8, Y3
	VFMADD231PD  128(BX), Y8, Y4
	VFMADD231PD  160(BX), Y8, Y5
	VFMADD231PD  192(BX), Y8, Y6
	VFMADD231PD  224(BX), Y8, Y7
	ADDQ         $8, SI
	ADDQ         R8, BX
	DECQ         DX
	JNZ          unmasked

masked:
	VMOVUPD (AX), Y10
	VMOVUPD 32(AX), Y11
	VMOVUPD 64(AX), Y12
	VMOVUPD 96(AX), Y13
	VMOVUPD 128(AX), Y14
	VMOVUPD 160(AX), Y15
	TESTQ   CX, CX
	JZ      store

maskedloop:
	VBROADCASTSD (SI), Y8
	VMASKMOVPD   (BX), Y10, Y9
	VFMADD231PD  Y9, Y8, Y0
	VMASKMOVPD   32(BX), Y11, Y9
	VFMADD231PD  Y9, Y8, Y1
	VMASKMOVPD   64(BX), Y12, Y9
	VFMADD231PD  Y9, Y8, Y2
	VMASKMOVPD   96(BX), Y13, Y9
	VFMADD231PD  Y9, Y8, Y3
	VMASKMOVPD   128(BX), Y14, Y9
	VFMADD231PD  Y9, Y8, Y4
	VMASKMOVPD   160(BX), Y15, Y9
	VFMADD231PD  Y9, Y8, Y5
	VMOVUPD      192(AX), Y9
	VMASKMOVPD   192(BX), Y9, Y9
	VFMADD231PD  Y9, Y8, Y6
	VMOVUPD      224(AX), Y9
	VMASKMOVPD   224(BX), Y9, Y9
	VFMADD231PD  Y9, Y8, Y7
	ADDQ         $8, SI
	ADDQ         R8, BX
	DECQ         CX
	JNZ          maskedloop

store:
	MOVQ       z+32(FP), DI
	VMASKMOVPD Y0, Y10, (DI)
	VMASKMOVPD Y1, Y11, 32(DI)
	VMASKMOVPD Y2, Y12, 64(DI)
	VMASKMOVPD Y3, Y13, 96(DI)
	VMASKMOVPD Y4, Y14, 128(DI)
	VMASKMOVPD Y5, Y15, 160(DI)
	VMOVUPD    192(AX), Y9
	VMASKMOVPD Y6, Y9, 192(DI)
	VMOVUPD    224(AX), Y9
	VMASKMOVPD Y7, Y9, 224(DI)
	VZEROUPPER
	RET

// func gemv8m(k int, x, w *float64, ldw int, z *float64, mask *int64, ksafe int)
//
// For the columns c < 8 whose mask entry is all ones:
// z[c] = Σ_{i<k} x[i] · w[i*ldw+c]. The first ksafe rows of w are read
// whole, as in gemv32m.
TEXT ·gemv8m(SB), NOSPLIT, $0-56
	MOVQ    k+0(FP), CX
	MOVQ    x+8(FP), SI
	MOVQ    w+16(FP), BX
	MOVQ    ldw+24(FP), R8
	SHLQ    $3, R8
	MOVQ    mask+40(FP), AX
	MOVQ    ksafe+48(FP), DX
	SUBQ    DX, CX
	VXORPD  Y0, Y0, Y0
	VXORPD  Y1, Y1, Y1
	VMOVUPD (AX), Y10
	VMOVUPD 32(AX), Y11
	TESTQ   DX, DX
	JZ      masked

unmasked:
	VBROADCASTSD (SI), Y8
	VFMADD231PD  (BX), Y8, Y0
	VFMADD231PD  32(BX), Y8, Y1
	ADDQ         $8, SI
	ADDQ         R8, BX
	DECQ         DX
	JNZ          unmasked

masked:
	TESTQ CX, CX
	JZ    store

maskedloop:
	VBROADCASTSD (SI), Y8
	VMASKMOVPD   (BX), Y10, Y2
	VMASKMOVPD   32(BX), Y11, Y3
	VFMADD231PD  Y2, Y8, Y0
	VFMADD231PD  Y3, Y8, Y1
	ADDQ         $8, SI
	ADDQ         R8, BX
	DECQ         CX
	JNZ          maskedloop

store:
	MOVQ       z+32(FP), DI
	VMASKMOVPD Y0, Y10, (DI)
	VMASKMOVPD Y1, Y11, 32(DI)
	VZEROUPPER
	RET
