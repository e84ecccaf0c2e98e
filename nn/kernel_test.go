package nn

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestGemmMatchesPortable checks that the assembly kernels (where the CPU
// has them) give the same bits as the portable FMA chains, for shapes that
// exercise the row and column tails, strides and accumulation.
func TestGemmMatchesPortable(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	fill := func(n int) []float64 {
		s := make([]float64, n)
		for i := range s {
			s[i] = rnd.NormFloat64()
		}
		return s
	}
	for _, m := range []int{1, 2, 3, 4, 5, 7, 8, 13} {
		for _, n := range []int{1, 3, 4, 5, 11, 12, 13, 24, 25, 37} {
			for _, kk := range []int{1, 2, 7, 33} {
				for _, trans := range []bool{false, true} {
					for _, acc := range []bool{false, true} {
						var a []float64
						var ars, aks int
						if trans { // A stored kk×(m+2), used transposed
							a, ars, aks = fill(kk*(m+2)), 1, m+2
						} else { // A stored m×(kk+1)
							a, ars, aks = fill(m*(kk+1)), kk+1, 1
						}
						ldb, ldc := n+3, n+2
						b := fill((kk-1)*ldb + n)
						c0 := fill((m-1)*ldc + n + 5)
						want := append([]float64(nil), c0...)
						got := append([]float64(nil), c0...)
						gemmGo(m, n, kk, a, ars, aks, b, ldb, want, ldc, acc)
						gemm(m, n, kk, a, ars, aks, b, ldb, got, ldc, acc)
						for i := range want {
							if math.Float64bits(want[i]) != math.Float64bits(got[i]) {
								t.Fatalf("m=%d n=%d k=%d trans=%v acc=%v: element %d = %v, portable %v", m, n, kk, trans, acc, i, got[i], want[i])
							}
						}
						// Reference in plain arithmetic: the FMA chain agrees to rounding.
						for r := 0; r < m; r++ {
							for j := 0; j < n; j++ {
								s := 0.0
								if acc {
									s = c0[r*ldc+j]
								}
								for k := 0; k < kk; k++ {
									s += a[r*ars+k*aks] * b[k*ldb+j]
								}
								if d := math.Abs(s - got[r*ldc+j]); d > 1e-12*(1+math.Abs(s)) {
									t.Fatalf("m=%d n=%d k=%d: C[%d,%d] = %v, want %v", m, n, kk, r, j, got[r*ldc+j], s)
								}
							}
						}
					}
				}
			}
		}
	}
}

func TestGemvMatchesGemm(t *testing.T) {
	rnd := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{1, 4, 5, 8, 9, 31, 32, 33, 60, 64, 150} {
		for _, kk := range []int{1, 3, 32, 150} {
			x := make([]float64, kk)
			w := make([]float64, kk*n)
			for i := range x {
				x[i] = rnd.NormFloat64()
			}
			for i := range w {
				w[i] = rnd.NormFloat64()
			}
			z := make([]float64, n)
			ref := make([]float64, n)
			gemv(z, x, w, n)
			gemmGo(1, n, kk, x, kk, 1, w, n, ref, n, false)
			for j := range z {
				if math.Float64bits(z[j]) != math.Float64bits(ref[j]) {
					t.Fatalf("n=%d k=%d: z[%d] = %v, gemm %v", n, kk, j, z[j], ref[j])
				}
			}
		}
	}
}

// TestOptimizerVectorMatchesScalar checks the vector optimizer loops
// against the documented operations, bit for bit.
func TestOptimizerVectorMatchesScalar(t *testing.T) {
	rnd := rand.New(rand.NewPCG(13, 14))
	const n = 103
	fill := func() []float64 {
		s := make([]float64, n)
		for i := range s {
			s[i] = rnd.NormFloat64()
		}
		return s
	}
	p, g, m, v := fill(), fill(), fill(), fill()
	for i := range v {
		v[i] *= v[i]
	}
	lr, rho, b1, b2 := 0.003, 0.9, 0.9, 0.999 // variables: 1−ρ rounds as at run time
	rs := &rmspropState{v: append([]float64(nil), v...), rho: rho, eps: 1e-7}
	got := append([]float64(nil), p...)
	rs.update(got, g, 0, n, lr, 1)
	for i := range p {
		vi := math.FMA(rho, v[i], (1-rho)*(g[i]*g[i]))
		want := p[i] - lr*g[i]/math.Sqrt(vi+1e-7)
		if math.Float64bits(got[i]) != math.Float64bits(want) || rs.v[i] != vi {
			t.Fatalf("rmsprop element %d: %v, want %v", i, got[i], want)
		}
	}
	as := &adamState{m: append([]float64(nil), m...), v: append([]float64(nil), v...), b1: b1, b2: b2, eps: 1e-8}
	got = append([]float64(nil), p...)
	as.update(got, g, 0, n, lr, 3)
	c1, c2 := 1/(1-math.Pow(b1, 3)), 1/(1-math.Pow(b2, 3))
	for i := range p {
		mi := math.FMA(b1, m[i], (1-b1)*g[i])
		vi := math.FMA(b2, v[i], (1-b2)*(g[i]*g[i]))
		want := p[i] - lr*(mi*c1)/(math.Sqrt(vi*c2)+1e-8)
		if math.Float64bits(got[i]) != math.Float64bits(want) || as.m[i] != mi || as.v[i] != vi {
			t.Fatalf("adam element %d: %v, want %v", i, got[i], want)
		}
	}
}

// TestSplitPiecesCoversEachRowOnce checks that the phase-2 tasks cover every
// parameter row of every layer exactly once, with balanced costs.
func TestSplitPiecesCoversEachRowOnce(t *testing.T) {
	for _, sizes := range [][]int{{3, 150, 150, 150, 150, 4}, {1, 32, 32, 60}, {2, 1}, {5, 7, 3}} {
		var layers []engLayer
		total := 0
		for l := 1; l < len(sizes); l++ {
			layers = append(layers, engLayer{in: sizes[l-1], out: sizes[l]})
			total += (sizes[l-1] + 1) * sizes[l]
		}
		for _, n := range []int{1, 2, 3, 4, 8, 28} {
			seen := make([][]int, len(layers))
			for l := range layers {
				seen[l] = make([]int, layers[l].in+1)
			}
			maxCost := 0
			for _, task := range splitPieces(layers, n) {
				cost := 0
				for _, p := range task {
					for i := p.i0; i < p.i1; i++ {
						seen[p.layer][i]++
					}
					cost += (p.i1 - p.i0) * layers[p.layer].out
				}
				maxCost = max(maxCost, cost)
			}
			for l := range seen {
				for i, c := range seen[l] {
					if c != 1 {
						t.Fatalf("sizes %v, %d tasks: layer %d row %d covered %d times", sizes, n, l, i, c)
					}
				}
			}
			// Cuts are rounded to blocks of 4 rows: at most 2 rows off at each end.
			maxOut := slices.Max(sizes[1:])
			if maxCost > total/n+4*maxOut {
				t.Errorf("sizes %v, %d tasks: largest task %d of total %d", sizes, n, maxCost, total)
			}
		}
	}
}
