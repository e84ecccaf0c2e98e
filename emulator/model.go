package emulator

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"

	"github.com/cosmoemu/cosmoemu/cosmo"
)

// Model is a trained emulator of one cosmological model. It is
// immutable and safe for concurrent use; the Evaluators made from it (by
// Backend) are not.
type Model struct {
	model     *cosmo.Model
	domain    Domain
	radiation [2]float64 // Ω_r at the upper and lower ends of the H0 box
	late      *Late      // the scalar field's late-time networks; nil for closed-form models
	cmb       *Net
	region    Region
	training  json.RawMessage
	valid     json.RawMessage
}

// Late holds the networks of the late-time expansion of a model without a
// closed form, at the nodes of a piecewise Chebyshev grid in x = ln(1+z) on
// [0, ln(1+ZMax)] (Panels panels of PerPanel points of the first kind).
type Late struct {
	ZMax             float64
	Panels, PerPanel int
	// Net has inputs (ln Om, lambda), degree 2 in u, and outputs ln(1/E)
	// at the nodes followed by ln(J/J_rm), with J = H0∫_{z=ZSplit}^{ZField}
	// dz/H and J_rm that of radiation and matter (cosmo.ComovingTail).
	Net *Net
	// Extra has the same inputs and degree and outputs w(z) at the nodes
	// followed by ln(T/T_rm), with T = H0·∫_{z=ZSplit}^∞ dz/((1+z)H) the
	// age beyond ZSplit in units of 1/H0 and T_rm that of a universe of
	// radiation and matter only (cosmo.AgeTail); nil if the emulator
	// predicts neither w nor the age.
	Extra *Net
}

// Region is where a closed-form model's early-universe network answers:
// where dark energy and curvature are perturbations at z ≥ 3. Elsewhere
// the emulator integrates the closed form instead (Gauss–Legendre in √a,
// exact to 1e-8; see docs/emulators.md). A zero field sets no limit.
type Region struct {
	MaxRatio3 float64 // largest (|ρ_k| + |ρ_DE|)/ρ_m at z = 3 (Ratio3)
	MaxWInf   float64 // largest w at early times (w, or w0 + wa); 0: none
	MinE2     float64 // smallest min_z E²(z) (olcdm)
}

// ModelSpec is everything a trained emulator is made of, for package emu/train
// (and tests) to build one with New.
type ModelSpec struct {
	Model  string
	Domain Domain
	Late   *Late // models without a closed form
	// CMB has inputs (ln Om, the model's parameters but Om and H0, u,
	// ln(1+z*)) and outputs ln(r_s/r_s,rm) and ln(J/J_rm): the sound
	// horizon at z* and J = D_C(z*) − D_C(3), over those of a universe of
	// radiation and matter with the same Ωm, Ω_r and ω_b (docs/emulators.md).
	// The scalar field has none: frozen before z ≈ ZField, it leaves r_s
	// and D_C from ZField to z* those of radiation and matter (to 4e-8 and
	// 2e-8 over the domain), and Late.Net gives D_C from ZSplit to ZField.
	CMB    *Net
	Region Region
	// Training and Validation are stored in the file as they are (JSON).
	Training, Validation json.RawMessage
}

const (
	// ZSplit is the redshift at which the early-universe integrals take
	// over from the late-time ones: D_C(z*) = D_C(ZSplit) + J.
	ZSplit = 3.0
	// ZField is the redshift above which the scalar field's early universe
	// is that of radiation and matter.
	ZField = 300.0
)

