package nested

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/cosmoemu/cosmoemu/chains"
)

// checkpointFormat names the layout of the sampler state inside the
// checkpoint (chains.EncodeCheckpoint, whose SHA-256 line refuses a
// truncated or corrupted file); a change of layout must change it. Format
// 2 moved the fingerprint and the checksum to package chains.
const checkpointFormat = "cosmoemu-nested-state/2"

// kind is the kind of run in a checkpoint's header (chains.Header.Kind).
const kind = "nested"

// checkpointPath returns the checkpoint file of the run under root.
func checkpointPath(root string) string { return root + chains.CheckpointSuffix }

// f64s is a float64 array stored in JSON as base64 of its little-endian
// IEEE bits: exact, and about a third of the size of decimal text.
type f64s []float64

func (f f64s) MarshalJSON() ([]byte, error) {
	raw := make([]byte, 8*len(f))
	for i, v := range f {
		binary.LittleEndian.PutUint64(raw[8*i:], math.Float64bits(v))
	}
	return json.Marshal(raw)
}

func (f *f64s) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return err
	}
	if len(raw)%8 != 0 {
		return fmt.Errorf("float array of %d bytes, not a multiple of 8", len(raw))
	}
	v := make([]float64, len(raw)/8)
	for i := range v {
		v[i] = math.Float64frombits(binary.LittleEndian.Uint64(raw[8*i:]))
	}
	*f = v
	return nil
}

type ckEllipsoid struct {
	C    f64s    `json:"c"`
	T    f64s    `json:"t"`
	LogV float64 `json:"logv"`
}

// checkpoint is the whole state of a run between batches.
type checkpoint struct {
	Format string `json:"format"`
	// Settings that shape the run; they must match on resume.
	Dim         int     `json:"dim"`
	Live        int     `json:"live"`
	Sampler     Sampler `json:"sampler"`
	Enlarge     float64 `json:"enlarge"`
	UpdateEvery int     `json:"update_every"`
	Batch       int     `json:"batch"`
	Repeats     int     `json:"repeats"`
	// The stopping rules, for information: they may change on resume.
	DLogZ    float64 `json:"dlogz"`
	MaxCalls int64   `json:"max_calls"`

	Iterations int    `json:"iterations"`
	Calls      int64  `json:"calls"`
	InitDraws  int64  `json:"init_draws"`
	Master     []byte `json:"rng"`
	LiveU      f64s   `json:"live_u"`
	LiveT      f64s   `json:"live_theta"`
	LiveL      f64s   `json:"live_logl"`
	DeadT      f64s   `json:"dead_theta"`
	DeadL      f64s   `json:"dead_logl"`

	Built      bool          `json:"built"`
	LastUpdate int           `json:"last_update"`
	WinCalls   int64         `json:"window_calls"`
	WinIters   int           `json:"window_iterations"`
	Slice      bool          `json:"slice"`
	Scale      float64       `json:"slice_scale"`
	LogRho     float64       `json:"uniform_log_efficiency_ratio"`
	Ellipsoids []ckEllipsoid `json:"ellipsoids"`
}

// checkpoint writes the state atomically under Root (nothing without Root).
func (s *sampler) checkpoint() error {
	if s.s.Root == "" {
		return nil
	}
	rng, err := s.master.MarshalBinary()
	if err != nil {
		return fmt.Errorf("nested: checkpoint: %w", err)
	}
	cp := &checkpoint{
		Format: checkpointFormat,
		Dim:    s.d, Live: s.n, Sampler: s.s.Sampler, Enlarge: s.s.Enlarge,
		UpdateEvery: s.s.UpdateEvery, Batch: s.s.Batch, Repeats: s.s.Repeats,
		DLogZ: s.s.DLogZ, MaxCalls: s.s.MaxCalls,
		Iterations: len(s.deadL), Calls: s.calls, InitDraws: s.initDraws, Master: rng,
		LiveU: s.liveU, LiveT: s.liveT, LiveL: s.liveL, DeadT: s.deadT, DeadL: s.deadL,
		Built: s.built, LastUpdate: s.lastUpdate, WinCalls: s.winCalls, WinIters: s.winIters,
		Slice: s.slice, Scale: s.scale, LogRho: s.logRho,
	}
	if s.built {
		for _, e := range s.bound.ells {
			cp.Ellipsoids = append(cp.Ellipsoids, ckEllipsoid{C: e.c, T: e.t, LogV: e.logV})
		}
	}
	if err := s.out.Commit(); err != nil { // a replacement's first checkpoint
		return fmt.Errorf("nested: %w", err)
	}
	status := fmt.Sprintf("a nested-sampling run interrupted after %d iterations", len(s.deadL))
	if s.stop != "" && s.stop != StopCancelled {
		status = fmt.Sprintf("a finished nested-sampling run of %d iterations (stopped: %s)", len(s.deadL), s.stop)
	}
	if err := s.out.WriteCheckpoint(&chains.Header{Status: status, Fingerprint: s.s.Fingerprint}, cp); err != nil {
		return fmt.Errorf("nested: %w", err)
	}
	s.lastCkpt = len(s.deadL)
	s.lastTime = time.Now()
	return nil
}

