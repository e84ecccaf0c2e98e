package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBadInputExits2: the bad input that exited 1 (a failure) instead of 2
// (a mistake in the command line) exits 2 with one line naming the flag or
// file and what it accepts.
func TestBadInputExits2(t *testing.T) {
	dir := t.TempDir()
	badCSV := filepath.Join(dir, "bad.csv")
	os.WriteFile(badCSV, []byte("N,Om0,H0\n-1,abc,70\n"), 0o644)
	few := filepath.Join(dir, "few.txt")
	os.WriteFile(few, []byte("0.1 70 5\n0.5 80 6\n"), 0o644)
	one := filepath.Join(dir, "one.txt")
	os.WriteFile(one, []byte("0.1 70 5\n"), 0o644)
	corrupt := filepath.Join(dir, "corrupt.bin")
	os.WriteFile(corrupt, []byte("COSMOEMU but not really a model file"), 0o644)
	rows := sdssSubset(t, dir, 30)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"train", "-model", "early", "-n", "5", "-out", filepath.Join(dir, "m.bin")}, "-n 5: want 0 (the default) or an integer in [200, 200000]"},
		{[]string{"train", "-model", "quintessence", "-width", "2", "-out", filepath.Join(dir, "m.bin")}, "-width 2"},
		{[]string{"predict", "-in", badCSV}, "bad.csv:2: column Om0"},
		{[]string{"reconstruct", "-data", few}, "-data " + few + ": 2 points, need at least 5"},
		{[]string{"reconstruct", "-data", one}, "-data " + one + ": 1 point, need at least 5"},
		{[]string{"classify", "-data", rows, "-test", "100000"}, "-test 100000"},
		{[]string{"fit", "-data", "cc31", "-sampler", "nested", "-live", "1"}, "-live 1"},
		{[]string{"evidence", "-models", "lcdm", "-data", "cc31", "-live", "2"}, "-live 2"},
		{[]string{"grid", "-N", "-400", "-out", filepath.Join(dir, "g.npz")}, "-N"},
		{[]string{"validate", "-model", "lcdm", "-emulator", corrupt}, "-emulator"},
		{[]string{"validate", "-model", "early", "-emulator", corrupt}, "-emulator"},
		{[]string{"validate", "-model", corrupt}, "-model"},
		{[]string{"bench", "-model", corrupt}, "-model"},
		{[]string{"fit", "-data", "cc31", "-backend", "emulator", "-emulator", corrupt}, corrupt},
		{[]string{"background", "-p", "Om=0.3,H0=70", "-backend", "emulator", "-emulator", corrupt}, corrupt},
		{[]string{"background", "-p", "Om=0.3,H0=70", "-z", "1e300"}, "-z"},
	} {
		code, _, stderr := runCLI(t, tc.args...)
		if code != 2 || !strings.Contains(stderr, tc.want) || strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
			t.Errorf("cosmoemu %s: exit %d, %q; want exit 2 and %q", strings.Join(tc.args, " "), code, stderr, tc.want)
		}
	}
}
