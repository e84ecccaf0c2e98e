package mcmc

import (
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"gonum.org/v1/gonum/dsp/fourier"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

const (
	// AutocorrWindow is c of Sokal's automatic window: the smallest M
	// with M ≥ c·τ(M). emcee's default.
	AutocorrWindow = 5.0
	// AutocorrTol is the number of autocorrelation times a chain must be
	// longer than for τ to be trusted. emcee's default.
	AutocorrTol = 50.0
)

// acf computes normalized autocorrelation functions of series of one
// length, reusing its FFT and buffers.
type acf struct {
	n    int
	fft  *fourier.FFT
	buf  []float64
	coef []complex128
}

func newACF(n int) *acf {
	m := 2 * nextPow2(n)
	return &acf{n: n, fft: fourier.NewFFT(m), buf: make([]float64, m), coef: make([]complex128, m/2+1)}
}

func nextPow2(n int) int {
	i := 1
	for i < n {
		i <<= 1
	}
	return i
}

// compute stores ρ(t) = c(t)/c(0), t = 0…n−1, of x in dst, where c is the
// autocovariance computed by an FFT of x − mean(x) zero-padded to twice
// the next power of two (no wrap-around). A constant x gives NaN, as in
// emcee.
func (a *acf) compute(dst, x []float64) {
	c0 := a.power(x)
	a.buf = a.fft.Sequence(a.buf, a.coef)
	for i := range dst {
		dst[i] = a.buf[i] / c0
	}
}

// power sets a.coef to the power spectrum |F|² of x − mean(x), zero-padded,
// and returns the autocovariance its inverse transform has at lag 0 (the
// sum over the whole spectrum: 0 for a constant series).
func (a *acf) power(x []float64) float64 {
	// The mean as x₀ + mean(x − x₀) is exactly x₀ for a constant series;
	// the plain sum would leave a rounding residue whose "autocorrelation"
	// is nearly 1 at every lag.
	var mean float64
	for _, v := range x {
		mean += v - x[0]
	}
	mean = x[0] + mean/float64(len(x))
	for i, v := range x {
		a.buf[i] = v - mean
	}
	clear(a.buf[len(x):])
	a.coef = a.fft.Coefficients(a.coef, a.buf)
	var c0 float64
	last := len(a.coef) - 1
	for i, c := range a.coef {
		re, im := real(c), imag(c)
		p := re*re + im*im
		a.coef[i] = complex(p, 0)
		if i == 0 || i == last {
			c0 += p
		} else {
			c0 += 2 * p
		}
	}
	return c0
}

// AutocorrFunc returns the normalized autocorrelation function ρ(t),
// t = 0…len(x)−1, of x, estimated with an FFT as emcee's function_1d. dst
// is used if it has room.
func AutocorrFunc(dst, x []float64) []float64 {
	if len(x) == 0 {
		return dst[:0]
	}
	if cap(dst) < len(x) {
		dst = make([]float64, len(x))
	}
	dst = dst[:len(x)]
	newACF(len(x)).compute(dst, x)
	return dst
}

// IntegratedTime returns the integrated autocorrelation time of each
// parameter of c over steps from…Steps()−1, as emcee 3's integrated_time:
// the autocorrelation functions of the walkers are averaged, giving
// τ(M) = 2 Σ_{t=0..M} ρ̄(t) − 1, and τ = τ(M) at Sokal's window, the first
// M with M ≥ AutocorrWindow·τ(M) (the last lag if there is none). A
// parameter that never moves in some walker gives NaN: its mean is taken
// so that a constant series leaves no rounding residue, which emcee's
// plain mean turns into an "autocorrelation" near 1 at every lag and then
// τ = 1, the time of a perfectly mixed chain.
func IntegratedTime(c *Chain, from int) []float64 {
	n := c.Steps() - from
	if n <= 0 {
		panic("mcmc: IntegratedTime: no steps after from")
	}
	tau := make([]float64, c.Dim)
	// The parameters are independent: one goroutine per core takes them
	// in turn, each with its own transforms (the flagship's 5 parameters ×
	// 32 walkers × 4,844 steps: 50 → 29 ms on 2 cores,
	// BenchmarkIntegratedTime/flagship), the same numbers in any order.
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), c.Dim) {
		wg.Go(func() {
			w := newTauWork(n)
			for i := int(next.Add(1) - 1); i < c.Dim; i = int(next.Add(1) - 1) {
				tau[i] = w.tau(c, i, from)
			}
		})
	}
	wg.Wait()
	return tau
}

