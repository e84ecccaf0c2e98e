package fit

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cosmoemu/cosmoemu/cosmo"
	"github.com/cosmoemu/cosmoemu/emulator"
)

// A fit uses the closed form where there is one, else the model's embedded
// emulator, with its embedded growth emulator when the data need the
// growth (w0waCDM's and the field's are embedded); a growth emulator given
// for a closed-form model's growth data makes it the emulator, which reads
// it.
func TestDefaultBackend(t *testing.T) {
	for _, tc := range []struct {
		m      *cosmo.Model
		growth bool
		want   string
	}{
		{cosmo.LCDM, false, "analytic"}, {cosmo.LCDM, true, "analytic"},
		{cosmo.W0WaCDM, false, "analytic"}, {cosmo.W0WaCDM, true, "emulator"},
		{cosmo.Quintessence, false, "emulator"}, {cosmo.Quintessence, true, "emulator"},
	} {
		if got := DefaultBackend(tc.m, tc.growth, nil); got != tc.want {
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
	// A model file asks for the backend that reads it.
	for _, s := range []*BackendSettings{{GrowthEmulatorFile: "g.bin"}, {EmulatorFile: "e.bin"}} {
		for _, m := range []*cosmo.Model{cosmo.W0WaCDM, cosmo.Quintessence} {
			if got := DefaultBackend(m, true, s); got != "emulator" {
				t.Errorf("DefaultBackend(%s, growth, %+v) = %s, want emulator", m.Name(), *s, got)
			}
		}
	}
	if testing.Short() {
		return
	}
	g, err := emulator.TrainGrowth(context.Background(), "w0wacdm", &emulator.TrainSettings{LatePoints: 200, LateWidth: 4, Epochs: 2, Iterations: 5, Validate: -1})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "g.bin")
	if err := g.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	p, err := Build(&Config{Model: cosmo.W0WaCDM, Data: []string{"sdss-dr16-lrg-fs"}, GrowthEmulatorFile: path})
	if err != nil {
		t.Fatal(err)
	}
	if p.Config.Backend != "emulator" {
		t.Errorf("w0wacdm on sdss-dr16-lrg-fs with a growth emulator: backend %s, want emulator", p.Config.Backend)
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

// A model file that the backend would not read, or that is not an
// emulator of the model, is refused naming the field, by NewBackend (the
// command line's background, Python's) and by Build.
func TestModelFilesNobodyReads(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.bin")
	if err := os.WriteFile(garbage, []byte("not a model"), 0o644); err != nil {
		t.Fatal(err)
	}
	quint := filepath.Join(dir, "quintessence.bin")
	if b, err := emulator.DefaultBytes("quintessence"); err != nil {
		t.Fatal(err)
	} else if err := os.WriteFile(quint, b, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		backend string
		m       *cosmo.Model
		set     BackendSettings
		field   string
		want    string
	}{
		{"solver", cosmo.Quintessence, BackendSettings{EmulatorFile: quint}, "EmulatorFile", "emulator " + quint + ": the solver backend does not read it"},
		{"", cosmo.LCDM, BackendSettings{EmulatorFile: quint}, "EmulatorFile", "the analytic backend does not read it"},
		{"analytic", cosmo.LCDM, BackendSettings{GrowthEmulatorFile: garbage}, "GrowthEmulatorFile", "growth emulator " + garbage + ": the analytic backend"},
		{"emulator", cosmo.LCDM, BackendSettings{EmulatorFile: quint}, "EmulatorFile", "trained for model quintessence, not lcdm"},
		{"emulator", cosmo.Quintessence, BackendSettings{EmulatorFile: garbage}, "EmulatorFile", garbage},
		{"emulator", cosmo.Quintessence, BackendSettings{GrowthEmulatorFile: quint}, "GrowthEmulatorFile", quint},
	} {
		_, err := NewBackend(tc.backend, tc.m, &tc.set)
		var ce *ConfigError
		if !errors.As(err, &ce) || ce.Field != tc.field || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("NewBackend(%q, %s, %+v): %v; want a ConfigError of %s saying %q", tc.backend, tc.m.Name(), tc.set, err, tc.field, tc.want)
		}
	}
	for _, tc := range []struct {
		cfg   Config
		field string
	}{
		{Config{Model: cosmo.Quintessence, Data: []string{"desi-dr2"}, Backend: "solver", EmulatorFile: quint}, "EmulatorFile"},
		{Config{Model: cosmo.LCDM, Data: []string{"desi-dr2"}, EmulatorFile: quint}, "EmulatorFile"},
		{Config{Model: cosmo.LCDM, Data: []string{"desi-dr2"}, GrowthEmulatorFile: garbage}, "GrowthEmulatorFile"},
	} {
		_, err := Build(&tc.cfg)
		var ce *ConfigError
		if !errors.As(err, &ce) || ce.Field != tc.field {
			t.Errorf("Build(%+v): %v; want a ConfigError of %s", tc.cfg, err, tc.field)
		}
	}
	// Where the emulator reads it, it is taken, the default backend then.
	p, err := Build(&Config{Model: cosmo.Quintessence, Data: []string{"desi-dr2"}, EmulatorFile: quint})
	if err != nil || p.Config.Backend != "emulator" {
		t.Errorf("quintessence with its emulator's file: %v", err)
	}
}
