package speed_test

import (
	"context"
	"fmt"

	"github.com/cosmoemu/cosmoemu/emulator"
	"github.com/cosmoemu/cosmoemu/paper/speed"
)

// Time the embedded Friedmann emulator against the solver on a small
// version of the paper's test and of the likelihood's query (the timings
// vary from run to run; the sizes do not).
func Example() {
	m, err := emulator.DefaultFriedmann()
	if err != nil {
		fmt.Println(err)
		return
	}
	z := []float64{0.1, 0.5, 1, 2}
	r, err := speed.Run(context.Background(), m, z, &speed.Settings{Queries: 200, Pairs: 50, Points: 20})
	if err != nil {
		fmt.Println(err)
		return
	}
	rep := r.Report("default", "four redshifts")
	// The speedups (rep.SpeedupPaperTest, …) are timings: they vary with
	// the machine and its load, so the example prints only the sizes.
	fmt.Printf("%d queries of %d redshifts; %d pairs × %d points; a speedup measured: %v\n",
		rep.Queries, rep.Redshifts, rep.Pairs, rep.Points, rep.SpeedupPaperTest > 0)
	// Output:
	// 200 queries of 4 redshifts; 50 pairs × 20 points; a speedup measured: true
}
