package mcmc

import (
	"math"
	"sync/atomic"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/cosmoemu/cosmoemu/internal/pool"
	"github.com/cosmoemu/cosmoemu/internal/stats"
)

// evaluator computes ln p for a fixed number of proposal rows on a worker
// pool (internal/pool), so that a step neither allocates nor starts
// goroutines. The rows are cut into one contiguous block per goroutine, the
// caller's being the last: a fast target makes a row cost a fraction of a
// microsecond, and handing rows out one by one would cost as much. The
// helpers can start on their blocks (start) while the caller still fills its
// own rows (from callerFrom on), then the caller evaluates them and waits
// (finish). Each result goes to its own slot, so the outcome does not
// depend on the scheduling.
type evaluator struct {
	lp    LogProb
	batch BatchLogProb
	rows  int
	dim   int
	x     []float64 // rows×dim proposals, filled by the caller
	out   []float64 // ln p of each row
	// batch path: one block of rows per goroutine
	blocks []evalBlock

	items     int // rows, or blocks for the batch path
	workers   int // goroutines besides the caller
	pool      *pool.Pool
	nonFinite atomic.Int64

	// auto: evaluate the first probeRounds rounds on the caller alone,
	// timing them, then stay serial if a round is too little work to share
	// (serial set) and go parallel otherwise.
	auto   bool
	serial bool
	probes []float64 // seconds per probe round
}

// probeRounds rounds are timed in auto mode; if their median takes less
// than minParallelRound, the rounds stay on one goroutine, handing out the
// work costing more than it saves. The median, not the mean, so that one
// round slowed down by another process does not decide.
//
// The threshold, measured with cosmoemu fit -workers 1 against -workers 2
// (ensemble of 32 walkers: rounds of 16 evaluations, 2 cores):
// cc31 H(z), 4 µs rounds: 3.95 M evaluations/s serial, 2.52 M parallel;
// lcdm on desi-dr2, 11 µs rounds: 1.41 M serial, 1.80 M parallel;
// the w0wacdm emulator on desi-dr2+union3+planck, 29 µs rounds: 0.53 M
// serial, 0.63 M parallel. Sharing pays from somewhere between 4 and 11 µs.
const (
	probeRounds      = 16
	minParallelRound = 8 * time.Microsecond
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
	if e.auto {
		e.probes = make([]float64, 0, probeRounds)
	}
	workers = max(1, min(workers, rows))
	if e.batch != nil {
		xs := mat.NewDense(rows, dim, e.x)
		for w := range workers {
			lo, hi := w*rows/workers, (w+1)*rows/workers
			e.blocks = append(e.blocks, evalBlock{lo: lo, hi: hi, xs: xs.Slice(lo, hi, 0, dim).(*mat.Dense)})
		}
		e.items = len(e.blocks)
	}
	e.workers = workers - 1
	e.pool = pool.New(workers, e.work)
	return e
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
	return e.workers == 0 || e.serial || (e.auto && len(e.probes) < probeRounds)
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

// start sets the helpers on their blocks.
func (e *evaluator) start() {
	if !e.alone() {
		e.pool.Start(e.workers)
	}
}

// finish evaluates the caller's block (or every block, when alone) and
// waits for the helpers.
func (e *evaluator) finish() {
	if !e.alone() {
		e.work(e.workers)
		e.pool.Wait()
		return
	}
	if !e.auto || len(e.probes) >= probeRounds {
		e.workRange(0, e.items)
		return
	}
	t0 := time.Now()
	e.workRange(0, e.items)
	e.probes = append(e.probes, time.Since(t0).Seconds())
	if len(e.probes) == probeRounds {
		e.serial = stats.Median(e.probes) < minParallelRound.Seconds()
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

// close stops the helpers.
func (e *evaluator) close() { e.pool.Close() }
