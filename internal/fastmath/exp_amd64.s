//go:build amd64 && !purego

#include "textflag.h"

// Vector versions of Exp, Sigmoid and Tanh in exp.go (AVX2 + FMA),
// operation for operation, so that they return the same bits.

// EXP sets Y1 = Exp(Y0), clobbering Y2–Y14.
#define EXP \
	VMOVUPD     ·expTab+608(SB), Y2; \
	VMAXPD      Y0, Y2, Y1; \
	VMOVUPD     ·expTab+576(SB), Y2; \
	VMINPD      Y1, Y2, Y1; \
	VMOVUPD     ·expTab+32(SB), Y3; \
	VFMADD231PD ·expTab+0(SB), Y1, Y3; \
	VSUBPD      ·expTab+32(SB), Y3, Y4; \
	VMOVAPD     Y1, Y5; \
	VFMADD231PD ·expTab+64(SB), Y4, Y5; \
	VFMADD231PD ·expTab+96(SB), Y4, Y5; \
	VMULPD      Y5, Y5, Y6; \
	VMOVUPD     ·expTab+160(SB), Y7; \
	VFMADD213PD ·expTab+128(SB), Y5, Y7; \
	VMOVUPD     ·expTab+224(SB), Y8; \
	VFMADD213PD ·expTab+192(SB), Y5, Y8; \
	VMOVUPD     ·expTab+288(SB), Y9; \
	VFMADD213PD ·expTab+256(SB), Y5, Y9; \
	VMOVUPD     ·expTab+352(SB), Y10; \
	VFMADD213PD ·expTab+320(SB), Y5, Y10; \
	VMOVUPD     ·expTab+416(SB), Y11; \
	VFMADD213PD ·expTab+384(SB), Y5, Y11; \
	VMOVUPD     ·expTab+480(SB), Y12; \
	VFMADD213PD ·expTab+448(SB), Y5, Y12; \
	VMULPD      Y6, Y6, Y13; \
	VFMADD231PD Y8, Y6, Y7; \
	VFMADD231PD Y10, Y6, Y9; \
	VFMADD231PD Y12, Y6, Y11; \
	VFMADD231PD ·expTab+512(SB), Y13, Y11; \
	VFMADD231PD Y9, Y13, Y7; \
	VMULPD      Y13, Y13, Y14; \
	VFMADD231PD Y11, Y14, Y7; \
	VFMADD213PD ·expTab+544(SB), Y5, Y7; \
	VPADDQ      ·expTab+672(SB), Y3, Y3; \
	VPSLLQ      $52, Y3, Y3; \
	VMULPD      Y3, Y7, Y1; \
	VCMPPD      $0x1e, ·expTab+576(SB), Y0, Y2; \
	VBLENDVPD   Y2, ·expTab+640(SB), Y1, Y1; \
	VCMPPD      $0x11, ·expTab+608(SB), Y0, Y2; \
	VANDNPD     Y1, Y2, Y1

// func SigmoidBiasN(z, b *float64, n int)
TEXT ·SigmoidBiasN(SB), NOSPLIT, $0-24
	MOVQ z+0(FP), DI
	MOVQ b+8(FP), SI
	MOVQ n+16(FP), CX

loop:
	VMOVUPD (DI), Y0
	VADDPD  (SI), Y0, Y0
	VXORPD  ·expTab+704(SB), Y0, Y0
	EXP
	VMOVUPD ·expTab+544(SB), Y2
	VADDPD  Y2, Y1, Y1
	VDIVPD  Y1, Y2, Y1
	VMOVUPD Y1, (DI)
	ADDQ    $32, DI
	ADDQ    $32, SI
	SUBQ    $4, CX
	JNZ     loop
	VZEROUPPER
	RET

// func TanhBiasN(z, b *float64, n int)
TEXT ·TanhBiasN(SB), NOSPLIT, $0-24
	MOVQ z+0(FP), DI
	MOVQ b+8(FP), SI
	MOVQ n+16(FP), CX

loop:
	VMOVUPD (DI), Y15
	VADDPD  (SI), Y15, Y15
	VANDPD  ·expTab+736(SB), Y15, Y0
	VMULPD  ·expTab+768(SB), Y0, Y0
	EXP
	VMOVUPD ·expTab+544(SB), Y2
	VSUBPD  Y1, Y2, Y3
	VADDPD  Y2, Y1, Y4
	VDIVPD  Y4, Y3, Y1
	VANDPD  ·expTab+704(SB), Y15, Y15
	VORPD   Y15, Y1, Y1
	VMOVUPD Y1, (DI)
	ADDQ    $32, DI
	ADDQ    $32, SI
	SUBQ    $4, CX
	JNZ     loop
	VZEROUPPER
	RET

// func scaleExpAsm(x *float64, n int, s float64)
TEXT ·scaleExpAsm(SB), NOSPLIT, $0-24
	MOVQ         x+0(FP), DI
	MOVQ         n+8(FP), CX
	VBROADCASTSD s+16(FP), Y15

loop:
	VMOVUPD (DI), Y0
	EXP
	VMULPD  Y15, Y1, Y1
	VMOVUPD Y1, (DI)
	ADDQ    $32, DI
	SUBQ    $4, CX
	JNZ     loop
	VZEROUPPER
	RET