// NewModel returns the emulator of a Spec, checking that its parts fit the
// model and each other.
func NewModel(s ModelSpec) (*Model, error) {
	m, err := cosmo.Lookup(s.Model)
	if err != nil {
		return nil, fmt.Errorf("emu: %v", err)
	}
	e := &Model{model: m, domain: s.Domain, late: s.Late, cmb: s.CMB, region: s.Region,
		training: s.Training, valid: s.Validation}
	e.domain.Model = m.Name()
	if err := e.domain.check(m); err != nil {
		return nil, fmt.Errorf("emu: %s: %v", m.Name(), err)
	}
	if m.Curved() && !(e.domain.MinE2 > 0) {
		return nil, fmt.Errorf("emu: %s: the domain needs a positive minimum of E²", m.Name())
	}
	lo, hi, _ := e.domain.Range(cosmo.NameH0)
	e.radiation = [2]float64{omegaR(hi), omegaR(lo)}
	switch {
	case m.ClosedForm() && e.cmb == nil:
		return nil, fmt.Errorf("emu: %s: no early-universe network", m.Name())
	case !m.ClosedForm() && e.cmb != nil:
		return nil, fmt.Errorf("emu: %s takes no early-universe network", m.Name())
	}
	if e.cmb != nil {
		if err := e.cmb.check("cmb"); err != nil {
			return nil, fmt.Errorf("emu: %s: %v", m.Name(), err)
		}
		if want := cmbInputs(m); !slices.Equal(e.cmb.Inputs, want) || e.cmb.UDegree != 0 || len(e.cmb.Outputs) != 2 {
			return nil, fmt.Errorf("emu: %s: network cmb has inputs %v, degree %d and %d outputs, want %v, 0 and 2", m.Name(), e.cmb.Inputs, e.cmb.UDegree, len(e.cmb.Outputs), want)
		}
	}
	if !m.ClosedForm() {
		l := e.late
		if l == nil || l.Net == nil {
			return nil, fmt.Errorf("emu: %s: no late-time network", m.Name())
		}
		if !(l.ZMax >= ZSplit) || math.IsInf(l.ZMax, 0) || l.Panels < 1 || l.PerPanel < 4 || l.Panels*l.PerPanel > 1024 {
			return nil, fmt.Errorf("emu: %s: late-time grid z ≤ %v with %d panels of %d points", m.Name(), l.ZMax, l.Panels, l.PerPanel)
		}
		k := l.Panels * l.PerPanel
		if err := l.Net.check("late"); err != nil {
			return nil, fmt.Errorf("emu: %s: %v", m.Name(), err)
		}
		if want := lateInputs(m); !slices.Equal(l.Net.Inputs, want) || len(l.Net.Outputs) != k+1 || l.Net.UDegree != 2 {
			return nil, fmt.Errorf("emu: %s: network late has inputs %v and %d outputs of degree %d, want %v, %d and 2", m.Name(), l.Net.Inputs, len(l.Net.Outputs), l.Net.UDegree, want, k+1)
		}
		if l.Extra != nil {
			if err := l.Extra.check("extra"); err != nil {
				return nil, fmt.Errorf("emu: %s: %v", m.Name(), err)
			}
			if want := lateInputs(m); !slices.Equal(l.Extra.Inputs, want) || len(l.Extra.Outputs) != k+1 || l.Extra.UDegree != 2 {
				return nil, fmt.Errorf("emu: %s: network extra has inputs %v and %d outputs of degree %d, want %v, %d and 2", m.Name(), l.Extra.Inputs, len(l.Extra.Outputs), l.Extra.UDegree, want, k+1)
			}
		}
	} else if e.late != nil {
		return nil, fmt.Errorf("emu: %s has a closed form and takes no late-time network", m.Name())
	}
	r := e.region
	if !(r.MaxRatio3 >= 0) || math.IsInf(r.MaxRatio3, 0) || !(r.MaxWInf <= 0) || !(r.MinE2 >= 0 && r.MinE2 < 1) {
		return nil, fmt.Errorf("emu: %s: network region %+v", m.Name(), r)
	}
	return e, nil
}

// lateInputs returns the inputs of the late-time networks of a model
// without a closed form: ln Ωm and the dark energy's parameters.
func lateInputs(m *cosmo.Model) []string {
	return append([]string{"ln Om"}, m.DEParams()...)
}

