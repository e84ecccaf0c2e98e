package mcmc

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"

	"github.com/cosmoemu/cosmoemu/internal/atomicfile"
	"github.com/cosmoemu/cosmoemu/internal/npyfile"
)

// File name suffixes after ROOT.
const (
	chainNpySuffix    = ".chain.npy"
	lnprobNpySuffix   = ".lnprob.npy"
	checkpointSuffix  = ".checkpoint"
	paramNamesSuffix  = ".paramnames"
	rangesSuffix      = ".ranges"
	summaryJSONSuffix = ".summary.json"
	summaryTextSuffix = ".summary.txt"
)

// writeFileAtomic writes path through a temporary file in the same
// directory that is synced and renamed over path once complete, so that
// readers (and a resumed run) see either the old or the new file, never a
// torn one.
func writeFileAtomic(path string, write func(w io.Writer) error) error {
	if err := atomicfile.Write(path, write); err != nil {
		return fmt.Errorf("mcmc: %w", err)
	}
	return nil
}

// writeNpyFile writes data as a little-endian float64 NumPy array (.npy
// format 1.0, C order) of the given shape.
func writeNpyFile(path string, shape []int, data []float64) error {
	return writeFileAtomic(path, func(w io.Writer) error { return npyfile.Write(w, shape, data) })
}

// readNpyFile reads a float64 .npy file whose shape must equal want except
// for the first axis, which may be longer (a checkpoint can be older than
// the .npy files, never newer). The header is checked against the file's
// size before the data are read.
func readNpyFile(path string, want []int) ([]float64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("mcmc: cannot resume: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("mcmc: cannot resume: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("mcmc: cannot resume: %s is not a regular file", path)
	}
	h, err := npyfile.ReadHeader(f, fi.Size())
	if err != nil {
		return nil, fmt.Errorf("mcmc: cannot resume: %s: %w", path, err)
	}
	shape := h.Shape
	ok := len(shape) == len(want) && shape[0] >= want[0] && !h.Fortran && h.Order == binary.LittleEndian
	for i := 1; ok && i < len(want); i++ {
		ok = shape[i] == want[i]
	}
	if !ok {
		return nil, fmt.Errorf("mcmc: cannot resume: %s holds an array of shape %v, want little-endian float64 %v (or more steps) in C order", path, shape, want)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("mcmc: cannot resume: %w", err)
	}
	_, data, err := npyfile.Read(bufio.NewReader(f), fi.Size())
	if err != nil {
		return nil, fmt.Errorf("mcmc: cannot resume: %s: %w", path, err)
	}
	return data, nil
}

// writeParamNames writes a GetDist .paramnames file: name, tab, label.
func writeParamNames(path string, names, labels []string) error {
	return writeFileAtomic(path, func(w io.Writer) error {
		for i, n := range names {
			if _, err := fmt.Fprintf(w, "%s\t%s\n", n, labels[i]); err != nil {
				return err
			}
		}
		return nil
	})
}

// writeRanges writes a GetDist .ranges file: name, lower and upper bound,
// N for an unbounded side.
func writeRanges(path string, names []string, ranges [][2]float64) error {
	bound := func(v float64) string {
		if math.IsInf(v, 0) {
			return "N"
		}
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	return writeFileAtomic(path, func(w io.Writer) error {
		for i, n := range names {
			if _, err := fmt.Fprintf(w, "%s\t%s\t%s\n", n, bound(ranges[i][0]), bound(ranges[i][1])); err != nil {
				return err
			}
		}
		return nil
	})
}

// checkpointFormat names the checkpoint layout; a change of layout must
// change it. Format 2 added the fingerprint, the steps asked for and the
// stop reason.
const checkpointFormat = "cosmoemu-mcmc-checkpoint/2"

// checkpoint is the state of a run after Step steps. Floats are stored by
// encoding/json in their shortest exact decimal form, so they round-trip
// bit for bit.
type checkpoint struct {
	Format     string      `json:"format"`
	Sampler    string      `json:"sampler"`
	Dim        int         `json:"dim"`
	Walkers    int         `json:"walkers"`
	Groups     int         `json:"groups"`
	Names      []string    `json:"names"`
	Scale      float64     `json:"scale,omitempty"`
	Adapt      int         `json:"adapt,omitempty"`
	AdaptEvery int         `json:"adapt_every,omitempty"`
	Step       int         `json:"step"`
	Steps      int         `json:"steps"`          // Settings.Steps of the session that wrote it
	Stop       string      `json:"stop,omitempty"` // why the run ended; "" while it runs
	Fprint     string      `json:"fingerprint"`    // Settings.Fingerprint
	FileSizes  []int64     `json:"file_sizes"`
	Pos        []float64   `json:"pos"`
	LnP        []float64   `json:"lnp"`
	RNG        [][]byte    `json:"rng"`
	Proposal   [][]float64 `json:"proposal,omitempty"`
	Accepted   int64       `json:"accepted"`
	NonFinite  int64       `json:"non_finite"`
}

func writeCheckpoint(path string, cp *checkpoint) error {
	return writeFileAtomic(path, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		return enc.Encode(cp)
	})
}

