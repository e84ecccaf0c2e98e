// Package likelihood turns data sets into likelihoods of the background
// observables, and combines them with a model, a backend and a prior into a
// posterior.
//
// # Data sets
//
// The built-in data sets form a catalogue (Sets, Lookup): each is one Set
// value declaring its name, documentation, citation, licence, the
// covariance it may have to fetch, the sets it must never be combined
// with, and the code that makes its likelihood from the files of package
// data. Open takes a set's name or a file spec (bao:MEAN:COV, …) and
// returns its likelihood.
//
// Every likelihood is Gaussian in its data vector d with covariance C:
//
//	χ² = (t − d)ᵀ C⁻¹ (t − d),   ln L = −½ [χ² + ln det(2πC)],
//
// where t is the theory: H(z) for expansion-rate data, D_V/r_d, D_M/r_d,
// D_H/r_d (DESI) or D_M·r_d,fid/r_d and H·r_d/r_d,fid (SDSS DR12, r_d,fid =
// 147.78 Mpc) for BAO, fσ8(z) = σ8 f(z) D(z)/D(0) for the redshift-space
// distortions that the BOSS and eBOSS sets measure with their BAO (rows
// f_sigma8: the likelihood then needs σ8 and asks for the growth),
// (R, l_A, ω_b) for the CMB distance priors, 100θ* or
// (θ*, ω_b, ω_bc) for DESI's compressed CMB, H0 for a local H0 measurement,
// ω_b for BBN, and the distance moduli
// μ = 5 log10[(1+z_hel) D_M(z)/Mpc] + 25 plus an absolute magnitude M for
// supernovae. Posterior.LogProb uses −χ²/2 (the normalisations are constant);
// LogNorm gives them, for evidences.
//
// # Supernovae
//
// The absolute magnitude M is degenerate with H0. It is a nuisance
// parameter of each supernova sample, declared optional (Needs): unless
// the posterior samples it, it is marginalised analytically under a flat
// prior, as Cobaya does:
//
//	χ²_marg = rᵀC⁻¹r − (1ᵀC⁻¹r)²/(1ᵀC⁻¹1),   r = m − μ(z),
//
// and the marginal likelihood is ∫ L dM = exp(−χ²_marg/2) /
// √det(2πC) · √(2π/(1ᵀC⁻¹1)) for a prior density of 1 per magnitude. That
// prior is improper, so the absolute ln Z of supernova data is defined only
// up to the (model-independent) width one would give it: compare models on
// such data by Δ ln Z, which does not depend on it. Samples with different
// zero points (Union3's distance moduli, Pantheon+'s m_b_corr near −19.3)
// never share an offset: with several samples the parameters are named
// M_union3, M_pantheonplus, … (Combine).
//
// The theory μ(z) is smooth, so it is computed at K nodes in ln z and
// interpolated to the supernovae by a natural cubic spline, a linear map
// μ = A f. The χ² is then a quadratic form in the K node values,
//
//	χ²(f) = χ²(f0) + 2 gᵀ(f − f0) + (f − f0)ᵀ Q (f − f0),
//
// with Q = AᵀPA, g = −AᵀP r0 and P the (marginalised) precision, all
// computed once: an evaluation costs O(K²) instead of O(n²), exactly for the
// interpolated theory.
//
// # The CMB
//
// Three sets measure the CMB acoustic scale and never combine:
// planck18-distance (Chen, Huang & Wang's priors on R, l_A and ω_b),
// theta-star (100θ*, DESI DR2's θ* prior) and cmb-compressed (DESI DR2's
// Gaussian in θ*, ω_b and ω_bc = Ωm h² − ω_ν). theta-star and
// cmb-compressed read θ* = r_s(z*)/D_M(z*) of the backend's early universe,
// CAMB's definitions with the exact route, which are those DESI used.
// planck18-distance computes R and l_A itself, in the conventions that
// reproduce Chen, Huang & Wang's own numbers (ShiftCHW: z* from Hu &
// Sugiyama, their radiation Ω_r = Ωm/(1 + z_eq), R_b = 3·10⁴ ω_b a), not
// CAMB's, in which Planck's best fit would sit 3σ from their l_A (CMB and
// docs/models.md say how these were found). bbn combines with each: the
// CMB and the light elements measure ω_b from independent data.
//
// # What a likelihood declares
//
// A Likelihood registers the observables it needs when it binds
// (Requirements: redshifts, distances, the CMB scalars, the growth) and
// declares the rest (Needs): whether it reads r_d, ω_b or σ8, whether it
// measures H0, and its nuisance parameters. Package fit chooses the parameters from these
// declarations; NewPosterior checks a combination against them, and with
// Combine refuses the same data twice (by content: Fingerprint) and sets
// that must never be combined.
//
// # Sound horizon
//
// BAO measure distances in units of r_d. With ω_b among the parameters
// (sampled, fixed or constrained by the CMB), r_d comes from the model's
// early universe (cosmo.EarlyUniverse: r_s at the drag epoch); without it,
// r_d is free through h·r_d, the parameter hrd in Mpc, and r_d = hrd/h.
//
// # The matter
//
// The matter is sampled as Ωm (Om) or as ω_c (omch2, with ω_b): the
// posterior then derives Ωm = (ω_b + ω_c + ω_ν)/h² at every point
// (cosmo.Params.Resolve), so that every likelihood reads Ωm.
package likelihood