// tauWork is the workspace of one goroutine of IntegratedTime.
type tauWork struct {
	a            *acf
	taus, series []float64
	spec         []complex128
}

func newTauWork(n int) *tauWork {
	a := newACF(n)
	return &tauWork{a: a, taus: make([]float64, n), series: make([]float64, n), spec: make([]complex128, len(a.coef))}
}

// tau returns the integrated time of parameter i over steps from….
func (w *tauWork) tau(c *Chain, i, from int) float64 {
	a, n := w.a, len(w.taus)
	// Σ_w ρ_w(t) with one inverse transform: the transform is linear,
	// so the sum of the walkers' power spectra, each divided by its
	// c_w(0), transforms to the sum of their normalized functions.
	// (One inverse FFT instead of one per walker: the summary of a
	// 32-walker chain took twice as long.)
	clear(w.spec)
	for k := range c.Walkers {
		w.series = c.Series(w.series, k, i, from)
		c0 := a.power(w.series)
		for j, p := range a.coef {
			w.spec[j] += complex(real(p)/c0, 0)
		}
	}
	f := a.fft.Sequence(a.buf, w.spec)
	// taus = 2·cumsum(f/K) − 1 and the first M with M ≥ c·τ(M).
	var sum float64
	window := n - 1
	for t := range w.taus {
		sum += f[t] / float64(c.Walkers)
		w.taus[t] = 2*sum - 1
		if float64(t) >= AutocorrWindow*w.taus[t] {
			window = t
			break
		}
	}
	return w.taus[window]
}

// TauTooShort reports whether a chain of n steps is shorter than
// AutocorrTol·τ for some τ, or a τ is not finite: then τ (and the ESS)
// should be used with caution and the chain run longer.
func TauTooShort(tau []float64, n int) bool {
	for _, t := range tau {
		if !(AutocorrTol*t <= float64(n)) {
			return true
		}
	}
	return false
}

// GelmanRubin returns R̂−1 of each parameter over steps from…Steps()−1,
// treating each of groups contiguous sets of walkers (groups must divide
// Walkers; for MH, one chain per group) as one chain of n samples:
//
//	W = mean of the within-group variances, B/n = variance of the group means,
//	V̂ = (n−1)/n·W + B/n,   R̂ − 1 = √(V̂/W) − 1.
//
// Identical groups give −1/(2n) to first order: the estimate is returned
// as it is, but reports (Summary, Progress) show max(0, R̂−1), a negative
// value meaning no more than 0. Values below about 0.01 indicate
// convergence. A parameter with W = 0 gives NaN.
func GelmanRubin(c *Chain, from, groups int) []float64 {
	if groups < 2 || c.Walkers%groups != 0 {
		panic("mcmc: GelmanRubin: groups must be ≥ 2 and divide the walkers")
	}
	steps := c.Steps() - from
	if steps <= 0 {
		panic("mcmc: GelmanRubin: no steps after from")
	}
	per := c.Walkers / groups
	n := float64(steps * per)
	out := make([]float64, c.Dim)
	means := make([]float64, groups)
	for i := range c.Dim {
		var w float64
		for g := range groups {
			var m float64
			for s := from; s < c.Steps(); s++ {
				for k := g * per; k < (g+1)*per; k++ {
					m += c.X[(s*c.Walkers+k)*c.Dim+i]
				}
			}
			m /= n
			var v float64
			for s := from; s < c.Steps(); s++ {
				for k := g * per; k < (g+1)*per; k++ {
					dv := c.X[(s*c.Walkers+k)*c.Dim+i] - m
					v += dv * dv
				}
			}
			means[g] = m
			w += v / (n - 1)
		}
		w /= float64(groups)
		var mm float64
		for _, m := range means {
			mm += m
		}
		mm /= float64(groups)
		var b float64
		for _, m := range means {
			b += (m - mm) * (m - mm)
		}
		b /= float64(groups - 1) // B/n
		if w == 0 {
			out[i] = math.NaN()
			continue
		}
		out[i] = math.Sqrt(((n-1)/n*w+b)/w) - 1
	}
	return out
}

