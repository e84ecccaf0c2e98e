package cosmo

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/cosmoemu/cosmoemu/param"
)

// Physical constants and the radiation convention (see the package
// documentation).
const (
	// C is the speed of light in km/s.
	C = 299792.458
	// TCMB is the CMB temperature today in K.
	TCMB = 2.7255
	// NEff is the effective number of massless neutrino species.
	NEff = 3.046
	// NeutrinoFactor is 7/8 (4/11)^{4/3}: the energy density of one
	// massless neutrino species relative to the photons, as astropy uses it.
	NeutrinoFactor = 0.22710731766
	// DefaultH0 is the Hubble constant used for the radiation density when
	// H0 is not a parameter of a fit (BAO alone measures h·r_d, not h).
	DefaultH0 = 70.0
)

// CODATA 2018 constants (SI) for ω_γ, the values astropy uses.
const (
	stefanBoltzmann = 5.670374419e-8 // W m⁻² K⁻⁴
	newtonG         = 6.67430e-11    // m³ kg⁻¹ s⁻²
	cSI             = 299792458.0    // m/s
	mpcSI           = 3.0856775814913673e22
)

// OmegaGammaH2 is ω_γ = Ω_γ h², the photon density of a black body at TCMB
// in units of the critical density for H0 = 100 km/s/Mpc.
var OmegaGammaH2 = func() float64 {
	rhoGamma := 4 * stefanBoltzmann * math.Pow(TCMB, 4) / (cSI * cSI * cSI) // kg/m³
	h100 := 1e5 / mpcSI                                                     // 1/s
	rhoCrit := 3 * h100 * h100 / (8 * math.Pi * newtonG)
	return rhoGamma / rhoCrit
}()

// OmegaRH2 is ω_r = ω_γ(1 + NeutrinoFactor·NEff): photons and massless
// neutrinos.
var OmegaRH2 = OmegaGammaH2 * (1 + NeutrinoFactor*NEff)

// HubbleDistance returns c/H0 in Mpc.
func HubbleDistance(h0 float64) float64 { return C / h0 }

// Parameter names.
const (
	NameOm     = "Om"
	NameOk     = "Ok"
	NameW      = "w"
	NameW0     = "w0"
	NameWa     = "wa"
	NameLambda = "lambda"
	NameH0     = "H0"
	NameOmbh2  = "ombh2"
)

// Registry holds the cosmological parameters with their labels, units,
// default prior boxes (those of cosmoemu fit) and physical ranges.
var Registry = param.NewRegistry(
	param.Param{Name: NameOm, Label: `\Omega_{\rm m}`, Doc: "matter density today (baryons and cold dark matter)",
		Min: 0.01, Max: 0.99, Lo: 0, Hi: 1, LoOpen: true, HiOpen: true},
	param.Param{Name: NameOk, Label: `\Omega_k`, Doc: "curvature density today",
		Min: -0.3, Max: 0.3, Lo: -1, Hi: 1},
	param.Param{Name: NameW, Label: `w`, Doc: "constant dark-energy equation of state",
		Min: -3, Max: 1, Lo: -10, Hi: 10},
	param.Param{Name: NameW0, Label: `w_0`, Doc: "CPL equation of state today",
		Min: -3, Max: 1, Lo: -10, Hi: 10},
	param.Param{Name: NameWa, Label: `w_a`, Doc: "CPL slope, w(a) = w0 + wa(1 − a)",
		Min: -3, Max: 2, Lo: -10, Hi: 10},
	param.Param{Name: NameLambda, Label: `\lambda`, Doc: "slope of the potential V ∝ exp(−λκφ)",
		Min: 0, Max: 3, Lo: 0, Hi: 10},
	param.Param{Name: NameH0, Label: `H_0`, Unit: "km/s/Mpc", Doc: "Hubble constant",
		Min: 20, Max: 100, Lo: 0, Hi: 1000, LoOpen: true},
	param.Param{Name: NameOmbh2, Label: `\omega_{\rm b}`, Doc: "physical baryon density Ω_b h²",
		Min: 0.005, Max: 0.1, Lo: 0, Hi: 1, LoOpen: true},
)

// Params is a point in the parameter space of the models. A model reads the
// fields it needs (Model.Params) and ignores the others; HasOmbh2 says
// whether Ombh2 was given.
type Params struct {
	Om     float64 // Ωm, matter density today
	Ok     float64 // Ωk, curvature density today (olcdm)
	W      float64 // constant w (wcdm)
	W0, Wa float64 // CPL w0, wa (w0wacdm)
	Lambda float64 // λ of the scalar field (quintessence)
	H0     float64 // km/s/Mpc
	Ombh2  float64 // ω_b = Ω_b h²; valid if HasOmbh2

	HasOmbh2 bool
}

