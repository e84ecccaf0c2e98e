package nested

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/cosmoemu/cosmoemu/chains"
)

// Why a run stopped (Result.Stop).
const (
	StopConverged = "converged" // the remaining evidence fell below DLogZ
	StopMaxCalls  = "max calls" // MaxCalls likelihood calls were made
	StopCancelled = "cancelled" // the context was cancelled
)

// errCancelled marks a batch abandoned because the context was cancelled.
var errCancelled = errors.New("nested: cancelled")

// Batch kinds: what a job of the pool does.
const (
	batchEval  = iota // evaluate the proposal in the slot
	batchSlice        // run a slice chain into the slot
)

// sliceCallsPerStep is about the likelihood calls of one slice step
// (measured 3.5–5 on the test targets); Auto switches to slice sampling
// when uniform sampling costs more than sliceCallsPerStep·Repeats calls
// per point.
const sliceCallsPerStep = 5

// maxInitFactor bounds the prior draws spent finding the first live points
// with a finite likelihood, in units of Live.
const maxInitFactor = 1000

// sampler is the state of a run. Everything that determines the rest of
// the run is in the checkpoint (see checkpoint.go); the rest is scratch.
type sampler struct {
	p    Problem
	s    Settings
	d, n int

	liveU, liveT, liveL []float64 // live points: unit cube, θ, ln L
	deadT, deadL        []float64 // dead points in order of removal
	heap                []int     // live indices, a min-heap by ln L
	worst               int       // index of the lowest live ln L: heap[0]
	logLMax             float64

	calls     int64
	initDraws int64   // prior draws that gave the first Live finite points
	logX0     float64 // ln(Live/initDraws): the prior fraction with L > 0

	master rand.PCG
	mrng   *rand.Rand

	bound      bound
	built      bool
	lastUpdate int   // iteration of the last bound rebuild
	winCalls   int64 // calls since the last rebuild
	winIters   int   // iterations since the last rebuild
	slice      bool  // slice sampling in use
	scale      float64
	// boundLogEff is ln(X/V) at the last rebuild: the efficiency uniform
	// draws from the bound would have if the bound hugged the contour.
	// logRho is the ln of the efficiency measured over the last window of
	// uniform sampling over the one estimated so: it carries what the
	// estimate cannot see (regions of zero likelihood inside the bound, a
	// contour the ellipsoids fit loosely) to the decision to go back from
	// slice to uniform sampling.
	boundLogEff float64
	logRho      float64
	// idle counts slice batches in a row without a likelihood call, for
	// the stall guard only; it is not checkpointed.
	idle int

	// Running evidence of the dead points, for the stopping rule. It is
	// recomputed, not stored, on resume: the same additions in the same
	// order give the same bits.
	logZ, logLPrev, logShrink float64

	// The current batch: slot j holds proposal j and its outcome.
	kind      int
	lstar     float64
	slotU     []float64
	slotT     []float64
	slotL     []float64
	slotCalls []int64
	slotOK    []bool
	slotExp   []int
	slotCon   []int
	slotErr   []error
	jobs      []jobScratch
	stopped   atomic.Bool

	builder  *builder
	pool     *jobs
	out      *chains.Run // the output root, with Settings.Root
	stop     string      // why the run stopped, once it has
	z, y     []float64
	lastCkpt int
	lastTime time.Time
}

// jobScratch is the private state of one slot's slice chain.
type jobScratch struct {
	pcg                rand.PCG
	rng                *rand.Rand
	x, x1, th1, dir, y []float64
}

