package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

func TestFitJSONAndFiles(t *testing.T) {
	root := filepath.Join(t.TempDir(), "desi")
	args := []string{"fit", "-model", "lcdm", "-data", "desi-dr2", "-steps", "400", "-walkers", "8", "-out", root, "-json"}
	code, stdout, stderr := runCLI(t, args...)
	if code != 0 {
		t.Fatal(stderr)
	}
	var r map[string]any
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	for _, k := range []string{"params", "mean", "std", "q025", "q975", "best_fit", "chi2_min", "chi2_by_data", "n_data", "tau", "ess", "converged", "evaluations_per_second", "data", "model"} {
		if _, ok := r[k]; !ok {
			t.Errorf("fit -json lacks %q", k)
		}
	}
	if n := r["n_data"].(float64); n != 13 {
		t.Errorf("n_data %v, want 13", n)
	}
	if c := r["chi2_by_data"].(map[string]any); len(c) != 1 || c["desi-dr2"] == nil {
		t.Errorf("chi2_by_data %v", c)
	}
	for _, suffix := range []string{"_1.txt", ".paramnames", ".ranges", ".chain.npy", ".corner.png"} {
		if _, err := os.Stat(root + suffix); err != nil {
			t.Errorf("missing %s: %v", root+suffix, err)
		}
	}
	ranges, _ := os.ReadFile(root + ".ranges")
	if !strings.Contains(string(ranges), "Om") || !strings.Contains(string(ranges), "hrd") {
		t.Errorf(".ranges: %q", ranges)
	}
	// A finished run is not overwritten without -force, and a resume with
	// other data is refused, naming what changed.
	if code, _, stderr := runCLI(t, args...); code == 0 || !strings.Contains(stderr, "-force") {
		t.Errorf("second run on the same root: exit %d, %q", code, stderr)
	}
	resume := []string{"fit", "-model", "lcdm", "-data", "desi-dr1", "-steps", "500", "-walkers", "8", "-out", root, "-resume"}
	if code, _, stderr := runCLI(t, resume...); code == 0 || !strings.Contains(stderr, "data") {
		t.Errorf("resume with other data: exit %d, %q", code, stderr)
	}
	if code, _, stderr := runCLI(t, append(args[:len(args)-1], "-force")...); code != 0 {
		t.Errorf("-force: %s", stderr)
	}
}

func TestFitNestedAndEvidence(t *testing.T) {
	root := filepath.Join(t.TempDir(), "nest")
	code, stdout, stderr := runCLI(t, "fit", "-model", "lcdm", "-data", "desi-dr2", "-sampler", "nested", "-live", "100", "-out", root, "-json")
	if code != 0 {
		t.Fatal(stderr)
	}
	var r map[string]any
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	for _, k := range []string{"logz", "logz_err", "information", "mean", "std", "chi2_min"} {
		if _, ok := r[k]; !ok {
			t.Errorf("fit -sampler nested -json lacks %q", k)
		}
	}
	// The weighted GetDist chain: weights sum to one.
	b, err := os.ReadFile(root + ".txt")
	if err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var w float64
		if _, err := fmt.Sscan(line, &w); err != nil {
			t.Fatal(err)
		}
		sum += w
	}
	if sum < 0.999999 || sum > 1.000001 {
		t.Errorf("weights sum to %v", sum)
	}

	code, stdout, stderr = runCLI(t, "evidence", "-models", "lcdm,wcdm", "-data", "desi-dr2", "-live", "100", "-json")
	if code != 0 {
		t.Fatal(stderr)
	}
	var ev struct {
		Models []struct {
			Model     string   `json:"model"`
			LogZ      float64  `json:"logz"`
			LogZErr   float64  `json:"logz_err"`
			DeltaLogZ float64  `json:"delta_logz"`
			Chi2Min   float64  `json:"chi2_min"`
			NParams   int      `json:"n_params"`
			Calls     int64    `json:"calls"`
			Wall      float64  `json:"wall_seconds"`
			Fallback  *float64 `json:"fallback_fraction"`
		} `json:"models"`
	}
	if err := json.Unmarshal([]byte(stdout), &ev); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	for _, m := range ev.Models {
		if m.Calls <= 0 || !(m.Wall > 0) || m.Fallback == nil || *m.Fallback != 0 {
			t.Errorf("%s: calls %d, wall %v s, fallback fraction %v (the closed form never falls back)", m.Model, m.Calls, m.Wall, m.Fallback)
		}
	}
	if len(ev.Models) != 2 || ev.Models[0].Model != "lcdm" || ev.Models[1].NParams != 3 || ev.Models[0].DeltaLogZ != 0 {
		t.Fatalf("%+v", ev.Models)
	}
	if d := ev.Models[1].LogZ - ev.Models[0].LogZ; d != ev.Models[1].DeltaLogZ {
		t.Errorf("Δln Z %v, want %v", ev.Models[1].DeltaLogZ, d)
	}
	// Calls where the model is unphysical (a bounce with Ωk < 0) are
	// counted and said, as fit says them.
	if code, stdout, stderr := runCLI(t, "evidence", "-models", "olcdm", "-data", "desi-dr2", "-prior", "Ok=-1:1", "-live", "60"); code != 0 || !regexp.MustCompile(`note: olcdm: [1-9][0-9]* calls fell where the model is unphysical`).MatchString(stdout) {
		t.Errorf("unphysical calls: exit %d, %s%s", code, stdout, stderr)
	}
	if code, _, stderr := runCLI(t, "evidence", "-models", "lcdm,bogus", "-data", "desi-dr2"); code != 2 || !strings.Contains(stderr, "bogus") {
		t.Errorf("unknown model: exit %d, %q", code, stderr)
	}
	// The MCMC flags of fit do not apply to evidence: refused, not
	// silently ignored, and not offered by -h.
	if code, _, stderr := runCLI(t, "evidence", "-steps", "100", "-data", "desi-dr2"); code != 2 || !strings.Contains(stderr, "not defined: -steps") || strings.Count(stderr, "\n") != 1 {
		t.Errorf("evidence -steps: exit %d, %q", code, stderr)
	}
	if _, stdout, stderr := runCLI(t, "evidence", "-h"); strings.Contains(stdout+stderr, "-walkers") || !strings.Contains(stdout+stderr, "-live") {
		t.Errorf("evidence -h offers the MCMC flags or lacks -live:\n%s%s", stdout, stderr)
	}
}

