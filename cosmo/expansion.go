package cosmo

import (
	"fmt"
	"math"
	"slices"

	"github.com/cosmoemu/cosmoemu/internal/fastmath"
	"github.com/cosmoemu/cosmoemu/neutrino"
)

// Expansion returns the closed form of E(z) at p. It panics for a model
// without one (check ClosedForm), and does not check p (invalid neutrino
// parameters give massless ones).
func (m *Model) Expansion(p *Params) Expansion {
	if m.closed == nil {
		panic("cosmo: " + m.name + " has no closed form")
	}
	e := Expansion{Om: p.Om, de: m.closed, vector: m.vector, v: p.DE}
	e.setRadiation(p)
	if m.curved {
		e.Ok = p.Ok
	}
	e.Ode = 1 - e.Om - e.Orl - e.Ok
	e.constant = m.closed.Constant(p.DE)
	return e
}

// setRadiation sets the radiation and neutrino densities of p.
func (e *Expansion) setRadiation(p *Params) {
	h := p.H()
	e.Ogamma = OmegaGammaH2 / (h * h)
	nu, err := p.Neutrinos()
	if err != nil {
		nu, _ = neutrino.New(0, math.Max(p.Nnu, 0), TCMB)
	}
	e.Orl = e.Ogamma * (1 + nu.MasslessDensity())
	e.Or = p.OmegaR()
	e.Ocb = p.Om
	if nu.MassSum() > 0 {
		e.nu, e.massive = nu, true
		e.Ocb -= e.Ogamma * nu.MassiveDensity(1)
	}
}

// Expansion is the closed form of E² for a point of a model whose dark
// energy is a ClosedFluid:
//
//	E²(a) = Ω_γ a⁻⁴ [1 + ρ_ν(a)/ρ_γ(a)] + Ω_cb a⁻³ + Ωk a⁻² + Ω_DE f(a),
//
// ρ_ν the neutrinos (massless ones and the massive eigenstate, package
// neutrino), Ω_cb = Ωm − Ω_ν today, Ω_DE = 1 − Ωm − Ω_γ(1 + massless) −
// Ωk, and f = ρ_DE(z)/ρ_DE0 from the dark energy (1 for Λ,
// (1+z)^{3(1+w)}, (1+z)^{3(1+w0+wa)} e^{−3wa z/(1+z)} for CPL, …).
type Expansion struct {
	Ogamma float64 // Ω_γ, photons today
	Orl    float64 // Ω of what scales exactly as a⁻⁴: photons and massless neutrinos
	Or     float64 // Ω_γ(1 + 0.2271 N_eff): radiation while every neutrino is relativistic
	Om     float64 // Ωm, all matter today, massive neutrinos included
	Ocb    float64 // Ω_cb = Ωm − Ω_ν: the a⁻³ term
	Ok     float64
	Ode    float64

	nu      neutrino.Species
	massive bool // Σmν > 0

	de       ClosedFluid
	vector   DensityVector // nil: one LnDensity call per redshift
	v        Values
	constant bool // f = 1
}

// NuDensity returns a⁴ρ_ν(a)/ρ_crit,0 = Ω_γ ρ_ν(a)/ρ_γ(a) of the massive
// neutrinos: their term of a⁴E² (0 when Σmν = 0).
func (e *Expansion) NuDensity(a float64) float64 { return e.nuA4(a) }

// nuA4 returns Ω_γ ρ_ν,massive(a)/ρ_γ(a): the massive neutrinos' term of
// a⁴E².
func (e *Expansion) nuA4(a float64) float64 {
	if !e.massive {
		return 0
	}
	return e.Ogamma * e.nu.MassiveDensity(a)
}

// lnF returns ln f at x = ln(1+z), c = z/(1+z).
func (e *Expansion) lnF(x, c float64) float64 {
	if e.constant {
		return 0
	}
	return e.de.LnDensity(x, c, e.v)
}

// E2 returns E²(z) given opz = 1 + z and x = ln(1+z).
func (e *Expansion) E2(opz, x float64) float64 {
	o2 := opz * opz
	s := (((e.Orl+e.nuA4(1/opz))*opz+e.Ocb)*opz + e.Ok) * o2
	if e.constant {
		return s + e.Ode
	}
	return s + e.Ode*math.Exp(e.lnF(x, 1-1/opz))
}

// A4E2 returns a⁴E²(a) = Ω_r + Ωm a + Ωk a² + Ω_DE a⁴ f(a), finite as
// a → 0, given a and ln a: the integrand of the sound horizon and of early
// distances in the scale factor is 1/√(a⁴E²).
func (e *Expansion) A4E2(a, lna float64) float64 {
	s := e.Orl + e.nuA4(a) + a*(e.Ocb+a*e.Ok)
	if e.constant {
		return s + e.Ode*a*a*a*a
	}
	return s + e.Ode*math.Exp(4*lna+e.lnF(-lna, 1-a))
}

// lnFValues writes ln f(x_i, c_i) to dst, through the dark energy's vector
// form when it has one.
func (e *Expansion) lnFValues(dst, x, c []float64) {
	if e.vector != nil {
		e.vector.LnDensities(dst, x, c, e.v)
		return
	}
	x, c = x[:len(dst)], c[:len(dst)]
	for j := range dst {
		dst[j] = e.de.LnDensity(x[j], c[j], e.v)
	}
}

