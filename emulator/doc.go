// Package emulator holds every emulator of cosmoemu: neural networks, or
// cheaper closed forms where those are exact, that stand in for expensive
// computations, behind one file format (docs/model-format.md) and one Load.
//
//   - Early emulates the early universe of the exact route
//     (cosmo.EarlyExact: recombination as CAMB computes it): z*, z_drag,
//     r_s(z*) and r_d from (ω_b, ω_c, N_eff, Σmν, ω_k), as the logarithms
//     of ratios to fitting formulas that a network corrects. As an
//     EarlySource it is the default early universe of fits, the exact
//     route answering (and counted) outside its domain. TrainEarly makes
//     it.
//   - Model is the late universe of a cosmological model as a backend
//     (Backend, named "emulator"): for the models with a closed form, the
//     closed form on a Chebyshev grid in ln(1+z) with one matrix for the
//     interpolation and the distances (no file, no domain); for the
//     scalar field, networks of (ln Ωm, λ, Σmν), quadratic in a radiation
//     coordinate u, give ln(1/E) at the nodes, w and the age. Train makes
//     them; Validate compares one with a reference backend.
//   - GrowthModel is the linear growth (D/D0 and f at z ≤ 3) of a model:
//     Heath's closed form plus a network at Chebyshev nodes, used by
//     Backend inside its domain (Backend.Growth, else the model's
//     embedded one, DefaultGrowth). The scalar field's is embedded, on a
//     domain narrower than its late-time emulator's, where it meets 1e-5
//     (docs/growth.md); outside it the field falls back whole. w0waCDM's
//     is embedded too; the closed-form models run the growth ODE on the
//     closed form without a network and outside a network's domain
//     (Stats.GrowthOutside); a field model without a growth network has
//     its growth alone computed by the fallback (Stats.GrowthFallbacks).
//     TrainGrowth makes one, ValidateGrowth checks it.
//   - Friedmann is the paper's emulator (Rojas Olvera, Gómez-Vargas &
//     Vázquez 2022) of Ω_r, Ω_m, Ω_Λ and H of flat ΛCDM with Ω_r0 = 1e-4 as
//     functions of N = ln a, Ω_m0 and H0, in two recipes: "default"
//     (networks of Ω_m0 alone at the nodes of a grid in N, a spline
//     between them) and "paper" (the paper's 4×150 sigmoid network).
//     Package paper/friedmann trains it.
//
// Load and Decode read any of them (LoadEarly, LoadModel, LoadFriedmann the
// typed ones); DefaultEarly, DefaultModel and DefaultFriedmann return the
// embedded files (models/). An emulator never extrapolates: a point outside
// its domain is answered by its fallback (the exact route, the solver) and
// counted, or is a *DomainError. Emulators are immutable and safe for
// concurrent use; the evaluators made from them are not.
//
// docs/emulators.md says what is emulated and why, with the measurements
// behind each choice, the training, the accuracy and the speed.
package emulator
