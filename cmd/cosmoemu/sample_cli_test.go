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

func TestSampleJSONAndFiles(t *testing.T) {
	root := filepath.Join(t.TempDir(), "sub", "run") // -out makes the directory
	args := []string{"sample", "-backend", "analytic", "-steps", "400", "-walkers", "8", "-seed", "2", "-out", root, "-json"}
	code, stdout, stderr := runCLI(t, args...)
	if code != 0 {
		t.Fatal(stderr)
	}
	var r map[string]any
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	for _, k := range []string{"backend", "params", "mean", "std", "best_fit", "tau", "ess", "acceptance", "evaluations", "wall_seconds", "evaluations_per_second", "chi2_min", "chi2_by_data"} {
		if _, ok := r[k]; !ok {
			t.Errorf("sample -json lacks %q", k)
		}
	}
	params := r["params"].([]any)
	if len(params) != 2 || params[0] != "Om" || params[1] != "H0" {
		t.Errorf("params %v, want [Om H0]", params)
	}
	mean := r["mean"].([]any)
	if om := mean[0].(float64); om < 0.15 || om > 0.5 {
		t.Errorf("Om0 mean %v", om)
	}
	if h := mean[1].(float64); h < 60 || h > 76 {
		t.Errorf("H0 mean %v", h)
	}
	for _, name := range []string{"_1.txt", "_8.txt", ".paramnames", ".properties.ini", ".chain.npy", ".lnprob.npy", ".summary.json", ".corner.png"} {
		if _, err := os.Stat(root + name); err != nil {
			t.Errorf("missing output %s: %v", root+name, err)
		}
	}
	checkPNG(t, root+".corner.png")
	// The chain loads in numpy as (steps, walkers, parameters), and its
	// mean agrees with the summary's (burn-in aside, loosely).
	out := numpytest.Run(t, `
import sys, numpy as np
c = np.load(sys.argv[1] + ".chain.npy")
print(c.shape[0], c.shape[1], c.shape[2], c[:, :, 0].mean())
`, root)
	f := strings.Fields(string(out))
	if len(f) != 4 || f[0] != "400" || f[1] != "8" || f[2] != "2" {
		t.Errorf("numpy sees %q, want shape (400, 8, 2)", out)
	}
	// The text chains read as GetDist reads them: numpy.loadtxt columns
	// weight, −ln L, then the parameters named in ROOT.paramnames.
	out = numpytest.Run(t, `
import sys, numpy as np
names = [l.split()[0] for l in open(sys.argv[1] + ".paramnames") if l.strip()]
c = np.loadtxt(sys.argv[1] + "_1.txt")
assert c.ndim == 2 and c.shape[1] == 2 + len(names), c.shape
assert np.all(c[:, 0] == 1) and np.all(np.isfinite(c[:, 1]))
assert np.allclose(c[:, 4], 2 * c[:, 1], rtol=1e-14, atol=0)  # the derived chi2 = 2 (−ln L), to rounding
assert np.array_equal(c[:, 5], c[:, 4])  # chi2_cc31, the only data set
print(" ".join(names), c.shape[0], c[:, 1].min())
`, root)
	if f := strings.Fields(string(out)); len(f) != 6 || f[0] != "Om" || f[1] != "H0" || f[2] != "chi2*" || f[3] != "chi2_cc31*" || f[4] != "400" {
		t.Errorf("GetDist-style read: %q (want Om H0, the derived chi2* and chi2_cc31*, and the 400 steps of the first walker)", out)
	}
	// The same seed gives the same chains.
	first, _ := os.ReadFile(root + "_1.txt")
	root2 := filepath.Join(t.TempDir(), "again")
	args[len(args)-2] = root2
	if code, _, stderr := runCLI(t, args...); code != 0 {
		t.Fatal(stderr)
	}
	if second, _ := os.ReadFile(root2 + "_1.txt"); string(first) != string(second) {
		t.Error("the same seed gives different chains")
	}
	// Resume extends a finished run.
	if code, _, stderr := runCLI(t, "sample", "-backend", "analytic", "-steps", "600", "-walkers", "8", "-seed", "2", "-out", root, "-resume", "-json"); code != 0 {
		t.Fatalf("resume: %s", stderr)
	}
	if out := numpytest.Run(t, `
import sys, numpy as np
print(np.load(sys.argv[1] + ".chain.npy").shape[0])
`, root); strings.TrimSpace(string(out)) != "600" {
		t.Errorf("resumed chain has %s steps, want 600", out)
	}
}

