package chains

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/cosmoemu/cosmoemu/internal/atomicfile"
)

// File name suffixes after ROOT.
const (
	TextSuffix        = ".txt" // the one weighted chain of nested sampling
	ParamNamesSuffix  = ".paramnames"
	RangesSuffix      = ".ranges"
	PropertiesSuffix  = ".properties.ini"
	CheckpointSuffix  = ".checkpoint"
	SummaryJSONSuffix = ".summary.json"
	SummaryTextSuffix = ".summary.txt"
	CornerSuffix      = ".corner.png" // written by the command line
)

// runSuffixes are the files whose presence means ROOT holds a run (or the
// GetDist chains of one); ownedSuffixes are all the files of a run, which a
// replacement removes. The samplers' .npy files and summaries are listed
// here so that one place knows every file a root may hold.
var (
	runSuffixes = []string{CheckpointSuffix, ParamNamesSuffix, TextSuffix, SummaryJSONSuffix, SummaryTextSuffix,
		".chain.npy", ".lnprob.npy", ".derived.npy", ".samples.npy", ".weights.npy", ".logl.npy", ".evidence.json",
		".nested.json"} // the checkpoint name of nested runs before this package
	ownedSuffixes = append(slices.Clip(runSuffixes), RangesSuffix, PropertiesSuffix, CornerSuffix)
)

// ErrRunExists is matched (errors.Is) by the error of Open for a fresh run
// on a root that already holds a run, without Overwrite.
var ErrRunExists = errors.New("a run is already there")

// ErrCollision is matched (errors.Is) by the error of Open when the files
// of the run would mix with those of another run on a related root:
// GetDist reads ROOT.txt and every ROOT_N.txt as chains of ROOT, so a run
// at A_1 and a run at A share the file A_1.txt.
var ErrCollision = errors.New("the files of another run")

// ExistsError is the error of Open for a fresh run on a root that holds a
// run; it matches ErrRunExists.
type ExistsError struct {
	Root  string
	Holds string // what the root holds, in words ("a finished run of 30 steps (ensemble sampler)")
}

func (e *ExistsError) Error() string {
	return fmt.Sprintf("%s holds %s: %v", e.Root, e.Holds, ErrRunExists)
}

func (e *ExistsError) Unwrap() error { return ErrRunExists }

// CollisionError is the error of Open for a root whose GetDist chains
// would mix with those of another run; it matches ErrCollision.
type CollisionError struct {
	Root   string
	Detail string // which file is shared with which run
	Resume bool
}

func (e *CollisionError) Error() string {
	if e.Resume {
		return fmt.Sprintf("cannot resume %s: %s: %v", e.Root, e.Detail, ErrCollision)
	}
	return fmt.Sprintf("%s: %v", e.Detail, ErrCollision)
}

func (e *CollisionError) Unwrap() error { return ErrCollision }

// Options configure Open.
type Options struct {
	// Kind is the sampler ("ensemble", "metropolis-hastings", "nested"),
	// recorded in the checkpoint.
	Kind string
	// Chains is the number of text chains ROOT_1.txt … ROOT_Chains.txt
	// the run writes; 0 means the one weighted chain ROOT.txt.
	Chains int
	// Resume continues the run at the root; it must be of the same kind.
	Resume bool
	// Overwrite lets a fresh run replace a run at the root, or write
	// over the files of another run that collide with its own.
	Overwrite bool
}

// Run is an output root held by one run: locked, checked, and with the
// policy for a fresh run, a replacement or a resume applied. See the
// package documentation for the protocol.
type Run struct {
	root   string
	opt    Options
	unlock func() error
	// staged is set while a fresh run that replaces another writes under
	// the staging root; stagedFiles are the suffixes written there.
	staged      bool
	stagedFiles []string
	text        *Text

	// Header and State are the checkpoint of the run being resumed.
	Header *Header
	State  json.RawMessage
}

