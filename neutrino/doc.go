// Package neutrino is massive neutrinos in the background expansion, in
// CAMB's default convention (CAMB 2.0.3, the version of the reference
// values in camb_points.json), stated once here.
//
// # Conventions
//
//   - Neutrinos decouple while relativistic: their comoving momenta keep the
//     Fermi–Dirac distribution 1/(e^q+1), q = p c/(k_B T_ν), T_ν ∝ 1/a, with
//     T_ν0 = (4/11)^{1/3} T_CMB today (TemperatureRatio) and T_CMB =
//     2.7255 K by default (TCMB).
//   - One massive eigenstate of mass Σmν (CAMB's set_cosmology defaults
//     num_massive_neutrinos = 1 and neutrino_hierarchy = "degenerate")
//     carries g = 3.044/3 of the N_eff species (StandardNEff/3, CAMB's
//     standard_neutrino_neff/3, whatever N_eff is; g = N_eff if N_eff is
//     smaller), the other N_eff − g are massless (fortran/model.f90,
//     SetNeutrinoHierarchyBase). Σmν = 0 makes all N_eff massless.
//   - g is a temperature: the eigenstate's distribution has T = g^{1/4} T_ν,
//     so its mass variable is y = Σmν c² a/(k_B T_ν0 g^{1/4}) (CAMB's
//     nu_masses·a, "am") and its density, relative to the photons at the
//     same a, MasslessFactor · g · ρ(y)/ρ(0), MasslessFactor =
//     (7/8)(4/11)^{4/3}; each massless species adds MasslessFactor.
//   - ω_ν = Ω_ν h² today (CAMB's omnuh2) is the thermal density of that
//     eigenstate, ω_γ · MasslessFactor · g · ρ(y₀)/ρ(0) (CAMB 2.0.3's
//     SetNeutrinoMasses; earlier CAMBs used the non-relativistic proxy
//     Σmν g^{3/4}/94.07 eV, 5.1e-5 lower at 0.06 eV).
//   - ω_γ = (4σ_SB T_CMB⁴/c³)/(3H₁₀₀²/8πG) with CAMB's constants
//     (fortran/constants.f90: CODATA 2018, parsec 3.085677581e16 m):
//     2.4729753278e-5 at 2.7255 K, 3.2e-10 below package cosmo's, whose
//     parsec is astropy's.
//
// All densities are relative to the photons at the same scale factor, so
// that, with Ω_γ = ω_γ/h²,
//
//	E²(a) = Ω_γ a⁻⁴ [1 + s.TotalDensity(a)] + … ,
//	dρ_ν/d ln a = −3(1 + w) ρ_ν,  w = s.MassiveEoS(a),
//
// for the neutrinos s of New. CAMB counts Ω_ν = s.OmegaNuH2()/h² in Ω_m
// (Ω_m = (ω_b + ω_c + ω_ν)/h², as camb_points.json's Omega_m0): the a⁻³
// term of E² is then (Ω_m − Ω_ν) a⁻³, the neutrinos being all in the term
// above.
//
// # Accuracy and cost
//
// Density, Pressure, DensityPressure and EoS interpolate a table of the
// exact integrals (Gauss–Legendre quadrature) and use the exact small-y and
// large-y expansions outside it: relative errors are below 1.2e-14 for ρ and
// 1.1e-12 for p and w, measured against an independent quadrature at y from
// 1e-6 to 1e6. A call costs about 6 ns of CPU time (bench_test.go) and
// never allocates; the table (26 kB) is built on first use in about 2.5 ms.
//
// Against CAMB 2.0.3 at its 14 reference points: ω_ν agrees to 3.3e-11 (CAMB
// rounds σ_SB in ω_γ but not in omnuh2), ω_γ to 4e-16, ρ(y)/ρ(0) to 9e-10 at
// z ≤ 2.33 and 2.1e-5 at z = 1090, where CAMB replaces the integrals by fits
// good to a few 1e-5.
package neutrino