// MassiveDensities remembers the massive eigenstate's density relative to
// the photons at the redshifts of one set, for the neutrinos it last saw:
// the density depends on Σmν, N_eff and a alone, and a fit with Σmν and
// N_eff fixed (the defaults) asks for the same ones at every point, each a
// table interpolation of 6–8 ns (package neutrino). Use one per set of
// redshifts. The zero value is ready for use; it is not safe for concurrent
// use. Measured (benchstat, n = 6): fit's BenchmarkFlagshipLogProb with the
// analytic backend 4.03 → 3.48 µs, the emulator's 3.34 → 3.10 µs, and
// the cc31 posterior at the default Σmν = 0.06 eV 574 → 318 ns.
type MassiveDensities struct {
	nu neutrino.Species
	d  []float64 // ρ_ν/ρ_γ at a = 1/s_i, for nu
}

// at returns ρ_ν/ρ_γ of nu at a = 1/s_i, from the cache when nu is the
// one it holds.
func (md *MassiveDensities) at(nu neutrino.Species, s []float64) []float64 {
	if len(md.d) == len(s) && md.nu == nu {
		return md.d
	}
	md.d = slices.Grow(md.d[:0], len(s))[:len(s)]
	for j, v := range s {
		md.d[j] = nu.MassiveDensity(1 / v)
	}
	md.nu = nu
	return md.d
}

// E2Values writes E²(z_i) to dst for redshifts given by s_i = 1 + z_i,
// x_i = ln(1+z_i) and c_i = 1 − 1/s_i = z_i/(1+z_i), all computed once per
// set of redshifts: the exponentials in one vector pass (within 2 ulp of
// E2). md holds the massive neutrinos' densities at these redshifts (the
// same s at every call with it; new(MassiveDensities) for a single call).
func (e *Expansion) E2Values(dst, s, x, c []float64, md *MassiveDensities) {
	s = s[:len(dst)]
	if e.constant {
		for j, v := range s {
			dst[j] = ((e.Orl*v+e.Ocb)*v+e.Ok)*v*v + e.Ode
		}
	} else {
		// The exponentials in one vector pass (fastmath.ScaleExp, the
		// project's exponential kernel, 1 ulp): dst holds ln f, then
		// Ω_DE f.
		e.lnFValues(dst, x[:len(s)], c[:len(s)])
		fastmath.ScaleExp(dst, e.Ode)
		for j, v := range s {
			dst[j] += ((e.Orl*v+e.Ocb)*v + e.Ok) * v * v
		}
	}
	if !e.massive {
		return
	}
	d := md.at(e.nu, s)
	for j, v := range s {
		v2 := v * v
		dst[j] += e.Ogamma * d[j] * v2 * v2
	}
}

// EValues writes E(z_i) = √E² to dst for redshifts given by opz_i = 1 + z_i,
// x_i = ln(1+z_i) and c_i = z_i/(1+z_i), with md as in E2Values. It
// returns the index of the first z_i with E² ≤ 0 (dst[i] is then
// undefined), or −1.
func (e *Expansion) EValues(dst, opz, x, c []float64, md *MassiveDensities) int {
	dst = dst[:len(opz)]
	e.E2Values(dst, opz, x, c, md)
	for i, e2 := range dst {
		if !(e2 > 0) {
			return i
		}
		dst[i] = math.Sqrt(e2)
	}
	return -1
}

// E2Z returns E²(z).
func (e *Expansion) E2Z(z float64) float64 { return e.E2(1+z, math.Log1p(z)) }

// DEFraction returns Ω_DE(z) = Ω_DE f(z)/E²(z).
func (e *Expansion) DEFraction(z float64) float64 {
	opz := 1 + z
	x := math.Log1p(z)
	e2 := e.E2(opz, x)
	return e.Ode * math.Exp(e.lnF(x, z/opz)) / e2
}

// W returns the dark-energy equation of state at redshift z.
func (e *Expansion) W(z float64) float64 { return e.de.W(1/(1+z), e.v) }

// CheckPositive returns a *PointError if E²(z) ≤ 0 for some z in
// [0, zmax], which only curvature or a negative Ω_DE can cause. It
// brackets the minimum of E² on a grid of 512 steps in ln(1+z) and refines
// it by golden-section search.
func (e *Expansion) CheckPositive(model string, zmax float64) error {
	if e.Ok >= 0 && e.Ode >= 0 {
		return nil
	}
	xmax := math.Log1p(zmax)
	const n = 512
	f := func(x float64) float64 { return e.E2(math.Exp(x), x) }
	best, bx := math.Inf(1), 0.0
	for i := 0; i <= n; i++ {
		x := xmax * float64(i) / n
		if v := f(x); v < best {
			best, bx = v, x
		}
	}
	// Golden-section refinement around the grid minimum.
	a, b := math.Max(0, bx-xmax/n), math.Min(xmax, bx+xmax/n)
	const g = 0.6180339887498949
	for range 60 {
		c, d := b-g*(b-a), a+g*(b-a)
		if f(c) < f(d) {
			b = d
		} else {
			a = c
		}
	}
	if v := f((a + b) / 2); v < best {
		best, bx = v, (a+b)/2
	}
	if !(best > 0) {
		return &PointError{Model: model, Reason: fmt.Sprintf("E²(z) = %.3g ≤ 0 at z = %.4g: no expanding universe reaches that redshift (Ωk = %g, Ω_DE = %.6g)", best, math.Expm1(bx), e.Ok, e.Ode)}
	}
	return nil
}
