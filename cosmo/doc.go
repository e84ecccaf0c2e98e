// Package cosmo defines the cosmological models of cosmoemu, their named
// parameters, the observables computed from them and the conventions
// behind every number, written down once here.
//
// # Models
//
//	lcdm          Om, H0                flat, cosmological constant Λ
//	olcdm         Om, Ok, H0            Λ and spatial curvature Ωk
//	wcdm          Om, w, H0             flat, constant equation of state w
//	w0wacdm       Om, w0, wa, H0        flat, CPL: w(a) = w0 + wa(1 − a)
//	quintessence  Om, lambda, H0        flat, thawing scalar field, V ∝ e^{−λκφ}
//
// Every model also takes mnu (Σmν in eV, default 0.06) and nnu (N_eff,
// default 3.044), sigma8 (σ8 today, the amplitude of the growth, which fσ8
// data need; growth.go has the growth's conventions), and
// ombh2 = ω_b = Ω_b h² when an observable needs it (the
// sound horizons, the CMB); omch2 = ω_c may replace Om (Resolve). A model is
// a value (NewModel): its dark energy supplies its own w(a) and density,
// and every parameter is declared once, with its range and unit
// (Model.Declarations).
//
// # Conventions
//
//   - c = 299792.458 km/s; h = H0/(100 km/s/Mpc); T_CMB = 2.7255 K;
//     ω_γ = (4σ_SB T⁴/c³)/ρ_c,100 (CODATA 2018 constants, as astropy).
//   - Neutrinos as CAMB has them by default (package neutrino): one
//     massive eigenstate of mass Σmν carrying g = 3.044/3 of the species
//     whatever N_eff is (CAMB's standard_neutrino_neff/3; N_eff if that is
//     smaller), the other N_eff − g massless, T_ν = (4/11)^{1/3} T_CMB;
//     the massive state's energy density and pressure are the exact
//     Fermi–Dirac integrals at every a (tabulated to 1e-14). With Σmν = 0
//     all N_eff species are massless.
//   - Om is all matter today, non-relativistic massive neutrinos included
//     (CAMB's omegam, DESI's Ωm): Om = (ω_b + ω_c + ω_ν)/h², ω_ν = Ω_ν h²
//     the massive state's density today (OmegaNu); ω_cb = ω_b + ω_c
//     excludes it. Ω_r = Ω_γ(1 + 0.22710731766 N_eff) is the radiation
//     while every neutrino is relativistic (OmegaR); OmegaRToday is what
//     still scales as a⁻⁴ today (photons and massless neutrinos).
//     Ω_DE = 1 − Ωm − OmegaRToday − Ωk.
//   - The expansion rate, with a = 1/(1+z),
//     E²(a) = H²/H0² = Ω_γ a⁻⁴[1 + ρ_ν(a)/ρ_γ(a)] + Ω_cb a⁻³ + Ωk a⁻² + Ω_DE f(a),
//     ρ_ν all neutrinos, Ω_cb = Ωm − Ω_ν, f = ρ_DE(a)/ρ_DE0 from the dark
//     energy: 1 (Λ), a^{−3(1+w)} (wcdm), a^{−3(1+w0+wa)} e^{−3wa(1−a)} (CPL).
//   - Distances (Mpc): D_C = c∫₀^z dz'/H, D_M = D_C (flat),
//     (c/H0)/√Ωk sinh(√Ωk H0 D_C/c) (Ωk > 0) or the sin form (Ωk < 0);
//     D_A = D_M/(1+z); D_L = (1+z_hel) D_M(z_cmb); μ = 5 log10(D_L/Mpc) + 25;
//     D_H = c/H; D_V = (z D_M² D_H)^{1/3}.
//   - The early universe (EarlyRoute; CAMB's names and definitions, package
//     recomb): EarlyExact, the default, integrates RECFAST's hydrogen and
//     helium recombination as CAMB 2.0.3 does, with Y_He from BBN (PRIMAT);
//     z* is where the Thomson optical depth is 1 (zstar), z_drag where the
//     baryon drag depth is 1 (zdrag), r_s(z) = ∫_z^∞ c_s dz'/H with
//     c_s = c/√(3(1+R)), R = 3ω_b/(4ω_γ(1+z)); r* = r_s(z*), r_d =
//     r_s(z_drag) (rstar, rdrag); θ* = r*/D_M(z*) (100θ* is CAMB's
//     thetastar). EarlyFitting is the older route: z* of Hu & Sugiyama
//     1996 and r_d of Aubourg et al. 2015 (arXiv:1411.1074) Eq. 16, within
//     a few tenths of a per cent of the exact route. An EarlySource may stand in for either
//     (package emulator's emulated early universe, the default of fits).
//   - CMB shift parameters: R = √Ωm H0 D_M(z*)/c, l_A = π D_M(z*)/r_s(z*);
//     the Planck distance priors of Chen, Huang & Wang 2019 hold in their
//     own definitions of these, which package likelihood computes.
//   - Scalar field (Rojas Olvera et al. 2022 variables): x = κφ'/√6,
//     y = κ√V/(√3H), ' = d/dN, N = ln a; Ω_m = 1 − x² − y² − Ω_r,
//     Π = Ω_m + (4/3)Ω_r + 2x², x' = −3x + λ√(3/2) y² + (3/2)Πx,
//     y' = −λ√(3/2) xy + (3/2)Πy, Ω_r' = 3(Π − 4/3)Ω_r, (ln H)' = −(3/2)Π,
//     w_φ = (x² − y²)/(x² + y²), with the massive neutrinos as one more
//     fluid of varying w. The field starts at rest (x = 0) at N = −12; y
//     there is found by root finding so that today x² + y² = Ω_DE to
//     1e-10. λ = 0 is flat ΛCDM.
//   - The paper's fixed Ω_r0 = 1e-4 and massless neutrinos belong to its
//     grid and emulator recipe only (package paper/friedmann).
//
// # Physical points
//
// A point is refused (Model.Check, and the backends) when a parameter is
// outside its range (Om ≤ 0, H0 ≤ 0, …), when dark energy is not
// subdominant at early times (w ≥ 0, w0 + wa ≥ 0), when E² ≤ 0 at a
// redshift asked for, and when no field at rest gives the Ω_φ asked for.
//
// # Computing observables
//
// A Backend makes Evaluators for a model and a Request (the redshifts and
// scalars a likelihood needs); an Evaluator fills a Result for one point.
// Package backend holds the closed form with quadrature ("analytic") and the
// RK45 solver ("solver"); package emulator the neural networks.
package cosmo
