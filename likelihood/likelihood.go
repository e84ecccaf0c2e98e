package likelihood

import (
	"math"

	"github.com/cosmoemu/cosmoemu/cosmo"
	"github.com/cosmoemu/cosmoemu/param"
)

// A Likelihood is the χ² of one data set as a function of the observables
// and the parameters. It is immutable and safe for concurrent use. It
// declares what it needs beyond the observables (Needs), from which fit
// chooses the parameters to sample and NewPosterior checks that they are
// there; Bind ties it to a posterior. A likelihood of your own is any type
// with these methods (see the fit package's tests for one).
type Likelihood interface {
	// Name is the data set's name, e.g. "desi-dr2": the key of its χ² in
	// results, and the suffix of its nuisance parameters when several
	// data sets declare the same one.
	Name() string
	// Len is the number of measurements.
	Len() int
	// Needs declares what the χ² depends on besides the observables it
	// registers in Bind.
	Needs() Needs
	// Bind registers the observables the likelihood needs with r, looks
	// up its nuisance parameters (Requirements.Nuisance) and returns the
	// term that evaluates its χ².
	Bind(r *Requirements) (Term, error)
}

// Needs is what a likelihood declares it needs from the parameters, the
// one place from which fit decides what to sample and NewPosterior checks
// what is there.
type Needs struct {
	// Rd: the χ² reads the drag-epoch sound horizon Theory.Rd. It comes
	// from the model when ω_b is a parameter (sampled or fixed) and from
	// the nuisance parameter hrd = h·r_d otherwise.
	Rd bool
	// Ombh2: the χ² reads ω_b, which must then be sampled or fixed.
	Ombh2 bool
	// H0: the χ² measures H0 itself (H(z), an H0 prior, the CMB), not
	// only ratios in which it cancels. Distances in units of r_d measure
	// it when r_d comes from ω_b, which fit knows without being told.
	H0 bool
	// Sigma8: the χ² reads σ8 (cosmo.Params.Sigma8; fσ8 data), which
	// must then be sampled or fixed.
	Sigma8 bool
	// ParamsOnly: the χ² reads parameters only (a measurement of H0 or
	// ω_b), no observable of the model.
	ParamsOnly bool
	// Nuisance lists the likelihood's own nuisance parameters.
	Nuisance []Nuisance
}

// Nuisance is a nuisance parameter of a likelihood.
type Nuisance struct {
	param.Param
	// Optional parameters are sampled only when they have a prior;
	// otherwise the likelihood integrates them out itself (the supernova
	// magnitude M, analytically). The others are always sampled.
	Optional bool
	// Data and Declared are set by Combine: the data set that declared
	// the parameter and the name it declared, when Param.Name is the
	// posterior's name for it (they differ when several data sets declare
	// the same name: see Combine).
	Data, Declared string

	owner int // index of the declaring likelihood in Combine's argument
}

// A Term evaluates one likelihood's χ² for the observables in a Theory. It
// must be safe for concurrent use, keeping scratch in Theory.Work. A χ² of
// +Inf says that the point is impossible for what the term computes
// itself (an expansion that does not reach decoupling, say): the
// posterior counts it as unphysical. NaN is a bug, reported as a failure.
type Term interface {
	Chi2(t *Theory) float64
	// WorkLen is the scratch length Chi2 needs.
	WorkLen() int
	// LogNorm is the constant that ln L adds to −χ²/2 (see the package
	// documentation): it may depend on the binding, for instance on
	// whether a nuisance parameter is sampled or integrated out.
	LogNorm() float64
}

// Requirements collects what the likelihoods of a posterior need from the
// backend: the union of their redshifts, and which observables.
type Requirements struct {
	Z         []float64
	index     map[float64]int
	Distances bool // D_M at Z
	CMB       bool // z*, r_s(z*), D_M(z*)
	Growth    bool // D(z)/D(0) and f(z) at Z
	// Model is the model of the posterior, for likelihoods that read a
	// parameter through its slot (Model.Slot and cosmo.Params.Get); nil
	// when the requirements are not for a posterior.
	Model    *cosmo.Model
	nuisance func(string) int
}

// NewRequirements returns empty requirements; nuisance gives the position
// in θ of the binding likelihood's nuisance parameter declared as name, or
// −1 if it is not sampled (nil: none is sampled).
func NewRequirements(nuisance func(name string) int) *Requirements {
	if nuisance == nil {
		nuisance = func(string) int { return -1 }
	}
	return &Requirements{index: make(map[float64]int), nuisance: nuisance}
}

// Nuisance returns the position in θ of the binding likelihood's nuisance
// parameter declared (Needs) as name, or −1 if it is not sampled.
func (r *Requirements) Nuisance(name string) int { return r.nuisance(name) }

// At returns the position of redshift z in Z, adding it if new.
func (r *Requirements) At(z float64) int {
	if i, ok := r.index[z]; ok {
		return i
	}
	r.index[z] = len(r.Z)
	r.Z = append(r.Z, z)
	return len(r.Z) - 1
}

// indices returns the positions of the redshifts zs in Z (At of each).
func (r *Requirements) indices(zs []float64) []int {
	idx := make([]int, len(zs))
	for i, z := range zs {
		idx[i] = r.At(z)
	}
	return idx
}

// Request returns the backend request for the requirements.
func (r *Requirements) Request() cosmo.Request {
	return cosmo.Request{Z: append([]float64(nil), r.Z...), Distances: r.Distances, CMB: r.CMB, Growth: r.Growth}
}

// Theory is what likelihood terms read at one parameter point.
type Theory struct {
	P     *cosmo.Params
	Res   *cosmo.Result // the observables of the combined request
	Rd    float64       // r_d in Mpc, if a likelihood needs it (Needs.Rd)
	Theta []float64     // the sampled parameters, for nuisance parameters
	Work  []float64     // scratch for Chi2, at least the largest WorkLen
}

// Nuisance parameters.
var (
	// HRd is h·r_d in Mpc, sampled when a likelihood needs r_d and ω_b is
	// not a parameter: BAO without ω_b measure it and Ωm only.
	HRd = param.Param{Name: "hrd", Label: `h\,r_{\rm d}`, Unit: "Mpc", Doc: "h times the drag-epoch sound horizon", Fiducial: 100,
		Min: 50, Max: 150, Lo: 0, Hi: math.Inf(1), LoOpen: true}
	// AbsMag is the supernova absolute magnitude M when sampled, a
	// nuisance parameter of every supernova sample (see the package
	// documentation). Its scale depends on the data set (about −19.25 for
	// Pantheon+'s m_b_corr, about 0 for distance moduli like Union3's and
	// DES's), so it is sampled only with a prior the user gives.
	AbsMag = param.Param{Name: "M", Label: `M`, Unit: "mag", Doc: "supernova absolute magnitude",
		Min: -25, Max: 25, Lo: -100, Hi: 100}
)

const ln2Pi = 1.8378770664093453 // ln 2π
