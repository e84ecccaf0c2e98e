package solver_test

import (
	"fmt"
	"log"
	"math"

	"github.com/cosmoemu/cosmoemu/friedmann"
	"github.com/cosmoemu/cosmoemu/solver"
)

// Solve the Ω_i' system of ΛCDM from today (N = 0) back to N = −12 and read
// H at a few output times from the dense output.
func Example() {
	m, err := friedmann.LCDM(0.3, 70)
	if err != nil {
		log.Fatal(err)
	}
	sv, err := solver.New(m.Dim(), &solver.Settings{RTol: 1e-10, ATol: 1e-12})
	if err != nil {
		log.Fatal(err)
	}
	ns := []float64{0, -1, -5, -12}
	sol := make([]float64, len(ns)*m.Dim())
	st, err := sv.Solve(sol, m.Derivs, 0, m.InitialState(nil), ns)
	if err != nil {
		log.Fatal(err)
	}
	for j, n := range ns {
		row := sol[j*m.Dim() : (j+1)*m.Dim()] // Ω_r, Ω_m, Ω_Λ, ln H
		fmt.Printf("N = %3g: Ω_m = %.7f, H = %.6g km/s/Mpc\n", n, row[1], math.Exp(row[3]))
	}
	fmt.Println(st.Accepted > 100, st.Rejected < 10)
	// Output:
	// N =   0: Ω_m = 0.3000000, H = 70 km/s/Mpc
	// N =  -1: Ω_m = 0.8952076, H = 181.609 km/s/Mpc
	// N =  -5: Ω_m = 0.9528603, H = 71015.4 km/s/Mpc
	// N = -12: Ω_m = 0.0180990, H = 1.87125e+10 km/s/Mpc
	// true true
}
