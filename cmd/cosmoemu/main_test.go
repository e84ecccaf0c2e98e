package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/cosmoemu/cosmoemu/fit"
	"github.com/cosmoemu/cosmoemu/friedmann"
	"github.com/cosmoemu/cosmoemu/grid"
	"github.com/cosmoemu/cosmoemu/mcmc"
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
		{[]string{"solve", "-om", "2"}, 2, "flag -om: must be a finite number in (0, 0.9999)"},
		{[]string{"solve", "-h0", "-1"}, 2, "flag -h0: must be a finite number in (0, 10000]"},
		{[]string{"solve", "-om", "abc"}, 2, "invalid value"},
		{[]string{"solve", "-n", "1"}, 2, "flag -n: must be an integer in [2, 1000000]"},
		{[]string{"solve", "-rtol", "0"}, 2, "flag -rtol: must be a finite number in (0, 1)"},
		// Values whose results overflow float64 are refused up front.
		{[]string{"solve", "-h0", "1e308"}, 2, "flag -h0: must be a finite number in (0, 10000]"},
		{[]string{"solve", "-nmin", "-800"}, 2, "flag -nmin: must be a finite number in [-300, 0)"},
		{[]string{"solve", "-nmin", "0"}, 2, "flag -nmin"},
		{[]string{"solve", "-h0", "NaN"}, 2, "flag -h0"},
		{[]string{"solve", "-h0", "Inf"}, 2, "flag -h0"},
		{[]string{"solve", "-n", "9223372036854775807"}, 2, "flag -n: must be an integer in [2, 1000000]"},
		{[]string{"solve", "-atol", "-1"}, 2, "flag -atol"},
		{[]string{"solve", "-out", os.DevNull}, 2, "-out: cannot write /dev/null: it is a character device, not a regular file"},
		{[]string{"solve", "-out", filepath.Join("no", "such", "dir", "x.csv")}, 2, "-out: cannot write no/such/dir/x.csv"},
		{[]string{"grid", "-workers", "-1", "-out", "g.npz"}, 2, "flag -workers"},
		{[]string{"grid", "-rtol", "0", "-out", "g.npz"}, 2, "flag -rtol"},
		{[]string{"grid", "-out", filepath.Join("no", "such", "dir", "g.npz")}, 2, "-out: cannot write"},
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

// At the deepest -nmin and the largest -h0 allowed every value is finite.
func TestSolveBounds(t *testing.T) {
	code, stdout, stderr := runCLI(t, "solve", "-nmin", "-300", "-h0", "1e4", "-n", "7")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	recs, err := csv.NewReader(strings.NewReader(stdout)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range recs[1:] {
		for j, f := range rec {
			v, err := strconv.ParseFloat(f, 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				t.Errorf("column %s = %q", recs[0][j], f)
			}
		}
	}
	if last := recs[len(recs)-1]; last[0] != "-300" {
		t.Errorf("last row %v", last)
	}
}

// An output that is a directory (or a device, or a link) is refused before
// anything is computed, and left as it was.
func TestOutputNotRegular(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "g.npz")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCLI(t, "grid", "-om", "0.2:0.4:3", "-h0", "60:70:2", "-N", "-12:0:10", "-out", sub)
	if code != 2 || !strings.Contains(stderr, "it is a directory, not a regular file") || strings.Count(stderr, "\n") != 1 {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	if fi, err := os.Stat(sub); err != nil || !fi.IsDir() {
		t.Error("the directory was replaced")
	}
}

// A grid whose H overflows is a computational failure (exit 1) and writes
// nothing.
func TestGridNonFinite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "g.npy")
	code, _, stderr := runCLI(t, "grid", "-om", "0.3:0.3:1", "-h0", "70:70:1", "-N", "-400:0:3", "-out", path)
	if code != 1 || !strings.Contains(stderr, "H = +Inf is not finite") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Error("a file was written")
	}
}

func TestInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errb bytes.Buffer
	path := filepath.Join(t.TempDir(), "g.npz")
	e := &env{ctx: ctx, stdin: strings.NewReader(""), stdout: &out, stderr: &errb}
	code := exitCode(run(e, []string{"grid", "-om", "0.2:0.4:30", "-out", path}), &errb)
	if code != exitInterrupted || errb.String() != "cosmoemu: interrupted; nothing was written\n" {
		t.Errorf("grid after Ctrl-C: exit %d, stderr %q", code, errb.String())
	}
	for _, tc := range []struct {
		err  error
		want string
	}{
		{&mcmc.InterruptedError{Root: "out/cc31", Step: 412, Steps: 5000, Saved: true, Err: context.Canceled},
			"cosmoemu: interrupted at step 412 of 5000; the chains so far are saved in out/cc31: continue with -resume\n"},
		{fmt.Errorf("analytic: %w", &mcmc.InterruptedError{Root: "out/cc31", Step: 0, Steps: 5000, Err: context.Canceled}),
			"cosmoemu: interrupted before the first step; out/cc31 is unchanged\n"},
		{&mcmc.InterruptedError{Step: 3, Steps: 10, Err: context.Canceled}, "cosmoemu: interrupted at step 3 of 10; nothing was saved\n"},
		{fmt.Errorf("solver: %w", context.Canceled), "cosmoemu: interrupted\n"},
		{fmt.Errorf("evidence: wcdm: %w", &fit.InterruptedError{Calls: 5120, Root: "ev_wcdm", Err: context.Canceled}),
			"cosmoemu: evidence: wcdm: fit: nested sampling interrupted after 5120 calls; the run so far is saved in ev_wcdm: continue it with -resume\n"},
		{fmt.Errorf("evidence: wcdm: %w", &fit.InterruptedError{Calls: 12, Err: context.Canceled}),
			"cosmoemu: evidence: wcdm: fit: nested sampling interrupted after 12 calls; nothing was saved\n"},
	} {
		var b bytes.Buffer
		if code := exitCode(tc.err, &b); code != exitInterrupted || b.String() != tc.want {
			t.Errorf("%v: exit %d, %q; want %q", tc.err, code, b.String(), tc.want)
		}
	}
}

func TestCheckFiles(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "m.bin"), filepath.Join(dir, "x", "..", "m.bin")
	for _, tc := range []struct {
		files []fileFlag
		want  string // "" for no error
	}{
		{[]fileFlag{outFile("out", a), outFile("plot", filepath.Join(dir, "p.png"))}, ""},
		{[]fileFlag{outFile("out", a), outFile("plot", b)}, "-out and -plot both name"},
		{[]fileFlag{inFile("grid", a), outFile("out", a)}, "give each input and output its own file"},
		{[]fileFlag{inFile("grid", a), inFile("data", a)}, ""},
		{[]fileFlag{outFile("out", ""), outFile("plot", "")}, ""},
		{[]fileFlag{outFile("corner", dir)}, "-corner: cannot write"},
	} {
		err := checkFiles(tc.files...)
		if (tc.want == "") != (err == nil) || err != nil && !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: got %v, want %q", tc.files, err, tc.want)
		}
		if err != nil && !errors.As(err, new(usageError)) {
			t.Errorf("%v: %v is not a usage error", tc.files, err)
		}
	}
}
