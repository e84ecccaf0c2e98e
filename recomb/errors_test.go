package recomb

import (
	"errors"
	"math"
	"strings"
	"testing"
)

// TestBadInputs checks that every bad input gives an error that names the
// parameter, its value and the allowed range, and that a History that
// failed answers NaN: never a silent NaN, never a panic.
func TestBadInputs(t *testing.T) {
	base := lcdmMassless(67.36, 0.02237, 0.12)
	nan, inf := math.NaN(), math.Inf(1)
	good := func() Cosmology { return planck18() }
	type tc struct {
		name    string
		mod     func(c *Cosmology, s *Settings)
		param   string // the ParamError's Param, or "" for another error
		epoch   string // the EpochError's Epoch
		allowed string // a part of the message
	}
	cases := []tc{
		{"ω_b = 0", func(c *Cosmology, _ *Settings) { c.OmegaBH2 = 0 }, "OmegaBH2", "", "(0, 1)"},
		{"ω_b < 0", func(c *Cosmology, _ *Settings) { c.OmegaBH2 = -0.02 }, "OmegaBH2", "", "(0, 1)"},
		{"ω_b NaN", func(c *Cosmology, _ *Settings) { c.OmegaBH2 = nan }, "OmegaBH2", "", "(0, 1)"},
		{"ω_b Inf", func(c *Cosmology, _ *Settings) { c.OmegaBH2 = inf }, "OmegaBH2", "", "(0, 1)"},
		{"ω_b above the BBN table", func(c *Cosmology, _ *Settings) { c.OmegaBH2 = 0.05 }, "OmegaBH2", "", "[0.005, 0.04]"},
		{"Y_He = 1", func(c *Cosmology, _ *Settings) { c.YHe = 1 }, "YHe", "", "(0, 1)"},
		{"Y_He < 0", func(c *Cosmology, _ *Settings) { c.YHe = -0.2 }, "YHe", "", "(0, 1)"},
		{"Y_He NaN", func(c *Cosmology, _ *Settings) { c.YHe = nan }, "YHe", "", "(0, 1)"},
		{"N_eff NaN", func(c *Cosmology, _ *Settings) { c.NEff = nan }, "NEff", "", "[0, +Inf)"},
		{"N_eff below the BBN table", func(c *Cosmology, _ *Settings) { c.NEff = 0 }, "NEff", "", "[0.044, 10.044]"},
		{"N_eff above the BBN table", func(c *Cosmology, _ *Settings) { c.NEff = 11 }, "NEff", "", "[0.044, 10.044]"},
		{"T_CMB < 0", func(c *Cosmology, _ *Settings) { c.TCMB = -2.7 }, "TCMB", "", "(0, +Inf)"},
		{"T_CMB Inf", func(c *Cosmology, _ *Settings) { c.TCMB = inf }, "TCMB", "", "(0, +Inf)"},
		{"RTol too large", func(_ *Cosmology, s *Settings) { s.RTol = 0.1 }, "Settings.RTol", "", "[1e-10, 1e-3]"},
		{"RTol NaN", func(_ *Cosmology, s *Settings) { s.RTol = nan }, "Settings.RTol", "", "[1e-10, 1e-3]"},
		{"fudge factor 0", func(_ *Cosmology, s *Settings) { f := FudgeCosmoRec; f.H = 0; s.Fudge = &f }, "Fudge.H", "", "(0, +Inf)"},
		{"Gaussian width 0", func(_ *Cosmology, s *Settings) { f := FudgeCosmoRec; f.K2.Width = 0; s.Fudge = &f }, "Fudge.K2.Width", "", "(0, +Inf)"},
		{"H NaN at z > 1000", func(c *Cosmology, _ *Settings) {
			c.Hubble = func(z float64) float64 {
				if z > 1000 {
					return nan
				}
				return base(z)
			}
		}, "Hubble(z=", "", "(0, +Inf)"},
		{"H < 0 at low z", func(c *Cosmology, _ *Settings) {
			c.Hubble = func(z float64) float64 {
				if z < 10 {
					return -1
				}
				return base(z)
			}
		}, "Hubble(z=", "", "(0, +Inf)"},
		{"H infinite at z > 1e5 (sound horizon)", func(c *Cosmology, _ *Settings) {
			c.Hubble = func(z float64) float64 {
				if z > 1e5 {
					return inf
				}
				return base(z)
			}
		}, "Hubble(z=", "", "(0, +Inf)"},
		{"nil Hubble", func(c *Cosmology, _ *Settings) { c.Hubble = nil }, "", "", "Hubble is nil"},
		// Backgrounds without the epochs.
		{"no z*: H × 1000", func(c *Cosmology, _ *Settings) {
			c.Hubble = func(z float64) float64 { return 1000 * base(z) }
		}, "", "z*", "optical depth"},
		{"no z*: ω_b = 1e-4", func(c *Cosmology, _ *Settings) { c.OmegaBH2, c.YHe = 1e-4, 0.245 }, "", "z*", "optical depth"},
		{"no recombination: ω_b = 1e-6", func(c *Cosmology, _ *Settings) { c.OmegaBH2, c.YHe = 1e-6, 0.245 }, "", "recombination", "does not recombine"},
	}
	var h History
	for _, k := range cases {
		c := good()
		var s Settings
		k.mod(&c, &s)
		// A good Solve first, so that a failure must invalidate it.
		g := good()
		if err := Solve(&h, &g, nil); err != nil {
			t.Fatal(err)
		}
		err := Solve(&h, &c, &s)
		if err == nil {
			t.Errorf("%s: no error", k.name)
			continue
		}
		msg := err.Error()
		var pe *ParamError
		var ee *EpochError
		switch {
		case k.param != "":
			if !errors.As(err, &pe) || !strings.HasPrefix(pe.Param, k.param) {
				t.Errorf("%s: %v, want a ParamError for %s", k.name, err, k.param)
			}
		case k.epoch != "":
			if !errors.As(err, &ee) || ee.Epoch != k.epoch {
				t.Errorf("%s: %v, want an EpochError for %s", k.name, err, k.epoch)
			}
		}
		if !strings.Contains(msg, k.allowed) {
			t.Errorf("%s: %q does not say %q", k.name, msg, k.allowed)
		}
		if e := h.Epochs(); !math.IsNaN(e.ZStar) || !math.IsNaN(h.Xe(1000)) || !math.IsNaN(h.YHe()) {
			t.Errorf("%s: the failed History still answers", k.name)
		}
		t.Logf("%-36s %v", k.name, err)
	}
	if err := Solve(&h, nil, nil); err == nil {
		t.Error("nil Cosmology: no error")
	}
	// θ* needs a distance, and epochs.
	for _, dm := range []float64{0, -1, nan, inf} {
		var pe *ParamError
		if _, err := (Epochs{RStar: 144}).ThetaStar(dm); !errors.As(err, &pe) || pe.Param != "D_M(z*)" {
			t.Errorf("ThetaStar(%v): %v", dm, err)
		}
	}
	if _, err := h.Epochs().ThetaStar(13900); err == nil {
		t.Error("ThetaStar of a failed Solve: no error")
	}
	// An explicit Y_He needs no N_eff, and the BBN table's corners work.
	c := good()
	c.YHe, c.NEff = 0.25, 0
	if err := Solve(&h, &c, nil); err != nil || h.YHe() != 0.25 {
		t.Errorf("explicit Y_He: %v, Y_He %v", err, h.YHe())
	}
}
