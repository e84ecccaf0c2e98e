package data

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestUnion3(t *testing.T) {
	ds, err := Load("union3", nil)
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
	ds, err := Load("pantheonplus", &Options{DiagOnly: true, CacheDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	d := ds.SN
	if !d.DiagOnly || !strings.Contains(ds.Warning, "diagonal") || d.MagColumn != "m_b_corr" || d.ErrColumn != "m_b_corr_err_DIAG" {
		t.Fatalf("diag-only %v, warning %q, columns %q %q", d.DiagOnly, ds.Warning, d.MagColumn, d.ErrColumn)
	}
	cols, rows := tableColumns(t, pantheonPlusTable, "")
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
	ds, err := Load("desy5", &Options{DiagOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	d := ds.SN
	cols, rows := tableColumns(t, desY5Table, ",")
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
		_, err := Load(name, &Options{CacheDir: dir})
		if err == nil {
			t.Fatalf("%s loaded without a covariance", name)
		}
		for _, want := range []string{"cosmoemu data get " + name + "-cov", set.Cov.URL, "-data " + name + ":FILE", "-diag-only", filepath.Join(dir, set.Cov.File)} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%s: error %q does not say %q", name, err, want)
			}
		}
		// A cached file with the wrong content is refused, not parsed.
		writeFile(t, filepath.Join(dir, set.Cov.File), "1\n1\n")
		if _, err := Load(name, &Options{CacheDir: dir}); err == nil || !strings.Contains(err.Error(), "not the released file") {
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
	ds, err := Load("pantheonplus:"+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	d := ds.SN
	if d.Len() != 1590 || d.DiagOnly || d.CovSource != path || ds.Warning != "" {
		t.Fatalf("got %d rows, diag-only %v, source %q, warning %q", d.Len(), d.DiagOnly, d.CovSource, ds.Warning)
	}
	cols, _ := tableColumns(t, pantheonPlusTable, "")
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
	if _, err := Load("pantheonplus:"+path, &Options{DiagOnly: true}); err == nil || !strings.Contains(err.Error(), "choose one") {
		t.Errorf("file and diag-only: got %v", err)
	}
	if _, err := Load("desy5:"+path, nil); err == nil || !strings.Contains(err.Error(), "the covariance is 1701×1701 but the table has 1829 rows") {
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
	ds, err := Load("desy5:"+path, nil)
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

func TestParseSNAccepts(t *testing.T) {
	for _, tc := range []struct {
		name, in, mag, errCol string
	}{
		{"blank", "zcmb zhel mb dmb\n0.1 0.11 38 0.1\n0.2 0.21 39 0.1\n", "mb", "dmb"},
		{"hash header, CRLF, BOM", bom + "# a comment\r\n#name zcmb zhel mb\r\nx 0.1 0.11 38\r\n\r\n# c\r\ny 0.2 0.21 39\r\n", "mb", ""},
		{"comma", "CID,zCMB,zHD,zHEL,MU,MUERR\n a , 0.09, 0.1 ,0.11,38,0.2\n,0.2,0.2,0.21,39,0.2,\n", "MU", "MUERR"},
		{"m_b_corr wins over mB and MU", "zHD zHEL mB MU m_b_corr\n0.1 0.11 1 2 38\n0.2 0.21 1 2 39\n", "m_b_corr", ""},
		{"MU wins over mB", "zHD,zHEL,mB,MU\n0.1,0.11,1,38\n0.2,0.21,1,39\n", "MU", ""},
		{"short rows", "zcmb zhel mb biascor\n0.1 0.11 38\n0.2 0.21 39\n", "mb", ""},
	} {
		d, err := ParseSN(strings.NewReader(tc.in), "t")
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if d.Len() != 2 || d.Z[0] != 0.1 || d.ZHel[1] != 0.21 || d.Mag[0] != 38 || d.Mag[1] != 39 || d.MagColumn != tc.mag || d.ErrColumn != tc.errCol {
			t.Errorf("%s: got %+v", tc.name, d)
		}
	}
}

func TestParseSNErrors(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{"empty", "", "t: no header line"},
		{"no data", "zcmb zhel mb\n", "t: no data lines"},
		{"data first", "0.1 0.1 38\nzcmb zhel mb\n", "t:1: want a header line"},
		{"duplicate", "zcmb zhel mb ZCMB\n", `t:1:14: column 4 ("ZCMB") repeats the name of column 1 ("zcmb")`},
		{"no zhel", "zcmb mb\n", "t:1: the header has no heliocentric redshift column"},
		{"no mag", "zcmb zhel mB_corr\n", "t:1: the header has no magnitude column"},
		{"too many fields", "zcmb zhel mb\n0.1 0.1 38 1\n", "t:2: got 4 fields, the header has 3"},
		{"too few fields", "zcmb zhel dz mb\n0.1 0.1\n", "t:2: got 2 fields, the header has 4"},
		{"ragged", "zcmb zhel mb x y\n0.1 0.1 38 1\n0.1 0.1 38\n", "t:3: got 3 fields, the first data line has 4"},
		{"z", "zcmb zhel mb\n-0.1 0.1 38\n", "t:2:1: column 1 (zcmb): redshift -0.1 must be > 0"},
		{"zhel", "zcmb,zhel,mb\n0.1, 0,38\n", "t:2:6: column 2 (zhel): redshift 0 must be > 0"},
		{"NaN", "zcmb zhel mb\n0.1 0.1 nan\n", `t:2:9: column 3 (mb): "nan" is not finite`},
		{"empty field", "zHD,zHEL,MU\n0.1,,38\n", "t:2:5: column 2 (zHEL): empty field"},
		{"negative error", "zHD zHEL MU MUERR_FINAL\n0.1 0.1 38 -1\n", "t:2:12: column 4 (MUERR_FINAL): error -1 is negative"},
	} {
		if _, err := ParseSN(strings.NewReader(tc.in), "t"); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want %q", tc.name, err, tc.want)
		}
	}
}

func TestSNFiles(t *testing.T) {
	dir := t.TempDir()
	table := filepath.Join(dir, "sn.txt")
	cov := filepath.Join(dir, "sn.cov")
	writeFile(t, table, "zHD zHEL MU MUERR\n0.1 0.1 38 0.1\n0.2 0.2 39 0.2\n")
	writeFile(t, cov, "2\n0.04\n0.01\n0.01\n0.09\n")
	ds, err := Load("sn:"+table+":"+cov, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d := ds.SN; d.DiagOnly || d.Cov.At(0, 1) != 0.01 || d.Cov.At(1, 1) != 0.09 || ds.Warning != "" {
		t.Errorf("with covariance: %+v, warning %q", d, ds.Warning)
	}
	ds, err = Load("sn:"+table, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d, e := ds.SN, 0.2; !d.DiagOnly || d.Cov.At(1, 1) != e*e || d.Cov.At(0, 1) != 0 || ds.Warning == "" || d.Chol == nil {
		t.Errorf("diagonal: %+v, warning %q", d, ds.Warning)
	}
	writeFile(t, table, "zHD zHEL MU\n0.1 0.1 38\n0.2 0.2 39\n")
	if _, err := Load("sn:"+table, nil); err == nil || !strings.Contains(err.Error(), "no covariance") {
		t.Errorf("no errors: got %v", err)
	}
	writeFile(t, table, "zHD zHEL MU MUERR\n0.1 0.1 38 0\n0.2 0.2 39 0.2\n")
	if _, err := Load("sn:"+table, nil); err == nil || !strings.Contains(err.Error(), "row 1: MUERR = 0 must be > 0") {
		t.Errorf("zero error: got %v", err)
	}
	writeFile(t, cov, "2\n0.04\n0.01\n0.01\n-0.09\n")
	if _, err := Load("sn:"+table+":"+cov, nil); err == nil || !strings.Contains(err.Error(), cov+": diagonal element (2,2) = -0.09 is not > 0") {
		t.Errorf("negative variance: got %v", err)
	}
	writeFile(t, cov, "2\n1\n2\n2\n1\n")
	if _, err := Load("sn:"+table+":"+cov, nil); err == nil || !strings.Contains(err.Error(), "not positive definite") {
		t.Errorf("indefinite: got %v", err)
	}
}

func TestSNValidate(t *testing.T) {
	good := func() *SN {
		return &SN{Name: "s", Z: []float64{0.1}, ZHel: []float64{0.1}, Mag: []float64{38}, MagErr: []float64{0.1}}
	}
	for _, tc := range []struct {
		edit func(*SN)
		msg  string
	}{
		{func(d *SN) { d.Z, d.ZHel, d.Mag = nil, nil, nil }, "no supernovae"},
		{func(d *SN) { d.Mag = nil }, "lengths differ"},
		{func(d *SN) { d.Mag[0] = math.Inf(-1) }, "not finite"},
		{func(d *SN) { d.ZHel[0] = 0 }, "must be > 0"},
		{func(d *SN) { d.MagErr[0] = -1 }, "≥ 0"},
	} {
		d := good()
		tc.edit(d)
		if err := d.Validate(); err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("got %v, want %q", err, tc.msg)
		}
	}
}
