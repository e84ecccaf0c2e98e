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
	m, err := emulator.Load(model)
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
	if code, _, stderr := runCLI(t, "predict", "-model", model, "-in", outside); code != 1 || !strings.Contains(stderr, "outside.csv:3") || !strings.Contains(stderr, "Om0 = 0.45") {
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
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"train"}, 2, "-out is required"},
		{[]string{"train", "-out", "x.bin", "-recipe", "fancy"}, 2, "default or paper"},
		{[]string{"train", "-out", "x.bin", "-grid", filepath.Join(dir, "none.npz")}, 1, "none.npz"},
		{[]string{"predict"}, 2, "-in is required"},
		{[]string{"predict", "-in", bad}, 1, "bad.csv:2: column Om0: \"abc\""},
		{[]string{"predict", "-in", noCol}, 1, "no column H0"},
		{[]string{"predict", "-in", bad, "-model", garbage}, 1, "not a cosmoemu model file"},
		{[]string{"validate", "-n", "0"}, 2, "at least 1"},
		{[]string{"bench", "-pairs", "0"}, 2, "must be ≥ 1"},
	} {
		code, _, stderr := runCLI(t, tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.want) {
			t.Errorf("cosmoemu %s: exit %d, %q; want exit %d and %q", strings.Join(tc.args, " "), code, stderr, tc.code, tc.want)
		}
	}
}

func TestBenchJSON(t *testing.T) {
	code, stdout, stderr := runCLI(t, "bench", "-pairs", "50", "-queries", "200", "-json")
	if code != 0 {
		t.Fatal(stderr)
	}
	var r map[string]float64
	dec := json.NewDecoder(strings.NewReader(stdout))
	var raw map[string]any
	if err := dec.Decode(&raw); err != nil {
		t.Fatal(err)
	}
	r = map[string]float64{}
	for k, v := range raw {
		if f, ok := v.(float64); ok {
			r[k] = f
		}
	}
	for _, k := range []string{"solver_us_per_query31", "emulator_us_per_query31", "speedup_query31", "solver_s_10000x50", "emulator_s_10000x50", "speedup_10000x50"} {
		if !(r[k] > 0) {
			t.Errorf("bench -json: %s = %v", k, r[k])
		}
	}
	// The emulator agrees with the solver it replaces.
	if r["max_rel_diff_query31"] > 1e-4 {
		t.Errorf("emulator and solver differ by %v", r["max_rel_diff_query31"])
	}
}