// Run integrates the problem by nested sampling (see the package
// documentation) and returns the evidence and the weighted posterior
// samples. rng seeds the run; it is not used when resuming. When the
// context is cancelled Run checkpoints (if Root is set) and returns the
// result so far, with Stop = StopCancelled, together with the context's
// error.
func Run(ctx context.Context, p Problem, settings *Settings, rng *rand.Rand) (res *Result, err error) {
	switch {
	case p.Dim < 1 || p.Dim > maxDim:
		return nil, fmt.Errorf("nested: Problem.Dim = %d, want 1 to %d", p.Dim, maxDim)
	case p.Transform == nil:
		return nil, errors.New("nested: Problem.Transform is nil")
	case p.LogLike == nil:
		return nil, errors.New("nested: Problem.LogLike is nil")
	}
	cfg, err := settings.normalize(p.Dim)
	if err != nil {
		return nil, err
	}
	s := newSampler(p, cfg)
	defer s.pool.close()
	defer context.AfterFunc(ctx, func() { s.stopped.Store(true) })()

	if !cfg.Resume && rng == nil {
		return nil, errors.New("nested: nil random source")
	}
	if cfg.Root != "" {
		out, err := chains.Open(cfg.Root, chains.Options{Kind: kind, Resume: cfg.Resume, Overwrite: cfg.Overwrite})
		if errors.Is(err, chains.ErrRunExists) {
			return nil, fmt.Errorf("nested: %w; set Resume to continue it or Overwrite to replace it", err)
		}
		if err != nil {
			return nil, fmt.Errorf("nested: %w", err)
		}
		s.out = out
		defer func() {
			if cerr := out.Close(); cerr != nil && err == nil {
				res, err = nil, fmt.Errorf("nested: %w", cerr)
			}
		}()
	}
	if cfg.Resume {
		if err := s.resume(); err != nil {
			return nil, err
		}
	} else {
		s.master = *rand.NewPCG(rng.Uint64(), rng.Uint64())
		if err := s.initLive(ctx); err != nil {
			if errors.Is(err, errCancelled) {
				return nil, ctx.Err()
			}
			return nil, err
		}
		if err := s.checkpoint(); err != nil {
			return nil, err
		}
	}
	stop, err := s.loop(ctx)
	if stop == "" {
		return nil, err
	}
	s.stop = stop
	res = s.result(stop)
	if cerr := s.checkpoint(); cerr != nil {
		return nil, errors.Join(err, cerr)
	}
	if s.out != nil && stop != StopCancelled {
		if werr := res.write(cfg.Root, cfg.columns()); werr != nil {
			return nil, werr
		}
	}
	return res, err
}

func newSampler(p Problem, cfg Settings) *sampler {
	d, n := p.Dim, cfg.Live
	slots := max(cfg.Batch, n)
	s := &sampler{
		p: p, s: cfg, d: d, n: n,
		liveU: make([]float64, n*d), liveT: make([]float64, n*d), liveL: make([]float64, n),
		scale:     1,
		logZ:      math.Inf(-1),
		logLPrev:  math.Inf(-1),
		logShrink: math.Log(-math.Expm1(-1 / float64(n))),
		slotU:     make([]float64, slots*d), slotT: make([]float64, slots*d), slotL: make([]float64, slots),
		slotCalls: make([]int64, slots), slotOK: make([]bool, slots),
		slotExp: make([]int, slots), slotCon: make([]int, slots), slotErr: make([]error, slots),
		jobs:    make([]jobScratch, cfg.Batch),
		builder: newBuilder(n, d, cfg.Enlarge),
		z:       make([]float64, d), y: make([]float64, d),
	}
	s.mrng = rand.New(&s.master)
	for j := range s.jobs {
		js := &s.jobs[j]
		js.rng = rand.New(&js.pcg)
		js.x, js.x1, js.th1 = make([]float64, d), make([]float64, d), make([]float64, d)
		js.dir, js.y = make([]float64, d), make([]float64, d)
	}
	workers := cfg.Workers
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	s.pool = newJobs(workers, cfg.Workers == 0, cfg.Batch, s.job)
	s.lastTime = time.Now()
	return s
}

// lnX is the expected ln prior volume inside the likelihood contour of the
// i-th dead point: each iteration shrinks it by a factor t ~ Beta(Live, 1),
// E[ln t] = −1/Live.
func (s *sampler) lnX(i int) float64 {
	return s.logX0 - float64(i)/float64(s.n)
}

