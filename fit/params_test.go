package fit

import (
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/cosmoemu/cosmoemu/cosmo"
)

// TestMatterAsOmch2: a prior on omch2 samples ω_c in Om's place (Om is
// then derived), a value of omch2 fixes ω_c; Σmν and N_eff are sampled
// only with a prior; the mistakes are ConfigErrors naming omch2.
func TestMatterAsOmch2(t *testing.T) {
	wc := map[string]string{"omch2": "0.001:0.99"}
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Config{Data: []string{"desi-dr2", "bbn"}, Priors: wc}, "omch2 H0 ombh2"},
		{Config{Model: cosmo.W0WaCDM, Data: []string{"desi-dr2", "cmb-compressed"}, Priors: wc}, "omch2 w0 wa H0 ombh2"},
		{Config{Data: []string{"desi-dr2", "bbn"}, Fixed: map[string]float64{"omch2": 0.12}}, "H0 ombh2"},
		{Config{Data: []string{"desi-dr2", "bbn"}, Priors: map[string]string{"mnu": "0:1", "nnu": "2:4.5"}}, "Om H0 ombh2 mnu nnu"},
		{Config{Data: []string{"desi-dr2", "bbn"}, Fixed: map[string]float64{"mnu": 0.1, "nnu": 3.2}}, "Om H0 ombh2"},
		{Config{Data: []string{"union3"}, Priors: wc, Fixed: map[string]float64{"ombh2": 0.0224}}, "omch2"},
	} {
		p, err := Build(&tc.cfg)
		if err != nil {
			t.Fatalf("%+v: %v", tc.cfg, err)
		}
		if got := strings.Join(p.Space.Names(), " "); got != tc.want {
			t.Errorf("%v %v %v: samples %q, want %q", tc.cfg.Data, tc.cfg.Priors, tc.cfg.Fixed, got, tc.want)
		}
	}
	for _, tc := range []struct {
		cfg          Config
		field, wants string
	}{
		{Config{Data: []string{"desi-dr2", "bbn"}, Priors: map[string]string{"omch2": "0.001:0.99", "Om": "0.1:0.5"}}, "Priors", "fit: prior on omch2: the matter is given twice, as Om and as omch2"},
		{Config{Data: []string{"desi-dr2", "bbn"}, Priors: wc, Fixed: map[string]float64{"Om": 0.3}}, "Priors", "the matter is given twice"},
		{Config{Data: []string{"desi-dr2"}, Fixed: map[string]float64{"omch2": 0.12}}, "Fixed", "fit: fixed omch2: omch2 gives the matter only with ombh2"},
	} {
		_, err := Build(&tc.cfg)
		var ce *ConfigError
		if !errors.As(err, &ce) || ce.Field != tc.field || ce.Key != "omch2" || !strings.Contains(err.Error(), tc.wants) {
			t.Errorf("%v %v: error %v, want a ConfigError of %s on omch2 containing %q", tc.cfg.Priors, tc.cfg.Fixed, err, tc.field, tc.wants)
		}
	}
}

