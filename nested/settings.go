package nested

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/cosmoemu/cosmoemu/chains"
	"github.com/cosmoemu/cosmoemu/internal/pool"
)

// Problem is a posterior to integrate: a prior given by its transform from
// the unit hypercube and a likelihood.
type Problem struct {
	// Dim is the number of parameters, ≥ 1.
	Dim int
	// Transform maps u ∈ (0,1)^Dim, uniform, to θ = dst distributed as the
	// prior π: the inverse cumulative distribution of each independent
	// prior, or any map that pushes the uniform measure onto π. It must be
	// safe for concurrent use, must not keep u or dst, and must return
	// finite values (a non-finite θ stops the run with an error).
	Transform func(dst, u []float64)
	// LogLike is ln L(θ). −Inf (zero likelihood) is allowed; NaN and +Inf
	// stop the run with an error naming θ. It must be safe for concurrent
	// use and must not modify or keep theta.
	LogLike func(theta []float64) float64
}

// Sampler chooses how a new point is drawn from the prior restricted to
// ln L > ln L*.
type Sampler string

const (
	// Auto samples uniformly from the bounding ellipsoids (Uniform) and
	// switches to Slice for the rest of the run when the fraction of
	// proposals accepted since the last bound update falls below
	// 1/(5·Repeats): a slice-sampled point costs about 5·Repeats calls.
	Auto Sampler = "auto"
	// Uniform draws uniformly from the union of the bounding ellipsoids
	// (intersected with the unit cube) until a point has ln L > ln L*.
	// Every accepted point is an exact draw from the constrained prior as
	// long as the ellipsoids enclose the region ln L > ln L*.
	Uniform Sampler = "uniform"
	// Slice evolves a randomly chosen live point by Repeats slice-sampling
	// steps along random directions shaped by a bounding ellipsoid (as
	// PolyChord does), for targets whose constrained regions ellipsoids
	// bound badly, typically in more than ~10 dimensions. While the
	// ellipsoids are larger than the unit cube (the first iterations) it
	// samples the cube uniformly, which is then cheaper.
	Slice Sampler = "slice"
)

