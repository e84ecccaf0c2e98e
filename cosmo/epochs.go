package cosmo

import (
	"errors"
	"fmt"
	"math"

	"github.com/cosmoemu/cosmoemu/recomb"
)

// EarlyRoute says how the early-universe scalars (Epochs) are computed.
type EarlyRoute int

const (
	// EarlyExact computes them as CAMB does: the recombination history of
	// hydrogen and helium (RECFAST, package recomb) in the point's own
	// expansion, with Y_He from BBN; z* where the Thomson optical depth is
	// 1, z_drag where the baryon drag depth is 1, and the sound horizons
	// r_s(z*) and r_d = r_s(z_drag) by integration.
	EarlyExact EarlyRoute = iota
	// EarlyFitting uses the fitting formulas of earlier work: z* of Hu &
	// Sugiyama 1996 (Decoupling) with ω_m = Ωm h², r_d of Aubourg et al.
	// 2015 Eq. 16 (DragHorizon), and r_s(z*) by integration in the point's
	// expansion; z_drag is not defined (0). With Σmν = 0 and N_eff = 3.046
	// it is cosmoemu's early universe before massive neutrinos.
	EarlyFitting
)

// String returns "exact" or "fitting".
func (r EarlyRoute) String() string {
	if r == EarlyFitting {
		return "fitting"
	}
	return "exact"
}

// ParseEarlyRoute returns the route called s: "exact" or "fitting".
func ParseEarlyRoute(s string) (EarlyRoute, error) {
	switch s {
	case "exact":
		return EarlyExact, nil
	case "fitting":
		return EarlyFitting, nil
	}
	return 0, fmt.Errorf("unknown early-universe route %q (want exact or fitting)", s)
}

// An EarlySource makes the calculators of the early universe that a
// backend's evaluators use, one per evaluator: the routes of this package
// (EarlyRoute), or an emulator (package emulator).
type EarlySource interface {
	// Name returns "exact", "fitting", "emulator", …
	Name() string
	// NewEarly returns a calculator; it need not be safe for concurrent
	// use.
	NewEarly() EarlyCalculator
}

// An EarlyCalculator computes the Epochs of points.
type EarlyCalculator interface {
	// Compute fills dst for model m at p, which must have ω_b. A point
	// the early universe cannot describe is a *PointError.
	Compute(dst *Epochs, m *Model, p *Params) error
}

// Name returns the route's name.
func (r EarlyRoute) Name() string { return r.String() }

// NewEarly returns an EarlyUniverse of the route.
func (r EarlyRoute) NewEarly() EarlyCalculator { return NewEarlyUniverse(r) }

// NewEarly returns the calculator of source, the exact route if it is nil.
func NewEarly(source EarlySource) EarlyCalculator {
	if source == nil {
		return NewEarlyUniverse(EarlyExact)
	}
	return source.NewEarly()
}

// EarlyPoint is what the early universe of a point depends on: the
// physical densities and neutrinos, and the dark energy at z = EarlyDEZ.
type EarlyPoint struct {
	Ombh2, Omch2, Nnu, Mnu float64
	Omkh2                  float64 // Ωk h², the curvature (0 if flat)
	// DENegligible says whether dark energy holds less than EarlyDETol
	// of the density at z ≥ 800 (a field counts as frozen there): then
	// the epochs, which depend on H at z ≳ 1000, depend on the five
	// numbers above alone.
	DENegligible bool
	// DEShare is ρ_DE/ρ_cb at z = EarlyDEZ, and DEW the dark energy's
	// equation of state there, for a closed-form dark energy that is not
	// a cosmological constant (both 0 otherwise). Where dark energy is
	// not negligible early, the epochs of a flat universe depend on them
	// besides the four densities: a fluid's density before z ≈ 800 is
	// close to a power law of 1+z there (within 1% for CPL's w0 + wa z/(1+z)).
	DEShare, DEW float64
}

// EarlyDETol bounds the share of dark energy at z ≥ 800 for
// EarlyPoint.DENegligible: it moves H there, and z*, z_drag and the sound
// horizons, by less than half of it.
const EarlyDETol = 1e-6

// EarlyDEZ is the redshift at which EarlyPoint measures the dark energy.
const EarlyDEZ = 800.0

// EarlyPoint returns the early-universe parameters of p, which must have
// ω_b.
func (m *Model) EarlyPoint(p *Params) EarlyPoint {
	h2 := p.H() * p.H()
	e := EarlyPoint{Ombh2: p.Ombh2, Nnu: p.Nnu, Mnu: p.Mnu, DENegligible: true}
	e.Omch2 = (p.Om-p.OmegaNu())*h2 - p.Ombh2
	if m.curved {
		e.Omkh2 = p.Ok * h2
	}
	if m.closed != nil && !m.closed.Constant(p.DE) {
		// The share of dark energy at z = 800 against the matter, which
		// dominates there: the dark energy of a fluid subdominant early
		// falls faster than the matter before (w < 0 early).
		ex := m.Expansion(p)
		const z = EarlyDEZ
		x := math.Log1p(z)
		e.DEShare = ex.Ode * math.Exp(ex.lnF(x, z/(1+z))) / (ex.Ocb * (1 + z) * (1 + z) * (1 + z))
		e.DEW = ex.W(z)
		e.DENegligible = math.Abs(e.DEShare) <= EarlyDETol
	}
	return e
}