// maxCheckpoint bounds the size of a checkpoint file read: it holds a few
// numbers per walker and, for MH, a dim² proposal per chain.
const maxCheckpoint = 256 << 20

// readCheckpoint reads and validates a checkpoint; a missing file gives an
// error that matches fs.ErrNotExist.
func readCheckpoint(path string) (*checkpoint, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("mcmc: cannot resume: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxCheckpoint+1))
	if err != nil {
		return nil, fmt.Errorf("mcmc: cannot resume: %w", err)
	}
	if len(b) > maxCheckpoint {
		return nil, fmt.Errorf("mcmc: cannot resume: %s is larger than %d bytes: not a checkpoint", path, maxCheckpoint)
	}
	cp, err := decodeCheckpoint(b)
	if err != nil {
		return nil, fmt.Errorf("mcmc: cannot resume: %s: %w", path, err)
	}
	return cp, nil
}

// Bounds on the sizes in a checkpoint, far above any real run, so that
// products of them cannot overflow.
const (
	maxCheckpointDim     = 1 << 16
	maxCheckpointWalkers = 1 << 24
)

// decodeCheckpoint parses a checkpoint and checks that it is consistent in
// itself: sizes in range, slices of the lengths the sizes imply, finite
// positions, ln p and proposals, counts that fit the steps.
func decodeCheckpoint(b []byte) (*checkpoint, error) {
	cp := new(checkpoint)
	if err := json.Unmarshal(b, cp); err != nil {
		return nil, fmt.Errorf("not a checkpoint: %w", err)
	}
	bad := func(format string, args ...any) (*checkpoint, error) {
		return nil, fmt.Errorf("corrupt checkpoint: "+format, args...)
	}
	switch {
	case cp.Format != checkpointFormat:
		return nil, fmt.Errorf("checkpoint format %q, want %q (written by another version: start a new run)", cp.Format, checkpointFormat)
	case cp.Dim < 1 || cp.Dim > maxCheckpointDim:
		return bad("dim = %d", cp.Dim)
	case cp.Walkers < 1 || cp.Walkers > maxCheckpointWalkers:
		return bad("walkers = %d", cp.Walkers)
	case cp.Groups < 1 || cp.Walkers%cp.Groups != 0:
		return bad("%d groups of %d walkers", cp.Groups, cp.Walkers)
	case cp.Step < 0 || cp.Step > maxChainValues:
		return bad("step = %d", cp.Step)
	case cp.Steps < cp.Step:
		return bad("step %d of %d", cp.Step, cp.Steps)
	case cp.Stop != "" && cp.Stop != StopSteps && cp.Stop != StopConverged:
		return bad("stop = %q", cp.Stop)
	case len(cp.Names) != cp.Dim:
		return bad("%d names for %d parameters", len(cp.Names), cp.Dim)
	case len(cp.Pos) != cp.Walkers*cp.Dim || len(cp.LnP) != cp.Walkers:
		return bad("%d coordinates and %d ln p for %d walkers of %d parameters", len(cp.Pos), len(cp.LnP), cp.Walkers, cp.Dim)
	case len(cp.FileSizes) != cp.Groups:
		return bad("%d file sizes for %d groups", len(cp.FileSizes), cp.Groups)
	case slices.IndexFunc(cp.FileSizes, func(n int64) bool { return n < 0 }) >= 0:
		return bad("negative file size")
	case slices.IndexFunc(cp.Pos, notFinite) >= 0:
		return bad("non-finite position")
	case slices.IndexFunc(cp.LnP, notFinite) >= 0:
		return bad("non-finite ln p")
	case cp.Accepted < 0 || cp.Accepted > int64(cp.Step)*int64(cp.Walkers):
		return bad("%d accepted moves in %d steps of %d walkers", cp.Accepted, cp.Step, cp.Walkers)
	case cp.NonFinite < 0:
		return bad("non_finite = %d", cp.NonFinite)
	case !(cp.Scale == 0 || cp.Scale > 1) || math.IsInf(cp.Scale, 0):
		return bad("scale = %g", cp.Scale)
	case cp.Adapt < 0 || cp.AdaptEvery < 0:
		return bad("adapt = %d every %d", cp.Adapt, cp.AdaptEvery)
	}
	for _, p := range cp.Proposal {
		if len(p) != cp.Dim*cp.Dim || slices.IndexFunc(p, notFinite) >= 0 {
			return bad("a proposal of %d entries (want %d finite ones)", len(p), cp.Dim*cp.Dim)
		}
	}
	return cp, nil
}
