package cosmo

import (
	"math"

	"gonum.org/v1/gonum/integrate/quad"

	"github.com/cosmoemu/cosmoemu/internal/fastmath"
)

// DragHorizon returns the sound horizon at the baryon drag epoch r_d in
// Mpc from the fitting formula of Aubourg et al. 2015 (arXiv:1411.1074)
// Eq. 16,
//
//	r_d = 55.154 e^{−72.3(ω_ν + 0.0006)²} / (ω_cb^0.25351 ω_b^0.12807) Mpc,
//
// ω_cb = Ω_cb h² (baryons and cold dark matter), ω_b = Ω_b h², ω_ν = Ω_ν h²
// of the massive neutrinos (0 for massless ones).
func DragHorizon(omegaCB, omegaB, omegaNu float64) float64 {
	nu := omegaNu + 0.0006
	return 55.154 * math.Exp(-72.3*nu*nu) / (math.Pow(omegaCB, 0.25351) * math.Pow(omegaB, 0.12807))
}

// Decoupling returns the redshift of photon decoupling z* of Hu & Sugiyama
// 1996 (ApJ 471, 542, Eq. E1), with ω_m = Ωm h² and ω_b = Ω_b h²:
//
//	z* = 1048[1 + 0.00124 ω_b^−0.738][1 + g1 ω_m^g2],
//	g1 = 0.0783 ω_b^−0.238/(1 + 39.5 ω_b^0.763),  g2 = 0.560/(1 + 21.1 ω_b^1.81).
func Decoupling(omegaM, omegaB float64) float64 {
	// The powers of ω_b as exponentials of one logarithm: within 2 ulp of
	// math.Pow and three times faster (BenchmarkDecoupling, 53 against
	// 152 ns), which matters to the emulator backend.
	lb := math.Log(omegaB)
	g1 := 0.0783 * math.Exp(-0.238*lb) / (1 + 39.5*math.Exp(0.763*lb))
	g2 := 0.560 / (1 + 21.1*math.Exp(1.81*lb))
	return 1048 * (1 + 0.00124*math.Exp(-0.738*lb)) * (1 + g1*math.Exp(g2*math.Log(omegaM)))
}

// BaryonPhotonRatio returns R_b(a)/a = 3ω_b/(4ω_γ): the baryon-to-photon
// momentum-density ratio is R_b = (3ω_b/4ω_γ)·a.
func BaryonPhotonRatio(omegaB float64) float64 { return 3 * omegaB / (4 * OmegaGammaH2) }

// SoundHorizonTail returns the part of the comoving sound horizon from
// a = 0 to a = ae, in units of c/H0, for a universe of radiation and matter
// only (dark energy and curvature are negligible that early):
//
//	∫_0^{ae} da / [a² E(a) √(3(1+R a))],   a⁴E² = Ω_r + Ωm a,  R = 3ω_b/(4ω_γ).
//
// The integral is elementary:
// (2/√(3 R Ωm)) [asinh-like log] between 0 and ae; it is exact for that
// universe, so that integrations of r_s need not start at a = 0.
func SoundHorizonTail(ae, or, om, r float64) float64 {
	// ∫ da/√((1+Ra)(Or+Om a)) = (2/√(R Om)) ln(√(R(Or+Om a)) + √(Om(1+Ra))) + const.
	f := func(a float64) float64 {
		return math.Log(math.Sqrt(r*(or+om*a)) + math.Sqrt(om*(1+r*a)))
	}
	return 2 / math.Sqrt(3*r*om) * (f(ae) - f(0))
}

// ComovingTail returns ∫_0^{ae} da/(a²E(a)) in units of c/H0 for a universe
// of radiation and matter only: (2/Ωm)(√(Ω_r + Ωm ae) − √Ω_r).
func ComovingTail(ae, or, om float64) float64 {
	if om*ae < 1e-3*or {
		// 2/Om (√(Or + Om a) − √Or) without the cancellation for a small
		// Om (or Om = 0, where 2/Om is infinite).
		return 2 * ae / (math.Sqrt(or+om*ae) + math.Sqrt(or))
	}
	return 2 / om * (math.Sqrt(or+om*ae) - math.Sqrt(or))
}

// AgeTail returns ∫_0^{ae} da/(a E(a)) in units of 1/H0 for a universe of
// radiation and matter only.
func AgeTail(ae, or, om float64) float64 {
	if u := om * ae / or; u < 1e-3 {
		// Matter negligible (Om → 0, where the closed form below is
		// 0·∞): the series of a/√(Or(1 + u)) in u = Om a/Or, to u⁴
		// (relative error below 1e-15).
		return ae * ae / math.Sqrt(or) * (0.5 + u*(-1.0/6+u*(3.0/32+u*(-1.0/16+u*35.0/768))))
	}
	// ∫ a da/√(Or + Om a) = (2/(3Om²)) (Om a − 2Or) √(Or + Om a) + const.
	g := func(a float64) float64 { return (om*a - 2*or) * math.Sqrt(or+om*a) }
	return 2 / (3 * om * om) * (g(ae) - g(0))
}

// Nodes are Gauss–Legendre nodes T and weights W on [0, 1], with ln T, for
// the early-universe integrals of the closed form, and the scratch those
// use: a Nodes, and every copy of it, is not safe for concurrent use.
// Goroutines sharing one set of nodes each take a copy with its own
// scratch (WithScratch).
type Nodes struct {
	T, W, LnT []float64
	a, lna    []float64 // the scale factors of an integral's nodes, and their logarithms
	x, c, v   []float64 // −ln a, 1 − a, and the integrand's factor 1/√(a⁴E²) − 1/√(Ω_r + Ωm a)
}

