package cosmo

import (
	"fmt"
	"math"

	"github.com/cosmoemu/cosmoemu/friedmann"
	"github.com/cosmoemu/cosmoemu/param"
)

// NameLambda is the parameter of ExponentialField.
const NameLambda = "lambda"

// ExponentialField is a thawing scalar field with the potential
// V ∝ exp(−λκφ), at rest early on (friedmann.FieldSystem): no closed form.
// λ = 0 is a cosmological constant.
type ExponentialField struct{}

var paramLambda = []param.Param{{Name: NameLambda, Label: `\lambda`, Doc: "slope of the potential V ∝ exp(−λκφ)",
	Min: 0, Max: 3, Lo: 0, Hi: 10, Fiducial: 0.5, EmuBox: [2]float64{0, 2}}}

// Params returns λ.
func (ExponentialField) Params() []param.Param { return paramLambda }

// Check refuses Ωm + Ω_r ≥ 1: no room for the field's energy.
func (ExponentialField) Check(p *Params) error {
	if or := p.OmegaRToday(); !(p.Om+or < 1) {
		return &PointError{Param: NameOm, Value: p.Om,
			Reason: fmt.Sprintf("no room for the scalar field: Ωm + Ω_r = %.6g must be < 1", p.Om+or)}
	}
	return nil
}

// Setup sets the slope of the potential.
func (ExponentialField) Setup(sys *friedmann.FieldSystem, v Values) { sys.Lambda = v[0] }

// GuessShift is an empirical shift of ln y_i, fitted to converged roots
// for Ωm ∈ [0.05, 0.7] and λ ≤ 2 (within 30% of them).
func (ExponentialField) GuessShift(v Values, om float64) float64 {
	l2 := v[0] * v[0]
	if l2 == 0 {
		return 0
	}
	u := -math.Log(om)
	return l2 * u * (0.073 + 0.014*u) * (1 + 0.1*l2)
}

// Quintessence is the flat universe with the thawing exponential field.
var Quintessence = mustModel(ModelSpec{Name: "quintessence", Doc: "flat, thawing scalar field with V ∝ exp(−λκφ), at rest at N = −12", DarkEnergy: ExponentialField{},
	// Where the growth network reaches 1e-5 (docs/growth.md).
	GrowthBoxes: map[string][2]float64{NameOm: {0.15, 0.7}, NameMnu: {0, 0.3}}})
