// Package growth computes the scale-independent linear growth of matter
// perturbations, D(z) and f = dlnD/dlna, for any background expansion:
// by an ODE for every model (Evaluator, or Derivs appended to an Ω_i
// system) and by Heath's integral for ΛCDM and oΛCDM without radiation
// (Heath).
//
// # The growth equation
//
// With the e-fold time N = ln a = −ln(1+z) and ' = d/dN, the linear density
// contrast of pressureless matter on sub-horizon scales grows as D(N),
//
//	D'' + (2 + dlnH/dN) D' − (3/2) Ω_m(N) D = 0,
//
// where Ω_m(N) is the share of the critical density in matter that
// clusters. Radiation enters H but does not cluster (leaving it out of H
// moves D/D0 and f by up to 6.2e-4 at z ≤ 2.33); dark energy is smooth;
// curvature enters H only. With
// Π = Σ_i γ_i Ω_i, the quantity of package friedmann with dlnH/dN = −3Π/2,
// the state integrated is g = (ln D, f):
//
//	(ln D)' = f,
//	f'      = (3/2)Ω_m − f² − (2 + dlnH/dN) f = (3/2)Ω_m − f(f + 2 − 3Π/2).
//
// Why these variables: D grows by e^{10} from where it starts, and the
// absolute error of ln D that the solver controls is the relative error of
// D; f is of order one, is the output itself, and stays positive (at f = 0,
// f' = (3/2)Ω_m > 0). The equation for f is first order: a perturbation of
// f relaxes back to the growing mode, δf' = −(2f + 2 + dlnH/dN)δf, as
// a^{−5/2} in the matter era (it is neutral in the radiation era, where
// f ≈ 0), so errors made at the start or along the way are not amplified,
// whereas with (D, D') the decaying mode has to be kept out by the
// integration itself. The number of steps is set by the transitions
// (matter–radiation equality, dark energy), not by the scale of the
// variables: f/Ω_m, of order one also in the radiation era, took 10% fewer
// steps (250 against 278 for ΛCDM at RTol 1e-10) and needs Ω_m' = 3(Π − 1)Ω_m.
//
// # Initial conditions
//
// In a universe of radiation and clustering matter alone (Ω_m + Ω_r = 1,
// so Π = 4/3 − Ω_m/3), the growing mode is Mészáros's (1974, A&A 37,
// 225): with y = a/a_eq =
// Ω_m/Ω_r, D ∝ 1 + 3y/2. Normalised to D = a + (2/3)a_eq (D → a in the
// matter era; D = a without radiation),
//
//	f = 3y/(2 + 3y) = 3Ω_m/(2 + Ω_m),   ln D = N − ln f,
//
// exactly, at any N before dark energy and curvature matter (Start). The
// Evaluator starts at Settings.StartN (default N = −14, a ≈ 8e-7) or, where
// the background is not yet radiation and matter alone to 1e-10,
// |StartResidual| = |Π − 4/3 + Ω_m/3| > 1e-10, 2 e-folds earlier at a time,
// to N = −50 at most; if even there |StartResidual| > StartTol = 1e-3 (dark
// energy with w > 1/3, no matter) there is no growing mode and Eval fails.
// The amplitude error of the start is about |StartResidual|: it moves D0;
// D(z)/D(0) and f feel the start only through a decaying mode.
// Measured (TestStartIndependence, RTol 1e-12): starts at N = −10, −14,
// −20 and −30 agree to 5e-14 in D/D0, f and fσ8/σ8,0 and to 2e-10 in D0,
// for flat and curved ΛCDM (Ωk = ±0.3), w0waCDM and a model without
// radiation.
//
// # Heath's integral
//
// For matter, curvature and Λ without radiation (Heath 1977, MNRAS 179,
// 351), with
// P(a) = a³E² = Ω_m + Ω_k a + Ω_Λ a³,
//
//	D(a) = (5Ω_m/2) E(a) I(a),   I(a) = ∫_0^a da'/(a'E(a'))³,
//
// normalised so that D → a as a → 0. Since dI/dN = 1/(a²E³) and
// dlnE/dN = −(3Ω_m + 2Ω_k a)/(2P),
//
//	f = dlnE/dN + 1/(a²E³I) = a^{5/2}/(P^{3/2} I) − (3Ω_m + 2Ω_k a)/(2P)
//	  = (5Ω_m a/D − 3Ω_m − 2Ω_k a)/(2P),
//
// (f = 1 for Einstein–de Sitter). In u = √a the integral is
// I(a) = ∫_0^{√a} 2u⁴ P(u²)^{−3/2} du, whose integrand is analytic on
// [0, 1] (the a'^{3/2} of the matter era becomes u³): Gauss–Legendre
// (gonum's nodes), 16 per panel on panels at most 1/8 wide cut at the
// outputs, 1/64 wide where the minimum of P on [0, 1] is below 0.01 (close
// to a bounce, where zeros of P approach the real axis; below 1e-3 the
// point is refused). D0, D/D0 and f agree to 4.2e-13 with 128 panels of
// 24 nodes, over random Ωm ∈ [0.01, 1], Ωk ∈ [−1, 1] and points with
// minimum a³E² from 0.0012 to 0.012 (TestHeathQuadratureConverged).
// The ODE without radiation agrees with it to 3.7e-10 in D/D0, f and
// fσ8/σ8,0 and 2.8e-10 in D0 over 300 random points with Ωm ∈ [0.1, 0.6],
// Ωk ∈ [−0.3, 0.3] (TestAgainstHeath, default settings).
//
// # Outputs
//
// At each redshift: D(z)/D(0), f(z) and fσ8(z)/σ8,0 = f(z)D(z)/D(0), since
// σ8(z) = σ8,0 D(z)/D(0) with σ8,0 today's amplitude; and D0 = D(z = 0) in
// the normalisation above, D → a in the matter era, so that D0 is the
// growth suppression factor (0.779 for flat ΛCDM with Ωm = 0.3). An
// Evaluator (ODE) or Heath (closed form) is made once per
// set of redshifts and fills a Result without allocating.
//
// The default solver tolerances (RTol 1e-9, ATol 1e-12) give D/D0, f and
// fσ8/σ8,0 to 4.6e-10 and D0 to 1.8e-10 over 100 random points of every
// family with radiation (TestAccuracyVsTolerance); RTol 1e-7 with ATol 1e-9
// gives 5.3e-8 in less than half the time.
//
// # Appending the growth to an Ω_i system
//
// For models without a closed form, Derivs is the right-hand side of the
// growth in the variables of such a system, Π and Ω_m, and Start its
// initial state: append Dim components to the state and integrate forwards
// from an early N (TestAppendedToOmegaSystem does so for radiation, matter
// and Λ as three fluids and as the scalar field of friedmann.FieldSystem
// with λ = 0, and agrees with the Evaluator to 7.6e-12). Two cautions,
// both measured there:
//
//   - forwards in time the constraint ΣΩ_i = 1 of Ω_i' = 3(Π − γ_i)Ω_i is
//     unstable, ΣΩ_i − 1 ∝ e^{3∫Π dN} (e^{50} over 14 e-folds; with
//     friedmann.Universe.Derivs the growth came out wrong by orders of
//     magnitude): use Π = Σγ_iΩ_i/ΣΩ_i, which conserves ΣΩ_i exactly, or a
//     form that holds the constraint, as FieldSystem's Ω_m = 1 − x² − y² − Ω_r;
//   - control relative errors only (ATol far below the smallest Ω_i): dark
//     energy's share starts near 1e-21 and keeps its relative error as it
//     grows; with ATol = 1e-14 the growth was off by 1e-8.
//
// friedmann.FluidSystem integrates backwards from N = 0, where no growing
// mode is known: growth cannot be appended to it.
//
// # Bad input
//
// Eval returns an *Error naming the redshift and the reason, never a NaN
// and never a panic, for: no growing mode (no clustering matter, or a
// background not dominated by radiation and matter at any N ≥ −50); E² ≤ 0
// between the start and today (a bounce: the redshift where E² reaches 0
// is found by bisection); non-finite values of the background; a growth
// equation that cannot be integrated (D crossing zero). Heath's Eval finds
// the minimum of P(a) = a³E² on [0, 1] exactly (at a = 1 or at
// a² = −Ω_k/(3Ω_Λ)) and refuses P ≤ 0 (a bounce) and P < 1e-3.
//
// # The reference values of growth_points.json
//
// The shared test file (a numpy/scipy implementation, DOP853 at rtol
// 1e-12, Mészáros start at a = 1e-6) follows, as its values show
// (TestGrowthPoints, TestGrowthPointsConventions):
//
//   - E² = Ω_r(1+z)⁴ + Ωm(1+z)³ + Ωk(1+z)² + Ω_DE f_DE(z), Ω_DE = 1 − Ωm −
//     Ωk − Ω_r (its Ode), f_DE = (1+z)^{3(1+w0+wa)} e^{−3wa z/(1+z)}: its E
//     is reproduced to 1e-12;
//   - Ω_r = ω_γ(1 + 0.22710731766 N_eff)/h² at T_CMB = 2.7255 K and
//     N_eff = 3.046, the convention of package cosmo; the file's Ω_r is
//     3.3e-11 larger, as from the unrounded σ_SB = 2π⁵k⁴/(15h³c²) rather
//     than CODATA's rounded 5.670374419e-8, which changes nothing here;
//   - all of Ωm clusters (baryons and CDM), radiation does not: leaving
//     radiation out of H moves the values by 6.2e-4, letting Ωm − 0.0014
//     cluster by 2.8e-3, 84% of Ωm by 0.1;
//   - fs8_over_s8_0 = f·D_ratio, D normalised at z = 0.
//
// With the default settings every family (lcdm, olcdm, wcdm, w0wacdm)
// agrees with it to 3.4e-10 at most in D/D0, f and fσ8/σ8,0; at RTol 1e-12
// to 1.3e-11.
//
// # Massive neutrinos
//
// Free-streaming neutrinos make the growth scale dependent: on scales
// larger than the free-streaming length all matter clusters; on smaller
// ones the neutrinos do not, and the CDM and baryons grow more slowly. For
// a scale-independent D(z) and fσ8 the project should count only CDM and
// baryons as clustering, Ω_m(N) = Ω_cb e^{−3N}/E², with the neutrinos in H
// (as matter once non-relativistic): that is the growth of the field that
// galaxies trace, on the scales where RSD measure fσ8, which lie mostly
// below the free-streaming length of sub-eV neutrinos; σ8 then means σ8 of
// CDM and baryons, and a likelihood must use that one consistently. The difference between the two choices is
// small today: for Σmν = 0.06 eV, with ω_ν = Σmν/93.14 eV as
// non-relativistic matter in H at all times (Ω_ν = 0.0014, f_ν = Ω_ν/Ωm =
// 0.0045 at Ωm = 0.31, h = 0.6766), counting only CDM and baryons changes,
// for 0 ≤ z ≤ 2 (TestNeutrinoChoice):
//
//   - f by −0.27% to −0.28% (about −(3/5)f_ν) at every z,
//   - D(z)/D(0) by +0.04% (z = 0.25) to +0.24% (z = 2),
//   - fσ8/σ8,0 by −0.28% (z = 0) to −0.03% (z = 2),
//
// against fσ8 errors of 5–10% in current data. (D0 falls by 1.9%, an
// overestimate: real neutrinos of 0.06 eV are relativistic until z ≈ 100.)
package growth
