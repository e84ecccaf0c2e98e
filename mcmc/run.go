package mcmc

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"time"

	"github.com/cosmoemu/cosmoemu/internal/atomicfile"
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

	// output
	files     []*os.File
	bufs      []*bufio.Writer
	sizes     []int64 // bytes written to each file; owned by the writer goroutine
	writer    *chainWriter
	lastCkpt  int
	lastTime  time.Time
	nonFinite int64 // counted outside the kernel (start ball, earlier sessions)

	rMinus1 float64
	checked bool
	stop    string // why the run ended, once it has

	// staged is set while a fresh run that replaces an old one writes
	// its files under the staging root; the first checkpoint after a
	// step moves them into place (commit).
	staged bool
}

// maxChainValues bounds Steps·Walkers·(dim+1), the float64 values of the
// chain kept in memory (8 GiB), so that a mistyped size is an error rather
// than an out-of-memory crash.
const maxChainValues = 1 << 30

func run(ctx context.Context, t Target, s Settings, spec runSpec, kern kernel, rng *rand.Rand) (res *Result, err error) {
	r := &runner{t: t, s: s, spec: spec, kern: kern, d: len(s.Start)}
	k := spec.walkers
	if s.Steps > maxChainValues/k/(r.d+1) {
		return nil, fmt.Errorf("mcmc: Steps = %d with %d walkers of %d parameters is %.3g values, more than the %d the chain may hold in memory", s.Steps, k, r.d, float64(s.Steps)*float64(k)*float64(r.d+1), maxChainValues)
	}
	r.st.pos = make([]float64, k*r.d)
	r.st.lnp = make([]float64, k)
	if !s.Resume && rng == nil {
		return nil, errors.New("mcmc: nil random source")
	}
	if s.Root != "" {
		unlock, err := atomicfile.Lock(s.Root)
		if err != nil {
			return nil, fmt.Errorf("mcmc: %w", err)
		}
		defer func() {
			if uerr := unlock(); uerr != nil && err == nil {
				res, err = nil, fmt.Errorf("mcmc: %w", uerr)
			}
		}()
		// The staging files of a replacement that never reached its first
		// checkpoint are litter: nobody else can be writing them while we
		// hold the lock.
		removeStaged(s.Root)
	}
	defer func() {
		if cerr := r.closeFiles(); cerr != nil && err == nil {
			res, err = nil, cerr
		}
		// A replacement that failed or stopped before its first
		// checkpoint leaves the old run as it was.
		if r.staged {
			removeStaged(s.Root)
		}
	}()
	if s.Resume {
		if err := r.resume(); err != nil {
			return nil, err
		}
	} else {
		if s.Root != "" {
			old, err := describeRun(s.Root)
			if err != nil {
				return nil, err
			}
			if old != "" && !s.Overwrite {
				return nil, fmt.Errorf("mcmc: %s holds %s: %w; set Resume to continue it or Overwrite to replace it", s.Root, old, ErrRunExists)
			}
			r.staged = old != ""
		}
		if err := r.fresh(rng); err != nil {
			return nil, err
		}
	}
	return r.loop(ctx)
}

