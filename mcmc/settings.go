package mcmc

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/cosmoemu/cosmoemu/chains"
)

// LogProb is ln p(x) of a target density up to an additive constant, −Inf
// outside its support. It must be safe for concurrent use and must neither
// modify x nor keep it after returning. NaN and +Inf results are treated as
// −Inf (the point is rejected) and counted in Summary.NonFinite.
type LogProb func(x []float64) float64

// BatchLogProb stores ln p of each row of xs in dst, with the rules of
// LogProb, for targets that evaluate many points faster together.
type BatchLogProb func(dst []float64, xs *mat.Dense)

// BatchDerived is BatchLogProb that also stores the derived parameters of
// row i of xs in row i of derived (rows × len(Settings.Derived)); a row of
// derived whose ln p is −Inf may hold anything.
type BatchDerived func(dst []float64, xs, derived *mat.Dense)

// Target is the density to sample.
type Target struct {
	// LogProb is required; it starts walkers and is used for the steps
	// when Batch is nil.
	LogProb LogProb
	// Batch, if set, evaluates the proposals of a step: the proposals
	// are split into one contiguous block per worker.
	Batch BatchLogProb
	// LogPrior, if set, is the ln-prior part of LogProb, so that the text
	// chains can record −ln L = −(ln p − ln π) as GetDist expects. It is
	// called once per written sample, so it must be cheap (a prior box).
	LogPrior LogProb
	// Derived, if set, replaces LogProb and Batch for the walkers: it
	// returns ln p(x), like LogProb, and stores the derived parameters
	// of x (Settings.Derived) in derived, whose length is their number.
	// It is how a target hands the sampler quantities it computes anyway
	// (the χ² of each data set, r_d), like emcee's blobs: the sampler
	// keeps the values of the accepted points and writes them as derived
	// columns, never calling the target again. It must be safe for
	// concurrent use, and keep neither slice. derived may hold anything
	// when ln p is −Inf (the sampler never keeps such a point).
	Derived func(x, derived []float64) float64
	// BatchDerived, if set with Derived, evaluates the proposals of a
	// step in one block per worker, as Batch does, with their derived
	// parameters; Derived still starts the walkers.
	BatchDerived BatchDerived
}

// Settings are the options shared by both samplers. The zero value of a
// field means its default.
type Settings struct {
	// Steps is the number of steps; each step moves every walker (or
	// chain) once. With Converge it is the maximum. Required.
	Steps int
	// Burn is the number of initial steps discarded from the summary;
	// 0 chooses it automatically (see the package documentation).
	Burn int
	// Start is the centre of the starting ball. Required; its length is
	// the dimension.
	Start []float64
	// StartCov is the covariance of the starting ball N(Start, StartCov).
	// Default diag((0.01·max(|Start_i|, 1))²).
	StartCov mat.Symmetric
	// Workers is the number of goroutines evaluating proposals. The
	// default (0) uses GOMAXPROCS when a step has enough work to share: the
	// first steps are timed on one goroutine, and a target so fast that a
	// half-ensemble takes less than 8 µs (internal/pool.MinParallelRound)
	// stays there, since handing out the work would cost more than it
	// saves. It does not change the chains.
	Workers int

	// Root is the path prefix of the output files; "" writes no files.
	Root string
	// Names and Labels name the parameters in the output (Labels in
	// LaTeX without dollars). Defaults x1, x2, … and the names.
	Names, Labels []string
	// Derived and DerivedLabels name the derived parameters that
	// Target.Derived computes (labels default to the names). They are
	// written after the parameters in the text chains, as NAME* in
	// .paramnames, and to ROOT.derived.npy; Chain.Derived holds them.
	Derived, DerivedLabels []string
	// FlushEvery is the number of steps between flushes of the text
	// chains; default 10.
	FlushEvery int
	// CheckpointEvery is the number of steps between checkpoints; 0 (the
	// default) means by time only. CheckpointInterval checkpoints when
	// that much wall time has passed since the last one (checked at
	// flushes); default 30 s, negative disables. A checkpoint rewrites the
	// .npy files of the whole history: by steps, a long run would write a
	// multiple of its files quadratic in its length (50,000 flagship steps
	// every 1000: 50 rewrites of up to 140 MB, the sampling 47% slower), by
	// time a bounded share of its wall time. The run also checkpoints when
	// it ends or is cancelled. Neither changes the output bytes.
	CheckpointEvery    int
	CheckpointInterval time.Duration
	// Ranges, if set, are the prior ranges [lo, hi] of the parameters,
	// written to ROOT.ranges for GetDist; ±Inf marks an unbounded side.
	Ranges [][2]float64
	// Resume continues the run recorded in Root's checkpoint instead of
	// starting afresh; the random source passed to the sampler is then not
	// used. Settings that shape the chains and the Fingerprint must match
	// the checkpoint.
	Resume bool
	// Fingerprint identifies everything else the chains depend on (data,
	// covariance, likelihood backend, model file, tolerances, seed, …); it
	// is opaque to the sampler, stored in the checkpoint and compared on
	// Resume, which refuses a run whose fingerprint differs. When it is
	// made of lines KEY=VALUE, the error names the keys that changed.
	Fingerprint string
	// Overwrite lets a fresh run replace a run already at Root. Without it
	// a fresh run refuses a Root that holds chains, a checkpoint or a
	// summary (ErrRunExists). Even with it the old files stay in place
	// until the new run's first checkpoint after at least one step, so a
	// new run that fails or is stopped early leaves the old one intact
	// (see the package documentation).
	Overwrite bool

	// Converge, if set, stops the run early when R−1 falls below a
	// threshold.
	Converge *Convergence
	// Progress, if set, is called after every step from the goroutine
	// running the sampler.
	Progress func(Progress)
}

