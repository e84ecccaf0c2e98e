package recomb

import "math"

// Gaussian is one term of RECFAST's double-Gaussian correction to the
// hydrogen Peebles coefficient (Hswitch, RECFAST 1.5; Rubiño-Martín,
// Chluba, Fendt & Wandelt 2010): K_H is multiplied by
// 1 + Σ Amp·exp(−((ln(1+z_s) − Center)/Width)²), with
// 1+z_s = (1+z)·T_CMB/2.7255.
type Gaussian struct {
	Amp, Center, Width float64
}

// Fudge holds RECFAST's phenomenological corrections, the parameters of
// CAMB's TRecfast.
type Fudge struct {
	// H multiplies the case-B recombination and photoionization rates of
	// hydrogen (RECFAST_fudge; 1.125 with the Gaussian correction, which
	// is RECFAST's 1.14 less 0.015).
	H float64
	// HeI is the exponent b_He of the fit to the hydrogen continuum
	// opacity in the HeI 2¹P–1¹S line (RECFAST_fudge_He; Kholupenko,
	// Ivanchik & Varshalovich 2007; Wong, Moss & Scott 2008).
	HeI float64
	// K1 and K2 correct the hydrogen Peebles coefficient (AGauss1,
	// zGauss1, wGauss1 and AGauss2, zGauss2, wGauss2). Zero amplitudes
	// switch the correction off (RECFAST_Hswitch = F, then with H = 1.14).
	K1, K2 Gaussian
	// HeRate applies CAMB's 2026 rational correction to dx_He/dz for
	// 1500 < z_s < 3000 (RECFAST_He_rate_correction), fitted to CosmoRec.
	HeRate bool
}

// FudgePlanck is RECFAST 1.5.2 as in CAMB 1.x and Planck's analyses
// (CAMB's recfast_approx_model "planck").
var FudgePlanck = Fudge{
	H: 1.125, HeI: 0.86,
	K1: Gaussian{Amp: -0.14, Center: 7.28, Width: 0.18},
	K2: Gaussian{Amp: 0.079, Center: 6.73, Width: 0.33},
}

// FudgeCosmoRec is CAMB's 2026 refit of the same parameters to CosmoRec,
// with the helium rate correction (recfast_approx_model "cosmorec").
var FudgeCosmoRec = Fudge{
	H: 1.125, HeI: 0.8472367977,
	K1:     Gaussian{Amp: -0.1395272483, Center: 7.2813061282, Width: 0.1638966410},
	K2:     Gaussian{Amp: 0.0729891952, Center: 6.7667038679, Width: 0.2785834127},
	HeRate: true,
}

// Atomic data of RECFAST (SI units; wavenumbers in m⁻¹).
const (
	lambda2sH   = 8.2245809      // H 2s–1s two-photon rate, s⁻¹
	lambda2sHe  = 51.3           // HeI 2¹S–1¹S two-photon rate, s⁻¹ (Dalgarno)
	lHIon       = 1.096787737e7  // H ionization
	lHAlpha     = 8.225916453e6  // H Lyman α, averaged over 2P₁/₂ and 2P₃/₂
	lHe1Ion     = 1.98310772e7   // HeI ionization (Drake 1993)
	lHe2Ion     = 4.389088863e7  // HeII ionization
	lHe2s       = 1.66277434e7   // HeI 2¹S
	lHe2p       = 1.71134891e7   // HeI 2¹P₁
	a2Ps        = 1.798287e9     // Einstein A of HeI 2¹P₁–1¹S₀ (Morton, Wu & Drake 2006)
	a2Pt        = 177.58         // Einstein A of HeI 2³P₁–1¹S₀ (Lach & Pachucki 2001)
	lHe2Pt      = 1.690871466e7  // HeI 2³P₀₁₂ (Drake & Morton 2007)
	lHe2St      = 1.5985597526e7 // HeI 2³S₁
	lHe2StIon   = 3.8454693845e6 // HeI 2³S₁ to the continuum
	sigmaHe2Ps  = 1.436289e-22   // H photoionization cross-section at 2¹P₁–1¹S₀, m² (Hummer & Storey 1998)
	sigmaHe2Pt  = 1.484872e-22   // the same at 2³P₁–1¹S₀
	hcOverK     = hPlanck * cLight / kBoltz
	cdbH        = hcOverK * (lHIon - lHAlpha) // n=2 binding energy of H / k, K
	cdbHe       = hcOverK * (lHe1Ion - lHe2s) // the same for HeI (2s, not 2p)
	cb1H        = hcOverK * lHIon             // ionization energies / k, K
	cb1He1      = hcOverK * lHe1Ion
	cb1He2      = hcOverK * lHe2Ion
	clH         = hcOverK * lHAlpha // Lyman α energy / k
	clHe        = hcOverK * lHe2s   // HeI 2s–1s energy / k (detailed balance of 2s–1s)
	bfact       = hcOverK * (lHe2p - lHe2s)
	clPSt       = hcOverK * (lHe2Pt - lHe2St)
	clHe2St     = hcOverK * lHe2St
	clHe2StIon  = hcOverK * lHe2StIon
	crSaha      = 2 * math.Pi * (mElectron / hPlanck) * (kBoltz / hPlanck) // (2π m_e k/h²), m⁻² K⁻¹
	heFreeze    = 1e-8                                                     // x_He below which helium stops evolving (CAMB)
	heCorrMax   = 0.98                                                     // x_He above which HeI uses the Peebles coefficient
	xHNoHCont   = 0.9999999
	xHNoHContT  = 0.99999
	heRateZMin  = 1500.0
	heRateZMax  = 3000.0
	heRateA0    = 0.07805480599148856
	heRateA1    = 0.899368710079757
	heRateA2    = -3.063896868095767
	heRateD2    = 3.752520187028219
	heRateD4    = 18.126758791787946
	heRateZ0    = 1968.1134791219417
	heRateWidth = 774.0312440582285
)

