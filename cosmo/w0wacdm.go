package cosmo

import "github.com/cosmoemu/cosmoemu/param"

// Names of the parameters of CPL.
const (
	NameW0 = "w0"
	NameWa = "wa"
)

// CPL is the Chevallier–Polarski–Linder dark energy,
// w(a) = w0 + wa(1 − a), with w0 + wa < 0 so that it is subdominant at
// early times:
//
//	ρ_DE/ρ_DE0 = (1+z)^{3(1+w0+wa)} e^{−3wa z/(1+z)}.
type CPL struct{}

var paramsCPL = []param.Param{
	{Name: NameW0, Label: `w_0`, Doc: "CPL equation of state today",
		Min: -3, Max: 1, Lo: -10, Hi: 10, Fiducial: -0.9, EmuBox: [2]float64{-2, 0}},
	{Name: NameWa, Label: `w_a`, Doc: "CPL slope, w(a) = w0 + wa(1 − a)",
		Min: -3, Max: 2, Lo: -10, Hi: 10, Fiducial: -0.1, EmuBox: [2]float64{-3, 2}},
}

// Params returns w0 and wa.
func (CPL) Params() []param.Param { return paramsCPL }

// Check refuses w0 + wa ≥ 0.
func (CPL) Check(p *Params) error {
	if s := p.DE[0] + p.DE[1]; !(s < 0) {
		return &PointError{Param: "w0+wa", Value: s, Reason: "dark energy must be subdominant at early times: w0 + wa < 0"}
	}
	return nil
}

// W returns w0 + wa(1 − a).
func (CPL) W(a float64, v Values) float64 { return v[0] + v[1]*(1-a) }

// LnDensity returns 3(1 + w0 + wa)x − 3wa c.
func (CPL) LnDensity(x, c float64, v Values) float64 {
	return 3*(1+v[0]+v[1])*x - 3*v[1]*c
}

// LnDensities writes LnDensity(x_i, c_i) to dst.
func (CPL) LnDensities(dst, x, c []float64, v Values) {
	p3, wa3 := 3*(1+v[0]+v[1]), 3*v[1]
	x, c = x[:len(dst)], c[:len(dst)]
	for j := range dst {
		dst[j] = p3*x[j] - wa3*c[j]
	}
}

// Constant reports whether w0 = −1 and wa = 0.
func (CPL) Constant(v Values) bool { return v[0] == -1 && v[1] == 0 }

// W0WaCDM is flat w0waCDM.
var W0WaCDM = mustModel(ModelSpec{Name: "w0wacdm", Doc: "flat, CPL dark energy w(a) = w0 + wa(1 − a)", DarkEnergy: CPL{},
	// Where DESI-era fits go, for the growth network with its inputs
	// Ω_DE(z): 9.5e-6 at the worst of 60,000 random points
	// (docs/growth.md); w0 + wa < 0 keeps a matter era, where the growth
	// starts.
	GrowthBoxes: map[string][2]float64{NameOm: {0.2, 0.5}, NameMnu: {0, 0.3}, NameW0: {-1.2, -0.4}, NameWa: {-2.2, 0}}})
