package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cosmoemu/cosmoemu/paper/reconstruct"
)

func TestReconstructCommand(t *testing.T) {
	dir := t.TempDir()
	fig := filepath.Join(dir, "fig4.png")
	args := []string{"reconstruct", "-data", "simulated20", "-members", "3", "-grid", "31", "-out", fig, "-json"}
	code, stdout, stderr := runCLI(t, args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var r struct {
		TrainCost *float64                `json:"train_cost"`
		ValCost   *float64                `json:"val_cost"`
		PaperCost float64                 `json:"paper_cost"`
		Z         []float64               `json:"z"`
		HH        []float64               `json:"H"`
		Sigma     []float64               `json:"sigma"`
		Mean      []float64               `json:"ensemble_mean"`
		Std       []float64               `json:"ensemble_std"`
		LCDM      *reconstruct.LCDMReport `json:"lcdm"`
		Val       []int                   `json:"validation_points"`
		Loss      []float64               `json:"loss_history"`
	}
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	if r.TrainCost == nil || r.ValCost == nil || r.PaperCost != 1.7 {
		t.Fatalf("costs missing: %s", stdout)
	}
	if len(r.Z) != 31 || len(r.HH) != 31 || len(r.Sigma) != 31 || len(r.Mean) != 31 || len(r.Std) != 31 || len(r.LCDM.H) != 31 {
		t.Fatalf("grid arrays of lengths %d %d %d %d %d", len(r.Z), len(r.HH), len(r.Sigma), len(r.Mean), len(r.Std))
	}
	if r.Z[0] != 0 || r.Z[30] != 3 || len(r.Val) != 4 || len(r.Loss) != 3000 {
		t.Errorf("z from %v to %v, %d validation points, %d epochs", r.Z[0], r.Z[30], len(r.Val), len(r.Loss))
	}
	// The network follows the data: H(0) near the first point
	// (73.9 ± 15.4) and H(3) near the last (459.2 ± 94.3).
	if math.Abs(r.HH[0]-73.9) > 15 || math.Abs(r.HH[30]-459.2) > 47 {
		t.Errorf("H(0) = %v, H(3) = %v", r.HH[0], r.HH[30])
	}
	checkPNG(t, fig)

	// The same seed gives the same reconstruction.
	_, again, _ := runCLI(t, args...)
	var r2 struct {
		H []float64 `json:"H"`
	}
	json.Unmarshal([]byte(again), &r2)
	if !slices.Equal(r.HH, r2.H) {
		t.Error("the same seed gives a different reconstruction")
	}

	// A data file, text output, default figure name in the working
	// directory of the file's base name.
	data := filepath.Join(dir, "mydata.txt")
	os.WriteFile(data, []byte("# z H sigma\n0.1 70 5\n0.5 90 6\n0.9 110 8\n1.3 140 10\n1.7 170 12\n2.0 190 15\n"), 0o644)
	fig2 := filepath.Join(dir, "rec.png")
	code, stdout, stderr = runCLI(t, "reconstruct", "-data", data, "-epochs", "100", "-members", "0", "-out", fig2)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"cost = MSE of (H, sigma_H)", "[paper: 1.7]", "flat ΛCDM best fit", "wrote " + fig2} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout, "ensemble of") {
		t.Error("ensemble reported with -members 0")
	}
	checkPNG(t, fig2)
}

func TestReconstructErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.txt")
	os.WriteFile(bad, []byte("0.1 70 5\n0.5 abc 6\n"), 0o644)
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"reconstruct"}, 2, "-data is required"},
		{[]string{"reconstruct", "-data", "cc31", "-members", "1"}, 2, "at least 2"},
		{[]string{"reconstruct", "-data", "cc31", "-hidden", "0"}, 2, "-hidden: must be an integer in [1, 100000]"},
		{[]string{"reconstruct", "-data", "cc31", "-grid", "1"}, 2, "-grid: must be an integer in [2, "},
		{[]string{"reconstruct", "-data", "cc31", "-lr", "0"}, 2, "-lr: must be a finite number in (0, 10)"},
		{[]string{"reconstruct", "-data", "cc31", "-members", "9223372036854775807"}, 2, "-members: must be an integer in [0, 10000]"},
		{[]string{"reconstruct", "-data", "cc31", "-hidden", "9223372036854775807"}, 2, "-hidden: must be an integer in [1, 100000]"},
		{[]string{"reconstruct", "-data", "cc31", "-workers", "-1"}, 2, "-workers: must be an integer in [0, "},
		{[]string{"reconstruct", "-data", bad, "-out", bad}, 2, "-data and -out both name " + bad},
		{[]string{"reconstruct", "-data", "cc31", "-out", filepath.Join(dir, "no", "r.png")}, 2, "-out: cannot write " + filepath.Join(dir, "no", "r.png")},
		{[]string{"reconstruct", "-data", filepath.Join(dir, "none.txt")}, 2, "none.txt"},
		{[]string{"reconstruct", "-data", bad}, 2, "bad.txt:2"},
		{[]string{"reconstruct", "-h"}, 0, "usage: cosmoemu reconstruct"},
	} {
		code, _, stderr := runCLI(t, tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.want) {
			t.Errorf("cosmoemu %s: exit %d, stderr %q; want exit %d and %q", strings.Join(tc.args, " "), code, stderr, tc.code, tc.want)
		}
	}
}
