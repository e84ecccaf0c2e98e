package nested

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// Result is the outcome of a run.
type Result struct {
	// LogZ is ln Z, Z = ∫ L(θ) π(θ) dθ with π the normalized prior that
	// Transform encodes. LogZErr is its one-standard-deviation statistical
	// error √(H/Live + v₀), v₀ = (1 − f)/Live the variance of ln f, f the
	// estimated fraction of the prior where L > 0 (0 when it is all).
	LogZ, LogZErr float64
	// Information is H = ∫ P ln(P/π) dθ in nats, P the posterior: the
	// prior-to-posterior compression, ln Z's error being √(H/Live).
	Information float64
	// Samples holds the dead points in the order they died, then the
	// final live points by increasing ln L: one row per sample, θ
	// coordinates. LogL is their ln L, LogWeights their normalized ln
	// posterior weights (Σ exp = 1).
	Samples    *mat.Dense
	LogL       []float64
	LogWeights []float64
	// ESS is Kish's effective sample size of the weights, (Σw)²/Σw².
	ESS float64

	Live       int    // live points
	Calls      int64  // likelihood calls
	Iterations int    // dead points (Samples has Iterations + Live rows)
	Stop       string // StopConverged, StopMaxCalls or StopCancelled
	// LogPriorFraction is ln f, f the fraction of the prior where L > 0,
	// estimated as Live/M from the M prior draws it took to find the first
	// Live points with a finite ln L.
	LogPriorFraction float64
	// LogLikeNorm is Settings.LogLikeNorm, for the files.
	LogLikeNorm float64
}

// result assembles the weighted samples: the dead points, then the live
// points as the final iterations (dynesty's add_live): sorted by ln L, the
// k-th (k = 1…Live) is given ln X = ln X_n + ln(1 − k/(Live+1)), the
// expected volumes of Live uniform order statistics, X_n being the volume
// at the last dead point. The weights use the same trapezoid rule as the
// running evidence.
func (s *sampler) result(stop string) *Result {
	d, n := s.d, s.n
	nd := len(s.deadL)
	total := nd + n
	res := &Result{
		Samples:          mat.NewDense(total, d, nil),
		LogL:             make([]float64, total),
		LogWeights:       make([]float64, total),
		Live:             n,
		Calls:            s.calls,
		Iterations:       nd,
		Stop:             stop,
		LogPriorFraction: s.logX0,
		LogLikeNorm:      s.s.LogLikeNorm,
	}
	raw := res.Samples.RawMatrix().Data
	copy(raw, s.deadT)
	copy(res.LogL, s.deadL)
	logZ, prev := math.Inf(-1), math.Inf(-1)
	for i, l := range s.deadL {
		lw := logAddExp(prev, l) - math.Ln2 + s.lnX(i) + s.logShrink
		res.LogWeights[i] = lw
		logZ = logAddExp(logZ, lw)
		prev = l
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(s.liveL[a], s.liveL[b]) })
	logDX := s.lnX(nd) - math.Log(float64(n+1))
	for k, i := range order {
		l := s.liveL[i]
		lw := logAddExp(prev, l) - math.Ln2 + logDX
		res.LogWeights[nd+k] = lw
		res.LogL[nd+k] = l
		copy(raw[(nd+k)*d:(nd+k+1)*d], s.liveT[i*d:(i+1)*d])
		logZ = logAddExp(logZ, lw)
		prev = l
	}
	res.LogZ = logZ
	h, sum2 := 0.0, 0.0
	for i, lw := range res.LogWeights {
		lw -= logZ
		res.LogWeights[i] = lw
		p := math.Exp(lw)
		if p > 0 {
			h += p * (res.LogL[i] - logZ)
		}
		sum2 += p * p
	}
	res.Information = math.Max(h, 0)
	res.ESS = 1 / sum2
	f := math.Exp(s.logX0)
	res.LogZErr = math.Sqrt(res.Information/float64(n) + (1-f)/float64(n))
	return res
}

// Weights returns the normalized posterior weights exp(LogWeights).
func (r *Result) Weights() []float64 {
	w := make([]float64, len(r.LogWeights))
	for i, lw := range r.LogWeights {
		w[i] = math.Exp(lw)
	}
	return w
}

// Mean sets dst to the posterior mean of θ and returns it; a nil dst is
// allocated.
func (r *Result) Mean(dst []float64) []float64 {
	_, d := r.Samples.Dims()
	if dst == nil {
		dst = make([]float64, d)
	}
	if len(dst) != d {
		panic(fmt.Sprintf("nested: Mean: len(dst) = %d, want %d", len(dst), d))
	}
	w := r.Weights()
	col := make([]float64, len(w))
	for j := range d {
		mat.Col(col, j, r.Samples)
		dst[j] = stat.Mean(col, w)
	}
	return dst
}

// Cov sets dst to the posterior covariance of θ, Σ_i w_i (θ_i − θ̄)(θ_i − θ̄)ᵀ
// with the normalized weights, and returns it; a nil dst is allocated.
// (gonum's stat.CovarianceMatrix takes weights as frequencies and divides
// by Σw − 1, which is 0 here.)
func (r *Result) Cov(dst *mat.SymDense) *mat.SymDense {
	rows, d := r.Samples.Dims()
	if dst == nil {
		dst = mat.NewSymDense(d, nil)
	}
	if dst.SymmetricDim() != d {
		panic(fmt.Sprintf("nested: Cov: dst is %d×%d, want %d×%d", dst.SymmetricDim(), dst.SymmetricDim(), d, d))
	}
	mean := r.Mean(nil)
	c := make([]float64, d*d)
	x := make([]float64, d)
	for i := range rows {
		w := math.Exp(r.LogWeights[i])
		if w == 0 {
			continue
		}
		floats.SubTo(x, r.Samples.RawRowView(i), mean)
		for a := range d {
			for b := a; b < d; b++ {
				c[a*d+b] += w * x[a] * x[b]
			}
		}
	}
	for a := range d {
		for b := a; b < d; b++ {
			dst.SetSym(a, b, c[a*d+b])
		}
	}
	return dst
}

// Quantile returns the weighted posterior p-quantile of parameter j (the
// smallest sample value whose cumulative weight reaches p, as
// gonum/stat.Quantile with stat.Empirical).
func (r *Result) Quantile(j int, p float64) float64 {
	n, _ := r.Samples.Dims()
	x := make([]float64, n)
	mat.Col(x, j, r.Samples)
	w := r.Weights()
	stat.SortWeighted(x, w)
	return stat.Quantile(p, stat.Empirical, x, w)
}

// Resample returns n equally weighted posterior samples (rows), drawn by
// systematic resampling: sample i is repeated about n·w_i times, which has
// less noise than n independent draws. n ≤ 0 means round(ESS).
func (r *Result) Resample(rng *rand.Rand, n int) *mat.Dense {
	if n <= 0 {
		n = max(1, int(math.Round(r.ESS)))
	}
	rows, d := r.Samples.Dims()
	w := r.Weights()
	cum := make([]float64, rows)
	floats.CumSum(cum, w)
	cum[rows-1] = math.Max(cum[rows-1], 1)
	out := mat.NewDense(n, d, nil)
	off := rng.Float64()
	i := 0
	for k := range n {
		u := (float64(k) + off) / float64(n)
		for i < rows-1 && cum[i] <= u {
			i++
		}
		out.SetRow(k, r.Samples.RawRowView(i))
	}
	return out
}