func TestCompareJSON(t *testing.T) {
	code, stdout, stderr := runCLI(t, "compare", "-steps", "300", "-walkers", "8", "-json")
	if code != 0 {
		t.Fatal(stderr)
	}
	var r struct {
		Model string   `json:"model"`
		Data  []string `json:"data"`
		Runs  []struct {
			Backend string    `json:"backend"`
			Mean    []float64 `json:"mean"`
			EvalsPS float64   `json:"evaluations_per_second"`
		} `json:"runs"`
		Speedup    float64 `json:"speedup_analytic_vs_solver"`
		EmuSpeedup float64 `json:"speedup_emulator_vs_solver"`
		MaxShift   float64 `json:"analytic_max_mean_shift_sigma"`
		MaxStdRel  float64 `json:"analytic_max_std_rel_diff"`
		EmuShift   float64 `json:"max_mean_shift_sigma"`
		EmuStdRel  float64 `json:"max_std_rel_diff"`
		Fallback   float64 `json:"fallback_fraction"`
	}
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	if r.Model != "lcdm" || len(r.Data) != 1 || r.Data[0] != "cc31" {
		t.Errorf("model %q, data %v", r.Model, r.Data)
	}
	if len(r.Runs) != 3 || r.Runs[0].Backend != "analytic" || r.Runs[1].Backend != "solver" || r.Runs[2].Backend != "emulator" {
		t.Fatalf("runs %+v", r.Runs)
	}
	// Speed is shown by the benchmarks, not asserted here: under -race or
	// on a loaded machine timings mean nothing. The ratios must be ratios
	// of the runs' own figures.
	if want := r.Runs[0].EvalsPS / r.Runs[1].EvalsPS; !(r.Speedup > 0) || math.Abs(r.Speedup/want-1) > 1e-12 {
		t.Errorf("speedup %v, want %v", r.Speedup, want)
	}
	if want := r.Runs[2].EvalsPS / r.Runs[1].EvalsPS; !(r.EmuSpeedup > 0) || math.Abs(r.EmuSpeedup/want-1) > 1e-12 {
		t.Errorf("emulator speedup %v, want %v", r.EmuSpeedup, want)
	}
	// Same seed, the same posterior to the solver's 1e-9: identical
	// accept/reject decisions, so the chains agree to far below 0.01σ.
	// The emulator's H(z) is the closed form at its nodes for ΛCDM, so it
	// agrees as well; the cc31 prior lies inside its domain.
	if r.MaxShift > 0.01 || r.MaxStdRel > 0.01 {
		t.Errorf("closed form against solver: mean shift %.3g σ, σ difference %.3g", r.MaxShift, r.MaxStdRel)
	}
	if r.EmuShift > 0.01 || r.EmuStdRel > 0.01 {
		t.Errorf("emulator against solver: mean shift %.3g σ, σ difference %.3g", r.EmuShift, r.EmuStdRel)
	}
	if r.Fallback != 0 {
		t.Errorf("fallback fraction %v inside the emulator's domain", r.Fallback)
	}
}

// The simulated points pull Ω_m0 past the prior's edge at 0.5, where the
// best fit has no Hessian: sampling starts from a small ball there instead.
func TestSamplePosteriorOnPriorEdge(t *testing.T) {
	code, stdout, stderr := runCLI(t, "sample", "-backend", "analytic", "-data", "simulated20", "-steps", "300", "-walkers", "8", "-json")
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	var r struct {
		Mean  []float64
		Notes []string
	}
	if err := json.Unmarshal([]byte(stdout), &r); err != nil || !(r.Mean[0] > 0.35 && r.Mean[0] < 0.5) {
		t.Errorf("Om mean %v (%v), want it piled up below 0.5", r.Mean, err)
	}
	if !strings.Contains(strings.Join(r.Notes, " "), "edge of the prior") {
		t.Errorf("notes %q do not say the best fit is on the prior's edge", r.Notes)
	}
}

