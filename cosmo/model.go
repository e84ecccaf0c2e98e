package cosmo

import (
	"fmt"
	"math"
	"strings"

	"github.com/cosmoemu/cosmoemu/internal/fastmath"

	"github.com/cosmoemu/cosmoemu/param"
)

// DarkEnergy is the kind of dark energy of a model.
type DarkEnergy int

// Kinds of dark energy.
const (
	Lambda    DarkEnergy = iota // cosmological constant, w = −1
	ConstantW                   // constant w
	CPL                         // w(a) = w0 + wa(1 − a)
	Field                       // scalar field with an exponential potential
)

// A Model is a cosmological model: its name, the parameters it needs and
// its dark energy. Models are values defined by this package; compare them
// by pointer or by name.
type Model struct {
	name   string
	doc    string
	params []string
	de     DarkEnergy
	curved bool
	descr  []param.Param // the registered descriptions of params, for Check
	get    []func(*Params) float64
}

// The models.
var (
	LCDM         = &Model{name: "lcdm", doc: "flat ΛCDM", params: []string{NameOm, NameH0}, de: Lambda}
	OLCDM        = &Model{name: "olcdm", doc: "ΛCDM with curvature Ωk", params: []string{NameOm, NameOk, NameH0}, de: Lambda, curved: true}
	WCDM         = &Model{name: "wcdm", doc: "flat, constant dark-energy equation of state w", params: []string{NameOm, NameW, NameH0}, de: ConstantW}
	W0WaCDM      = &Model{name: "w0wacdm", doc: "flat, CPL dark energy w(a) = w0 + wa(1 − a)", params: []string{NameOm, NameW0, NameWa, NameH0}, de: CPL}
	Quintessence = &Model{name: "quintessence", doc: "flat, thawing scalar field with V ∝ exp(−λκφ), at rest at N = −12", params: []string{NameOm, NameLambda, NameH0}, de: Field}
)

var models = []*Model{LCDM, OLCDM, WCDM, W0WaCDM, Quintessence}

var ombh2Param param.Param

func init() {
	for _, m := range models {
		for _, name := range m.params {
			p, ok := Registry.Lookup(name)
			if !ok {
				panic("cosmo: unregistered parameter " + name)
			}
			m.descr = append(m.descr, p)
			m.get = append(m.get, getter(name))
		}
	}
	ombh2Param, _ = Registry.Lookup(NameOmbh2)
}

// Models returns every model, in the order of the package documentation.
func Models() []*Model { return append([]*Model(nil), models...) }