// cmbInputs returns the inputs of model m's early-universe network: ln Ωm,
// the model's parameters but Ωm and H0 (in the order of m.Params: Ωk,
// then the dark energy's), the radiation coordinate u and ln(1+z*).
func cmbInputs(m *cosmo.Model) []string {
	in := []string{"ln Om"}
	for _, n := range m.Params() {
		if n != cosmo.NameOm && n != cosmo.NameH0 {
			in = append(in, n)
		}
	}
	return append(in, "u", "ln(1+z*)")
}

// Model returns the model the emulator was trained for.
func (e *Model) Model() *cosmo.Model { return e.model }

// Domain returns the domain (a copy).
func (e *Model) Domain() Domain {
	d := e.domain
	d.Params = append([]string(nil), d.Params...)
	d.Min = append([]float64(nil), d.Min...)
	d.Max = append([]float64(nil), d.Max...)
	d.slots = slices.Clone(d.slots)
	if l := e.domain.Limit; l != nil {
		d.Limit = &Limit{Param: l.Param, LnOm: slices.Clone(l.LnOm), Max: slices.Clone(l.Max), Margin: l.Margin}
	}
	return d
}

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

// Region returns where the early-universe network answers (closed-form
// models).
func (e *Model) Region() Region { return e.region }

// Training returns the training record stored in the file (JSON).
func (e *Model) Training() json.RawMessage { return append(json.RawMessage(nil), e.training...) }

// Validation returns the validation record stored in the file (JSON).
func (e *Model) Validation() json.RawMessage { return append(json.RawMessage(nil), e.valid...) }

// Spec returns the parts of the emulator (sharing the networks, which
// must not be modified).
func (e *Model) Spec() ModelSpec {
	return ModelSpec{Model: e.model.Name(), Domain: e.Domain(), Late: e.late, CMB: e.cmb, Region: e.region,
		Training: e.Training(), Validation: e.Validation()}
}

// U returns the radiation coordinate u ∈ [−1, 1] of Ω_r over the H0 box:
// u = (2Ω_r − Ω_r,lo − Ω_r,hi)/(Ω_r,hi − Ω_r,lo).
func (e *Model) U(or float64) float64 {
	lo, hi := e.radiation[0], e.radiation[1]
	return (2*or - lo - hi) / (hi - lo)
}

// omegaR returns Ω_r at H0.
func omegaR(h0 float64) float64 {
	p := cosmo.Params{H0: h0}
	return p.OmegaR()
}

// inRegion reports whether the early-universe network answers the
// closed-form point p (with its expansion ex).
func (e *Model) inRegion(p *cosmo.Params, ex *cosmo.Expansion) bool {
	return e.region.contains(e.model, p, ex)
}

// Contains reports whether the closed-form point p of model m lies in the
// region.
func (r Region) Contains(m *cosmo.Model, p *cosmo.Params) bool {
	ex := m.Expansion(p)
	return r.contains(m, p, &ex)
}

func (r Region) contains(m *cosmo.Model, p *cosmo.Params, ex *cosmo.Expansion) bool {
	if r.MinE2 > 0 && minE2(ex.Or, ex.Om, ex.Ok) < r.MinE2 {
		return false
	}
	if r.MaxWInf < 0 && m.Fluid().W(0, p.DE) > r.MaxWInf {
		return false
	}
	if r.MaxRatio3 > 0 && ratio3(ex) > r.MaxRatio3 {
		return false
	}
	return true
}

// ratio3 returns (|ρ_k| + |ρ_DE|)/ρ_m at z = ZSplit for a closed-form
// expansion: how far curvature and dark energy are from being
// perturbations to matter at the start of the early-universe integrals.
func ratio3(ex *cosmo.Expansion) float64 {
	const s = 1 + ZSplit
	x := lnSplit
	m3 := ex.Om * s * s * s
	k2 := ex.Ok * s * s
	de := ex.E2(s, x) - (ex.Or*s+ex.Om)*s*s*s - k2
	return (math.Abs(k2) + math.Abs(de)) / m3
}

var lnSplit = math.Log1p(ZSplit)
