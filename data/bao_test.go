package data

import (
	"math"
	"path/filepath"
	"strings"
	"testing"
)

func loadBAO(t *testing.T, name string) *BAO {
	t.Helper()
	ds, err := Load(name, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ds.Kind != KindBAO || ds.BAO == nil || ds.BAO.Chol == nil {
		t.Fatalf("%s: got kind %s, BAO %v", name, ds.Kind, ds.BAO)
	}
	return ds.BAO
}

func TestDESIDR1(t *testing.T) {
	d := loadBAO(t, "desi-dr1")
	if d.Len() != 12 || d.RdFid != 0 {
		t.Fatalf("got %d rows, RdFid %g; want 12, 0", d.Len(), d.RdFid)
	}
	// First and last rows of desi_2024_gaussian_bao_ALL_GCcomb_mean.txt.
	if d.Z[0] != 0.295 || d.Value[0] != 7.92512927 || d.Quantity[0] != DVOverRd {
		t.Errorf("row 1: %g %g %v", d.Z[0], d.Value[0], d.Quantity[0])
	}
	if d.Z[11] != 2.33 || d.Value[11] != 8.52256583 || d.Quantity[11] != DHOverRd {
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
	if d.Quantity[11] != DHOverRd || d.Value[11] != 8.631545674846294 ||
		d.Quantity[12] != DMOverRd || d.Value[12] != 38.988973961958784 {
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
	if d.Quantity[10] != DHOverRd || d.Value[10] != 8.717113608259234 || d.Quantity[11] != DMOverRd || d.Value[11] != 38.803318353475845 {
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
		want := DMScaled
		if i%2 == 1 {
			want = HScaled
		}
		if d.Quantity[i] != want {
			t.Errorf("row %d: %v, want %v", i+1, d.Quantity[i], want)
		}
	}
	if d.Value[0] != 1512.39 || d.Value[5] != 98.9647 || d.Cov.At(0, 0) != 624.707 || d.Cov.At(5, 4) != 40.4327 {
		t.Errorf("values %g %g, cov %g %g", d.Value[0], d.Value[5], d.Cov.At(0, 0), d.Cov.At(5, 4))
	}
}

func TestParseBAOErrors(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{"columns", "0.5 10\n", "b:1: got 2 columns, want 3"},
		{"mixed", "0.5 10 DM_over_rs\n0.6 10 1 DH_over_rs\n", "b:2: got 4 columns, but the first data line has 3"},
		{"quantity", "0.5 10 rs_over_DV\n", `b:1:8: unknown quantity "rs_over_DV": want DV_over_rs, DM_over_rs or DH_over_rs`},
		{"Hz_rs", "0.5 10 bao_Hz_rs\n", "needs a fiducial r_d"},
		{"z", "-0.5 10 DM_over_rs\n", "b:1:1: column 1 (z): redshift -0.5 must be > 0"},
		{"z zero", "0 10 DM_over_rs\n", "redshift 0 must be > 0"},
		{"value", "0.5 -1 DM_over_rs\n", "b:1:5: column 2 (value): -1 is not > 0"},
		{"error", "0.5 10 0 DM_over_rs\n", "b:1:8: column 3 (error): 0 is not > 0"},
		{"NaN", "0.5 NaN DM_over_rs\n", `"NaN" is not finite`},
		{"duplicate", "# x\n0.5 10 DM_over_rs\n0.5 11 DM_over_rs\n", "b:3: DM_over_rs at z=0.5 repeats line 2"},
		{"empty", "# nothing\n", "b: no data lines"},
	} {
		if _, err := ParseBAO(strings.NewReader(tc.in), "b"); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want %q", tc.name, err, tc.want)
		}
	}
	// With a fiducial r_d, only the SDSS DR12 quantities are read.
	if _, err := parseBAO(strings.NewReader("0.5 10 DV_over_rs\n"), "b", 147.78); err == nil || !strings.Contains(err.Error(), "only DM_over_rs and bao_Hz_rs") {
		t.Errorf("DV with rdFid: got %v", err)
	}
}

func TestBAOFiles(t *testing.T) {
	dir := t.TempDir()
	mean := filepath.Join(dir, "mean.txt")
	cov := filepath.Join(dir, "cov.txt")
	writeFile(t, mean, bom+"# z value quantity\r\n0.5 13.6 DM_over_rs\r\n0.5 21.0 bao_DH_over_rs\r\n1.5 26 DV_over_rs\r\n")
	writeFile(t, cov, "0.06 -0.07 0\n-0.07 0.37 0\n0 0 0.45\n")
	ds, err := Load("bao:"+mean+":"+cov, nil)
	if err != nil {
		t.Fatal(err)
	}
	d := ds.BAO
	if d.Len() != 3 || d.Quantity[1] != DHOverRd || d.Cov.At(0, 1) != -0.07 || d.Chol == nil {
		t.Errorf("got %+v", d)
	}
	if _, err := Load("bao:"+mean, nil); err == nil || !strings.Contains(err.Error(), "no covariance") {
		t.Errorf("no covariance: got %v", err)
	}
	writeFile(t, mean, "0.5 13.6 0.2 DM_over_rs\n0.5 21.0 0.5 DH_over_rs\n")
	ds, err = Load("bao:"+mean, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c, s := ds.BAO.Cov, 0.2; c.At(0, 0) != s*s || c.At(1, 1) != 0.25 || c.At(0, 1) != 0 {
		t.Errorf("diagonal from the error column: %v", c)
	}
	if _, err := Load("bao:"+mean+":"+cov, nil); err == nil || !strings.HasPrefix(err.Error(), cov+":1: row 1 has 3 columns, want 2") {
		t.Errorf("size mismatch: got %v", err)
	}
}

func TestBAOValidate(t *testing.T) {
	good := func() *BAO {
		return &BAO{Name: "b", Z: []float64{0.5, 0.5}, Value: []float64{13, 21}, Quantity: []Quantity{DMOverRd, DHOverRd}}
	}
	for _, tc := range []struct {
		edit func(*BAO)
		msg  string
	}{
		{func(d *BAO) { d.Z = nil; d.Value = nil; d.Quantity = nil }, "no measurements"},
		{func(d *BAO) { d.Value = d.Value[:1] }, "lengths differ"},
		{func(d *BAO) { d.Z[1] = math.Inf(1) }, "not finite"},
		{func(d *BAO) { d.Z[1] = 0 }, "must be > 0"},
		{func(d *BAO) { d.Value[0] = -1 }, "value -1 must be > 0"},
		{func(d *BAO) { d.Quantity[0] = 0 }, "unknown quantity"},
		{func(d *BAO) { d.Quantity[0] = HScaled }, "needs RdFid"},
		{func(d *BAO) { d.Quantity[1] = DMOverRd }, "both measure"},
	} {
		d := good()
		tc.edit(d)
		if err := d.Validate(); err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("got %v, want %q", err, tc.msg)
		}
	}
	if err := good().Validate(); err != nil {
		t.Error(err)
	}
	if s := Quantity(9).String(); s != "Quantity(9)" {
		t.Errorf("String of an unknown quantity: %q", s)
	}
}
