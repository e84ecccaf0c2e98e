package emulator_test

import (
	"fmt"
	"log"

	"github.com/cosmoemu/cosmoemu/emulator"
)

// The embedded model needs no training: ask it for H at the redshifts of a
// data set, as a likelihood does at every step.
func ExampleFriedmann() {
	m, err := emulator.DefaultFriedmann()
	if err != nil {
		log.Fatal(err)
	}
	z := []float64{0.07, 0.5, 1, 1.965}
	q, err := m.NewQuery(z)
	if err != nil {
		log.Fatal(err)
	}
	h := make([]float64, len(z))
	if err := q.Hubble(h, []float64{0.3, 70}); err != nil {
		log.Fatal(err)
	}
	for i := range z {
		fmt.Printf("H(z = %g) = %.1f km/s/Mpc\n", z[i], h[i])
	}
	// Outside the training domain the emulator refuses to extrapolate.
	fmt.Println(q.Hubble(h, []float64{0.7, 70}))
	// Output:
	// H(z = 0.07) = 72.3 km/s/Mpc
	// H(z = 0.5) = 91.6 km/s/Mpc
	// H(z = 1) = 123.3 km/s/Mpc
	// H(z = 1.965) = 204.4 km/s/Mpc
	// emulator friedmann: Om0 = 0.7 is outside the training domain [0.1, 0.5] (the emulator does not extrapolate; let a fallback answer there)
}
