package mcmc

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/cosmoemu/cosmoemu/chains"
	"github.com/cosmoemu/cosmoemu/internal/pool"
)

const (
	samplerEnsemble = "ensemble"
	samplerMH       = "metropolis-hastings"
)

// Why a run stopped (Result.Stop, Summary.Stop).
const (
	StopSteps     = "steps"     // Settings.Steps steps were done
	StopConverged = "converged" // R−1 fell below Converge.RMinus1
	StopCancelled = "cancelled" // the context was cancelled
)

// Result is the outcome of a run.
type Result struct {
	Chain   *Chain   // every step, burn-in included
	Summary *Summary // nil if the run was cancelled
	Stop    string   // StopSteps, StopConverged or StopCancelled
}

// runSpec holds what distinguishes the samplers in the driver and the
// checkpoint: everything that must match on resume.
type runSpec struct {
	sampler    string
	walkers    int // walkers, or chains for MH
	groups     int // text chains / Gelman–Rubin groups
	scale      float64
	adapt      int
	adaptEvery int
}

// state is the current position of every walker and the history, shared
// between the driver and the kernel.
type state struct {
	pos, lnp []float64
	der      []float64 // walkers × derived parameters
	chain    *Chain
}

// kernel advances all walkers or chains by one step.
type kernel interface {
	// init prepares a fresh run; master has already drawn the start ball.
	init(st *state, master *rand.PCG) error
	// step does step number t (0-based) in place on the shared state.
	step(t int)
	acceptedMoves() int64
	nonFinite() int64
	save(cp *checkpoint) error
	load(cp *checkpoint, st *state) error
}

// maxStartDraws bounds the draws for one walker inside the support.
const maxStartDraws = 1000

type runner struct {
	t    Target
	s    Settings
	spec runSpec
	kern kernel
	st   state
	d    int
	nd   int // derived parameters

	// output
	out       *chains.Run  // the root, with Root
	text      *chains.Text // the text chains; owned by the writer goroutine while it runs
	writer    *chainWriter
	lastCkpt  int
	lastTime  time.Time
	nonFinite int64 // counted outside the kernel (start ball, earlier sessions)

	rMinus1 float64
	checked bool
	stop    string // why the run ended, once it has
}

// maxChainValues bounds Steps·Walkers·(dim+1), the float64 values of the
// chain kept in memory (8 GiB), so that a mistyped size is an error rather
// than an out-of-memory crash.
const maxChainValues = 1 << 30

func run(ctx context.Context, t Target, s Settings, spec runSpec, kern kernel, rng *rand.Rand) (res *Result, err error) {
	r := &runner{t: t, s: s, spec: spec, kern: kern, d: len(s.Start), nd: len(s.Derived)}
	k := spec.walkers
	if (t.Derived == nil) != (r.nd == 0) {
		return nil, fmt.Errorf("mcmc: %d derived parameters named in Settings.Derived, and Target.Derived is set: %v; set both or neither", r.nd, t.Derived != nil)
	}
	if t.BatchDerived != nil && t.Derived == nil {
		return nil, errors.New("mcmc: Target.BatchDerived needs Target.Derived (it starts the walkers)")
	}
	if s.Steps > maxChainValues/k/(r.d+1+r.nd) {
		return nil, fmt.Errorf("mcmc: Steps = %d with %d walkers of %d parameters is %.3g values, more than the %d the chain may hold in memory", s.Steps, k, r.d, float64(s.Steps)*float64(k)*float64(r.d+1+r.nd), maxChainValues)
	}
	r.st.pos = make([]float64, k*r.d)
	r.st.lnp = make([]float64, k)
	r.st.der = make([]float64, k*r.nd)
	if !s.Resume && rng == nil {
		return nil, errors.New("mcmc: nil random source")
	}
	if s.Root != "" {
		out, err := chains.Open(s.Root, chains.Options{Kind: spec.sampler, Chains: k, Resume: s.Resume, Overwrite: s.Overwrite})
		if errors.Is(err, chains.ErrRunExists) {
			return nil, fmt.Errorf("mcmc: %w; set Resume to continue it or Overwrite to replace it", err)
		}
		if err != nil {
			return nil, fmt.Errorf("mcmc: %w", err)
		}
		r.out = out
		// Closing removes the staged files of a replacement that failed or
		// stopped before its first checkpoint: the old run stays as it was.
		defer func() {
			r.stopWriter()
			if cerr := out.Close(); cerr != nil && err == nil {
				res, err = nil, fmt.Errorf("mcmc: %w", cerr)
			}
		}()
	}
	if s.Resume {
		if err := r.resume(); err != nil {
			return nil, err
		}
	} else if err := r.fresh(rng); err != nil {
		return nil, err
	}
	return r.loop(ctx)
}

