package fit

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cosmoemu/cosmoemu/cosmo"
)

// published is a marginal posterior from a paper: mean ± σ.
type published struct {
	name        string
	mean, sigma float64
}

func runFit(t *testing.T, cfg *Config) *Result {
	t.Helper()
	r := runFitQuiet(t, cfg)
	if !r.Converged {
		t.Errorf("%s %v: not converged: %s", r.Model, r.Data, r.Warning)
	}
	return r
}

// checkPublished compares a fit with published means and errors: each
// mean within 0.15σ and each σ within 6%. The published figures are
// rounded to two significant digits of σ (up to 3% of σ, 0.05σ in the
// mean); the Monte Carlo error of 5000 steps × 32 walkers is about 0.02σ
// in the mean and 1% in σ. Measured: all within 0.05σ and 2%.
func checkPublished(t *testing.T, r *Result, paper string, want []published) {
	t.Helper()
	for _, w := range want {
		i := -1
		for j, n := range r.Params {
			if n == w.name {
				i = j
			}
		}
		if i < 0 {
			t.Fatalf("%s is not a parameter of the fit (%v)", w.name, r.Params)
		}
		shift := (r.Mean[i] - w.mean) / w.sigma
		ratio := r.Std[i] / w.sigma
		t.Logf("%s: %s = %.5g ± %.3g; %s: %.5g ± %.3g (shift %+.3fσ, σ ratio %.3f)", r.Model, w.name, r.Mean[i], r.Std[i], paper, w.mean, w.sigma, shift, ratio)
		if math.Abs(shift) > 0.15 || math.Abs(ratio-1) > 0.06 {
			t.Errorf("%s: %s = %.5g ± %.3g, %s gives %.5g ± %.3g", r.Model, w.name, r.Mean[i], r.Std[i], paper, w.mean, w.sigma)
		}
	}
}

// TestDESIDR1 reproduces DESI 2024 VI (arXiv:2404.03002), BAO alone, flat
// ΛCDM: Ωm = 0.295 ± 0.015, h·r_d = 101.8 ± 1.3 Mpc.
func TestDESIDR1(t *testing.T) {
	r := runFit(t, &Config{Model: cosmo.LCDM, Data: []string{"desi-dr1"}})
	checkPublished(t, r, "DESI DR1 (arXiv:2404.03002)", []published{{"Om", 0.295, 0.015}, {"hrd", 101.8, 1.3}})
}

// TestDESIDR2 reproduces DESI DR2 II (arXiv:2503.14738), BAO alone: flat
// ΛCDM Ωm = 0.2975 ± 0.0086, h·r_d = 101.54 ± 0.73 Mpc; flat wCDM
// Ωm = 0.2969 ± 0.0089, w = −0.916 ± 0.078.
func TestDESIDR2(t *testing.T) {
	r := runFit(t, &Config{Model: cosmo.LCDM, Data: []string{"desi-dr2"}})
	checkPublished(t, r, "DESI DR2 (arXiv:2503.14738)", []published{{"Om", 0.2975, 0.0086}, {"hrd", 101.54, 0.73}})
	r = runFit(t, &Config{Model: cosmo.WCDM, Data: []string{"desi-dr2"}})
	checkPublished(t, r, "DESI DR2 (arXiv:2503.14738)", []published{{"Om", 0.2969, 0.0089}, {"w", -0.916, 0.078}})
}

func TestBuildErrors(t *testing.T) {
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Config{Data: []string{"desi-dr3"}}, "desi-dr3"},
		{Config{}, "no data sets"},
		{Config{Data: []string{"desi-dr1", "desi-dr2"}}, "never combine"},
		{Config{Data: []string{"desi-dr2", "desi-dr2"}}, "given twice"},
		{Config{Data: []string{"desi-dr2"}, Priors: map[string]string{"w": "-2:0"}}, `does not take parameter "w"`},
		{Config{Data: []string{"desi-dr2"}, Priors: map[string]string{"Omega": "0:1"}}, `does not take parameter "Omega"`},
		{Config{Data: []string{"desi-dr2"}, Priors: map[string]string{"Om": "-0.1:0.5"}}, "physical range"},
		{Config{Data: []string{"desi-dr2"}, Priors: map[string]string{"Om": "0.1:0.5"}, Fixed: map[string]float64{"Om": 0.3}}, "both a prior and a fixed value"},
		{Config{Data: []string{"desi-dr2"}, Fixed: map[string]float64{"H0": -70}}, "H0 = -70"},
		{Config{Data: []string{"desi-dr2"}, Fixed: map[string]float64{"hrd": 100}}, "cannot be fixed"},
		{Config{Data: []string{"desi-dr2"}, Priors: map[string]string{"M": "-20:-19"}}, `does not take parameter "M" (it takes Om, H0, ombh2, omch2, mnu, nnu, sigma8), nor do the data (hrd)`},
		{Config{Data: []string{"desi-dr2"}, Backend: "warp"}, "unknown backend"},
		{Config{Model: cosmo.Quintessence, Data: []string{"desi-dr2"}, Backend: "analytic"}, "no closed form"},
		{Config{Data: []string{"planck18-distance"}, Fixed: map[string]float64{"Om": 0.3, "H0": 67, "ombh2": 0.0224}}, "nothing to sample"},
		{Config{Data: []string{"pantheonplus"}, CacheDir: "/nonexistent"}, "fetch the remote file pantheonplus-cov"},
	} {
		_, err := Build(&tc.cfg)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: error %v, want one containing %q", tc.cfg, err, tc.want)
		}
	}
}

