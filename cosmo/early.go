package cosmo

import "math"

// DragHorizon returns the sound horizon at the baryon drag epoch r_d in
// Mpc from the fitting formula of Aubourg et al. 2015 (arXiv:1411.1074)
// Eq. 16 with no massive neutrinos (ω_ν = 0):
//
//	r_d = 55.154 e^{−72.3(ω_ν + 0.0006)²} / (ω_cb^0.25351 ω_b^0.12807) Mpc,
//
// ω_cb = Ωm h² (baryons and cold dark matter), ω_b = Ω_b h².
func DragHorizon(omegaCB, omegaB float64) float64 {
	const nu = 0.0006
	return 55.154 * math.Exp(-72.3*nu*nu) / (math.Pow(omegaCB, 0.25351) * math.Pow(omegaB, 0.12807))
}

// Decoupling returns the redshift of photon decoupling z* of Hu & Sugiyama
// 1996 (ApJ 471, 542, Eq. E1), with ω_m = Ωm h² and ω_b = Ω_b h²:
//
//	z* = 1048[1 + 0.00124 ω_b^−0.738][1 + g1 ω_m^g2],
//	g1 = 0.0783 ω_b^−0.238/(1 + 39.5 ω_b^0.763),  g2 = 0.560/(1 + 21.1 ω_b^1.81).
func Decoupling(omegaM, omegaB float64) float64 {
	g1 := 0.0783 * math.Pow(omegaB, -0.238) / (1 + 39.5*math.Pow(omegaB, 0.763))
	g2 := 0.560 / (1 + 21.1*math.Pow(omegaB, 1.81))
	return 1048 * (1 + 0.00124*math.Pow(omegaB, -0.738)) * (1 + g1*math.Pow(omegaM, g2))
}

// BaryonPhotonRatio returns R_b(a)/a = 3ω_b/(4ω_γ): the baryon-to-photon
// momentum-density ratio is R_b = (3ω_b/4ω_γ)·a.
func BaryonPhotonRatio(omegaB float64) float64 { return 3 * omegaB / (4 * OmegaGammaH2) }

// SoundHorizonTail returns the part of the comoving sound horizon from
// a = 0 to a = ae, in units of c/H0, for a universe of radiation and matter
// only (dark energy and curvature are negligible that early):
//
//	∫_0^{ae} da / [a² E(a) √(3(1+R a))],   a⁴E² = Ω_r + Ωm a,  R = 3ω_b/(4ω_γ).
//
// The integral is elementary:
// (2/√(3 R Ωm)) [asinh-like log] between 0 and ae; it is exact for that
// universe, so that integrations of r_s need not start at a = 0.
func SoundHorizonTail(ae, or, om, r float64) float64 {
	// ∫ da/√((1+Ra)(Or+Om a)) = (2/√(R Om)) ln(√(R(Or+Om a)) + √(Om(1+Ra))) + const.
	f := func(a float64) float64 {
		return math.Log(math.Sqrt(r*(or+om*a)) + math.Sqrt(om*(1+r*a)))
	}
	return 2 / math.Sqrt(3*r*om) * (f(ae) - f(0))
}

// ComovingTail returns ∫_0^{ae} da/(a²E(a)) in units of c/H0 for a universe
// of radiation and matter only: (2/Ωm)(√(Ω_r + Ωm ae) − √Ω_r).
func ComovingTail(ae, or, om float64) float64 {
	return 2 / om * (math.Sqrt(or+om*ae) - math.Sqrt(or))
}

// AgeTail returns ∫_0^{ae} da/(a E(a)) in units of 1/H0 for a universe of
// radiation and matter only.
func AgeTail(ae, or, om float64) float64 {
	// ∫ a da/√(Or + Om a) = (2/(3Om²)) (Om a − 2Or) √(Or + Om a) + const.
	g := func(a float64) float64 { return (om*a - 2*or) * math.Sqrt(or+om*a) }
	return 2 / (3 * om * om) * (g(ae) - g(0))
}