// acceptance returns the fraction of (step, walker) pairs in steps
// max(from,1)…Steps()−1 where the walker moved: a rejected proposal leaves
// the position unchanged, an accepted one changes it with probability 1.
func acceptance(c *Chain, from int) float64 {
	from = max(from, 1)
	var moved, total int
	for s := from; s < c.Steps(); s++ {
		for w := range c.Walkers {
			total++
			if !slices.Equal(c.At(s, w), c.At(s-1, w)) {
				moved++
			}
		}
	}
	if total == 0 {
		return math.NaN()
	}
	return float64(moved) / float64(total)
}

// GelmanRubinEigen returns the multivariate R−1 of steps from…Steps()−1
// over groups contiguous sets of walkers, as GetDist and CosmoMC report
// it: the largest eigenvalue of W⁻¹B, where B is the covariance of the
// group means (normalised by groups−1) and W the mean of the within-group
// covariances (normalised by n−1), so that it measures the spread of the
// means in every direction of parameter space in units of the posterior
// width there. It is ≥ 0; for one parameter it is B/W, about twice
// GelmanRubin's R̂−1 when both are small. It is NaN if W is singular (a
// parameter or combination that never moved).
func GelmanRubinEigen(c *Chain, from, groups int) float64 {
	if groups < 2 || c.Walkers%groups != 0 {
		panic("mcmc: GelmanRubinEigen: groups must be ≥ 2 and divide the walkers")
	}
	steps := c.Steps() - from
	if steps <= 0 {
		panic("mcmc: GelmanRubinEigen: no steps after from")
	}
	d, per := c.Dim, c.Walkers/groups
	n := float64(steps * per)
	if n < 2 {
		return math.NaN()
	}
	means := mat.NewDense(groups, d, nil)
	w := mat.NewSymDense(d, nil)
	dev := make([]float64, d)
	devVec := mat.NewVecDense(d, dev)
	for g := range groups {
		mu := means.RawRowView(g)
		for s := from; s < c.Steps(); s++ {
			for k := g * per; k < (g+1)*per; k++ {
				for i, v := range c.At(s, k) {
					mu[i] += v
				}
			}
		}
		for i := range mu {
			mu[i] /= n
		}
		for s := from; s < c.Steps(); s++ {
			for k := g * per; k < (g+1)*per; k++ {
				for i, v := range c.At(s, k) {
					dev[i] = v - mu[i]
				}
				w.SymRankOne(w, 1/((n-1)*float64(groups)), devVec)
			}
		}
	}
	var b mat.SymDense
	stat.CovarianceMatrix(&b, means, nil)
	var chol mat.Cholesky
	if !chol.Factorize(w) {
		return math.NaN()
	}
	// W⁻¹B has the eigenvalues of L⁻¹BL⁻ᵀ (W = LLᵀ), which is symmetric.
	var l mat.TriDense
	chol.LTo(&l)
	var lb, m mat.Dense
	if err := lb.Solve(&l, &b); err != nil {
		return math.NaN()
	}
	if err := m.Solve(&l, lb.T()); err != nil {
		return math.NaN()
	}
	sym := mat.NewSymDense(d, nil)
	for i := range d {
		for j := i; j < d; j++ {
			sym.SetSym(i, j, 0.5*(m.At(i, j)+m.At(j, i)))
		}
	}
	var eig mat.EigenSym
	if !eig.Factorize(sym, false) {
		return math.NaN()
	}
	vals := eig.Values(nil)
	return math.Max(0, vals[len(vals)-1])
}
