package data

import (
	"math"
	"strings"
	"testing"
)

func TestParseCMBErrors(t *testing.T) {
	const inv = "INVCOV 2 0 0\nINVCOV 0 2 0\nINVCOV 0 0 2\n"
	for _, tc := range []struct{ name, in, want string }{
		{"empty", "# x\n", "c: no MEAN line"},
		{"no invcov", "MEAN 1 300 0.02\n", "c: 0 INVCOV lines, want 3"},
		{"keyword", "MEAN 1 300 0.02\nSIGMA 1 2 3\n", `c:2:1: unknown keyword "SIGMA"`},
		{"count", "MEAN 1 300\n", "c:1: MEAN has 2 values, want 3"},
		{"two means", "MEAN 1 300 0.02\nMEAN 1 300 0.02\n", "c:2: more than 1 MEAN line"},
		{"four rows", "MEAN 1 300 0.02\n" + inv + "INVCOV 0 0 2\n", "c:5: more than 3 INVCOV line"},
		{"number", "MEAN 1 3x0 0.02\n", `c:1:8: MEAN value 2: "3x0" is not a number`},
		{"negative mean", "MEAN 1 300 -0.02\n", "c:1:12: MEAN value 3: -0.02 is not > 0"},
		{"NaN", "MEAN 1 300 0.02\nINVCOV NaN 0 0\n", "not finite"},
		{"table", "MEAN 1 300 0.02\nT1CORR 1 2 3\n", "c:2: T1CORR has 3 values, want 4"},
		{"asymmetric", "MEAN 1 300 0.02\nINVCOV 2 1 0\nINVCOV 0 2 0\nINVCOV 0 0 2\n", "c:3: INVCOV not symmetric: element (2,1) = 0 but (1,2) = 1"},
		{"indefinite", "MEAN 1 300 0.02\nINVCOV 1 2 0\nINVCOV 2 1 0\nINVCOV 0 0 2\n", "not positive definite"},
	} {
		if _, err := ParseCMB(strings.NewReader(tc.in), "c"); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want %q", tc.name, err, tc.want)
		}
	}
	if _, err := ParseCMB(strings.NewReader(bom+"MEAN 1 300 0.02\r\n"+inv), "c"); err != nil {
		t.Errorf("BOM and CRLF: %v", err)
	}
}

func TestCMBH0Validate(t *testing.T) {
	if err := (&CMB{Name: "c", Mean: []float64{1, 2}}).Validate(); err == nil {
		t.Error("2 means accepted")
	}
	if err := (&CMB{Name: "c", Mean: []float64{1, math.Inf(1), 3}}).Validate(); err == nil {
		t.Error("infinite mean accepted")
	}
	if err := (&CMB{Name: "c", Mean: []float64{1, 2, 3}}).Validate(); err == nil {
		t.Error("missing inverse covariance accepted")
	}
	if err := (&H0{Name: "h", Mean: 73.04, Sigma: 1.04}).Validate(); err != nil {
		t.Error(err)
	}
	if err := (&H0{Name: "h", Mean: 70, Sigma: 0}).Validate(); err == nil {
		t.Error("σ = 0 accepted")
	}
}
