package growth_test

import (
	"fmt"
	"log"

	"github.com/cosmoemu/cosmoemu/growth"
)

// The growth of flat ΛCDM with radiation (Ω_r h² = 4.18e-5, h = 0.6766)
// at the redshifts of BOSS DR12, and fσ8 for σ8,0 = 0.81; then the same
// without radiation from Heath's integral.
func Example() {
	z := []float64{0.38, 0.51, 0.61}
	ev, err := growth.NewEvaluator(z, nil)
	if err != nil {
		log.Fatal(err)
	}
	res := growth.NewResult(len(z)) // reuse it: Eval does not allocate
	if err := ev.Eval(res, &growth.CPL{Om: 0.31, Or: 9.139e-5, W0: -1}); err != nil {
		log.Fatal(err)
	}
	const sigma8 = 0.81
	for i, zi := range z {
		fmt.Printf("z = %.2f: D/D0 = %.6f, f = %.6f, fσ8 = %.6f\n", zi, res.DRatio[i], res.F[i], sigma8*res.FSigma8[i])
	}
	fmt.Printf("D0 = %.6f\n", res.D0)

	h, err := growth.NewHeath(z)
	if err != nil {
		log.Fatal(err)
	}
	if err := h.Eval(res, 0.31, 0); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("no radiation: f(0.38) = %.6f, D0 = %.6f\n", res.F[0], res.D0)

	// A closed universe that stops expanding in the past has no growth.
	err = ev.Eval(res, &growth.CPL{Om: 0.05, Or: 9e-5, Ok: -1.5, W0: -1})
	fmt.Println(err)
	// Output:
	// z = 0.38: D/D0 = 0.819068, f = 0.713466, fσ8 = 0.473345
	// z = 0.51: D/D0 = 0.766469, f = 0.760316, fσ8 = 0.472034
	// z = 0.61: D/D0 = 0.729273, f = 0.790791, fσ8 = 0.467129
	// D0 = 0.785211
	// no radiation: f(0.38) = 0.713565, D0 = 0.784913
	// growth: at z = 27.4796: E² reaches 0: the expansion stops there (a bounce); no growth history
}
