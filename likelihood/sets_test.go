package likelihood

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/cosmoemu/cosmoemu/backend"
	"github.com/cosmoemu/cosmoemu/cosmo"
	"github.com/cosmoemu/cosmoemu/data"
	"github.com/cosmoemu/cosmoemu/param"
)

// The tests of the built-in sets and of Open's specs: what each set holds,
// checked against the files.

// loaded is what Open returns, with the data of the likelihood.
type loaded struct {
	l       Likelihood
	Hz      *data.Hz
	BAO     *data.BAO
	SN      *data.SN
	CMB     *data.CMB
	H0      *data.H0
	Warning string
}

// load opens spec and gives its data.
func load(spec string, o *Options) (*loaded, error) {
	l, warn, err := Open(spec, o)
	if err != nil {
		return nil, err
	}
	d := &loaded{l: l, Warning: warn}
	switch l := l.(type) {
	case *Hz:
		d.Hz = l.Data()
	case *BAO:
		d.BAO = l.Data()
	case *SN:
		d.SN = l.Data()
	case *CMB:
		d.CMB = l.Data()
	case *H0:
		d.H0 = l.Data()
	}
	return d, nil
}

// bom is the UTF-8 byte-order mark some editors put at the start of a file.
const bom = "\xef\xbb\xbf"

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestSets(t *testing.T) {
	want := []string{"cc31", "simulated20", "desi-dr1", "desi-dr1-eboss-lya", "desi-dr2", "sdss-dr12",
		"sdss-dr12-fs", "sdss-dr16-lrg-fs", "sdss-dr16-qso-fs", "union3", "pantheonplus", "desy5", "planck18-distance", "theta-star", "cmb-compressed", "sh0es", "bbn"}
	got := Sets()
	if len(got) != len(want) {
		t.Fatalf("%d sets, want %d", len(got), len(want))
	}
	for i, s := range got {
		if s.Name != want[i] {
			t.Errorf("set %d is %q, want %q", i, s.Name, want[i])
		}
		if s.Doc == "" || s.Citation == "" {
			t.Errorf("%s: missing doc or citation", s.Name)
		}
		if s.Load == nil {
			t.Errorf("%s has no loader", s.Name)
		}
		if (s.Cov != nil) != (s.Name == "pantheonplus" || s.Name == "desy5") {
			t.Errorf("%s: Cov = %v", s.Name, s.Cov)
		}
		opt := &Options{DiagOnly: s.Cov != nil}
		ds, err := load(s.Name, opt)
		if err != nil {
			t.Errorf("%s: %v", s.Name, err)
			continue
		}
		if ds.l.Name() != s.Name || s.Measures == "" {
			t.Errorf("%s: loaded %T named %q, measuring %q", s.Name, ds.l, ds.l.Name(), s.Measures)
		}
	}
	// Copies: editing one does not change the registry.
	got[0].Name = "x"
	got[10].Cov.URL = "x"
	if s, err := Lookup("pantheonplus"); err != nil || s.Cov.URL == "x" || Sets()[0].Name != "cc31" {
		t.Error("Sets returned the registry itself")
	}
	u, _ := Lookup("union3")
	if !strings.Contains(u.License, "MIT License") || !strings.Contains(u.License, "David Rubin") {
		t.Errorf("union3 licence: %q", u.License)
	}
	_, err := Lookup("pantheon")
	if err == nil || !strings.Contains(err.Error(), `unknown data set "pantheon"`) || !strings.Contains(err.Error(), "pantheonplus, desy5") {
		t.Errorf("unknown set: got %v", err)
	}
}

