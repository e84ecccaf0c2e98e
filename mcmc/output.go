package mcmc

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
)

// File name suffixes after ROOT of the arrays (see the package
// documentation; package chains owns the rest of the layout).
const (
	chainNpySuffix   = ".chain.npy"
	lnprobNpySuffix  = ".lnprob.npy"
	derivedNpySuffix = ".derived.npy"
)

// stateFormat names the layout of the sampler state inside the checkpoint
// (chains.EncodeCheckpoint); a change of layout must change it. Format 3
// moved the envelope, fingerprint and file records to package chains and
// added the derived parameters.
const stateFormat = "cosmoemu-mcmc-state/3"

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
	Derived    []string    `json:"derived,omitempty"` // names of the derived parameters
	Scale      float64     `json:"scale,omitempty"`
	Adapt      int         `json:"adapt,omitempty"`
	AdaptEvery int         `json:"adapt_every,omitempty"`
	Step       int         `json:"step"`
	Steps      int         `json:"steps"`          // Settings.Steps of the session that wrote it
	Stop       string      `json:"stop,omitempty"` // why the run ended; "" while it runs
	Pos        []float64   `json:"pos"`
	LnP        []float64   `json:"lnp"`
	Der        []float64   `json:"derived_values,omitempty"` // walkers × derived
	RNG        [][]byte    `json:"rng"`
	Proposal   [][]float64 `json:"proposal,omitempty"`
	Accepted   int64       `json:"accepted"`
	NonFinite  int64       `json:"non_finite"`
}

// status describes the run of the checkpoint for error messages.
func (cp *checkpoint) status() string {
	if cp.Stop != "" {
		return fmt.Sprintf("a finished run of %d steps (%s sampler)", cp.Step, cp.Sampler)
	}
	return fmt.Sprintf("a run interrupted at step %d of %d (%s sampler)", cp.Step, cp.Steps, cp.Sampler)
}

// Bounds on the sizes in a checkpoint, far above any real run, so that
// products of them cannot overflow.
const (
	maxCheckpointDim     = 1 << 16
	maxCheckpointWalkers = 1 << 24
)

// decodeCheckpoint parses the sampler state of a checkpoint and checks that
// it is consistent in itself: sizes in range, slices of the lengths the
// sizes imply, finite positions, ln p and proposals, counts that fit the
// steps.
func decodeCheckpoint(b []byte) (*checkpoint, error) {
	cp := new(checkpoint)
	if err := json.Unmarshal(b, cp); err != nil {
		return nil, fmt.Errorf("not an MCMC checkpoint: %w", err)
	}
	bad := func(format string, args ...any) (*checkpoint, error) {
		return nil, fmt.Errorf("corrupt checkpoint: "+format, args...)
	}
	switch {
	case cp.Format != stateFormat:
		return nil, fmt.Errorf("checkpoint state format %q, want %q (written by another version: start a new run)", cp.Format, stateFormat)
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
	case len(cp.Derived) > maxCheckpointDim:
		return bad("%d derived parameters", len(cp.Derived))
	case len(cp.Pos) != cp.Walkers*cp.Dim || len(cp.LnP) != cp.Walkers || len(cp.Der) != cp.Walkers*len(cp.Derived):
		return bad("%d coordinates, %d ln p and %d derived values for %d walkers of %d parameters and %d derived", len(cp.Pos), len(cp.LnP), len(cp.Der), cp.Walkers, cp.Dim, len(cp.Derived))
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
	case cp.Step > 0 && int64(cp.Step)*int64(cp.Walkers)*int64(cp.Dim+1+len(cp.Derived)) > maxChainValues:
		return bad("%d steps of %d walkers: more values than a chain may hold", cp.Step, cp.Walkers)
	}
	for _, p := range cp.Proposal {
		if len(p) != cp.Dim*cp.Dim || slices.IndexFunc(p, notFinite) >= 0 {
			return bad("a proposal of %d entries (want %d finite ones)", len(p), cp.Dim*cp.Dim)
		}
	}
	return cp, nil
}

func notFinite(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) }
