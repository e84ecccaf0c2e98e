package fit

import (
	"errors"
	"strings"
	"testing"

	"github.com/cosmoemu/cosmoemu/cosmo"
)

// A fit uses the closed form where there is one, else the model's embedded
// emulator, with its embedded growth emulator when the data need the
// growth.
func TestDefaultBackend(t *testing.T) {
	for _, tc := range []struct {
		m      *cosmo.Model
		growth bool
		want   string
	}{
		{cosmo.LCDM, false, "analytic"}, {cosmo.W0WaCDM, true, "analytic"},
		{cosmo.Quintessence, false, "emulator"}, {cosmo.Quintessence, true, "emulator"},
	} {
		if got := DefaultBackend(tc.m, tc.growth, false); got != tc.want {
			t.Errorf("DefaultBackend(%s, %v) = %s, want %s", tc.m.Name(), tc.growth, got, tc.want)
		}
	}
	for _, tc := range []struct {
		data []string
		want string
	}{{[]string{"desi-dr2"}, "emulator"}, {[]string{"sdss-dr16-lrg-fs"}, "emulator"}} {
		p, err := Build(&Config{Model: cosmo.Quintessence, Data: tc.data})
		if err != nil {
			t.Fatal(err)
		}
		if p.Config.Backend != tc.want {
			t.Errorf("quintessence on %v: backend %s, want %s", tc.data, p.Config.Backend, tc.want)
		}
	}
}

// Without a fallback, a prior box that leaves the growth emulator's
// domain (narrower than the late-time emulator's) is refused before the
// run, as one leaving the late-time domain is.
func TestNoFallbackGrowthDomain(t *testing.T) {
	cfg := &Config{Model: cosmo.Quintessence, Data: []string{"sdss-dr16-lrg-fs"}, Backend: "emulator", NoFallback: true,
		Priors: map[string]string{"Om": "0.05:0.7", "H0": "50:90", "lambda": "0:1"}}
	_, err := Build(cfg)
	var ce *ConfigError
	if !errors.As(err, &ce) || ce.Field != "Priors" || !strings.Contains(err.Error(), "growth emulator's domain [0.15, 0.7]") {
		t.Errorf("a prior of Om beyond the growth emulator's domain: %v", err)
	}
	cfg.Priors["Om"] = "0.15:0.7"
	if _, err := Build(cfg); err != nil && strings.Contains(err.Error(), "of Om") {
		t.Errorf("a prior of Om inside the growth emulator's domain: %v", err)
	}
}
