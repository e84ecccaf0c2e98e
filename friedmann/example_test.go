package friedmann_test

import (
	"fmt"
	"log"

	"github.com/cosmoemu/cosmoemu/friedmann"
)

func ExampleLCDM() {
	m, err := friedmann.LCDM(0.3, 70)
	if err != nil {
		log.Fatal(err)
	}
	for _, z := range []float64{0, 1, 2} {
		om := m.Omegas(nil, friedmann.NOfZ(z))
		fmt.Printf("z = %g: H = %.3f km/s/Mpc, Ω_r = %.5f, Ω_m = %.4f, Ω_Λ = %.4f\n", z, m.HZ(z), om[0], om[1], om[2])
	}
	fmt.Printf("q0 = %.4f\n", m.Decel(0))
	_, err = friedmann.LCDM(1.2, 70)
	fmt.Println(err)
	// Output:
	// z = 0: H = 70.000 km/s/Mpc, Ω_r = 0.00010, Ω_m = 0.3000, Ω_Λ = 0.6999
	// z = 1: H = 123.278 km/s/Mpc, Ω_r = 0.00052, Ω_m = 0.7738, Ω_Λ = 0.2257
	// z = 2: H = 207.748 km/s/Mpc, Ω_r = 0.00092, Ω_m = 0.9196, Ω_Λ = 0.0795
	// q0 = -0.5498
	// friedmann: parameter Om0 = 1.2 is outside the allowed range (0, 0.9999)
}
