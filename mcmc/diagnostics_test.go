package mcmc

import (
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/cosmoemu/cosmoemu/chains"
	"github.com/cosmoemu/cosmoemu/internal/numpytest"
)

// ar1 returns a chain of independent AR(1) walkers x_t = ρ x_{t−1} + ε_t,
// started from the stationary distribution; their integrated
// autocorrelation time is (1+ρ)/(1−ρ).
func ar1(rho float64, walkers, steps int, seed uint64) *Chain {
	rng := rand.New(rand.NewPCG(seed, 7))
	c := NewChain(walkers, 1, steps)
	x := make([]float64, walkers)
	for w := range x {
		x[w] = rng.NormFloat64() / math.Sqrt(1-rho*rho)
	}
	lnp := make([]float64, walkers)
	for range steps {
		for w := range x {
			x[w] = rho*x[w] + rng.NormFloat64()
		}
		c.Append(x, lnp)
	}
	return c
}

func TestIntegratedTimeAR1(t *testing.T) {
	// With 32 walkers of 16384 steps the estimator's relative standard
	// deviation is about √(2(2M+1)/N)/√32 ≤ 2.7% for window M = 5τ;
	// a 10% tolerance is 3.7σ.
	for _, rho := range []float64{0, 0.5, 0.9} {
		c := ar1(rho, 32, 16384, uint64(100*rho)+1)
		want := (1 + rho) / (1 - rho)
		got := IntegratedTime(c, 0)[0]
		t.Logf("ρ = %g: τ = %.3f, want %.3f", rho, got, want)
		if math.Abs(got-want) > 0.1*want {
			t.Errorf("ρ = %g: τ = %.3f, want %.3f within 10%%", rho, got, want)
		}
		if TauTooShort([]float64{got}, c.Steps()) {
			t.Errorf("ρ = %g: %d steps flagged as shorter than 50τ = %g", rho, c.Steps(), 50*got)
		}
	}
	// A short chain is flagged, not refused.
	c := ar1(0.9, 32, 400, 3)
	if tau := IntegratedTime(c, 0); !TauTooShort(tau, c.Steps()) {
		t.Errorf("400 steps with τ ≈ 19 not flagged (τ = %g)", tau[0])
	}
}

func TestTauTooShort(t *testing.T) {
	for _, tc := range []struct {
		tau  []float64
		n    int
		want bool
	}{
		{[]float64{10}, 500, false},
		{[]float64{10}, 499, true},
		{[]float64{1, 10.1}, 500, true},
		{[]float64{math.NaN()}, 1e6, true},
		{[]float64{math.Inf(1)}, 1e6, true},
	} {
		if got := TauTooShort(tc.tau, tc.n); got != tc.want {
			t.Errorf("TauTooShort(%v, %d) = %v", tc.tau, tc.n, got)
		}
	}
}

func TestAutocorrFuncMatchesDirectSum(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, n := range []int{1, 2, 7, 64, 100} {
		x := make([]float64, n)
		for i := range x {
			x[i] = rng.NormFloat64() + 0.3*float64(i%5)
		}
		got := AutocorrFunc(nil, x)
		var mean float64
		for _, v := range x {
			mean += v
		}
		mean /= float64(n)
		c := func(lag int) float64 {
			var s float64
			for i := 0; i+lag < n; i++ {
				s += (x[i] - mean) * (x[i+lag] - mean)
			}
			return s
		}
		c0 := c(0)
		for lag := range n {
			if want := c(lag) / c0; math.Abs(got[lag]-want) > 1e-12 {
				t.Errorf("n=%d lag %d: %g, want %g", n, lag, got[lag], want)
			}
		}
	}
	if got := AutocorrFunc(nil, []float64{2, 2, 2}); !math.IsNaN(got[1]) {
		t.Errorf("constant series: %v, want NaN as emcee", got)
	}
}