// parseCheckpoint verifies the envelope of a checkpoint (its checksum) and
// decodes the state inside.
func parseCheckpoint(b []byte) (*checkpoint, *chains.Header, error) {
	h, st, err := chains.DecodeCheckpoint(b)
	if err != nil {
		return nil, nil, err
	}
	if h.Kind != kind {
		return nil, nil, fmt.Errorf("the checkpoint is of a %s run, not nested sampling", h.Kind)
	}
	cp, err := decodeCheckpoint(st)
	return cp, h, err
}

// decodeCheckpoint decodes the JSON payload and checks that it is a
// consistent state: the resumed run may then index it freely.
func decodeCheckpoint(payload []byte) (*checkpoint, error) {
	cp := new(checkpoint)
	if err := json.Unmarshal(payload, cp); err != nil {
		return nil, fmt.Errorf("not a nested-sampling checkpoint: %w", err)
	}
	if cp.Format != checkpointFormat {
		return nil, fmt.Errorf("checkpoint format %q, want %q", cp.Format, checkpointFormat)
	}
	d, n, it := cp.Dim, cp.Live, cp.Iterations
	switch {
	case d < 1 || d > maxDim:
		return nil, fmt.Errorf("dimension %d out of range", d)
	case n < max(d+1, 2) || n > maxLive:
		return nil, fmt.Errorf("%d live points for dimension %d", n, d)
	case it < 0 || len(cp.DeadL) != it || len(cp.DeadT) != it*d:
		return nil, fmt.Errorf("%d iterations but %d dead ln L and %d dead coordinates", it, len(cp.DeadL), len(cp.DeadT))
	case len(cp.LiveU) != n*d || len(cp.LiveT) != n*d || len(cp.LiveL) != n:
		return nil, errors.New("live points of the wrong length")
	case cp.InitDraws < int64(n) || cp.Calls < cp.InitDraws:
		return nil, fmt.Errorf("inconsistent counts: %d calls, %d initial draws, %d live points", cp.Calls, cp.InitDraws, n)
	case cp.LastUpdate < 0 || cp.LastUpdate > it || cp.WinCalls < 0 || cp.WinIters < 0:
		return nil, errors.New("inconsistent bound-update counters")
	case !(cp.Scale >= minScale && cp.Scale <= maxScale):
		return nil, fmt.Errorf("slice scale %g is outside [%g, %g]", cp.Scale, minScale, maxScale)
	case cp.Built != (len(cp.Ellipsoids) > 0):
		return nil, errors.New("bounding ellipsoids missing or unexpected")
	}
	for i, u := range cp.LiveU {
		if !(u > 0 && u < 1) {
			return nil, fmt.Errorf("live point coordinate %d = %g is outside (0, 1)", i, u)
		}
	}
	for _, a := range [][]float64{cp.LiveT, cp.LiveL, cp.DeadT, cp.DeadL} {
		for _, v := range a {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, errors.New("non-finite θ or ln L")
			}
		}
	}
	for k, e := range cp.Ellipsoids {
		if len(e.C) != d || len(e.T) != d*d || math.IsNaN(e.LogV) || math.IsInf(e.LogV, 0) {
			return nil, fmt.Errorf("ellipsoid %d is malformed", k)
		}
		for i := range d {
			if !(e.T[i*d+i] > 0) {
				return nil, fmt.Errorf("ellipsoid %d is degenerate", k)
			}
		}
		for _, a := range [][]float64{e.C, e.T} {
			for _, v := range a {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					return nil, fmt.Errorf("ellipsoid %d is not finite", k)
				}
			}
		}
	}
	return cp, nil
}

