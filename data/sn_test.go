package data

import (
	"math"
	"strings"
	"testing"
)

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
