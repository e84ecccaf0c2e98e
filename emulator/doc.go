// Package emu is the emulator backend of cosmoemu: trained neural networks
// that stand in for the expensive parts of the background observables of
// every model of package cosmo, behind the cosmo.Backend interface
// (Backend, named "emulator"). Package emu/train makes the emulators; one
// per model is embedded (Default).
//
// # What is emulated, and why
//
// Every Request is computed from three parts (docs/emulators.md has the
// measurements behind each choice):
//
//   - The late-time expansion, 0 ≤ z ≤ z_max, as 1/E at the nodes x_k of a
//     piecewise Chebyshev grid in x = ln(1+z). For the closed-form models
//     (lcdm, olcdm, wcdm, w0wacdm) 1/E there is the closed form: at the
//     1e-5 accuracy required, no network evaluates faster than the closed
//     form at the 32 nodes of one panel on [0, ln 4]. For the scalar field
//     (no closed form, a shooting solve per point) a network gives ln(1/E)
//     at the 16 nodes of one panel on [0, ln 4] from (ln Ωm, λ), as a
//     quadratic in the radiation coordinate u (below). Then, with fixed
//     weights computed once per Request,
//
//     1/E(z_i) = Σ_k P_ik (1/E)_k,   D_C(z_i) = (c/H0) Σ_k W_ik (1+z_k)(1/E)_k,
//
//     P interpolating and W integrating the piecewise polynomial through
//     the nodes; D_M follows from D_C and Ωk.
//
//   - The early universe: z* is the Hu & Sugiyama formula and r_d that of
//     Aubourg et al. (computed exactly, as the other backends). The sound
//     horizon and the distance from z = 3 to z* are
//
//     r_s(z*) = r_s,rm·e^{y_0},   D_C(z*) = D_C(3) + J_rm·e^{y_1},
//
//     where r_s,rm and J_rm are those of a universe of radiation and
//     matter with the same Ωm, Ω_r and ω_b (closed forms:
//     cosmo.SoundHorizonTail, cosmo.ComovingTail), and y = (y_0, y_1),
//     the effect of dark energy and curvature before z = 3, comes from a
//     network of (ln Ωm, the model's parameters, u, ln(1+z*)). For the
//     closed-form models the network answers where dark energy and
//     curvature are perturbations at z ≥ 3 (Region); elsewhere the same
//     integrals are the closed form's, by Gauss–Legendre in √a. The scalar
//     field is frozen before z ≈ 300: there r_s and D_C are those of
//     radiation and matter (to 4e-8), and its late-time network gives
//     D_C from z = 3 to 300 as one more output.
//
//   - w(z) and the age: the closed form, or for the scalar field a second
//     network at the late-time nodes.
//
//   - The linear growth (Request.Growth): the growth ODE on the closed form
//     (RTol 1e-7) for the closed-form models; a growth network (GrowthModel:
//     Heath's closed form plus a network at Chebyshev nodes) where the
//     Backend is given one; otherwise, for the scalar field, the fallback
//     computes the growth alone (Stats.GrowthFallbacks).
//     No growth network is embedded: none trained so far meets 1e-5 against
//     the solver everywhere in the domain (docs/growth.md).
//
// Ω_r = ω_r/h² enters E at z ≤ 3 weakly and smoothly (at most 1% of E at
// z = 3): with u = (2Ω_r − Ω_r,lo − Ω_r,hi)/(Ω_r,hi − Ω_r,lo) ∈ [−1, 1]
// over the H0 range, the late-time networks give each output as
// v_0 + u v_1 + u² v_2, so that H0 is not one of their inputs; for the
// field's ln E that quadratic is exact to 1.2e-9 (against the solver).
//
// # Networks
//
// A Net has two tanh hidden layers and a linear output layer, plus a
// quadratic in its (min-max scaled) inputs added to the output, both
// fitted together; its outputs are scaled by their means and one common
// scale. For a Request, the output layer, the scaling, the quadratic and
// the interpolation weights fold into one linear layer, evaluated by
// package nn's kernels: an evaluation costs the hidden layers and one
// matrix–vector product, and allocates nothing.
//
// # Domain
//
// An emulator answers points of its Domain only: Ωm ∈ [0.05, 0.7],
// H0 ∈ [50, 90], ombh2 ∈ [0.018, 0.026], Ωk ∈ [−0.3, 0.3] with E² ≥ 0.25
// at every z, w ∈ [−2, 0], w0 ∈ [−2, 0], wa ∈ [−3, 2] (w0 + wa < 0), and
// λ ∈ [0, 2] below λ_max(Ωm) − 0.3, where λ_max is the largest λ for which
// a thawing field exists. Elsewhere it never extrapolates: a Backend with
// a Fallback hands the point to it (and counts it), one without returns a
// *DomainError.
package emulator