func TestRemotes(t *testing.T) {
	rs := Remotes()
	if len(rs) != 2 {
		t.Fatalf("%d remotes, want 2", len(rs))
	}
	// The hashes of the shared data README, verbatim.
	want := map[string]string{
		"pantheonplus-cov": "d1a1498154e7ba826df14bdbef35ebcb7f5efba1",
		"desy5-cov":        "d5aa174d198cf24cfa749b49be288041e5d4721f",
	}
	for _, r := range rs {
		if r.BlobSHA1 != want[r.Name] {
			t.Errorf("%s: hash %s, want %s", r.Name, r.BlobSHA1, want[r.Name])
		}
		if !strings.HasPrefix(r.URL, "https://raw.githubusercontent.com/") || strings.Contains(r.URL, "+") || r.File == "" || r.Set == "" {
			t.Errorf("%s: URL %q (no '+': it is %%2B in URLs), file %q, set %q", r.Name, r.URL, r.File, r.Set)
		}
		if got, err := LookupRemote(r.Name); err != nil || got != r {
			t.Errorf("LookupRemote(%q) = %v, %v", r.Name, got, err)
		}
	}
	if !rs[1].Gzip || rs[0].Gzip {
		t.Error("only the DES file is gzip-compressed")
	}
	if _, err := LookupRemote("x"); err == nil || !strings.Contains(err.Error(), "pantheonplus-cov, desy5-cov") {
		t.Errorf("unknown remote: got %v", err)
	}
}

func TestLoadSpecs(t *testing.T) {
	for _, tc := range []struct{ spec, want string }{
		{"", "empty data set name"},
		{"nonexistent-set", `unknown data set "nonexistent-set": not a built-in set (cc31, simulated20`},
		{"xy:file", `unknown prefix "xy"`},
		{"hz:", "want hz:FILE[:COV]"},
		{"hz:a:", "want hz:FILE[:COV]"},
		{"bao:a:b:c", "file names cannot contain ':'"},
		{"pantheonplus:a:b", "want pantheonplus:COVFILE"},
		{"sn:/nonexistent/t.txt", "no such file"},
	} {
		if _, err := load(tc.spec, nil); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: got %v, want %q", tc.spec, err, tc.want)
		}
	}
}

// TestBuiltinShadowsFile: a file named like a built-in set is not read,
// and the caller is told.
func TestBuiltinShadowsFile(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if ds, err := load("cc31", nil); err != nil || ds.Warning != "" {
		t.Fatalf("no local file: %v, warning %q", err, ds.Warning)
	}
	writeFile(t, filepath.Join(dir, "cc31"), "0.1 70 5\n")
	ds, err := load("cc31", nil)
	if err != nil {
		t.Fatal(err)
	}
	if ds.Hz.Len() != 31 || !strings.Contains(ds.Warning, "hz:./cc31") {
		t.Errorf("got %d points, warning %q; want the built-in 31 and a warning", ds.Hz.Len(), ds.Warning)
	}
	if ds, err := load("hz:./cc31", nil); err != nil || ds.Hz.Len() != 1 {
		t.Errorf("hz:./cc31: %v", err)
	}
	// A directory of that name is not a file to warn about.
	if err := os.Mkdir("sh0es", 0o755); err != nil {
		t.Fatal(err)
	}
	if ds, err := load("sh0es", nil); err != nil || ds.Warning != "" {
		t.Errorf("sh0es: %v, warning %q", err, ds.Warning)
	}
}