// field returns a pointer to the field of the parameter called name.
func (p *Params) field(name string) *float64 {
	switch name {
	case NameOm:
		return &p.Om
	case NameOk:
		return &p.Ok
	case NameW:
		return &p.W
	case NameW0:
		return &p.W0
	case NameWa:
		return &p.Wa
	case NameLambda:
		return &p.Lambda
	case NameH0:
		return &p.H0
	case NameOmbh2:
		return &p.Ombh2
	}
	return nil
}

// Set sets the parameter called name. It returns an error for a name that
// is not a cosmological parameter; the value is checked by Model.Check.
func (p *Params) Set(name string, v float64) error {
	f := p.field(name)
	if f == nil {
		_, err := Registry.Get(name)
		return err
	}
	*f = v
	if name == NameOmbh2 {
		p.HasOmbh2 = true
	}
	return nil
}

// Get returns the value of the parameter called name.
func (p *Params) Get(name string) (float64, bool) {
	f := p.field(name)
	if f == nil || (name == NameOmbh2 && !p.HasOmbh2) {
		return 0, false
	}
	return *f, true
}

// H returns h = H0/100.
func (p *Params) H() float64 { return p.H0 / 100 }

// OmegaR returns Ω_r = ω_r/h², the radiation density today.
func (p *Params) OmegaR() float64 {
	h := p.H()
	return OmegaRH2 / (h * h)
}

// ParseAssignments reads "NAME=VALUE,NAME=VALUE,…" into a map, refusing
// malformed items, non-finite values and repeated names. It does not check
// that the names are known.
func ParseAssignments(s string) (map[string]float64, error) {
	out := make(map[string]float64)
	if strings.TrimSpace(s) == "" {
		return out, nil
	}
	for _, item := range strings.Split(s, ",") {
		name, val, ok := strings.Cut(strings.TrimSpace(item), "=")
		name = strings.TrimSpace(name)
		if !ok || name == "" {
			return nil, fmt.Errorf("%q: want NAME=VALUE", item)
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%s=%s: the value must be a finite number", name, strings.TrimSpace(val))
		}
		if _, dup := out[name]; dup {
			return nil, fmt.Errorf("parameter %s given twice", name)
		}
		out[name] = v
	}
	return out, nil
}

// sortedKeys returns the keys of m in order, for stable messages.
func sortedKeys(m map[string]float64) []string {
	k := make([]string, 0, len(m))
	for n := range m {
		k = append(k, n)
	}
	sort.Strings(k)
	return k
}

// Setter returns a function that sets the parameter called name in a
// Params, for hot loops that map a vector θ to a point once the names are
// resolved; nil if name is not a cosmological parameter.
func Setter(name string) func(p *Params, v float64) {
	switch name {
	case NameOm:
		return func(p *Params, v float64) { p.Om = v }
	case NameOk:
		return func(p *Params, v float64) { p.Ok = v }
	case NameW:
		return func(p *Params, v float64) { p.W = v }
	case NameW0:
		return func(p *Params, v float64) { p.W0 = v }
	case NameWa:
		return func(p *Params, v float64) { p.Wa = v }
	case NameLambda:
		return func(p *Params, v float64) { p.Lambda = v }
	case NameH0:
		return func(p *Params, v float64) { p.H0 = v }
	case NameOmbh2:
		return func(p *Params, v float64) { p.Ombh2, p.HasOmbh2 = v, true }
	}
	return nil
}

// getter returns a function reading the parameter called name; it panics
// for an unknown name (models are built from constants).
func getter(name string) func(*Params) float64 {
	switch name {
	case NameOm:
		return func(p *Params) float64 { return p.Om }
	case NameOk:
		return func(p *Params) float64 { return p.Ok }
	case NameW:
		return func(p *Params) float64 { return p.W }
	case NameW0:
		return func(p *Params) float64 { return p.W0 }
	case NameWa:
		return func(p *Params) float64 { return p.Wa }
	case NameLambda:
		return func(p *Params) float64 { return p.Lambda }
	case NameH0:
		return func(p *Params) float64 { return p.H0 }
	case NameOmbh2:
		return func(p *Params) float64 { return p.Ombh2 }
	}
	panic("cosmo: no parameter " + name)
}