// nodeScratch is the number of scratch slices of length n that Nodes use.
const nodeScratch = 5

// NewNodes returns n Gauss–Legendre nodes on [0, 1] (from gonum's
// quad.Legendre).
func NewNodes(n int) Nodes {
	nd := Nodes{T: make([]float64, n), W: make([]float64, n), LnT: make([]float64, n)}
	quad.Legendre{}.FixedLocations(nd.T, nd.W, 0, 1)
	for k, t := range nd.T {
		nd.LnT[k] = math.Log(t)
	}
	return nd.WithScratch(make([]float64, nd.ScratchLen()))
}

// ScratchLen is the length of the scratch that WithScratch needs.
func (nd Nodes) ScratchLen() int { return nodeScratch * len(nd.T) }

// WithScratch returns the same nodes with buf (at least ScratchLen long)
// as their scratch, so that a goroutine can use shared nodes without
// allocating. It panics if buf is too short.
func (nd Nodes) WithScratch(buf []float64) Nodes {
	n := len(nd.T)
	if len(buf) < nodeScratch*n {
		panic("cosmo: Nodes scratch too short")
	}
	nd.a, nd.lna, nd.x, nd.c, nd.v = buf[:n:n], buf[n:2*n:2*n], buf[2*n:3*n:3*n], buf[3*n:4*n:4*n], buf[4*n:5*n:5*n]
	return nd
}

// The early-universe integrals of the closed form are those of a universe
// of radiation and matter, which are elementary (SoundHorizonTail,
// ComovingTail, AgeTail), plus the integral of the difference that dark
// energy, curvature and the massive neutrinos' becoming matter make, by
// Gauss–Legendre in σ = √a (da = 2σ dσ): the difference vanishes where
// radiation dominates, and in σ it is smooth at a = 0 even for dark energy
// scaling almost like matter (a^{1−3w}, w → 0), which Gauss–Legendre in a
// resolves only to 1e-7.

// extraInv fills nd.v with 1/√(a⁴E²) − 1/√(Ω_r + Ωm a) at the scale
// factors nd.a (logarithms nd.lna), written without the cancellation: with
// A = a⁴E² and B = Ω_r + Ωm a, −(A − B)/(√A√B(√A + √B)). The dark
// energy's exponentials go in one vector pass (E2Values'), which
// benchmarks at a third of the cost of one call per node.
func (e *Expansion) extraInv(nd *Nodes) {
	v := nd.v
	if e.constant {
		for k, a := range nd.a {
			a2 := a * a
			v[k] = e.Ode * a2 * a2
		}
	} else {
		for k, a := range nd.a {
			nd.x[k], nd.c[k] = -nd.lna[k], 1-a
		}
		e.lnFValues(v, nd.x, nd.c)
		for k, l := range nd.lna {
			v[k] += 4 * l
		}
		fastmath.ScaleExp(v, e.Ode)
	}
	for k, a := range nd.a {
		big := v[k] + e.Orl + e.nuA4(a) + a*(e.Ocb+a*e.Ok)
		b := e.Or + e.Ocb*a
		sa, sb := math.Sqrt(big), math.Sqrt(b)
		v[k] = -(big - b) / (sa * sb * (sa + sb))
	}
}

// below sets the nodes to t = √a·T on [0, √a] and returns √a.
func (nd *Nodes) below(a float64) float64 {
	s := math.Sqrt(a)
	lnS := math.Log(s)
	for k, tau := range nd.T {
		t := s * tau
		nd.a[k], nd.lna[k] = t*t, 2*(lnS+nd.LnT[k])
	}
	return s
}

// SoundHorizon returns the comoving sound horizon at a, ∫_0^a da' /
// √(3(1 + R a')a'⁴E²), in units of c/H0, with R = BaryonPhotonRatio(ω_b).
func (e *Expansion) SoundHorizon(a, r float64, nd Nodes) float64 {
	s := nd.below(a)
	e.extraInv(&nd)
	sum := 0.0
	for k, tau := range nd.T {
		t := s * tau
		sum += nd.W[k] * 2 * t / math.Sqrt(3*(1+r*nd.a[k])) * nd.v[k]
	}
	return SoundHorizonTail(a, e.Or, e.Ocb, r) + sum*s
}

// ComovingBetween returns ∫_{a1}^{a2} da/(a²E) in units of c/H0: the
// comoving distance between the redshifts 1/a2 − 1 and 1/a1 − 1.
func (e *Expansion) ComovingBetween(a1, a2 float64, nd Nodes) float64 {
	s1, s2 := math.Sqrt(a1), math.Sqrt(a2)
	span := s2 - s1
	for k, tau := range nd.T {
		t := s1 + span*tau
		nd.a[k], nd.lna[k] = t*t, 2*math.Log(t)
	}
	e.extraInv(&nd)
	sum := 0.0
	for k, tau := range nd.T {
		sum += nd.W[k] * 2 * (s1 + span*tau) * nd.v[k]
	}
	return ComovingTail(a2, e.Or, e.Ocb) - ComovingTail(a1, e.Or, e.Ocb) + sum*span
}

// AgeAt returns the cosmic time at a, ∫_0^a da'/(a'E), in units of 1/H0.
func (e *Expansion) AgeAt(a float64, nd Nodes) float64 {
	s := nd.below(a)
	e.extraInv(&nd)
	sum := 0.0
	for k, tau := range nd.T {
		t := s * tau
		sum += nd.W[k] * 2 * t * nd.a[k] * nd.v[k]
	}
	return AgeTail(a, e.Or, e.Ocb) + sum*s
}
