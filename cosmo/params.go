package cosmo

import (
	"fmt"
	"math"
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

// Names of the parameters every model shares (the dark energies declare
// their own: NameW, NameW0, NameWa, NameLambda).
const (
	NameOm    = "Om"
	NameOk    = "Ok"
	NameH0    = "H0"
	NameOmbh2 = "ombh2"
)

// MaxDEParams is the largest number of parameters a dark energy may
// declare.
const MaxDEParams = 6

// Values are the values of a dark energy's own parameters, in the order of
// its Params (unused entries zero).
type Values [MaxDEParams]float64

// Params is a point in the parameter space of a model: the parameters
// every model shares as fields, and the dark energy's own parameters in DE
// (in the order the model's dark energy declares them). A model reads the
// fields it has (Model.Params) and ignores the others; HasOmbh2 says
// whether Ombh2 was given. Set and read parameters by name through the
// model (Model.Set, Model.Get, Model.Slot).
type Params struct {
	Om    float64 // Ωm, matter density today
	Ok    float64 // Ωk, curvature density today (curved models)
	H0    float64 // km/s/Mpc
	Ombh2 float64 // ω_b = Ω_b h²; valid if HasOmbh2
	DE    Values  // the dark energy's parameters

	HasOmbh2 bool
}

// H returns h = H0/100.
func (p *Params) H() float64 { return p.H0 / 100 }

// OmegaR returns Ω_r = ω_r/h², the radiation density today.
func (p *Params) OmegaR() float64 {
	h := p.H()
	return OmegaRH2 / (h * h)
}

// sharedParam is a parameter every model (or every curved model) has: its
// declaration and its field in Params.
type sharedParam struct {
	param.Param
	field func(*Params) *float64
}

// The shared parameters, declared once: their labels, units, default prior
// boxes (those of cosmoemu fit), physical ranges, fiducial values and
// emulator boxes. The order is the canonical order of every model's
// parameters: Om, [Ok,] the dark energy's, H0, and ombh2 (which any model
// takes when an observable needs it).
var (
	sharedOm = sharedParam{param.Param{Name: NameOm, Label: `\Omega_{\rm m}`, Doc: "matter density today (baryons and cold dark matter)",
		Min: 0.01, Max: 0.99, Lo: 0, Hi: 1, LoOpen: true, HiOpen: true, Fiducial: 0.3, EmuBox: [2]float64{0.05, 0.7}},
		func(p *Params) *float64 { return &p.Om }}
	sharedOk = sharedParam{param.Param{Name: NameOk, Label: `\Omega_k`, Doc: "curvature density today",
		Min: -0.3, Max: 0.3, Lo: -1, Hi: 1, EmuBox: [2]float64{-0.3, 0.3}},
		func(p *Params) *float64 { return &p.Ok }}
	sharedH0 = sharedParam{param.Param{Name: NameH0, Label: `H_0`, Unit: "km/s/Mpc", Doc: "Hubble constant",
		Min: 20, Max: 100, Lo: 0, Hi: 1000, LoOpen: true, Fiducial: 68, EmuBox: [2]float64{50, 90}},
		func(p *Params) *float64 { return &p.H0 }}
	sharedOmbh2 = sharedParam{param.Param{Name: NameOmbh2, Label: `\omega_{\rm b}`, Doc: "physical baryon density Ω_b h²",
		Min: 0.005, Max: 0.1, Lo: 0, Hi: 1, LoOpen: true, Fiducial: 0.0224, EmuBox: [2]float64{0.018, 0.026}},
		func(p *Params) *float64 { return &p.Ombh2 }}
)

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
