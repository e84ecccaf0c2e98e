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
