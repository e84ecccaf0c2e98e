//go:build amd64 && !purego

#include "textflag.h"

// Vector optimizer steps (AVX2 + FMA), operation for operation the same as
// the Go loops in optimizer.go.

// func rmspropAsm(p, grad, v *float64, n int, c *[4]float64)
// c = {ρ, 1−ρ, ε, η}; n a positive multiple of 4.
TEXT ·rmspropAsm(SB), NOSPLIT, $0-40
	MOVQ         p+0(FP), DI
	MOVQ         grad+8(FP), SI
	MOVQ         v+16(FP), DX
	MOVQ         n+24(FP), CX
	MOVQ         c+32(FP), R8
	VBROADCASTSD 0(R8), Y10
	VBROADCASTSD 8(R8), Y11
	VBROADCASTSD 16(R8), Y12
	VBROADCASTSD 24(R8), Y13

loop:
	VMOVUPD     (SI), Y0
	VMULPD      Y0, Y0, Y1
	VMULPD      Y11, Y1, Y1
	VMOVUPD     (DX), Y2
	VFMADD231PD Y2, Y10, Y1
	VMOVUPD     Y1, (DX)
	VADDPD      Y12, Y1, Y1
	VSQRTPD     Y1, Y1
	VMULPD      Y13, Y0, Y0
	VDIVPD      Y1, Y0, Y0
	VMOVUPD     (DI), Y3
	VSUBPD      Y0, Y3, Y3
	VMOVUPD     Y3, (DI)
	ADDQ        $32, DI
	ADDQ        $32, SI
	ADDQ        $32, DX
	SUBQ        $4, CX
	JNZ         loop
	VZEROUPPER
	RET

// func adamAsm(p, grad, m, v *float64, n int, c *[8]float64)
// c = {β₁, 1−β₁, β₂, 1−β₂, 1/(1−β₁ᵗ), 1/(1−β₂ᵗ), η, ε}; n a positive
// multiple of 4.
TEXT ·adamAsm(SB), NOSPLIT, $0-48
	MOVQ         p+0(FP), DI
	MOVQ         grad+8(FP), SI
	MOVQ         m+16(FP), BX
	MOVQ         v+24(FP), DX
	MOVQ         n+32(FP), CX
	MOVQ         c+40(FP), R8
	VBROADCASTSD 0(R8), Y8
	VBROADCASTSD 8(R8), Y9
	VBROADCASTSD 16(R8), Y10
	VBROADCASTSD 24(R8), Y11
	VBROADCASTSD 32(R8), Y12
	VBROADCASTSD 40(R8), Y13
	VBROADCASTSD 48(R8), Y14
	VBROADCASTSD 56(R8), Y15

loop:
	VMOVUPD     (SI), Y0
	VMULPD      Y9, Y0, Y1
	VMOVUPD     (BX), Y2
	VFMADD231PD Y2, Y8, Y1
	VMOVUPD     Y1, (BX)
	VMULPD      Y0, Y0, Y3
	VMULPD      Y11, Y3, Y3
	VMOVUPD     (DX), Y4
	VFMADD231PD Y4, Y10, Y3
	VMOVUPD     Y3, (DX)
	VMULPD      Y12, Y1, Y1
	VMULPD      Y14, Y1, Y1
	VMULPD      Y13, Y3, Y3
	VSQRTPD     Y3, Y3
	VADDPD      Y15, Y3, Y3
	VDIVPD      Y3, Y1, Y1
	VMOVUPD     (DI), Y5
	VSUBPD      Y1, Y5, Y5
	VMOVUPD     Y5, (DI)
	ADDQ        $32, DI
	ADDQ        $32, SI
	ADDQ        $32, BX
	ADDQ        $32, DX
	SUBQ        $4, CX
	JNZ         loop
	VZEROUPPER
	RET
