package emulator

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"

	"github.com/cosmoemu/cosmoemu/cosmo"
)

// Model is the emulator of one cosmological model's late universe, as a
// backend (Backend). For a model with a closed form there is nothing to
// train: its expansion at the nodes of a Chebyshev grid is the closed form
// (massive neutrinos included: their density costs a few nanoseconds), and
// the distance from z = 3 to z* the closed form's integral; such a Model
// has no file and no domain. For a model without one (the scalar field),
// networks give the late-time expansion (Late). The early universe (z*,
// r_s, z_drag, r_d) is the early-universe emulator's (Early), or any
// cosmo.EarlySource the Backend is given. A Model is immutable and safe for
// concurrent use; the Evaluators made from it (by Backend) are not.
type Model struct {
	model     *cosmo.Model
	domain    Domain
	radiation [2]float64 // Ω_r at the ends of the domain (the u coordinate)
	late      *Late      // the field's late-time networks; nil for closed-form models
	training  json.RawMessage
	valid     json.RawMessage
}

// Late holds the networks of the late-time expansion of a model without a
// closed form, at the nodes of a piecewise Chebyshev grid in x = ln(1+z) on
// [0, ln(1+ZMax)] (Panels panels of PerPanel points of the first kind).
type Late struct {
	ZMax             float64
	Panels, PerPanel int
	// Net has inputs (ln Om, the dark energy's parameters, Σmν), degree 2
	// in u, and outputs ln(1/E) at the nodes followed by ln(J/J_Λ), with
	// J = H0∫_{z=ZSplit}^{ZField} dz/H and J_Λ that of the model's early
	// expansion (cosmo.Model.EarlyExpansion: the same radiation, neutrinos
	// and matter, and a cosmological constant).
	Net *Net
	// Extra has the same inputs and degree and outputs w(z) at the nodes
	// followed by ln(T/T_Λ), with T = H0·∫_{z=ZSplit}^∞ dz/((1+z)H) the
	// age beyond ZSplit in units of 1/H0 and T_Λ that of the early
	// expansion; nil if the emulator predicts neither w nor the age.
	Extra *Net
}

// ModelSpec is everything a trained emulator of a model is made of.
type ModelSpec struct {
	Model  string
	Domain Domain
	Late   *Late // models without a closed form
	// Training and Validation are stored in the file as they are (JSON).
	Training, Validation json.RawMessage
}

const (
	// ZSplit is the redshift at which the early-universe integrals take
	// over from the late-time ones: D_C(z*) = D_C(ZSplit) + J.
	ZSplit = 3.0
	// ZField is the redshift above which the scalar field's expansion is
	// its early expansion's (a cosmological constant of today's density
	// with the same radiation, neutrinos and matter: the field, frozen,
	// holds less than 1e-6 of the density there).
	ZField = 300.0
)

// NewModel returns the emulator of a Spec, checking that its parts fit the
// model and each other.
func NewModel(s ModelSpec) (*Model, error) {
	m, err := cosmo.Lookup(s.Model)
	if err != nil {
		return nil, fmt.Errorf("emulator: %w", err)
	}
	if m.ClosedForm() {
		if s.Late != nil {
			return nil, fmt.Errorf("emulator: %s has a closed form and takes no late-time network", m.Name())
		}
		return closedModel(m), nil
	}
	e := &Model{model: m, domain: s.Domain, late: s.Late, training: s.Training, valid: s.Validation}
	e.domain.Model = m.Name()
	if err := e.domain.check(m); err != nil {
		return nil, fmt.Errorf("emulator: %s: %w", m.Name(), err)
	}
	e.radiation = radiationRange(&e.domain)
	l := e.late
	if l == nil || l.Net == nil {
		return nil, fmt.Errorf("emulator: %s: no late-time network", m.Name())
	}
	if !(l.ZMax >= ZSplit) || math.IsInf(l.ZMax, 0) || l.Panels < 1 || l.PerPanel < 4 || l.Panels*l.PerPanel > 1024 {
		return nil, fmt.Errorf("emulator: %s: late-time grid z ≤ %v with %d panels of %d points", m.Name(), l.ZMax, l.Panels, l.PerPanel)
	}
	k := l.Panels * l.PerPanel
	for _, nw := range []struct {
		name string
		n    *Net
	}{{"late", l.Net}, {"extra", l.Extra}} {
		if nw.n == nil {
			continue
		}
		if err := nw.n.check(nw.name); err != nil {
			return nil, fmt.Errorf("emulator: %s: %w", m.Name(), err)
		}
		if want := lateInputs(m); !slices.Equal(nw.n.Inputs, want) || len(nw.n.Outputs) != k+1 || nw.n.UDegree != 2 {
			return nil, fmt.Errorf("emulator: %s: network %s has inputs %v and %d outputs of degree %d, want %v, %d and 2", m.Name(), nw.name, nw.n.Inputs, len(nw.n.Outputs), nw.n.UDegree, want, k+1)
		}
	}
	return e, nil
}

