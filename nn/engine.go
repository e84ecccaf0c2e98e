package nn

import (
	"runtime"

	"github.com/cosmoemu/cosmoemu/internal/pool"
)

// engine evaluates a network on blocks of rows with a fixed set of worker
// goroutines and preallocated buffers: forward pass, loss, backpropagation,
// gradient and optimizer step. Rows are laid out row-major (rows = samples).
//
// Work is split so that no result depends on the number of workers:
// phase 1 (forward, loss, backward deltas) splits the rows of the block,
// each row being independent; phase 2 (gradient, update) splits the rows of
// the (In+1)×Out parameter blocks [W; B], each gradient element being one
// FMA chain over the rows of the block in order.
type engine struct {
	layers  []engLayer
	loss    Loss
	nin     int
	nout    int
	maxRows int
	params  []float64 // the order of Network.Params (nil when forward-only on the net's own slices)
	grad    []float64

	xbuf, ybuf []float64 // gathered inputs and targets, maxRows×nin and maxRows×nout
	rowLoss    []float64
	rowHit     []bool

	opt  optimizerState
	lr   float64
	step int

	// The current block, set before each phase.
	in        []float64 // inputs, row r at in[r*inStride:]
	inStride  int
	tgt       []float64 // targets, row r at tgt[r*tgtStride:]
	tgtStride int
	rows      int
	gscale    float64
	backward  bool // phase 1 also computes the deltas
	withLoss  bool // phase 1 computes the loss terms (else plain forward)
	hits      bool // phase 1 records rowHit
	accGrad   bool // phase 2 adds to grad instead of overwriting it
	update    bool // phase 2 applies the optimizer

	workers     int
	pieces      [][]piece // phase-2 tasks
	rowsPerTask int       // phase-1 task size, a multiple of 4 unless there is one task
	phase       int       // the phase the pool's tasks belong to
	pool        *pool.Pool
}

type engLayer struct {
	in, out int
	act     Activation
	off     int       // offset of [W; B] in params and grad
	w, b    []float64 // weights and biases
	gw, gb  []float64 // their gradient
	wt      []float64 // Out×In transpose of w, for the backward pass (not for layer 0)
	h, d    []float64 // maxRows×out: outputs f(z), and ∂L/∂z
}

// piece is rows [i0, i1) of the (In+1)×Out block [W; B] of a layer; row In
// is the bias.
type piece struct{ layer, i0, i1 int }

const (
	phaseForward = iota
	phaseGradient
)

// newEngine prepares an engine for blocks of at most maxRows rows. With
// train false the engine only runs forward passes and losses, reading the
// network's own weights; otherwise it works on its own copy of the
// parameters (see syncTo) and keeps gradient and transposed weights.
func newEngine(net *Network, maxRows, workers int, loss Loss, train bool) *engine {
	if workers <= 0 {
		workers = min(runtime.GOMAXPROCS(0), runtime.NumCPU())
	}
	// Never more workers than 4-row blocks.
	workers = max(1, min(workers, (maxRows+3)/4))
	e := &engine{
		loss:    loss,
		nin:     net.Inputs(),
		nout:    net.Outputs(),
		maxRows: maxRows,
		workers: workers,
		rowLoss: make([]float64, maxRows),
		rowHit:  make([]bool, maxRows),
		xbuf:    make([]float64, maxRows*net.Inputs()),
		ybuf:    make([]float64, maxRows*net.Outputs()),
	}
	if train {
		e.params = net.Params(nil)
		e.grad = make([]float64, len(e.params))
	}
	e.layers = make([]engLayer, len(net.Layers))
	off := 0
	for l := range net.Layers {
		ly := &net.Layers[l]
		el := &e.layers[l]
		*el = engLayer{in: ly.In, out: ly.Out, act: ly.Act, off: off, w: ly.W, b: ly.B,
			h: make([]float64, maxRows*ly.Out)}
		if train {
			n := ly.In * ly.Out
			el.w = e.params[off : off+n]
			el.b = e.params[off+n : off+n+ly.Out]
			el.gw = e.grad[off : off+n]
			el.gb = e.grad[off+n : off+n+ly.Out]
			el.d = make([]float64, maxRows*ly.Out)
			if l > 0 {
				el.wt = make([]float64, n)
			}
		}
		off += (ly.In + 1) * ly.Out
	}
	if train {
		e.refreshTranspose()
		e.pieces = splitPieces(e.layers, tasksPerWorker*workers)
	}
	e.pool = pool.New(workers, e.run)
	return e
}

// close stops the worker goroutines.
func (e *engine) close() { e.pool.Close() }