// initLive draws the first live points from the prior, keeping those with a
// finite likelihood. The fraction f of the prior where L > 0 is estimated
// as Live/M from the M draws needed ((Live−1)/(M−1) would be unbiased; the
// difference, O(1/Live), is far inside the error √((1−f)/Live)).
func (s *sampler) initLive(ctx context.Context) error {
	d, n := s.d, s.n
	found := 0
	var m int64
	for found < n {
		if s.stopped.Load() || ctx.Err() != nil {
			return errCancelled
		}
		nb := n - found
		if found > 0 && m > int64(found) {
			nb = int(math.Ceil(float64(n-found) * float64(m) / float64(found)))
		} else if m > 0 {
			nb = n
		}
		nb = min(nb, len(s.slotL))
		if s.s.MaxCalls > 0 {
			if s.calls >= s.s.MaxCalls {
				return fmt.Errorf("nested: MaxCalls = %d reached while drawing the first live points (%d of %d found with a finite ln L)", s.s.MaxCalls, found, n)
			}
			nb = int(min(int64(nb), s.s.MaxCalls-s.calls))
		}
		for j := range nb {
			u := s.slotU[j*d : (j+1)*d]
			for i := range u {
				u[i] = unit(s.mrng)
			}
		}
		if err := s.runBatch(batchEval, nb); err != nil {
			return err
		}
		s.calls += int64(nb)
		for j := range nb {
			m++
			if math.IsInf(s.slotL[j], -1) {
				continue
			}
			copy(s.liveU[found*d:(found+1)*d], s.slotU[j*d:(j+1)*d])
			copy(s.liveT[found*d:(found+1)*d], s.slotT[j*d:(j+1)*d])
			s.liveL[found] = s.slotL[j]
			if found++; found == n {
				break
			}
		}
		if found < n && m >= maxInitFactor*int64(n) {
			return fmt.Errorf("nested: only %d of %d prior draws had a finite ln L: the likelihood is zero on almost all of the prior; narrow the prior", found, m)
		}
	}
	s.initDraws = m
	s.logX0 = math.Log(float64(n) / float64(m))
	s.findWorst()
	return nil
}

// runBatch runs nb jobs of the given kind in parallel and returns the
// first error in slot order, or errCancelled.
func (s *sampler) runBatch(kind, nb int) error {
	s.kind = kind
	clear(s.slotErr[:nb])
	s.pool.run(nb)
	if s.stopped.Load() {
		return errCancelled
	}
	for _, err := range s.slotErr[:nb] {
		if err != nil {
			return err
		}
	}
	return nil
}

// job runs slot j of the current batch.
func (s *sampler) job(j int) {
	if s.stopped.Load() {
		return
	}
	d := s.d
	if s.kind == batchSlice {
		s.sliceJob(j)
		return
	}
	s.slotL[j], s.slotErr[j] = s.eval(s.slotT[j*d:(j+1)*d], s.slotU[j*d:(j+1)*d])
}

// eval sets th = Transform(u) and returns ln L(th).
func (s *sampler) eval(th, u []float64) (float64, error) {
	s.p.Transform(th, u)
	for i, v := range th {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return 0, fmt.Errorf("nested: Transform returned θ[%d] = %g for u = %v: it must map (0,1)^%d to finite values", i, v, u, s.d)
		}
	}
	l := s.p.LogLike(th)
	if math.IsNaN(l) || math.IsInf(l, 1) {
		return 0, fmt.Errorf("nested: LogLike returned %g at θ = %v: ln L must be finite or −Inf", l, th)
	}
	return l, nil
}

// findWorst orders the live points into the heap and sets worst and
// logLMax.
func (s *sampler) findWorst() {
	s.heap = s.heap[:0]
	s.logLMax = s.liveL[0]
	for i, l := range s.liveL {
		s.heap = append(s.heap, i)
		s.logLMax = math.Max(s.logLMax, l)
	}
	for i := len(s.heap)/2 - 1; i >= 0; i-- {
		s.siftDown(i)
	}
	s.worst = s.heap[0]
}

