package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestUserMistakesWorded: mistakes that reached the user in the words of
// a library's internals (an optimizer's −Inf, a Cholesky failure, a closed
// universe's antipode for a flat one, E² = NaN) are refused with exit 2 and
// one line in the user's terms, naming the flag, the parameter or the file;
// and valid extreme input is answered.
func TestUserMistakesWorded(t *testing.T) {
	dir := t.TempDir()
	extreme := filepath.Join(dir, "extreme.txt")
	os.WriteFile(extreme, []byte("0.1 1e200 1e-200\n0.2 70 5\n"), 0o644)
	for _, tc := range []struct {
		args    []string
		want    []string
		notWant string
	}{
		{[]string{"fit", "-data", "cc31", "-prior", "Om=gauss:0.3:1e-300"}, []string{"-prior", "Om", "too narrow to sample", "fix the parameter"}, "StartCov"},
		{[]string{"fit", "-data", "cc31", "-prior", "Om=0.3:0.300000000000001"}, []string{"-prior", "too narrow to sample"}, "StartCov"},
		{[]string{"fit", "-data", "cc31", "-model", "wcdm", "-prior", "w=0.5:0.6", "-prior", "Om=0.01:0.02"},
			[]string{"-prior", "no point of the prior box gives a finite posterior", "w < 0"}, "BestFit"},
		{[]string{"fit", "-data", "cc31", "-sampler", "nested", "-live", "50", "-model", "wcdm", "-prior", "w=0.5:0.6", "-prior", "Om=0.01:0.02"},
			[]string{"-prior", "no point of the prior box"}, "narrow the prior"},
		{[]string{"background", "-p", "Om=0.3,H0=70", "-z", "5e-324"}, []string{"z = 5e-324", "too small for a positive distance"}, "antipode"},
		{[]string{"background", "-p", "Om=0.3,H0=70", "-p", "Om=0.4"}, []string{"-p", "Om given twice"}, ""},
		{[]string{"fit", "-data", "hz:" + extreme}, []string{"extreme.txt: row 1", "beyond what a χ² can hold"}, "non-finite"},
	} {
		code, _, stderr := runCLI(t, tc.args...)
		for _, w := range tc.want {
			if code != 2 || !strings.Contains(stderr, w) || strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
				t.Errorf("cosmoemu %s: exit %d, %q; want exit 2 and %q", strings.Join(tc.args, " "), code, stderr, w)
			}
		}
		if tc.notWant != "" && strings.Contains(stderr, tc.notWant) {
			t.Errorf("cosmoemu %s: %q says %q", strings.Join(tc.args, " "), stderr, tc.notWant)
		}
	}
	for _, args := range [][]string{
		{"background", "-p", "Om=1e-300,H0=70,mnu=0", "-z", "1,1100"}, // was "E² = NaN"
		{"fit", "-data", "sh0es", "-steps", "30", "-walkers", "8"},    // was "empty request"
		// The start is unphysical, the box is not: the fit moves its start.
		{"fit", "-data", "desi-dr2", "-model", "wcdm", "-prior", "w=-0.2:-0.01", "-steps", "30", "-walkers", "8"},
	} {
		if code, _, stderr := runCLI(t, args...); code != 0 {
			t.Errorf("cosmoemu %s: exit %d, %q", strings.Join(args, " "), code, stderr)
		}
	}
}
