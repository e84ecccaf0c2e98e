package cosmo

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/cosmoemu/cosmoemu/param"
)

// A Model is a cosmological model: a name, whether it has spatial
// curvature, and its dark energy. Everything else — its parameters and
// their priors, which backends can compute it, the emulator's inputs, the
// command line's -p/-prior/-fix names, the JSON keys — is read from that
// declaration. Make one with NewModel; the built-in models are LCDM, OLCDM,
// WCDM, W0WaCDM and Quintessence. A Model is immutable; compare models by
// pointer or by name.
type Model struct {
	name, doc string
	curved    bool
	de        DarkEnergy

	// The dark energy's capabilities, asked once.
	fluid  Fluid
	closed ClosedFluid
	vector DensityVector
	field  Field

	params []param.Param // canonical order: Om, [Ok,] the dark energy's, H0
	slots  []Slot        // of params

	growthBoxes map[string][2]float64
}

// ModelSpec declares a model.
type ModelSpec struct {
	Name       string // identifier in files, flags and JSON, e.g. "w0wacdm"
	Doc        string // one line: what the model is
	Curved     bool   // Ωk is a parameter (otherwise the model is flat)
	DarkEnergy DarkEnergy
	// GrowthBoxes narrow, by parameter name (Om, mnu, the dark energy's),
	// the domain of the model's growth emulator within its emulator boxes
	// (param.Param.EmuBox): the growth networks' largest errors sit at the
	// domain's edges, and outside a smaller domain the growth ODE answers
	// (counted), trading fallbacks for accuracy. nil: the emulator boxes.
	GrowthBoxes map[string][2]float64
}

// NewModel returns the model declared by s. It refuses an invalid name, a
// dark energy that is neither a Fluid nor a Field, and parameters that are
// invalid, too many or named like another parameter of the model.
func NewModel(s ModelSpec) (*Model, error) {
	if s.Name == "" || strings.ContainsAny(s.Name, " \t\n,=:/") {
		return nil, fmt.Errorf("cosmo: invalid model name %q", s.Name)
	}
	m := &Model{name: s.Name, doc: s.Doc, curved: s.Curved, de: s.DarkEnergy, growthBoxes: maps.Clone(s.GrowthBoxes)}
	if m.de == nil {
		return nil, fmt.Errorf("cosmo: model %s has no dark energy (Lambda{} for a cosmological constant)", s.Name)
	}
	m.fluid, _ = m.de.(Fluid)
	m.closed, _ = m.de.(ClosedFluid)
	m.vector, _ = m.de.(DensityVector)
	m.field, _ = m.de.(Field)
	if (m.fluid == nil) == (m.field == nil) {
		return nil, fmt.Errorf("cosmo: the dark energy of model %s must be either a Fluid or a Field", s.Name)
	}
	if m.field != nil && m.curved {
		return nil, fmt.Errorf("cosmo: model %s: the scalar field's system is flat", s.Name)
	}
	m.params = append(m.params, sharedOm.Param)
	m.slots = append(m.slots, slotOm)
	if m.curved {
		m.params = append(m.params, sharedOk.Param)
		m.slots = append(m.slots, slotOk)
	}
	dep := m.de.Params()
	if len(dep) > MaxDEParams {
		return nil, fmt.Errorf("cosmo: model %s: %d dark-energy parameters, at most %d", s.Name, len(dep), MaxDEParams)
	}
	for i, p := range dep {
		if err := checkDecl(p); err != nil {
			return nil, fmt.Errorf("cosmo: model %s: %w", s.Name, err)
		}
		m.params = append(m.params, p)
		m.slots = append(m.slots, slotDE+Slot(i))
	}
	m.params = append(m.params, sharedH0.Param)
	m.slots = append(m.slots, slotH0)
	seen := map[string]bool{NameOmbh2: true}
	for _, p := range m.params {
		if seen[p.Name] {
			return nil, fmt.Errorf("cosmo: model %s declares parameter %s twice (or a shared one)", s.Name, p.Name)
		}
		seen[p.Name] = true
	}
	for name, b := range m.growthBoxes {
		p, err := m.Param(name)
		if err != nil {
			return nil, fmt.Errorf("cosmo: model %s: growth box of %w", s.Name, err)
		}
		if !(p.EmuBox[0] <= b[0] && b[0] < b[1] && b[1] <= p.EmuBox[1]) {
			return nil, fmt.Errorf("cosmo: model %s: growth box [%g, %g] of %s is not inside its emulator box [%g, %g]", s.Name, b[0], b[1], name, p.EmuBox[0], p.EmuBox[1])
		}
	}
	return m, nil
}