// TestDerived: a fit that samples ω_c reports Om as derived (and one that
// samples Om reports ω_c), from every sample and at the best fit, in the
// result and its JSON.
func TestDerived(t *testing.T) {
	steps := Sampler{Steps: 300, Seed: 4}
	r := runFitQuiet(t, &Config{Data: []string{"desi-dr2", "bbn"}, Priors: map[string]string{"omch2": "0.001:0.99"}, Early: "fitting", Sampler: steps})
	if len(r.Derived) != 1 || r.Derived[0].Name != "Om" || r.Derived[0].Label != `\Omega_{\rm m}` {
		t.Fatalf("derived %+v, want Om", r.Derived)
	}
	d := r.Derived[0]
	// Om of the best fit and the mean Om of the samples, recomputed.
	om := func(wc, h0, wb float64) float64 {
		p, err := cosmo.LCDM.NewParams(map[string]float64{"omch2": wc, "H0": h0, "ombh2": wb})
		if err != nil {
			t.Fatal(err)
		}
		return p.Om
	}
	if want := om(r.BestFit["omch2"], r.BestFit["H0"], r.BestFit["ombh2"]); math.Abs(d.BestFit-want) > 1e-14 {
		t.Errorf("Om at the best fit %v, want %v", d.BestFit, want)
	}
	rows, _ := r.Samples.Dims()
	mean := 0.0
	for i := range rows {
		x := r.Samples.RawRowView(i)
		mean += om(x[0], x[1], x[2]) / float64(rows)
	}
	if math.Abs(d.Mean-mean) > 1e-12 || !(d.Q025 < d.Q16 && d.Q16 < d.Mean && d.Mean < d.Q84 && d.Q84 < d.Q975) || !(d.Std > 0.005 && d.Std < 0.02) {
		t.Errorf("derived Om %+v, mean of the samples %v", d, mean)
	}
	b, err := json.Marshal(r)
	if err != nil || !strings.Contains(string(b), `"derived":[{"name":"Om"`) {
		t.Errorf("JSON: %v %.200s", err, b)
	}
	r = runFitQuiet(t, &Config{Data: []string{"desi-dr2", "bbn"}, Early: "fitting", Sampler: steps})
	if len(r.Derived) != 1 || r.Derived[0].Name != "omch2" || !(math.Abs(r.Derived[0].Mean-0.117) < 0.01) {
		t.Errorf("sampling Om: derived %+v, want ω_c ≈ 0.117", r.Derived)
	}
	// Nested sampling weighs its samples.
	r = runFitQuiet(t, &Config{Data: []string{"desi-dr2", "bbn"}, Priors: map[string]string{"omch2": "0.05:0.2", "H0": "60:80"}, Early: "fitting",
		Sampler: Sampler{Kind: "nested", Live: 200, Seed: 4}})
	if len(r.Derived) != 1 || math.Abs(r.Derived[0].Mean-0.2977) > 0.01 {
		t.Errorf("nested: derived %+v, want Om ≈ 0.298", r.Derived)
	}
}

// TestWeightedSummary: equal weights and their integer multiples give the
// same summary; the quantiles of a uniform grid are where they should be.
func TestWeightedSummary(t *testing.T) {
	x := make([]float64, 1001)
	for i := range x {
		x[i] = float64(i) / 1000
	}
	s := weightedSummary(x, nil)
	if math.Abs(s[0]-0.5) > 1e-12 || math.Abs(s[1]-math.Sqrt(1.0/12)) > 1e-3 || math.Abs(s[2]-0.025) > 1e-3 || math.Abs(s[5]-0.975) > 1e-3 {
		t.Errorf("uniform grid: %v", s)
	}
	w := make([]float64, len(x))
	for i := range w {
		w[i] = 3
	}
	if s2 := weightedSummary(x, w); math.Abs(s2[3]-s[3]) > 1e-12 || math.Abs(s2[1]-s[1]) > 1e-12 {
		t.Errorf("weights 3: %v, equal %v", s2, s)
	}
}

// TestWeightedSummaryEqualWeights: the quickselect of equal weights gives
// the sorting path's numbers bit for bit (weights of 1 take it), with
// ties, tiny and odd sizes, and NaN (which takes the sort).
func TestWeightedSummaryEqualWeights(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{1, 2, 3, 7, 40, 1000, 160000} {
		for _, ties := range []bool{false, true} {
			x, ones := make([]float64, n), make([]float64, n)
			for i := range x {
				x[i], ones[i] = rng.NormFloat64(), 1
				if ties {
					x[i] = math.Round(4 * x[i])
				}
			}
			if a, b := weightedSummary(x, nil), weightedSummary(x, ones); a != b {
				t.Errorf("n = %d, ties %v: %v, sorted %v", n, ties, a, b)
			}
		}
	}
	x := []float64{1, math.NaN(), 2}
	if s := weightedSummary(x, nil); !math.IsNaN(s[0]) {
		t.Errorf("with NaN: %v", s)
	}
}

