package fastmath

import (
	"fmt"
	"math"
	"testing"
)

// The results quoted in the comments of exp.go and coarse.go, measured on
// the project's 2-core Intel Xeon (AVX2 + FMA) with
//
//	go test -run xxx -bench . ./internal/fastmath

var sink float64

// BenchmarkLatency chains each function on its own result, as the solver's
// step-size controller does: the next step waits for the value.
func BenchmarkLatency(b *testing.B) {
	for _, f := range []struct {
		name string
		fn   func(float64) float64
	}{{"CoarseExp", CoarseExp}, {"Exp", Exp}, {"math.Exp", math.Exp}} {
		b.Run(f.name, func(b *testing.B) {
			x := 0.5
			for b.Loop() {
				x = f.fn(x) * 0.25 // stays in [0.25, 0.42]
			}
			sink = x
		})
	}
}

func benchSlice(n int) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = -3 + 6*float64(i)/float64(n)
	}
	return x
}

// BenchmarkSigmoidBias is a hidden layer of 150 sigmoid units, the paper's
// network: the vector loop, the scalar one and math.Exp.
func BenchmarkSigmoidBias(b *testing.B) {
	z0, bias := benchSlice(150), benchSlice(150)
	z := make([]float64, len(z0))
	for _, f := range []struct {
		name string
		fn   func(z, b []float64)
	}{
		{"vector", SigmoidBias},
		{"scalar", func(z, b []float64) {
			for j := range z {
				z[j] = Sigmoid(z[j] + b[j])
			}
		}},
		{"math.Exp", func(z, b []float64) {
			for j := range z {
				z[j] = 1 / (1 + math.Exp(-(z[j] + b[j])))
			}
		}},
	} {
		b.Run(f.name, func(b *testing.B) {
			for b.Loop() {
				copy(z, z0)
				f.fn(z, bias)
			}
		})
	}
}

// BenchmarkScaleExp is H = H0·exp(ln E) at 31 redshifts, the emulator's
// query beyond its late-time network.
func BenchmarkScaleExp(b *testing.B) {
	for _, n := range []int{31} {
		x0 := benchSlice(n)
		x := make([]float64, n)
		for _, f := range []struct {
			name string
			fn   func(x []float64, s float64)
		}{
			{"vector", ScaleExp},
			{"scalar", func(x []float64, s float64) {
				for i := range x {
					x[i] = s * Exp(x[i])
				}
			}},
			{"math.Exp", func(x []float64, s float64) {
				for i := range x {
					x[i] = s * math.Exp(x[i])
				}
			}},
		} {
			b.Run(fmt.Sprintf("%s/n=%d", f.name, n), func(b *testing.B) {
				for b.Loop() {
					copy(x, x0)
					f.fn(x, 70)
				}
			})
		}
	}
}
