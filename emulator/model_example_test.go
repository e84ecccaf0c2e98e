package emulator_test

import (
	"errors"
	"fmt"

	"github.com/cosmoemu/cosmoemu/backend"
	"github.com/cosmoemu/cosmoemu/cosmo"
	"github.com/cosmoemu/cosmoemu/emulator"
)

// The emulator as a backend: BAO-like distances and the CMB scalars of the
// scalar field, with the solver answering points outside the domain.
func ExampleBackend() {
	req := cosmo.Request{Z: []float64{0.51, 2.33}, Distances: true, CMB: true}
	var stats emulator.Stats
	b := emulator.Backend{Fallback: backend.Solver{}, Stats: &stats}
	ev, err := b.NewEvaluator(cosmo.Quintessence, req)
	if err != nil {
		panic(err)
	}
	res := cosmo.NewResult(req)
	for _, h0 := range []float64{68, 95} { // the second is outside the domain
		p := cosmo.Params{Nnu: 3.044, Mnu: 0.06, Om: 0.31, DE: cosmo.Values{0.7}, H0: h0, Ombh2: 0.0224, HasOmbh2: true}
		if err := ev.Eval(res, &p); err != nil {
			panic(err)
		}
		fmt.Printf("H0 = %.0f: D_M(0.51) = %.1f Mpc, D_H(2.33) = %.1f Mpc, r_s(z*) = %.2f Mpc, l_A = %.2f\n",
			h0, res.DM[0], res.DH(1), res.RsStar, res.AcousticScale())
	}
	fmt.Printf("%d evaluations, %d by the fallback\n", stats.Evaluations(), stats.Fallbacks())

	// Without a fallback, that point is an error.
	ev, _ = emulator.Backend{}.NewEvaluator(cosmo.Quintessence, req)
	p := cosmo.Params{Nnu: 3.044, Mnu: 0.06, Om: 0.31, DE: cosmo.Values{0.7}, H0: 95, Ombh2: 0.0224, HasOmbh2: true}
	var de *emulator.DomainError
	fmt.Println(errors.As(ev.Eval(res, &p), &de), de.Param)
	// Output:
	// H0 = 68: D_M(0.51) = 1951.9 Mpc, D_H(2.33) = 1261.0 Mpc, r_s(z*) = 144.34 Mpc, l_A = 299.92
	// H0 = 95: D_M(0.51) = 1397.2 Mpc, D_H(2.33) = 902.8 Mpc, r_s(z*) = 119.23 Mpc, l_A = 260.51
	// 2 evaluations, 1 by the fallback
	// true H0
}
