package neutrino

import (
	"fmt"
	"math"
)

// Conventions of CAMB (fortran/constants.f90, fortran/model.f90).
const (
	// TCMB is CAMB's default CMB temperature today, COBE_CMBTemp, in K
	// (Fixsen 2009).
	TCMB = 2.7255

	// StandardNEff is CAMB's standard_neutrino_neff (default_nnu): N_eff of
	// the three standard neutrinos, heated slightly by e± annihilation. The
	// massive eigenstate carries StandardNEff/3 of the species whatever
	// N_eff is; the rest of N_eff is massless.
	StandardNEff = 3.044

	// MasslessFactor is (7/8)(4/11)^{4/3}, the energy density of one
	// massless neutrino species relative to the photons.
	MasslessFactor = 0.22710731766023897

	// TemperatureRatio is T_ν/T_CMB = (4/11)^{1/3}.
	TemperatureRatio = 0.71376585550360818
)

// Physical constants as CAMB 2.0.3 has them (fortran/constants.f90: exact SI
// values, CODATA 2018 G and σ_SB, and CAMB's parsec).
const (
	boltzmannEV     = 1.380649e-23 / 1.602176634e-19 // k_B in eV/K
	stefanBoltzmann = 5.670374419e-8                 // W m⁻² K⁻⁴
	newtonG         = 6.67430e-11                    // m³ kg⁻¹ s⁻²
	speedOfLight    = 2.99792458e8                   // m/s
	megaparsec      = 3.085677581e22                 // m
)

// OmegaGammaH2 returns ω_γ = Ω_γ h², the density of black-body photons at
// tcmb (K) in units of the critical density for H0 = 100 km/s/Mpc,
// (4σ_SB T⁴/c³)/(3H₁₀₀²/8πG), with CAMB's constants (fortran/results.f90,
// grhog/grhocrit). At 2.7255 K it is 2.4729753278e-5; package cosmo's
// OmegaGammaH2, with astropy's parsec, is 3.2e-10 larger.
func OmegaGammaH2(tcmb float64) float64 {
	t2 := tcmb * tcmb
	rhoGamma := 4 * stefanBoltzmann * t2 * t2 / (speedOfLight * speedOfLight * speedOfLight)
	h100 := 1e5 / megaparsec
	return rhoGamma / (3 * h100 * h100 / (8 * math.Pi * newtonG))
}

// Species is the neutrino content of a cosmology in CAMB's default
// convention (set_cosmology with num_massive_neutrinos = 1 and the
// degenerate hierarchy): one massive eigenstate of mass Σmν carrying
// g = StandardNEff/3 of the N_eff species (or N_eff if that is smaller),
// the other N_eff − g massless; T_ν0 = (4/11)^{1/3} T_CMB.
//
// The degeneracy g acts as a temperature: the eigenstate's distribution is
// a Fermi–Dirac one at T = g^{1/4} T_ν0, so that its relativistic density
// is that of g massless species. Its mass variable is
// therefore y(a) = Σmν a/(k_B T_ν0 g^{1/4}), and its density relative to the
// photons ρ_ν/ρ_γ = MasslessFactor · g · Density(y(a)).
//
// Σmν = 0 gives N_eff massless species and no massive one, exactly.
// Densities are relative to the photon density at the same scale factor
// a, so that ρ(a)/ρ_crit,0 · h² = OmegaGammaH2 · density / a⁴.
//
// The zero Species has no neutrinos at all; use New.
type Species struct {
	mnu, nnu, tcmb float64

	g        float64 // degeneracy of the massive eigenstate; 0 if mnu = 0
	massless float64 // number of massless species
	y0       float64 // y today
	wGamma   float64 // ω_γ
	wNu      float64 // ω_ν today
}

