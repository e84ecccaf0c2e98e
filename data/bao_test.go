package data

import (
	"math"
	"strings"
	"testing"
)

func TestParseBAOErrors(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{"columns", "0.5 10\n", "b:1: got 2 columns, want 3"},
		{"mixed", "0.5 10 DM_over_rs\n0.6 10 1 DH_over_rs\n", "b:2: got 4 columns, but the first data line has 3"},
		{"quantity", "0.5 10 rs_over_DV\n", `b:1:8: unknown quantity "rs_over_DV": want DV_over_rs, DM_over_rs, DH_over_rs or f_sigma8`},
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
	if _, err := parseBAO(strings.NewReader("0.5 10 DV_over_rs\n"), "b", 147.78); err == nil || !strings.Contains(err.Error(), "only DM_over_rs, bao_Hz_rs and f_sigma8") {
		t.Errorf("DV with rdFid: got %v", err)
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
