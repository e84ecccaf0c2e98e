package data

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

func TestPlanck18Distance(t *testing.T) {
	ds, err := Load("planck18-distance", nil)
	if err != nil {
		t.Fatal(err)
	}
	c := ds.CMB
	if ds.Kind != KindCMB || c.Mean[0] != 1.750235 || c.Mean[1] != 301.4707 || c.Mean[2] != 0.02235976 {
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
	for _, line := range strings.Split(string(planck18DistanceFile), "\n") {
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
	ds, err := Load("sh0es", nil)
	if err != nil || ds.Kind != KindH0 || ds.H0.Mean != 73.04 || ds.H0.Sigma != 1.04 || ds.H0.Validate() != nil {
		t.Errorf("sh0es: %+v, %v", ds, err)
	}
	if err := (&H0{Name: "h", Mean: 70, Sigma: 0}).Validate(); err == nil {
		t.Error("σ = 0 accepted")
	}
}