// setParams copies p (the order of Network.Params) into the engine.
func (e *engine) setParams(p []float64) {
	copy(e.params, p)
	e.refreshTranspose()
}

// syncTo copies the engine's parameters into net.
func (e *engine) syncTo(net *Network) { net.SetParams(e.params) }

func (e *engine) refreshTranspose() {
	for l := 1; l < len(e.layers); l++ {
		el := &e.layers[l]
		transposeRows(el, 0, el.in)
	}
}

// transposeRows sets wt[j*in+i] = w[i*out+j] for i0 ≤ i < i1, eight rows of
// w at a time so that each row of wt gets a whole cache line.
func transposeRows(el *engLayer, i0, i1 int) {
	in, out := el.in, el.out
	w, wt := el.w, el.wt
	i := i0
	for ; i+8 <= i1; i += 8 {
		r0 := w[i*out : (i+1)*out]
		r1 := w[(i+1)*out : (i+2)*out][:len(r0)]
		r2 := w[(i+2)*out : (i+3)*out][:len(r0)]
		r3 := w[(i+3)*out : (i+4)*out][:len(r0)]
		r4 := w[(i+4)*out : (i+5)*out][:len(r0)]
		r5 := w[(i+5)*out : (i+6)*out][:len(r0)]
		r6 := w[(i+6)*out : (i+7)*out][:len(r0)]
		r7 := w[(i+7)*out : (i+8)*out][:len(r0)]
		for j := range r0 {
			d := wt[j*in+i : j*in+i+8]
			d[0], d[1], d[2], d[3] = r0[j], r1[j], r2[j], r3[j]
			d[4], d[5], d[6], d[7] = r4[j], r5[j], r6[j], r7[j]
		}
	}
	for ; i < i1; i++ {
		for j, v := range w[i*out : (i+1)*out] {
			wt[j*in+i] = v
		}
	}
}

// splitPieces divides the parameter rows into n tasks of about equal cost
// (Out per row), in blocks of 4 rows where possible.
func splitPieces(layers []engLayer, n int) [][]piece {
	workers := n
	total := 0
	for _, el := range layers {
		total += (el.in + 1) * el.out
	}
	// cut[w] is the first (layer, row) of worker w, as a global position.
	type pos struct{ layer, row int }
	cuts := make([]pos, workers+1)
	cuts[workers] = pos{len(layers), 0}
	for w := 1; w < workers; w++ {
		target := total * w / workers
		acc := 0
		for l, el := range layers {
			size := (el.in + 1) * el.out
			if acc+size > target {
				row := (target - acc + el.out/2) / el.out
				row = (row + 2) / 4 * 4
				cuts[w] = pos{l, min(row, el.in+1)}
				break
			}
			acc += size
		}
		if cuts[w].layer < cuts[w-1].layer || (cuts[w].layer == cuts[w-1].layer && cuts[w].row < cuts[w-1].row) {
			cuts[w] = cuts[w-1]
		}
	}
	pieces := make([][]piece, workers)
	for w := 0; w < workers; w++ {
		from, to := cuts[w], cuts[w+1]
		for l := from.layer; l < len(layers) && l <= to.layer; l++ {
			i0, i1 := 0, layers[l].in+1
			if l == from.layer {
				i0 = from.row
			}
			if l == to.layer {
				i1 = to.row
			}
			if i1 > i0 {
				pieces[w] = append(pieces[w], piece{l, i0, i1})
			}
		}
	}
	return pieces
}

// tasksPerWorker is how many tasks each phase has per worker: workers take
// tasks in turn, so that a worker slowed down by other processes on its
// core does not hold the others back. Which worker runs a task does not
// change its result.
const tasksPerWorker = 4

// planTasks returns the number of tasks of a phase on the current block
// (and sets rowsPerTask).
func (e *engine) planTasks(phase int) int {
	if phase == phaseGradient {
		return len(e.pieces)
	}
	if e.workers == 1 {
		e.rowsPerTask = e.rows
		return 1
	}
	n := tasksPerWorker * e.workers
	e.rowsPerTask = max(8, ((e.rows+n-1)/n+3)/4*4)
	return (e.rows + e.rowsPerTask - 1) / e.rowsPerTask
}

// run runs task t of the current phase.
func (e *engine) run(t int) {
	switch e.phase {
	case phaseForward:
		r0 := t * e.rowsPerTask
		e.forwardRows(r0, min(r0+e.rowsPerTask, e.rows))
	case phaseGradient:
		for _, p := range e.pieces[t] {
			e.gradientPiece(p)
		}
	}
}

