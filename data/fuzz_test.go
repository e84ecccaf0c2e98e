package data

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// checkParseError fails unless err is a *ParseError naming the input.
func checkParseError(t *testing.T, err error) {
	t.Helper()
	var pe *ParseError
	if !errors.As(err, &pe) || !strings.HasPrefix(err.Error(), "fuzz") {
		t.Fatalf("error %q is not a *ParseError naming the input", err)
	}
}

func FuzzParseHz(f *testing.F) {
	for _, s := range []string{
		"", "#", "0.1 70 5", "0.1 70 5\r\n0.2\t71\t6\t\n", "0.1 NaN 5", "1e400 1 1",
		"-0 1 1e-300", "0x1p-2 70 5", "0.1 70 5 # c", "\xff\xfe 1 2", bom + "1 2 3", "0.1 -70 5",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		d, err := ParseHz(strings.NewReader(in), "fuzz")
		if err != nil {
			checkParseError(t, err)
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
			checkParseError(t, err)
			return
		}
		if _, err := Factorize("fuzz", c); err != nil {
			t.Fatalf("accepted covariance cannot be factorized: %v", err)
		}
	})
}

func FuzzParseSNCov(f *testing.F) {
	for _, s := range []string{"2\n1\n0\n0\n1\n", "1 4", "2 1 2 2 1", "3\n1 0 0\n0 1 0\n0 0", "", "2\n1 0 0 1 1", bom + "1\r\n2\r\n"} {
		f.Add([]byte(s))
	}
	f.Add(gzipBytes(f, []byte("2\n1 0\n0 1\n")))
	f.Fuzz(func(t *testing.T, in []byte) {
		for n := 1; n <= 3; n++ {
			c, err := ParseSNCov(bytes.NewReader(in), "fuzz", n)
			if err != nil {
				checkParseError(t, err)
				continue
			}
			if c.SymmetricDim() != n {
				t.Fatalf("got %d×%d, want %d×%d", c.SymmetricDim(), c.SymmetricDim(), n, n)
			}
			for i := range n {
				for j := range n {
					if v := c.At(i, j); !isFinite(v) || v != c.At(j, i) {
						t.Fatalf("element (%d,%d) = %g, (%d,%d) = %g", i, j, v, j, i, c.At(j, i))
					}
				}
			}
		}
	})
}

func FuzzParseBAO(f *testing.F) {
	for _, s := range []string{
		"0.5 13 DM_over_rs\n0.5 21 DH_over_rs", "# z value q\n0.3 7.9 0.1 DV_over_rs", "0.5 13 bao_Hz_rs",
		"0.5 13 DM_over_rs\n0.5 13 DM_over_rs", "0 1 DV_over_rs", "0.5 1 2", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		for _, rd := range []float64{0, 147.78} { // plain, and SDSS DR12's r_d,fid
			d, err := parseBAO(strings.NewReader(in), "fuzz", rd)
			if err != nil {
				checkParseError(t, err)
				continue
			}
			if err := d.Validate(); err != nil {
				t.Fatalf("parsed data fails validation: %v", err)
			}
		}
	})
}

func FuzzParseSN(f *testing.F) {
	for _, s := range []string{
		"zcmb zhel mb\n0.1 0.1 38\n", "#name zcmb zhel dz mb dmb biascor\nb 0.1 0.1 0 36 0\n",
		"CID,zHD,zHEL,MU,MUERR_FINAL\na,0.1,0.1,38,0.1\n", "zHD zHEL m_b_corr m_b_corr_err_DIAG\n0.1 0.1 9 1\n",
		"zcmb ZCMB\n", "zcmb zhel mb\n-1 0 x\n", "", "# c\n\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		d, err := ParseSN(strings.NewReader(in), "fuzz")
		if err != nil {
			checkParseError(t, err)
			return
		}
		if err := d.Validate(); err != nil {
			t.Fatalf("parsed data fails validation: %v", err)
		}
	})
}

func FuzzParseCMB(f *testing.F) {
	for _, s := range []string{
		"MEAN 1 300 0.02\nINVCOV 2 0 0\nINVCOV 0 2 0\nINVCOV 0 0 2\n", "MEAN 1 2 3\nT1CORR 1 2 3 4\n",
		"INVCOV 1 2 3", "MEAN 1 300 0.02 # c\nINVCOV 1 2 0\nINVCOV 2 1 0\nINVCOV 0 0 1\n", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		c, err := ParseCMB(strings.NewReader(in), "fuzz")
		if err != nil {
			checkParseError(t, err)
			return
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("parsed prior fails validation: %v", err)
		}
	})
}