// TestSpaceChoices checks which parameters a fit samples.
func TestSpaceChoices(t *testing.T) {
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Config{Data: []string{"desi-dr2"}}, "Om hrd"},
		{Config{Data: []string{"desi-dr2"}, Priors: map[string]string{"ombh2": "gauss:0.02218:0.00055"}}, "Om H0 ombh2"},
		{Config{Model: cosmo.W0WaCDM, Data: []string{"desi-dr2", "union3", "planck18-distance"}}, "Om w0 wa H0 ombh2"},
		{Config{Data: []string{"union3"}}, "Om"},
		{Config{Data: []string{"union3"}, Priors: map[string]string{"M": "-1:1"}}, "Om M"},
		{Config{Data: []string{"cc31"}}, "Om H0"},
		{Config{Data: []string{"desi-dr2", "sh0es"}, Fixed: map[string]float64{"ombh2": 0.0224}}, "Om H0"},
		{Config{Data: []string{"sh0es"}}, "Om H0"},
		{Config{Data: []string{"desi-dr2", "bbn"}}, "Om H0 ombh2"},
		{Config{Data: []string{"bbn"}, Fixed: map[string]float64{"Om": 0.3}}, "ombh2"},
		{Config{Data: []string{"union3", "desy5"}, DiagOnly: true, Priors: map[string]string{"M_desy5": "-1:1"}}, "Om M_desy5"},
	} {
		p, err := Build(&tc.cfg)
		if err != nil {
			t.Fatalf("%+v: %v", tc.cfg, err)
		}
		if got := strings.Join(p.Space.Names(), " "); got != tc.want {
			t.Errorf("%v: samples %q, want %q", tc.cfg.Data, got, tc.want)
		}
	}
}

// TestNestedAgreesWithMCMC: the posterior moments of nested sampling equal
// those of the ensemble sampler on real fits, means within 0.1σ and σ within
// 10% (measured with 1000 live points: within 0.03σ and 2%; with 400 live
// points the nested means scattered by 0.1σ between seeds).
func TestNestedAgreesWithMCMC(t *testing.T) {
	for _, cfg := range []Config{
		{Model: cosmo.LCDM, Data: []string{"desi-dr2"}},
		{Model: cosmo.WCDM, Data: []string{"desi-dr2", "union3"}},
	} {
		mc := runFit(t, &cfg)
		cfg.Sampler = Sampler{Kind: "nested", Live: 1000, Seed: 3}
		ns := runFit(t, &cfg)
		if ns.LogZ == nil || !(*ns.LogZErr > 0) {
			t.Fatalf("%s: no evidence from nested sampling", cfg.Model)
		}
		for i, name := range mc.Params {
			shift := (ns.Mean[i] - mc.Mean[i]) / mc.Std[i]
			ratio := ns.Std[i] / mc.Std[i]
			t.Logf("%s %v: %s nested %.5g ± %.3g, MCMC %.5g ± %.3g (shift %+.3fσ, σ ratio %.3f)", cfg.Model, cfg.Data, name, ns.Mean[i], ns.Std[i], mc.Mean[i], mc.Std[i], shift, ratio)
			if math.Abs(shift) > 0.1 || math.Abs(ratio-1) > 0.1 {
				t.Errorf("%s: %s nested %.5g ± %.3g, MCMC %.5g ± %.3g", cfg.Model, name, ns.Mean[i], ns.Std[i], mc.Mean[i], mc.Std[i])
			}
		}
	}
}

