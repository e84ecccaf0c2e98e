package fit

import (
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