// Lookup returns the model called name.
func Lookup(name string) (*Model, error) {
	for _, m := range models {
		if m.name == name {
			return m, nil
		}
	}
	names := make([]string, len(models))
	for i, m := range models {
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

// Params returns the names of the parameters the model needs, in canonical
// order. ombh2 is not among them: any model takes it when an observable
// needs it.
func (m *Model) Params() []string { return append([]string(nil), m.params...) }

// Has reports whether the model takes the parameter called name (ombh2
// included).
func (m *Model) Has(name string) bool {
	if name == NameOmbh2 {
		return true
	}
	for _, n := range m.params {
		if n == name {
			return true
		}
	}
	return false
}

// DarkEnergy returns the kind of dark energy.
func (m *Model) DarkEnergy() DarkEnergy { return m.de }

// Curved reports whether the model has a curvature parameter.
func (m *Model) Curved() bool { return m.curved }

// ClosedForm reports whether E(z) has a closed form (all models but the
// scalar field).
func (m *Model) ClosedForm() bool { return m.de != Field }

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
// Every parameter of the model must be given; ombh2 may be; any other name
// is refused, as is a value outside its range (see Check).
func (m *Model) NewParams(vals map[string]float64) (Params, error) {
	var p Params
	for _, name := range sortedKeys(vals) {
		if _, err := Registry.Get(name); err != nil {
			return p, fmt.Errorf("model %s: %v", m.name, err)
		}
		if !m.Has(name) {
			return p, fmt.Errorf("model %s does not take parameter %s (it takes %s, and ombh2)", m.name, name, strings.Join(m.params, ", "))
		}
		if err := p.Set(name, vals[name]); err != nil {
			return p, err
		}
	}
	for _, name := range m.params {
		if _, ok := vals[name]; !ok {
			return p, fmt.Errorf("model %s needs parameter %s (it takes %s, and ombh2)", m.name, name, strings.Join(m.params, ", "))
		}
	}
	return p, m.Check(&p)
}

// Check returns a *PointError if p is not a physical point of the model:
// a parameter outside its range, dark energy that is not subdominant at
// early times (w ≥ 0, w0 + wa ≥ 0), baryons exceeding the matter, or no room
// for the scalar field's energy. It does not test E² > 0, which depends on
// the redshifts (see Expansion.CheckPositive), nor whether the scalar
// field's initial condition exists (the backends find it). It does not
// allocate for a valid point.
func (m *Model) Check(p *Params) error {
	for i := range m.descr {
		d := &m.descr[i]
		if v := m.get[i](p); !d.Allowed(v) {
			return &PointError{Model: m.name, Param: d.Name, Value: v, Reason: "outside the allowed range " + d.Range()}
		}
	}
	if p.HasOmbh2 {
		if !ombh2Param.Allowed(p.Ombh2) {
			return &PointError{Model: m.name, Param: NameOmbh2, Value: p.Ombh2, Reason: "outside the allowed range " + ombh2Param.Range()}
		}
		h := p.H()
		if p.Ombh2 >= p.Om*h*h {
			return &PointError{Model: m.name, Param: NameOmbh2, Value: p.Ombh2,
				Reason: fmt.Sprintf("baryons exceed the matter: ω_b must be < Ωm h² = %.6g", p.Om*h*h)}
		}
	}
	switch m.de {
	case ConstantW:
		if !(p.W < 0) {
			return &PointError{Model: m.name, Param: NameW, Value: p.W, Reason: "dark energy must be subdominant at early times: w < 0"}
		}
	case CPL:
		if !(p.W0+p.Wa < 0) {
			return &PointError{Model: m.name, Param: "w0+wa", Value: p.W0 + p.Wa, Reason: "dark energy must be subdominant at early times: w0 + wa < 0"}
		}
	case Field:
		if or := p.OmegaR(); !(p.Om+or < 1) {
			return &PointError{Model: m.name, Param: NameOm, Value: p.Om,
				Reason: fmt.Sprintf("no room for the scalar field: Ωm + Ω_r = %.6g must be < 1", p.Om+or)}
		}
	}
	return nil
}

// Param returns the registered description of a parameter of the model.
func (m *Model) Param(name string) (param.Param, error) {
	if !m.Has(name) {
		return param.Param{}, fmt.Errorf("model %s does not take parameter %s", m.name, name)
	}
	return Registry.Get(name)
}

// Expansion returns the closed form of E(z) at p. It panics for the scalar
// field, which has none (check ClosedForm), and does not check p.
func (m *Model) Expansion(p *Params) Expansion {
	if m.de == Field {
		panic("cosmo: " + m.name + " has no closed form")
	}
	e := Expansion{Or: p.OmegaR(), Om: p.Om, de: m.de}
	if m.curved {
		e.Ok = p.Ok
	}
	e.Ode = 1 - e.Om - e.Or - e.Ok
	switch m.de {
	case ConstantW:
		e.p3 = 3 * (1 + p.W)
	case CPL:
		e.p3 = 3 * (1 + p.W0 + p.Wa)
		e.wa3 = 3 * p.Wa
	}
	return e
}

// Expansion is the closed form of E² for a point of lcdm, olcdm, wcdm or
// w0wacdm:
//
//	E²(z) = Ω_r(1+z)⁴ + Ωm(1+z)³ + Ωk(1+z)² + Ω_DE f(z),
//
// f = 1 (Λ), (1+z)^{3(1+w)} or (1+z)^{3(1+w0+wa)} e^{−3wa z/(1+z)} (CPL).
type Expansion struct {
	Or, Om, Ok, Ode float64
	de              DarkEnergy
	p3              float64 // 3(1+w) or 3(1+w0+wa)
	wa3             float64 // 3wa
}

// E2 returns E²(z) given opz = 1 + z and x = ln(1+z), both of which callers
// on a fixed grid of redshifts precompute: the Λ terms are then a
// polynomial and the other dark energies one exponential.
func (e *Expansion) E2(opz, x float64) float64 {
	o2 := opz * opz
	s := ((e.Or*opz+e.Om)*opz + e.Ok) * o2
	switch e.de {
	case Lambda:
		return s + e.Ode
	case ConstantW:
		return s + e.Ode*math.Exp(e.p3*x)
	default: // CPL
		return s + e.Ode*math.Exp(e.p3*x-e.wa3*(1-1/opz))
	}
}

// A4E2 returns a⁴E²(a) = Ω_r + Ωm a + Ωk a² + Ω_DE a⁴ f(a), finite as
// a → 0, given a and ln a: the integrand of the sound horizon and of early
// distances in the scale factor is 1/√(a⁴E²).
func (e *Expansion) A4E2(a, lna float64) float64 {
	s := e.Or + a*(e.Om+a*e.Ok)
	a4 := a * a * a * a
	switch e.de {
	case Lambda:
		return s + e.Ode*a4
	case ConstantW:
		return s + e.Ode*math.Exp((4-e.p3)*lna)
	default:
		return s + e.Ode*math.Exp((4-e.p3)*lna-e.wa3*(1-a))
	}
}

// E2Values writes E²(z_i) to dst for redshifts given by s_i = 1 + z_i,
// x_i = ln(1+z_i) and c_i = 1 − 1/s_i = z_i/(1+z_i), all computed once per
// set of redshifts: the loop of E2 with the kind of dark energy decided once
// (within 2 ulp of E2).
func (e *Expansion) E2Values(dst, s, x, c []float64) {
	s = s[:len(dst)]
	if e.de == Lambda {
		for j, v := range s {
			dst[j] = ((e.Or*v+e.Om)*v+e.Ok)*v*v + e.Ode
		}
		return
	}
	// The exponentials in one vector pass (fastmath.ScaleExp, the project's
	// exponential kernel, 1 ulp): dst holds the exponents, then Ω_DE f.
	x, c = x[:len(s)], c[:len(s)]
	for j := range s {
		dst[j] = e.p3*x[j] - e.wa3*c[j]
	}
	fastmath.ScaleExp(dst, e.Ode)
	for j, v := range s {
		dst[j] += ((e.Or*v+e.Om)*v + e.Ok) * v * v
	}
}

// EValues writes E(z_i) = √E² to dst for redshifts given by opz_i = 1 + z_i
// and x_i = ln(1+z_i), the loop of E2 with the kind of dark energy decided
// once. It returns the index of the first z_i with E² ≤ 0 (dst[i] is then
// undefined), or −1.
func (e *Expansion) EValues(dst, opz, x []float64) int {
	dst = dst[:len(opz)]
	x = x[:len(opz)]
	switch e.de {
	case Lambda:
		for i, o := range opz {
			e2 := ((e.Or*o+e.Om)*o+e.Ok)*o*o + e.Ode
			if !(e2 > 0) {
				return i
			}
			dst[i] = math.Sqrt(e2)
		}
	default:
		for i, o := range opz {
			e2 := e.E2(o, x[i])
			if !(e2 > 0) {
				return i
			}
			dst[i] = math.Sqrt(e2)
		}
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
	return (e2 - ((e.Or*opz+e.Om)*opz+e.Ok)*opz*opz) / e2
}

// W returns the dark-energy equation of state at redshift z.
func (e *Expansion) W(z float64) float64 {
	switch e.de {
	case Lambda:
		return -1
	case ConstantW:
		return e.p3/3 - 1
	default:
		// w0 + wa(1 − a) = (p3 − wa3)/3 − 1 + (wa3/3)(z/(1+z))
		return (e.p3-e.wa3)/3 - 1 + e.wa3/3*z/(1+z)
	}
}

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