// GrowthBoxes returns the ranges, by parameter name, that narrow the
// domain of the model's growth emulator within the emulator boxes
// (ModelSpec.GrowthBoxes); a parameter not listed keeps its box.
func (m *Model) GrowthBoxes() map[string][2]float64 { return maps.Clone(m.growthBoxes) }

// checkDecl validates a parameter declaration.
func checkDecl(p param.Param) error {
	if p.Name == "" || strings.ContainsAny(p.Name, " \t\n,=:") {
		return fmt.Errorf("invalid parameter name %q", p.Name)
	}
	if !(p.Min < p.Max) || !p.Allowed(p.Min) || !p.Allowed(p.Max) {
		return fmt.Errorf("default box [%g, %g] of %s is not inside %s", p.Min, p.Max, p.Name, p.Range())
	}
	if b := p.EmuBox; b != [2]float64{} && (!(b[0] < b[1]) || !p.Allowed(b[0]) || !p.Allowed(b[1])) {
		return fmt.Errorf("emulator box [%g, %g] of %s is not inside %s", b[0], b[1], p.Name, p.Range())
	}
	return nil
}

// mustModel is NewModel for the built-in declarations.
func mustModel(s ModelSpec) *Model {
	m, err := NewModel(s)
	if err != nil {
		panic(err)
	}
	return m
}

// builtin lists the models of this package, in the order of the package
// documentation.
var builtin = []*Model{LCDM, OLCDM, WCDM, W0WaCDM, Quintessence}

// Models returns the built-in models, in the order of the package
// documentation.
func Models() []*Model { return slices.Clone(builtin) }

// Lookup returns the built-in model called name.
func Lookup(name string) (*Model, error) {
	for _, m := range builtin {
		if m.name == name {
			return m, nil
		}
	}
	names := make([]string, len(builtin))
	for i, m := range builtin {
		names[i] = m.name
	}
	return nil, fmt.Errorf("unknown model %q (known: %s)", name, strings.Join(names, ", "))
}

// Name returns the model's name, e.g. "w0wacdm".
func (m *Model) Name() string { return m.name }

// Doc returns a one-line description.
func (m *Model) Doc() string { return m.doc }

// String returns the name.
func (m *Model) String() string { return m.name }

// DarkEnergy returns the model's dark energy.
func (m *Model) DarkEnergy() DarkEnergy { return m.de }

// Fluid returns the dark energy as a Fluid, or nil if it is a Field.
func (m *Model) Fluid() Fluid { return m.fluid }

// Field returns the dark energy as a Field, or nil if it is a fluid.
func (m *Model) Field() Field { return m.field }

// Curved reports whether the model has a curvature parameter.
func (m *Model) Curved() bool { return m.curved }

// ClosedForm reports whether E(z) has a closed form: the dark energy is a
// ClosedFluid.
func (m *Model) ClosedForm() bool { return m.closed != nil }

// Params returns the names of the parameters the model needs, in canonical
// order: Om, Ok (curved models), the dark energy's, H0. ombh2 is not among
// them: any model takes it when an observable needs it.
func (m *Model) Params() []string {
	s := make([]string, len(m.params))
	for i, p := range m.params {
		s[i] = p.Name
	}
	return s
}

// Declarations returns the declarations of the model's parameters (those
// of Params) followed by those of the optional shared ones: ombh2, omch2,
// mnu, nnu and sigma8.
func (m *Model) Declarations() []param.Param {
	d := slices.Clone(m.params)
	for _, sl := range optional {
		d = append(d, shared[sl].Param)
	}
	return d
}

// DEParams returns the names of the dark energy's own parameters, in the
// order of their values in Params.DE.
func (m *Model) DEParams() []string {
	var s []string
	for i, sl := range m.slots {
		if sl >= slotDE {
			s = append(s, m.params[i].Name)
		}
	}
	return s
}

// NDE returns the number of the dark energy's parameters, len(DEParams()),
// without allocating (hot paths ask it).
func (m *Model) NDE() int {
	n := 0
	for _, sl := range m.slots {
		if sl >= slotDE {
			n++
		}
	}
	return n
}