// filesOf returns the contents of the files of dir, without the lock.
func filesOf(t *testing.T, dir string) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for _, e := range entries {
		if b, err := os.ReadFile(filepath.Join(dir, e.Name())); err == nil {
			m[e.Name()] = string(b)
		}
	}
	return m
}

func sameDir(t *testing.T, what string, want, got map[string]string) {
	t.Helper()
	if len(want) != len(got) {
		t.Errorf("%s: %d files, want %d", what, len(got), len(want))
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %s changed", what, k)
		}
	}
}

// Runs of one kind never replace runs of another without -force, and a
// root whose GetDist chains would be another run's (a_1 against a) is
// refused, also on resume.
func TestFitRootsOfOtherRuns(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a")
	mcmcArgs := []string{"fit", "-data", "desi-dr2", "-steps", "60", "-walkers", "8", "-out", a}
	if code, _, stderr := runCLI(t, mcmcArgs...); code != 0 {
		t.Fatal(stderr)
	}
	before := filesOf(t, dir)
	nestedArgs := func(out string) []string {
		return []string{"fit", "-data", "desi-dr2", "-sampler", "nested", "-live", "50", "-out", out}
	}
	// A nested fit on the MCMC root.
	if code, _, stderr := runCLI(t, nestedArgs(a)...); code == 0 || !strings.Contains(stderr, "holds a finished run of 60 steps") || !strings.Contains(stderr, "-force") {
		t.Errorf("nested over MCMC: exit %d, %q", code, stderr)
	}
	sameDir(t, "nested over MCMC", before, filesOf(t, dir))
	// A nested fit whose ROOT.txt is chain 1 of a.
	code, _, stderr := runCLI(t, nestedArgs(a+"_1")...)
	if code == 0 || !strings.Contains(stderr, "a_1.txt is chain 1 of the run at") || strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
		t.Errorf("nested on a_1: exit %d, %q", code, stderr)
	}
	sameDir(t, "nested on a_1", before, filesOf(t, dir))
	// Forced, it writes a_1.txt; a then refuses to resume.
	if code, _, stderr := runCLI(t, append(nestedArgs(a+"_1"), "-force")...); code != 0 {
		t.Fatalf("forced nested on a_1: %s", stderr)
	}
	resume := []string{"fit", "-data", "desi-dr2", "-steps", "80", "-walkers", "8", "-out", a, "-resume"}
	if code, _, stderr := runCLI(t, resume...); code == 0 || !strings.Contains(stderr, "a_1.txt") {
		t.Errorf("resume of a with a_1.txt overwritten: exit %d, %q", code, stderr)
	}
	// An MCMC fit on a nested root is refused, and so is its resume,
	// naming the kind.
	b := filepath.Join(dir, "b")
	if code, _, stderr := runCLI(t, nestedArgs(b)...); code != 0 {
		t.Fatal(stderr)
	}
	if code, _, stderr := runCLI(t, "fit", "-data", "desi-dr2", "-steps", "60", "-walkers", "8", "-out", b); code == 0 || !strings.Contains(stderr, "holds a finished nested-sampling run") {
		t.Errorf("MCMC over nested: exit %d, %q", code, stderr)
	}
	if code, _, stderr := runCLI(t, "fit", "-data", "desi-dr2", "-steps", "60", "-walkers", "8", "-out", b, "-resume"); code == 0 || !strings.Contains(stderr, "not a run of the ensemble sampler") {
		t.Errorf("MCMC resume of nested: exit %d, %q", code, stderr)
	}
}

