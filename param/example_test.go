package param_test

import (
	"fmt"
	"log"

	"github.com/cosmoemu/cosmoemu/param"
)

func ExampleParsePrior() {
	om := param.Param{Name: "Om", Min: 0.01, Max: 0.99, Lo: 0, Hi: 1}
	// A Gaussian is truncated to the parameter's default box.
	pr, err := param.ParsePrior(om, "gauss:0.3:0.02")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(pr, pr.IsGaussian())
	_, err = param.ParsePrior(om, "-0.1:0.5")
	fmt.Println(err)
	// Output:
	// gauss:0.3:0.02:0.01:0.99 true
	// prior of Om "-0.1:0.5": the box [-0.1, 0.5] leaves the physical range [0, 1] of Om
}

func ExampleNewSpace() {
	om := param.Param{Name: "Om", Min: 0.01, Max: 0.99, Lo: 0, Hi: 1}
	h0 := param.Param{Name: "H0", Unit: "km/s/Mpc", Min: 20, Max: 100, Lo: 0, Hi: 1000, LoOpen: true}
	s, err := param.NewSpace([]param.Param{om, h0}, []param.Prior{param.Uniform(0.1, 0.5), param.Gauss(73.04, 1.04, 60, 90)})
	if err != nil {
		log.Fatal(err)
	}
	// Code that reads θ looks positions up by name once.
	i := s.Index("H0")
	theta := []float64{0.3, 73.04}
	fmt.Println(s.Dim(), s.Names(), i, s.Contains(theta))
	// ln π = −ln 0.4 − ln(1.04 √(2π)), the Gaussian's mass in [60, 90]
	// being 1 to 10⁻³⁶.
	fmt.Printf("ln π = %.4f\n", s.LogPrior(theta))
	// Output:
	// 2 [Om H0] 1 true
	// ln π = -0.0419
}
