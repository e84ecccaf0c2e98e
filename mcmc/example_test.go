package mcmc_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/cosmoemu/cosmoemu/mcmc"
)

// A target that hands the sampler a derived parameter it computes anyway,
// row by row (Derived) and for a block of proposals at once
// (BatchDerived): here χ² of a 2-D Gaussian.
func ExampleTarget_batchDerived() {
	chi2 := func(x []float64) float64 { return (x[0]*x[0] + x[1]*x[1]) / 0.25 }
	row := func(x, der []float64) float64 {
		der[0] = chi2(x)
		return -0.5 * der[0]
	}
	t := mcmc.Target{
		LogProb: func(x []float64) float64 { return -0.5 * chi2(x) },
		Derived: row,
		BatchDerived: func(dst []float64, xs, der *mat.Dense) {
			for i := range dst {
				dst[i] = row(xs.RawRowView(i), der.RawRowView(i))
			}
		},
	}
	res, err := mcmc.RunEnsemble(context.Background(), t, &mcmc.EnsembleSettings{
		Settings: mcmc.Settings{Steps: 3000, Start: []float64{0.1, -0.1}, Names: []string{"a", "b"}, Derived: []string{"chi2"}},
		Walkers:  16,
	}, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		fmt.Println(err)
		return
	}
	c := res.Chain
	mean := 0.0
	for _, v := range c.Derived[res.Summary.Burn*c.Walkers:] {
		mean += v
	}
	mean /= float64(res.Summary.Samples)
	fmt.Printf("mean χ² %.0f (χ² of 2 degrees of freedom: 2)\n", mean)
	// Output:
	// mean χ² 2 (χ² of 2 degrees of freedom: 2)
}

// The maximum of a posterior and the Gaussian approximation there.
func ExampleBestFit() {
	lp := func(x []float64) float64 {
		d0, d1 := (x[0]-0.3)/0.02, (x[1]-70)/1.5
		return -0.5 * (d0*d0 + d1*d1)
	}
	opt, err := mcmc.BestFit(lp, []float64{0.25, 65}, &mcmc.BestFitSettings{Scale: []float64{0.4, 40}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("Om = %.3f ± %.3f, H0 = %.2f ± %.2f\n", opt.X[0], math.Sqrt(opt.Cov.At(0, 0)), opt.X[1], math.Sqrt(opt.Cov.At(1, 1)))
	// Output:
	// Om = 0.300 ± 0.020, H0 = 70.00 ± 1.50
}
