package nn

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// paperData returns the training rows of a synthetic version of the
// paper's emulator grid: 41 × 25 × 30 = 30,750 points (N, Ω_m0, H0) with
// N ∈ [−12, 0], Ω_m0 ∈ [0.1, 0.5], H0 ∈ [66, 80], of which a seeded 80%
// (24,600 rows) is kept. Inputs are min-max scaled to [0, 1]; the four
// targets are smooth functions in [0, 1]: Ω_m, Ω_r and Ω_Λ of a flat ΛCDM
// background, and log E(N) rescaled.
func paperData() (x, y *mat.Dense) {
	const nN, nOm, nH = 41, 25, 30
	rows := make([][7]float64, 0, nN*nOm*nH)
	for i := 0; i < nN; i++ {
		n := -12 + 12*float64(i)/(nN-1)
		for j := 0; j < nOm; j++ {
			om0 := 0.1 + 0.4*float64(j)/(nOm-1)
			for k := 0; k < nH; k++ {
				h0 := 66 + 14*float64(k)/(nH-1)
				or0 := 4.2e-5 / (h0 / 100) / (h0 / 100)
				a := math.Exp(n)
				e2 := om0/(a*a*a) + or0/(a*a*a*a) + (1 - om0 - or0)
				rows = append(rows, [7]float64{
					(n + 12) / 12, (om0 - 0.1) / 0.4, (h0 - 66) / 14,
					om0 / (a * a * a) / e2, or0 / (a * a * a * a) / e2, (1 - om0 - or0) / e2,
					math.Log(e2) / 2 / 26,
				})
			}
		}
	}
	rnd := rand.New(rand.NewPCG(2022, 1))
	rnd.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
	rows = rows[:len(rows)*8/10]
	x = mat.NewDense(len(rows), 3, nil)
	y = mat.NewDense(len(rows), 4, nil)
	for i, r := range rows {
		x.SetRow(i, r[:3])
		y.SetRow(i, r[3:])
	}
	return x, y
}

// BenchmarkTrainEpochPaper trains the paper's emulator network
// (3 → 4×150 sigmoid → 4 linear, RMSprop, MSE) on 24,600 rows: one epoch
// per iteration, reported as s/epoch. Without a workers suffix it uses
// GOMAXPROCS goroutines.
func BenchmarkTrainEpochPaper(b *testing.B) {
	x, y := paperData()
	if r, _ := x.Dims(); r != 24600 {
		b.Fatalf("%d rows", r)
	}
	for _, c := range []struct{ batch, workers int }{{32, 0}, {64, 0}, {32, 1}, {64, 1}} {
		name := fmt.Sprintf("batch=%d", c.batch)
		if c.workers > 0 {
			name += fmt.Sprintf("/workers=%d", c.workers)
		}
		b.Run(name, func(b *testing.B) {
			rnd := rand.New(rand.NewPCG(1, 2))
			net, _ := New(paperSizes, paperActs)
			net.Init(GlorotUniform, rnd)
			s := &Settings{Epochs: b.N, BatchSize: c.batch, Optimizer: &RMSprop{}, Workers: c.workers}
			b.ReportAllocs()
			b.ResetTimer()
			h, err := Train(context.Background(), net, x, y, s, rnd)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/epoch")
			b.ReportMetric(h.Loss[len(h.Loss)-1], "loss")
		})
	}
}

// BenchmarkForward is the single-sample forward pass with a reused
// workspace (0 allocs/op).
func BenchmarkForward(b *testing.B) {
	for _, c := range []struct {
		name  string
		sizes []int
		acts  []Activation
	}{
		{"1-32-32-60-tanh", []int{1, 32, 32, 60}, []Activation{Tanh, Tanh, Linear}},
		{"paper-3-150x4-4-sigmoid", paperSizes, paperActs},
	} {
		b.Run(c.name, func(b *testing.B) {
			rnd := rand.New(rand.NewPCG(3, 4))
			net, _ := New(c.sizes, c.acts)
			net.Init(GlorotUniform, rnd)
			ws := net.NewWorkspace()
			x := make([]float64, c.sizes[0])
			for i := range x {
				x[i] = rnd.Float64()
			}
			out := make([]float64, net.Outputs())
			b.ReportAllocs()
			for b.Loop() {
				ws.Forward(out, x)
			}
		})
	}
}

// BenchmarkPredictPaper is the batched forward pass of the paper network
// over the 24,600 training rows.
func BenchmarkPredictPaper(b *testing.B) {
	x, _ := paperData()
	rnd := rand.New(rand.NewPCG(5, 6))
	net, _ := New(paperSizes, paperActs)
	net.Init(GlorotUniform, rnd)
	var out mat.Dense
	for b.Loop() {
		net.Predict(&out, x)
	}
}