// staged reports whether the run's files are still staged.
func (r *runner) staged() bool { return r.out != nil && r.out.Staged() }

// logProb evaluates a start point, with its derived parameters.
func (r *runner) logProb(x, der []float64) float64 {
	if r.t.Derived != nil {
		return r.t.Derived(x, der)
	}
	return r.t.LogProb(x)
}

// fresh draws the start ball and creates the output files.
func (r *runner) fresh(rng *rand.Rand) error {
	k, d := r.spec.walkers, r.d
	r.st.chain = NewChain(k, d, r.s.Steps)
	if r.nd > 0 {
		r.st.chain.DerivedDim = r.nd
		r.st.chain.Derived = make([]float64, 0, r.s.Steps*k*r.nd)
	}
	master := rand.NewPCG(rng.Uint64(), rng.Uint64())
	mr := rand.New(master)
	lower, ok := scaledCholesky(r.s.StartCov, 1)
	if !ok {
		return errors.New("mcmc: StartCov is not positive definite")
	}
	noise := make([]float64, d)
	for w := range k {
		x := r.st.pos[w*d : (w+1)*d]
		found := false
		for range maxStartDraws {
			for i := range noise {
				noise[i] = mr.NormFloat64()
			}
			for i := range d {
				v := r.s.Start[i]
				for j := 0; j <= i; j++ {
					v += lower[i*d+j] * noise[j]
				}
				x[i] = v
			}
			lp := r.logProb(x, r.st.der[w*r.nd:(w+1)*r.nd])
			if math.IsNaN(lp) || math.IsInf(lp, 1) {
				r.nonFinite++
				continue
			}
			if !math.IsInf(lp, -1) {
				r.st.lnp[w] = lp
				found = true
				break
			}
		}
		if !found {
			return fmt.Errorf("mcmc: %d draws from the start ball N(%v, StartCov) for walker %d all had ln p = -Inf: move Start inside the support or shrink StartCov", maxStartDraws, r.s.Start, w+1)
		}
	}
	if err := r.kern.init(&r.st, master); err != nil {
		return err
	}
	if r.out == nil {
		return nil
	}
	if err := r.createFiles(); err != nil {
		return err
	}
	return r.checkpoint() // a no-op while staged: nothing to replace the old run with yet
}

func (r *runner) loop(ctx context.Context) (*Result, error) {
	c := r.st.chain
	stop := StopSteps
	for {
		step := c.Steps()
		if conv := r.s.Converge; conv != nil && step > 0 && step%conv.Every == 0 {
			if rm1, ok := r.convergence(step); ok {
				r.rMinus1, r.checked = rm1, true
				if rm1 < conv.RMinus1 {
					stop = StopConverged
					break
				}
			}
		}
		if step >= r.s.Steps {
			break
		}
		if err := ctx.Err(); err != nil {
			if cerr := r.checkpoint(); cerr != nil {
				return nil, errors.Join(err, cerr)
			}
			ie := &InterruptedError{Root: r.s.Root, Step: step, Steps: r.s.Steps, Saved: r.out != nil && !r.staged(), Err: err}
			return &Result{Chain: c, Stop: StopCancelled}, ie
		}
		r.kern.step(step)
		c.Append(r.st.pos, r.st.lnp)
		c.Derived = append(c.Derived, r.st.der...)
		step++
		if r.text != nil {
			if err := r.writeStep(); err != nil {
				return nil, err
			}
			if err := r.maybeCheckpoint(step); err != nil {
				return nil, err
			}
		}
		if r.s.Progress != nil {
			r.s.Progress(Progress{
				Step: step, Steps: r.s.Steps,
				Acceptance: float64(r.kern.acceptedMoves()) / float64(step*r.spec.walkers),
				RMinus1:    r.rMinus1, Checked: r.checked,
			})
		}
	}
	r.stop = stop
	if err := r.checkpoint(); err != nil {
		return nil, err
	}
	sum, err := summarize(c, r.summaryConfig(stop))
	if err != nil {
		return nil, err
	}
	if r.out != nil {
		if err := sum.writeFiles(r.s.Root); err != nil {
			return nil, fmt.Errorf("mcmc: %w", err)
		}
	}
	return &Result{Chain: c, Summary: sum, Stop: stop}, nil
}

