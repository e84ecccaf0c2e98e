// Package recomb computes the thermal history of the early universe as CAMB
// 2.0.3 does by default: the ionization history x_e(z) of hydrogen and
// helium from RECFAST, the helium abundance from BBN, and the derived
// epochs and sound horizons of the CMB and of the baryon drag.
//
// # Model
//
// Solve integrates RECFAST (Seager, Sasselov & Scott 1999, ApJ 523, L1;
// Wong, Moss & Scott 2008, MNRAS 386, 1023) with CAMB's corrections
// (fortran/recfast.f90): the hydrogen Peebles equation with the fudge
// factor F = 1.125 and the double-Gaussian correction to its K coefficient
// (Hswitch; Rubiño-Martín et al. 2010), HeI with the Sobolev escape
// probability of the 2¹P–1¹S line, the hydrogen continuum opacity (Kholupenko,
// Ivanchik & Varshalovich 2007) and the triplet channel (Heswitch = 6, CAMB's
// only option), the Compton-coupled matter temperature, and RECFAST's Saha
// phases: everything ionized above z_s = 8000, HeIII ↔ HeII Saha equilibrium
// to z_s = 5000, HeII down to 3500, HeII ↔ HeI Saha equilibrium until x_He
// = 0.99, then the equations, hydrogen starting fully ionized; helium stops
// evolving below x_He = 1e-8. Here 1+z_s = (1+z)·T_CMB/2.7255 K. The fudge
// parameters are CAMB 2.0.3's defaults, its 2026 refit to CosmoRec with a
// rational correction to the HeI rate (FudgeCosmoRec); RECFAST 1.5.2's
// (FudgePlanck, CAMB 1.x) moves z* by 2e-5.
//
// Y_He from BBN (Cosmology.YHe = 0) is CAMB's default: PRIMAT's 2024 table
// (Pitrou, Coc, Uzan & Vangioni 2018, Phys. Rep. 754, 1, arXiv:1801.08023;
// update arXiv:2011.11320), column Y_p^BBN = 4n_He/n_b, interpolated by a
// bicubic not-a-knot spline in (ω_b, ΔN_eff = N_eff − 3.044) and converted
// to the mass fraction (HeliumBBN).
//
// # Conventions (CAMB's, fortran/results.f90)
//
//	x_e   = n_e/n_H, electrons per hydrogen nucleus (1 + 2f_He when all is
//	        ionized, f_He = Y_He/(m_He/m_H (1 − Y_He)))
//	τ(z)  = ∫_0^z x_e n_H σ_T c dz'/((1+z')H), without reionization
//	z*    : τ(z*) = 1                                      (zstar)
//	τ_d(z)= ∫_0^z (dτ/dz')/R dz',  R = 3ρ_b/(4ρ_γ) = 3ω_b/(4ω_γ(1+z))
//	z_drag: τ_d(z_drag) = 1                                (zdrag)
//	r_s(z)= ∫_z^∞ c_s dz'/H(z'),  c_s = c/√(3(1+R))        (comoving, Mpc)
//	r*    = r_s(z*),  r_drag = r_s(z_drag)                 (rstar, rdrag)
//	θ*    = r*/D_M(z*)                                     (thetastar is 100θ*)
//
// n_H uses the mass of the hydrogen atom, ω_γ the CMB temperature. CAMB
// integrates r_s from a = 1e-9 rather than 0, which leaves out 1.9e-6 of r*;
// Solve integrates from a = 0.
//
// # Interface to the background
//
// The package does not know the cosmological model: Cosmology carries ω_b,
// Y_He (or BBN with N_eff), T_CMB and the expansion rate as a function
// Hubble(z) in km/s/Mpc, which must contain everything that the model has
// (photons, massless and massive neutrinos, matter, dark energy,
// curvature). θ* needs the transverse comoving distance D_M(z*), which
// depends on the late universe: the caller computes it and passes it to
// Epochs.ThetaStar.
//
// # Numerics
//
// The equations are integrated in N = ln a with a linearly implicit
// Rosenbrock method of order 4 (rosenbrock.go: Compton scattering and
// photoionization make them stiff up to 10⁸ times the expansion rate), with
// the Thomson and drag depths as quadratures of the same integration; z*
// and z_drag are roots of the depths' cubic Hermite interpolants, searched
// below the start of the equations (History.ZMax, z ≈ 2800; CAMB searches
// up to z = 5000, which matters only for backgrounds far from ΛCDM), and
// the sound horizons 32- and 8-point Gauss–Legendre sums (gonum). With the
// default RTol = 1e-4 a history takes about 175 steps, and z*, z_drag, r*
// and r_drag are within 1e-6 of their converged values, x_e within 3.3e-4;
// CAMB 2.0.3 agrees with them to 3e-6 (TestCAMBPoints). Solve allocates
// nothing once its History has grown.
package recomb
