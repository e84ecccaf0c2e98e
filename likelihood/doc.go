// Package likelihood turns H(z) measurements and a model of the expansion
// history into a Bayesian posterior for θ = (Ωm0, H0).
//
// For N measurements H_obs,i ± σ_i at redshifts z_i (optionally with a full
// covariance C instead of diag σ²) and a model H(z; θ), the residuals are
//
//	Δ_i(θ) = H(z_i; θ) − H_obs,i
//	χ²(θ)  = Δᵀ C⁻¹ Δ                 (= Σ Δ_i²/σ_i² for diagonal errors)
//	ln L(θ) = −χ²(θ)/2
//	ln P(θ) = ln π(θ) + ln L(θ)
//
// The Gaussian normalization −(N ln 2π + ln det C)/2 is left out of ln L: it
// does not depend on θ. Gaussian.LogNorm returns it for evidence or
// goodness-of-fit work. The prior π is a box (uniform) per parameter, times
// an optional Gaussian factor, also unnormalized (see Prior.LogPrior).
//
// The model H(z; θ) is supplied by a Backend (closed form, ODE solver or
// neural-network emulator), which makes per-goroutine Models for the data
// redshifts. Posterior ties backend, data and prior together; its LogProb is
// safe for concurrent use and does not allocate in steady state.
package likelihood