// Open takes the root for a run: it locks ROOT.lock (atomicfile.Lock) for
// as long as the run lasts, removes the staging files of a replacement
// that was killed, and then
//
//   - with Resume, reads and verifies ROOT.checkpoint (Header, State),
//     refusing a missing one (an error matching fs.ErrNotExist, or naming
//     the files of a run without one), a corrupt one, or one of another
//     kind;
//   - without, refuses a root that holds a run (ErrRunExists, naming it)
//     unless Overwrite, in which case the new run's files are staged until
//     Commit;
//
// and in both cases refuses (ErrCollision) a root whose GetDist chains
// would mix with those of another run, unless Overwrite (never on resume).
func Open(root string, o Options) (r *Run, err error) {
	if root == "" {
		return nil, errors.New("empty output root")
	}
	if o.Kind == "" || o.Chains < 0 {
		panic("chains: Open needs a kind and Chains ≥ 0")
	}
	unlock, err := atomicfile.Lock(root)
	if err != nil {
		return nil, err
	}
	r = &Run{root: root, opt: o, unlock: unlock}
	defer func() {
		if err != nil {
			unlock()
			r = nil
		}
	}()
	removeStaged(root)
	if err := r.checkCollisions(); err != nil {
		return nil, err
	}
	if o.Resume {
		return r, r.openResume()
	}
	old, err := describe(root)
	if err != nil {
		return nil, err
	}
	if old != "" {
		if !o.Overwrite {
			return nil, &ExistsError{Root: root, Holds: old}
		}
		r.staged = true
		return r, nil
	}
	// Nothing that makes a run is here; orphans (a .ranges, a corner plot)
	// would be taken for this run's.
	return r, removeOwned(root)
}

// Root returns the output root.
func (r *Run) Root() string { return r.root }

// Staged reports whether the run's files are still staged (a replacement
// before Commit).
func (r *Run) Staged() bool { return r.staged }

// writeRoot is where new files go: the staging root while staged.
func (r *Run) writeRoot() string {
	if r.staged {
		return stagedRoot(r.root)
	}
	return r.root
}

func (r *Run) openResume() error {
	b, err := atomicfile.ReadRegular(r.root+CheckpointSuffix, maxCheckpoint)
	if errors.Is(err, fs.ErrNotExist) {
		if old, _ := describe(r.root); old != "" {
			return fmt.Errorf("cannot resume %s: it holds %s but no checkpoint (%s), so where its chains end cannot be trusted; start a new run (Overwrite)", r.root, old, r.root+CheckpointSuffix)
		}
		return fmt.Errorf("cannot resume %s: there is no run to resume: %w", r.root, err)
	}
	if err != nil {
		return fmt.Errorf("cannot resume: %w", err)
	}
	h, st, err := DecodeCheckpoint(b)
	if err != nil {
		return fmt.Errorf("cannot resume: %s: %w", r.root+CheckpointSuffix, err)
	}
	if h.Kind != r.opt.Kind {
		return fmt.Errorf("cannot resume %s: it holds %s, not a run of the %s sampler", r.root, h.Status, r.opt.Kind)
	}
	r.Header, r.State = h, st
	return nil
}

// strayChains returns the existing ROOT.txt and ROOT_N.txt files that are
// not among the run's chains.
func (r *Run) strayChains() []string {
	var out []string
	for _, name := range chainFiles(r.root) {
		i := chainIndex(r.root, name)
		if (r.opt.Chains == 0 && i != 0) || (r.opt.Chains > 0 && (i < 1 || i > r.opt.Chains || name != ChainFile(r.root, i))) {
			out = append(out, name)
		}
	}
	return out
}

// chainFiles returns the files GetDist reads as chains of root: ROOT.txt
// and ROOT_N.txt for any digits N, sorted.
func chainFiles(root string) []string {
	dir, base, entries := readRootDir(root)
	var out []string
	for _, e := range entries {
		if rest, ok := strings.CutPrefix(e.Name(), base); ok && chainSuffix.MatchString(rest) {
			out = append(out, dir+e.Name())
		}
	}
	return out
}

// chainIndex returns N of ROOT_N.txt, 0 for ROOT.txt.
func chainIndex(root, name string) int {
	s := strings.TrimSuffix(strings.TrimPrefix(name, root), ".txt")
	if s == "" {
		return 0
	}
	n, _ := strconv.Atoi(s[1:])
	return n
}

// isRoot reports whether p is the root of a run or of GetDist chains (it
// has a checkpoint or a .paramnames), with the header of its checkpoint if
// one can be read.
func isRoot(p string) (bool, *Header) {
	if b, err := atomicfile.ReadRegular(p+CheckpointSuffix, maxCheckpoint); err == nil {
		if h, _, err := DecodeCheckpoint(b); err == nil {
			return true, h
		}
		return true, nil
	}
	for _, s := range []string{CheckpointSuffix, ParamNamesSuffix} {
		if _, err := os.Lstat(p + s); err == nil {
			return true, nil
		}
	}
	return false, nil
}

