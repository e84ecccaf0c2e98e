package emulator

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/cosmoemu/cosmoemu/friedmann"
	"github.com/cosmoemu/cosmoemu/grid"
	"github.com/cosmoemu/cosmoemu/nn"
)

// PaperInitStd is the standard deviation of the paper recipe's normal
// initialization around zero (Keras' RandomNormal default).
const PaperInitStd = 0.05

// trainPaper is the paper's recipe exactly: inputs (N, Ω_m0, H0) unscaled;
// outputs (Ω_m, Ω_r, Ω_Λ, H) min-max scaled to [0, 1]; four hidden layers of
// 150 sigmoid units and a linear output (69,154 parameters); RMSprop with
// rate 1e-3, MSE, batches of 32, 500 epochs, 80/20 split.
func trainPaper(ctx context.Context, g *mat.Dense, set TrainSettings) (*Model, *History, error) {
	rows, _ := g.Dims()
	if rows < 10 {
		return nil, nil, fmt.Errorf("emulator: the grid has %d rows; the paper recipe needs at least 10", rows)
	}
	x := mat.NewDense(rows, 3, nil)
	y := mat.NewDense(rows, 4, nil)
	d := Domain{Om0: [2]float64{math.Inf(1), math.Inf(-1)}, H0: [2]float64{math.Inf(1), math.Inf(-1)}, N: [2]float64{math.Inf(1), math.Inf(-1)}}
	for i := range rows {
		r := g.RawRowView(i)
		for j, v := range r {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, nil, fmt.Errorf("emulator: grid row %d column %s is %v", i, grid.Columns[j], v)
			}
		}
		x.SetRow(i, []float64{r[grid.ColN], r[grid.ColOm0], r[grid.ColH0]})
		y.SetRow(i, []float64{r[grid.ColOmegaM], r[grid.ColOmegaR], r[grid.ColOmegaL], r[grid.ColH]})
		for _, a := range []struct {
			r *[2]float64
			v float64
		}{{&d.N, r[grid.ColN]}, {&d.Om0, r[grid.ColOm0]}, {&d.H0, r[grid.ColH0]}} {
			a.r[0], a.r[1] = min(a.r[0], a.v), max(a.r[1], a.v)
		}
	}
	or0 := friedmann.DefaultOmegaR0
	if err := checkDomain(d, or0); err != nil {
		return nil, nil, fmt.Errorf("emulator: grid: %v", err)
	}
	out := &nn.MinMaxScaler{}
	if err := out.Fit(y); err != nil {
		return nil, nil, err
	}
	sy := scaled(out, y)

	sizes := []int{3, 150, 150, 150, 150, 4}
	acts := []nn.Activation{nn.Sigmoid, nn.Sigmoid, nn.Sigmoid, nn.Sigmoid, nn.Linear}
	net, err := nn.New(sizes, acts)
	if err != nil {
		return nil, nil, err
	}
	rnd := rand.New(rand.NewPCG(set.Seed, 0x7061706572))
	net.Init(nn.Normal(PaperInitStd), rnd)

	hist := &History{Network: []string{"point"}}
	var losses, vals []float64
	var stages []string
	h, err := nn.Train(ctx, net, x, sy, &nn.Settings{
		Epochs:             set.Epochs,
		BatchSize:          set.BatchSize,
		Optimizer:          &nn.RMSprop{LearningRate: set.Rate},
		ValidationFraction: set.ValidationFraction,
		Workers:            set.Workers,
		Callback: func(e nn.Epoch) error {
			losses, vals, stages = append(losses, e.Loss), append(vals, e.ValLoss), append(stages, "rmsprop")
			if set.Progress != nil {
				set.Progress("point rmsprop", e.Epoch+1, set.Epochs, e.Loss, e.ValLoss)
			}
			return nil
		},
	}, rnd)
	if err != nil {
		return nil, nil, fmt.Errorf("emulator: training the paper network: %w", err)
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

	m := &Model{
		recipe: RecipePaper,
		or0:    or0,
		domain: d,
		point:  curveNet{net: net, out: out},
		desc:   "paper recipe: (N, Ω_m0, H0) → (Ω_m, Ω_r, Ω_Λ, H), 4×150 sigmoid, outputs min-max scaled to [0, 1]",
		training: TrainingInfo{
			Seed:         set.Seed,
			GridRows:     rows,
			Grid:         fmt.Sprintf("%d rows, Om0 in [%g, %g], H0 in [%g, %g], N in [%g, %g]", rows, d.Om0[0], d.Om0[1], d.H0[0], d.H0[1], d.N[0], d.N[1]),
			Samples:      rows - int(math.Round(set.ValidationFraction*float64(rows))),
			Validation:   int(math.Round(set.ValidationFraction * float64(rows))),
			Optimizer:    fmt.Sprintf("RMSprop (rate %g)", set.Rate),
			Epochs:       len(h.Loss),
			BatchSize:    set.BatchSize,
			LearningRate: set.Rate,
			TrainLoss:    map[string]float64{"point": rec.Train},
			ValLoss:      map[string]float64{"point": rec.Validation},
			Params:       map[string]int{"point": net.NumParams()},
		},
	}
	return m, hist, nil
}
