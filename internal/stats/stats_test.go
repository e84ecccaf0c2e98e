package stats

import (
	"math"
	"testing"
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