// convergence returns the maximum R−1 over parameters on the second half
// of the chain (after the adaptation or the fixed burn-in), if there are
// enough samples.
func (r *runner) convergence(step int) (float64, bool) {
	from := max(step/2, r.spec.adapt, r.s.Burn)
	if step-from < 10 {
		return 0, false
	}
	rm := GelmanRubin(r.st.chain, from, r.spec.groups)
	worst := 0.0 // a negative estimate is reported as 0
	for _, v := range rm {
		if math.IsNaN(v) {
			return 0, false
		}
		worst = math.Max(worst, v)
	}
	return worst, true
}

func (r *runner) summaryConfig(stop string) summaryConfig {
	rMinus1 := ConvergedRMinus1
	if r.s.Converge != nil {
		rMinus1 = r.s.Converge.RMinus1
	}
	return summaryConfig{
		sampler:   r.spec.sampler,
		names:     r.s.Names,
		labels:    r.s.Labels,
		groups:    r.spec.groups,
		burn:      r.s.Burn,
		adapt:     r.spec.adapt,
		accepted:  r.kern.acceptedMoves(),
		nonFinite: r.nonFinite + r.kern.nonFinite(),
		stop:      stop,
		rMinus1:   rMinus1,
		logPrior:  r.t.LogPrior,
	}
}

func (r *runner) maybeCheckpoint(step int) error {
	due := r.s.CheckpointEvery > 0 && step-r.lastCkpt >= r.s.CheckpointEvery
	if step%r.s.FlushEvery == 0 && r.s.CheckpointInterval > 0 && time.Since(r.lastTime) >= r.s.CheckpointInterval {
		due = true
	}
	if due {
		return r.checkpoint()
	}
	return nil
}

// writeStep hands the last step to the writer goroutine, which appends
// one row per walker to its text chain. Formatting the rows (the shortest
// exact decimal of every number) costs as much as a fast likelihood, so it
// runs beside the sampler; the chain is append-only, so the step's values
// do not change while they are written.
func (r *runner) writeStep() error {
	if r.writer == nil {
		r.writer = newChainWriter(r)
	}
	c := r.st.chain
	n := c.Steps()
	k, d, nd := c.Walkers, c.Dim, r.nd
	r.writer.add(writeMsg{x: c.X[(n-1)*k*d : n*k*d], lnp: c.LnP[(n-1)*k : n*k], der: c.Derived[(n-1)*k*nd : n*k*nd], step: n})
	return nil
}

// flush waits until the writer has written every step handed to it and
// flushed the files; the text chains' records are then up to date.
func (r *runner) flush() error {
	if r.writer == nil {
		return r.text.Flush()
	}
	return r.writer.sync()
}

// stopWriter ends the writer goroutine after the queued steps.
func (r *runner) stopWriter() {
	if r.writer != nil {
		close(r.writer.ch)
		<-r.writer.done
		r.writer = nil
	}
}

// chainWriter formats and writes the text chains in its own goroutine.
type chainWriter struct {
	r    *runner
	ch   chan writeMsg
	done chan struct{}
	err  error // the first write error, reported at the next sync
}

type writeMsg struct {
	x, lnp, der []float64  // one step: walkers×dim positions, walkers ln p, walkers×nd derived
	step        int        // steps done after this one
	reply       chan error // non-nil: flush and reply, after all earlier steps
}

func newChainWriter(r *runner) *chainWriter {
	w := &chainWriter{r: r, ch: make(chan writeMsg, 64), done: make(chan struct{})}
	go w.run()
	return w
}

// add queues a step; it blocks while the writer is 64 steps behind. Write
// errors are reported by the next sync.
func (w *chainWriter) add(m writeMsg) { w.ch <- m }

// sync waits for the queued steps and a flush, and returns any write error.
func (w *chainWriter) sync() error {
	reply := make(chan error)
	w.ch <- writeMsg{reply: reply}
	return <-reply
}

