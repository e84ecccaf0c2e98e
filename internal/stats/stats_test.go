package stats

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/stat"
)

func TestMedian(t *testing.T) {
	for _, tc := range []struct {
		x    []float64
		want float64
	}{
		{[]float64{3}, 3},
		{[]float64{3, 1}, 2},
		{[]float64{5, 1, 3}, 3},
		{[]float64{4, 1, 3, 2}, 2.5}, // numpy.median([4, 1, 3, 2]) = 2.5
		{[]float64{1, 1, 1, 7}, 1},
		{[]float64{-1, math.Inf(1), 2, 3}, 2.5},
	} {
		in := append([]float64(nil), tc.x...)
		if got := Median(in); got != tc.want {
			t.Errorf("Median(%v) = %v, want %v", tc.x, got, tc.want)
		}
		for i := range in {
			if in[i] != tc.x[i] {
				t.Fatalf("Median modified its argument: %v", in)
			}
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("Median of nothing did not panic")
		}
	}()
	Median(nil)
}

// LinInterpQuantiles gives gonum's stat.Quantile(LinInterp) on the sorted
// values bit for bit: random data, many ties, sizes around the sorting
// cut-off, and the probabilities 0 and 1.
func TestLinInterpQuantiles(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	ps := []float64{0, 0.025, 0.16, 0.5, 0.84, 0.975, 1, 1.0 / 3}
	for _, n := range []int{1, 2, 3, 7, 16, 17, 33, 100, 1000, 10007} {
		for _, ties := range []bool{false, true} {
			x := make([]float64, n)
			for i := range x {
				x[i] = rng.NormFloat64()
				if ties {
					x[i] = math.Round(x[i] * 3)
				}
			}
			sorted := slices.Clone(x)
			slices.Sort(sorted)
			got := make([]float64, len(ps))
			LinInterpQuantiles(got, x, ps)
			for j, p := range ps {
				if want := stat.Quantile(p, stat.LinInterp, sorted, nil); got[j] != want {
					t.Errorf("n = %d, ties %v: quantile %v = %v, gonum %v", n, ties, p, got[j], want)
				}
			}
			slices.Sort(x)
			if !slices.Equal(x, sorted) {
				t.Fatalf("n = %d: the values changed, not only their order", n)
			}
		}
	}
	got := []float64{0}
	LinInterpQuantiles(got, []float64{1, math.NaN(), 2}, []float64{0.5})
	if !math.IsNaN(got[0]) {
		t.Errorf("NaN in the data: %v", got[0])
	}
}

func BenchmarkLinInterpQuantiles(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	x := make([]float64, 32*50000)
	for i := range x {
		x[i] = rng.NormFloat64()
	}
	ps := []float64{0.5, 0.16, 0.84, 0.025, 0.975}
	dst := make([]float64, len(ps))
	work := make([]float64, len(x))
	b.Run("select", func(b *testing.B) {
		for b.Loop() {
			copy(work, x)
			LinInterpQuantiles(dst, work, ps)
		}
	})
	b.Run("sort", func(b *testing.B) {
		for b.Loop() {
			copy(work, x)
			slices.Sort(work)
			for j, p := range ps {
				dst[j] = stat.Quantile(p, stat.LinInterp, work, nil)
			}
		}
	})
}