// Settings configure Run. A nil *Settings means the defaults; the zero
// value of a field means its default.
type Settings struct {
	// Live is the number of live points; default max(500, 25·Dim). It sets
	// the resolution: ln Z has a statistical error of about √(H/Live).
	// At least Dim+1.
	Live int
	// DLogZ stops the run when the evidence still expected from the live
	// points is small: ln(Z + L_max·X) − ln Z < DLogZ, with Z the evidence
	// accumulated from the dead points, X the remaining prior volume and
	// L_max the highest live likelihood. Default 0.1; it must be > 0.
	DLogZ float64
	// MaxCalls stops the run after about this many likelihood calls (it is
	// checked between batches, so a slice batch can exceed it); 0 means no
	// limit.
	MaxCalls int64

	// Sampler is Auto (default), Uniform or Slice.
	Sampler Sampler
	// Enlarge multiplies the volume of each bounding ellipsoid; default
	// 1.25 (as dynesty), ≥ 1. Larger is safer and slower.
	Enlarge float64
	// UpdateEvery is the number of iterations between rebuilds of the
	// bounding ellipsoids; default max(1, Live/5). Between rebuilds the
	// bound goes stale by up to a factor e^(UpdateEvery/Live) in volume:
	// Live/5 instead of Live/10 costs 2–6% more likelihood calls on the
	// test targets and halves the rebuilds, which roughly halved the
	// sampler's own time per call (to 0.8–2 µs, BenchmarkRun): the better
	// trade for likelihoods under ~30 µs a call, or more with parallel
	// workers.
	UpdateEvery int
	// Batch is the number of proposals (Uniform) or slice chains (Slice)
	// drawn and evaluated together; the likelihood calls of a batch run in
	// parallel. Default 16. It changes the random stream and so the
	// result; Workers does not. Use at least 2·Workers to keep all the
	// workers busy.
	Batch int
	// Repeats is the number of slice steps per new point (Slice); default
	// 5·Dim, PolyChord's recommendation for evidences (3·Dim left the
	// scatter of ln Z 15% above its error bar in tests).
	Repeats int

	// Workers is the number of goroutines calling LogLike. 0 uses
	// GOMAXPROCS, except that a likelihood so fast that a batch of Batch
	// calls takes less than pool.MinParallelRound (8 µs) stays on one
	// goroutine (timed on the first batches, as the MCMC samplers do):
	// handing it out would cost more than it saves. The result does not
	// depend on Workers.
	Workers int

	// Root, if set, is the path prefix of the run's files (package
	// chains): the checkpoint ROOT.checkpoint, written atomically after
	// the first live points, every CheckpointEvery iterations, every
	// CheckpointInterval of wall time, when the run stops and when the
	// context is cancelled; and, once the run has stopped (not when it is
	// cancelled), the weighted GetDist chain and the arrays of
	// Result.WriteGetDist. The run holds the lock ROOT.lock throughout.
	Root string
	// Names, Labels and Ranges name the parameters in the files and give
	// their prior ranges (ROOT.ranges), as chains.Columns.
	Names, Labels []string
	Ranges        [][2]float64
	// LogLikeNorm is the part of ln L that does not depend on θ, such as
	// the −½ ln det(2πC) of Gaussian data: the second column of the text
	// chain is −(ln L − LogLikeNorm), χ²/2 for Gaussian data, which GetDist
	// reads as −ln L and doubles into the χ² of its best-fit sample.
	LogLikeNorm float64
	// Overwrite lets a fresh run replace a run already at Root (refused
	// with chains.ErrRunExists otherwise); the old run's files stay until
	// the new run's first checkpoint.
	Overwrite bool
	// CheckpointEvery is the number of iterations between checkpoints;
	// 0 means only by time. CheckpointInterval is the wall time between
	// checkpoints; default 30 s, negative means never by time. Neither
	// changes the result.
	CheckpointEvery    int
	CheckpointInterval time.Duration
	// Resume continues the run recorded under Root instead of starting
	// afresh; the random source passed to Run is then not used. It is
	// refused if the checkpoint's Fingerprint, dimension or any setting
	// that shapes the run (Live, Sampler, Enlarge, UpdateEvery, Batch,
	// Repeats) differs. DLogZ and MaxCalls may differ, to extend a run
	// that stopped on them: the run goes on until the new rule stops it
	// (valid, but not byte-identical to a run started with the new rule if
	// the old one stopped in the middle of a batch). A missing checkpoint
	// gives an error matching os.ErrNotExist.
	Resume bool
	// Fingerprint is stored in the checkpoint and must match on Resume:
	// the caller derives it from whatever defines the problem (data,
	// priors, likelihood options), which the sampler cannot see.
	Fingerprint string

	// Progress, if set, is called after every batch from the goroutine
	// running the sampler.
	Progress func(Progress)
}

// columns returns the output columns of the settings.
func (s *Settings) columns() chains.Columns {
	return chains.Columns{Names: s.Names, Labels: s.Labels, Ranges: s.Ranges}
}

// Progress reports the state of a run.
type Progress struct {
	Iteration  int     // dead points so far
	Calls      int64   // likelihood calls so far
	LogZ       float64 // ln Z of the dead points so far
	DLogZ      float64 // ln(Z + L_max·X) − ln Z, the stopping statistic
	LogLStar   float64 // the current likelihood threshold
	Efficiency float64 // iterations per call since the start of the run
	Ellipsoids int     // bounding ellipsoids now (0: the whole cube)
	Sampler    Sampler // Uniform or Slice, the method now in use
}