// New returns the neutrinos of a cosmology with mass sum mnu (eV, ≥ 0),
// N_eff = nnu (> 0) and CMB temperature tcmb (K, > 0), in CAMB's convention
// (see Species). ω_ν today is the thermal density of the eigenstate, as in
// CAMB 2.0.3 (SetNeutrinoMasses, omnuh2_from_mass),
//
//	ω_ν = ω_γ · MasslessFactor · g · Density(y₀),  y₀ = Σmν/(k_B T_ν0 g^{1/4}),
//
// so that ω_ν = ω_γ · MassiveDensity(1). CAMB's omnuh2 is 3.25e-11 larger:
// CAMB computes it from k_B and ħ but its ω_γ from σ_SB rounded to
// 5.670374419e-8. For Σmν = 0.06 eV, ω_ν is 5.1e-5 above the
// non-relativistic proxy of earlier CAMBs, Σmν g^{3/4}/(94.064 eV) ·
// (T_CMB/2.7255 K)³ (neutrino_mass_fac).
func New(mnu, nnu, tcmb float64) (Species, error) {
	switch {
	case math.IsNaN(mnu) || math.IsInf(mnu, 0) || mnu < 0:
		return Species{}, fmt.Errorf("neutrino: Σmν (mnu) = %g eV: want a finite mass sum ≥ 0", mnu)
	case math.IsNaN(nnu) || math.IsInf(nnu, 0) || nnu <= 0:
		return Species{}, fmt.Errorf("neutrino: N_eff (nnu) = %g: want a finite N_eff > 0", nnu)
	case math.IsNaN(tcmb) || math.IsInf(tcmb, 0) || tcmb <= 0:
		return Species{}, fmt.Errorf("neutrino: T_CMB (tcmb) = %g K: want a finite temperature > 0", tcmb)
	}
	s := Species{mnu: mnu, nnu: nnu, tcmb: tcmb, massless: nnu, wGamma: OmegaGammaH2(tcmb)}
	if mnu == 0 {
		return s, nil
	}
	s.g = min(StandardNEff/3, nnu)
	s.massless = nnu - s.g
	s.y0 = mnu / (boltzmannEV * tcmb * TemperatureRatio * math.Sqrt(math.Sqrt(s.g)))
	s.wNu = s.wGamma * MasslessFactor * s.g * Density(s.y0)
	return s, nil
}

// MassSum returns Σmν in eV.
func (s Species) MassSum() float64 { return s.mnu }

// NEff returns N_eff, massive and massless species together.
func (s Species) NEff() float64 { return s.nnu }

// TCMB returns the CMB temperature today in K.
func (s Species) TCMB() float64 { return s.tcmb }

// MassiveDegeneracy returns g, the number of species the massive
// eigenstate carries: min(StandardNEff/3, N_eff), or 0 if Σmν = 0.
func (s Species) MassiveDegeneracy() float64 { return s.g }

// MasslessNumber returns the number of massless species, N_eff − g.
func (s Species) MasslessNumber() float64 { return s.massless }

// Y returns the mass variable y = Σmν a/(k_B T_ν0 g^{1/4}) of the massive
// eigenstate at scale factor a (0 if Σmν = 0), the argument of Density.
func (s Species) Y(a float64) float64 { return s.y0 * a }

// OmegaGammaH2 returns ω_γ = Ω_γ h² at the Species' T_CMB; see the function
// OmegaGammaH2.
func (s Species) OmegaGammaH2() float64 { return s.wGamma }

// OmegaNuH2 returns ω_ν = Ω_ν h² today of the massive eigenstate, CAMB's
// omnuh2 (0 if Σmν = 0).
func (s Species) OmegaNuH2() float64 { return s.wNu }

// OmegaMasslessH2 returns Ω h² today of the massless species,
// ω_γ · MasslessFactor · (N_eff − g).
func (s Species) OmegaMasslessH2() float64 {
	return s.wGamma * MasslessFactor * s.massless
}

// MasslessDensity returns the density of the massless species relative to
// the photons, MasslessFactor · (N_eff − g), the same at every a.
func (s Species) MasslessDensity() float64 { return MasslessFactor * s.massless }

// MassiveDensity returns the density of the massive eigenstate relative to
// the photons at scale factor a, MasslessFactor · g · Density(y(a)): its
// a⁴ρ/ρ_crit,0 · h² in units of ω_γ. It is 0 if Σmν = 0.
func (s Species) MassiveDensity(a float64) float64 {
	return MasslessFactor * s.g * Density(s.y0*a)
}

// MassiveDensityPressure returns the density and the pressure of the
// massive eigenstate relative to the photon density at scale factor a
// (see MassiveDensity).
func (s Species) MassiveDensityPressure(a float64) (rho, p float64) {
	rho, p = DensityPressure(s.y0 * a)
	k := MasslessFactor * s.g
	return k * rho, k * p
}

// MassiveEoS returns the equation of state w = p/ρ of the massive
// eigenstate at scale factor a: 1/3 early on, → 0 once non-relativistic.
// It is 1/3 if Σmν = 0 (a massless species).
func (s Species) MassiveEoS(a float64) float64 { return EoS(s.y0 * a) }

// TotalDensity returns the density of all neutrinos, massive and
// massless, relative to the photons at scale factor a. With Σmν = 0 it is
// MasslessFactor · N_eff.
func (s Species) TotalDensity(a float64) float64 {
	return s.MasslessDensity() + s.MassiveDensity(a)
}
