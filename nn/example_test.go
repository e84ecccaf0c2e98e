package nn_test

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/cosmoemu/cosmoemu/nn"
	"gonum.org/v1/gonum/mat"
)

// Fit XOR with a small tanh network, then evaluate single rows with an
// allocation-free workspace.
func Example() {
	x := mat.NewDense(4, 2, []float64{0, 0, 0, 1, 1, 0, 1, 1})
	y := mat.NewDense(4, 1, []float64{0, 1, 1, 0})

	rnd := rand.New(rand.NewPCG(1, 2))
	net, err := nn.New([]int{2, 8, 1}, []nn.Activation{nn.Tanh, nn.Sigmoid})
	if err != nil {
		panic(err)
	}
	net.Init(nn.GlorotUniform, rnd)
	settings := &nn.Settings{
		Epochs:    500,
		BatchSize: 4,
		Loss:      nn.MSE,
		Optimizer: &nn.Adam{LearningRate: 0.05},
	}
	h, err := nn.Train(context.Background(), net, x, y, settings, rnd)
	if err != nil {
		panic(err)
	}
	fmt.Printf("final MSE below 1e-3: %v\n", h.Loss[len(h.Loss)-1] < 1e-3)

	ws := net.NewWorkspace()
	for i := 0; i < 4; i++ {
		out := ws.Forward(nil, x.RawRowView(i))
		fmt.Printf("%v → %.0f\n", x.RawRowView(i), out[0])
	}
	// Output:
	// final MSE below 1e-3: true
	// [0 0] → 0
	// [0 1] → 1
	// [1 0] → 1
	// [1 1] → 0
}

// Scale inputs to [0, 1] as in the paper, fitting the scaler on training
// data; a constant column maps to the low end instead of NaN.
func ExampleMinMaxScaler() {
	x := mat.NewDense(3, 2, []float64{-12, 0.3, -6, 0.3, 0, 0.3})
	var s nn.MinMaxScaler
	if err := s.Fit(x); err != nil {
		panic(err)
	}
	row := make([]float64, 2)
	s.TransformRow(row, []float64{-3, 0.3})
	fmt.Println(row)
	s.InverseRow(row, row)
	fmt.Println(row)
	// Output:
	// [0.75 0]
	// [-3 0.3]
}
