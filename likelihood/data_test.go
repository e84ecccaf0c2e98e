package likelihood

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cosmoemu/cosmoemu"
)

func TestLoadCC31(t *testing.T) {
	d, err := LoadData(CC31)
	if err != nil {
		t.Fatal(err)
	}
	if d.Len() != 31 || d.Name != CC31 || d.Cov != nil {
		t.Fatalf("got %d points named %q, cov %v; want 31 points named cc31 without covariance", d.Len(), d.Name, d.Cov)
	}
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
	// First and last rows, and the two rows with a trailing tab (0.470) and
	// a stray space (0.875) in testdata/cc31.txt.
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
	d, err := LoadData(Simulated20)
	if err != nil {
		t.Fatal(err)
	}
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

func TestLoadDataFile(t *testing.T) {
	// A path other than a built-in name is read from disk; the embedded
	// copy and the file in testdata must agree.
	d, err := LoadData(filepath.Join("..", "testdata", "cc31.txt"))
	if err != nil {
		t.Fatal(err)
	}
	ref, err := ParseData(strings.NewReader(string(cosmoemu.CC31)), "x")
	if err != nil {
		t.Fatal(err)
	}
	if d.Len() != ref.Len() {
		t.Fatalf("file has %d points, embedded copy %d", d.Len(), ref.Len())
	}
	_, err = LoadData(filepath.Join(t.TempDir(), "missing.txt"))
	if !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), "missing.txt") {
		t.Errorf("missing file: got %v, want a not-exist error naming the file", err)
	}
}

func TestParseDataAccepts(t *testing.T) {
	in := "# header\r\n" +
		"\r\n" +
		"0.1\t70\t5 # trailing comment\r\n" +
		"  0.2  72.5   6  \t \r\n" +
		"\t\t\n" +
		"1e-1 7e1 5e0\n" +
		"0.3 75 7" // no final newline
	d, err := ParseData(strings.NewReader(in), "ok.txt")
	if err != nil {
		t.Fatal(err)
	}
	wantZ := []float64{0.1, 0.2, 0.1, 0.3}
	if d.Len() != len(wantZ) {
		t.Fatalf("got %d points, want %d", d.Len(), len(wantZ))
	}
	for i, z := range wantZ {
		if d.Z[i] != z {
			t.Errorf("z[%d] = %g, want %g", i, d.Z[i], z)
		}
	}
	if d.H[1] != 72.5 || d.Sigma[1] != 6 {
		t.Errorf("row 2: H=%g sigma=%g, want 72.5 and 6", d.H[1], d.Sigma[1])
	}
}

func TestParseDataErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		want string // the whole prefix file:line[:col]
		msg  string // a fragment of the message
	}{
		{"two columns", "# c\n0.1 70 5\n0.2 71\n", "bad.txt:3: ", "got 2 columns, want 3"},
		{"four columns", "0.1 70 5 9\n", "bad.txt:1: ", "got 4 columns"},
		{"one column", "\n\n0.1\n", "bad.txt:3: ", "got 1 columns"},
		{"not a number z", "abc 70 5\n", "bad.txt:1:1: ", `column 1 (z): "abc" is not a number`},
		{"not a number H", "0.1 7O 5\n", "bad.txt:1:5: ", `column 2 (H): "7O" is not a number`},
		{"not a number sigma tab", "0.1\t70\t5,0\n", "bad.txt:1:8: ", `column 3 (sigma_H): "5,0" is not a number`},
		{"NaN", "0.1 70 5\n0.2 NaN 5\n", "bad.txt:2:5: ", `"NaN" is not finite`},
		{"Inf", "0.1 +Inf 5\n", "bad.txt:1:5: ", `"+Inf" is not finite`},
		{"minus inf sigma", "0.1 70 -inf\n", "bad.txt:1:8: ", "is not finite"},
		{"overflow", "0.1 1e400 5\n", "bad.txt:1:5: ", "out of the float64 range"},
		{"zero sigma", "0.1 70 0\n", "bad.txt:1:8: ", "column 3 (sigma_H): 0 is not > 0"},
		{"negative sigma", "0.1 70 -2\n", "bad.txt:1:8: ", "-2 is not > 0"},
		{"negative z", "# c\r\n-0.1 70 2\r\n", "bad.txt:2:1: ", "negative redshift -0.1"},
		{"empty file", "", "bad.txt: ", "no data lines"},
		{"only comments", "# a\n\n   # b\n\t\n", "bad.txt: ", "no data lines"},
		{"long line", strings.Repeat("1", maxLine+1), "bad.txt:1: ", "longer than"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := ParseData(strings.NewReader(tc.in), "bad.txt")
			if err == nil {
				t.Fatalf("accepted %q as %+v", tc.in, d)
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v is not a *ParseError", err)
			}
			if !strings.HasPrefix(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("got %q, want prefix %q and fragment %q", err, tc.want, tc.msg)
			}
		})
	}
}

