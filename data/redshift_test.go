package data

import (
	"strings"
	"testing"
)

// TestFarRedshift: a redshift above MaxZ in late-time data is refused when
// read, naming file, line and column (1e59bda took z = 1e300 in an H(z)
// file, and every point of the fit then failed with χ² = +Inf, naming no
// row and advising to widen the priors). Rows at MaxZ are read, with
// their lines.
func TestFarRedshift(t *testing.T) {
	const why = "is above 1100 (recombination): late-time data (H(z), BAO, fσ8, supernovae) lie below z ≈ 10"
	for _, tc := range []struct {
		name, in, want string
		parse          func(string) error
	}{
		{"hz", "0.1 70 5\n1e300 80 5\n", "hz.txt:2:1: column 1 (z): redshift 1e+300 " + why,
			func(in string) error { _, err := ParseHz(strings.NewReader(in), "hz.txt"); return err }},
		{"hz just above", "# c\n  1100.5 80 5\n", "hz.txt:2:3: column 1 (z): redshift 1100.5 " + why,
			func(in string) error { _, err := ParseHz(strings.NewReader(in), "hz.txt"); return err }},
		{"bao", "0.5 13 0.2 DM_over_rs\n2e4 9 0.5 DH_over_rs\n", "bao.txt:2:1: column 1 (z): redshift 20000 " + why,
			func(in string) error { _, err := ParseBAO(strings.NewReader(in), "bao.txt"); return err }},
		{"fsigma8", "5e5 0.4 0.05 f_sigma8\n", "bao.txt:1:1: column 1 (z): redshift 500000 " + why,
			func(in string) error { _, err := ParseBAO(strings.NewReader(in), "bao.txt"); return err }},
		{"sn", "zHD zHEL MU MUERR\n0.1 0.1 38 0.1\n0.2 1e300 39 0.1\n", "sn.txt:3:5: column 2 (zHEL): redshift 1e+300 " + why,
			func(in string) error { _, err := ParseSN(strings.NewReader(in), "sn.txt"); return err }},
	} {
		if err := tc.parse(tc.in); err == nil || err.Error() != tc.want {
			t.Errorf("%s: got %v, want %q", tc.name, err, tc.want)
		}
	}
	d, err := ParseHz(strings.NewReader("# c\n\n0.1 70 5\n1100 80 5\n"), "hz.txt")
	if err != nil || d.Z[1] != MaxZ || len(d.Line) != 2 || d.Line[0] != 3 || d.Line[1] != 4 {
		t.Errorf("z = MaxZ: %v, lines %v", err, d.Line)
	}
	if err := (&Hz{Name: "h", Z: []float64{2000}, H: []float64{70}, Sigma: []float64{5}}).Validate(); err == nil || !strings.Contains(err.Error(), "point 1: redshift 2000 "+why) {
		t.Errorf("Hz.Validate: %v", err)
	}
	if err := (&BAO{Name: "b", Z: []float64{2000}, Value: []float64{13}, Quantity: []Quantity{DMOverRd}}).Validate(); err == nil || !strings.Contains(err.Error(), "row 1: redshift 2000 "+why) {
		t.Errorf("BAO.Validate: %v", err)
	}
	if err := (&SN{Name: "s", Z: []float64{0.1}, ZHel: []float64{2000}, Mag: []float64{38}}).Validate(); err == nil || !strings.Contains(err.Error(), "row 1: redshift 2000 "+why) {
		t.Errorf("SN.Validate: %v", err)
	}
	// Keep keeps the lines of the rows kept.
	s, err := ParseSN(strings.NewReader("zHD zHEL MU MUERR\n0.1 0.1 38 0.1\n# c\n0.2 0.2 39 0.1\n0.3 0.3 40 0.1\n"), "sn.txt")
	if err != nil {
		t.Fatal(err)
	}
	if s.Keep([]int{0, 2}); len(s.Line) != 2 || s.Line[0] != 2 || s.Line[1] != 5 {
		t.Errorf("lines after Keep: %v", s.Line)
	}
}
