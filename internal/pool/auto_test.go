package pool

import (
	"testing"
	"time"
)

// Auto decides on the median cost of a full round, scaled from the
// recorded per-task times: one slow probe does not make cheap rounds
// parallel, and rounds above MinParallelRound are shared.
func TestAuto(t *testing.T) {
	for _, tc := range []struct {
		name   string
		task   time.Duration // per task, every probe
		slow   bool          // one probe 100× slower
		serial bool
	}{
		{"cheap", 100 * time.Nanosecond, false, true},
		{"cheap, one probe slowed down", 100 * time.Nanosecond, true, true},
		{"dear", 2 * time.Microsecond, false, false},
	} {
		a := NewAuto(16)
		for i := range ProbeRounds {
			if !a.Probing() || !a.Serial() {
				t.Fatalf("%s: not probing at round %d", tc.name, i)
			}
			d := tc.task * 8 // probe rounds of 8 tasks (the first batches may be smaller)
			if tc.slow && i == 3 {
				d *= 100
			}
			a.Record(d, 8)
		}
		if a.Probing() || a.Serial() != tc.serial || a.Probes() != ProbeRounds {
			t.Errorf("%s: probing %v, serial %v, want %v", tc.name, a.Probing(), a.Serial(), tc.serial)
		}
	}
}
