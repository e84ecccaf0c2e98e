package reconstruct_test

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/cosmoemu/cosmoemu/likelihood"
	"github.com/cosmoemu/cosmoemu/paper/reconstruct"
)

// Reconstruct H(z) from the cosmic chronometers with a small network and
// a three-member ensemble, and compare with the flat ΛCDM best fit.
func Example() {
	l, _, err := likelihood.Open("cc31", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	hz := l.(*likelihood.Hz).Data()
	members := 3
	res, err := reconstruct.Train(context.Background(), hz, &reconstruct.Settings{
		Hidden: 20, Epochs: 300, Members: &members,
	}, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		fmt.Println(err)
		return
	}
	lcdm, err := reconstruct.FitLCDM(hz)
	if err != nil {
		fmt.Println(err)
		return
	}
	rep := res.Report(lcdm, reconstruct.Grid(0.07, 1.965, 40), 20, 300, 1)
	fmt.Printf("%s: %d points, %d training, %d validation; %d ensemble members\n",
		rep.Data, rep.Points, len(rep.TrainPoints), len(rep.ValPoints), rep.Members)
	fmt.Printf("ΛCDM: Ωm = %.2f, H0 = %.0f km/s/Mpc; curves on %d redshifts\n", rep.LCDM.Om0, rep.LCDM.H0, len(rep.Z))
	// Output:
	// cc31: 31 points, 25 training, 6 validation; 3 ensemble members
	// ΛCDM: Ωm = 0.32, H0 = 68 km/s/Mpc; curves on 40 redshifts
}
