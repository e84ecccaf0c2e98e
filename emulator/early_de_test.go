package emulator

import (
	"strings"
	"testing"

	"github.com/cosmoemu/cosmoemu/cosmo"
)

// The dark-energy tier survives its file, and a spec with a wrong network
// or box for it is refused with a message naming the tier.
func TestEarlyDETierFile(t *testing.T) {
	e, err := DefaultEarly()
	if err != nil {
		t.Fatal(err)
	}
	b, err := e.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	got, err := Decode(b, "early.bin")
	if err != nil {
		t.Fatal(err)
	}
	again := got.(*Early)
	d0, ok0 := e.DEDomain()
	d1, ok1 := again.DEDomain()
	if !ok0 || !ok1 || d0 != d1 {
		t.Fatalf("dark-energy box %v (%v) after the file, want %v (%v)", d1, ok1, d0, ok0)
	}
	p := cosmo.Params{Nnu: 3.044, Mnu: 0.06, Om: 0.31, H0: 67.4, Ombh2: 0.0224, HasOmbh2: true, DE: cosmo.Values{-0.3, 0.1}}
	want, err := e.EpochsAt(cosmo.W0WaCDM, &p)
	if err != nil {
		t.Fatal(err)
	}
	have, err := again.EpochsAt(cosmo.W0WaCDM, &p)
	want.YHe, have.YHe = 0, 0 // NaN: the emulator does not give it
	if err != nil || have != want {
		t.Errorf("epochs after the file %+v (%v), want %+v", have, err, want)
	}

	spec := EarlySpec{Net: e.net, Domain: e.domain, DE: e.de, DEDomain: e.deDom}
	bad := spec
	bad.DEDomain.Min[4], bad.DEDomain.Max[4] = 1, 1
	if _, err := NewEarly(bad); err == nil || !strings.Contains(err.Error(), "dark-energy domain of ρ_DE/ρ_cb(z=800)") {
		t.Errorf("an empty box of the share: %v", err)
	}
	bad = spec
	bad.DEDomain.Min[4] = 0
	if _, err := NewEarly(bad); err == nil || !strings.Contains(err.Error(), "physical ranges") {
		t.Errorf("a share from 0: %v", err)
	}
	bad = spec
	bad.DE = e.net
	if _, err := NewEarly(bad); err == nil || !strings.Contains(err.Error(), "dark-energy network") {
		t.Errorf("the inner network as the dark-energy tier's: %v", err)
	}
}
