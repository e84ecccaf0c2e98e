package mcmc

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ErrRunExists is matched (errors.Is) by the error of a fresh run whose
// Root already holds a run and Overwrite is not set.
var ErrRunExists = errors.New("a run is already there")

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

// chainFileName returns ROOT_g.txt for the 0-based group g.
func chainFileName(root string, g int) string {
	return root + "_" + strconv.Itoa(g+1) + ".txt"
}

// stagedRoot is where a run that replaces another writes its text chains,
// .paramnames and .ranges until its first checkpoint: .BASE.new in the
// directory of ROOT, hidden so that GetDist does not take the files for a
// run.
func stagedRoot(root string) string {
	dir, base := filepath.Split(root)
	return filepath.Join(dir, "."+base+".new")
}

// removeStaged removes the files of an uncommitted replacement of root.
func removeStaged(root string) {
	sr := stagedRoot(root)
	os.Remove(sr + paramNamesSuffix)
	os.Remove(sr + rangesSuffix)
	for g := 0; ; g++ {
		if err := os.Remove(chainFileName(sr, g)); errors.Is(err, fs.ErrNotExist) {
			break
		}
	}
}

// describeRun returns "" if root holds no run (no checkpoint, .npy
// history, first text chain or summary), else a description of the run
// there for an error message.
func describeRun(root string) (string, error) {
	var found []string
	for _, name := range []string{root + checkpointSuffix, root + chainNpySuffix, root + lnprobNpySuffix, chainFileName(root, 0), root + summaryJSONSuffix, root + summaryTextSuffix} {
		_, err := os.Lstat(name)
		switch {
		case err == nil:
			found = append(found, name)
		case !errors.Is(err, fs.ErrNotExist):
			return "", fmt.Errorf("mcmc: %w", err)
		}
	}
	if len(found) == 0 {
		return "", nil
	}
	cp, err := readCheckpoint(root + checkpointSuffix)
	switch {
	case err != nil:
		return fmt.Sprintf("the files of a run (%s)", strings.Join(found, ", ")), nil
	case cp.Stop != "":
		return fmt.Sprintf("a finished run of %d steps", cp.Step), nil
	}
	return fmt.Sprintf("a run interrupted at step %d of %d", cp.Step, cp.Steps), nil
}

// createFiles starts the text chains, .paramnames and .ranges of a fresh
// run: in place if Root holds no run, else under the staging root. In
// place, it first removes an old checkpoint, so that it can never be
// paired with the new files, old summaries, and old ROOT_i.txt files
// beyond the new number of groups, which GetDist would otherwise read as
// chains of this run.
func (r *runner) createFiles() error {
	root := r.s.Root
	if r.staged {
		root = stagedRoot(root)
	} else if err := removeOldFiles(r.s.Root, r.spec.groups, r.s.Ranges != nil); err != nil {
		return err
	}
	if err := r.writeNames(root); err != nil {
		return err
	}
	r.sizes = make([]int64, r.spec.groups)
	for g := range r.spec.groups {
		f, err := os.OpenFile(chainFileName(root, g), os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o644)
		if err != nil {
			return fmt.Errorf("mcmc: %w", err)
		}
		r.files = append(r.files, f)
		r.bufs = append(r.bufs, bufio.NewWriterSize(f, 64<<10))
	}
	r.lastTime = time.Now()
	return nil
}

// writeNames writes ROOT.paramnames and, if Ranges are set, ROOT.ranges.
func (r *runner) writeNames(root string) error {
	if err := writeParamNames(root+paramNamesSuffix, r.s.Names, r.s.Labels); err != nil {
		return err
	}
	if r.s.Ranges != nil {
		return writeRanges(root+rangesSuffix, r.s.Names, r.s.Ranges)
	}
	return nil
}

// removeOldFiles removes the files of an old run at root that the new run
// will not overwrite: the checkpoint first, then the summaries, the .npy
// history, text chains beyond groups and (if the new run has none) the
// ranges.
func removeOldFiles(root string, groups int, keepRanges bool) error {
	old := []string{checkpointSuffix, summaryJSONSuffix, summaryTextSuffix, chainNpySuffix, lnprobNpySuffix}
	if !keepRanges {
		old = append(old, rangesSuffix)
	}
	for _, suffix := range old {
		if err := os.Remove(root + suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("mcmc: removing a file of an earlier run: %w", err)
		}
	}
	for g := groups; ; g++ {
		err := os.Remove(chainFileName(root, g))
		if errors.Is(err, fs.ErrNotExist) {
			break
		}
		if err != nil {
			return fmt.Errorf("mcmc: removing a stale chain file: %w", err)
		}
	}
	return nil
}

// commit moves the staged files of a replacement into place, once the
// text chains hold at least one step and have been flushed. The old
// checkpoint goes first: if the process dies half-way, what is left at
// Root cannot be resumed as a mixture of the two runs. The open text
// chains keep their descriptors across the rename.
func (r *runner) commit() error {
	root, sr := r.s.Root, stagedRoot(r.s.Root)
	if err := removeOldFiles(root, r.spec.groups, r.s.Ranges != nil); err != nil {
		return err
	}
	names := []string{paramNamesSuffix}
	if r.s.Ranges != nil {
		names = append(names, rangesSuffix)
	}
	for _, suffix := range names {
		if err := os.Rename(sr+suffix, root+suffix); err != nil {
			return fmt.Errorf("mcmc: replacing the earlier run: %w", err)
		}
	}
	for g := range r.spec.groups {
		if err := os.Rename(chainFileName(sr, g), chainFileName(root, g)); err != nil {
			return fmt.Errorf("mcmc: replacing the earlier run: %w", err)
		}
	}
	r.staged = false
	return nil
}

