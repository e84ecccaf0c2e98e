package friedmann_test

import (
	"context"
	"fmt"
	"log"

	"github.com/cosmoemu/cosmoemu/grid"
	"github.com/cosmoemu/cosmoemu/paper/friedmann"
)

// Train a small default-recipe emulator on a coarse training set. The
// default recipe's own grid (friedmann.Grid) is much finer, and its training
// longer.
func Example() {
	set, err := friedmann.Build(context.Background(), grid.Spec{
		Om0: grid.Axis{Min: 0.2, Max: 0.4, Count: 21},
		H0:  grid.Axis{Min: 60, Max: 75, Count: 2},
		N:   grid.Axis{Min: -4, Max: 0, Count: 21},
	}, nil)
	if err != nil {
		log.Fatal(err)
	}
	m, hist, err := friedmann.Train(context.Background(), "default", set, &friedmann.Settings{
		Epochs: 60, LBFGSIters: new(60), Hidden: 6, OmegaWidth: 8, Check: new(0),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("networks:", hist.Network)
	fmt.Printf("domain: %+v\n", m.Domain())
	p, err := m.Predict(-1, 0.3, 70)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("H(N = −1) = %.0f km/s/Mpc\n", p.H) // the closed form gives 181.6
	// Output:
	// networks: [lnE omega E_late]
	// domain: {Om0:[0.2 0.4] H0:[60 75] N:[-4 0]}
	// H(N = −1) = 182 km/s/Mpc
}
