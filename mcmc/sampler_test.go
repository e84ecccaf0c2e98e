package mcmc

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// Correlated 2-D Gaussian: means (1, −2), σ (1, 2), correlation 0.8.
var (
	gMean = []float64{1, -2}
	gSD   = []float64{1, 2}
	gRho  = 0.8
	gPrec = func() [3]float64 { // entries of Σ⁻¹: 00, 01, 11
		s00, s11, s01 := gSD[0]*gSD[0], gSD[1]*gSD[1], gRho*gSD[0]*gSD[1]
		det := s00*s11 - s01*s01
		return [3]float64{s11 / det, -s01 / det, s00 / det}
	}()
)

func gaussLogProb(x []float64) float64 {
	a, b := x[0]-gMean[0], x[1]-gMean[1]
	return -0.5 * (gPrec[0]*a*a + 2*gPrec[1]*a*b + gPrec[2]*b*b)
}

// Banana (twisted Gaussian): x1 ~ N(0, 1), x2 = y + bananaB·(x1² − 1),
// y ~ N(0, 1). Exact moments: E x1 = E x2 = 0, E x1² = 1,
// E x2² = 1 + 2b², E x1 x2 = 0, E x1² x2 = 2b.
const bananaB = 1.0

func bananaLogProb(x []float64) float64 {
	y := x[1] - bananaB*(x[0]*x[0]-1)
	return -0.5 * (x[0]*x[0] + y*y)
}

// moment estimates E f over the post-burn-in chain and its Monte Carlo
// standard error sd(f)/√(N·K/τ_f), τ_f the integrated autocorrelation time
// of the series f.
func moment(c *Chain, from int, f func(x []float64) float64) (mean, se float64) {
	n := c.Steps() - from
	fc := &Chain{Walkers: c.Walkers, Dim: 1, X: make([]float64, n*c.Walkers), LnP: make([]float64, n*c.Walkers)}
	for s := range n {
		for w := range c.Walkers {
			fc.X[s*c.Walkers+w] = f(c.At(from+s, w))
		}
	}
	tau := IntegratedTime(fc, 0)[0]
	mean, sd := stat.MeanStdDev(fc.X, nil)
	return mean, sd / math.Sqrt(float64(n*c.Walkers)/tau)
}

type momentCheck struct {
	name  string
	f     func(x []float64) float64
	truth float64
}

func gaussChecks() []momentCheck {
	return []momentCheck{
		{"E x1", func(x []float64) float64 { return x[0] }, gMean[0]},
		{"E x2", func(x []float64) float64 { return x[1] }, gMean[1]},
		{"var x1", func(x []float64) float64 { d := x[0] - gMean[0]; return d * d }, gSD[0] * gSD[0]},
		{"var x2", func(x []float64) float64 { d := x[1] - gMean[1]; return d * d }, gSD[1] * gSD[1]},
		{"cov x1 x2", func(x []float64) float64 { return (x[0] - gMean[0]) * (x[1] - gMean[1]) }, gRho * gSD[0] * gSD[1]},
	}
}

func bananaChecks() []momentCheck {
	return []momentCheck{
		{"E x1", func(x []float64) float64 { return x[0] }, 0},
		{"E x2", func(x []float64) float64 { return x[1] }, 0},
		{"E x1²", func(x []float64) float64 { return x[0] * x[0] }, 1},
		{"E x2²", func(x []float64) float64 { return x[1] * x[1] }, 1 + 2*bananaB*bananaB},
		{"E x1 x2", func(x []float64) float64 { return x[0] * x[1] }, 0},
		{"E x1² x2", func(x []float64) float64 { return x[0] * x[0] * x[1] }, 2 * bananaB},
	}
}

// checkMoments asserts every moment within 5 Monte Carlo standard errors
// and that the errors, relative to 1+|truth|, are below maxSE, so that the
// test means something.
func checkMoments(t *testing.T, res *Result, checks []momentCheck, maxSE float64) {
	t.Helper()
	for _, m := range checks {
		mean, se := moment(res.Chain, res.Summary.Burn, m.f)
		t.Logf("%s = %.4f ± %.4f (truth %g, %+.1f σ)", m.name, mean, se, m.truth, (mean-m.truth)/se)
		if lim := maxSE * (1 + math.Abs(m.truth)); se > lim || math.IsNaN(se) {
			t.Errorf("%s: Monte Carlo error %.3g larger than %.3g: the test would be too weak", m.name, se, lim)
		}
		if math.Abs(mean-m.truth) > 5*se {
			t.Errorf("%s = %.4f ± %.4f, want %.4f (%.1f σ off)", m.name, mean, se, m.truth, math.Abs(mean-m.truth)/se)
		}
	}
}