// resume restores a run from its checkpoint, .npy files and text chains,
// after checking that they belong together and to these settings.
func (r *runner) resume() error {
	root := r.s.Root
	cp, err := readCheckpoint(root + checkpointSuffix)
	if errors.Is(err, fs.ErrNotExist) {
		if old, _ := describeRun(root); old != "" {
			return fmt.Errorf("mcmc: cannot resume %s: it holds %s but no checkpoint (%s), so where its chains end cannot be trusted; start a new run (Overwrite)", root, old, root+checkpointSuffix)
		}
		return fmt.Errorf("mcmc: cannot resume %s: there is no run to resume: %w", root, err)
	}
	if err != nil {
		return err
	}
	if err := r.compatible(cp); err != nil {
		return fmt.Errorf("mcmc: cannot resume %s: %w", root, err)
	}
	if extra := chainFileName(root, r.spec.groups); exists(extra) {
		return fmt.Errorf("mcmc: cannot resume %s: %s is not a chain of this run (it has %d), but GetDist would read it as one; remove it", root, extra, r.spec.groups)
	}
	k, d := r.spec.walkers, r.d
	x, err := readNpyFile(root+chainNpySuffix, []int{cp.Step, k, d})
	if err != nil {
		return err
	}
	lnp, err := readNpyFile(root+lnprobNpySuffix, []int{cp.Step, k})
	if err != nil {
		return err
	}
	x, lnp = x[:cp.Step*k*d], lnp[:cp.Step*k]
	if i := slices.IndexFunc(x, notFinite); i >= 0 {
		return fmt.Errorf("mcmc: cannot resume %s: %s holds a non-finite position (%g) at step %d", root, root+chainNpySuffix, x[i], i/(k*d)+1)
	}
	if i := slices.IndexFunc(lnp, func(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) }); i >= 0 {
		return fmt.Errorf("mcmc: cannot resume %s: %s holds a non-finite ln p (%g) at step %d", root, root+lnprobNpySuffix, lnp[i], i/k+1)
	}
	chain := NewChain(k, d, max(r.s.Steps, cp.Step))
	chain.X = append(chain.X, x...)
	chain.LnP = append(chain.LnP, lnp...)
	r.st.chain = chain
	copy(r.st.pos, cp.Pos)
	copy(r.st.lnp, cp.LnP)
	if err := r.kern.load(cp, &r.st); err != nil {
		return fmt.Errorf("mcmc: cannot resume %s: %w", root, err)
	}
	r.nonFinite = cp.NonFinite
	r.lastCkpt = cp.Step
	r.lastTime = time.Now()
	if cp.Step < r.s.Steps {
		// The summary of the shorter run no longer describes the files.
		for _, suffix := range []string{summaryJSONSuffix, summaryTextSuffix} {
			if err := os.Remove(root + suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("mcmc: %w", err)
			}
		}
	}
	if err := r.writeNames(root); err != nil {
		return err
	}
	r.sizes = append([]int64(nil), cp.FileSizes...)
	for g := range r.spec.groups {
		name := chainFileName(root, g)
		f, err := os.OpenFile(name, os.O_RDWR, 0)
		if err != nil {
			return fmt.Errorf("mcmc: cannot resume: %w", err)
		}
		r.files = append(r.files, f)
		fi, err := f.Stat()
		if err != nil {
			return fmt.Errorf("mcmc: cannot resume: %w", err)
		}
		if !fi.Mode().IsRegular() {
			return fmt.Errorf("mcmc: cannot resume: %s is not a regular file", name)
		}
		if fi.Size() < cp.FileSizes[g] {
			return fmt.Errorf("mcmc: cannot resume: %s has %d bytes, fewer than the %d recorded in the checkpoint", name, fi.Size(), cp.FileSizes[g])
		}
		if err := f.Truncate(cp.FileSizes[g]); err != nil {
			return fmt.Errorf("mcmc: cannot resume: %w", err)
		}
		if _, err := f.Seek(cp.FileSizes[g], 0); err != nil {
			return fmt.Errorf("mcmc: cannot resume: %w", err)
		}
		r.bufs = append(r.bufs, bufio.NewWriterSize(f, 64<<10))
	}
	return nil
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

func notFinite(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) }

// compatible reports why the checkpoint cannot continue under the current
// settings, naming every difference. The checkpoint has been validated
// (readCheckpoint), so its lengths agree with its own sizes.
func (r *runner) compatible(cp *checkpoint) error {
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
	if cp.Fprint != r.s.Fingerprint {
		add("%s", fingerprintDiff(cp.Fprint, r.s.Fingerprint))
	}
	if len(diffs) > 0 {
		return errors.New(strings.Join(diffs, "; "))
	}
	return nil
}

// fingerprintDiff describes how two fingerprints differ: by key when both
// are lines KEY=VALUE, else as a whole.
func fingerprintDiff(old, cur string) string {
	a, okA := fingerprintFields(old)
	b, okB := fingerprintFields(cur)
	if !okA || !okB {
		return fmt.Sprintf("the inputs changed since the run started (fingerprint %q, now %q)", old, cur)
	}
	var keys []string
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			keys = append(keys, k)
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s was %q, now %q", k, a[k], b[k])
	}
	return "the inputs changed since the run started: " + strings.Join(parts, ", ")
}

func fingerprintFields(s string) (map[string]string, bool) {
	m := map[string]string{}
	if s == "" {
		return m, true
	}
	for line := range strings.SplitSeq(strings.TrimRight(s, "\n"), "\n") {
		k, v, ok := strings.Cut(line, "=")
		if !ok || k == "" {
			return nil, false
		}
		m[k] = v
	}
	return m, true
}