// Fitting constants: Pequignot, Petitjean & Boisson (1991) for the case-B
// rate of H (Hummer 1994's table); Verner & Ferland (1996)-type fits for
// HeI singlets and triplets as in RECFAST 1.5.
const (
	aPPB = 4.309
	bPPB = -0.6166
	cPPB = 0.6703
	dPPB = 0.5300
	bVF  = 0.711
	bTr  = 0.761
)

var (
	ckH      = math.Pow(1/lHAlpha, 3) / (8 * math.Pi) // λ_α³/8π
	ckHe     = math.Pow(1/lHe2p, 3) / (8 * math.Pi)
	cT       = 8.0 / 3 * sigmaThomson / (mElectron * cLight) * aRad // Compton: (8/3)σ_T a_R/(m_e c)
	aVF      = math.Pow(10, -16.744)
	t0VF     = math.Pow(10, 0.477121)
	t1VF     = math.Pow(10, 5.114)
	aTr      = math.Pow(10, -16.306)
	dopplerK = 2 * kBoltz / (mHydrogen * notHe4 * cLight * cLight)
	// gamma2Ps and gamma2Pt: the constant factors of the KIV opacity
	// parameters γ = 3 A f_He (1−x_He) c² / (√π σ 8π Δν_D (1−x_H) (c L)²).
	gamma2Ps  = 3 * a2Ps * cLight * cLight / (math.Sqrt(math.Pi) * sigmaHe2Ps * 8 * math.Pi) / math.Pow(cLight*lHe2p, 2)
	gamma2Pt  = 3 * a2Pt * cLight * cLight / (math.Sqrt(math.Pi) * sigmaHe2Pt * 8 * math.Pi) / math.Pow(cLight*lHe2Pt, 2)
	tauTConst = 3 * a2Pt / (8 * math.Pi * math.Pow(lHe2Pt, 3))
)

// The state of the recombination system, with N = ln a = −ln(1+z) as the
// independent variable (increasing).
const (
	iXH   = iota // x_H = n_p/n_H
	iTm          // T_m/T_rad
	iXHe         // x_He = n_HeII/n_He
	iTau         // ∫ dτ/dN dN from the start: the Thomson optical depth
	iDrag        // the same for the baryon drag depth
	nState
)

// env holds what the equations need at one redshift, independent of the
// state.
type env struct {
	n        float64 // N
	opz      float64 // 1+z
	hubble   float64 // H, s⁻¹
	hubbleKM float64 // H, km/s/Mpc
	nH       float64 // hydrogen number density, m⁻³
	trad     float64 // radiation temperature, K
	kH       float64 // Peebles K of hydrogen with the Gaussian correction
	dlnG     float64 // d ln G/dN of the Gaussian correction factor G
	kHe      float64 // Peebles K of HeI, λ³/(8πH)
	heRate   float64 // CAMB's helium rate factor (1 outside its range)
	compton  float64 // C_T T_rad⁴/H
	dtau     float64 // dτ/dN per x_e
}

