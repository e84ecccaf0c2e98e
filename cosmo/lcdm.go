package cosmo

import "github.com/cosmoemu/cosmoemu/param"

// Lambda is a cosmological constant: w = −1, constant density, no
// parameters of its own.
type Lambda struct{}

// Params returns no parameters.
func (Lambda) Params() []param.Param { return nil }

// Check accepts every point.
func (Lambda) Check(*Params) error { return nil }

// W returns −1.
func (Lambda) W(float64, Values) float64 { return -1 }

// LnDensity returns 0.
func (Lambda) LnDensity(float64, float64, Values) float64 { return 0 }

// Constant returns true.
func (Lambda) Constant(Values) bool { return true }

// The ΛCDM models.
var (
	// LCDM is flat ΛCDM.
	LCDM = mustModel(ModelSpec{Name: "lcdm", Doc: "flat ΛCDM", DarkEnergy: Lambda{}})
	// OLCDM is ΛCDM with curvature.
	OLCDM = mustModel(ModelSpec{Name: "olcdm", Doc: "ΛCDM with curvature Ωk", Curved: true, DarkEnergy: Lambda{}})
)
