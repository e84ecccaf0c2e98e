package fit_test

// The proof that models and data sets are values: a dark energy
// and a likelihood the module does not ship, declared here with the public
// API only, fitted beside the built-in ones.

import (
	"context"
	"io"
	"math"
	"slices"
	"testing"

	"gonum.org/v1/gonum/integrate/quad"

	"github.com/cosmoemu/cosmoemu/cosmo"
	"github.com/cosmoemu/cosmoemu/fit"
	"github.com/cosmoemu/cosmoemu/likelihood"
	"github.com/cosmoemu/cosmoemu/param"
)

// JBP is the Jassal–Bagla–Padmanabhan dark energy (2005),
// w(a) = w0 + wa·a(1 − a): w0 today and at early times, with a bump of
// wa/4 at a = 1/2. Its density has a closed form: with x = ln(1+z) = −ln a
// and c = z/(1+z) = 1 − a,
//
//	ln(ρ/ρ0) = 3∫_a^1 (1 + w)/a' da' = 3(1+w0)x + 3wa∫_a^1 (1 − a') da'
//	         = 3(1+w0)x + (3/2)wa c²,
//
// since ∫_a^1 (1 − a') da' = (1 − a)²/2.
type JBP struct{}

var jbpParams = []param.Param{
	{Name: "w0", Label: `w_0`, Doc: "JBP equation of state today and at early times", Min: -3, Max: 1, Lo: -10, Hi: 10, Fiducial: -0.9},
	{Name: "wa", Label: `w_a`, Doc: "JBP bump, w(a) = w0 + wa·a(1 − a)", Min: -3, Max: 3, Lo: -20, Hi: 20, Fiducial: 0},
}

func (JBP) Params() []param.Param { return jbpParams }

// Check refuses w0 ≥ 0: w → w0 at early times, where dark energy must be
// subdominant.
func (JBP) Check(p *cosmo.Params) error {
	if !(p.DE[0] < 0) {
		return &cosmo.PointError{Param: "w0", Value: p.DE[0], Reason: "dark energy must be subdominant at early times: w0 < 0"}
	}
	return nil
}

func (JBP) W(a float64, v cosmo.Values) float64 { return v[0] + v[1]*a*(1-a) }

func (JBP) LnDensity(x, c float64, v cosmo.Values) float64 {
	return 3*(1+v[0])*x + 1.5*v[1]*c*c
}

func (JBP) Constant(v cosmo.Values) bool { return v[0] == -1 && v[1] == 0 }

func newJBP(t *testing.T) *cosmo.Model {
	t.Helper()
	m, err := cosmo.NewModel(cosmo.ModelSpec{Name: "jbp", Doc: "flat, JBP dark energy w(a) = w0 + wa·a(1 − a)", DarkEnergy: JBP{}})
	if err != nil {
		t.Fatal(err)
	}
	if !m.ClosedForm() {
		t.Fatal("JBP has a closed form")
	}
	return m
}

// TestJBPDensity checks the closed form against 3∫_a^1 (1 + w(a'))/a' da'
// integrated numerically.
func TestJBPDensity(t *testing.T) {
	for _, v := range []cosmo.Values{{-1, 0}, {-0.9, 0.5}, {-0.7, -2}, {-1.3, 3}} {
		for _, z := range []float64{0.01, 0.5, 1, 2.33, 10, 1090} {
			a := 1 / (1 + z)
			f := func(s float64) float64 { // s = ln a'
				return 3 * (1 + JBP{}.W(math.Exp(s), v))
			}
			want := quad.Fixed(f, math.Log(a), 0, 200, nil, 0)
			got := JBP{}.LnDensity(math.Log1p(z), z/(1+z), v)
			if math.Abs(got-want) > 1e-10*math.Max(1, math.Abs(want)) {
				t.Errorf("w0=%g wa=%g z=%g: closed form %.12g, integral %.12g", v[0], v[1], z, got, want)
			}
		}
	}
}

