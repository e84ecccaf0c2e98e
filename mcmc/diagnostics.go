package mcmc

import (
	"math"

	"gonum.org/v1/gonum/dsp/fourier"
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
	var mean float64
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	for i, v := range x {
		a.buf[i] = v - mean
	}
	clear(a.buf[len(x):])
	a.coef = a.fft.Coefficients(a.coef, a.buf)
	for i, c := range a.coef {
		re, im := real(c), imag(c)
		a.coef[i] = complex(re*re+im*im, 0)
	}
	a.buf = a.fft.Sequence(a.buf, a.coef)
	c0 := a.buf[0]
	for i := range dst {
		dst[i] = a.buf[i] / c0
	}
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
// parameter that never moves gives NaN.
func IntegratedTime(c *Chain, from int) []float64 {
	n := c.Steps() - from
	if n <= 0 {
		panic("mcmc: IntegratedTime: no steps after from")
	}
	tau := make([]float64, c.Dim)
	a := newACF(n)
	f := make([]float64, n)
	rho := make([]float64, n)
	series := make([]float64, n)
	for i := range c.Dim {
		clear(f)
		for w := range c.Walkers {
			series = c.Series(series, w, i, from)
			a.compute(rho, series)
			for t, v := range rho {
				f[t] += v
			}
		}
		// taus = 2·cumsum(f/K) − 1 and emcee's auto_window.
		var sum float64
		window, anyInside := -1, false
		taus := rho // reuse
		for t := range f {
			sum += f[t] / float64(c.Walkers)
			taus[t] = 2*sum - 1
			inside := float64(t) < AutocorrWindow*taus[t]
			anyInside = anyInside || inside
			if !inside && window < 0 {
				window = t
			}
		}
		switch {
		case !anyInside:
			window = n - 1
		case window < 0:
			window = 0 // numpy's argmin of an all-true mask
		}
		tau[i] = taus[window]
	}
	return tau
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
// Identical groups give −1/(2n) to first order; values below about 0.01
// indicate convergence. A parameter with W = 0 gives NaN.
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
			if !equal(c.At(s, w), c.At(s-1, w)) {
				moved++
			}
		}
	}
	if total == 0 {
		return math.NaN()
	}
	return float64(moved) / float64(total)
}