// A checkpoint that is a FIFO (or a link to /dev/zero) is refused at once,
// for -resume and for a fresh run, by both samplers.
func TestFitCheckpointNotRegular(t *testing.T) {
	for _, sampler := range []string{"ensemble", "nested"} {
		for _, resume := range []bool{true, false} {
			for _, special := range []string{"fifo", "zero"} {
				dir := t.TempDir()
				root := filepath.Join(dir, "r")
				if special == "fifo" {
					if err := unix.Mkfifo(root+".checkpoint", 0o644); err != nil {
						t.Fatal(err)
					}
				} else if err := os.Symlink("/dev/zero", root+".checkpoint"); err != nil {
					t.Fatal(err)
				}
				args := []string{"fit", "-data", "desi-dr2", "-sampler", sampler, "-steps", "50", "-walkers", "8", "-out", root}
				if sampler == "nested" {
					args = []string{"fit", "-data", "desi-dr2", "-sampler", sampler, "-live", "50", "-out", root}
				}
				if resume {
					args = append(args, "-resume")
				}
				done := make(chan struct{})
				var code int
				var stderr string
				go func() {
					defer close(done)
					code, _, stderr = runCLI(t, args...)
				}()
				select {
				case <-done:
				case <-time.After(30 * time.Second):
					t.Fatalf("%s resume=%v %s: hangs", sampler, resume, special)
				}
				if code == 0 || !strings.Contains(stderr, "not a regular file") {
					t.Errorf("%s resume=%v %s: exit %d, %q", sampler, resume, special, code, stderr)
				}
			}
		}
	}
}

// -json is valid JSON even when a diagnostic is undefined (one step: no
// acceptance after the burn-in).
func TestFitJSONNonFinite(t *testing.T) {
	code, stdout, stderr := runCLI(t, "fit", "-data", "desi-dr2", "-steps", "1", "-walkers", "8", "-json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var r map[string]any
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	if v, ok := r["acceptance"]; !ok || v != nil {
		t.Errorf("acceptance of a one-step run: %v, want null", v)
	}
}

// A w0waCDM fit with growth data runs on the emulator backend by default
// (its embedded growth network); the evaluations outside the network's
// domain, answered by the growth ODE, are counted in -json and noted in
// the text, which then does not claim that every evaluation was inside.
func TestFitGrowthOutsideDomain(t *testing.T) {
	args := []string{"fit", "-model", "w0wacdm", "-data", "sdss-dr16-lrg-fs,sdss-dr16-qso-fs", "-prior", "Om=0.1:0.6", "-steps", "30", "-walkers", "14"}
	code, stdout, stderr := runCLI(t, append(args, "-json")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var r struct {
		Backend       string  `json:"backend"`
		Evaluations   int64   `json:"evaluations"`
		Fallbacks     int64   `json:"fallbacks"`
		GrowthOutside int64   `json:"growth_outside_domain"`
		Fraction      float64 `json:"growth_outside_fraction"`
	}
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatal(err)
	}
	if r.Backend != "emulator" || r.Fallbacks != 0 || r.GrowthOutside <= 0 || r.GrowthOutside >= r.Evaluations {
		t.Errorf("backend %s, %d fallbacks, %d of %d evaluations outside the growth domain", r.Backend, r.Fallbacks, r.GrowthOutside, r.Evaluations)
	}
	if !(r.Fraction > 0 && r.Fraction < 1) {
		t.Errorf("growth_outside_fraction %g, want the share in (0, 1)", r.Fraction)
	}
	code, stdout, stderr = runCLI(t, args...)
	if code != 0 || !strings.Contains(stdout, "fell outside the growth emulator's domain: the growth ODE on the closed form computed their growth") ||
		strings.Contains(stdout, "every evaluation was inside its domain") {
		t.Errorf("exit %d: %s%s", code, stdout, stderr)
	}
}
