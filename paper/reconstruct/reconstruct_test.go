package reconstruct

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/cosmoemu/cosmoemu/data"
	"github.com/cosmoemu/cosmoemu/friedmann"
	"github.com/cosmoemu/cosmoemu/likelihood"
	"github.com/cosmoemu/cosmoemu/nn"
)

func load(t *testing.T, name string) *data.Hz {
	t.Helper()
	l, _, err := likelihood.Open(name, nil)
	if err != nil {
		t.Fatal(err)
	}
	return l.(*likelihood.Hz).Data()
}

func TestSimulated20(t *testing.T) {
	d := load(t, "simulated20")
	res, err := Train(context.Background(), d, &Settings{Members: new(8)}, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	f := res.Fit
	if len(f.Train) != 16 || len(f.Val) != 4 || len(res.Members) != 8 {
		t.Fatalf("split %v/%v, %d members", f.Train, f.Val, len(res.Members))
	}
	for _, i := range f.Val {
		if i == 0 || i == d.Len()-1 {
			t.Errorf("validation point %d is an end point", i)
		}
	}
	// The network reproduces every point, H and σ_H, well within its error
	// bar (the simulated points have no scatter), the validation points
	// included. Measured, here and below, with these seeds: |ΔH| ≤ 0.31σ,
	// |Δσ_H| ≤ 0.063σ. Training is reproducible bit for bit: the bounds,
	// about a third above, leave room for changes to the recipe.
	h := make([]float64, d.Len())
	s := make([]float64, d.Len())
	f.Eval(h, s, d.Z)
	var phys float64
	for i := range d.Z {
		if math.Abs(h[i]-d.H[i]) > 0.4*d.Sigma[i] || math.Abs(s[i]-d.Sigma[i]) > 0.085*d.Sigma[i] {
			t.Errorf("z=%.3f: network (%.2f, %.2f), data (%.2f, %.2f)", d.Z[i], h[i], s[i], d.H[i], d.Sigma[i])
		}
		if slices.Contains(f.Train, i) {
			phys += ((h[i]-d.H[i])*(h[i]-d.H[i]) + (s[i]-d.Sigma[i])*(s[i]-d.Sigma[i])) / float64(2*len(f.Train))
		}
	}
	if math.Abs(phys-f.TrainCost) > 1e-9*phys {
		t.Errorf("TrainCost %v, recomputed %v", f.TrainCost, phys)
	}
	// Near the paper's cost of 1.7 (km/s/Mpc)²: measured 0.46 (training)
	// and 3.4 (validation).
	if f.TrainCost > 0.6 || f.ValCost > 4.5 {
		t.Errorf("costs %v (training), %v (validation) (km/s/Mpc)²", f.TrainCost, f.ValCost)
	}
	// The loss falls by 3.0e-5 over the epochs.
	if len(f.History.Loss) != 3000 || f.History.Loss[2999] > 4e-5*f.History.Loss[0] {
		t.Errorf("loss history of %d epochs from %v", len(f.History.Loss), f.History.Loss[0])
	}

	// The ensemble band: members trained on perturbed data differ, their
	// spread is a fraction of σ_H (many points constrain the curve):
	// measured 0.23σ to 0.90σ; and the mean stays within 0.25σ of the data.
	c := res.Curve(d.Z)
	for i := range d.Z {
		if !(c.Std[i] > 0.17*d.Sigma[i] && c.Std[i] < 1.2*d.Sigma[i]) {
			t.Errorf("z=%.3f: ensemble std %.3g for sigma_H %.3g", d.Z[i], c.Std[i], d.Sigma[i])
		}
		if math.Abs(c.Mean[i]-d.H[i]) > 0.33*d.Sigma[i] {
			t.Errorf("z=%.3f: ensemble mean %.2f, data %.2f ± %.2f", d.Z[i], c.Mean[i], d.H[i], d.Sigma[i])
		}
		if c.H[i] != h[i] || c.Sigma[i] != s[i] {
			t.Errorf("Curve and Eval disagree at z=%v", d.Z[i])
		}
	}
}

func TestDeterminism(t *testing.T) {
	d := load(t, "cc31")
	run := func(workers int, seed uint64) Curve {
		res, err := Train(context.Background(), d, &Settings{Epochs: 200, Members: new(3), Workers: workers}, rand.New(rand.NewPCG(seed, 1)))
		if err != nil {
			t.Fatal(err)
		}
		return res.Curve(Grid(0.07, 1.965, 30))
	}
	a, b, other := run(1, 5), run(3, 5), run(2, 6)
	for _, pair := range [][2][]float64{{a.H, b.H}, {a.Sigma, b.Sigma}, {a.Mean, b.Mean}, {a.Std, b.Std}} {
		if !slices.Equal(pair[0], pair[1]) {
			t.Fatal("the same seed gives different curves with 1 and 3 workers")
		}
	}
	if slices.Equal(a.H, other.H) {
		t.Error("another seed gives the same curve")
	}
}

func TestCC31(t *testing.T) {
	// The real data scatter: the network should follow the trend, as flat
	// ΛCDM does (χ²/n = 0.47), not interpolate the noise; measured χ²/n =
	// 0.455 and a training cost of 156 (km/s/Mpc)².
	d := load(t, "cc31")
	res, err := Train(context.Background(), d, &Settings{Members: new(0)}, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	if res.Members != nil {
		t.Errorf("%d members with Members = 0", len(res.Members))
	}
	if n := float64(d.Len()); !(res.Fit.Chi2 > 0.35*n && res.Fit.Chi2 < 0.6*n) {
		t.Errorf("chi2 = %.3g for %d points", res.Fit.Chi2, d.Len())
	}
	if res.Fit.TrainCost < 100 || len(res.Fit.Val) != 6 {
		t.Errorf("training cost %v (the data scatter by ~10 km/s/Mpc), %d validation points", res.Fit.TrainCost, len(res.Fit.Val))
	}
	if c := res.Curve([]float64{1}); c.Mean != nil {
		t.Error("ensemble mean without members")
	}
}

func TestFitLCDM(t *testing.T) {
	d := load(t, "cc31")
	l, err := FitLCDM(d)
	if err != nil {
		t.Fatal(err)
	}
	// Brute-force minimum of χ² on a grid around the fit.
	chi2 := func(om, h0 float64) float64 {
		m, err := friedmann.LCDM(om, h0)
		if err != nil {
			t.Fatal(err)
		}
		var s float64
		for i, z := range d.Z {
			r := (m.HZ(z) - d.H[i]) / d.Sigma[i]
			s += r * r
		}
		return s
	}
	best, bo, bh := math.Inf(1), 0.0, 0.0
	for om := 0.25; om <= 0.40; om += 0.0005 {
		for h0 := 64.0; h0 <= 72; h0 += 0.01 {
			if c := chi2(om, h0); c < best {
				best, bo, bh = c, om, h0
			}
		}
	}
	if math.Abs(l.Om0-bo) > 0.002 || math.Abs(l.H0-bh) > 0.05 || math.Abs(l.Chi2-best) > 1e-3 {
		t.Errorf("fit Om0 %.4f H0 %.3f chi2 %.4f; grid Om0 %.4f H0 %.3f chi2 %.4f", l.Om0, l.H0, l.Chi2, bo, bh, best)
	}
	// Measured σ(Ω_m0) = 0.059, σ(H0) = 3.07 km/s/Mpc, the inverse Hessian
	// at the best fit.
	if !(l.Om0Err > 0.05 && l.Om0Err < 0.07 && l.H0Err > 2.7 && l.H0Err < 3.5) {
		t.Errorf("errors %v %v", l.Om0Err, l.H0Err)
	}
	if h := l.HZ([]float64{0}); math.Abs(h[0]-l.H0) > 1e-9 {
		t.Errorf("H(0) = %v, H0 = %v", h[0], l.H0)
	}
	// The simulated points want Ω_m0 above the default prior's 0.5.
	if l, err := FitLCDM(load(t, "simulated20")); err != nil || l.Om0 < 0.5 {
		t.Errorf("simulated20: %v, %+v", err, l)
	}
}

func TestSplit(t *testing.T) {
	z := Grid(0, 3, 20)
	rnd := rand.New(rand.NewPCG(3, 3))
	for range 50 {
		train, val := split(z, 0.2, rnd)
		if len(train) != 16 || len(val) != 4 || !slices.IsSorted(train) || !slices.IsSorted(val) {
			t.Fatalf("split %v %v", train, val)
		}
		if slices.Contains(val, 0) || slices.Contains(val, 19) {
			t.Fatalf("end point in validation: %v", val)
		}
		for _, i := range val {
			if slices.Contains(train, i) {
				t.Fatalf("point %d in both sets", i)
			}
		}
	}
	if _, val := split(Grid(0, 1, 5), 0.01, rnd); len(val) != 1 {
		t.Errorf("%d validation points, want at least 1", len(val))
	}
}

func TestGrid(t *testing.T) {
	g := Grid(0, 3, 20)
	if len(g) != 20 || g[0] != 0 || g[19] != 3 || math.Abs(g[1]-3.0/19) > 1e-15 {
		t.Errorf("%v", g)
	}
}

func TestErrors(t *testing.T) {
	d := load(t, "cc31")
	rnd := rand.New(rand.NewPCG(1, 1))
	for _, s := range []*Settings{
		{Hidden: -1}, {LearningRate: -1}, {ValidationFraction: 0.6}, {Epochs: -3}, {BatchSize: -1},
		{Activation: nn.Softmax}, {Members: new(-1)},
	} {
		if _, err := Train(context.Background(), d, s, rnd); err == nil {
			t.Errorf("no error for %+v", s)
		}
	}
	tiny := &data.Hz{Name: "tiny", Z: []float64{0, 1, 2}, H: []float64{70, 120, 200}, Sigma: []float64{5, 5, 5}}
	if _, err := Train(context.Background(), tiny, nil, rnd); err == nil {
		t.Error("no error for 3 points")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Train(ctx, d, &Settings{Members: new(2)}, rnd); err == nil {
		t.Error("no error for a cancelled context")
	}
}

func TestEnsembleFitAndBand(t *testing.T) {
	d := load(t, "cc31")
	res, err := Train(context.Background(), d, &Settings{Epochs: 200, Members: new(3)}, rand.New(rand.NewPCG(3, 1)))
	if err != nil {
		t.Fatal(err)
	}
	cost, chi2, ok := res.EnsembleFit()
	mean := res.Curve(d.Z).Mean
	var wantCost, wantChi2 float64
	for i := range d.Z {
		r := mean[i] - d.H[i]
		wantCost += r * r / float64(d.Len())
		wantChi2 += (r / d.Sigma[i]) * (r / d.Sigma[i])
	}
	if !ok || math.Abs(cost-wantCost) > 1e-12*wantCost || math.Abs(chi2-wantChi2) > 1e-12*wantChi2 {
		t.Errorf("EnsembleFit = %v, %v, %v; want %v, %v", cost, chi2, ok, wantCost, wantChi2)
	}
	c := res.Curve([]float64{0.1, 1, 1.9})
	lo, med, hi, ok := c.BandWidth()
	if s := slices.Sorted(slices.Values(c.Std)); !ok || lo != s[0] || med != s[1] || hi != s[2] {
		t.Errorf("BandWidth = %v, %v, %v, %v for %v", lo, med, hi, ok, c.Std)
	}
	res.Members = nil
	if _, _, ok := res.EnsembleFit(); ok {
		t.Error("EnsembleFit without members")
	}
	if _, _, _, ok := res.Curve([]float64{1}).BandWidth(); ok {
		t.Error("BandWidth without members")
	}
}