func loadBAO(t *testing.T, name string) *data.BAO {
	t.Helper()
	ds, err := load(name, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ds.BAO == nil || ds.BAO.Chol == nil {
		t.Fatalf("%s: got %T, BAO %v", name, ds.l, ds.BAO)
	}
	return ds.BAO
}

func TestDESIDR1(t *testing.T) {
	d := loadBAO(t, "desi-dr1")
	if d.Len() != 12 || d.RdFid != 0 {
		t.Fatalf("got %d rows, RdFid %g; want 12, 0", d.Len(), d.RdFid)
	}
	// First and last rows of desi_2024_gaussian_bao_ALL_GCcomb_mean.txt.
	if d.Z[0] != 0.295 || d.Value[0] != 7.92512927 || d.Quantity[0] != data.DVOverRd {
		t.Errorf("row 1: %g %g %v", d.Z[0], d.Value[0], d.Quantity[0])
	}
	if d.Z[11] != 2.33 || d.Value[11] != 8.52256583 || d.Quantity[11] != data.DHOverRd {
		t.Errorf("row 12: %g %g %v", d.Z[11], d.Value[11], d.Quantity[11])
	}
	// DESI 2024 III (arXiv:2404.03000) Table 1 prints the BGS point as
	// D_V/r_d = 7.93 ± 0.15; the file's variance must round to that σ.
	if s := math.Sqrt(d.Cov.At(0, 0)); math.Abs(s-0.15) > 0.005 {
		t.Errorf("σ(DV/rd, BGS) = %.4f, published 0.15", s)
	}
	if d.Cov.At(1, 2) != -6.85337250e-02 {
		t.Errorf("C(2,3) = %g, want the file's -0.0685337250", d.Cov.At(1, 2))
	}
}

func TestDESIDR2LyaOrder(t *testing.T) {
	d := loadBAO(t, "desi-dr2")
	if d.Len() != 13 {
		t.Fatalf("got %d rows, want 13", d.Len())
	}
	// The Lyα pair is DH then DM, the reverse of the other rows.
	if d.Quantity[11] != data.DHOverRd || d.Value[11] != 8.631545674846294 ||
		d.Quantity[12] != data.DMOverRd || d.Value[12] != 38.988973961958784 {
		t.Errorf("Lyα rows: %v %g, %v %g", d.Quantity[11], d.Value[11], d.Quantity[12], d.Value[12])
	}
	if d.Cov.At(11, 12) != -2.31395216e-02 {
		t.Errorf("Lyα covariance %g, want -0.0231395216", d.Cov.At(11, 12))
	}
}

func TestDESIDR1EBOSSLya(t *testing.T) {
	d := loadBAO(t, "desi-dr1-eboss-lya")
	dr1 := loadBAO(t, "desi-dr1")
	if d.Len() != 12 {
		t.Fatalf("got %d rows, want 12 (10 DESI + the DESI+eBOSS pair)", d.Len())
	}
	for i := range 10 {
		if d.Z[i] != dr1.Z[i] || d.Value[i] != dr1.Value[i] || d.Quantity[i] != dr1.Quantity[i] {
			t.Errorf("row %d differs from desi-dr1", i+1)
		}
		for j := range 10 {
			if d.Cov.At(i, j) != dr1.Cov.At(i, j) {
				t.Errorf("C(%d,%d) differs from desi-dr1", i+1, j+1)
			}
		}
		for j := 10; j < 12; j++ {
			if d.Cov.At(i, j) != 0 {
				t.Errorf("C(%d,%d) = %g, want 0", i+1, j+1, d.Cov.At(i, j))
			}
		}
	}
	if d.Quantity[10] != data.DHOverRd || d.Value[10] != 8.717113608259234 || d.Quantity[11] != data.DMOverRd || d.Value[11] != 38.803318353475845 {
		t.Errorf("Lyα rows: %v %g, %v %g", d.Quantity[10], d.Value[10], d.Quantity[11], d.Value[11])
	}
	if d.Cov.At(10, 10) != 1.826077187249444678e-02 || d.Cov.At(10, 11) != -4.783633485342092539e-02 {
		t.Errorf("Lyα block: %g %g", d.Cov.At(10, 10), d.Cov.At(10, 11))
	}
}

func TestSDSSDR12(t *testing.T) {
	d := loadBAO(t, "sdss-dr12")
	if d.Len() != 6 || d.RdFid != 147.78 {
		t.Fatalf("got %d rows, RdFid %g; want 6, 147.78", d.Len(), d.RdFid)
	}
	for i := range 6 {
		want := data.DMScaled
		if i%2 == 1 {
			want = data.HScaled
		}
		if d.Quantity[i] != want {
			t.Errorf("row %d: %v, want %v", i+1, d.Quantity[i], want)
		}
	}
	if d.Value[0] != 1512.39 || d.Value[5] != 98.9647 || d.Cov.At(0, 0) != 624.707 || d.Cov.At(5, 4) != 40.4327 {
		t.Errorf("values %g %g, cov %g %g", d.Value[0], d.Value[5], d.Cov.At(0, 0), d.Cov.At(5, 4))
	}
}

func TestBAOFiles(t *testing.T) {
	dir := t.TempDir()
	mean := filepath.Join(dir, "mean.txt")
	cov := filepath.Join(dir, "cov.txt")
	writeFile(t, mean, bom+"# z value quantity\r\n0.5 13.6 DM_over_rs\r\n0.5 21.0 bao_DH_over_rs\r\n1.5 26 DV_over_rs\r\n")
	writeFile(t, cov, "0.06 -0.07 0\n-0.07 0.37 0\n0 0 0.45\n")
	ds, err := load("bao:"+mean+":"+cov, nil)
	if err != nil {
		t.Fatal(err)
	}
	d := ds.BAO
	if d.Len() != 3 || d.Quantity[1] != data.DHOverRd || d.Cov.At(0, 1) != -0.07 || d.Chol == nil {
		t.Errorf("got %+v", d)
	}
	if _, err := load("bao:"+mean, nil); err == nil || !strings.Contains(err.Error(), "no covariance") {
		t.Errorf("no covariance: got %v", err)
	}
	writeFile(t, mean, "0.5 13.6 0.2 DM_over_rs\n0.5 21.0 0.5 DH_over_rs\n")
	ds, err = load("bao:"+mean, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c, s := ds.BAO.Cov, 0.2; c.At(0, 0) != s*s || c.At(1, 1) != 0.25 || c.At(0, 1) != 0 {
		t.Errorf("diagonal from the error column: %v", c)
	}
	if _, err := load("bao:"+mean+":"+cov, nil); err == nil || !strings.HasPrefix(err.Error(), cov+":1: row 1 has 3 columns, want 2") {
		t.Errorf("size mismatch: got %v", err)
	}
}

func TestLoadCC31(t *testing.T) {
	ds, err := load("cc31", nil)
	if err != nil {
		t.Fatal(err)
	}
	d := ds.Hz
	if ds.Hz == nil || d.Len() != 31 || d.Name != "cc31" || d.Cov != nil || d.Chol != nil {
		t.Fatalf("got %T, %d points named %q, cov %v; want hz, 31 points named cc31 without covariance", ds.l, d.Len(), d.Name, d.Cov)
	}
	// First and last rows, and the two rows with a trailing tab (0.470) and
	// a stray space (0.875) in hz/cc31.txt.
	want := map[int][3]float64{
		0:  {0.070, 69, 19.6},
		15: {0.470, 89.0, 50},
		21: {0.875, 125, 17},
		30: {1.965, 186.5, 50.4},
	}
	for i, w := range want {
		if got := [3]float64{d.Z[i], d.H[i], d.Sigma[i]}; got != w {
			t.Errorf("row %d: got %v, want %v", i, got, w)
		}
	}
	for i := 1; i < d.Len(); i++ {
		if d.Z[i] < d.Z[i-1] {
			t.Errorf("redshifts not increasing at row %d: %g after %g", i, d.Z[i], d.Z[i-1])
		}
	}
}

func TestLoadSimulated20(t *testing.T) {
	ds, err := load("simulated20", nil)
	if err != nil {
		t.Fatal(err)
	}
	d := ds.Hz
	if d.Len() != 20 || d.Z[0] != 0 || d.Z[19] != 3 {
		t.Fatalf("got %d points, z from %g to %g; want 20 from 0 to 3", d.Len(), d.Z[0], d.Z[d.Len()-1])
	}
	if math.Abs(d.Z[1]-3.0/19) > 1e-15 {
		t.Errorf("z[1] = %g, want 3/19", d.Z[1])
	}
	for i := range d.H {
		if r := d.Sigma[i] / d.H[i]; r < 0.15 || r > 0.25 {
			t.Errorf("point %d: sigma/H = %g, documented as about 0.21", i, r)
		}
	}
}

func TestHzFiles(t *testing.T) {
	dir := t.TempDir()
	table := filepath.Join(dir, "hz.txt")
	cov := filepath.Join(dir, "cov.txt")
	writeFile(t, table, "0.1 70 5\n0.2 72 6\n")
	writeFile(t, cov, "25 1\n1 36\n")
	ds, err := load("hz:"+table+":"+cov, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ds.Hz.Cov == nil || ds.Hz.Cov.At(0, 1) != 1 || ds.Hz.Chol == nil {
		t.Fatalf("covariance not attached: %v", ds.Hz.Cov)
	}
	// A bare path is an H(z) table, as -data FILE always was.
	if ds, err = load(table, nil); err != nil || ds.Hz.Len() != 2 || ds.Hz.Cov != nil {
		t.Fatalf("bare path: got %+v, %v", ds, err)
	}
	writeFile(t, table, "0.1 70 5\n0.2 x 5\n")
	if _, err := load("hz:"+table, nil); err == nil || !strings.HasPrefix(err.Error(), table+":2:5: ") {
		t.Errorf("got %v, want an error starting with %s:2:5", err, table)
	}
	writeFile(t, table, "0.1 70 5\n0.2 72 6\n0.3 74 6\n")
	if _, err := load("hz:"+table+":"+cov, nil); err == nil || !strings.HasPrefix(err.Error(), cov+":1: ") {
		t.Errorf("size mismatch: got %v, want an error naming %s line 1", err, cov)
	}
	_, err = load("hz:"+filepath.Join(dir, "missing.txt"), nil)
	if !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), "missing.txt") {
		t.Errorf("missing file: got %v, want a not-exist error naming the file", err)
	}
}

func TestUnion3(t *testing.T) {
	ds, err := load("union3", nil)
	if err != nil {
		t.Fatal(err)
	}
	d := ds.SN
	if d.Len() != 22 || d.MagColumn != "mb" || d.MagErr != nil || d.DiagOnly || d.CovSource != "embedded" || d.Chol == nil {
		t.Fatalf("got %d rows, mag %q, err column %q, diag-only %v, source %q", d.Len(), d.MagColumn, d.ErrColumn, d.DiagOnly, d.CovSource)
	}
	// First and last lines of lcparam_full.txt and mag_covmat.txt.
	if d.Z[0] != 0.05 || d.ZHel[0] != 0.05 || d.Mag[0] != 36.630361 || d.Z[21] != 2.262260 {
		t.Errorf("rows: z %g zhel %g mb %g, z[21] %g", d.Z[0], d.ZHel[0], d.Mag[0], d.Z[21])
	}
	if d.Cov.At(0, 0) != 0.0086044441289678 || d.Cov.At(0, 1) != 0.0078396482652654 {
		t.Errorf("C(1,1) = %v, C(1,2) = %v", d.Cov.At(0, 0), d.Cov.At(0, 1))
	}
	if ds.Warning != "" {
		t.Errorf("unexpected warning %q", ds.Warning)
	}
}

// tableColumns reads a whitespace or comma table with a header into
// columns by name: an independent reader for the shipped tables.
func tableColumns(t *testing.T, b []byte, sep string) (map[string][]string, int) {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	split := strings.Fields
	if sep != "" {
		split = func(s string) []string { return strings.Split(s, sep) }
	}
	head := split(lines[0])
	cols := map[string][]string{}
	for _, l := range lines[1:] {
		f := split(l)
		if len(f) != len(head) {
			t.Fatalf("row %q has %d fields, header %d", l, len(f), len(head))
		}
		for i, h := range head {
			cols[h] = append(cols[h], f[i])
		}
	}
	return cols, len(lines) - 1
}

func num(t *testing.T, s string) float64 {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestPantheonPlusDiagOnly(t *testing.T) {
	ds, err := load("pantheonplus", &Options{DiagOnly: true, CacheDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	d := ds.SN
	if !d.DiagOnly || !strings.Contains(ds.Warning, "diagonal") || d.MagColumn != "m_b_corr" || d.ErrColumn != "m_b_corr_err_DIAG" {
		t.Fatalf("diag-only %v, warning %q, columns %q %q", d.DiagOnly, ds.Warning, d.MagColumn, d.ErrColumn)
	}
	cols, rows := tableColumns(t, embeddedBytes("sn/pantheonplus/Pantheon+SH0ES.dat"), "")
	if rows != 1701 {
		t.Fatalf("table has %d rows, documented 1701", rows)
	}
	var keep []int
	calib := 0
	for i, z := range cols["zHD"] {
		if num(t, z) > 0.01 {
			keep = append(keep, i)
			if cols["IS_CALIBRATOR"][i] == "1" {
				calib++
			}
		}
	}
	// The "Pantheon+ only" cut: 1590 rows, 10 of the 77 calibrators stay.
	if len(keep) != 1590 || calib != 10 || d.Len() != 1590 {
		t.Fatalf("kept %d rows with %d calibrators, loaded %d; want 1590, 10", len(keep), calib, d.Len())
	}
	for a, i := range keep {
		e := num(t, cols["m_b_corr_err_DIAG"][i])
		if d.Z[a] != num(t, cols["zHD"][i]) || d.ZHel[a] != num(t, cols["zHEL"][i]) ||
			d.Mag[a] != num(t, cols["m_b_corr"][i]) || d.Cov.At(a, a) != e*e {
			t.Fatalf("kept row %d (file row %d) differs from the table", a+1, i+2)
		}
	}
}

func TestDESY5DiagOnly(t *testing.T) {
	ds, err := load("desy5", &Options{DiagOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	d := ds.SN
	cols, rows := tableColumns(t, embeddedBytes("sn/des_sn5yr/DES-SN5YR_HD.csv"), ",")
	if rows != 1829 || d.Len() != 1829 || d.MagColumn != "MU" || d.ErrColumn != "MUERR_FINAL" || !d.DiagOnly {
		t.Fatalf("table %d rows, loaded %d, columns %q %q, diag-only %v", rows, d.Len(), d.MagColumn, d.ErrColumn, d.DiagOnly)
	}
	differ := 0
	for i := range rows {
		if cols["zHD"][i] != cols["zCMB"][i] {
			differ++
		}
		e := num(t, cols["MUERR_FINAL"][i])
		if d.Z[i] != num(t, cols["zHD"][i]) || d.ZHel[i] != num(t, cols["zHEL"][i]) ||
			d.Mag[i] != num(t, cols["MU"][i]) || d.Cov.At(i, i) != e*e {
			t.Fatalf("row %d differs from the table", i+1)
		}
	}
	if differ == 0 {
		t.Error("zHD equals zCMB everywhere: the test cannot tell which is read")
	}
}

func TestRemoteSNNeedsCov(t *testing.T) {
	for _, name := range []string{"pantheonplus", "desy5"} {
		dir := t.TempDir()
		set, _ := Lookup(name)
		_, err := load(name, &Options{CacheDir: dir})
		if err == nil {
			t.Fatalf("%s loaded without a covariance", name)
		}
		var ce *CovError
		if !errors.As(err, &ce) || ce.Path != filepath.Join(dir, set.Cov.File) || ce.Remote != *set.Cov || ce.Err != nil {
			t.Errorf("%s: error %#v, want a *CovError for the missing %s", name, err, filepath.Join(dir, set.Cov.File))
		}
		for _, want := range []string{"fetch the remote file " + name + "-cov (data.Fetch)", set.Cov.URL, "data spec " + name + ":FILE", "Options.DiagOnly", filepath.Join(dir, set.Cov.File)} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%s: error %q does not say %q", name, err, want)
			}
		}
		// A cached file with the wrong content is refused, not parsed.
		writeFile(t, filepath.Join(dir, set.Cov.File), "1\n1\n")
		if _, err := load(name, &Options{CacheDir: dir}); err == nil || !strings.Contains(err.Error(), "not the released file") {
			t.Errorf("%s: corrupt cache: got %v", name, err)
		}
	}
}

// writeSyntheticCov writes an n×n covariance whose elements encode their
// indices, C_ij = 1e-7·(1 + (i+j)%7 + (i·j)%5) off the diagonal and
// 0.01 + 1e-5·i on it (diagonally dominant, hence positive definite), in
// the releases' format, gzip-compressed if gz.
func writeSyntheticCov(t *testing.T, path string, n int, gz bool) func(i, j int) float64 {
	c := func(i, j int) float64 {
		if i == j {
			return 0.01 + 1e-5*float64(i)
		}
		return 1e-7 * float64(1+(i+j)%7+(i*j)%5)
	}
	var b []byte
	b = fmt.Appendf(b, "%d\n", n)
	for i := range n {
		for j := range n {
			b = strconv.AppendFloat(b, c(i, j), 'g', -1, 64)
			b = append(b, '\n')
		}
	}
	if gz {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
		zw.Write(b)
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		b = buf.Bytes()
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return c
}

// TestPantheonPlusCovFile loads Pantheon+ with a synthetic 1701×1701
// covariance and checks that the kept rows' block is taken.
func TestPantheonPlusCovFile(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("factorizes a 1590×1590 matrix")
	}
	path := filepath.Join(t.TempDir(), "pp.cov")
	c := writeSyntheticCov(t, path, 1701, false)
	ds, err := load("pantheonplus:"+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	d := ds.SN
	if d.Len() != 1590 || d.DiagOnly || d.CovSource != path || ds.Warning != "" {
		t.Fatalf("got %d rows, diag-only %v, source %q, warning %q", d.Len(), d.DiagOnly, d.CovSource, ds.Warning)
	}
	cols, _ := tableColumns(t, embeddedBytes("sn/pantheonplus/Pantheon+SH0ES.dat"), "")
	var keep []int
	for i, z := range cols["zHD"] {
		if num(t, z) > 0.01 {
			keep = append(keep, i)
		}
	}
	for a := 0; a < len(keep); a += 37 {
		for b := 0; b < len(keep); b += 41 {
			if got, want := d.Cov.At(a, b), c(keep[a], keep[b]); got != want {
				t.Fatalf("C(%d,%d) = %g, want file element (%d,%d) = %g", a, b, got, keep[a], keep[b], want)
			}
		}
	}
	if _, err := load("pantheonplus:"+path, &Options{DiagOnly: true}); err == nil || !strings.Contains(err.Error(), "choose one") {
		t.Errorf("file and diag-only: got %v", err)
	}
	if _, err := load("desy5:"+path, nil); err == nil || !strings.Contains(err.Error(), "the covariance is 1701×1701 but the table has 1829 rows") {
		t.Errorf("wrong size: got %v", err)
	}
}

// TestDESY5CovFile loads DES-SN5YR with a synthetic gzip-compressed
// covariance: the result must be the file's matrix plus diag(MUERR_FINAL²).
func TestDESY5CovFile(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("factorizes a 1829×1829 matrix")
	}
	path := filepath.Join(t.TempDir(), "STAT+SYS.txt.gz")
	c := writeSyntheticCov(t, path, 1829, true)
	ds, err := load("desy5:"+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	d := ds.SN
	for i := 0; i < d.Len(); i += 13 {
		for j := 0; j < d.Len(); j += 17 {
			want := c(i, j)
			if i == j {
				want += d.MagErr[i] * d.MagErr[i]
			}
			if got := d.Cov.At(i, j); got != want {
				t.Fatalf("C(%d,%d) = %g, want %g", i, j, got, want)
			}
		}
	}
}

func TestSNFiles(t *testing.T) {
	dir := t.TempDir()
	table := filepath.Join(dir, "sn.txt")
	cov := filepath.Join(dir, "sn.cov")
	writeFile(t, table, "zHD zHEL MU MUERR\n0.1 0.1 38 0.1\n0.2 0.2 39 0.2\n")
	writeFile(t, cov, "2\n0.04\n0.01\n0.01\n0.09\n")
	ds, err := load("sn:"+table+":"+cov, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d := ds.SN; d.DiagOnly || d.Cov.At(0, 1) != 0.01 || d.Cov.At(1, 1) != 0.09 || ds.Warning != "" {
		t.Errorf("with covariance: %+v, warning %q", d, ds.Warning)
	}
	ds, err = load("sn:"+table, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d, e := ds.SN, 0.2; !d.DiagOnly || d.Cov.At(1, 1) != e*e || d.Cov.At(0, 1) != 0 || ds.Warning == "" || d.Chol == nil {
		t.Errorf("diagonal: %+v, warning %q", d, ds.Warning)
	}
	writeFile(t, table, "zHD zHEL MU\n0.1 0.1 38\n0.2 0.2 39\n")
	if _, err := load("sn:"+table, nil); err == nil || !strings.Contains(err.Error(), "no covariance") {
		t.Errorf("no errors: got %v", err)
	}
	writeFile(t, table, "zHD zHEL MU MUERR\n0.1 0.1 38 0\n0.2 0.2 39 0.2\n")
	if _, err := load("sn:"+table, nil); err == nil || !strings.Contains(err.Error(), "row 1: MUERR = 0 must be > 0") {
		t.Errorf("zero error: got %v", err)
	}
	writeFile(t, cov, "2\n0.04\n0.01\n0.01\n-0.09\n")
	if _, err := load("sn:"+table+":"+cov, nil); err == nil || !strings.Contains(err.Error(), cov+": diagonal element (2,2) = -0.09 is not > 0") {
		t.Errorf("negative variance: got %v", err)
	}
	writeFile(t, cov, "2\n1\n2\n2\n1\n")
	if _, err := load("sn:"+table+":"+cov, nil); err == nil || !strings.Contains(err.Error(), "not positive definite") {
		t.Errorf("indefinite: got %v", err)
	}
}

func TestPlanck18Distance(t *testing.T) {
	ds, err := load("planck18-distance", nil)
	if err != nil {
		t.Fatal(err)
	}
	c := ds.CMB
	if c.Mean[0] != 1.750235 || c.Mean[1] != 301.4707 || c.Mean[2] != 0.02235976 {
		t.Fatalf("mean %v", c.Mean)
	}
	if c.InvCov.At(0, 2) != 1664517.2916 || c.InvCov.At(1, 1) != 161.4349 {
		t.Errorf("inverse covariance %v", mat.Formatted(c.InvCov))
	}
	// Independent check: the file's block B (the paper's Table I, σ and
	// correlations printed to 2 digits) gives the covariance; its 3×3
	// (R, l_A, ω_b) block, which marginalises n_s, must match the inverse
	// of block A. Measured: σ differ by +0.5%, −1.3% (l_A, printed
	// +0.089/−0.090) and −0.6%, correlations by 0.003, 0.0002, 0.003;
	// margins 1.5% and 0.006, the table's 2-digit printing.
	var sigma []float64
	var corr [][]float64
	for _, line := range strings.Split(string(embeddedBytes("cmb/chw2019_planck2018_TTTEEE_lowE_distance_priors.txt")), "\n") {
		f := strings.Fields(strings.SplitN(line, "#", 2)[0])
		if len(f) == 0 {
			continue
		}
		var v []float64
		for _, s := range f[1:] {
			x, err := strconv.ParseFloat(s, 64)
			if err != nil {
				t.Fatal(err)
			}
			v = append(v, x)
		}
		switch f[0] {
		case "T1SIGMA":
			sigma = v
		case "T1CORR":
			corr = append(corr, v)
		}
	}
	var cov mat.SymDense
	var chol mat.Cholesky
	if !chol.Factorize(c.InvCov) {
		t.Fatal("inverse covariance not positive definite")
	}
	if err := chol.InverseTo(&cov); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		s := math.Sqrt(cov.At(i, i))
		if math.Abs(s/sigma[i]-1) > 0.015 {
			t.Errorf("σ_%d: block A gives %.5g, Table I %.5g", i, s, sigma[i])
		}
		for j := i + 1; j < 3; j++ {
			r := cov.At(i, j) / (s * math.Sqrt(cov.At(j, j)))
			if math.Abs(r-corr[i][j]) > 0.006 {
				t.Errorf("corr(%d,%d): block A gives %.4f, Table I %.2f", i, j, r, corr[i][j])
			}
		}
	}
}

// TestBBN: the bbn set is DESI DR2's BBN prior on ω_b, a likelihood on the
// parameter ombh2 that needs it.
func TestBBN(t *testing.T) {
	l, _, err := Open("bbn", nil)
	if err != nil {
		t.Fatal(err)
	}
	g := l.(*ParamGauss).Data()
	if g.Param != "ombh2" || g.Mean != 0.02218 || g.Sigma != 0.00055 || !strings.Contains(g.Source, "arXiv:2401.15054") {
		t.Errorf("bbn: %+v", g)
	}
	if n := l.Needs(); !n.Ombh2 || n.H0 || n.Rd || len(n.Nuisance) != 0 {
		t.Errorf("bbn needs %+v, want ω_b only", n)
	}
	om, _ := cosmo.LCDM.Param("Om")
	wb, _ := cosmo.LCDM.Param("ombh2")
	space, _ := param.NewSpace([]param.Param{om, wb}, []param.Prior{om.DefaultPrior(), wb.DefaultPrior()})
	post, err := NewPosterior(cosmo.LCDM, backend.Analytic{}, []Likelihood{l}, space, map[string]float64{"H0": 70})
	if err != nil {
		t.Fatal(err)
	}
	if c, _, err := post.Chi2([]float64{0.3, 0.02218 + 2*0.00055}); err != nil || math.Abs(c-4) > 1e-9 {
		t.Errorf("χ² two σ away = %v, %v; want 4", c, err)
	}
	if want := -0.5 * math.Log(2*math.Pi*0.00055*0.00055); math.Abs(post.LogNorm()-want) > 1e-12 {
		t.Errorf("LogNorm %v, want %v", post.LogNorm(), want)
	}
}
