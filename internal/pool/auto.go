package pool

import (
	"time"

	"github.com/cosmoemu/cosmoemu/internal/stats"
)

// Auto decides whether rounds of work are worth sharing among the pool's
// goroutines: the first ProbeRounds rounds run on the caller alone and are
// timed; if the median cost of a full round is below MinParallelRound, the
// rounds stay on the caller, handing out the work costing more than it
// saves. The median, not the mean, so that one round slowed down by
// another process does not decide. The samplers of packages mcmc and
// nested both use it.
//
// The threshold, measured with cosmoemu fit -workers 1 against -workers 2
// (ensemble of 32 walkers: rounds of 16 evaluations, 2 cores):
// cc31 H(z), 4 µs rounds: 3.95 M evaluations/s serial, 2.52 M parallel;
// lcdm on desi-dr2, 11 µs rounds: 1.41 M serial, 1.80 M parallel;
// the w0wacdm emulator on desi-dr2+union3+planck, 29 µs rounds: 0.53 M
// serial, 0.63 M parallel. Sharing pays from somewhere between 4 and 11 µs.
type Auto struct {
	round  int       // tasks in a full round
	probes []float64 // seconds per task of each probe round
	serial bool
}

const (
	ProbeRounds      = 16
	MinParallelRound = 8 * time.Microsecond
)

// NewAuto returns the decision for rounds of round tasks.
func NewAuto(round int) *Auto {
	return &Auto{round: max(round, 1), probes: make([]float64, 0, ProbeRounds)}
}

// Probing reports whether the next round is a probe: it must run on the
// caller alone, and its time be passed to Record.
func (a *Auto) Probing() bool { return len(a.probes) < ProbeRounds }

// Record takes the time d of a probe round of n tasks; after the last
// probe the decision is made.
func (a *Auto) Record(d time.Duration, n int) {
	a.probes = append(a.probes, d.Seconds()/float64(max(n, 1)))
	if len(a.probes) == ProbeRounds {
		a.serial = stats.Median(a.probes)*float64(a.round) < MinParallelRound.Seconds()
	}
}

// Serial reports whether rounds stay on the caller: while probing, and
// after the probes if a round is too little work to share.
func (a *Auto) Serial() bool { return a.Probing() || a.serial }

// Probes returns the number of probe rounds recorded so far.
func (a *Auto) Probes() int { return len(a.probes) }
