package nested

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"

	"gonum.org/v1/gonum/integrate/quad"
)

// TestShellsQuadrature checks the Gaussian shells' ln Z, −1.7455 (Feroz &
// Hobson quote −1.75), independently of its closed form: by Gauss–Legendre
// quadrature of L/(2a)² over the prior box, 240 panels of 12 nodes on each
// axis (panels of 0.05 resolve the rings' width 0.1).
func TestShellsQuadrature(t *testing.T) {
	const panels, nodes = 240, 12
	x := make([]float64, nodes)
	w := make([]float64, nodes)
	quad.Legendre{}.FixedLocations(x, w, 0, 1)
	h := 2 * shellA / panels
	var pts, wts []float64
	for p := range panels {
		lo := -shellA + float64(p)*h
		for k := range nodes {
			pts = append(pts, lo+h*x[k])
			wts = append(wts, h*w[k])
		}
	}
	z := 0.0
	for i, xi := range pts {
		row := 0.0
		for j, yj := range pts {
			row += wts[j] * (shellCirc(xi, yj, -shellC) + shellCirc(xi, yj, shellC))
		}
		z += wts[i] * row
	}
	got := math.Log(z / (4 * shellA * shellA))
	want := shellsLogZ()
	t.Logf("shells: ln Z by quadrature %.6f, closed form %.6f", got, want)
	// The closed form neglects the tails beyond the box (relative 10⁻⁶):
	// agreement to 10⁻⁵ checks both.
	if math.Abs(got-want) > 1e-5 {
		t.Errorf("quadrature gives ln Z = %.7f, the closed form %.7f", got, want)
	}
	if math.Abs(want-(-1.75)) > 0.01 {
		t.Errorf("ln Z = %.4f, the literature value is −1.75", want)
	}
}

// TestEdgeGaussianTruth checks the erf product of edge3d against
// tensor-product quadrature over the unit box.
func TestEdgeGaussianTruth(t *testing.T) {
	tg := edgeGaussian(100)
	const n = 300 // nodes per axis, in panels of 10
	x := make([]float64, 10)
	w := make([]float64, 10)
	quad.Legendre{}.FixedLocations(x, w, 0, 1)
	var pts, wts []float64
	for p := range n / 10 {
		for k := range 10 {
			pts = append(pts, (float64(p)+x[k])/(n/10))
			wts = append(wts, w[k]/(n/10))
		}
	}
	z := 0.0
	th := make([]float64, 3)
	for i := range pts {
		for j := range pts {
			for k := range pts {
				th[0], th[1], th[2] = pts[i], pts[j], pts[k]
				z += wts[i] * wts[j] * wts[k] * math.Exp(tg.prob.LogLike(th))
			}
		}
	}
	if got := math.Log(z); math.Abs(got-tg.logZ) > 1e-6 {
		t.Errorf("quadrature ln Z = %.8f, erf product %.8f", got, tg.logZ)
	}
}

// runResult is what a calibration run keeps.
type runResult struct {
	z, logZ, logZErr float64
	calls            int64
	res              *Result
}