// Epochs are the early-universe scalars of a point. Distances are
// comoving, in Mpc.
type Epochs struct {
	ZStar  float64 // photon decoupling: Thomson optical depth 1 (exact), or Hu & Sugiyama
	RsStar float64 // r_s(z*), the comoving sound horizon at z*
	ZDrag  float64 // baryon drag depth 1 (exact); 0 for the fitting route
	Rd     float64 // r_d = r_s(z_drag) (exact), or Aubourg et al.'s fit
	YHe    float64 // helium mass fraction from BBN (PRIMAT, as CAMB)
}

// An EarlyUniverse computes the Epochs of points by its Route. The
// expansion it uses is the point's closed form (neutrinos, curvature and
// dark energy included) for models with one; for a scalar field, frozen
// before z ≈ 300 so that its density is below 1e-6 of the total there,
// a cosmological constant with the same density today. It is not safe for
// concurrent use (it keeps the recombination history's workspace): make
// one per goroutine. Computing allocates nothing.
type EarlyUniverse struct {
	Route EarlyRoute

	hist  recomb.History
	cosmo recomb.Cosmology
	ex    Expansion
	h0    float64
	nodes Nodes // of r_s(z*) by quadrature (fitting route)
}

// soundNodes is the number of Gauss–Legendre nodes in √a of r_s(z*) by
// the fitting route: the closed form's count (package backend).
const soundNodes = 24

// NewEarlyUniverse returns an EarlyUniverse computing by route.
func NewEarlyUniverse(route EarlyRoute) *EarlyUniverse {
	u := &EarlyUniverse{Route: route, nodes: NewNodes(soundNodes)}
	u.cosmo.Hubble = u.hubble
	u.cosmo.TCMB = TCMB
	return u
}

// hubble returns H(z) of the current point in km/s/Mpc.
func (u *EarlyUniverse) hubble(z float64) float64 {
	return u.h0 * math.Sqrt(u.ex.E2(1+z, math.Log1p(z)))
}

// EarlyExpansion returns the expansion the early universe of m at p is
// computed in: the closed form, or for a model without one, ΛCDM with the
// same matter, neutrinos and dark-energy density today (see
// EarlyUniverse).
func (m *Model) EarlyExpansion(p *Params) Expansion {
	if m.closed != nil {
		return m.Expansion(p)
	}
	e := Expansion{Om: p.Om, de: Lambda{}, constant: true}
	e.setRadiation(p)
	e.Ode = 1 - e.Om - e.Orl
	return e
}

// Compute fills dst for model m at p; p must have ω_b. Points the
// early universe cannot describe (ω_b or N_eff outside BBN's table,
// recombination that does not complete, no z*) are *PointError values
// naming the parameter or the reason.
func (u *EarlyUniverse) Compute(dst *Epochs, m *Model, p *Params) error {
	if !p.HasOmbh2 {
		return fmt.Errorf("model %s: the early universe needs ombh2", m.name)
	}
	u.ex = m.EarlyExpansion(p)
	u.h0 = p.H0
	// Curvature or a negative dark-energy density can make E² vanish on
	// the way back (a bounce): say so (free for the others).
	if err := u.ex.CheckPositive(m.name, 1e7); err != nil {
		return err
	}
	h := p.H()
	if u.Route == EarlyFitting {
		onu := u.ex.Om - u.ex.Ocb
		dst.ZStar = Decoupling(p.Om*h*h, p.Ombh2)
		dst.RsStar = HubbleDistance(p.H0) * u.ex.SoundHorizon(1/(1+dst.ZStar), BaryonPhotonRatio(p.Ombh2), u.nodes)
		dst.ZDrag = 0
		dst.Rd = DragHorizon((p.Om-onu)*h*h, p.Ombh2, onu*h*h)
		dst.YHe = math.NaN()
		if y, err := recomb.HeliumBBN(p.Ombh2, p.Nnu); err == nil {
			dst.YHe = y
		}
		return nil
	}
	u.cosmo.OmegaBH2, u.cosmo.NEff, u.cosmo.YHe = p.Ombh2, p.Nnu, 0
	if err := recomb.Solve(&u.hist, &u.cosmo, nil); err != nil {
		return earlyError(m, err)
	}
	e := u.hist.Epochs()
	*dst = Epochs{ZStar: e.ZStar, RsStar: e.RStar, ZDrag: e.ZDrag, Rd: e.RDrag, YHe: u.hist.YHe()}
	return nil
}

// earlyError turns a failure of the recombination into a *PointError.
func earlyError(m *Model, err error) error {
	var pe *recomb.ParamError
	if errors.As(err, &pe) {
		name := pe.Param
		switch pe.Param {
		case "OmegaBH2":
			name = NameOmbh2
		case "NEff":
			name = NameNnu
		}
		return &PointError{Model: m.name, Param: name, Value: pe.Value, Reason: "outside the early universe's range " + pe.Allowed}
	}
	return &PointError{Model: m.name, Reason: "early universe: " + err.Error()}
}