// Has reports whether the model takes the parameter called name (the
// optional shared ones included).
func (m *Model) Has(name string) bool {
	_, err := m.Slot(name)
	return err == nil
}

// Param returns the declaration of the parameter of the model called name
// (ombh2 included).
func (m *Model) Param(name string) (param.Param, error) {
	for _, p := range m.params {
		if p.Name == name {
			return p, nil
		}
	}
	for _, sl := range optional {
		if shared[sl].Name == name {
			return shared[sl].Param, nil
		}
	}
	return param.Param{}, m.unknown(name)
}

func (m *Model) unknown(name string) error {
	return &UnknownParamError{Model: m.name, Name: name, Known: append(m.Params(), optionalNames()...)}
}

// optionalNames returns the names of the optional shared parameters.
func optionalNames() []string {
	var s []string
	for _, sl := range optional {
		s = append(s, shared[sl].Name)
	}
	return s
}

// UnknownParamError reports a parameter name that a model does not take.
type UnknownParamError struct {
	Model string
	Name  string
	Known []string // the parameters the model takes
}

func (e *UnknownParamError) Error() string {
	return fmt.Sprintf("model %s does not take parameter %q (it takes %s)", e.Model, e.Name, strings.Join(e.Known, ", "))
}

// A Slot is the position of a parameter in Params, resolved once by name
// (Model.Slot) so that hot loops set parameters without looking names up.
type Slot int

// The slots of the shared parameters (the order of shared); the dark
// energy's parameter i is slotDE + i.
const (
	slotOm Slot = iota
	slotOk
	slotH0
	slotOmbh2
	slotOmch2
	slotMnu
	slotNnu
	slotSigma8
	slotDE
)

// Slot returns the slot of the parameter called name (the optional
// shared ones included).
func (m *Model) Slot(name string) (Slot, error) {
	for i, p := range m.params {
		if p.Name == name {
			return m.slots[i], nil
		}
	}
	for _, sl := range optional {
		if shared[sl].Name == name {
			return sl, nil
		}
	}
	return 0, m.unknown(name)
}

// Set sets the parameter in slot s to v (ombh2, omch2 and sigma8 also set
// their flag).
func (p *Params) Set(s Slot, v float64) {
	if s >= slotDE {
		p.DE[s-slotDE] = v
		return
	}
	sp := shared[s]
	*sp.field(p) = v
	if sp.given != nil {
		*sp.given(p) = true
	}
}

// Get returns the parameter in slot s, false for an optional one that was
// not given.
func (p *Params) Get(s Slot) (float64, bool) {
	if s >= slotDE {
		return p.DE[s-slotDE], true
	}
	sp := shared[s]
	if sp.given != nil && !*sp.given(p) {
		return 0, false
	}
	return *sp.field(p), true
}

// Set sets the parameter called name in p; the value is checked by Check.
func (m *Model) Set(p *Params, name string, v float64) error {
	s, err := m.Slot(name)
	if err != nil {
		return err
	}
	p.Set(s, v)
	return nil
}

// Get returns the parameter called name of p, false if the model does not
// take it or (ombh2) it was not given.
func (m *Model) Get(p *Params, name string) (float64, bool) {
	s, err := m.Slot(name)
	if err != nil {
		return 0, false
	}
	return p.Get(s)
}

// Values returns the named values of p: every parameter of the model, and
// the optional ones given (Σmν and N_eff always).
func (m *Model) Values(p *Params) map[string]float64 {
	out := make(map[string]float64, len(m.params)+len(optional))
	for i, d := range m.params {
		out[d.Name], _ = p.Get(m.slots[i])
	}
	for _, sl := range optional {
		if v, ok := p.Get(sl); ok {
			out[shared[sl].Name] = v
		}
	}
	return out
}

// Defaults returns the point with every parameter that has a default
// (param.Param.HasDefault: Σmν, N_eff) at it, and the others zero.
func (m *Model) Defaults() Params {
	var p Params
	for i, d := range m.params {
		if d.HasDefault {
			p.Set(m.slots[i], d.Default)
		}
	}
	for _, sl := range optional {
		if d := &shared[sl].Param; d.HasDefault {
			p.Set(sl, d.Default)
		}
	}
	return p
}

// PointError reports a parameter point that the model cannot describe.
type PointError struct {
	Model  string
	Param  string // the parameter at fault, "" if it is a combination
	Value  float64
	Reason string
}