// runSeeds runs the target for seeds 1…n, in parallel over GOMAXPROCS
// goroutines with Workers = 1 each.
func runSeeds(t *testing.T, tg target, s Settings, n int) []runResult {
	t.Helper()
	out := make([]runResult, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			c := s
			c.Live, c.Workers = tg.live, 1
			res, err := Run(context.Background(), tg.prob, &c, rand.New(rand.NewPCG(uint64(i+1), 2008)))
			if err != nil {
				errs[i] = err
				return
			}
			out[i] = runResult{z: (res.LogZ - tg.logZ) / res.LogZErr, logZ: res.LogZ, logZErr: res.LogZErr, calls: res.Calls, res: res}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// calibration summarizes z = (ln Z − truth)/LogZErr over runs.
type calibration struct {
	n                      int
	in1, beyond3           int
	meanZ, rmsZ, meanCalls float64
}

func calibrate(rs []runResult) calibration {
	c := calibration{n: len(rs)}
	var calls float64
	for _, r := range rs {
		if math.Abs(r.z) < 1 {
			c.in1++
		}
		if math.Abs(r.z) > 3 {
			c.beyond3++
		}
		c.meanZ += r.z
		c.rmsZ += r.z * r.z
		calls += float64(r.calls)
	}
	c.meanZ /= float64(c.n)
	c.rmsZ = math.Sqrt(c.rmsZ / float64(c.n))
	c.meanCalls = calls / float64(c.n)
	return c
}

func (c calibration) String() string {
	return fmt.Sprintf("%d runs: %.2f within 1σ, %d beyond 3σ, mean z %+.2f, rms z %.2f, %.0f calls per run",
		c.n, float64(c.in1)/float64(c.n), c.beyond3, c.meanZ, c.rmsZ, c.meanCalls)
}

// check asserts that z behaves like a standard normal deviate, with bands of
// three binomial or normal standard deviations for n runs: the fraction
// within 1σ in 0.683 ± 3√(0.683·0.317/n), the mean of z in ±3/√n, the rms
// in 1 ± 3/√(2n) (rms tolerances widened by 0.05 for the slightly
// heavy-tailed ln Z of small Live), and at most 1 + n/100 runs beyond 3σ
// (0.27% expected: 0.8 in 280 runs).
func (c calibration) check(t *testing.T, what string) {
	t.Helper()
	const p = 0.6827
	n := float64(c.n)
	band := 3 * math.Sqrt(p*(1-p)/n)
	if f := float64(c.in1) / n; math.Abs(f-p) > band {
		t.Errorf("%s: %.3f of runs within 1σ, want %.3f ± %.3f", what, f, p, band)
	}
	if math.Abs(c.meanZ) > 3/math.Sqrt(n) {
		t.Errorf("%s: mean z = %+.3f, want |mean| < %.3f (biased ln Z)", what, c.meanZ, 3/math.Sqrt(n))
	}
	if tol := 3/math.Sqrt(2*n) + 0.05; math.Abs(c.rmsZ-1) > tol {
		t.Errorf("%s: rms z = %.3f, want 1 ± %.3f (error bars not honest)", what, c.rmsZ, tol)
	}
	if c.beyond3 > 1+c.n/100 {
		t.Errorf("%s: %d of %d runs beyond 3σ", what, c.beyond3, c.n)
	}
}

// calibrationSeeds is the number of seeds per target: 40 (280 runs over
// the 7 targets, about 2 s on 2 cores), 6 under the race detector (which
// checks concurrency, not statistics) or -short.
func calibrationSeeds() int {
	if raceEnabled || testing.Short() {
		return 6
	}
	return 40
}

func uniformTargets() []target {
	return []target{
		correlatedGaussian(2, 100),
		correlatedGaussian(5, 100),
		correlatedGaussian(10, 100),
		edgeGaussian(100),
		shells(100),
		mixture(3, 100),
		banana(2, 100),
	}
}

// TestEvidenceCalibration runs every target over many seeds with the
// default sampler and checks that ln Z is within its error bars as often
// as a normal deviate would be, per target and pooled.
func TestEvidenceCalibration(t *testing.T) {
	seeds := calibrationSeeds()
	var all []runResult
	for _, tg := range uniformTargets() {
		rs := runSeeds(t, tg, Settings{}, seeds)
		c := calibrate(rs)
		t.Logf("%-10s ln Z true %8.4f: %v", tg.name, tg.logZ, c)
		c.check(t, tg.name)
		all = append(all, rs...)
	}
	c := calibrate(all)
	t.Logf("pooled: %v", c)
	c.check(t, "pooled")
}

// TestSliceCalibration is TestEvidenceCalibration for slice sampling, on
// the targets where it is affordable (20 seeds; 4 under -race or -short).
func TestSliceCalibration(t *testing.T) {
	seeds := 20
	if raceEnabled || testing.Short() {
		seeds = 4
	}
	var all []runResult
	for _, tg := range []target{correlatedGaussian(2, 100), correlatedGaussian(5, 100), shells(100), mixture(3, 100), banana(2, 100)} {
		rs := runSeeds(t, tg, Settings{Sampler: Slice}, seeds)
		c := calibrate(rs)
		t.Logf("%-10s %v", tg.name, c)
		all = append(all, rs...)
	}
	c := calibrate(all)
	t.Logf("pooled: %v", c)
	c.check(t, "slice, pooled")
}

// TestPosterior checks the weighted samples: the posterior mean and
// covariance of the 5-D Gaussian, and the mass of each mode of the
// mixture and the shells, against their true values within about 4
// standard errors (the effective sample sizes are ≳ 500; margins noted
// per check).
func TestPosterior(t *testing.T) {
	tg := correlatedGaussian(5, 400)
	res, err := Run(context.Background(), tg.prob, &Settings{Live: 400}, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	for _, w := range res.Weights() {
		sum += w
	}
	if math.Abs(sum-1) > 1e-12 {
		t.Errorf("weights sum to %v", sum)
	}
	t.Logf("gauss5d: ESS %.0f of %d samples", res.ESS, len(res.LogL))
	mean := res.Mean(nil)
	cov := res.Cov(nil)
	se := 1 / math.Sqrt(res.ESS) // standard error of a mean of unit variance
	for i := range 5 {
		if math.Abs(mean[i]-1) > 4*se {
			t.Errorf("mean[%d] = %.4f, want 1 ± %.4f", i, mean[i], 4*se)
		}
		for j := range 5 {
			// Var of a sample covariance of correlated normals ≈ (1+ρ²)/ESS.
			want := math.Pow(0.9, math.Abs(float64(i-j)))
			if tol := 4 * math.Sqrt((1+want*want)/res.ESS); math.Abs(cov.At(i, j)-want) > tol {
				t.Errorf("cov[%d,%d] = %.4f, want %.4f ± %.4f", i, j, cov.At(i, j), want, tol)
			}
		}
	}
	// Median of a N(1, 1) marginal.
	if q := res.Quantile(0, 0.5); math.Abs(q-1) > 5*se {
		t.Errorf("median = %.4f, want 1 ± %.4f", q, 5*se)
	}
	if q := res.Quantile(0, 0.8413); math.Abs(q-2) > 6*se {
		t.Errorf("84th percentile = %.4f, want 2 ± %.4f", q, 6*se)
	}
	eq := res.Resample(rand.New(rand.NewPCG(2, 2)), 0)
	n, _ := eq.Dims()
	if math.Abs(float64(n)-res.ESS) > 1 {
		t.Errorf("Resample gave %d rows, want round(ESS) = %.0f", n, res.ESS)
	}
	m := 0.0
	for i := range n {
		m += eq.At(i, 0) / float64(n)
	}
	if math.Abs(m-1) > 6*se {
		t.Errorf("resampled mean %.4f, want 1 ± %.4f", m, 6*se)
	}

	for _, tg := range []target{mixture(3, 400), shells(400)} {
		res, err := Run(context.Background(), tg.prob, &Settings{Live: 400}, rand.New(rand.NewPCG(3, 3)))
		if err != nil {
			t.Fatal(err)
		}
		mass := 0.0
		for i, lw := range res.LogWeights {
			if tg.modeOK(res.Samples.RawRowView(i)) {
				mass += math.Exp(lw)
			}
		}
		// The mode masses scatter by more than the ESS says (the live points'
		// split between modes is itself random): allow 0.05.
		t.Logf("%s: mass of mode 1 %.3f (true %.2f), ESS %.0f", tg.name, mass, tg.modeW, res.ESS)
		if math.Abs(mass-tg.modeW) > 0.05 {
			t.Errorf("%s: mass of mode 1 is %.3f, want %.2f", tg.name, mass, tg.modeW)
		}
	}
}

// TestZeroLikelihoodRegion has L = 0 (ln L = −Inf) on three quarters of
// the prior, u₁ < 0.75; the rest maps onto gauss2d's box. Z is a quarter of
// gauss2d's, and the estimated prior fraction with L > 0 is 0.25.
func TestZeroLikelihoodRegion(t *testing.T) {
	base := correlatedGaussian(2, 200)
	p := Problem{
		Dim: 2,
		// θ₁ ∈ [−10, 10] on u₁ ∈ (0.75, 1) as before; u₁ < 0.75 is
		// outside the support.
		Transform: func(dst, u []float64) {
			dst[0] = -10 + 20*(u[0]-0.75)/0.25
			dst[1] = -10 + 20*u[1]
		},
		LogLike: func(th []float64) float64 {
			if th[0] < -10 {
				return math.Inf(-1)
			}
			return base.prob.LogLike(th)
		},
	}
	want := base.logZ + math.Log(0.25)
	var rs []runResult
	for seed := range 8 {
		res, err := Run(context.Background(), p, &Settings{Live: 200}, rand.New(rand.NewPCG(uint64(seed), 5)))
		if err != nil {
			t.Fatal(err)
		}
		rs = append(rs, runResult{z: (res.LogZ - want) / res.LogZErr, calls: res.Calls})
		// ln(Live/M) for M ~ NegBin: sd √((1−f)/Live) ≈ 0.06.
		if math.Abs(res.LogPriorFraction-math.Log(0.25)) > 0.25 {
			t.Errorf("seed %d: prior fraction ln f = %.3f, want ln 0.25 = %.3f", seed, res.LogPriorFraction, math.Log(0.25))
		}
	}
	c := calibrate(rs)
	t.Logf("zero-likelihood region: %v", c)
	for _, r := range rs {
		if math.Abs(r.z) > 3.5 {
			t.Errorf("ln Z off by %.2fσ", r.z)
		}
	}
}

// TestPlateau: a likelihood constant on its support (a top-hat) stops at
// once, and ln Z is ln(support fraction) up to the final live points'
// missing volume 1/(Live+1) and the support estimate.
func TestPlateau(t *testing.T) {
	p := Problem{
		Dim:       2,
		Transform: boxTransform(0, 1),
		LogLike: func(th []float64) float64 {
			if th[0] < 0.5 {
				return 2
			}
			return math.Inf(-1)
		},
	}
	res, err := Run(context.Background(), p, &Settings{Live: 400}, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	want := 2 + math.Log(0.5)
	if res.Stop != StopConverged || res.Iterations != 0 {
		t.Errorf("stop %q after %d iterations, want converged at once", res.Stop, res.Iterations)
	}
	if math.Abs(res.LogZ-want) > 0.1 || math.Abs(res.LogZ-want) > 3*res.LogZErr+1.0/400 {
		t.Errorf("ln Z = %.4f ± %.4f, want %.4f", res.LogZ, res.LogZErr, want)
	}
}
