package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cosmoemu/cosmoemu/internal/numpytest"
)

// getdistSite returns the directory that holds GetDist (the project's
// shared Python test tools, ../shared/pydeps/site from the module root),
// skipping the test without it unless COSMOEMU_REQUIRE_NUMPY is set.
func getdistSite(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
	site := filepath.Join(dir, "..", "shared", "pydeps", "site")
	if _, err := os.Stat(filepath.Join(site, "getdist", "mcsamples.py")); err != nil {
		if os.Getenv("COSMOEMU_REQUIRE_NUMPY") != "" {
			t.Fatalf("GetDist not found in %s, and COSMOEMU_REQUIRE_NUMPY is set", site)
		}
		t.Skipf("GetDist not found in %s", site)
	}
	return site
}

// getdistScript loads ROOT with GetDist's loadMCSamples, as a user would
// (no settings: the burn-in comes from ROOT.properties.ini), and prints
// JSON: the rows kept, the sampler, ignore_rows, 2·(−ln L) of the best-fit
// sample, and per parameter the effective samples, correlation length,
// mean, ranges and whether it is derived.
const getdistScript = `
import json, os, sys
sys.path.insert(0, sys.argv[2])
os.environ["MPLBACKEND"] = "Agg"
from getdist import loadMCSamples
s = loadMCSamples(sys.argv[1], no_cache=True)
out = {"rows": int(s.numrows), "sampler": s.sampler, "ignore_rows": float(s.ignore_rows),
       "chi2_best_sample": 2 * float(s.getLikeStats().logLike_sample), "chains": len(s.chain_offsets) - 1,
       "params": {}}
for j, p in enumerate(s.paramNames.names):
    lo, hi = s.ranges.getLower(p.name), s.ranges.getUpper(p.name)
    out["params"][p.name] = {"ess": float(s.getEffectiveSamples(j)), "corr_length": float(s.getCorrelationLength(j)),
        "mean": float(s.mean(p.name)), "derived": bool(p.isDerived), "lo": lo, "hi": hi}
print("JSON " + json.dumps(out))
`

type getdistView struct {
	Rows           int     `json:"rows"`
	Sampler        string  `json:"sampler"`
	IgnoreRows     float64 `json:"ignore_rows"`
	Chi2BestSample float64 `json:"chi2_best_sample"`
	Chains         int     `json:"chains"`
	Params         map[string]struct {
		ESS        float64  `json:"ess"`
		CorrLength float64  `json:"corr_length"`
		Mean       float64  `json:"mean"`
		Derived    bool     `json:"derived"`
		Lo         *float64 `json:"lo"`
		Hi         *float64 `json:"hi"`
	} `json:"params"`
}

func loadGetDist(t *testing.T, root string) getdistView {
	t.Helper()
	site := getdistSite(t)
	out := string(numpytest.Run(t, getdistScript, root, site))
	_, js, _ := strings.Cut(out, "\nJSON ")
	var v getdistView
	if err := json.Unmarshal([]byte(js), &v); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	return v
}

// TestGetDistReadsChains runs a fit and reads its chains with GetDist
// itself: GetDist takes the burn-in from ROOT.properties.ini, sees one
// chain per walker so that its effective sample size and correlation length
// agree with ours (within a factor 2), reports as its best-fit sample the
// χ² we report (chi2_min_sample), reads the prior ranges and knows chi2 for
// a derived parameter. The same for a nested-sampling run.
func TestGetDistReadsChains(t *testing.T) {
	getdistSite(t)
	dir := t.TempDir()
	root := filepath.Join(dir, "flat")
	code, stdout, stderr := runCLI(t, "fit", "-model", "wcdm", "-data", "desi-dr2", "-steps", "3000", "-walkers", "16", "-seed", "3", "-out", root, "-json")
	if code != 0 {
		t.Fatal(stderr)
	}
	var r struct {
		Params        []string  `json:"params"`
		Mean          []float64 `json:"mean"`
		Tau           []float64 `json:"tau"`
		ESS           []float64 `json:"ess"`
		Burn          int       `json:"burn"`
		Walkers       int       `json:"walkers"`
		Steps         int       `json:"steps"`
		Chi2Min       float64   `json:"chi2_min"`
		Chi2MinSample float64   `json:"chi2_min_sample"`
	}
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatal(err)
	}
	g := loadGetDist(t, root)
	if g.Sampler != "mcmc" || g.IgnoreRows != float64(r.Burn) || g.Rows != (r.Steps-r.Burn)*r.Walkers || g.Chains != r.Walkers {
		t.Errorf("GetDist: sampler %q, ignore_rows %v, %d rows in %d chains; want mcmc, %d, %d rows in %d chains", g.Sampler, g.IgnoreRows, g.Rows, g.Chains, r.Burn, (r.Steps-r.Burn)*r.Walkers, r.Walkers)
	}
	for i, name := range r.Params {
		p, ok := g.Params[name]
		if !ok {
			t.Fatalf("GetDist has no %s", name)
		}
		ratio := p.ESS / r.ESS[i]
		t.Logf("%s: τ = %.1f steps, ESS %.0f; GetDist: correlation length %.1f rows, effective samples %.0f (ratio %.2f)", name, r.Tau[i], r.ESS[i], p.CorrLength, p.ESS, ratio)
		if !(ratio > 0.5 && ratio < 2) {
			t.Errorf("%s: GetDist's effective samples %.0f, ours %.0f", name, p.ESS, r.ESS[i])
		}
		if p.Derived || p.Lo == nil || p.Hi == nil {
			t.Errorf("%s: derived %v, range [%v, %v]: want a sampled parameter with the prior range", name, p.Derived, p.Lo, p.Hi)
		}
	}
	if c, ok := g.Params["chi2"]; !ok || !c.Derived {
		t.Errorf("chi2: %+v, want a derived parameter", c)
	}
	if math.Abs(g.Chi2BestSample-r.Chi2MinSample) > 1e-9*r.Chi2MinSample || r.Chi2MinSample < r.Chi2Min {
		t.Errorf("GetDist's best-fit sample has χ² %.12g, we report %.12g (best fit %.12g)", g.Chi2BestSample, r.Chi2MinSample, r.Chi2Min)
	}

	// Nested sampling: weighted samples, no burn-in, the data's χ².
	nroot := filepath.Join(dir, "nest")
	code, stdout, stderr = runCLI(t, "fit", "-model", "lcdm", "-data", "desi-dr2,union3", "-sampler", "nested", "-live", "200", "-out", nroot, "-json")
	if code != 0 {
		t.Fatal(stderr)
	}
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatal(err)
	}
	g = loadGetDist(t, nroot)
	t.Logf("nested: GetDist best-fit sample χ² %.6g, ours %.6g (best fit %.6g)", g.Chi2BestSample, r.Chi2MinSample, r.Chi2Min)
	if g.Sampler != "nested" || g.IgnoreRows != 0 || math.Abs(g.Chi2BestSample-r.Chi2MinSample) > 1e-9*r.Chi2MinSample || r.Chi2MinSample < r.Chi2Min {
		t.Errorf("nested: GetDist sampler %q, ignore_rows %v, best-fit sample χ² %v; want nested, 0, %v", g.Sampler, g.IgnoreRows, g.Chi2BestSample, r.Chi2MinSample)
	}
	for i, name := range r.Params {
		if p := g.Params[name]; p.Lo == nil || math.Abs(p.Mean-r.Mean[i]) > 1e-9*math.Abs(r.Mean[i]) {
			t.Errorf("nested %s: GetDist mean %v, range from %v; ours %v", name, p.Mean, p.Lo, r.Mean[i])
		}
	}
}
