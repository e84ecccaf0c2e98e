package recomb

import "testing"

// TestStatsHubbleCalls: Stats counts every call of Cosmology.Hubble by
// Solve (the equations, the Jacobian and the sound horizons), and
// SoundHorizon leaves the counts of the last Solve as they were.
func TestStatsHubbleCalls(t *testing.T) {
	c := planck18()
	hubble, calls := c.Hubble, 0
	c.Hubble = func(z float64) float64 { calls++; return hubble(z) }
	var h History
	if err := Solve(&h, &c, nil); err != nil {
		t.Fatal(err)
	}
	st := h.Stats()
	if st.HubbleCalls != calls || calls == 0 {
		t.Errorf("Stats().HubbleCalls = %d, Hubble called %d times", st.HubbleCalls, calls)
	}
	h.SoundHorizon(1000)
	if h.Stats() != st {
		t.Errorf("SoundHorizon changed Stats from %+v to %+v", st, h.Stats())
	}
	if err := Solve(&h, &c, nil); err != nil {
		t.Fatal(err)
	}
	if h.Stats() != st {
		t.Errorf("a second Solve after SoundHorizon: Stats %+v, want %+v", h.Stats(), st)
	}
}
