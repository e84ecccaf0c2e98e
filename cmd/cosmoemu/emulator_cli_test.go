package main

import (
	"bytes"
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cosmoemu/cosmoemu/emulator"
)

func checkPNG(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := png.Decode(f); err != nil {
		t.Errorf("%s: %v", path, err)
	}
}

func TestTrainPredictValidate(t *testing.T) {
	dir := t.TempDir()
	gridPath := filepath.Join(dir, "g.npz")
	if code, _, stderr := runCLI(t, "grid", "-om", "0.2:0.4:15", "-h0", "60:70:2", "-N", "-3:0:13", "-out", gridPath); code != 0 {
		t.Fatal(stderr)
	}
	model := filepath.Join(dir, "m.bin")
	args := []string{"train", "-grid", gridPath, "-out", model, "-epochs", "30", "-lbfgs", "30", "-hidden", "4", "-check", "50", "-seed", "3"}
	code, stdout, stderr := runCLI(t, args...)
	if code != 0 {
		t.Fatalf("train: %s", stderr)
	}
	for _, want := range []string{"network lnE", "network omega", "final cost", "against the closed form"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("train output lacks %q:\n%s", want, stdout)
		}
	}
	checkPNG(t, filepath.Join(dir, "m.loss.png"))
	first, _ := os.ReadFile(model)
	if code, _, stderr := runCLI(t, append(args, "-workers", "1")...); code != 0 {
		t.Fatal(stderr)
	}
	if second, _ := os.ReadFile(model); !bytes.Equal(first, second) {
		t.Error("the same seed trained twice gives different model files")
	}
	m, err := emulator.LoadFriedmann(model)
	if err != nil || m.Validation() == nil || m.Validation().N != 50 {
		t.Fatalf("model: %v, %+v", err, m)
	}
	// -lbfgs 0 trains with Adam alone.
	adamOnly := filepath.Join(dir, "adam.bin")
	if code, stdout, stderr := runCLI(t, "train", "-grid", gridPath, "-out", adamOnly, "-epochs", "20", "-lbfgs", "0", "-hidden", "4", "-check", "10"); code != 0 || !strings.Contains(stdout, "final cost") {
		t.Fatalf("-lbfgs 0: exit %d, %s", code, stderr)
	}

	points := filepath.Join(dir, "points.csv")
	os.WriteFile(points, []byte("N,Om0,H0\n-1,0.3,65\n0,0.25,61\n"), 0o644)
	code, stdout, stderr = runCLI(t, "predict", "-model", model, "-in", points)
	if code != 0 {
		t.Fatal(stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 3 || lines[0] != "N,Om0,H0,Omega_r,Omega_m,Omega_L,H" || !strings.HasPrefix(lines[2], "0,0.25,61,") {
		t.Errorf("predict output:\n%s", stdout)
	}

	outside := filepath.Join(dir, "outside.csv")
	os.WriteFile(outside, []byte("N,Om0,H0\n-1,0.3,65\n-1,0.45,65\n"), 0o644)
	if code, _, stderr := runCLI(t, "predict", "-model", model, "-in", outside); code != 2 || !strings.Contains(stderr, "outside.csv:3") || !strings.Contains(stderr, "Om0 = 0.45") {
		t.Errorf("out of domain: exit %d, %s", code, stderr)
	}
	if code, stdout, stderr := runCLI(t, "predict", "-model", model, "-in", outside, "-fallback"); code != 0 || strings.Count(stdout, "\n") != 3 {
		t.Errorf("fallback: exit %d, %s %s", code, stdout, stderr)
	}

	fig6, fig7 := filepath.Join(dir, "f6.png"), filepath.Join(dir, "f7.png")
	code, stdout, stderr = runCLI(t, "validate", "-model", model, "-n", "100", "-json", "-fig6", fig6, "-fig7", fig7)
	if code != 0 {
		t.Fatal(stderr)
	}
	var r map[string]any
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatalf("validate -json: %v\n%s", err, stdout)
	}
	for _, k := range []string{"n", "max_rel_err_H_z0_3", "max_rel_err_H_all", "max_abs_err_Omega"} {
		if _, ok := r[k]; !ok {
			t.Errorf("validate -json lacks %q", k)
		}
	}
	if r["n"].(float64) != 100 {
		t.Errorf("n = %v", r["n"])
	}
	checkPNG(t, fig6)
	checkPNG(t, fig7)
}

func TestEmulatorCommandErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("N,Om0,H0\n-1,abc,70\n"), 0o644)
	noCol := filepath.Join(dir, "nocol.csv")
	os.WriteFile(noCol, []byte("N,Om0\n-1,0.3\n"), 0o644)
	garbage := filepath.Join(dir, "garbage.bin")
	os.WriteFile(garbage, []byte("not a model"), 0o644)
	quote := filepath.Join(dir, "quote.csv")
	os.WriteFile(quote, []byte("N,Om0,H0\n\"-1\"x,0.3,65\n"), 0o644)
	dup := filepath.Join(dir, "dup.csv")
	os.WriteFile(dup, []byte("N,Om0,H0,Om0\n-1,0.3,65,0.4\n"), 0o644)
	bom := filepath.Join(dir, "bom.csv")
	os.WriteFile(bom, []byte("\ufeffN,Om0,H0\n-1,0.3,65\n"), 0o644)
	m, g := filepath.Join(dir, "m.bin"), filepath.Join(dir, "g.npy")
	os.WriteFile(g, nil, 0o644)
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"train"}, 2, "-out is required"},
		{[]string{"train", "-out", "x.bin", "-recipe", "fancy"}, 2, "default or paper"},
		{[]string{"train", "-out", "x.bin", "-grid", filepath.Join(dir, "none.npz")}, 2, "none.npz"},
		{[]string{"predict"}, 2, "-in is required"},
		{[]string{"predict", "-in", bad}, 2, "bad.csv:2: column Om0: \"abc\""},
		{[]string{"predict", "-in", noCol}, 2, "no column H0"},
		{[]string{"predict", "-in", bad, "-model", garbage}, 2, "not a cosmoemu model file"},
		{[]string{"validate", "-n", "0"}, 2, "-n: must be an integer in [1, 10000000]"},
		{[]string{"bench", "-pairs", "0"}, 2, "-pairs: must be an integer in [1, "},
		// Sizes near the largest int are refused before any allocation.
		{[]string{"train", "-out", "x.bin", "-hidden", "9223372036854775807"}, 2, "-hidden: must be an integer in [1, 4096]"},
		{[]string{"train", "-out", "x.bin", "-epochs", "9223372036854775807"}, 2, "-epochs: must be an integer in [0, "},
		{[]string{"train", "-out", "x.bin", "-workers", "-1"}, 2, "-workers: must be an integer in [0, "},
		{[]string{"bench", "-n", "9223372036854775807"}, 2, "-n: must be an integer in [2, "},
		{[]string{"validate", "-n", "9223372036854775807"}, 2, "-n: must be an integer in [1, "},
		// A malformed quote is an error naming the line, not a panic.
		{[]string{"predict", "-in", quote}, 2, "quote.csv:2: extraneous or missing \" in quoted-field"},
		{[]string{"predict", "-in", dup}, 2, "dup.csv:1: column \"Om0\" appears twice"},
		// Outputs that collide, with each other or an input, and outputs
		// that cannot be written are refused before any work.
		{[]string{"train", "-out", m, "-plot", m}, 2, "-out and -plot both name " + m},
		{[]string{"train", "-grid", g, "-out", g}, 2, "-grid and -out both name " + g},
		{[]string{"train", "-out", filepath.Join(dir, "no", "m.bin")}, 2, "-out: cannot write " + filepath.Join(dir, "no", "m.bin")},
		{[]string{"train", "-out", dir}, 2, "not a regular file"},
		{[]string{"predict", "-in", bom, "-out", bom}, 2, "-in and -out both name " + bom},
		{[]string{"validate", "-fig6", m, "-fig7", m}, 2, "-fig6 and -fig7 both name " + m},
	} {
		code, _, stderr := runCLI(t, tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.want) {
			t.Errorf("cosmoemu %s: exit %d, %q; want exit %d and %q", strings.Join(tc.args, " "), code, stderr, tc.code, tc.want)
		}
		if strings.Contains(stderr, "building") {
			t.Errorf("cosmoemu %s: started work before refusing: %q", strings.Join(tc.args, " "), stderr)
		}
	}
	// A byte-order mark before the header is accepted.
	if code, stdout, stderr := runCLI(t, "predict", "-in", bom); code != 0 || !strings.HasPrefix(stdout, "N,Om0,H0,") {
		t.Errorf("predict with a BOM: exit %d, %s", code, stderr)
	}
}

// bench -json names its keys after the tests, and reports the sizes it
// was given.
func TestBenchJSON(t *testing.T) {
	code, stdout, stderr := runCLI(t, "bench", "-pairs", "50", "-n", "7", "-queries", "200", "-json")
	if code != 0 {
		t.Fatal(stderr)
	}
	var r map[string]any
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]float64{"pairs": 50, "points_per_pair": 7, "queries": 200, "query_redshifts": 31} {
		if r[k] != want {
			t.Errorf("bench -json: %s = %v, want %v", k, r[k], want)
		}
	}
	for _, k := range []string{"solver_us_per_query", "emulator_us_per_query", "speedup_query", "solver_s_paper_test", "emulator_s_paper_test", "speedup_paper_test"} {
		if v, ok := r[k].(float64); !ok || !(v > 0) {
			t.Errorf("bench -json: %s = %v", k, r[k])
		}
	}
	for k := range r {
		if strings.Contains(k, "10000") && !strings.HasPrefix(k, "paper_reported") {
			t.Errorf("bench -json: key %s names a size the run did not use", k)
		}
	}
}

// A file named like an embedded model is not read, and the user is told.
func TestShadowedModelWarning(t *testing.T) {
	t.Chdir(t.TempDir())
	os.WriteFile("default", []byte("a file"), 0o644)
	os.WriteFile("p.csv", []byte("N,Om0,H0\n-1,0.3,70\n"), 0o644)
	code, _, stderr := runCLI(t, "predict", "-in", "p.csv")
	if code != 0 || !strings.Contains(stderr, "warning: -model default is the embedded one, not the file default") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	os.Remove("default")
	if _, _, stderr := runCLI(t, "predict", "-in", "p.csv"); strings.Contains(stderr, "warning") {
		t.Errorf("a warning without a file: %q", stderr)
	}
}
