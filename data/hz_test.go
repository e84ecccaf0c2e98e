package data

import (
	"errors"
	"math"
	"os"
	"strings"
	"testing"
)

func TestParseHzAccepts(t *testing.T) {
	in := bom + "# header\r\n" +
		"\r\n" +
		"0.1\t70\t5 # trailing comment\r\n" +
		"  0.2  72.5   6  \t \r\n" +
		"\t\t\n" +
		"1e-1 7e1 5e0\n" +
		"0.3 75 7" // no final newline
	d, err := ParseHz(strings.NewReader(in), "ok.txt")
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
	// A byte-order mark before data on line 1 keeps byte columns exact.
	_, err = ParseHz(strings.NewReader(bom+"0.1 x 5\n"), "bom.txt")
	if err == nil || !strings.HasPrefix(err.Error(), "bom.txt:1:8: ") {
		t.Errorf("got %v, want an error at bom.txt:1:8 (3 BOM bytes + 4)", err)
	}
}

func TestParseHzErrors(t *testing.T) {
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
		{"negative H", "0.1 -70 2\n", "bad.txt:1:5: ", "column 2 (H): -70 is not > 0"},
		{"negative z", "# c\r\n-0.1 70 2\r\n", "bad.txt:2:1: ", "negative redshift -0.1"},
		{"empty file", "", "bad.txt: ", "no data lines"},
		{"only comments", "# a\n\n   # b\n\t\n", "bad.txt: ", "no data lines"},
		{"long line", strings.Repeat("1", maxLine+1), "bad.txt:1: ", "longer than"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := ParseHz(strings.NewReader(tc.in), "bad.txt")
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

func TestParseSimulated20Errors(t *testing.T) {
	for _, tc := range []struct{ in, msg string }{
		{"70,5\n", "fewer than 2"},
		{"70,5\n71\n", "got 1 comma-separated columns"},
		{"70,5\n-71,5\n", "column 1 (H): -71 is not > 0"},
		{"70,5\n71,0\n", "column 2 (sigma_H): 0 is not > 0"},
	} {
		if _, err := ParseHSigma(strings.NewReader(tc.in), "s", 3); err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%q: got %v, want %q", tc.in, err, tc.msg)
		}
	}
}

func TestHzValidate(t *testing.T) {
	good := func() *Hz {
		return &Hz{Name: "d", Z: []float64{0.1, 0.2}, H: []float64{70, 75}, Sigma: []float64{5, 5}}
	}
	for _, tc := range []struct {
		name string
		edit func(d *Hz)
		msg  string
	}{
		{"empty", func(d *Hz) { d.Z, d.H, d.Sigma = nil, nil, nil }, "no measurements"},
		{"lengths", func(d *Hz) { d.H = d.H[:1] }, "column lengths differ"},
		{"NaN", func(d *Hz) { d.H[1] = math.NaN() }, "point 2"},
		{"negative z", func(d *Hz) { d.Z[0] = -1 }, "negative redshift"},
		{"H", func(d *Hz) { d.H[0] = 0 }, "H=0 must be > 0"},
		{"sigma", func(d *Hz) { d.Sigma[0] = 0 }, "must be > 0"},
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

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