// before orders live points by ln L, then by index: a total order, so the
// worst point does not depend on the heap's layout (which differs after a
// resume) even when likelihoods tie.
func (s *sampler) before(a, b int) bool {
	la, lb := s.liveL[a], s.liveL[b]
	return la < lb || (la == lb && a < b)
}

// siftDown restores the min-heap property below position i.
func (s *sampler) siftDown(i int) {
	h := s.heap
	for {
		c := 2*i + 1
		if c >= len(h) {
			return
		}
		if c+1 < len(h) && s.before(h[c+1], h[c]) {
			c++
		}
		if !s.before(h[c], h[i]) {
			return
		}
		h[i], h[c] = h[c], h[i]
		i = c
	}
}

// converged reports whether the stopping rule holds: the live points can
// add less than DLogZ to ln Z, or they all have the same ln L (a plateau,
// whose remaining evidence the final live points then give exactly).
func (s *sampler) converged() bool {
	if s.liveL[s.worst] == s.logLMax {
		return true
	}
	return s.remaining() < s.s.DLogZ
}

// remaining returns ln(Z + L_max·X) − ln Z.
func (s *sampler) remaining() float64 {
	rem := s.logLMax + s.lnX(len(s.deadL))
	if math.IsInf(s.logZ, -1) {
		return math.Inf(1)
	}
	return logAddExp(s.logZ, rem) - s.logZ
}

func (s *sampler) loop(ctx context.Context) (string, error) {
	for {
		if s.converged() {
			return StopConverged, nil
		}
		if s.s.MaxCalls > 0 && s.calls >= s.s.MaxCalls {
			return StopMaxCalls, nil
		}
		if s.stopped.Load() || ctx.Err() != nil {
			return StopCancelled, s.cancel(ctx)
		}
		if !s.built || len(s.deadL)-s.lastUpdate >= s.s.UpdateEvery {
			s.rebuild()
		}
		saved := s.master
		var err error
		if s.slice {
			err = s.sliceBatch()
		} else {
			err = s.uniformBatch()
		}
		if errors.Is(err, errCancelled) {
			s.master = saved // the batch is discarded; redo it on resume
			return StopCancelled, s.cancel(ctx)
		}
		if err != nil {
			return "", err
		}
		if s.s.Progress != nil {
			s.s.Progress(s.progress())
		}
		if err := s.maybeCheckpoint(); err != nil {
			return "", err
		}
	}
}

// cancel returns the context's error, which AfterFunc may have seen first.
func (s *sampler) cancel(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return context.Canceled
}

func (s *sampler) progress() Progress {
	pr := Progress{
		Iteration:  len(s.deadL),
		Calls:      s.calls,
		LogZ:       s.logZ,
		DLogZ:      s.remaining(),
		LogLStar:   s.liveL[s.worst],
		Efficiency: float64(len(s.deadL)) / float64(max(s.calls, 1)),
		Sampler:    Uniform,
	}
	if !s.bound.cube {
		pr.Ellipsoids = len(s.bound.ells)
	}
	if s.slice {
		pr.Sampler = Slice
	}
	return pr
}

