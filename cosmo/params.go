package cosmo

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/cosmoemu/cosmoemu/neutrino"
	"github.com/cosmoemu/cosmoemu/param"
)

// Physical constants and the radiation convention (see the package
// documentation).
const (
	// C is the speed of light in km/s.
	C = 299792.458
	// TCMB is the CMB temperature today in K.
	TCMB = 2.7255
	// DefaultMnu is the default Σmν in eV: the minimal mass of the normal
	// hierarchy, as Planck and DESI assume.
	DefaultMnu = 0.06
	// DefaultNnu is the default N_eff: the three standard neutrinos
	// (neutrino.StandardNEff).
	DefaultNnu = neutrino.StandardNEff
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

// HubbleDistance returns c/H0 in Mpc.
func HubbleDistance(h0 float64) float64 { return C / h0 }

// Names of the parameters every model shares (the dark energies declare
// their own: NameW, NameW0, NameWa, NameLambda).
const (
	NameOm    = "Om"
	NameOk    = "Ok"
	NameH0    = "H0"
	NameOmbh2 = "ombh2"
	NameOmch2 = "omch2"
	NameMnu   = "mnu"
	NameNnu   = "nnu"
	// NameSigma8 is σ8 today, the amplitude of the linear growth (see
	// Params.Sigma8).
	NameSigma8 = "sigma8"
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
// model (Model.Set, Model.Get, Model.Slot), which also applies the
// defaults of Σmν and N_eff (Model.NewParams); a Params literal must set
// Nnu.
//
// The matter is given either as Om, or as Omch2 = ω_c (HasOmch2), from
// which Resolve derives Om = (ω_b + ω_c + ω_ν)/h².
type Params struct {
	Om    float64 // Ωm, total matter today: baryons, cold dark matter and massive neutrinos
	Ok    float64 // Ωk, curvature density today (curved models)
	H0    float64 // km/s/Mpc
	Ombh2 float64 // ω_b = Ω_b h²; valid if HasOmbh2
	Omch2 float64 // ω_c = Ω_c h², if HasOmch2: Om is then derived
	Mnu   float64 // Σmν in eV (one massive eigenstate, package neutrino)
	Nnu   float64 // N_eff
	DE    Values  // the dark energy's parameters
	// Sigma8 is σ8 today, the rms linear density contrast of CDM and
	// baryons in spheres of 8 h⁻¹ Mpc; valid if HasSigma8. Only the growth
	// observables (fσ8) read it: σ8(z) = σ8 D(z)/D(0) (cosmo.Result.DRatio).
	Sigma8 float64

	HasOmbh2, HasOmch2, HasSigma8 bool
}

// H returns h = H0/100.
func (p *Params) H() float64 { return p.H0 / 100 }

// Neutrinos returns the neutrinos of p (package neutrino's convention,
// stated there): Σmν in one massive eigenstate, the rest of N_eff
// massless. It returns an error naming the parameter for Σmν < 0 or
// N_eff ≤ 0.
func (p *Params) Neutrinos() (neutrino.Species, error) {
	return neutrino.New(p.Mnu, p.Nnu, TCMB)
}

// OmegaNu returns Ω_ν = ω_ν/h² of the massive neutrinos today (0 when
// Σmν = 0 or for an invalid point).
func (p *Params) OmegaNu() float64 {
	nu, err := p.Neutrinos()
	if err != nil {
		return 0
	}
	h := p.H()
	return nu.OmegaNuH2() / (h * h)
}

// OmegaR returns the radiation density today while every neutrino is
// relativistic, Ω_γ(1 + (7/8)(4/11)^{4/3} N_eff): the a⁻⁴ term of E² at
// early times (massive neutrinos of Σmν ≲ 1 eV are relativistic to 1e-6
// at z > 10⁵). An invalid N_eff counts as 0.
func (p *Params) OmegaR() float64 {
	h := p.H()
	return OmegaGammaH2 * (1 + neutrino.MasslessFactor*math.Max(p.Nnu, 0)) / (h * h)
}

// OmegaRToday returns the density today of what scales as a⁻⁴: photons
// and massless neutrinos, Ω_γ(1 + (7/8)(4/11)^{4/3}(N_eff − g)) (the
// massive eigenstate's share g counts in Om).
func (p *Params) OmegaRToday() float64 {
	h := p.H()
	og := OmegaGammaH2 / (h * h)
	nu, err := p.Neutrinos()
	if err != nil {
		return og * (1 + neutrino.MasslessFactor*math.Max(p.Nnu, 0))
	}
	return og * (1 + nu.MasslessDensity())
}

// Resolve derives Om from Omch2 when the matter was given as ω_c:
// Om = (ω_b + ω_c + ω_ν)/h². It returns an error if ω_c is given without
// ω_b.
func (p *Params) Resolve() error {
	if !p.HasOmch2 {
		return nil
	}
	if !p.HasOmbh2 {
		return errors.New("ω_c (omch2) gives the matter only with ω_b (ombh2)")
	}
	h := p.H()
	p.Om = (p.Ombh2+p.Omch2)/(h*h) + p.OmegaNu()
	return nil
}

// sharedParam is a parameter every model (or every curved model) has: its
// declaration, its field in Params and, for the optional ones given or
// not, the flag that says it was given.
type sharedParam struct {
	param.Param
	field func(*Params) *float64
	given func(*Params) *bool
}

// The shared parameters, declared once: their labels, units, default prior
// boxes (those of cosmoemu fit), physical ranges, fiducial values and
// emulator boxes. The order is the canonical order of every model's
// parameters: Om, [Ok,] the dark energy's, H0, and ombh2 (which any model
// takes when an observable needs it).
var (
	sharedOm = sharedParam{param.Param{Name: NameOm, Label: `\Omega_{\rm m}`, Doc: "matter density today: baryons, cold dark matter and massive neutrinos",
		Min: 0.01, Max: 0.99, Lo: 0, Hi: 1, LoOpen: true, HiOpen: true, Fiducial: 0.3, EmuBox: [2]float64{0.05, 0.7}},
		func(p *Params) *float64 { return &p.Om }, nil}
	sharedOk = sharedParam{param.Param{Name: NameOk, Label: `\Omega_k`, Doc: "curvature density today",
		Min: -0.3, Max: 0.3, Lo: -1, Hi: 1, EmuBox: [2]float64{-0.3, 0.3}},
		func(p *Params) *float64 { return &p.Ok }, nil}
	sharedH0 = sharedParam{param.Param{Name: NameH0, Label: `H_0`, Unit: "km/s/Mpc", Doc: "Hubble constant",
		Min: 20, Max: 100, Lo: 0, Hi: 1000, LoOpen: true, Fiducial: 68, EmuBox: [2]float64{50, 90}},
		func(p *Params) *float64 { return &p.H0 }, nil}
	sharedOmbh2 = sharedParam{param.Param{Name: NameOmbh2, Label: `\omega_{\rm b}`, Doc: "physical baryon density Ω_b h²",
		Min: 0.005, Max: 0.1, Lo: 0, Hi: 1, LoOpen: true, Fiducial: 0.0224, EmuBox: [2]float64{0.018, 0.026}},
		func(p *Params) *float64 { return &p.Ombh2 }, func(p *Params) *bool { return &p.HasOmbh2 }}
	sharedOmch2 = sharedParam{param.Param{Name: NameOmch2, Label: `\omega_{\rm c}`, Doc: "physical cold dark matter density Ω_c h² (instead of Om)",
		Min: 0.001, Max: 0.99, Lo: 0, Hi: 1, HiOpen: true, Fiducial: 0.12, EmuBox: [2]float64{0.08, 0.16}},
		func(p *Params) *float64 { return &p.Omch2 }, func(p *Params) *bool { return &p.HasOmch2 }}
	sharedMnu = sharedParam{param.Param{Name: NameMnu, Label: `\Sigma m_\nu`, Unit: "eV", Doc: "sum of the neutrino masses (one massive eigenstate)",
		Min: 0, Max: 1, Lo: 0, Hi: 10, Fiducial: DefaultMnu, Default: DefaultMnu, HasDefault: true, EmuBox: [2]float64{0, 1}},
		func(p *Params) *float64 { return &p.Mnu }, nil}
	sharedNnu = sharedParam{param.Param{Name: NameNnu, Label: `N_{\rm eff}`, Doc: "effective number of relativistic neutrino species",
		Min: 2, Max: 4.5, Lo: 0, Hi: 10, LoOpen: true, Fiducial: DefaultNnu, Default: DefaultNnu, HasDefault: true, EmuBox: [2]float64{2, 4.5}},
		func(p *Params) *float64 { return &p.Nnu }, nil}
	sharedSigma8 = sharedParam{param.Param{Name: NameSigma8, Label: `\sigma_8`, Doc: "amplitude of the linear fluctuations of CDM and baryons today, in spheres of 8/h Mpc",
		Min: 0.3, Max: 1.5, Lo: 0, Hi: 10, LoOpen: true, Fiducial: 0.81},
		func(p *Params) *float64 { return &p.Sigma8 }, func(p *Params) *bool { return &p.HasSigma8 }}
)

// shared lists the shared parameters in the order of their slots.
var shared = [...]*sharedParam{slotOm: &sharedOm, slotOk: &sharedOk, slotH0: &sharedH0,
	slotOmbh2: &sharedOmbh2, slotOmch2: &sharedOmch2, slotMnu: &sharedMnu, slotNnu: &sharedNnu, slotSigma8: &sharedSigma8}

// optional are the shared parameters every model takes besides its own:
// ω_b and ω_c when observables need them, Σmν and N_eff with defaults,
// σ8 when growth data need it.
var optional = []Slot{slotOmbh2, slotOmch2, slotMnu, slotNnu, slotSigma8}

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
