package fit_test

import (
	"context"
	"fmt"
	"log"
	"math"

	"github.com/cosmoemu/cosmoemu/cosmo"
	"github.com/cosmoemu/cosmoemu/fit"
)

func ExampleBuild() {
	// Flat ΛCDM on DESI DR2 BAO: fit decides what to sample from what the
	// data declare (BAO need r_d; without ω_b it is free through hrd, and
	// nothing measures H0, which stays at 70 for the radiation density).
	p, err := fit.Build(&fit.Config{Model: cosmo.LCDM, Data: []string{"desi-dr2"}, Sampler: fit.Sampler{Steps: 2000, Seed: 1}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(p.Space.Names(), p.Fixed)
	r, err := p.Run(context.Background(), nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("Ωm = %.2f ± %.2f\n", r.Mean[0], r.Std[0])
	fmt.Println("h·r_d within 1σ of DESI's 101.54 ± 0.73 Mpc:", math.Abs(r.Mean[1]-101.54) < 0.73)
	// Output:
	// [Om hrd] map[H0:70]
	// Ωm = 0.30 ± 0.01
	// h·r_d within 1σ of DESI's 101.54 ± 0.73 Mpc: true
}

func ExampleBuild_mistake() {
	// Mistakes in the configuration are *ConfigError values naming the
	// field and what is wrong.
	_, err := fit.Build(&fit.Config{Data: []string{"desi-dr1", "desi-dr2"}})
	fmt.Println(err)
	_, err = fit.Build(&fit.Config{Data: []string{"desi-dr2"}, Priors: map[string]string{"w": "-2:0"}})
	fmt.Println(err)
	// Output:
	// fit: likelihood: desi-dr1 and desi-dr2 cannot be combined: DESI DR2 supersedes DR1, never combine them
	// fit: prior on w: model lcdm does not take parameter "w" (it takes Om, H0, ombh2, omch2, mnu, nnu, sigma8), nor do the data (hrd)
}