// TestFitJBP fits the JBP model to desi-dr2 through fit.Build and Run.
// With wa fixed at 0 it is wCDM, and must give wCDM's w within Monte
// Carlo noise; with wa free on DESI DR2, Union3 and the Planck distance
// priors its w0 and Ωm must lie where w0waCDM-like fits put them.
func TestFitJBP(t *testing.T) {
	jbp := newJBP(t)
	steps := fit.Sampler{Steps: 3000, Seed: 5}
	run := func(cfg *fit.Config) *fit.Result {
		t.Helper()
		p, err := fit.Build(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if p.Config.Backend != "analytic" {
			t.Errorf("backend %s, want the closed form", p.Config.Backend)
		}
		r, err := p.Run(context.Background(), nil)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	j := run(&fit.Config{Model: jbp, Data: []string{"desi-dr2"}, Fixed: map[string]float64{"wa": 0}, Sampler: steps})
	w := run(&fit.Config{Model: cosmo.WCDM, Data: []string{"desi-dr2"}, Sampler: steps})
	for _, pair := range [][2]string{{"Om", "Om"}, {"w0", "w"}, {"hrd", "hrd"}} {
		i, k := slices.Index(j.Params, pair[0]), slices.Index(w.Params, pair[1])
		shift := (j.Mean[i] - w.Mean[k]) / w.Std[k]
		t.Logf("%s: JBP(wa = 0) %.4f ± %.4f, wCDM %.4f ± %.4f (%+.3fσ)", pair[0], j.Mean[i], j.Std[i], w.Mean[k], w.Std[k], shift)
		if math.Abs(shift) > 0.1 || math.Abs(j.Std[i]/w.Std[k]-1) > 0.1 {
			t.Errorf("%s: JBP with wa = 0 gives %.4f ± %.4f, wCDM %.4f ± %.4f", pair[0], j.Mean[i], j.Std[i], w.Mean[k], w.Std[k])
		}
	}
	// DESI DR2 publishes w = −0.916 ± 0.078 for wCDM.
	if i := slices.Index(j.Params, "w0"); math.Abs(j.Mean[i]+0.916) > 0.03 {
		t.Errorf("w0 = %.3f, DESI DR2 wCDM w = −0.916 ± 0.078", j.Mean[i])
	}

	// With w → w0 ≈ −0.6 at early times, JBP's dark energy is not
	// negligible at z = 800 (cosmo.EarlyDETol): r_d takes the exact route,
	// 0.2 ms a point, so this chain is shorter.
	free := run(&fit.Config{Model: jbp, Data: []string{"desi-dr2", "union3", "planck18-distance"}, Sampler: fit.Sampler{Steps: 1000, Seed: 5}})
	om, w0, wa := free.Mean[slices.Index(free.Params, "Om")], free.Mean[slices.Index(free.Params, "w0")], free.Mean[slices.Index(free.Params, "wa")]
	t.Logf("JBP on DESI DR2 + Union3 + CMB: Om = %.4f, w0 = %.3f, wa = %.3f, χ²_min %.2f", om, w0, wa, free.Chi2Min)
	if om < 0.30 || om > 0.35 || w0 < -1.2 || w0 > -0.5 || !(free.Chi2Min < 40) {
		t.Errorf("JBP: Om = %.4f, w0 = %.3f, χ²_min %.2f: want Om in [0.30, 0.35], w0 in [−1.2, −0.5] (w0waCDM: 0.328, −0.68)", om, w0, free.Chi2Min)
	}
}

// rdh is a likelihood the module does not ship: a Gaussian on the derived
// quantity h·r_d in Mpc (DESI DR2's BAO-alone 101.54 ± 0.73). It needs r_d
// (from ω_b, or the nuisance parameter hrd) and reads h from the point.
type rdh struct{ mean, sigma float64 }

func (rdh) Name() string            { return "rdh" }
func (rdh) Len() int                { return 1 }
func (rdh) Needs() likelihood.Needs { return likelihood.Needs{Rd: true} }

func (l rdh) Bind(*likelihood.Requirements) (likelihood.Term, error) { return l, nil }

// WriteContent identifies its data by content (likelihood.ContentWriter).
func (l rdh) WriteContent(w io.Writer) { likelihood.WriteFloats(w, []float64{l.mean, l.sigma}) }

// The Term: rdh needs no scratch and no observable.
func (rdh) WorkLen() int { return 0 }

func (l rdh) LogNorm() float64 { return -0.5 * math.Log(2*math.Pi*l.sigma*l.sigma) }

func (l rdh) Chi2(th *likelihood.Theory) float64 {
	u := (th.Rd*th.P.H() - l.mean) / l.sigma
	return u * u
}

// TestUserLikelihood fits Union3 and BBN with and without the h·r_d
// likelihood. Without it nothing measures H0 (fixed at 70); with it, r_d
// from ω_b and Ωm h² makes h·r_d a function of (Ωm, H0, ω_b), so H0 is
// sampled and the posterior of h·r_d is the likelihood's Gaussian, while
// Ωm stays Union3's.
func TestUserLikelihood(t *testing.T) {
	// The fitting formulas of the early universe keep it fast; h·r_d is
	// recomputed below with the same formula.
	steps := fit.Sampler{Steps: 3000, Seed: 7}
	base, err := fit.Build(&fit.Config{Data: []string{"union3", "bbn"}, Sampler: steps, Early: "fitting"})
	if err != nil {
		t.Fatal(err)
	}
	if _, fixed := base.Fixed["H0"]; !fixed {
		t.Fatalf("union3 + bbn sample %v: H0 should be fixed", base.Space.Names())
	}
	p, err := fit.Build(&fit.Config{Data: []string{"union3", "bbn"}, Likelihoods: []likelihood.Likelihood{rdh{101.54, 0.73}}, Sampler: steps, Early: "fitting"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(p.Space.Names(), []string{"Om", "H0", "ombh2"}) || !slices.Equal(p.DataNames(), []string{"union3", "bbn", "rdh"}) {
		t.Fatalf("samples %v of %v, want Om H0 ombh2 of union3, bbn, rdh", p.Space.Names(), p.DataNames())
	}
	r, err := p.Run(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	rb, err := base.Run(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	// h·r_d over the samples.
	var sum, sum2 float64
	n, _ := r.Samples.Dims()
	for i := range n {
		om, h0, wb := r.Samples.At(i, 0), r.Samples.At(i, 1), r.Samples.At(i, 2)
		h := h0 / 100
		pt := cosmo.Params{Om: om, H0: h0, Mnu: cosmo.DefaultMnu, Nnu: cosmo.DefaultNnu}
		wnu := pt.OmegaNu() * h * h
		v := cosmo.DragHorizon(om*h*h-wnu, wb, wnu) * h
		sum += v
		sum2 += v * v
	}
	mean := sum / float64(n)
	sd := math.Sqrt(sum2/float64(n) - mean*mean)
	t.Logf("h·r_d = %.2f ± %.2f; H0 = %.2f ± %.2f; Om = %.4f ± %.4f (without rdh %.4f ± %.4f)", mean, sd, r.Mean[1], r.Std[1], r.Mean[0], r.Std[0], rb.Mean[0], rb.Std[0])
	if math.Abs(mean-101.54) > 0.15 || math.Abs(sd/0.73-1) > 0.1 {
		t.Errorf("h·r_d = %.2f ± %.2f, want the likelihood's 101.54 ± 0.73", mean, sd)
	}
	if math.Abs(r.Mean[0]-rb.Mean[0]) > 0.2*rb.Std[0] || !(r.Std[1] > 0.5 && r.Std[1] < 5) {
		t.Errorf("Om %.4f ± %.4f (without rdh %.4f ± %.4f), H0 ± %.2f: rdh should measure H0 and leave Ωm to Union3", r.Mean[0], r.Std[0], rb.Mean[0], rb.Std[0], r.Std[1])
	}
	if _, ok := r.Chi2ByData["rdh"]; !ok {
		t.Errorf("χ² by data %v lacks rdh", r.Chi2ByData)
	}
}