func TestGelmanRubin(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	const n, groups = 1000, 4
	base := make([]float64, n)
	for i := range base {
		base[i] = rng.NormFloat64()
	}
	shifts := []float64{0, 0.5, 1, 1.5}
	build := func(shift bool) *Chain {
		c := NewChain(groups, 1, n)
		x := make([]float64, groups)
		for s := range n {
			for g := range groups {
				x[g] = base[s]
				if shift {
					x[g] += shifts[g]
				}
			}
			c.Append(x, make([]float64, groups))
		}
		return c
	}
	var mean, w float64
	for _, v := range base {
		mean += v
	}
	mean /= n
	for _, v := range base {
		w += (v - mean) * (v - mean)
	}
	w /= n - 1

	got := GelmanRubin(build(false), 0, groups)[0]
	if want := math.Sqrt(float64(n-1)/n) - 1; math.Abs(got-want) > 1e-12 || got > 0 {
		t.Errorf("identical chains: R−1 = %g, want %g ≈ −1/(2n)", got, want)
	}
	// B/n is the sample variance of the shifts, 5/12.
	got = GelmanRubin(build(true), 0, groups)[0]
	if want := math.Sqrt(float64(n-1)/n+(5.0/12)/w) - 1; math.Abs(got-want) > 1e-12 {
		t.Errorf("shifted chains: R−1 = %g, want %g", got, want)
	}
	if got < 0.1 {
		t.Errorf("shifted chains look converged: R−1 = %g", got)
	}

	// Groups of several walkers: identical groups of two walkers each.
	c := NewChain(4, 1, n)
	for s := range n {
		c.Append([]float64{base[s], -base[s], base[s], -base[s]}, make([]float64, 4))
	}
	if v := GelmanRubin(c, 0, 2)[0]; v > 0 || v < -1e-3 {
		t.Errorf("identical groups of 2 walkers: R−1 = %g", v)
	}
}

func TestAcceptanceFromChain(t *testing.T) {
	c := NewChain(2, 1, 4)
	c.Append([]float64{0, 0}, []float64{0, 0})
	c.Append([]float64{1, 0}, []float64{0, 0}) // walker 0 moved
	c.Append([]float64{1, 2}, []float64{0, 0}) // walker 1 moved
	c.Append([]float64{1, 2}, []float64{0, 0}) // none moved
	if got := acceptance(c, 0); got != 2.0/6 {
		t.Errorf("acceptance %g, want 1/3", got)
	}
	if got := acceptance(c, 2); got != 1.0/4 {
		t.Errorf("acceptance after step 2: %g, want 1/4", got)
	}
}

func BenchmarkIntegratedTime(b *testing.B) {
	for _, steps := range []int{1000, 10000} {
		c := ar1(0.9, 32, steps, 1)
		b.Run(fmt.Sprintf("32x%d", steps), func(b *testing.B) {
			for b.Loop() {
				IntegratedTime(c, 0)
			}
		})
	}
	// The flagship fit's summary: 5 parameters, 32 walkers, 4,844 steps
	// after the burn-in.
	c := flagshipLike()
	b.Run("flagship", func(b *testing.B) {
		for b.Loop() {
			IntegratedTime(c, 0)
		}
	})
}

func TestGelmanRubinEigenOneParameter(t *testing.T) {
	// The shifted chains of TestGelmanRubin: B = var(shifts) = 5/12.
	rng := rand.New(rand.NewPCG(5, 5))
	const n, groups = 1000, 4
	shifts := []float64{0, 0.5, 1, 1.5}
	c := NewChain(groups, 1, n)
	var sum, sum2 float64
	for range n {
		v := rng.NormFloat64()
		sum += v
		sum2 += v * v
		x := make([]float64, groups)
		for g := range x {
			x[g] = v + shifts[g]
		}
		c.Append(x, make([]float64, groups))
	}
	w := (sum2 - sum*sum/n) / (n - 1)
	if got, want := GelmanRubinEigen(c, 0, groups), (5.0/12)/w; math.Abs(got-want) > 1e-12*want {
		t.Errorf("R−1 eigen = %.15g, want B/W = %.15g", got, want)
	}
	// A parameter that never moves makes W singular.
	flat := NewChain(4, 1, 10)
	for range 10 {
		flat.Append([]float64{1, 1, 3, 3}, make([]float64, 4))
	}
	if got := GelmanRubinEigen(flat, 0, 2); !math.IsNaN(got) {
		t.Errorf("no spread: %g, want NaN", got)
	}
}