// rates holds the atomic rates at one matter temperature.
type rates struct {
	tm       float64
	alphaH   float64 // case-B recombination coefficient of H, m³/s
	gAlphaH  float64 // d ln α_H/d ln T
	betaH    float64 // photoionization rate from n=2, s⁻¹
	betaHE   float64 // β_H exp(−hν_α/kT)
	alphaHe  float64 // HeI singlet recombination
	betaHe   float64
	betaHeE  float64 // β_He exp(−hν_2s/kT)
	heBoltz  float64 // exp((E_2p − E_2s)/kT), capped as RECFAST
	alphaTr  float64 // HeI triplet recombination
	betaTr   float64
	betaTrE  float64 // 3 β_tr exp(−hν_2³S/kT)
	trRatio  float64 // β_tr/exp(−(E_2³P − E_2³S)/kT), without underflow
	dopplerS float64 // Doppler width of the 2¹P line, s⁻¹
	dopplerT float64 // the same for 2³P
}

// model evaluates RECFAST's equations for one cosmology. It caches the
// environment of the last redshift and the rates of the last temperature,
// which the finite-difference Jacobian reuses.
type model struct {
	hubble func(float64) float64
	fudge  Fudge
	invF   float64
	fHe    float64
	nNow   float64 // n_H today, m⁻³
	tNow   float64
	lnTS   float64 // ln(T_CMB/2.7255)
	akC    float64 // σ_T n_H Mpc · c: dτ/dz = x_e akC (1+z)²/H[km/s/Mpc]
	r0     float64 // R = 3ρ_b/(4ρ_γ) = r0·a

	xHeFixed float64 // x_He after freezing
	heLive   bool

	e      env
	eValid bool
	r      rates
	rValid bool

	evals, hubbleCalls int

	badZ, badH float64 // the first non-positive or non-finite H met
	bad        bool
}

// hubbleAt returns Cosmology.Hubble at z, counting the call; NaN for a
// value that is not finite and positive, the first of which it records for
// the error of Solve (hubbleError).
func (m *model) hubbleAt(z float64) float64 {
	h := m.hubble(z)
	m.hubbleCalls++
	if !(h > 0) || math.IsInf(h, 1) {
		if !m.bad {
			m.bad, m.badZ, m.badH = true, z, h
		}
		return math.NaN()
	}
	return h
}

func (m *model) setEnv(n float64) *env {
	if m.eValid && m.e.n == n {
		return &m.e
	}
	e := &m.e
	e.n = n
	e.opz = math.Exp(-n)
	h := m.hubbleAt(e.opz - 1)
	e.hubbleKM = h
	e.hubble = h * kmsMpcToSI
	opz3 := e.opz * e.opz * e.opz
	e.nH = m.nNow * opz3
	e.trad = m.tNow * e.opz
	lzs := m.lnTS - n // ln(1+z_s)
	g, dg := 1.0, 0.0
	for _, k := range [2]Gaussian{m.fudge.K1, m.fudge.K2} {
		if k.Amp != 0 {
			u := (lzs - k.Center) / k.Width
			t := k.Amp * math.Exp(-u*u)
			g += t
			dg += 2 * u / k.Width * t // d/dN, with d ln(1+z_s)/dN = −1
		}
	}
	e.kH = ckH / e.hubble * g
	e.dlnG = dg / g
	e.kHe = ckHe / e.hubble
	e.heRate = 1
	if m.fudge.HeRate && m.heLive {
		if zs := e.opz*m.tNow/TCMBDefault - 1; zs > heRateZMin && zs < heRateZMax {
			u := (zs - heRateZ0) / heRateWidth
			u2 := u * u
			e.heRate = 1 + (heRateA0+heRateA1*u+heRateA2*u2)/(1+heRateD2*u2+heRateD4*u2*u2)
		}
	}
	t2 := e.trad * e.trad
	e.compton = cT * t2 * t2 / e.hubble
	e.dtau = m.akC * opz3 / h
	m.eValid = true
	return e
}

