package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/cosmoemu/cosmoemu/friedmann"
	"github.com/cosmoemu/cosmoemu/grid"
)

// runCLI runs the command line in-process and returns its exit status and
// output streams.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{ctx: context.Background(), stdin: strings.NewReader(""), stdout: &out, stderr: &errb}
	code = exitCode(run(e, args), &errb)
	return code, out.String(), errb.String()
}

func TestUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		want string // in stderr
	}{
		{nil, 2, "no command"},
		{[]string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{[]string{"solve", "-om", "2"}, 2, "Om0 = 2 is outside the allowed range (0, 0.9999)"},
		{[]string{"solve", "-h0", "-1"}, 2, "H0 = -1"},
		{[]string{"solve", "-om", "abc"}, 2, "invalid value"},
		{[]string{"solve", "-n", "1"}, 2, "at least 2"},
		{[]string{"solve", "-rtol", "0"}, 2, "RTol"},
		{[]string{"solve", "extra"}, 2, "unexpected argument"},
		{[]string{"grid"}, 2, "-out is required"},
		{[]string{"grid", "-out", "g.csv"}, 2, ".npy or .npz"},
		{[]string{"grid", "-om", "0.1:0.5", "-out", "g.npz"}, 2, "min:max:count"},
		{[]string{"grid", "-h0", "80:66:3", "-out", "g.npz"}, 2, "min > max"},
		{[]string{"solve", "-h"}, 0, "usage: cosmoemu solve"},
		{[]string{"grid", "-h"}, 0, "usage: cosmoemu grid"},
	} {
		code, _, stderr := runCLI(t, tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.want) {
			t.Errorf("cosmoemu %s: exit %d, stderr %q; want exit %d and %q", strings.Join(tc.args, " "), code, stderr, tc.code, tc.want)
		}
		if code == 2 && tc.code == 2 && strings.Count(strings.TrimSpace(lastLine(stderr)), "\n") > 0 {
			t.Errorf("error is not one line: %q", stderr)
		}
	}
	code, stdout, _ := runCLI(t, "help")
	if code != 0 || !strings.Contains(stdout, "solve") || !strings.Contains(stdout, "grid") {
		t.Errorf("help: exit %d, %q", code, stdout)
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

func TestSolveCSV(t *testing.T) {
	code, stdout, stderr := runCLI(t, "solve", "-om", "0.27", "-h0", "68", "-n", "25")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	recs, err := csv.NewReader(strings.NewReader(stdout)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(recs[0], ","); got != "N,z,Omega_r,Omega_m,Omega_L,H" {
		t.Fatalf("header %q", got)
	}
	if len(recs) != 26 {
		t.Fatalf("%d data rows, want 25", len(recs)-1)
	}
	m, _ := friedmann.LCDM(0.27, 68)
	om := make([]float64, 3)
	for i, rec := range recs[1:] {
		v := make([]float64, len(rec))
		for j, s := range rec {
			if v[j], err = strconv.ParseFloat(s, 64); err != nil {
				t.Fatalf("row %d: %v", i+1, err)
			}
		}
		if want := -12 * float64(i) / 24; math.Abs(v[0]-want) > 1e-12 {
			t.Errorf("row %d: N = %v, want %v", i+1, v[0], want)
		}
		if math.Abs(v[1]-friedmann.ZOfN(v[0])) > 1e-9*(1+v[1]) {
			t.Errorf("row %d: z = %v for N = %v", i+1, v[1], v[0])
		}
		m.Omegas(om, v[0])
		for k := range 3 {
			if math.Abs(v[2+k]-om[k]) > 1e-6 {
				t.Errorf("row %d: Ω_%d = %v, closed form %v", i+1, k, v[2+k], om[k])
			}
		}
		if math.Abs(v[5]/m.H(v[0])-1) > 1e-6 {
			t.Errorf("row %d: H = %v, closed form %v", i+1, v[5], m.H(v[0]))
		}
	}
	if recs[1][0] != "0" || recs[1][5] != "68" {
		t.Errorf("first row %v: want N = 0 and H = H0 exactly", recs[1])
	}

	// -out writes the same bytes to a file.
	path := filepath.Join(t.TempDir(), "sol.csv")
	if code, _, stderr := runCLI(t, "solve", "-om", "0.27", "-h0", "68", "-n", "25", "-out", path); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if data, _ := os.ReadFile(path); string(data) != stdout {
		t.Error("-out file differs from standard output")
	}
}

func TestGridCommand(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"g.npz", "g.npy"} {
		path := filepath.Join(dir, name)
		code, stdout, stderr := runCLI(t, "grid", "-om", "0.2:0.4:3", "-h0", "60:70:2", "-N", "-12:0:10", "-out", path)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		if stdout != "" || !strings.Contains(stderr, "60 rows") {
			t.Errorf("stdout %q, stderr %q", stdout, stderr)
		}
		if strings.Contains(stderr, "\r") {
			t.Error("progress bar drawn although stderr is not a terminal")
		}
		g, err := grid.Read(path)
		if err != nil {
			t.Fatal(err)
		}
		if r, _ := g.Dims(); r != 60 {
			t.Errorf("%s: %d rows", name, r)
		}
	}
}