// numpy computes GetDist's R−1 of a correlated three-parameter chain with
// shifted groups from the raw samples.
func TestGelmanRubinEigenNumpy(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	const steps, walkers, groups, d = 300, 8, 4, 3
	c := NewChain(walkers, d, steps)
	x := make([]float64, walkers*d)
	for range steps {
		for w := range walkers {
			a, b, e := rng.NormFloat64(), rng.NormFloat64(), rng.NormFloat64()
			g := float64(w / (walkers / groups))
			x[w*d] = a + 0.1*g
			x[w*d+1] = 0.9*a + 0.3*b - 0.05*g
			x[w*d+2] = 10 * (e + 0.02*g*g)
		}
		c.Append(x, make([]float64, walkers))
	}
	path := filepath.Join(t.TempDir(), "chain.npy")
	if _, err := chains.WriteNpy(path, []int{steps, walkers, d}, c.X); err != nil {
		t.Fatal(err)
	}
	out := numpytest.Run(t, `
import sys, numpy as np
x = np.load(sys.argv[1])                       # (steps, walkers, dim)
g = np.split(x, 4, axis=1)                     # contiguous walker groups
s = [gi.reshape(-1, gi.shape[2]) for gi in g]  # samples of each group
means = np.array([si.mean(axis=0) for si in s])
B = np.cov(means.T)
W = np.mean([np.cov(si.T) for si in s], axis=0)
print(repr(float(np.max(np.linalg.eigvals(np.linalg.solve(W, B)).real))))
`, path)
	want, err := strconv.ParseFloat(strings.TrimSpace(string(out)), 64)
	if err != nil {
		t.Fatal(err)
	}
	got := GelmanRubinEigen(c, 0, groups)
	t.Logf("R−1 eigen = %.15g, numpy %.15g", got, want)
	if math.Abs(got-want) > 1e-10*want || !(want > 1e-3) {
		t.Errorf("R−1 eigen = %.15g, numpy %.15g", got, want)
	}
}

// flagshipLike returns AR(1) chains of the flagship fit's shape: 32
// walkers, 5 parameters of different correlation, 4,844 steps.
func flagshipLike() *Chain {
	const walkers, dim, steps = 32, 5, 4844
	one := make([]*Chain, dim)
	for i := range one {
		one[i] = ar1(0.5+0.1*float64(i), walkers, steps, uint64(i+1))
	}
	c := NewChain(walkers, dim, steps)
	x := make([]float64, walkers*dim)
	lnp := make([]float64, walkers)
	for s := range steps {
		for w := range walkers {
			for i := range dim {
				x[w*dim+i] = one[i].X[s*walkers+w]
			}
		}
		c.Append(x, lnp)
	}
	return c
}

// TestIntegratedTimeEachParameter: the parameters of a chain, computed
// together on several goroutines, have the τ each has alone.
func TestIntegratedTimeEachParameter(t *testing.T) {
	c := flagshipLike()
	all := IntegratedTime(c, 100)
	for i := range c.Dim {
		one := ar1(0.5+0.1*float64(i), c.Walkers, c.Steps(), uint64(i+1))
		if got := IntegratedTime(one, 100)[0]; got != all[i] {
			t.Errorf("parameter %d: τ %v together, %v alone", i, all[i], got)
		}
	}
}
