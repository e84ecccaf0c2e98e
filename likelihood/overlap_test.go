package likelihood

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// openAll opens specs (diagonal-only for the fetched supernova sets).
func openAll(t *testing.T, specs ...string) []Likelihood {
	t.Helper()
	var likes []Likelihood
	for _, s := range specs {
		l, _, err := Open(s, &Options{DiagOnly: true, CacheDir: t.TempDir()})
		if err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		likes = append(likes, l)
	}
	return likes
}

// TestOverlap: a measurement that two data sets of one fit both hold is
// refused, naming both and the rows, also when one set is a subset of the
// other given as a file (1e59bda took DESI DR2's LRG pair at z = 0.51
// beside desi-dr2, and 17 rows of cc31 beside cc31: only whole sets were
// compared, by fingerprint).
func TestOverlap(t *testing.T) {
	dir := t.TempDir()
	file := func(name, content string) string {
		p := filepath.Join(dir, name)
		writeFile(t, p, content)
		return p
	}
	lrg := file("lrg_mean.txt", "# DESI DR2 LRG2\n0.51000000 13.58758434 DM_over_rs\n0.51000000 21.86294686 DH_over_rs\n")
	lrgCov := file("lrg_cov.txt", "2.83473742e-02 -3.26062007e-02\n-3.26062007e-02 1.83928040e-01\n")
	cc, err := os.ReadFile("../data/hz/cc31.txt")
	if err != nil {
		t.Fatal(err)
	}
	var rows []string
	for _, line := range strings.Split(string(cc), "\n") {
		if f := strings.Fields(line); len(f) == 3 && !strings.HasPrefix(line, "#") && len(rows) < 17 {
			rows = append(rows, line)
		}
	}
	cc17 := file("cc17.txt", strings.Join(rows, "\n")+"\n")
	fs8 := file("fs8.txt", "0.3 0.47 0.05 f_sigma8\n0.51 4.590e-01 0.04 f_sigma8\n")
	sn := file("sn.txt", "zcmb zhel mb\n0.07 0.07 37.3\n0.100000 0.100000 38.235499\n")
	snCov := file("sn_cov.txt", "2\n0.01\n0\n0\n0.01\n")
	for _, tc := range []struct {
		specs []string
		want  string
	}{
		{[]string{"bao:" + lrg + ":" + lrgCov, "desi-dr2"}, "data sets " + lrg + " and desi-dr2 both hold the measurement DM/rd = 13.58758434 at z = 0.51 (" + lrg + ":2, row 2 of desi-dr2): a measurement counts once in a fit; remove it from one of them"},
		{[]string{"desi-dr2", "bao:" + lrg + ":" + lrgCov}, "(row 2 of desi-dr2, " + lrg + ":2)"},
		{[]string{"cc31", "hz:" + cc17}, "data sets cc31 and " + cc17 + " both hold the measurement H(z) = 69 at z = 0.07 (row 1 of cc31, " + cc17 + ":1)"},
		{[]string{"sdss-dr16-qso-fs", "sdss-dr16-lrg-fs", "bao:" + fs8}, "sdss-dr16-lrg-fs and " + fs8 + " both hold the measurement fsigma8 = 0.459 at z = 0.51 (row 6 of sdss-dr16-lrg-fs, " + fs8 + ":2)"},
		{[]string{"union3", "sn:" + sn + ":" + snCov}, "union3 and " + sn + " both hold the measurement supernova magnitude = 38.235499 at z = 0.1 (row 2 of union3, " + sn + ":3)"},
	} {
		_, err := Combine(openAll(t, tc.specs...))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: error %v, want %q", tc.specs, err, tc.want)
		}
	}
	// Near misses combine: another value, another redshift, another
	// observable at the same redshift and value.
	for _, content := range []string{
		"0.51 13.58759 0.2 DM_over_rs\n",
		"0.5100001 13.58758434 0.2 DM_over_rs\n",
		"0.51 13.58758434 0.2 DV_over_rs\n",
	} {
		if _, err := Combine(openAll(t, "bao:"+file("near.txt", content), "desi-dr2")); err != nil {
			t.Errorf("%q with desi-dr2: %v", content, err)
		}
	}
}

// TestCatalogueCombines: every pair of built-in sets that no exclusion
// rule forbids combines (the overlap check refuses none of them).
func TestCatalogueCombines(t *testing.T) {
	sets := Sets()
	likes := make(map[string]Likelihood)
	for _, s := range sets {
		likes[s.Name] = openAll(t, s.Name)[0]
	}
	n := 0
	for i, a := range sets {
		for _, b := range sets[:i] {
			if _, ok := excluded(a.Name, b.Name); ok {
				continue
			}
			n++
			if _, err := Combine([]Likelihood{likes[b.Name], likes[a.Name]}); err != nil {
				t.Errorf("%s with %s: %v", b.Name, a.Name, err)
			}
		}
	}
	if n < 50 {
		t.Errorf("only %d pairs combine", n)
	}
}