// closedModel returns the emulator of a closed-form model: the closed form,
// with no domain.
func closedModel(m *cosmo.Model) *Model {
	return &Model{model: m, domain: Domain{Model: m.Name()}}
}

// radiationRange returns the range of the radiation today, photons and
// massless neutrinos (cosmo.Params.OmegaRToday), over the domain's boxes
// of H0, N_eff and Σmν (Σmν = 0 makes every neutrino radiation),
// [lowest, highest].
func radiationRange(d *Domain) [2]float64 {
	h0lo, h0hi, _ := d.Range(cosmo.NameH0)
	nlo, nhi, _ := d.Range(cosmo.NameNnu)
	mlo, mhi, _ := d.Range(cosmo.NameMnu)
	lo := cosmo.Params{H0: h0hi, Nnu: nlo, Mnu: math.Max(mhi, 1e-3)}
	hi := cosmo.Params{H0: h0lo, Nnu: nhi, Mnu: mlo}
	return [2]float64{lo.OmegaRToday(), hi.OmegaRToday()}
}

// lateInputs returns the inputs of the late-time networks of a model
// without a closed form: ln Ωm, the dark energy's parameters and Σmν (a
// massive eigenstate of a few meV is not yet matter at z ≤ 3, and one of
// an eV a quarter of the matter of a universe with Ωm = 0.05: measured,
// a network without Σmν misses H by 3e-5 and D_M(z*) by 9e-5 there).
func lateInputs(m *cosmo.Model) []string {
	return append(append([]string{"ln Om"}, m.DEParams()...), cosmo.NameMnu)
}

// Model returns the model the emulator was trained for.
func (e *Model) Model() *cosmo.Model { return e.model }

// Domain returns the domain (a copy).
func (e *Model) Domain() Domain { return e.domain.clone() }

// ZMax returns the largest redshift of E and the distances the emulator
// answers itself: +Inf for the closed-form models (whose late-time
// expansion is the closed form), the grid's end for the scalar field.
func (e *Model) ZMax() float64 {
	if e.late == nil {
		return math.Inf(1)
	}
	return e.late.ZMax
}

// PredictsExtra reports whether the emulator answers Request.W and
// Request.Age.
func (e *Model) PredictsExtra() bool { return e.late == nil || e.late.Extra != nil }

// Training returns the training record stored in the file (JSON).
func (e *Model) Training() json.RawMessage { return append(json.RawMessage(nil), e.training...) }

// Validation returns the validation record stored in the file (JSON).
func (e *Model) Validation() json.RawMessage { return append(json.RawMessage(nil), e.valid...) }

// Spec returns the parts of the emulator (sharing the networks, which
// must not be modified).
func (e *Model) Spec() ModelSpec {
	return ModelSpec{Model: e.model.Name(), Domain: e.Domain(), Late: e.late,
		Training: e.Training(), Validation: e.Validation()}
}

// U returns the radiation coordinate u ∈ [−1, 1] of the radiation today
// Ω_r (photons and massless neutrinos, cosmo.Params.OmegaRToday: the
// massive neutrinos are matter at z ≤ 3) over the domain's boxes of H0,
// N_eff and Σmν: u = (2Ω_r − Ω_r,lo − Ω_r,hi)/(Ω_r,hi − Ω_r,lo).
func (e *Model) U(or float64) float64 {
	lo, hi := e.radiation[0], e.radiation[1]
	return (2*or - lo - hi) / (hi - lo)
}