func (m *model) setRates(tm float64) *rates {
	if m.rValid && m.r.tm == tm {
		return &m.r
	}
	r := &m.r
	r.tm = tm
	inv := 1 / tm
	lt := math.Log(tm * 1e-4)
	ctd := cPPB * math.Exp(dPPB*lt)
	r.alphaH = 1e-19 * aPPB * math.Exp(bPPB*lt) / (1 + ctd)
	r.gAlphaH = bPPB - dPPB*ctd/(1+ctd)
	crt := crSaha * tm
	crt32 := crt * math.Sqrt(crt)
	r.betaH = r.alphaH * crt32 * math.Exp(-cdbH*inv)
	r.betaHE = r.betaH * math.Exp(-clH*inv)
	if m.heLive {
		sq0 := math.Sqrt(tm / t0VF)
		sq1 := math.Sqrt(tm / t1VF)
		l0 := math.Log1p(sq0)
		l1 := math.Log1p(sq1)
		r.alphaHe = aVF / sq0 * math.Exp(-((1-bVF)*l0 + (1+bVF)*l1))
		r.betaHe = 4 * r.alphaHe * crt32 * math.Exp(-cdbHe*inv)
		r.betaHeE = r.betaHe * math.Exp(-clHe*inv)
		r.heBoltz = math.Exp(math.Min(bfact*inv, 680))
		r.alphaTr = aTr / sq0 * math.Exp(-((1-bTr)*l0 + (1+bTr)*l1))
		r.betaTr = r.alphaTr * math.Exp(-clHe2StIon*inv) * crt32 * (4.0 / 3)
		r.betaTrE = 3 * r.betaTr * math.Exp(-clHe2St*inv)
		r.trRatio = r.alphaTr * math.Exp(-(clHe2StIon-clPSt)*inv) * crt32 * (4.0 / 3)
		d := math.Sqrt(dopplerK * tm)
		r.dopplerS = cLight * lHe2p * d
		r.dopplerT = cLight * lHe2Pt * d
	}
	m.rValid = true
	return r
}

// escape returns the Sobolev escape probability (1 − e^{−τ})/τ.
func escape(tau float64) float64 {
	if math.Abs(tau) < 1e-6 {
		return 1 - tau/2 + tau*tau/6
	}
	return -math.Expm1(-tau) / tau
}

// rhs evaluates dy/dN. Hydrogen follows the Peebles equation with RECFAST's
// fudge factor and K correction, HeI the singlet equation with the Sobolev
// escape probability and the H continuum opacity plus the triplet channel
// (RECFAST's Heswitch = 6, CAMB's only option), and the matter
// temperature the Compton equation
//
//	dT_m/dN = −(8σ_T a_R T_R⁴/3 m_e c H) x_e/(1+f_He+x_e) (T_m − T_R) − 2T_m,
//
// written for T_m/T_R: RECFAST's tightly-coupled approximation is not
// needed by an integrator that is stable for stiff equations.
func (m *model) rhs(dst *[nState]float64, n float64, y *[nState]float64) {
	m.evals++
	e := m.setEnv(n)
	xH, tm := y[iXH], y[iTm]
	xHe := m.xHeFixed
	if m.heLive {
		xHe = y[iXHe]
	}
	r := m.setRates(tm * e.trad)
	x := xH + m.fHe*xHe
	nH := e.nH
	h := e.hubble

	// Hydrogen: the Peebles equation, d x_H/dt = −C (x x_H n α − (1−x_H) β e^{−hν_α/kT}).
	oneH := 1 - xH
	kln := e.kH * lambda2sH * nH * oneH
	c := (1 + kln) / (m.invF*(1+kln) + e.kH*r.betaH*nH*oneH)
	dst[iXH] = -(x*xH*nH*r.alphaH - r.betaHE*oneH) * c / h

	dst[iXHe] = 0
	if m.heLive {
		nHe := m.fHe * nH
		oneHe := 1 - xHe
		kHe := e.kHe
		corr := xHe >= heFreeze && xHe <= heCorrMax
		var cfT float64
		if corr {
			// Singlet 2¹P–1¹S: Sobolev escape, and the H continuum opacity (KIV 2007).
			pS := escape(a2Ps * ckHe * 3 * nHe * oneHe / h)
			aH := 0.0
			if xH < xHNoHCont {
				g := gamma2Ps * m.fHe * oneHe / (r.dopplerS * oneH)
				aH = a2Ps / (1 + 0.36*math.Exp(m.fudge.HeI*math.Log(g)))
			}
			kHe = 1 / ((a2Ps*pS + aH) * 3 * nHe * oneHe)
			// Triplets through 2³P–1¹S.
			pT := escape(tauTConst * nHe * oneHe / h)
			a := a2Pt * pT
			if xH <= xHNoHContT {
				g := gamma2Pt * m.fHe * oneHe / (r.dopplerT * oneH)
				a += a2Pt / (1 + 0.66*math.Exp(0.9*math.Log(g))) / 3
			}
			// C_tr = a e^{−ΔE/kT}/(β_tr + a e^{−ΔE/kT}), divided through by
			// the exponential, which underflows at low T.
			cfT = a / (r.trRatio + a)
		}
		// The Peebles factor (1 + KΛb)/(1 + K(Λ+β)b), b = e^{ΔE/kT} n_He (1−x_He),
		// written so that it tends to Λ/(Λ+β) without overflow at low T.
		kb := kHe * r.heBoltz * nHe * oneHe
		var peebles float64
		if kb > 1 {
			u := 1 / kb
			peebles = (u + lambda2sHe) / (u + lambda2sHe + r.betaHe)
		} else {
			peebles = (1 + kb*lambda2sHe) / (1 + kb*(lambda2sHe+r.betaHe))
		}
		f := (x*xHe*nH*r.alphaHe - r.betaHeE*oneHe) * peebles
		if corr {
			f += (x*xHe*nH*r.alphaTr - oneHe*r.betaTrE) * cfT
			f *= e.heRate
		}
		dst[iXHe] = -f / h
	}

	// Matter temperature over radiation temperature.
	dst[iTm] = -e.compton*x/(1+m.fHe+x)*(tm-1) - tm

	// Optical depth and drag depth (R = r0 a = r0/(1+z)).
	q := x * e.dtau
	dst[iTau] = q
	dst[iDrag] = q * e.opz / m.r0
}