func TestSampleErrors(t *testing.T) {
	dir := t.TempDir()
	badData := filepath.Join(dir, "bad.txt")
	os.WriteFile(badData, []byte("# z H sigma\n0.1 70 5\n0.2 72\n"), 0o644)
	cov := filepath.Join(dir, "cov.txt")
	os.WriteFile(cov, []byte("1 0\n0 1\n"), 0o644)
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"sample", "-sampler", "gibbs"}, 2, "want ensemble, mh or nested"},
		{[]string{"sample", "-resume"}, 2, "-resume needs -out"},
		{[]string{"sample", "-backend", "magic"}, 2, "unknown backend"},
		{[]string{"sample", "-walkers", "5"}, 2, "even number"},
		{[]string{"sample", "-data", badData}, 2, "bad.txt:3"},
		{[]string{"sample", "-data", filepath.Join(dir, "none.txt")}, 2, "none.txt"},
		{[]string{"sample", "-data", badData, "-cov", cov}, 2, "bad.txt:3"},
		{[]string{"sample", "-cov", cov}, 2, "brings its own"},
		{[]string{"compare", "-steps", "0"}, 2, "-steps: must be an integer in [1, 10000000]"},
		{[]string{"fit", "-data", "desi-dr2", "-prior", "Om=0.5:0.1"}, 2, "lo < hi"},
		{[]string{"fit", "-data", "desi-dr2", "-prior", "Om"}, 2, "want NAME=VALUE"},
		{[]string{"fit", "-data", "desi-dr2", "-fix", "Om=x"}, 2, "finite number"},
		{[]string{"fit", "-data", "desi-dr2", "-prior", "Om=0.1:0.5", "-prior", "Om=0.2:0.4"}, 2, "-prior Om given twice"},
		{[]string{"fit", "-data", "desi-dr2", "-fix", "Om=0.3", "-fix", "Om=0.31"}, 2, "parameter Om given twice"},
		{[]string{"fit", "-data", "desi-dr2", "-prior", "w=-2:0"}, 2, `fit: -prior w: model lcdm does not take parameter "w"`},
		{[]string{"fit", "-data", "desi-dr2,cc31,desi-dr2"}, 2, "fit: -data: likelihood: data set desi-dr2 given twice"},
		{[]string{"fit", "-data", "sdss-dr12,desi-dr1"}, 2, "cannot be combined"},
		{[]string{"fit"}, 2, "-data is required"},
		{[]string{"fit", "-data", "desi-dr2", "-resume", "-force", "-out", filepath.Join(dir, "r")}, 2, "choose one"},
		{[]string{"fit", "-data", "desi-dr2", "-out", filepath.Join(dir, "r"), "-corner", filepath.Join(dir, "r_1.txt")}, 2, "both name"},
	} {
		code, _, stderr := runCLI(t, tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.want) {
			t.Errorf("cosmoemu %s: exit %d, %q; want exit %d and %q", strings.Join(tc.args, " "), code, stderr, tc.code, tc.want)
		}
	}
}

// compare -what early: the same fit with the exact and the emulated early
// universe, on data that need r_d from the model (BAO with a BBN prior).
func TestCompareEarlyJSON(t *testing.T) {
	code, stdout, stderr := runCLI(t, "compare", "-what", "early", "-data", "desi-dr2,bbn", "-steps", "300", "-walkers", "8", "-json")
	if code != 0 {
		t.Fatal(stderr)
	}
	var r struct {
		Backend string `json:"backend"`
		Runs    []struct {
			Early   string  `json:"early"`
			EvalsPS float64 `json:"evaluations_per_second"`
		} `json:"runs"`
		Speedup  float64 `json:"speedup_emulated_vs_exact"`
		Shift    float64 `json:"max_mean_shift_sigma"`
		StdRel   float64 `json:"max_std_rel_diff"`
		Fallback float64 `json:"early_fallback_fraction"`
	}
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	if r.Backend != "analytic" || len(r.Runs) != 2 || r.Runs[0].Early != "exact" || r.Runs[1].Early != "emulator" {
		t.Fatalf("backend %q, runs %+v", r.Backend, r.Runs)
	}
	if want := r.Runs[1].EvalsPS / r.Runs[0].EvalsPS; !(r.Speedup > 0) || math.Abs(r.Speedup/want-1) > 1e-12 {
		t.Errorf("speedup %v, want %v", r.Speedup, want)
	}
	// The emulator is within 1e-6 of the exact route: with the same seed
	// the chains take the same steps. A few of the best-fit search's
	// trial points leave its domain.
	if r.Shift > 0.01 || r.StdRel > 0.01 || r.Fallback > 0.01 {
		t.Errorf("emulated against exact: mean shift %.3g σ, σ difference %.3g, fallbacks %.3g", r.Shift, r.StdRel, r.Fallback)
	}
	for _, args := range [][]string{
		{"-what", "late"},
		{"-backend", "solver"},
		{"-what", "early", "-data", "cc31"},
	} {
		if code, _, stderr := runCLI(t, append([]string{"compare", "-steps", "10"}, args...)...); code != 2 || strings.Count(stderr, "\n") != 1 {
			t.Errorf("compare %v: exit %d, %q", args, code, stderr)
		}
	}
}
