package backend_test

import (
	"fmt"

	"github.com/cosmoemu/cosmoemu/backend"
	"github.com/cosmoemu/cosmoemu/cosmo"
)

// Every observable of `cosmoemu background` at one point, by the closed
// form and by the RK45 solver, with the early universe as CAMB computes
// it (recombination, the default).
func ExampleObserve() {
	m := cosmo.LCDM
	p, err := m.NewParams(map[string]float64{"Om": 0.3153, "H0": 67.36, "ombh2": 0.02237})
	if err != nil {
		panic(err)
	}
	for _, b := range []cosmo.Backend{backend.Analytic{}, backend.Solver{}} {
		bg, err := backend.Observe(b, m, p, []float64{0.51, 2.33}, nil)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%-8s D_M(0.51) = %.2f Mpc, D_H(2.33) = %.2f Mpc, z* = %.2f, 100θ* = %.5f, r_d = %.3f Mpc\n",
			bg.Backend, bg.DM[0], bg.DH[1], *bg.ZStar, *bg.ThetaStar100, *bg.Rd)
	}
	// Output:
	// analytic D_M(0.51) = 1985.81 Mpc, D_H(2.33) = 1267.10 Mpc, z* = 1089.91, 100θ* = 1.04125, r_d = 147.090 Mpc
	// solver   D_M(0.51) = 1985.81 Mpc, D_H(2.33) = 1267.10 Mpc, z* = 1089.91, 100θ* = 1.04125, r_d = 147.090 Mpc
}
