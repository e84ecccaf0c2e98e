package likelihood_test

import (
	"fmt"
	"log"
	"math"

	"github.com/cosmoemu/cosmoemu/likelihood"
)

func Example() {
	data, err := likelihood.LoadData(likelihood.CC31)
	if err != nil {
		log.Fatal(err)
	}
	// A closed-form flat ΛCDM backend (Ωr = 1e-4).
	lcdm := likelihood.FuncBackend{ID: "lcdm", H: func(z float64, theta []float64) float64 {
		om, h0, a := theta[0], theta[1], 1+z
		return h0 * math.Sqrt(om*a*a*a+1e-4*a*a*a*a+1-om-1e-4)
	}}
	post, err := likelihood.NewPosterior(lcdm, data, nil) // nil: default prior
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(data.Len(), "points, parameters", post.Prior().Names())
	fmt.Printf("ln P(0.3, 70) = %.4f\n", post.LogProb([]float64{0.3, 70}))
	fmt.Printf("ln P(0.6, 70) = %v (outside the prior)\n", post.LogProb([]float64{0.6, 70}))
	fmt.Println("backend evaluations:", post.Evaluations())
	// Output:
	// 31 points, parameters [Om0 H0]
	// ln P(0.3, 70) = -7.4936
	// ln P(0.6, 70) = -Inf (outside the prior)
	// backend evaluations: 1
}
