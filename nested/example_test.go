package nested_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/cosmoemu/cosmoemu/nested"
)

// A 2-D Gaussian likelihood N(θ; 0, 0.5²I) with a uniform prior on the box
// [−5, 5]²: Z = P(box)/100 ≈ 1/100, ln Z ≈ −4.605.
func Example() {
	p := nested.Problem{
		Dim: 2,
		Transform: func(theta, u []float64) {
			for i := range u {
				theta[i] = -5 + 10*u[i] // uniform prior on [−5, 5]
			}
		},
		LogLike: func(theta []float64) float64 {
			const s = 0.5
			r2 := (theta[0]*theta[0] + theta[1]*theta[1]) / (s * s)
			return -r2/2 - math.Log(2*math.Pi*s*s)
		},
	}
	res, err := nested.Run(context.Background(), p, &nested.Settings{Live: 400}, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("ln Z = %.2f ± %.2f (true %.3f), stopped: %s\n", res.LogZ, res.LogZErr, -math.Log(100), res.Stop)
	mean := res.Mean(nil)
	fmt.Printf("posterior mean (%.1f, %.1f)\n", math.Abs(mean[0]), math.Abs(mean[1]))
	// Output:
	// ln Z = -4.70 ± 0.09 (true -4.605), stopped: converged
	// posterior mean (0.0, 0.0)
}