// compatible reports why the checkpoint cannot continue under settings c,
// naming every difference (the fingerprint's by field).
func compatible(cp *checkpoint, fingerprint string, d int, c *Settings) error {
	var diffs []string
	add := func(format string, args ...any) { diffs = append(diffs, fmt.Sprintf(format, args...)) }
	if cp.Dim != d {
		add("the checkpoint has %d parameters, the problem %d", cp.Dim, d)
	}
	if cp.Live != c.Live {
		add("the checkpoint has Live = %d, the settings %d", cp.Live, c.Live)
	}
	if cp.Sampler != c.Sampler {
		add("the checkpoint has Sampler %q, the settings %q", cp.Sampler, c.Sampler)
	}
	if cp.Enlarge != c.Enlarge {
		add("the checkpoint has Enlarge = %g, the settings %g", cp.Enlarge, c.Enlarge)
	}
	// UpdateEvery derived from Live on both sides (Live/5) is said by
	// Live's own difference.
	derived := func(update, live int) bool { return update == max(1, live/5) }
	if cp.UpdateEvery != c.UpdateEvery && !(cp.Live != c.Live && derived(cp.UpdateEvery, cp.Live) && derived(c.UpdateEvery, c.Live)) {
		add("the checkpoint has UpdateEvery = %d, the settings %d", cp.UpdateEvery, c.UpdateEvery)
	}
	if cp.Batch != c.Batch {
		add("the checkpoint has Batch = %d, the settings %d", cp.Batch, c.Batch)
	}
	if cp.Repeats != c.Repeats {
		add("the checkpoint has Repeats = %d, the settings %d", cp.Repeats, c.Repeats)
	}
	if diff := chains.FingerprintDiff(fingerprint, c.Fingerprint); diff != "" {
		add("%s", diff)
	}
	if len(diffs) > 0 {
		return errors.New(strings.Join(diffs, "; "))
	}
	return nil
}

// resume restores the state from the checkpoint under Root.
func (s *sampler) resume() error {
	root := s.s.Root
	cp, err := decodeCheckpoint(s.out.State)
	if err != nil {
		return fmt.Errorf("nested: cannot resume: %s: %w", checkpointPath(root), err)
	}
	if err := compatible(cp, s.out.Header.Fingerprint, s.d, &s.s); err != nil {
		return fmt.Errorf("nested: cannot resume %s: %w", checkpointPath(root), err)
	}
	if err := s.master.UnmarshalBinary(cp.Master); err != nil {
		return fmt.Errorf("nested: cannot resume %s: random state: %w", checkpointPath(root), err)
	}
	copy(s.liveU, cp.LiveU)
	copy(s.liveT, cp.LiveT)
	copy(s.liveL, cp.LiveL)
	s.deadT, s.deadL = cp.DeadT, cp.DeadL
	s.calls, s.initDraws = cp.Calls, cp.InitDraws
	s.logX0 = math.Log(float64(s.n) / float64(s.initDraws))
	for i, l := range s.deadL {
		s.accumulate(i+1, l)
	}
	s.built, s.lastUpdate, s.winCalls, s.winIters = cp.Built, cp.LastUpdate, cp.WinCalls, cp.WinIters
	s.slice, s.scale = cp.Slice, cp.Scale
	s.bound.ells = s.bound.ells[:0]
	for _, e := range cp.Ellipsoids {
		s.bound.ells = append(s.bound.ells, ellipsoid{c: e.C, t: e.T, logV: e.LogV})
	}
	s.logRho = cp.LogRho
	if s.built {
		s.bound.setCum()
		s.boundLogEff = s.lnX(s.lastUpdate) - s.bound.logVolume()
	}
	s.findWorst()
	s.lastCkpt = len(s.deadL)
	return nil
}