// TestEmulatorBackend: the emulator in a fit counts the points the solver
// answered outside its domain; without a fallback a prior that leaves the
// domain is refused before any work, naming the parameter and the domain,
// and one inside it runs with no fallback at all.
func TestEmulatorBackend(t *testing.T) {
	data := []string{"desi-dr2", "union3", "planck18-distance"}
	steps := Sampler{Steps: 200, Seed: 3}
	inside := map[string]string{"Om": "0.1:0.6", "lambda": "0:1", "H0": "55:85", "ombh2": "0.02:0.025"}
	// Σmν up to 1.5 eV, which the data hardly constrain, leaves the
	// domain's [0, 1].
	r := runFitQuiet(t, &Config{Model: cosmo.Quintessence, Data: data, Backend: "emulator", Sampler: steps,
		Priors: map[string]string{"mnu": "0:1.5", "lambda": "0:1", "ombh2": "0.02:0.025"}})
	if r.Backend != "emulator" || r.Evaluations == 0 || r.Fallbacks == 0 {
		t.Fatalf("backend %s, %d evaluations, %d fallbacks", r.Backend, r.Evaluations, r.Fallbacks)
	}
	// The fraction is of the emulator's own calls, which include the χ²
	// at the best fit after the count of evaluations: a few more.
	if want := float64(r.Fallbacks) / float64(r.Evaluations); math.Abs(r.FallbackFraction-want) > 1e-2*want {
		t.Errorf("fallback fraction %v, want about %d/%d", r.FallbackFraction, r.Fallbacks, r.Evaluations)
	}

	_, err := Build(&Config{Model: cosmo.Quintessence, Data: data, Backend: "emulator", NoFallback: true})
	if err == nil || !strings.Contains(err.Error(), "prior of Om, [0.01, 0.99], leaves the emulator's domain [0.05, 0.7]") {
		t.Errorf("a prior beyond the domain without a fallback: %v", err)
	}
	r = runFitQuiet(t, &Config{Model: cosmo.Quintessence, Data: data, Backend: "emulator", NoFallback: true, Priors: inside, Sampler: steps})
	if r.Fallbacks != 0 {
		t.Errorf("%d fallbacks without a fallback", r.Fallbacks)
	}
	// ω_b is free of the late universe's domain (the closed form's has none).
	if _, err := Build(&Config{Model: cosmo.LCDM, Data: []string{"desi-dr2"}, Backend: "emulator", NoFallback: true,
		Priors: map[string]string{"Om": "0.1:0.6", "H0": "55:85", "ombh2": "gauss:0.02218:0.00055"}}); err != nil {
		t.Errorf("BAO with ω_b and no CMB: %v", err)
	}
}

