package cosmo

import (
	"math"
	"strings"
)

// The linear growth of structure (Request.Growth), as the backends compute
// it with package growth:
//
//   - D(z) is the scale-independent linear growth of the density contrast
//     of cold dark matter and baryons on sub-horizon scales,
//     D'' + (2 + dlnH/dN) D' = (3/2) Ω_cb(N) D with ' = d/dN, N = ln a,
//     Ω_cb(N) = Ω_cb a⁻³/E²; f = dln D/dln a. Radiation, massive
//     neutrinos, curvature and dark energy enter H only: dark energy is
//     smooth, and the massive neutrinos, whose free-streaming makes the
//     growth scale dependent, are counted as not clustering. That is the
//     growth of CDM and baryons below the neutrinos' free-streaming
//     length, where the RSD data measure fσ8; on larger scales the
//     neutrinos cluster too. For Σmν = 0.06 eV the choice moves f by
//     −0.27% to −0.28%, D/D0 by up to +0.24% and fσ8/σ8 by −0.28% (z = 0)
//     to −0.03% (z = 2), against letting them cluster once cold
//     (docs/growth.md, TestNeutrinoClustering in package backend): far
//     below the 5–10% errors of current fσ8 data.
//   - The growing mode starts deep in the radiation era, where the
//     background is radiation and matter alone, from Mészáros's solution
//     D = a + (2/3)a_eq (package growth), so D → a in the matter era and
//     D(0) is the growth suppression g0.
//   - σ8(z) = σ8 D(z)/D(0), with σ8 the parameter sigma8 (that of CDM and
//     baryons today), and fσ8(z) = σ8 f(z) D(z)/D(0) (Result.FSigma8);
//     S8 = σ8 (Ωm/0.3)^{1/2} (Params.S8).
//
// A point without a growing mode or a growth history (a background that
// bounces before today, E² ≤ 0 somewhere between the big bang and today)
// is a *PointError (NoGrowth).

// FSigma8 returns fσ8(z) = σ8 f(z) D(z)/D(0) at Request.Z[i] for today's
// σ8 (Request.Growth).
func (r *Result) FSigma8(i int, sigma8 float64) float64 { return sigma8 * r.F[i] * r.DRatio[i] }

// S8 returns S8 = σ8 (Ωm/0.3)^{1/2}: the combination weak lensing
// measures best. Ωm is the total matter (massive neutrinos included), as in
// the literature's definition.
func (p *Params) S8() float64 { return p.Sigma8 * math.Sqrt(p.Om/0.3) }

// NoGrowth returns the *PointError for a point of model m whose linear
// growth cannot be computed: err (from package growth) says why and where.
func NoGrowth(m *Model, p *Params, err error) *PointError {
	why := strings.TrimPrefix(err.Error(), "growth: ")
	return &PointError{Model: m.name, Reason: "no linear growth at " + m.Format(p, 6) + ": " + why}
}

// GrowthRates returns, at e-fold time N = ln a, E² = H²/H0², dlnE/dN and
// Ω_cb(N) = Ω_cb a⁻³/E², the share of the clustering matter (CDM and
// baryons): the background of package growth (GrowthBackground). With
// ρ_i the densities of E² (see Expansion) and p_i their pressures,
//
//	dlnE/dN = −(3/2) Σ_i (ρ_i + p_i)/E²
//	        = −[4ρ_r + 3ρ_cb + 2ρ_k + 3(ρ_ν + p_ν) + 3(1 + w)ρ_DE]/(2E²),
//
// the massive neutrinos' density and pressure from package neutrino, w(a)
// the dark energy's. It does not allocate.
func (e *Expansion) GrowthRates(n float64) (e2, dlnE, omegaCB float64) {
	a := math.Exp(n)
	ai := 1 / a
	ai2 := ai * ai
	r := e.Orl * ai2 * ai2
	m := e.Ocb * ai2 * ai
	k := e.Ok * ai2
	e2 = r + m + k
	d := 4*r + 3*m + 2*k // −dE²/dN
	if e.massive {
		rho, p := e.nu.MassiveDensityPressure(a)
		s := e.Ogamma * ai2 * ai2
		rho, p = s*rho, s*p
		e2 += rho
		d += 3 * (rho + p)
	}
	if e.constant {
		e2 += e.Ode
	} else {
		de := e.Ode * math.Exp(e.lnF(-n, -math.Expm1(n)))
		e2 += de
		d += 3 * (1 + e.de.W(a, e.v)) * de
	}
	return e2, -0.5 * d / e2, m / e2
}

// GrowthBackground is an Expansion as the Background of package growth
// (growth.Evaluator.Eval): a pointer to one is an interface value without
// allocation.
type GrowthBackground struct{ X *Expansion }

// Expansion returns E², dlnE/dN and the clustering matter's share Ω_cb at
// N (Expansion.GrowthRates).
func (g *GrowthBackground) Expansion(n float64) (e2, dlnE, omegaM float64) {
	return g.X.GrowthRates(n)
}
