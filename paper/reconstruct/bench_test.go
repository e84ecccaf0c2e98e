package reconstruct

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/cosmoemu/cosmoemu/likelihood"
)

// BenchmarkTrainOne trains the paper's single network on simulated20 with
// the default settings (3,000 epochs).
func BenchmarkTrainOne(b *testing.B) {
	l, _, err := likelihood.Open("simulated20", nil)
	if err != nil {
		b.Fatal(err)
	}
	d := l.(*likelihood.Hz).Data()
	for b.Loop() {
		if _, err := Train(context.Background(), d, &Settings{Members: new(0)}, rand.New(rand.NewPCG(1, 1))); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEval evaluates a trained network on a 100-point grid; the
// allocations are per call (one workspace), not per point.
func BenchmarkEval(b *testing.B) {
	l, _, err := likelihood.Open("simulated20", nil)
	if err != nil {
		b.Fatal(err)
	}
	d := l.(*likelihood.Hz).Data()
	r, err := Train(context.Background(), d, &Settings{Members: new(0), Epochs: 10}, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		b.Fatal(err)
	}
	z := Grid(0, 3, 100)
	h, s := make([]float64, 100), make([]float64, 100)
	for b.Loop() {
		r.Fit.Eval(h, s, z)
	}
}
