package cosmo

import "github.com/cosmoemu/cosmoemu/param"

// NameW is the parameter of ConstantW.
const NameW = "w"

// ConstantW is dark energy with a constant equation of state w < 0:
// ρ_DE ∝ (1+z)^{3(1+w)}.
type ConstantW struct{}

var paramW = []param.Param{{Name: NameW, Label: `w`, Doc: "constant dark-energy equation of state",
	Min: -3, Max: 1, Lo: -10, Hi: 10, Fiducial: -1, EmuBox: [2]float64{-2, 0}}}

// Params returns w.
func (ConstantW) Params() []param.Param { return paramW }

// Check refuses w ≥ 0: dark energy must be subdominant at early times.
func (ConstantW) Check(p *Params) error {
	if w := p.DE[0]; !(w < 0) {
		return &PointError{Param: NameW, Value: w, Reason: "dark energy must be subdominant at early times: w < 0"}
	}
	return nil
}

// W returns w.
func (ConstantW) W(_ float64, v Values) float64 { return v[0] }

// LnDensity returns 3(1+w)x.
func (ConstantW) LnDensity(x, _ float64, v Values) float64 { return 3 * (1 + v[0]) * x }

// LnDensities writes 3(1+w)x_i to dst.
func (ConstantW) LnDensities(dst, x, _ []float64, v Values) {
	p3 := 3 * (1 + v[0])
	x = x[:len(dst)]
	for j := range dst {
		dst[j] = p3 * x[j]
	}
}

// Constant reports whether w = −1.
func (ConstantW) Constant(v Values) bool { return v[0] == -1 }

// WCDM is flat wCDM.
var WCDM = mustModel(ModelSpec{Name: "wcdm", Doc: "flat, constant dark-energy equation of state w", DarkEnergy: ConstantW{}})