func ensembleSettings(steps int) *EnsembleSettings {
	return &EnsembleSettings{
		Settings: Settings{Steps: steps, Start: []float64{0, 0}, StartCov: mat.NewSymDense(2, []float64{0.01, 0, 0, 0.01})},
		Walkers:  32,
	}
}

func mhSettings(steps int) *MHSettings {
	return &MHSettings{
		Settings: Settings{Steps: steps, Start: []float64{0, 0}, StartCov: mat.NewSymDense(2, []float64{1, 0, 0, 1})},
		Chains:   4,
	}
}

func TestEnsembleGaussian(t *testing.T) {
	res, err := RunEnsemble(context.Background(), Target{LogProb: gaussLogProb}, ensembleSettings(4000), rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	checkMoments(t, res, gaussChecks(), 0.03)
	s := res.Summary
	if s.TauWarning || s.Warning != "" {
		t.Errorf("unexpected warning on a long run: %s", s.Warning)
	}
	if s.RMinus1 > 0.02 {
		t.Errorf("R−1 = %g between walker groups of a long run", s.RMinus1)
	}
	// The stretch move accepts about 60-70% on a 2-D Gaussian.
	if s.Acceptance < 0.5 || s.Acceptance > 0.85 {
		t.Errorf("acceptance %g", s.Acceptance)
	}
	for i, p := range s.Params {
		if math.Abs(p.Mean-gMean[i]) > 5*p.MCError || math.Abs(p.Std-gSD[i]) > 0.05*gSD[i] {
			t.Errorf("%s: mean %g ± %g, σ %g; want %g, %g", p.Name, p.Mean, p.MCError, p.Std, gMean[i], gSD[i])
		}
		// Equal-tailed 68% and 95% intervals of a Gaussian: μ ∓ 0.994σ, μ ∓ 1.960σ.
		for _, q := range []struct{ got, want float64 }{
			{p.Lo68, gMean[i] - 0.9945*gSD[i]}, {p.Hi68, gMean[i] + 0.9945*gSD[i]},
			{p.Lo95, gMean[i] - 1.96*gSD[i]}, {p.Hi95, gMean[i] + 1.96*gSD[i]},
		} {
			if math.Abs(q.got-q.want) > 0.08*gSD[i] {
				t.Errorf("%s: interval edge %g, want %g", p.Name, q.got, q.want)
			}
		}
		if p.Tau < 1 || p.Tau > 100 || math.Abs(p.ESS-float64(s.Samples)/p.Tau) > 1e-9*p.ESS {
			t.Errorf("%s: τ %g, ESS %g for %d samples", p.Name, p.Tau, p.ESS, s.Samples)
		}
	}
}

func TestMHGaussian(t *testing.T) {
	res, err := RunMH(context.Background(), Target{LogProb: gaussLogProb}, mhSettings(20000), rand.New(rand.NewPCG(3, 4)))
	if err != nil {
		t.Fatal(err)
	}
	checkMoments(t, res, gaussChecks(), 0.03)
	s := res.Summary
	if s.Burn < 4000 {
		t.Errorf("burn-in %d shorter than the adaptation phase 4000", s.Burn)
	}
	// An adapted random walk with 2.38²/d·Σ accepts about 35% in 2-D.
	if s.Acceptance < 0.25 || s.Acceptance > 0.45 {
		t.Errorf("acceptance after adaptation %g, want about 0.35", s.Acceptance)
	}
	if s.RMinus1 > 0.02 || s.TauWarning {
		t.Errorf("R−1 %g, warning %q", s.RMinus1, s.Warning)
	}
}

func TestEnsembleBanana(t *testing.T) {
	res, err := RunEnsemble(context.Background(), Target{LogProb: bananaLogProb}, ensembleSettings(6000), rand.New(rand.NewPCG(5, 6)))
	if err != nil {
		t.Fatal(err)
	}
	checkMoments(t, res, bananaChecks(), 0.06)
}

func TestMHBanana(t *testing.T) {
	res, err := RunMH(context.Background(), Target{LogProb: bananaLogProb}, mhSettings(50000), rand.New(rand.NewPCG(7, 8)))
	if err != nil {
		t.Fatal(err)
	}
	checkMoments(t, res, bananaChecks(), 0.06)
}

// TestBatchTargetSameChain checks that the batch path gives the chain of
// the one-point path, for any number of workers.
func TestBatchTargetSameChain(t *testing.T) {
	batch := func(dst []float64, xs *mat.Dense) {
		for i := range dst {
			dst[i] = gaussLogProb(xs.RawRowView(i))
		}
	}
	for _, mh := range []bool{false, true} {
		var ref *Chain
		for i, tg := range []Target{{LogProb: gaussLogProb}, {LogProb: gaussLogProb, Batch: batch}} {
			for _, workers := range []int{1, 3} {
				var res *Result
				var err error
				if mh {
					s := mhSettings(300)
					s.Workers = workers
					res, err = RunMH(context.Background(), tg, s, rand.New(rand.NewPCG(9, 9)))
				} else {
					s := ensembleSettings(300)
					s.Workers = workers
					res, err = RunEnsemble(context.Background(), tg, s, rand.New(rand.NewPCG(9, 9)))
				}
				if err != nil {
					t.Fatal(err)
				}
				if ref == nil {
					ref = res.Chain
					continue
				}
				if !slices.Equal(ref.X, res.Chain.X) || !slices.Equal(ref.LnP, res.Chain.LnP) {
					t.Errorf("mh=%v batch=%v workers=%d: chain differs from the one-point, one-worker chain", mh, i == 1, workers)
				}
			}
		}
	}
}

func TestSeeds(t *testing.T) {
	run := func(seed uint64) *Chain {
		res, err := RunEnsemble(context.Background(), Target{LogProb: gaussLogProb}, ensembleSettings(50), rand.New(rand.NewPCG(seed, 0)))
		if err != nil {
			t.Fatal(err)
		}
		return res.Chain
	}
	a, b, c := run(1), run(1), run(2)
	if !slices.Equal(a.X, b.X) {
		t.Error("the same seed gave different chains")
	}
	if slices.Equal(a.X, c.X) {
		t.Error("different seeds gave the same chain")
	}
}

func TestNonFiniteTargetIsCounted(t *testing.T) {
	// NaN for x1 > 2: such proposals are rejected and counted.
	lp := func(x []float64) float64 {
		if x[0] > 2 {
			return math.NaN()
		}
		return gaussLogProb(x)
	}
	res, err := RunEnsemble(context.Background(), Target{LogProb: lp}, ensembleSettings(500), rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	if res.Summary.NonFinite == 0 || !strings.Contains(res.Summary.Warning, "NaN or +Inf") {
		t.Errorf("NaN values not reported: %d, %q", res.Summary.NonFinite, res.Summary.Warning)
	}
	for s := range res.Chain.Steps() {
		for w := range res.Chain.Walkers {
			if res.Chain.At(s, w)[0] > 2 {
				t.Fatalf("a walker moved to x1 = %g where ln p is NaN", res.Chain.At(s, w)[0])
			}
		}
	}
}

func TestShortChainWarnsWithoutError(t *testing.T) {
	res, err := RunEnsemble(context.Background(), Target{LogProb: bananaLogProb}, ensembleSettings(60), rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	if !res.Summary.TauWarning || !strings.Contains(res.Summary.Warning, "shorter than 50 autocorrelation times") {
		t.Errorf("no τ warning for 60 steps: %+v", res.Summary)
	}
}

func TestConvergeStopsEarly(t *testing.T) {
	for _, mh := range []bool{false, true} {
		var res *Result
		var err error
		conv := &Convergence{RMinus1: 0.01, Every: 200}
		if mh {
			s := mhSettings(100000)
			s.Adapt = 2000
			s.Converge = conv
			res, err = RunMH(context.Background(), Target{LogProb: gaussLogProb}, s, rand.New(rand.NewPCG(2, 2)))
		} else {
			s := ensembleSettings(100000)
			s.Converge = conv
			res, err = RunEnsemble(context.Background(), Target{LogProb: gaussLogProb}, s, rand.New(rand.NewPCG(2, 2)))
		}
		if err != nil {
			t.Fatal(err)
		}
		n := res.Chain.Steps()
		if res.Stop != StopConverged || n >= 100000 || n%200 != 0 {
			t.Errorf("mh=%v: stopped (%s) after %d steps, want convergence at a multiple of 200", mh, res.Stop, n)
		}
		from := max(n/2, 2000*btoi(mh))
		for _, v := range GelmanRubin(res.Chain, from, 4) {
			if v >= 0.01 {
				t.Errorf("mh=%v: R−1 = %g at the stop, want < 0.01", mh, v)
			}
		}
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestSettingsErrors(t *testing.T) {
	ctx := context.Background()
	tg := Target{LogProb: gaussLogProb}
	rng := rand.New(rand.NewPCG(1, 1))
	for _, tc := range []struct {
		name string
		edit func(s *EnsembleSettings)
		msg  string
	}{
		{"odd walkers", func(s *EnsembleSettings) { s.Walkers = 33 }, "must be even"},
		{"few walkers", func(s *EnsembleSettings) { s.Walkers = 2 }, "≥ 4"},
		{"groups", func(s *EnsembleSettings) { s.Groups = 5 }, "divide Walkers"},
		{"scale", func(s *EnsembleSettings) { s.Scale = 0.5 }, "Scale"},
		{"steps", func(s *EnsembleSettings) { s.Steps = 0 }, "Steps"},
		{"burn", func(s *EnsembleSettings) { s.Burn = 100 }, "Burn"},
		{"start", func(s *EnsembleSettings) { s.Start = nil }, "Start is required"},
		{"start NaN", func(s *EnsembleSettings) { s.Start = []float64{0, math.NaN()} }, "not finite"},
		{"cov dim", func(s *EnsembleSettings) { s.StartCov = mat.NewSymDense(3, nil) }, "StartCov is 3×3"},
		{"cov not PD", func(s *EnsembleSettings) { s.StartCov = mat.NewSymDense(2, []float64{1, 2, 2, 1}) }, "not positive definite"},
		{"names", func(s *EnsembleSettings) { s.Names = []string{"a"} }, "1 names"},
		{"blank name", func(s *EnsembleSettings) { s.Names = []string{"a b", "c"} }, "without blanks"},
		{"resume without root", func(s *EnsembleSettings) { s.Resume = true }, "Resume needs Root"},
		{"outside support", func(s *EnsembleSettings) { s.Start = []float64{50, 50} }, "all had ln p = -Inf"},
	} {
		s := ensembleSettings(100)
		tc.edit(s)
		lp := tg
		if tc.name == "outside support" {
			lp.LogProb = func(x []float64) float64 {
				if x[0] > 10 {
					return math.Inf(-1)
				}
				return gaussLogProb(x)
			}
		}
		_, err := RunEnsemble(ctx, lp, s, rng)
		if err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: got %v, want an error containing %q", tc.name, err, tc.msg)
		}
	}
	m := mhSettings(100)
	m.Chains = 1
	if _, err := RunMH(ctx, tg, m, rng); err == nil || !strings.Contains(err.Error(), "Chains") {
		t.Errorf("one MH chain: %v", err)
	}
	m = mhSettings(100)
	m.Adapt = 100
	if _, err := RunMH(ctx, tg, m, rng); err == nil || !strings.Contains(err.Error(), "Adapt") {
		t.Errorf("Adapt ≥ Steps: %v", err)
	}
	if _, err := RunEnsemble(ctx, Target{}, ensembleSettings(10), rng); err == nil {
		t.Error("nil LogProb accepted")
	}
	if _, err := RunEnsemble(ctx, tg, nil, rng); err == nil {
		t.Error("nil settings accepted")
	}
}

func TestBestFit(t *testing.T) {
	opt, err := BestFit(gaussLogProb, []float64{0, 0}, &BestFitSettings{Scale: []float64{1, 1}})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		if math.Abs(opt.X[i]-gMean[i]) > 1e-5 {
			t.Errorf("best fit %v, want %v", opt.X, gMean)
		}
	}
	want := [3]float64{gSD[0] * gSD[0], gRho * gSD[0] * gSD[1], gSD[1] * gSD[1]}
	got := [3]float64{opt.Cov.At(0, 0), opt.Cov.At(0, 1), opt.Cov.At(1, 1)}
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-4*want[i] {
			t.Errorf("covariance %v, want %v", got, want)
		}
	}
	if math.Abs(opt.LogProb) > 1e-10 {
		t.Errorf("ln p at the maximum %g, want 0", opt.LogProb)
	}

	// Scaled parameters (like H0 ≈ 70 next to Ωm ≈ 0.3).
	scaled := func(x []float64) float64 { return gaussLogProb([]float64{x[0] * 10, x[1] / 30}) }
	opt, err = BestFit(scaled, []float64{0.3, 10}, &BestFitSettings{Scale: []float64{0.4, 40}})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(opt.X[0]-0.1) > 1e-6 || math.Abs(opt.X[1]+60) > 1e-4 {
		t.Errorf("scaled best fit %v, want [0.1 -60]", opt.X)
	}
	if v := opt.Cov.At(1, 1); math.Abs(v-3600) > 1e-3*3600 {
		t.Errorf("scaled variance %g, want 3600", v)
	}

	// A maximum on the edge of the support has no finite Hessian.
	edge := func(x []float64) float64 {
		if x[0] > 0.5 {
			return math.Inf(-1)
		}
		return gaussLogProb(x)
	}
	if _, err := BestFit(edge, []float64{0, 0}, nil); err == nil || !strings.Contains(err.Error(), "not finite") {
		t.Errorf("maximum on the edge: got %v", err)
	}
	// A flat direction gives a singular Hessian.
	flat := func(x []float64) float64 { return -0.5 * x[0] * x[0] }
	if _, err := BestFit(flat, []float64{1, 1}, nil); err == nil || !strings.Contains(err.Error(), "not positive definite") {
		t.Errorf("flat direction: got %v", err)
	}
	if _, err := BestFit(edge, []float64{1, 0}, nil); err == nil || !strings.Contains(err.Error(), "start point") {
		t.Errorf("start outside the support: got %v", err)
	}
}

func TestCovFromHessian(t *testing.T) {
	if _, err := covFromHessian(mat.NewSymDense(2, []float64{1, 2, 2, 1})); err == nil {
		t.Error("indefinite Hessian accepted")
	}
	if _, err := covFromHessian(mat.NewSymDense(2, []float64{1, 0, 0, math.NaN()})); err == nil {
		t.Error("NaN Hessian accepted")
	}
	c, err := covFromHessian(mat.NewSymDense(2, []float64{4, 0, 0, 0.25}))
	if err != nil || c.At(0, 0) != 0.25 || c.At(1, 1) != 4 {
		t.Errorf("inverse of diag(4, 1/4): %v, %v", c, err)
	}
}

// BestFit on ln p = −Rosenbrock: the maximum is (1, 1) and the Hessian of
// −ln p there is [[802, −400], [−400, 200]], whose inverse is
// [[0.5, 1], [1, 2.005]].
func TestBestFitRosenbrock(t *testing.T) {
	lp := func(x []float64) float64 {
		a, b := 1-x[0], x[1]-x[0]*x[0]
		return -(a*a + 100*b*b)
	}
	opt, err := BestFit(lp, []float64{-1.2, 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(opt.X[0]-1) > 1e-4 || math.Abs(opt.X[1]-1) > 1e-4 {
		t.Errorf("maximum at %v, want [1 1]", opt.X)
	}
	want := [][]float64{{0.5, 1}, {1, 2.005}}
	for i := range 2 {
		for j := range 2 {
			if math.Abs(opt.Cov.At(i, j)-want[i][j]) > 1e-3*math.Abs(want[i][j]) {
				t.Errorf("Cov[%d][%d] = %v, want %v", i, j, opt.Cov.At(i, j), want[i][j])
			}
		}
	}
	if _, err := BestFit(lp, []float64{-1.2, 1}, &BestFitSettings{MaxEvals: 10}); err == nil {
		t.Error("no error when the evaluation budget runs out")
	}
}

// A maximum on the edge of the support has no Hessian: BestFit still
// returns it, with an error wrapping ErrNoCovariance.
func TestBestFitOnEdge(t *testing.T) {
	lp := func(x []float64) float64 {
		if x[0] > 1 || x[0] < -5 {
			return math.Inf(-1)
		}
		d := x[0] - 2 // the unconstrained maximum lies outside
		return -0.5 * d * d
	}
	opt, err := BestFit(lp, []float64{0}, nil)
	if !errors.Is(err, ErrNoCovariance) {
		t.Fatalf("got %v, want an error wrapping ErrNoCovariance", err)
	}
	if opt == nil || math.Abs(opt.X[0]-1) > 1e-3 || opt.Cov != nil {
		t.Errorf("optimum %+v, want x ≈ 1 without covariance", opt)
	}
}

func Example() {
	// Sample a 1-D Gaussian N(1, 0.5²) with 16 walkers.
	lp := func(x []float64) float64 { d := (x[0] - 1) / 0.5; return -0.5 * d * d }
	res, err := RunEnsemble(context.Background(), Target{LogProb: lp}, &EnsembleSettings{
		Settings: Settings{Steps: 2000, Start: []float64{0}, Names: []string{"mu"}},
		Walkers:  16,
	}, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		fmt.Println(err)
		return
	}
	p := res.Summary.Params[0]
	fmt.Printf("%s = %.1f ± %.1f, τ warning: %v\n", p.Name, p.Mean, p.Std, res.Summary.TauWarning)
	// Output:
	// mu = 1.0 ± 0.5, τ warning: false
}