// forwardRows runs phase 1 on rows [r0, r1) of the current block.
func (e *engine) forwardRows(r0, r1 int) {
	n := r1 - r0
	in, ld := e.in[r0*e.inStride:], e.inStride
	last := len(e.layers) - 1
	for l := range e.layers {
		el := &e.layers[l]
		h := el.h[r0*el.out : r1*el.out]
		gemm(n, el.out, el.in, in, ld, 1, el.w, el.out, h, el.out, false)
		if l < last || !e.withLoss {
			for r := 0; r < n; r++ {
				biasActivate(el.act, h[r*el.out:(r+1)*el.out], el.b)
			}
		}
		in, ld = h, el.out
	}
	if !e.withLoss {
		return
	}
	out := &e.layers[last]
	for r := r0; r < r1; r++ {
		h := out.h[r*out.out : (r+1)*out.out]
		y := e.tgt[r*e.tgtStride : r*e.tgtStride+out.out]
		var d []float64
		if e.backward {
			d = out.d[r*out.out : (r+1)*out.out]
		}
		e.rowLoss[r] = outputRow(e.loss, out.act, h, out.b, y, d, e.gscale)
		if e.hits {
			e.rowHit[r] = rowHit(h, y)
		}
	}
	if !e.backward {
		return
	}
	for l := last; l > 0; l-- {
		el, prev := &e.layers[l], &e.layers[l-1]
		d := prev.d[r0*el.in : r1*el.in]
		gemm(n, el.in, el.out, el.d[r0*el.out:], el.out, 1, el.wt, el.in, d, el.in, false)
		mulDerivative(prev.act, d, prev.h[r0*el.in:r1*el.in])
	}
}

// gradientPiece runs phase 2 on one piece: ∂L/∂W rows = aᵀ·d, ∂L/∂B =
// column sums of d, then the optimizer step and the transpose refresh.
func (e *engine) gradientPiece(p piece) {
	el := &e.layers[p.layer]
	in, ld := e.in, e.inStride
	if p.layer > 0 {
		in, ld = e.layers[p.layer-1].h, el.in
	}
	iw := min(p.i1, el.in)
	if iw > p.i0 {
		gemm(iw-p.i0, el.out, e.rows, in[p.i0:], 1, ld, el.d, el.out, el.gw[p.i0*el.out:], el.out, e.accGrad)
	}
	if p.i1 > el.in {
		gb := el.gb
		d := el.d[:e.rows*el.out]
		if !e.accGrad {
			copy(gb, d[:el.out])
			d = d[el.out:]
		}
		for len(d) > 0 {
			row := d[:len(gb)]
			for j, v := range row {
				gb[j] += v
			}
			d = d[len(gb):]
		}
	}
	if e.update {
		e.opt.update(e.params, e.grad, el.off+p.i0*el.out, el.off+p.i1*el.out, e.lr, e.step)
		if p.layer > 0 && iw > p.i0 {
			transposeRows(el, p.i0, iw)
		}
	}
}

// do runs the tasks of a phase on the pool.
func (e *engine) do(phase int) {
	e.phase = phase
	e.pool.Run(e.planTasks(phase))
}

// setBlock points the engine at rows of row-major data: inputs x (row r at
// x[r*xs:]) and, for the loss, targets y (row r at y[r*ys:]).
func (e *engine) setBlock(rows int, x []float64, xs int, y []float64, ys int) {
	e.rows, e.in, e.inStride, e.tgt, e.tgtStride = rows, x, xs, y, ys
}

// forward runs the forward pass on the current block; the outputs are in
// the last layer's h.
func (e *engine) forward() {
	e.withLoss, e.backward, e.hits = false, false, false
	e.do(phaseForward)
}

// evalLoss runs the forward pass and the loss terms on the current block.
func (e *engine) evalLoss(hits bool) {
	e.withLoss, e.backward, e.hits = true, false, hits
	e.do(phaseForward)
}

// lossGrad computes loss terms, deltas and gradient of the current block,
// with deltas scaled for an objective over total rows; acc adds the
// gradient to the previous one; update then applies the optimizer.
func (e *engine) lossGrad(total int, hits, acc, update bool) {
	e.withLoss, e.backward, e.hits = true, true, hits
	e.gscale = gradScale(e.loss, total, e.nout)
	e.do(phaseForward)
	e.accGrad, e.update = acc, update
	e.do(phaseGradient)
}

// outputs returns the network outputs of the current block.
func (e *engine) outputs() []float64 {
	return e.layers[len(e.layers)-1].h[:e.rows*e.nout]
}
