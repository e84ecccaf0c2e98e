package likelihood

import (
	"math"

	"github.com/cosmoemu/cosmoemu/cosmo"
	"github.com/cosmoemu/cosmoemu/param"
)

// A Likelihood is the χ² of one data set as a function of the observables.
// It is immutable and safe for concurrent use; Bind ties it to the
// redshifts of a combined request.
type Likelihood interface {
	// Name is the data set's name, e.g. "desi-dr2".
	Name() string
	// Len is the number of measurements.
	Len() int
	// LogNorm is the constant that ln L adds to −χ²/2 (see the package
	// documentation).
	LogNorm() float64
	// Bind registers the observables the likelihood needs with r and
	// returns the term that evaluates its χ².
	Bind(r *Requirements) (Term, error)
}

// A Term evaluates one likelihood's χ² for the observables in a Theory. It
// must be safe for concurrent use, keeping scratch in Theory.Work.
type Term interface {
	Chi2(t *Theory) float64
	// WorkLen is the scratch length Chi2 needs.
	WorkLen() int
}

// Requirements collects what the likelihoods of a posterior need: the union
// of their redshifts, and which observables.
type Requirements struct {
	Z         []float64
	index     map[float64]int
	Distances bool // D_M at Z
	CMB       bool // z*, r_s(z*), D_M(z*)
	Rd        bool // the drag horizon r_d
	// Nuisance returns the position in θ of a nuisance parameter, or −1
	// if it is not sampled.
	Nuisance func(name string) int
}

// NewRequirements returns empty requirements; nuisance looks up sampled
// nuisance parameters (nil: none is sampled).
func NewRequirements(nuisance func(string) int) *Requirements {
	if nuisance == nil {
		nuisance = func(string) int { return -1 }
	}
	return &Requirements{index: make(map[float64]int), Nuisance: nuisance}
}

// At returns the position of redshift z in Z, adding it if new.
func (r *Requirements) At(z float64) int {
	if i, ok := r.index[z]; ok {
		return i
	}
	r.index[z] = len(r.Z)
	r.Z = append(r.Z, z)
	return len(r.Z) - 1
}

// Request returns the backend request for the requirements.
func (r *Requirements) Request() cosmo.Request {
	return cosmo.Request{Z: append([]float64(nil), r.Z...), Distances: r.Distances, CMB: r.CMB}
}

// Theory is what likelihood terms read at one parameter point.
type Theory struct {
	P     *cosmo.Params
	Res   *cosmo.Result // the observables of the combined request
	Rd    float64       // r_d in Mpc, if required
	Theta []float64     // the sampled parameters, for nuisance parameters
	Work  []float64     // scratch for Chi2, at least the largest WorkLen
}

// Nuisance parameters a likelihood may sample.
var (
	// HRd is h·r_d in Mpc: BAO without ω_b measure it and Ωm only.
	HRd = param.Param{Name: "hrd", Label: `h\,r_{\rm d}`, Unit: "Mpc", Doc: "h times the drag-epoch sound horizon", Fiducial: 100,
		Min: 50, Max: 150, Lo: 0, Hi: math.Inf(1), LoOpen: true}
	// AbsMag is the supernova absolute magnitude M when sampled.
	// Its scale depends on the data set (about −19.25 for Pantheon+'s
	// m_b_corr, about 0 for distance moduli like Union3's and DES's), so
	// it is sampled only with a prior the user gives.
	AbsMag = param.Param{Name: "M", Label: `M`, Unit: "mag", Doc: "supernova absolute magnitude (sampled only when given a prior)",
		Min: -25, Max: 25, Lo: -100, Hi: 100}
)

const ln2Pi = 1.8378770664093453 // ln 2π
