package friedmann

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/cosmoemu/cosmoemu/emulator"
	"github.com/cosmoemu/cosmoemu/friedmann"
	"github.com/cosmoemu/cosmoemu/nn"
)

// PaperInitStd is the standard deviation of the paper recipe's normal
// initialization around zero (Keras' RandomNormal default).
const PaperInitStd = 0.05

// minPaperRows is the fewest points the paper recipe trains on.
const minPaperRows = 10

// trainPaper is the paper's recipe exactly: inputs (N, Ω_m0, H0) unscaled;
// outputs (Ω_m, Ω_r, Ω_Λ, H) min-max scaled to [0, 1]; four hidden layers of
// 150 sigmoid units and a linear output (69,154 parameters); RMSprop with
// rate 1e-3, MSE, batches of 32, 500 epochs, 80/20 split. The samples are
// the points of the set in its order.
func trainPaper(ctx context.Context, set *Set, s *Settings) (*emulator.FriedmannParts, *History, error) {
	rows := set.Len()
	if rows < minPaperRows {
		return nil, nil, fmt.Errorf("train: the training set has %d points; the paper recipe needs at least %d", rows, minPaperRows)
	}
	x := mat.NewDense(rows, 3, nil)
	y := mat.NewDense(rows, 4, nil)
	for i, om0 := range set.Om0 {
		for j, h0 := range set.H0 {
			for k, n := range set.N {
				at := set.At(i, j, k)
				x.SetRow(at, []float64{n, om0, h0})
				y.SetRow(at, []float64{set.OmegaM[at], set.OmegaR[at], set.OmegaL[at], set.H[at]})
			}
		}
	}
	d := emulator.FriedmannDomain{
		Om0: [2]float64{set.Om0[0], set.Om0[len(set.Om0)-1]},
		H0:  [2]float64{set.H0[0], set.H0[len(set.H0)-1]},
		N:   [2]float64{set.N[0], set.N[len(set.N)-1]},
	}
	out := &nn.MinMaxScaler{}
	if err := out.Fit(y); err != nil {
		return nil, nil, fmt.Errorf("train: %w", err)
	}
	sy := scaled(out, y)

	sizes := []int{3, 150, 150, 150, 150, 4}
	acts := []nn.Activation{nn.Sigmoid, nn.Sigmoid, nn.Sigmoid, nn.Sigmoid, nn.Linear}
	net, err := nn.New(sizes, acts)
	if err != nil {
		return nil, nil, fmt.Errorf("train: %w", err)
	}
	rnd := rand.New(rand.NewPCG(s.Seed, 0x7061706572))
	net.Init(nn.Normal(PaperInitStd), rnd)
	p := &emulator.FriedmannParts{
		OmegaR0:     friedmann.DefaultOmegaR0,
		Domain:      d,
		Point:       &emulator.FriedmannNet{Net: net, Out: out},
		Description: "paper recipe: (N, Ω_m0, H0) → (Ω_m, Ω_r, Ω_Λ, H), 4×150 sigmoid, outputs min-max scaled to [0, 1]",
	}
	if _, err := emulator.NewFriedmann(*p); err != nil {
		return nil, nil, fmt.Errorf("train: training set: %w", err)
	}

	hist := &History{Network: []string{"point"}}
	var losses, vals []float64
	var stages []string
	h, err := nn.Train(ctx, net, x, sy, &nn.Settings{
		Epochs:             s.Epochs,
		BatchSize:          s.BatchSize,
		Optimizer:          &nn.RMSprop{LearningRate: s.Rate},
		ValidationFraction: s.ValidationFraction,
		Workers:            s.Workers,
		Callback: func(e nn.Epoch) error {
			losses, vals, stages = append(losses, e.Loss), append(vals, e.ValLoss), append(stages, "rmsprop")
			if s.Progress != nil {
				s.Progress("point rmsprop", e.Epoch+1, s.Epochs, e.Loss, e.ValLoss)
			}
			return nil
		},
	}, rnd)
	if err != nil {
		return nil, nil, fmt.Errorf("train: training the paper network: %w", err)
	}
	rec := LossRecord{Train: math.NaN(), Validation: math.NaN()}
	if n := len(h.Loss); n > 0 {
		rec.Train = h.Loss[n-1]
		if len(h.ValLoss) == n {
			rec.Validation = h.ValLoss[n-1]
		}
	}
	hist.Loss, hist.ValLoss, hist.Stages = [][]float64{losses}, [][]float64{vals}, [][]string{stages}
	hist.Final = []LossRecord{rec}

	nVal := int(math.Round(s.ValidationFraction * float64(rows)))
	p.Training = emulator.FriedmannTraining{
		Seed:         s.Seed,
		GridRows:     rows,
		Grid:         fmt.Sprintf("%d rows, Om0 in [%g, %g], H0 in [%g, %g], N in [%g, %g]", rows, d.Om0[0], d.Om0[1], d.H0[0], d.H0[1], d.N[0], d.N[1]),
		Samples:      rows - nVal,
		Validation:   nVal,
		Optimizer:    fmt.Sprintf("RMSprop (rate %g)", s.Rate),
		Epochs:       len(h.Loss),
		BatchSize:    s.BatchSize,
		LearningRate: s.Rate,
		TrainLoss:    map[string]float64{"point": rec.Train},
		ValLoss:      map[string]float64{"point": rec.Validation},
		Params:       map[string]int{"point": net.NumParams()},
	}
	return p, hist, nil
}
