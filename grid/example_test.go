package grid_test

import (
	"context"
	"fmt"
	"log"

	"github.com/cosmoemu/cosmoemu/grid"
)

// Build a small grid and look at one row.
func ExampleBuild() {
	spec := grid.Spec{
		Om0: grid.Axis{Min: 0.2, Max: 0.4, Count: 3},
		H0:  grid.Axis{Min: 70, Max: 70, Count: 1},
		N:   grid.Axis{Min: -2, Max: 0, Count: 5},
	}
	g, err := grid.Build(context.Background(), spec, nil)
	if err != nil {
		log.Fatal(err)
	}
	rows, cols := g.Dims()
	fmt.Println(rows, cols, grid.Columns)
	row := g.RawRowView(6) // Om0 = 0.3, N = −1.5
	fmt.Printf("N = %g, Om0 = %.3g, H0 = %g: Ω_m = %.6f, H = %.4f km/s/Mpc\n",
		row[grid.ColN], row[grid.ColOm0], row[grid.ColH0], row[grid.ColOmegaM], row[grid.ColH])
	// Output:
	// 15 7 [N Om0 H0 Omega_r Omega_m Omega_L H]
	// N = -1.5, Om0 = 0.3, H0 = 70: Ω_m = 0.973320, H = 368.7172 km/s/Mpc
}
