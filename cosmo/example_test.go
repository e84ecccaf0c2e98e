package cosmo_test

import (
	"fmt"
	"math"

	"github.com/cosmoemu/cosmoemu/cosmo"
	"github.com/cosmoemu/cosmoemu/param"
)

// A model by name, a point on its named parameters (Σmν and N_eff take
// their defaults), and its closed-form expansion rate.
func ExampleLookup() {
	m, err := cosmo.Lookup("w0wacdm")
	if err != nil {
		panic(err)
	}
	p, err := m.NewParams(map[string]float64{"Om": 0.31, "w0": -0.7, "wa": -1, "H0": 67})
	if err != nil {
		panic(err)
	}
	e := m.Expansion(&p)
	for _, z := range []float64{0.5, 2.33} {
		fmt.Printf("z = %4.2f: H = %.3f km/s/Mpc, w = %.3f\n", z, p.H0*math.Sqrt(e.E2(1+z, math.Log1p(z))), e.W(z))
	}
	fmt.Printf("Σmν = %g eV, N_eff = %g, Ω_ν = %.5f (in Om)\n", p.Mnu, p.Nnu, p.OmegaNu())
	// Output:
	// z = 0.50: H = 91.057 km/s/Mpc, w = -1.033
	// z = 2.33: H = 231.194 km/s/Mpc, w = -1.400
	// Σmν = 0.06 eV, N_eff = 3.044, Ω_ν = 0.00144 (in Om)
}

// slowRoll is a dark energy of one parameter that the module does not
// ship: w(a) = −1 + δ·a³, with the closed form
// ln(ρ/ρ0) = 3∫_a^1 δa'² da' = δ(1 − a³).
type slowRoll struct{}

func (slowRoll) Params() []param.Param {
	return []param.Param{{Name: "delta", Label: `\delta`, Doc: "w(a) = −1 + δa³", Min: 0, Max: 1, Lo: -1, Hi: 2}}
}
func (slowRoll) Check(*cosmo.Params) error           { return nil }
func (slowRoll) W(a float64, v cosmo.Values) float64 { return -1 + v[0]*a*a*a }
func (slowRoll) Constant(v cosmo.Values) bool        { return v[0] == 0 }
func (slowRoll) LnDensity(x, _ float64, v cosmo.Values) float64 {
	return v[0] * (1 - math.Exp(-3*x)) // x = ln(1+z) = −ln a
}

// A new model is one value: its dark energy supplies w(a) and its density,
// and its parameters are declared once.
func ExampleNewModel() {
	m, err := cosmo.NewModel(cosmo.ModelSpec{Name: "slowroll", Doc: "flat, w(a) = −1 + δa³", DarkEnergy: slowRoll{}})
	if err != nil {
		panic(err)
	}
	fmt.Println(m.Params())
	p, err := m.NewParams(map[string]float64{"Om": 0.3, "delta": 0.2, "H0": 70})
	if err != nil {
		panic(err)
	}
	e := m.Expansion(&p)
	fmt.Printf("E(1) = %.5f, w(z = 0) = %.2f\n", math.Sqrt(e.E2(2, math.Log(2))), e.W(0))
	// Output:
	// [Om delta H0]
	// E(1) = 1.79860, w(z = 0) = -0.80
}
