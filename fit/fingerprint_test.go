package fit

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cosmoemu/cosmoemu/cosmo"
	"github.com/cosmoemu/cosmoemu/emulator"
)

// The fingerprint a resume checks covers the early universe's route and
// the content (not the name) of the emulator files given: a resume with
// another route or another growth emulator would mix two posteriors.
func TestFingerprintEarlyAndEmulatorFiles(t *testing.T) {
	print := func(c *Config) string {
		t.Helper()
		p, err := Build(c)
		if err != nil {
			t.Fatal(err)
		}
		return p.Fingerprint()
	}
	bbn := []string{"desi-dr2", "bbn"}
	emu, fitting := print(&Config{Data: bbn}), print(&Config{Data: bbn, Early: "fitting"})
	if emu == fitting || !strings.Contains(emu, "early universe=emulator") || !strings.Contains(fitting, "early universe=fitting") {
		t.Errorf("the early universe's route is not in the fingerprint:\n%s\n%s", emu, fitting)
	}
	if testing.Short() {
		return
	}
	dir := t.TempDir()
	embedded, err := emulator.DefaultBytes("growth_quintessence")
	if err != nil {
		t.Fatal(err)
	}
	a, a2, b := filepath.Join(dir, "a.bin"), filepath.Join(dir, "copy of a.bin"), filepath.Join(dir, "b.bin")
	os.WriteFile(a, embedded, 0o644)
	os.WriteFile(a2, embedded, 0o644)
	g, err := emulator.TrainGrowth(context.Background(), "quintessence", &emulator.TrainSettings{LatePoints: 200, LateWidth: 4, Epochs: 2, Iterations: 5, Validate: -1})
	if err != nil {
		t.Fatal(err)
	}
	if err := g.WriteFile(b); err != nil {
		t.Fatal(err)
	}
	cfg := func(file string) *Config {
		return &Config{Model: cosmo.Quintessence, Data: []string{"sdss-dr16-lrg-fs"}, GrowthEmulatorFile: file}
	}
	fa, fa2, fb := print(cfg(a)), print(cfg(a2)), print(cfg(b))
	if fa != fa2 {
		t.Errorf("the same growth emulator under two names: fingerprints differ:\n%s\n%s", fa, fa2)
	}
	if fa == fb || !strings.Contains(fa, "growth emulator file=") {
		t.Errorf("two growth emulators, one fingerprint:\n%s", fa)
	}
}