func TestReadDataNamesPath(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hz.txt")
	if err := os.WriteFile(path, []byte("0.1 70 5\n0.2 x 5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := ReadData(path)
	if err == nil || !strings.HasPrefix(err.Error(), path+":2:5: ") {
		t.Errorf("got %v, want an error starting with %s:2:5", err, path)
	}
}

func TestParseCov(t *testing.T) {
	in := "# 3x3 covariance\n" +
		"4 1 0.5\n" +
		"1\t9 0 # row 2\r\n" +
		"\n" +
		"0.5 0.0000001 16\n" // asymmetry 1e-7 < 1e-6·sqrt(9·16)
	c, err := ParseCov(strings.NewReader(in), "cov.txt", 3)
	if err != nil {
		t.Fatal(err)
	}
	if c.At(0, 1) != 1 || c.At(2, 2) != 16 || c.At(1, 2) != 0.5e-7 {
		t.Errorf("got C01=%g C22=%g C12=%g, want 1, 16, 5e-8 (symmetrized)", c.At(0, 1), c.At(2, 2), c.At(1, 2))
	}
}

func TestParseCovErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		n    int
		want string
		msg  string
	}{
		{"row too short", "1 0\n0\n", 2, "cov.txt:2: ", "row 2 has 1 columns, want 2"},
		{"row too long", "1 0 0\n", 2, "cov.txt:1: ", "row 1 has 3 columns, want 2"},
		{"too few rows", "# c\n1 0\n", 2, "cov.txt: ", "1 rows, want 2"},
		{"too many rows", "1 0\n0 1\n0 0\n", 2, "cov.txt:3: ", "more than 2 rows"},
		{"size mismatch with data", "1 0 0\n0 1 0\n0 0 1\n", 2, "cov.txt:1: ", "want 2 (the data have 2 points)"},
		{"empty", "# nothing\n", 2, "cov.txt: ", "no data lines"},
		{"not a number", "1 0\n0 x\n", 2, "cov.txt:2:3: ", `row 2, column 2: "x" is not a number`},
		{"NaN", "1 NaN\nNaN 1\n", 2, "cov.txt:1:3: ", "not finite"},
		{"not symmetric", "4 1\n1.1 9\n", 2, "cov.txt:2: ", "not symmetric: element (2,1) = 1.1 but (1,2) = 1"},
		{"zero diagonal", "1 0\n0 0\n", 2, "cov.txt:2: ", "diagonal element (2,2) = 0"},
		{"not positive definite", "1 2\n2 1\n", 2, "cov.txt: ", "not positive definite"},
		{"bad size", "1\n", 0, "cov.txt: ", "size 0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseCov(strings.NewReader(tc.in), "cov.txt", tc.n)
			if err == nil {
				t.Fatalf("accepted %q", tc.in)
			}
			if !strings.HasPrefix(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("got %q, want prefix %q and fragment %q", err, tc.want, tc.msg)
			}
		})
	}
}

func TestReadCovFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cov.txt")
	if err := os.WriteFile(path, []byte("2 0\n0 3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := ReadCov(path, 2)
	if err != nil {
		t.Fatal(err)
	}
	if c.At(1, 1) != 3 {
		t.Errorf("C11 = %g, want 3", c.At(1, 1))
	}
	if _, err := ReadCov(path, 3); err == nil || !strings.HasPrefix(err.Error(), path+":1: ") {
		t.Errorf("size mismatch: got %v, want an error naming %s line 1", err, path)
	}
}

func TestDataValidate(t *testing.T) {
	good := func() *Data {
		return &Data{Name: "d", Z: []float64{0.1, 0.2}, H: []float64{70, 75}, Sigma: []float64{5, 5}}
	}
	for _, tc := range []struct {
		name string
		edit func(d *Data)
		msg  string
	}{
		{"empty", func(d *Data) { d.Z, d.H, d.Sigma = nil, nil, nil }, "no measurements"},
		{"lengths", func(d *Data) { d.H = d.H[:1] }, "column lengths differ"},
		{"NaN", func(d *Data) { d.H[1] = math.NaN() }, "point 2"},
		{"negative z", func(d *Data) { d.Z[0] = -1 }, "negative redshift"},
		{"sigma", func(d *Data) { d.Sigma[0] = 0 }, "must be > 0"},
	} {
		d := good()
		tc.edit(d)
		if err := d.Validate(); err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: got %v, want an error containing %q", tc.name, err, tc.msg)
		}
	}
	if err := good().Validate(); err != nil {
		t.Errorf("valid data refused: %v", err)
	}
}

func FuzzParseData(f *testing.F) {
	f.Add(string(cosmoemu.CC31))
	for _, s := range []string{
		"", "#", "0.1 70 5", "0.1 70 5\r\n0.2\t71\t6\t\n", "0.1 NaN 5", "1e400 1 1",
		"-0 0 1e-300", "0x1p-2 70 5", "0.1 70 5 # c", "\xff\xfe 1 2", "1_0 2 3",
		"0.1 70", "\n\n\n", "0.1 70 -5",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		d, err := ParseData(strings.NewReader(in), "fuzz")
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || !strings.HasPrefix(err.Error(), "fuzz") {
				t.Fatalf("error %q is not a *ParseError naming the input", err)
			}
			return
		}
		if err := d.Validate(); err != nil {
			t.Fatalf("parsed data fails validation: %v", err)
		}
	})
}

func FuzzParseCov(f *testing.F) {
	for _, s := range []string{"1 0\n0 1\n", "1 2\n2 1\n", "4 1\n1 9", "x", "", "1 0\n0 1\n0 0\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		c, err := ParseCov(strings.NewReader(in), "fuzz", 2)
		if err != nil {
			return
		}
		if _, err := NewGaussian(&Data{Z: []float64{0, 1}, H: []float64{1, 2}, Sigma: []float64{1, 1}, Cov: c}); err != nil {
			t.Fatalf("accepted covariance %v cannot be factorized: %v", c, err)
		}
	})
}