// rebuild refits the bounding ellipsoids to the live points, and decides
// whether slice sampling takes over from uniform sampling, or hands back
// to it.
//
// With Auto, slice sampling takes over when a window of uniform sampling
// cost more than sliceCallsPerStep·Repeats calls per point. It hands back
// when uniform draws from the new bound are predicted to cost less than
// half that: the prediction is the bound's X/V times the ratio of measured
// to estimated efficiency of the last uniform window. Without the way
// back, one awkward stretch of a run (the contour crossing a cut of the
// prior early on) left it slice sampling to the end at five times the
// calls (w0waCDM on DESI DR2 + Union3 + Planck, one seed in four).
func (s *sampler) rebuild() {
	auto := s.s.Sampler == Auto
	if auto && s.built && !s.slice && s.winCalls > 0 && s.winIters > 0 {
		s.logRho = math.Log(float64(s.winIters)/float64(s.winCalls)) - s.boundLogEff
	}
	sliceCost := float64(sliceCallsPerStep * s.s.Repeats)
	if !s.slice && auto && s.built && s.winCalls > 0 &&
		float64(s.winIters)*sliceCost < float64(s.winCalls) {
		s.slice = true
	}
	s.builder.build(&s.bound, s.liveU, s.n, s.lnX(len(s.deadL)))
	s.boundLogEff = s.lnX(len(s.deadL)) - s.bound.logVolume()
	if s.slice && auto && s.logRho+s.boundLogEff > math.Log(2/sliceCost) {
		s.slice = false
	}
	if s.s.Sampler == Slice && !s.bound.cube {
		s.slice = true
	}
	s.built = true
	s.lastUpdate = len(s.deadL)
	s.winCalls, s.winIters = 0, 0
}

// uniformBatch draws Batch proposals from the bound, evaluates them in
// parallel and then, in order, lets each one with ln L above the current
// threshold replace the worst live point. Every proposal is an
// independent uniform draw from a superset of the current constrained
// region, so testing it against the threshold at its turn keeps it exact.
func (s *sampler) uniformBatch() error {
	d := s.d
	nb := s.s.Batch
	if s.s.MaxCalls > 0 {
		nb = int(min(int64(nb), s.s.MaxCalls-s.calls))
	}
	for j := range nb {
		s.bound.sample(s.slotU[j*d:(j+1)*d], s.z, s.y, s.mrng)
	}
	if err := s.runBatch(batchEval, nb); err != nil {
		return err
	}
	s.calls += int64(nb)
	s.winCalls += int64(nb)
	for j := range nb {
		if s.slotL[j] > s.liveL[s.worst] {
			s.replace(s.slotU[j*d:(j+1)*d], s.slotT[j*d:(j+1)*d], s.slotL[j])
			if s.converged() {
				break
			}
		}
	}
	return nil
}

// replace moves the worst live point to the dead points and puts the new
// point in its place.
func (s *sampler) replace(u, th []float64, l float64) {
	d, w := s.d, s.worst
	s.addDead(s.liveT[w*d:(w+1)*d], s.liveL[w])
	copy(s.liveU[w*d:(w+1)*d], u)
	copy(s.liveT[w*d:(w+1)*d], th)
	s.liveL[w] = l
	s.winIters++
	s.logLMax = math.Max(s.logLMax, l)
	s.siftDown(0) // w is the heap's root
	s.worst = s.heap[0]
}

func (s *sampler) addDead(th []float64, l float64) {
	s.deadT = append(s.deadT, th...)
	s.deadL = append(s.deadL, l)
	s.accumulate(len(s.deadL), l)
}

// accumulate adds dead point i (1-based) with ln L = l to the running
// evidence by the trapezoid rule: w_i = ½(L_{i−1} + L_i)(X_{i−1} − X_i),
// L_0 = 0, X_{i−1} − X_i = X_{i−1}(1 − e^(−1/Live)).
func (s *sampler) accumulate(i int, l float64) {
	lw := logAddExp(s.logLPrev, l) - math.Ln2 + s.lnX(i-1) + s.logShrink
	s.logZ = logAddExp(s.logZ, lw)
	s.logLPrev = l
}

func (s *sampler) maybeCheckpoint() error {
	if s.s.Root == "" {
		return nil
	}
	due := s.s.CheckpointEvery > 0 && len(s.deadL)-s.lastCkpt >= s.s.CheckpointEvery
	if s.s.CheckpointInterval > 0 && time.Since(s.lastTime) >= s.s.CheckpointInterval {
		due = true
	}
	if !due {
		return nil
	}
	return s.checkpoint()
}
