package mcmc

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/cosmoemu/cosmoemu/chains"
)

// ErrRunExists is matched (errors.Is) by the error of a fresh run whose
// Root already holds a run and Overwrite is not set.
var ErrRunExists = chains.ErrRunExists

// InterruptedError is the error of a run stopped through its context. It
// wraps the context's error, so errors.Is(err, context.Canceled) holds.
type InterruptedError struct {
	Root        string // Settings.Root
	Step, Steps int    // steps done, steps asked for
	// Saved reports whether a checkpoint at Step is on disk, so that the
	// run can be continued with Resume. It is false without Root, and
	// for a replacement stopped before its first step (the old run at
	// Root is then unchanged).
	Saved bool
	Err   error // the context's error
}

func (e *InterruptedError) Error() string {
	switch {
	case e.Saved:
		return fmt.Sprintf("mcmc: interrupted at step %d of %d; the run is saved in %s and continues with Resume", e.Step, e.Steps, e.Root)
	case e.Root != "" && e.Step == 0:
		return fmt.Sprintf("mcmc: interrupted before the first step; %s is unchanged", e.Root)
	}
	return fmt.Sprintf("mcmc: interrupted at step %d of %d", e.Step, e.Steps)
}

func (e *InterruptedError) Unwrap() error { return e.Err }

// createFiles starts the text chains (one per walker or MH chain) and
// .paramnames, .ranges of a fresh run (staged while it replaces another).
func (r *runner) createFiles() error {
	if err := r.out.WriteColumns(r.s.columns()); err != nil {
		return fmt.Errorf("mcmc: %w", err)
	}
	t, err := r.out.CreateText()
	if err != nil {
		return fmt.Errorf("mcmc: %w", err)
	}
	r.text = t
	r.lastTime = time.Now()
	return nil
}

// resume restores a run from its checkpoint, .npy files and text chains,
// after checking that they belong together and to these settings.
func (r *runner) resume() error {
	root := r.s.Root
	cp, err := decodeCheckpoint(r.out.State)
	if err != nil {
		return fmt.Errorf("mcmc: cannot resume: %s: %w", root+chains.CheckpointSuffix, err)
	}
	if err := r.compatible(cp, r.out.Header.Fingerprint); err != nil {
		return fmt.Errorf("mcmc: cannot resume %s: %w", root, err)
	}
	k, d, nd := r.spec.walkers, r.d, len(r.s.Derived)
	arrays := []struct {
		suffix string
		shape  []int
		dst    *[]float64
	}{
		{chainNpySuffix, []int{cp.Step, k, d}, nil},
		{lnprobNpySuffix, []int{cp.Step, k}, nil},
		{derivedNpySuffix, []int{cp.Step, k, nd}, nil},
	}
	if nd == 0 {
		arrays = arrays[:2]
	}
	chain := NewChain(k, d, max(r.s.Steps, cp.Step))
	arrays[0].dst, arrays[1].dst = &chain.X, &chain.LnP
	if nd > 0 {
		chain.DerivedDim = nd
		chain.Derived = make([]float64, 0, max(r.s.Steps, cp.Step)*k*nd)
		arrays[2].dst = &chain.Derived
	}
	for _, a := range arrays {
		path := root + a.suffix
		sum, ok := r.out.Header.File(filepath.Base(path))
		if !ok {
			return fmt.Errorf("mcmc: cannot resume %s: the checkpoint has no record of %s", root, path)
		}
		v, err := chains.ReadNpy(path, a.shape, sum)
		if err != nil {
			return fmt.Errorf("mcmc: cannot resume: %w", err)
		}
		*a.dst = append(*a.dst, v...)
	}
	if i := slices.IndexFunc(chain.X, notFinite); i >= 0 {
		return fmt.Errorf("mcmc: cannot resume %s: %s holds a non-finite position (%g) at step %d", root, root+chainNpySuffix, chain.X[i], i/(k*d)+1)
	}
	if i := slices.IndexFunc(chain.LnP, notFinite); i >= 0 {
		return fmt.Errorf("mcmc: cannot resume %s: %s holds a non-finite ln p (%g) at step %d", root, root+lnprobNpySuffix, chain.LnP[i], i/k+1)
	}
	r.st.chain = chain
	copy(r.st.pos, cp.Pos)
	copy(r.st.lnp, cp.LnP)
	copy(r.st.der, cp.Der)
	if err := r.kern.load(cp, &r.st); err != nil {
		return fmt.Errorf("mcmc: cannot resume %s: %w", root, err)
	}
	r.nonFinite = cp.NonFinite
	r.lastCkpt = cp.Step
	r.lastTime = time.Now()
	if cp.Step < r.s.Steps {
		// The summary of the shorter run no longer describes the files.
		if err := r.out.RemoveSummaries(); err != nil {
			return fmt.Errorf("mcmc: %w", err)
		}
	}
	if err := r.out.WriteColumns(r.s.columns()); err != nil {
		return fmt.Errorf("mcmc: %w", err)
	}
	t, err := r.out.ResumeText()
	if err != nil {
		return fmt.Errorf("mcmc: %w", err)
	}
	r.text = t
	return nil
}

// compatible reports why the checkpoint cannot continue under the current
// settings, naming every difference. The checkpoint has been validated
// (decodeCheckpoint), so its lengths agree with its own sizes.
func (r *runner) compatible(cp *checkpoint, fingerprint string) error {
	what := "walkers"
	if r.spec.sampler == samplerMH {
		what = "chains"
	}
	var diffs []string
	add := func(format string, args ...any) { diffs = append(diffs, fmt.Sprintf(format, args...)) }
	if cp.Sampler != r.spec.sampler {
		add("the checkpoint is of the %s sampler, not %s", cp.Sampler, r.spec.sampler)
	}
	if cp.Dim != r.d {
		add("the checkpoint has %d parameters, the settings %d", cp.Dim, r.d)
	} else if !slices.Equal(cp.Names, r.s.Names) {
		add("the checkpoint has parameters %v, the settings %v", cp.Names, r.s.Names)
	}
	if !slices.Equal(cp.Derived, r.s.Derived) {
		add("the checkpoint has derived parameters %v, the settings %v", cp.Derived, r.s.Derived)
	}
	if cp.Walkers != r.spec.walkers {
		add("the checkpoint has %d %s, the settings %d", cp.Walkers, what, r.spec.walkers)
	}
	if cp.Groups != r.spec.groups {
		add("the checkpoint has %d walker groups, the settings %d", cp.Groups, r.spec.groups)
	}
	if cp.Scale != r.spec.scale {
		add("the checkpoint has stretch scale %g, the settings %g", cp.Scale, r.spec.scale)
	}
	if cp.Adapt != r.spec.adapt || cp.AdaptEvery != r.spec.adaptEvery {
		add("the checkpoint adapts for %d steps every %d, the settings for %d every %d", cp.Adapt, cp.AdaptEvery, r.spec.adapt, r.spec.adaptEvery)
	}
	if cp.Step > r.s.Steps {
		add("the checkpoint already has %d steps, more than Steps = %d", cp.Step, r.s.Steps)
	}
	if d := chains.FingerprintDiff(fingerprint, r.s.Fingerprint); d != "" {
		add("%s", d)
	}
	if len(diffs) > 0 {
		return errors.New(strings.Join(diffs, "; "))
	}
	return nil
}