// Upper limits on the sizes, far above any use, that keep products of
// them (and of a hostile checkpoint's) from overflowing.
const (
	maxDim   = 1 << 16
	maxLive  = 1 << 24
	maxBatch = pool.MaxTasks // the jobs of a batch are one round of the pool
)

const (
	defaultDLogZ              = 0.1
	defaultEnlarge            = 1.25
	defaultBatch              = 16
	defaultCheckpointInterval = 30 * time.Second
)

// normalize returns a copy of s (nil: defaults) with the defaults filled in
// for a problem of dimension d, or an error naming the bad setting.
func (s *Settings) normalize(d int) (Settings, error) {
	var c Settings
	if s != nil {
		c = *s
	}
	if c.Live == 0 {
		c.Live = max(500, 25*d)
	}
	if c.Live < d+1 || c.Live < 2 || c.Live > maxLive {
		return c, fmt.Errorf("nested: Live = %d live points, want %d to %d", c.Live, max(d+1, 2), maxLive)
	}
	switch {
	case c.DLogZ == 0:
		c.DLogZ = defaultDLogZ
	case !(c.DLogZ > 0) || math.IsInf(c.DLogZ, 1):
		return c, fmt.Errorf("nested: DLogZ = %g, want a finite number > 0", c.DLogZ)
	}
	if c.MaxCalls < 0 {
		return c, fmt.Errorf("nested: MaxCalls = %d, want ≥ 0 (0: no limit)", c.MaxCalls)
	}
	switch c.Sampler {
	case "":
		c.Sampler = Auto
	case Auto, Uniform, Slice:
	default:
		return c, fmt.Errorf("nested: Sampler %q, want %q, %q or %q", c.Sampler, Auto, Uniform, Slice)
	}
	switch {
	case c.Enlarge == 0:
		c.Enlarge = defaultEnlarge
	case !(c.Enlarge >= 1) || math.IsInf(c.Enlarge, 1):
		return c, fmt.Errorf("nested: Enlarge = %g, want a finite volume factor ≥ 1", c.Enlarge)
	}
	if c.UpdateEvery < 0 {
		return c, fmt.Errorf("nested: UpdateEvery = %d, want ≥ 0 (0: Live/5)", c.UpdateEvery)
	}
	if c.UpdateEvery == 0 {
		c.UpdateEvery = max(1, c.Live/5)
	}
	if c.Batch < 0 || c.Batch > maxBatch {
		return c, fmt.Errorf("nested: Batch = %d, want 0 (%d) to %d", c.Batch, defaultBatch, maxBatch)
	}
	if c.Batch == 0 {
		c.Batch = defaultBatch
	}
	if c.Repeats < 0 {
		return c, fmt.Errorf("nested: Repeats = %d, want ≥ 0 (0: 5·Dim)", c.Repeats)
	}
	if c.Repeats == 0 {
		c.Repeats = 5 * d
	}
	if c.Workers < 0 {
		return c, fmt.Errorf("nested: Workers = %d, want ≥ 0 (0: GOMAXPROCS)", c.Workers)
	}
	if c.CheckpointEvery < 0 {
		return c, fmt.Errorf("nested: CheckpointEvery = %d, want ≥ 0 (0: by time only)", c.CheckpointEvery)
	}
	if c.CheckpointInterval == 0 {
		c.CheckpointInterval = defaultCheckpointInterval
	}
	if c.Resume && c.Root == "" {
		return c, errors.New("nested: Resume needs Root, the path prefix of the checkpoint")
	}
	if math.IsNaN(c.LogLikeNorm) || math.IsInf(c.LogLikeNorm, 0) {
		return c, fmt.Errorf("nested: LogLikeNorm = %g, want a finite number", c.LogLikeNorm)
	}
	cols, err := c.columns().Normalize(d)
	if err != nil {
		return c, fmt.Errorf("nested: %w", err)
	}
	c.Names, c.Labels = cols.Names, cols.Labels
	return c, nil
}
