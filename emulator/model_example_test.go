package emulator_test

import (
	"errors"
	"fmt"

	"github.com/cosmoemu/cosmoemu/backend"
	"github.com/cosmoemu/cosmoemu/cosmo"
	"github.com/cosmoemu/cosmoemu/emulator"
)

// The emulator as a backend: BAO-like distances and the CMB scalars of a
// w0waCDM point, with the solver answering points outside the domain.
func ExampleBackend() {
	req := cosmo.Request{Z: []float64{0.51, 2.33}, Distances: true, CMB: true}
	var stats emulator.Stats
	b := emulator.Backend{Fallback: backend.Solver{}, Stats: &stats}
	ev, err := b.NewEvaluator(cosmo.W0WaCDM, req)
	if err != nil {
		panic(err)
	}
	res := cosmo.NewResult(req)
	for _, w0 := range []float64{-0.75, -2.5} { // the second is outside the domain
		p := cosmo.Params{Nnu: 3.044, Om: 0.31, DE: cosmo.Values{w0, -0.7}, H0: 68, Ombh2: 0.0224, HasOmbh2: true}
		if err := ev.Eval(res, &p); err != nil {
			panic(err)
		}
		fmt.Printf("w0 = %5.2f: D_M(0.51) = %.1f Mpc, D_H(2.33) = %.1f Mpc, r_s(z*) = %.2f Mpc, l_A = %.2f\n",
			w0, res.DM[0], res.DH(1), res.RsStar, res.AcousticScale())
	}
	fmt.Printf("%d evaluations, %d by the fallback\n", stats.Evaluations(), stats.Fallbacks())

	// Without a fallback, that point is an error.
	ev, _ = emulator.Backend{}.NewEvaluator(cosmo.W0WaCDM, req)
	p := cosmo.Params{Nnu: 3.044, Om: 0.31, DE: cosmo.Values{-2.5, -0.7}, H0: 68, Ombh2: 0.0224, HasOmbh2: true}
	var de *emulator.DomainError
	fmt.Println(errors.As(ev.Eval(res, &p), &de), de.Param)
	// Output:
	// w0 = -0.75: D_M(0.51) = 1919.1 Mpc, D_H(2.33) = 1270.1 Mpc, r_s(z*) = 144.01 Mpc, l_A = 300.07
	// w0 = -2.50: D_M(0.51) = 2348.2 Mpc, D_H(2.33) = 1302.4 Mpc, r_s(z*) = 144.01 Mpc, l_A = 319.77
	// 2 evaluations, 1 by the fallback
	// true w0
}