// Convergence stops a run when the Gelman–Rubin R−1 (maximum over
// parameters, between MH chains or walker groups, on the second half of the
// chain so far) is below RMinus1. It is checked every Every steps; the
// check comes before a step, so a resumed run stops where an uninterrupted
// one would.
type Convergence struct {
	RMinus1 float64 // threshold; default 0.01
	Every   int     // steps between checks; default 100
}

// Progress reports the state of a run after a step.
type Progress struct {
	Step, Steps int     // steps done, steps asked for
	Acceptance  float64 // fraction of accepted moves so far
	RMinus1     float64 // last convergence check; valid if Checked
	Checked     bool
}

// EnsembleSettings configure RunEnsemble; a nil pointer is refused (Steps
// and Start are required).
type EnsembleSettings struct {
	Settings
	// Walkers is the number of walkers: even, ≥ 2·dim and ≥ 4. Default
	// the larger of 32 and 4·dim rounded up to even.
	Walkers int
	// Groups is the number of walker groups, each written as one text
	// chain and treated as one chain by GelmanRubin; it must divide
	// Walkers. Default 4 if it divides Walkers, else 2.
	Groups int
	// Scale is the stretch-move parameter a > 1; default 2.
	Scale float64
}

// MHSettings configure RunMH; a nil pointer is refused.
type MHSettings struct {
	Settings
	// Chains is the number of independent chains; default 4, minimum 2.
	Chains int
	// Adapt is the number of initial steps during which the proposal
	// covariance adapts; these steps are always discarded. 0 means the
	// default Steps/5; a negative value turns adaptation off (the proposal
	// stays at its initial value).
	Adapt int
	// AdaptEvery is the number of steps between adaptations; default 100.
	AdaptEvery int
	// ProposalCov is the initial proposal covariance before the 2.38²/d
	// scaling; default StartCov.
	ProposalCov mat.Symmetric
}

const (
	defaultFlushEvery         = 10
	defaultCheckpointInterval = 30 * time.Second
	defaultConvergeRMinus1    = 0.01
	defaultConvergeEvery      = 100
)

// normalize fills defaults in a copy of s and checks it.
func (s Settings) normalize() (Settings, error) {
	d := len(s.Start)
	if d == 0 {
		return s, errors.New("mcmc: Settings.Start is required (it sets the dimension)")
	}
	for i, v := range s.Start {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return s, fmt.Errorf("mcmc: Start[%d] = %g is not finite", i, v)
		}
	}
	if s.Steps <= 0 {
		return s, fmt.Errorf("mcmc: Steps = %d must be > 0", s.Steps)
	}
	if s.Burn < 0 || s.Burn >= s.Steps {
		return s, fmt.Errorf("mcmc: Burn = %d must be in [0, Steps=%d)", s.Burn, s.Steps)
	}
	if s.StartCov == nil {
		c := mat.NewSymDense(d, nil)
		for i, v := range s.Start {
			sd := 0.01 * math.Max(math.Abs(v), 1)
			c.SetSym(i, i, sd*sd)
		}
		s.StartCov = c
	} else if s.StartCov.SymmetricDim() != d {
		return s, fmt.Errorf("mcmc: StartCov is %d×%d, want %d×%d for %d parameters", s.StartCov.SymmetricDim(), s.StartCov.SymmetricDim(), d, d, d)
	}
	if s.Workers <= 0 {
		s.Workers = runtime.GOMAXPROCS(0)
	}
	cols, err := s.columns().Normalize(d)
	if err != nil {
		return s, fmt.Errorf("mcmc: %w", err)
	}
	s.Names, s.Labels, s.DerivedLabels = cols.Names, cols.Labels, cols.DerivedLabels
	if s.FlushEvery <= 0 {
		s.FlushEvery = defaultFlushEvery
	}
	if s.CheckpointEvery < 0 {
		return s, fmt.Errorf("mcmc: CheckpointEvery = %d, want ≥ 0 (0: by time only)", s.CheckpointEvery)
	}
	if s.CheckpointInterval == 0 {
		s.CheckpointInterval = defaultCheckpointInterval
	}
	if s.Resume && s.Root == "" {
		return s, errors.New("mcmc: Resume needs Root, the path prefix of the run's files")
	}
	if s.Converge != nil {
		c := *s.Converge
		if c.RMinus1 == 0 {
			c.RMinus1 = defaultConvergeRMinus1
		}
		if c.Every <= 0 {
			c.Every = defaultConvergeEvery
		}
		if !(c.RMinus1 > 0) {
			return s, fmt.Errorf("mcmc: Converge.RMinus1 = %g must be > 0", c.RMinus1)
		}
		s.Converge = &c
	}
	return s, nil
}

// columns returns the output columns of the settings.
func (s Settings) columns() chains.Columns {
	return chains.Columns{Names: s.Names, Labels: s.Labels, Ranges: s.Ranges, Derived: s.Derived, DerivedLabels: s.DerivedLabels}
}