var suffixDigits = regexp.MustCompile(`^(.*)_([0-9]+)$`)

// checkCollisions refuses a root whose GetDist chains would mix with those
// of another run: the parent P of a root P_N, whose chain N is the file
// P_N.txt, and the children ROOT_N, whose ROOT_N.txt is this root's chain N.
func (r *Run) checkCollisions() error {
	if r.opt.Overwrite && !r.opt.Resume {
		return nil
	}
	refuse := func(format string, args ...any) error {
		return &CollisionError{Root: r.root, Detail: fmt.Sprintf(format, args...), Resume: r.opt.Resume}
	}
	if m := suffixDigits.FindStringSubmatch(r.root); m != nil {
		p, n := m[1], m[2]
		if ok, h := isRoot(p); ok {
			k, _ := strconv.Atoi(n)
			own := r.root + TextSuffix
			_, err := os.Lstat(own)
			if err == nil || r.opt.Chains == 0 || h == nil || h.Chains >= k {
				return refuse("%s is chain %s of the run at %s, and GetDist reads it as a chain of %s too", own, n, p, r.root)
			}
		}
	}
	dir, base := filepath.Split(r.root)
	d := dir
	if d == "" {
		d = "."
	}
	entries, err := os.ReadDir(d)
	if err != nil {
		return nil // the lock file was created there: only a race gets here
	}
	re := regexp.MustCompile("^" + regexp.QuoteMeta(base) + `_([0-9]+)(\.checkpoint|\.paramnames)$`)
	seen := map[string]bool{}
	for _, e := range entries {
		m := re.FindStringSubmatch(e.Name())
		if m == nil || seen[m[1]] {
			continue
		}
		seen[m[1]] = true
		child := r.root + "_" + m[1]
		k, _ := strconv.Atoi(m[1])
		_, h := isRoot(child)
		_, err := os.Lstat(child + TextSuffix)
		if err == nil || (r.opt.Chains >= k && ChainFile(r.root, k) == child+TextSuffix) || h == nil || h.Chains == 0 {
			return refuse("%s is a file of the run at %s and would be read by GetDist as a chain of %s", child+TextSuffix, child, r.root)
		}
	}
	return nil
}

// describe returns "" if root holds no run, else a description of what it
// holds for an error message.
func describe(root string) (string, error) {
	var found []string
	for _, s := range runSuffixes {
		fi, err := os.Lstat(root + s)
		switch {
		case err == nil && !fi.Mode().IsRegular():
			return "", fmt.Errorf("%s is %s, not a regular file; refusing to replace it", root+s, atomicfile.Kind(fi.Mode()))
		case err == nil:
			found = append(found, root+s)
		case !errors.Is(err, fs.ErrNotExist):
			return "", err
		}
	}
	found = append(found, chainFiles(root)...)
	if len(found) == 0 {
		return "", nil
	}
	b, err := atomicfile.ReadRegular(root+CheckpointSuffix, maxCheckpoint)
	if err == nil {
		if h, _, err := DecodeCheckpoint(b); err == nil {
			return h.Status, nil
		}
	}
	slices.Sort(found)
	found = slices.Compact(found)
	return fmt.Sprintf("the files of a run (%s)", strings.Join(found, ", ")), nil
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
	for _, s := range ownedSuffixes {
		os.Remove(sr + s)
	}
	for _, name := range chainFiles(sr) {
		os.Remove(name)
	}
}

// removeOwned removes every file of a run at root: the checkpoint first,
// so that what is left can never be resumed as a mixture of two runs.
func removeOwned(root string) error {
	for _, s := range ownedSuffixes {
		if err := os.Remove(root + s); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("removing a file of an earlier run: %w", err)
		}
	}
	for _, name := range chainFiles(root) {
		if err := os.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("removing a file of an earlier run: %w", err)
		}
	}
	return nil
}

// WriteColumnFiles writes ROOT.paramnames and, if c has ranges,
// ROOT.ranges, atomically, for a root that is not held by a Run (c must be
// normalized).
func WriteColumnFiles(root string, c Columns) error {
	if err := writeParamNames(root+ParamNamesSuffix, c); err != nil {
		return err
	}
	if c.Ranges != nil {
		return writeRanges(root+RangesSuffix, c)
	}
	return nil
}

