package mcmc

import (
	"math"
	"runtime"
	"sync/atomic"
	"time"

	"gonum.org/v1/gonum/mat"
)

// evaluator computes ln p for a fixed number of proposal rows, spread over
// persistent worker goroutines so that a step neither allocates nor starts
// goroutines. Each worker takes one contiguous block of rows, the caller the
// last: a fast target makes a row cost a fraction of a microsecond, and
// handing rows out one by one through a shared counter would cost as much.
// The workers can start (start) while the caller still fills its own rows
// (from CallerFrom on), then the caller evaluates them (finish). Each result
// goes to its own slot, so the outcome does not depend on the scheduling.
//
// A step of a fast target takes microseconds, less than waking a parked
// goroutine (a futex wake-up, tens of microseconds), so workers spin on a
// generation counter between steps, yielding the processor, and park only
// after spinIdle of idleness. A parked worker is woken by a token on its
// channel.
type evaluator struct {
	lp    LogProb
	batch BatchLogProb
	rows  int
	dim   int
	x     []float64 // rows×dim proposals, filled by the caller
	out   []float64 // ln p of each row
	// batch path: one block of rows per worker
	blocks []evalBlock

	items     int           // rows, or blocks for the batch path
	workers   int           // goroutines besides the caller
	gen       atomic.Uint64 // incremented to start a round of work
	done      atomic.Int64  // workers finished with the current round
	quit      atomic.Bool
	parked    []atomic.Bool
	wake      []chan struct{} // buffered: a token wakes a parked worker
	nonFinite atomic.Int64

	// auto: evaluate the first probeRounds rounds on the caller alone,
	// timing them, then stay serial if a round is too little work to share
	// (serial set) and go parallel otherwise.
	auto      bool
	serial    bool
	probed    int
	probeTime time.Duration
}

// probeRounds rounds are timed in auto mode; a round of less than
// minParallelRound of work stays on one goroutine, handing it out costing
// more than it saves.
const (
	probeRounds      = 16
	minParallelRound = 30 * time.Microsecond
)

// spinIdle is how long an idle worker spins before parking; for the first
// busySpins polls it does not even yield, since a yield costs more than the
// wait it is meant to cover (polls take about a nanosecond).
const (
	spinIdle  = 200 * time.Microsecond
	busySpins = 4000
)

type evalBlock struct {
	lo, hi int
	xs     *mat.Dense
}

// newEvaluator returns an evaluator of rows proposals of dimension dim on
// workers goroutines (the caller included). With auto it decides by timing
// whether to use them or the caller alone.
func newEvaluator(t Target, rows, dim, workers int, auto bool) *evaluator {
	e := &evaluator{
		auto:  auto && workers > 1,
		lp:    t.LogProb,
		batch: t.Batch,
		rows:  rows,
		dim:   dim,
		x:     make([]float64, rows*dim),
		out:   make([]float64, rows),
		items: rows,
	}
	if workers > rows {
		workers = rows
	}
	if e.batch != nil {
		xs := mat.NewDense(rows, dim, e.x)
		for w := range workers {
			lo, hi := w*rows/workers, (w+1)*rows/workers
			e.blocks = append(e.blocks, evalBlock{lo: lo, hi: hi, xs: xs.Slice(lo, hi, 0, dim).(*mat.Dense)})
		}
		e.items = len(e.blocks)
	}
	e.workers = workers - 1
	e.parked = make([]atomic.Bool, e.workers)
	e.wake = make([]chan struct{}, e.workers)
	for w := range e.wake {
		e.wake[w] = make(chan struct{}, 1)
		go e.worker(w, 0) // rounds start at generation 1
	}
	return e
}

// worker runs the rounds of work announced by eval, after generation seen,
// until close. seen must not be read from e.gen by the goroutine itself: a
// round may start before it first runs.
func (e *evaluator) worker(w int, seen uint64) {
	for {
		idle := time.Now()
		for spins := 0; e.gen.Load() == seen; spins++ {
			if spins < busySpins {
				continue // the next round usually comes within microseconds
			}
			if e.quit.Load() {
				return
			}
			if spins%64 != 63 || time.Since(idle) < spinIdle {
				runtime.Gosched()
				continue
			}
			// Park. Announce it first, then look again: either eval sees
			// the announcement and sends a token, or this sees the new
			// round. A stale token only causes one extra look.
			e.parked[w].Store(true)
			if e.gen.Load() == seen && !e.quit.Load() {
				<-e.wake[w]
			}
			e.parked[w].Store(false)
			idle = time.Now()
		}
		seen = e.gen.Load()
		e.work(w)
		e.done.Add(1)
	}
}

// row returns proposal row i for the caller to fill.
func (e *evaluator) row(i int) []float64 {
	return e.x[i*e.dim : (i+1)*e.dim : (i+1)*e.dim]
}

// eval fills out with ln p of every row of x.
func (e *evaluator) eval() {
	e.start()
	e.finish()
}

// alone reports whether this round runs on the caller alone.
func (e *evaluator) alone() bool {
	return e.workers == 0 || e.serial || (e.auto && e.probed < probeRounds)
}

// callerFrom returns the first row the caller evaluates: rows before it
// must be filled before start, the others before finish.
func (e *evaluator) callerFrom() int {
	if e.alone() {
		return e.rows
	}
	b := e.workers * e.items / (e.workers + 1)
	if e.batch != nil {
		return e.blocks[b].lo
	}
	return b
}

// start sets the workers on their blocks.
func (e *evaluator) start() {
	if e.alone() {
		return
	}
	e.done.Store(0)
	e.gen.Add(1)
	for w := range e.parked {
		if e.parked[w].Load() {
			select {
			case e.wake[w] <- struct{}{}:
			default:
			}
		}
	}
}

// finish evaluates the caller's block (or every block, when alone) and
// waits for the workers.
func (e *evaluator) finish() {
	if e.alone() {
		probing := e.auto && e.probed < probeRounds
		var t0 time.Time
		if probing {
			t0 = time.Now()
		}
		e.workRange(0, e.items)
		if probing {
			e.probeTime += time.Since(t0)
			if e.probed++; e.probed == probeRounds {
				e.serial = e.probeTime/probeRounds < minParallelRound
			}
		}
		return
	}
	e.work(e.workers)
	for spins := 0; e.done.Load() < int64(e.workers); spins++ {
		if spins >= busySpins {
			runtime.Gosched()
		}
	}
}

// work evaluates block w of the items; the caller's is the last.
func (e *evaluator) work(w int) {
	n := e.workers + 1
	e.workRange(w*e.items/n, (w+1)*e.items/n)
}

// workRange evaluates items lo to hi−1.
func (e *evaluator) workRange(lo, hi int) {
	for i := lo; i < hi; i++ {
		if e.batch == nil {
			e.out[i] = e.sanitize(e.lp(e.row(i)))
			continue
		}
		b := e.blocks[i]
		e.batch(e.out[b.lo:b.hi], b.xs)
		for j := b.lo; j < b.hi; j++ {
			e.out[j] = e.sanitize(e.out[j])
		}
	}
}

// sanitize maps NaN and +Inf to −Inf, counting them.
func (e *evaluator) sanitize(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 1) {
		e.nonFinite.Add(1)
		return math.Inf(-1)
	}
	return v
}

// close stops the worker goroutines.
func (e *evaluator) close() {
	e.quit.Store(true)
	for w := range e.wake {
		select {
		case e.wake[w] <- struct{}{}:
		default:
		}
	}
}