// runFitQuiet is runFit for short runs, whose convergence is not the point.
func runFitQuiet(t *testing.T, cfg *Config) *Result {
	t.Helper()
	p, err := Build(cfg)
	if err != nil {
		t.Fatal(err)
	}
	r, err := p.Run(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestSameDataTwice: the same data given twice are refused whatever their
// names — a built-in set and its files by path as well as a set named
// twice — and so are sets that must never be combined, also when one is
// given by its files (e1c6a3b compared names only, and warned only for
// sdss-dr12 with DESI).
func TestSameDataTwice(t *testing.T) {
	const dr1, dr2 = "../data/bao/desi_dr1/desi_2024_gaussian_bao_ALL_GCcomb", "../data/bao/desi_dr2/desi_gaussian_bao_ALL_GCcomb"
	// Part of a set beside it: DESI DR2's LRG pair at z = 0.51 with its
	// covariance, and cc31's first rows.
	dir := t.TempDir()
	lrg, lrgCov, cc := filepath.Join(dir, "lrg_mean.txt"), filepath.Join(dir, "lrg_cov.txt"), filepath.Join(dir, "cc.txt")
	for path, content := range map[string]string{
		lrg:    "0.51000000 13.58758434 DM_over_rs\n0.51000000 21.86294686 DH_over_rs\n",
		lrgCov: "2.83473742e-02 -3.26062007e-02\n-3.26062007e-02 1.83928040e-01\n",
		cc:     "0.07 69 19.6\n0.09 69 12\n",
	} {
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		data []string
		want string
	}{
		{[]string{"cc31", "cc31"}, "data set cc31 given twice"},
		{[]string{"hz:../data/hz/cc31.txt", "cc31"}, "data sets ../data/hz/cc31.txt and cc31 hold the same data"},
		{[]string{"bao:" + dr2 + "_mean.txt:" + dr2 + "_cov.txt", "desi-dr2"}, "hold the same data"},
		{[]string{"desi-dr2", "sdss-dr12"}, "desi-dr2 and sdss-dr12 cannot be combined: BOSS DR12 and DESI measure BAO at overlapping redshifts"},
		{[]string{"desi-dr1-eboss-lya", "desi-dr1"}, "cannot be combined: both hold DESI DR1's ten"},
		{[]string{"bao:" + dr1 + "_mean.txt:" + dr1 + "_cov.txt", "desi-dr2"}, "(the data of desi-dr1) and desi-dr2 cannot be combined: DESI DR2 supersedes DR1"},
		{[]string{"bao:" + lrg + ":" + lrgCov, "desi-dr2"}, "data sets " + lrg + " and desi-dr2 both hold the measurement DM/rd = 13.58758434 at z = 0.51 (" + lrg + ":1, row 2 of desi-dr2)"},
		{[]string{"cc31", "hz:" + cc}, "data sets cc31 and " + cc + " both hold the measurement H(z) = 69 at z = 0.07 (row 1 of cc31, " + cc + ":1)"},
	} {
		_, err := Build(&Config{Data: tc.data})
		var ce *ConfigError
		if err == nil || !strings.Contains(err.Error(), tc.want) || !errors.As(err, &ce) || ce.Field != "Data" {
			t.Errorf("%v: error %v, want a ConfigError of Data containing %q", tc.data, err, tc.want)
		}
	}
	// Sets that no rule excludes combine.
	if _, err := Build(&Config{Data: []string{"sdss-dr12", "cc31", "union3"}}); err != nil {
		t.Error(err)
	}
}

// TestSNOffsetsPerSample: supernova samples with different zero points
// each get their own offset when M is sampled (e1c6a3b shared one M
// between union3, whose mb is a distance modulus, and Pantheon+'s m_b_corr
// at −19.3: Ωm = 0.462 and χ²(union3) = 46,972).
func TestSNOffsetsPerSample(t *testing.T) {
	cfg := &Config{Data: []string{"union3", "pantheonplus"}, DiagOnly: true, Priors: map[string]string{"M_union3": "-25:25", "M_pantheonplus": "-25:25"},
		Sampler: Sampler{Steps: 600, Seed: 2}}
	p, err := Build(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(p.Space.Names(), " "); got != "Om M_union3 M_pantheonplus" {
		t.Fatalf("samples %s, want Om M_union3 M_pantheonplus", got)
	}
	if l := p.Space.Param(1).Label; l != `M_{\rm union3}` {
		t.Errorf("label %s", l)
	}
	r, err := p.Run(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("Om = %.4f ± %.4f, M_union3 = %.3f, M_pantheonplus = %.3f, χ² %v", r.Mean[0], r.Std[0], r.Mean[1], r.Mean[2], r.Chi2ByData)
	if r.Chi2ByData["union3"] > 40 || math.Abs(r.Mean[0]-0.35) > 0.03 || math.Abs(r.Mean[2]+19.34) > 0.05 || math.Abs(r.Mean[1]) > 0.3 {
		t.Errorf("Om = %.4f, M = %.3f, %.3f, χ² %v: want Om ≈ 0.35, M_union3 ≈ 0, M_pantheonplus ≈ −19.34, χ²(union3) ≈ 24",
			r.Mean[0], r.Mean[1], r.Mean[2], r.Chi2ByData)
	}
	// A prior on one sample's offset samples that one only.
	cfg.Priors = map[string]string{"M_union3": "-1:1"}
	if p, err = Build(cfg); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(p.Space.Names(), " "); got != "Om M_union3" || len(p.Posterior.Marginalised()) != 1 {
		t.Errorf("samples %s, marginalises %v; want Om M_union3, and M_pantheonplus marginalised", got, p.Posterior.Marginalised())
	}
	// One sample keeps the name M.
	if p, err = Build(&Config{Data: []string{"union3"}, Priors: map[string]string{"M": "-1:1"}}); err != nil || p.Space.Names()[1] != "M" {
		t.Errorf("union3 alone: %v", err)
	}
}

// TestSNSharedMPrior: a prior on the bare M is refused when several
// supernova samples declare it, as a fixed M is (1e59bda gave every sample
// the prior: gauss:-19.25:0.03 put Union3's M, a zero point near 0, at
// −17.28, χ²(union3) = 37,718, exit 0).
func TestSNSharedMPrior(t *testing.T) {
	for _, spec := range []string{"gauss:-19.25:0.03", "-19:-18.9"} {
		_, err := Build(&Config{Data: []string{"union3", "pantheonplus"}, DiagOnly: true, Priors: map[string]string{"M": spec}})
		want := "fit: prior on M: union3 and pantheonplus each have their own supernova absolute magnitude (M): give M_union3 and/or M_pantheonplus"
		var ce *ConfigError
		if err == nil || err.Error() != want || !errors.As(err, &ce) || ce.Field != "Priors" || ce.Key != "M" {
			t.Errorf("M=%s: error %v, want a ConfigError of Priors, key M: %q", spec, err, want)
		}
	}
	_, err := Build(&Config{Data: []string{"union3", "pantheonplus", "desy5"}, DiagOnly: true, Priors: map[string]string{"M": "-1:1"}})
	if want := "union3, pantheonplus and desy5 each have their own supernova absolute magnitude (M): give M_union3, M_pantheonplus and/or M_desy5"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("three samples: error %v, want %q", err, want)
	}
	// A fixed M is refused too, naming the samples' offsets.
	_, err = Build(&Config{Data: []string{"union3", "pantheonplus"}, DiagOnly: true, Fixed: map[string]float64{"M": -19.25}})
	if err == nil || !strings.Contains(err.Error(), "M_union3, M_pantheonplus") {
		t.Errorf("fixed M: error %v", err)
	}
}

// TestH0Only: an H0 measurement alone is an H0 fit (e1c6a3b failed with
// "cosmo: empty request": no observable to ask the backend for).
func TestH0Only(t *testing.T) {
	r := runFitQuiet(t, &Config{Data: []string{"sh0es"}, Fixed: map[string]float64{"Om": 0.3}, Sampler: Sampler{Steps: 3000, Seed: 1}})
	if len(r.Params) != 1 || math.Abs(r.Mean[0]-73.04) > 0.1 || math.Abs(r.Std[0]/1.04-1) > 0.06 {
		t.Errorf("%v = %v ± %v, want H0 = 73.04 ± 1.04", r.Params, r.Mean, r.Std)
	}
}

// TestExtremeData: finite data that no χ² can hold are refused when
// opened, naming the file and the row (e1c6a3b took them, and then every
// point failed with "non-finite χ² +Inf", naming neither).
func TestExtremeData(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ spec, file, content, want string }{
		{"hz:", "hz.txt", "0.1 70 5\n0.5 1e200 5\n", ": row 2: the value 1e+200 is 2e+199 times its error"},
		{"hz:", "tiny.txt", "0.1 70 1e-200\n", ": row 1: the value 70 is 7e+201 times its error"},
		{"bao:", "bao.txt", "0.5 13 0.2 DM_over_rs\n0.8 1e250 0.5 DH_over_rs\n", ": row 2: the value 1e+250"},
		{"sn:", "sn.txt", "zHD zHEL MU MUERR\n0.1 0.1 38 0.1\n0.2 0.2 1e300 0.1\n", ": row 2: the value"},
		// A redshift no late-time data have (1e59bda: "no point of the prior
		// box … x4.txt finds the point impossible (χ² = +Inf)").
		{"hz:", "far.txt", "0.1 70 5\n1e300 80 5\n", ":2:1: column 1 (z): redshift 1e+300 is above 1100 (recombination)"},
		{"bao:", "farbao.txt", "0.5 13 0.2 DM_over_rs\n5000 9 0.5 DH_over_rs\n", ":2:1: column 1 (z): redshift 5000 is above 1100"},
	} {
		path := filepath.Join(dir, tc.file)
		if err := os.WriteFile(path, []byte(tc.content), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Build(&Config{Data: []string{tc.spec + path}})
		if err == nil || !strings.Contains(err.Error(), path+tc.want) {
			t.Errorf("%s: error %v, want %q", tc.file, err, path+tc.want)
		}
	}
}

func TestPaperDefaults(t *testing.T) {
	c := Config{Data: []string{"cc31"}, Priors: map[string]string{"H0": "60:80"}}
	PaperDefaults(&c)
	if c.Priors["Om"] != "0.1:0.5" || c.Priors["H0"] != "60:80" {
		t.Errorf("the paper's fit: priors %v", c.Priors)
	}
	for _, c := range []Config{{Data: []string{"cc31"}, Model: cosmo.WCDM}, {Data: []string{"cc31", "desi-dr2"}}, {Data: []string{"simulated20"}}} {
		PaperDefaults(&c)
		if len(c.Priors) != 0 {
			t.Errorf("%v: priors %v, want none", c.Data, c.Priors)
		}
	}
}