// WriteColumns writes ROOT.paramnames and, with ranges, ROOT.ranges (under
// the staging root while staged). The labels default as Normalize sets
// them, for the parameters c.Names; invalid columns are an error.
func (r *Run) WriteColumns(c Columns) error {
	c, err := c.Normalize(len(c.Names))
	if err != nil {
		return fmt.Errorf("chains: %w", err)
	}
	root := r.writeRoot()
	if err := writeParamNames(root+ParamNamesSuffix, c); err != nil {
		return err
	}
	r.stage(ParamNamesSuffix)
	if c.Ranges != nil {
		if err := writeRanges(root+RangesSuffix, c); err != nil {
			return err
		}
		r.stage(RangesSuffix)
	} else if !r.staged {
		if err := os.Remove(root + RangesSuffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}

func (r *Run) stage(suffix string) {
	if r.staged && !slices.Contains(r.stagedFiles, suffix) {
		r.stagedFiles = append(r.stagedFiles, suffix)
	}
}

// CreateText creates the run's Options.Chains text chains (staged while
// staged) and returns them; the Run closes them.
func (r *Run) CreateText() (*Text, error) {
	t, err := createText(r.writeRoot(), r.opt.Chains)
	if err != nil {
		return nil, err
	}
	r.text = t
	return t, nil
}

// ResumeText reopens the text chains of the run being resumed, checked
// against the checkpoint and cut back to it (see Text).
func (r *Run) ResumeText() (*Text, error) {
	if r.Header.Chains != r.opt.Chains {
		return nil, fmt.Errorf("cannot resume %s: the checkpoint has %d text chains, the settings %d", r.root, r.Header.Chains, r.opt.Chains)
	}
	// A chain beyond this run's would be read by GetDist as one of it.
	if extra := r.strayChains(); len(extra) > 0 {
		return nil, fmt.Errorf("cannot resume %s: %s is not a chain of this run (it has %d), but GetDist would read it as one; remove it", r.root, extra[0], r.opt.Chains)
	}
	t, err := resumeText(r.root, r.opt.Chains, r.Header)
	if err != nil {
		return nil, fmt.Errorf("cannot resume: %w", err)
	}
	r.text = t
	return t, nil
}

// Commit ends the staging of a replacement: it removes the files of the
// old run (its checkpoint first) and renames the staged files into place.
// It does nothing when the run is not staged. The samplers call it at their
// first checkpoint with at least one sample, with the text chains flushed.
func (r *Run) Commit() error {
	if !r.staged {
		return nil
	}
	if err := removeOwned(r.root); err != nil {
		return err
	}
	sr := stagedRoot(r.root)
	for _, s := range r.stagedFiles {
		if err := os.Rename(sr+s, r.root+s); err != nil {
			return fmt.Errorf("replacing the earlier run: %w", err)
		}
	}
	if r.text != nil {
		for i := 1; i <= r.text.Len(); i++ {
			if err := os.Rename(ChainFile(sr, i), ChainFile(r.root, i)); err != nil {
				return fmt.Errorf("replacing the earlier run: %w", err)
			}
		}
		r.text.rename(r.root)
	}
	r.staged, r.stagedFiles = false, nil
	return nil
}

// WriteCheckpoint writes ROOT.checkpoint atomically (EncodeCheckpoint),
// with the run's kind and number of chains in h. It refuses while staged:
// Commit first.
func (r *Run) WriteCheckpoint(h *Header, state any) error {
	if r.staged {
		panic("chains: WriteCheckpoint before Commit")
	}
	h.Kind, h.Chains = r.opt.Kind, r.opt.Chains
	b, err := EncodeCheckpoint(h, state)
	if err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	return atomicfile.WriteBytes(r.root+CheckpointSuffix, b)
}

// RemoveSummaries removes the summaries and ROOT.properties.ini, which a
// resumed run that extends a finished one no longer matches.
func (r *Run) RemoveSummaries() error {
	for _, s := range []string{SummaryJSONSuffix, SummaryTextSuffix, PropertiesSuffix} {
		if err := os.Remove(r.root + s); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}

// Close closes the text chains (without flushing them), removes the staged
// files of a replacement that never reached Commit (the old run stays as it
// was) and releases the lock.
func (r *Run) Close() error {
	var errs []error
	if r.text != nil {
		errs = append(errs, r.text.Close())
		r.text = nil
	}
	if r.staged {
		removeStaged(r.root)
	}
	errs = append(errs, r.unlock())
	return errors.Join(errs...)
}