func (w *chainWriter) run() {
	defer close(w.done)
	for !w.serve() {
	}
}

// serve handles the queued messages until the channel is closed (true). A
// panic while writing (in Target.LogPrior, for instance) ends it (false)
// and becomes the write error, a *pool.PanicError, that the next sync
// returns: the goroutine must neither crash the process nor stop taking
// the messages that add and sync wait on. Once w.err is set nothing is
// written, so serve recovers at most once.
func (w *chainWriter) serve() (closed bool) {
	var reply chan error // a sync waiting for this goroutine's answer
	defer func() {
		if p := recover(); p != nil {
			w.err = fmt.Errorf("mcmc: writing the text chains: %w", pool.Recovered(p))
			if reply != nil {
				reply <- w.err
			}
		}
	}()
	r := w.r
	for msg := range w.ch {
		if msg.reply != nil {
			reply = msg.reply
			if w.err == nil {
				w.err = r.text.Flush()
			}
			reply = nil
			msg.reply <- w.err
			continue
		}
		if w.err != nil {
			continue
		}
		w.err = r.writeRows(msg.x, msg.lnp, msg.der)
		if w.err == nil && msg.step%r.s.FlushEvery == 0 {
			w.err = r.text.Flush()
		}
	}
	return true
}

// writeRows appends one step: walker (or MH chain) i to text chain i, with
// weight 1 and −ln L = −(ln p − ln π) (−ln p without Target.LogPrior).
func (r *runner) writeRows(pos, lnp, der []float64) error {
	d, nd := r.d, r.nd
	for i := range r.spec.walkers {
		x := pos[i*d : (i+1)*d]
		like := -lnp[i]
		if r.t.LogPrior != nil {
			like = r.t.LogPrior(x) - lnp[i]
		}
		if err := r.text.Append(i, 1, like, x, der[i*nd:(i+1)*nd]); err != nil {
			return fmt.Errorf("mcmc: %w", err)
		}
	}
	return nil
}

// checkpoint flushes the text chains, then atomically rewrites the .npy
// files and, last, the checkpoint that records them.
func (r *runner) checkpoint() error {
	if r.out == nil {
		return nil
	}
	if err := r.flush(); err != nil {
		return err
	}
	c := r.st.chain
	steps := c.Steps()
	if r.staged() {
		if steps == 0 {
			return nil // nothing to replace the old run with yet
		}
		if err := r.out.Commit(); err != nil {
			return fmt.Errorf("mcmc: %w", err)
		}
	}
	h := &chains.Header{Fingerprint: r.s.Fingerprint, Files: r.text.Sums()}
	root := r.s.Root
	arrays := []struct {
		suffix string
		shape  []int
		data   []float64
	}{
		{chainNpySuffix, []int{steps, c.Walkers, c.Dim}, c.X},
		{lnprobNpySuffix, []int{steps, c.Walkers}, c.LnP},
		{derivedNpySuffix, []int{steps, c.Walkers, r.nd}, c.Derived},
	}
	if r.nd == 0 {
		arrays = arrays[:2]
	}
	for _, a := range arrays {
		sum, err := chains.WriteNpy(root+a.suffix, a.shape, a.data)
		if err != nil {
			return fmt.Errorf("mcmc: %w", err)
		}
		h.Files = append(h.Files, sum)
	}
	cp := &checkpoint{
		Format:     stateFormat,
		Sampler:    r.spec.sampler,
		Dim:        r.d,
		Walkers:    r.spec.walkers,
		Groups:     r.spec.groups,
		Names:      r.s.Names,
		Derived:    r.s.Derived,
		Scale:      r.spec.scale,
		Adapt:      r.spec.adapt,
		AdaptEvery: r.spec.adaptEvery,
		Step:       steps,
		Steps:      r.s.Steps,
		Stop:       r.stop,
		Pos:        r.st.pos,
		LnP:        r.st.lnp,
		Der:        r.st.der,
		NonFinite:  r.nonFinite + r.kern.nonFinite(),
	}
	if err := r.kern.save(cp); err != nil {
		return fmt.Errorf("mcmc: checkpoint: %w", err)
	}
	h.Status = cp.status()
	if err := r.out.WriteCheckpoint(h, cp); err != nil {
		return fmt.Errorf("mcmc: %w", err)
	}
	r.lastCkpt = steps
	r.lastTime = time.Now()
	return nil
}
