package mcmc

import (
	"math"
	"sync/atomic"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/cosmoemu/cosmoemu/internal/pool"
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
	// With Target.Derived: nd derived parameters of each row, from der
	// or, on the batch path, from batchDer.
	der      func(x, derived []float64) float64
	batchDer BatchDerived
	nd       int
	dout     []float64 // rows×nd
	// batch path: one block of rows per goroutine
	blocks []evalBlock

	items     int // rows, or blocks for the batch path
	workers   int // goroutines besides the caller
	pool      *pool.Pool
	nonFinite atomic.Int64

	// auto, if set, decides by timing the first rounds whether to share
	// them among the goroutines (nil: always share).
	auto *pool.Auto
}

type evalBlock struct {
	lo, hi int
	xs     *mat.Dense
	der    *mat.Dense // rows lo to hi−1 of dout, on the batch-derived path
}

// newEvaluator returns an evaluator of rows proposals of dimension dim on
// workers goroutines (the caller included). With auto it decides by timing
// whether to use them or the caller alone.
func newEvaluator(t Target, rows, dim, workers int, auto bool) *evaluator {
	e := &evaluator{
		lp:    t.LogProb,
		batch: t.Batch,
		rows:  rows,
		dim:   dim,
		x:     make([]float64, rows*dim),
		out:   make([]float64, rows),
		items: rows,
	}
	if auto && workers > 1 {
		e.auto = pool.NewAuto(rows)
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

// setDerived makes the evaluator store nd derived parameters per row
// (derivedRow): with t.BatchDerived, one block of rows per goroutine, as
// Batch; otherwise row by row with t.Derived, instead of LogProb or Batch.
func (e *evaluator) setDerived(t Target, nd int) {
	if t.Derived == nil || nd == 0 {
		return
	}
	e.der, e.nd, e.dout = t.Derived, nd, make([]float64, e.rows*nd)
	if t.BatchDerived == nil {
		e.batch, e.blocks, e.items = nil, nil, e.rows
		return
	}
	e.batchDer = t.BatchDerived
	workers := e.workers + 1
	xs := mat.NewDense(e.rows, e.dim, e.x)
	ds := mat.NewDense(e.rows, nd, e.dout)
	e.blocks = e.blocks[:0]
	for w := range workers {
		lo, hi := w*e.rows/workers, (w+1)*e.rows/workers
		e.blocks = append(e.blocks, evalBlock{lo: lo, hi: hi,
			xs: xs.Slice(lo, hi, 0, e.dim).(*mat.Dense), der: ds.Slice(lo, hi, 0, nd).(*mat.Dense)})
	}
	e.items = len(e.blocks)
}

// derivedRow returns the derived parameters of row i.
func (e *evaluator) derivedRow(i int) []float64 {
	return e.dout[i*e.nd : (i+1)*e.nd : (i+1)*e.nd]
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
	return e.workers == 0 || (e.auto != nil && e.auto.Serial())
}

// callerFrom returns the first row the caller evaluates: rows before it
// must be filled before start, the others before finish.
func (e *evaluator) callerFrom() int {
	if e.alone() {
		return e.rows
	}
	b := e.workers * e.items / (e.workers + 1)
	if e.blocks != nil {
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
	if e.auto == nil || !e.auto.Probing() {
		e.workRange(0, e.items)
		return
	}
	t0 := time.Now()
	e.workRange(0, e.items)
	e.auto.Record(time.Since(t0), e.rows)
}

// work evaluates block w of the items; the caller's is the last.
func (e *evaluator) work(w int) {
	n := e.workers + 1
	e.workRange(w*e.items/n, (w+1)*e.items/n)
}

// workRange evaluates items lo to hi−1.
func (e *evaluator) workRange(lo, hi int) {
	for i := lo; i < hi; i++ {
		switch {
		case e.blocks != nil:
			b := e.blocks[i]
			if e.batchDer != nil {
				e.batchDer(e.out[b.lo:b.hi], b.xs, b.der)
			} else {
				e.batch(e.out[b.lo:b.hi], b.xs)
			}
			for j := b.lo; j < b.hi; j++ {
				e.out[j] = e.sanitize(e.out[j])
			}
		case e.der != nil:
			e.out[i] = e.sanitize(e.der(e.row(i), e.derivedRow(i)))
		default:
			e.out[i] = e.sanitize(e.lp(e.row(i)))
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