// BenchmarkWeightedSummary: the summary of one derived parameter of the
// flagship's 160,000 samples.
func BenchmarkWeightedSummary(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	x, ones := make([]float64, 160000), make([]float64, 160000)
	for i := range x {
		x[i], ones[i] = rng.NormFloat64(), 1
	}
	b.Run("equal", func(b *testing.B) {
		for b.Loop() {
			weightedSummary(x, nil)
		}
	})
	b.Run("weighted", func(b *testing.B) {
		for b.Loop() {
			weightedSummary(x, ones)
		}
	})
}

// TestBadEarlyInput: Σmν < 0 and N_eff ≤ 0 fixed or in a prior are one
// error naming the parameter and its range; ω_b or N_eff fixed outside
// the BBN table, which the exact early universe needs, too; sampled there,
// those points are unphysical, counted, and no NaN reaches the chain.
func TestBadEarlyInput(t *testing.T) {
	data := []string{"desi-dr2", "bbn"}
	for _, tc := range []struct {
		cfg         Config
		field, want string
	}{
		{Config{Data: data, Fixed: map[string]float64{"mnu": -0.1}}, "", "fixed parameter mnu = -0.1 is outside its allowed range [0, 10]"},
		{Config{Data: data, Fixed: map[string]float64{"nnu": 0}}, "", "fixed parameter nnu = 0 is outside its allowed range (0, 10]"},
		{Config{Data: data, Priors: map[string]string{"mnu": "-0.5:1"}}, "Priors", "the box [-0.5, 1] leaves the physical range [0, 10] of mnu"},
		{Config{Data: data, Priors: map[string]string{"nnu": "0:4"}}, "Priors", "leaves the physical range (0, 10] of nnu"},
		{Config{Data: []string{"desi-dr2"}, Fixed: map[string]float64{"ombh2": 0.05}}, "Fixed", "fit: fixed ombh2: ombh2 = 0.05 is outside the early universe's range [0.005, 0.04] (the BBN table)"},
		{Config{Data: data, Fixed: map[string]float64{"nnu": 0.02}}, "Fixed", "fit: fixed nnu: nnu = 0.02 is outside the early universe's range [0.044, 10.044] (the BBN table)"},
		{Config{Data: []string{"desi-dr2", "cmb-compressed"}, Fixed: map[string]float64{"ombh2": 0.002}}, "", "ombh2 = 0.002 is outside"},
	} {
		_, err := Build(&tc.cfg)
		var ce *ConfigError
		if err == nil || !strings.Contains(err.Error(), tc.want) || !errors.As(err, &ce) || tc.field != "" && ce.Field != tc.field {
			t.Errorf("%v %v: error %v, want a ConfigError of %q containing %q", tc.cfg.Priors, tc.cfg.Fixed, err, tc.field, tc.want)
		}
	}
	// The fitting formulas need no BBN table: ω_b = 0.05 is computed.
	if _, err := Build(&Config{Data: []string{"desi-dr2"}, Fixed: map[string]float64{"ombh2": 0.05}, Early: "fitting"}); err != nil {
		t.Errorf("ω_b = 0.05 with the fitting formulas: %v", err)
	}
	// Sampled beyond the table: unphysical points, counted; a finite chain.
	r := runFitQuiet(t, &Config{Data: []string{"desi-dr2", "theta-star"}, Priors: map[string]string{"ombh2": "0.02:0.06", "nnu": "0.01:6"},
		Sampler: Sampler{Steps: 60, Seed: 2}})
	if r.Unphysical == 0 {
		t.Error("no unphysical point counted with priors beyond the BBN table")
	}
	rows, cols := r.Samples.Dims()
	for i := range rows {
		for j := range cols {
			if v := r.Samples.At(i, j); math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("sample %d, %s = %v", i, r.Params[j], v)
			}
		}
	}
	t.Logf("%d of %d evaluations unphysical", r.Unphysical, r.Evaluations)
}
