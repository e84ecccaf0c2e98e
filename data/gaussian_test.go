package data

import (
	"bytes"
	"strings"
	"testing"
)

func TestParseGaussians(t *testing.T) {
	const file = "cmb/desi_dr2_priors_bbn_thetastar.txt"
	g, err := ParseGaussians(bytes.NewReader(embedded(t, file)), file)
	if err != nil {
		t.Fatal(err)
	}
	if len(g) != 2 || g[0].Name != "bbn" || g[0].Param != "omega_b" || g[0].Mean != 0.02218 || g[0].Sigma != 0.00055 ||
		!strings.HasPrefix(g[0].Source, "Schoeneberg 2024, arXiv:2401.15054 eq. 5.1") ||
		g[1].Name != "theta-star" || g[1].Param != "100*theta_*" || g[1].Mean != 1.04110 || g[1].Sigma != 0.00053 {
		t.Errorf("got %+v", g)
	}
	for _, tc := range []struct{ in, want string }{
		{"", "g: no data lines"},
		{"# only\n", "g: no data lines"},
		{"bbn omega_b 0.02\n", "g:1: got 3 fields"},
		{"bbn omega_b x 1\n", `g:1:13: column 3 (mean): "x" is not a number`},
		{"bbn omega_b 0.02 0\n", "g:1:18: column 4 (sigma): 0 is not > 0"},
		{"bbn omega_b 0.02 NaN\n", "not finite"},
		{"a p 1 1\na q 2 2\n", `g:2:1: "a" repeats line 1`},
	} {
		if _, err := ParseGaussians(strings.NewReader(tc.in), "g"); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: got %v, want %q", tc.in, err, tc.want)
		}
	}
	if err := (&Gaussian{Name: "g", Param: "p", Mean: 1, Sigma: -1}).Validate(); err == nil {
		t.Error("σ < 0 accepted")
	}
}

func FuzzParseGaussians(f *testing.F) {
	for _, s := range []string{"bbn omega_b 0.02218 0.00055 source text", "a p 1 1\na p 1 1", "a p x 1", "# c\n", "a p 1 0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		gs, err := ParseGaussians(strings.NewReader(in), "fuzz")
		if err != nil {
			checkParseError(t, err)
			return
		}
		for _, g := range gs {
			if err := g.Validate(); err != nil {
				t.Fatalf("parsed prior fails validation: %v", err)
			}
		}
	})
}

func TestParseGaussianVector(t *testing.T) {
	const file = "cmb/desi_dr2_cmb_compressed_theta_ombh2_ombch2.txt"
	g, err := ParseGaussianVector(bytes.NewReader(embedded(t, file)), file, 3)
	if err != nil {
		t.Fatal(err)
	}
	// DESI DR2 Appendix A, eqs. (35)–(36), as the file holds them.
	wantMean := []float64{0.01041027, 0.02223208, 0.14207901}
	wantCov := [3][3]float64{
		{6.62099420e-12, 1.24442058e-10, -1.19287532e-09},
		{1.24442058e-10, 2.13441666e-08, -9.40008323e-08},
		{-1.19287532e-09, -9.40008323e-08, 1.48841714e-06},
	}
	for i := range 3 {
		if g.Mean[i] != wantMean[i] {
			t.Errorf("mean %d = %g, want %g", i, g.Mean[i], wantMean[i])
		}
		for j := range 3 {
			if g.Cov.At(i, j) != wantCov[i][j] {
				t.Errorf("cov (%d,%d) = %g, want %g", i, j, g.Cov.At(i, j), wantCov[i][j])
			}
		}
	}
	for _, tc := range []struct{ in, want string }{
		{"", "v: no data lines"},
		{"# only\n", "v: no data lines"},
		{"1 2\n", "v:1: the mean has 2 values, want 3"},
		{"1 x 3\n", `v:1:3: mean value 2: "x" is not a number`},
		{"1 2 3\n1 0 0\n0 1 0\n", "v: 2 rows, want 3"},
		{"# c\n1 2 3\n1 0 0\n0 1 0\n0 0 1 4\n", "v:5: row 3 has 4 columns, want 3"},
		{"1 2 3\n1 0 0\n0 1 0\n0 0 -1\n", "v:4: diagonal element (3,3) = -1 is not > 0"},
		{"1 2 3\n1 2 0\n0 1 0\n0 0 1\n", "not symmetric"},
		{"1 2 3\n1 2 0\n2 1 0\n0 0 1\n", "not positive definite"},
		{"1 Inf 3\n1 0 0\n0 1 0\n0 0 1\n", "not finite"},
	} {
		if _, err := ParseGaussianVector(strings.NewReader(tc.in), "v", 3); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: got %v, want %q", tc.in, err, tc.want)
		}
	}
	if _, err := ParseGaussianVector(strings.NewReader("1\n1\n"), "v", 0); err == nil {
		t.Error("size 0 accepted")
	}
}

func FuzzParseGaussianVector(f *testing.F) {
	for _, s := range []string{"1 2\n1 0\n0 1\n", "# c\n1 2\n2 1\n1 2\n", "1 x\n", "1 2\n1 0\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		g, err := ParseGaussianVector(strings.NewReader(in), "fuzz", 2)
		if err != nil {
			checkParseError(t, err)
			return
		}
		if len(g.Mean) != 2 || g.Cov.SymmetricDim() != 2 || g.Chol == nil {
			t.Fatalf("parsed %+v", g)
		}
	})
}