// fresh draws the start ball and creates the output files.
func (r *runner) fresh(rng *rand.Rand) error {
	k, d := r.spec.walkers, r.d
	r.st.chain = NewChain(k, d, r.s.Steps)
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
			lp := r.t.LogProb(x)
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
	if r.s.Root == "" {
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
			ie := &InterruptedError{Root: r.s.Root, Step: step, Steps: r.s.Steps, Saved: r.s.Root != "" && !r.staged, Err: err}
			return &Result{Chain: c, Stop: StopCancelled}, ie
		}
		r.kern.step(step)
		c.Append(r.st.pos, r.st.lnp)
		step++
		if r.files != nil {
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
	if r.s.Root != "" {
		if err := sum.writeFiles(r.s.Root); err != nil {
			return nil, err
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
	}
}

func (r *runner) maybeCheckpoint(step int) error {
	due := step-r.lastCkpt >= r.s.CheckpointEvery
	if step%r.s.FlushEvery == 0 && r.s.CheckpointInterval > 0 && time.Since(r.lastTime) >= r.s.CheckpointInterval {
		due = true
	}
	if due {
		return r.checkpoint()
	}
	return nil
}

// writeStep hands the last step to the writer goroutine, which appends it
// to the text chains: one row per walker, walkers of group g in file g.
// Formatting the rows (shortest exact decimal for every number) costs as
// much as a fast likelihood, so it runs beside the sampler; the chain is
// append-only, so the step's values do not change while it is written.
func (r *runner) writeStep() error {
	if r.writer == nil {
		r.writer = newChainWriter(r)
	}
	c := r.st.chain
	n := c.Steps()
	k, d := c.Walkers, c.Dim
	r.writer.add(c.X[(n-1)*k*d:n*k*d], c.LnP[(n-1)*k:n*k], n)
	return nil
}

// flush waits until the writer has written every step handed to it and
// flushed the files; r.sizes is then up to date.
func (r *runner) flush() error {
	if r.writer == nil {
		return nil
	}
	return r.writer.sync()
}

// chainWriter formats and writes the text chains in its own goroutine.
type chainWriter struct {
	r    *runner
	ch   chan writeMsg
	done chan struct{}
	line []byte
	err  error // the first write error, reported at the next sync
}

type writeMsg struct {
	x, lnp []float64  // one step: walkers×dim positions and walkers ln p
	step   int        // steps done after this one
	reply  chan error // non-nil: flush and reply, after all earlier steps
}

func newChainWriter(r *runner) *chainWriter {
	w := &chainWriter{r: r, ch: make(chan writeMsg, 64), done: make(chan struct{})}
	go w.run()
	return w
}

// add queues a step; it blocks while the writer is 64 steps behind. Write
// errors are reported by the next sync.
func (w *chainWriter) add(x, lnp []float64, step int) {
	w.ch <- writeMsg{x: x, lnp: lnp, step: step}
}

// sync waits for the queued steps and a flush, and returns any write error.
func (w *chainWriter) sync() error {
	reply := make(chan error)
	w.ch <- writeMsg{reply: reply}
	return <-reply
}

// stop ends the goroutine after the queued steps.
func (w *chainWriter) stop() {
	close(w.ch)
	<-w.done
}

func (w *chainWriter) run() {
	defer close(w.done)
	r := w.r
	for msg := range w.ch {
		if msg.reply != nil {
			if w.err == nil {
				w.err = w.flush()
			}
			msg.reply <- w.err
			continue
		}
		if w.err != nil {
			continue
		}
		w.err = w.write(msg.x, msg.lnp)
		if w.err == nil && msg.step%r.s.FlushEvery == 0 {
			w.err = w.flush()
		}
	}
}

func (w *chainWriter) write(pos, lnp []float64) error {
	r := w.r
	k, d := r.spec.walkers, r.d
	per := k / r.spec.groups
	for g, b := range r.bufs {
		for i := g * per; i < (g+1)*per; i++ {
			x := pos[i*d : (i+1)*d]
			like := -lnp[i]
			if r.t.LogPrior != nil {
				like = r.t.LogPrior(x) - lnp[i]
			}
			line := append(w.line[:0], '1', ' ')
			line = strconv.AppendFloat(line, like, 'g', -1, 64)
			for _, v := range x {
				line = append(line, ' ')
				line = strconv.AppendFloat(line, v, 'g', -1, 64)
			}
			line = append(line, '\n')
			w.line = line
			n, err := b.Write(line)
			r.sizes[g] += int64(n)
			if err != nil {
				return fmt.Errorf("mcmc: writing %s: %w", r.files[g].Name(), err)
			}
		}
	}
	return nil
}

func (w *chainWriter) flush() error {
	r := w.r
	for g, b := range r.bufs {
		if err := b.Flush(); err != nil {
			return fmt.Errorf("mcmc: writing %s: %w", r.files[g].Name(), err)
		}
	}
	return nil
}

// checkpoint flushes the text chains, then atomically rewrites the .npy
// files and, last, the checkpoint that refers to both.
func (r *runner) checkpoint() error {
	if r.s.Root == "" {
		return nil
	}
	if err := r.flush(); err != nil {
		return err
	}
	c := r.st.chain
	steps := c.Steps()
	if r.staged {
		if steps == 0 {
			return nil
		}
		if err := r.commit(); err != nil {
			return err
		}
	}
	if err := writeNpyFile(r.s.Root+chainNpySuffix, []int{steps, c.Walkers, c.Dim}, c.X); err != nil {
		return err
	}
	if err := writeNpyFile(r.s.Root+lnprobNpySuffix, []int{steps, c.Walkers}, c.LnP); err != nil {
		return err
	}
	cp := &checkpoint{
		Format:     checkpointFormat,
		Sampler:    r.spec.sampler,
		Dim:        r.d,
		Walkers:    r.spec.walkers,
		Groups:     r.spec.groups,
		Names:      r.s.Names,
		Scale:      r.spec.scale,
		Adapt:      r.spec.adapt,
		AdaptEvery: r.spec.adaptEvery,
		Step:       steps,
		Steps:      r.s.Steps,
		Stop:       r.stop,
		Fprint:     r.s.Fingerprint,
		FileSizes:  append([]int64(nil), r.sizes...),
		Pos:        r.st.pos,
		LnP:        r.st.lnp,
		NonFinite:  r.nonFinite + r.kern.nonFinite(),
	}
	if err := r.kern.save(cp); err != nil {
		return fmt.Errorf("mcmc: checkpoint: %w", err)
	}
	if err := writeCheckpoint(r.s.Root+checkpointSuffix, cp); err != nil {
		return err
	}
	r.lastCkpt = steps
	r.lastTime = time.Now()
	return nil
}

func (r *runner) closeFiles() error {
	var errs []error
	if r.writer != nil {
		r.writer.stop()
		r.writer = nil
	}
	for _, f := range r.files {
		if err := f.Close(); err != nil {
			errs = append(errs, err)
		}
	}
	r.files, r.bufs = nil, nil
	return errors.Join(errs...)
}