// jacobian is the analytic Jacobian and ∂f/∂N once helium has frozen
// (core x_H and T_m/T_R); while helium evolves it reports false and the
// stepper differentiates numerically. ∂ ln H/∂N comes from one more call
// of Hubble, a forward difference.
func (m *model) jacobian(jac *[nState][nState]float64, ft *[nState]float64, nc int, n float64, y, f0 *[nState]float64) bool {
	if m.heLive || nc != 2 {
		return false
	}
	e := m.setEnv(n)
	const dn = 1e-6
	hp := m.hubbleAt(math.Expm1(-(n + dn)))
	if math.IsNaN(hp) {
		return false
	}
	dlnH := math.Log(hp/e.hubbleKM) / dn
	xH, tm := y[iXH], y[iTm]
	tmat := tm * e.trad
	r := m.setRates(tmat)
	x := xH + m.fHe*m.xHeFixed
	nH, h := e.nH, e.hubble

	oneH := 1 - xH
	kln := e.kH * lambda2sH * nH * oneH
	den := m.invF*(1+kln) + e.kH*r.betaH*nH*oneH
	c := (1 + kln) / den
	a := x*xH*nH*r.alphaH - r.betaHE*oneH
	gBeta := r.gAlphaH + 1.5 + cdbH/tmat
	gBetaE := r.gAlphaH + 1.5 + cb1H/tmat
	// x_H column.
	daX := nH*r.alphaH*(x+xH) + r.betaHE
	klnX := -e.kH * lambda2sH * nH
	denX := m.invF*klnX - e.kH*r.betaH*nH
	dcX := (klnX*den - (1+kln)*denX) / (den * den)
	// T_m column: ∂/∂tm = (T ∂/∂T)/tm.
	daT := (x*xH*nH*r.alphaH*r.gAlphaH - r.betaHE*gBetaE*oneH) / tm
	denT := e.kH * r.betaH * gBeta * nH * oneH / tm
	dcT := -(1 + kln) * denT / (den * den)
	jac[iXH][0] = -(daX*c + a*dcX) / h
	jac[iXH][1] = -(daT*c + a*dcT) / h
	// ∂/∂N at fixed x_H, T_m/T_R: n_H ∝ e^{−3N}, T ∝ e^{−N}, K ∝ G/H.
	dlnK := e.dlnG - dlnH
	daN := x*xH*nH*r.alphaH*(-3-r.gAlphaH) + r.betaHE*gBetaE*oneH
	klnN := kln * (dlnK - 3)
	denN := m.invF*klnN + e.kH*r.betaH*nH*oneH*(dlnK-gBeta-3)
	dcN := (klnN*den - (1+kln)*denN) / (den * den)
	ft[iXH] = -(daN*c+a*dcN)/h - f0[iXH]*dlnH

	q := 1 + m.fHe + x
	lam := e.compton * x / q
	jac[iTm][0] = -e.compton * (1 + m.fHe) / (q * q) * (tm - 1)
	jac[iTm][1] = -lam - 1
	ft[iTm] = lam * (4 + dlnH) * (tm - 1)

	jac[iXHe][0], jac[iXHe][1], ft[iXHe] = 0, 0, 0
	drag := e.dtau * e.opz / m.r0
	jac[iTau][0], jac[iTau][1] = e.dtau, 0
	jac[iDrag][0], jac[iDrag][1] = drag, 0
	ft[iTau] = -f0[iTau] * (3 + dlnH)
	ft[iDrag] = -f0[iDrag] * (4 + dlnH)
	return true
}
