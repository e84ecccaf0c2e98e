package recomb

import "math"

// Physical constants in SI units, the values of CAMB's fortran/constants.f90
// (CODATA 2018 / PDG 2022; isotopic masses from CIAAW), so that the
// recombination history, the optical depth and the sound horizon use the
// same numbers as CAMB.
const (
	cLight       = 2.99792458e8     // speed of light, m/s
	hPlanck      = 6.62607015e-34   // Planck constant, J s
	gNewton      = 6.67430e-11      // Newton's constant, m³ kg⁻¹ s⁻²
	sigmaThomson = 6.6524587321e-29 // Thomson cross-section, m²
	sigmaBoltz   = 5.670374419e-8   // Stefan–Boltzmann constant, W m⁻² K⁻⁴
	kBoltz       = 1.380649e-23     // Boltzmann constant, J/K
	mElectron    = 9.1093837015e-31 // electron mass, kg
	mHydrogen    = 1.673575e-27     // mass of the hydrogen atom (D/H = 2.527e-5), kg
	mHelium4     = 6.646479073e-27  // mass of the ⁴He atom, kg
	megaparsec   = 3.085677581e22   // m

	// notHe4 is m(⁴He)/m(H), RECFAST's "not4".
	notHe4 = mHelium4 / mHydrogen

	// TCMBDefault is the CMB temperature today (Fixsen 2009), CAMB's
	// COBE_CMBTemp: RECFAST's Saha switches and fudge functions are defined
	// for it and scale with T_CMB/TCMBDefault.
	TCMBDefault = 2.7255

	// cKmS is the speed of light in km/s: c/H is in Mpc for H in km/s/Mpc.
	cKmS = cLight / 1e3
)

// Derived constants.
var (
	// aRad is the radiation constant, u = a T⁴, J m⁻³ K⁻⁴.
	aRad = 8 * math.Pow(math.Pi, 5) * math.Pow(kBoltz, 4) / 15 / math.Pow(cLight, 3) / math.Pow(hPlanck, 3)

	// kmsMpcToSI converts H in km/s/Mpc to s⁻¹.
	kmsMpcToSI = 1e3 / megaparsec

	// omegaGammaPerT4 is Ω_γ h² / T_CMB⁴, as CAMB's grhog/grhocrit·h²:
	// (8πG/c²)(4σ_B/c³)T⁴ Mpc² / (3 (100 km/s)² / c²).
	omegaGammaPerT4 = 8 * math.Pi * gNewton / (cLight * cLight) * 4 * sigmaBoltz / math.Pow(cLight, 3) *
		megaparsec * megaparsec / (3 * 1e10 / (cLight * cLight))
)