func (e *PointError) Error() string {
	if e.Param == "" {
		return fmt.Sprintf("model %s: %s", e.Model, e.Reason)
	}
	return fmt.Sprintf("model %s: %s = %v: %s", e.Model, e.Param, e.Value, e.Reason)
}

// NewParams returns the point of the model with the given named values.
// Every parameter of the model must be given, except that Om may be given
// as omch2 with ombh2; ombh2 may be; Σmν and N_eff take their defaults
// (DefaultMnu, DefaultNnu) if not given; any other name is refused, as is
// a value outside its range (see Check).
func (m *Model) NewParams(vals map[string]float64) (Params, error) {
	p := m.Defaults()
	names := make([]string, 0, len(vals))
	for n := range vals {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		if err := m.Set(&p, name, vals[name]); err != nil {
			return p, err
		}
	}
	_, hasOm := vals[NameOm]
	if hasOm && p.HasOmch2 {
		return p, fmt.Errorf("model %s: give the matter as Om or as omch2, not both", m.name)
	}
	for _, name := range m.Params() {
		if _, ok := vals[name]; !ok && !(name == NameOm && p.HasOmch2) {
			return p, fmt.Errorf("model %s needs parameter %s (it takes %s, and %s)", m.name, name, strings.Join(m.Params(), ", "), strings.Join(optionalNames(), ", "))
		}
	}
	if err := p.Resolve(); err != nil {
		return p, fmt.Errorf("model %s: %w", m.name, err)
	}
	return p, m.Check(&p)
}

// Check returns a *PointError if p is not a physical point of the model:
// a parameter outside its range, baryons exceeding the matter, or what the
// dark energy refuses (DarkEnergy.Check). It does not test E² > 0, which
// depends on the redshifts (see Expansion.CheckPositive), nor whether the
// scalar field's initial condition exists (the backends find it). It does
// not allocate for a valid point. Call Resolve first when the matter is
// given as ω_c.
func (m *Model) Check(p *Params) error {
	for i := range m.params {
		d := &m.params[i]
		if v, _ := p.Get(m.slots[i]); !d.Allowed(v) {
			return &PointError{Model: m.name, Param: d.Name, Value: v, Reason: "outside the allowed range " + d.Range()}
		}
	}
	for _, sl := range optional {
		d := &shared[sl].Param
		if v, ok := p.Get(sl); ok && !d.Allowed(v) {
			return &PointError{Model: m.name, Param: d.Name, Value: v, Reason: "outside the allowed range " + d.Range()}
		}
	}
	h := p.H()
	if p.HasOmbh2 && p.Ombh2 >= p.Om*h*h {
		return &PointError{Model: m.name, Param: NameOmbh2, Value: p.Ombh2,
			Reason: fmt.Sprintf("baryons exceed the matter: ω_b must be < Ωm h² = %.6g", p.Om*h*h)}
	}
	if onu := p.OmegaNu(); !(onu < p.Om) {
		return &PointError{Model: m.name, Param: NameMnu, Value: p.Mnu,
			Reason: fmt.Sprintf("the massive neutrinos (Ω_ν = %.4g) exceed the matter (Ωm = %g)", onu, p.Om)}
	}
	if err := m.de.Check(p); err != nil {
		var pe *PointError
		if errors.As(err, &pe) {
			pe.Model = m.name
			return pe
		}
		return fmt.Errorf("model %s: %w", m.name, err)
	}
	return nil
}

// W returns the dark-energy equation of state of a fluid model at redshift
// z; it panics for a field model (whose w is a result of the solver).
func (m *Model) W(p *Params, z float64) float64 {
	return m.fluid.W(1/(1+z), p.DE)
}

// Format writes the parameters of p, e.g. "Om=0.3 w0=-0.9 wa=-0.2 H0=70
// ombh2=0.0224", each with precision significant digits.
func (m *Model) Format(p *Params, precision int) string {
	var b strings.Builder
	for i, d := range m.params {
		v, _ := p.Get(m.slots[i])
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%s=%.*g", d.Name, precision, v)
	}
	for _, sl := range optional {
		if v, ok := p.Get(sl); ok {
			fmt.Fprintf(&b, " %s=%.*g", shared[sl].Name, precision, v)
		}
	}
	return b.String()
}
