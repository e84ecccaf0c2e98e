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
// Any model takes sigma8 = σ8 today, the amplitude of the growth (fσ8 data
// need it; see growth.go for the growth's conventions), and
// ombh2 = ω_b = Ω_b h² when an observable needs it (the
// sound horizons and the CMB shift parameters).
//
// # Conventions
//
//   - c = 299792.458 km/s; h = H0/(100 km/s/Mpc).
//   - Radiation: photons at T_CMB = 2.7255 K and N_eff = 3.046 massless
//     neutrinos, ω_γ = (4σ_SB T⁴/c³)/ρ_c,100 (CODATA 2018 constants, as
//     astropy), ω_r = ω_γ(1 + 0.22710731766 N_eff), Ω_r = ω_r/h². (The
//     paper's fixed Ω_r0 = 1e-4 belongs to its grid and emulator recipe
//     only, in package friedmann.)
//   - Ωm counts baryons and cold dark matter; Ω_DE = 1 − Ωm − Ω_r − Ωk.
//   - The expansion rate, with a = 1/(1+z),
//     E²(a) = H²/H0² = Ω_r a⁻⁴ + Ωm a⁻³ + Ωk a⁻² + Ω_DE f(a), with
//     f = 1 (Λ), a^{−3(1+w)} (wcdm) or a^{−3(1+w0+wa)} e^{−3wa(1−a)} (CPL).
//   - Distances (Mpc): D_C = c∫₀^z dz'/H, D_M = D_C (flat),
//     (c/H0)/√Ωk sinh(√Ωk H0 D_C/c) (Ωk > 0) or the sin form (Ωk < 0);
//     D_A = D_M/(1+z); D_L = (1+z_hel) D_M(z_cmb); μ = 5 log10(D_L/Mpc) + 25;
//     D_H = c/H; D_V = (z D_M² D_H)^{1/3}.
//   - Drag-epoch sound horizon r_d: Aubourg et al. 2015 (arXiv:1411.1074)
//     Eq. 16 with no massive neutrinos, r_d = 55.154 e^{−72.3·0.0006²} /
//     (ω_cb^0.25351 ω_b^0.12807) Mpc, ω_cb = Ωm h².
//   - Photon decoupling z*: Hu & Sugiyama 1996, z* = 1048[1 + 0.00124
//     ω_b^−0.738][1 + g1 ω_m^g2], g1 = 0.0783 ω_b^−0.238/(1 + 39.5 ω_b^0.763),
//     g2 = 0.560/(1 + 21.1 ω_b^1.81), ω_m = Ωm h².
//   - Sound horizon r_s(z*) = ∫_{z*}^∞ c_s dz/H, c_s = c/√(3(1+R_b)),
//     R_b = 3ω_b/(4ω_γ(1+z)).
//   - CMB shift parameters (Chen, Huang & Wang 2019, arXiv:1808.05724):
//     R = √Ωm H0 D_M(z*)/c, l_A = π D_M(z*)/r_s(z*).
//   - Scalar field (Rojas Olvera et al. 2022 variables): x = κφ'/√6,
//     y = κ√V/(√3H), ' = d/dN, N = ln a; Ω_m = 1 − x² − y² − Ω_r,
//     Π = Ω_m + (4/3)Ω_r + 2x², x' = −3x + λ√(3/2) y² + (3/2)Πx,
//     y' = −λ√(3/2) xy + (3/2)Πy, Ω_r' = 3(Π − 4/3)Ω_r, (ln H)' = −(3/2)Π,
//     w_φ = (x² − y²)/(x² + y²). The field starts at rest (x = 0) at
//     N = −12; y there is found by root finding so that today
//     x² + y² = 1 − Ωm − Ω_r to 1e-10. λ = 0 is flat ΛCDM.
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
