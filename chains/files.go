package chains

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/cosmoemu/cosmoemu/internal/atomicfile"
)

// IsRunFile reports whether name, a file name without directory, is one
// that a run at a root of base name base may write, replace or remove: a
// file of ROOT with one of the suffixes of a run (the chains ROOT.txt and
// ROOT_N.txt, .paramnames, .ranges, .checkpoint, the .npy files, the
// summaries, the corner plot), its lock ROOT.lock, or a file of its
// staging root .BASE.new.
func IsRunFile(base, name string) bool {
	for _, b := range []string{base, "." + base + ".new"} {
		rest, ok := strings.CutPrefix(name, b)
		if !ok {
			continue
		}
		if slices.Contains(ownedSuffixes, rest) || rest == atomicfile.LockSuffix || chainSuffix.MatchString(rest) {
			return true
		}
	}
	return false
}

// chainSuffix matches what follows ROOT in the name of a text chain.
var chainSuffix = regexp.MustCompile(`^(_[0-9]+)?\.txt$`)

// RunFileOf returns the existing file of a run at root (see IsRunFile)
// that is the same file as the existing file at path, after links, hard
// or symbolic, are resolved; "" if there is none. A command calls it for
// each of its inputs, so that no output of a run overwrites a file the run
// reads.
func RunFileOf(root, path string) string {
	in, err := os.Stat(path)
	if err != nil {
		return ""
	}
	dir, base, entries := readRootDir(root)
	for _, e := range entries {
		if !IsRunFile(base, e.Name()) {
			continue
		}
		if fi, err := os.Stat(dir + e.Name()); err == nil && os.SameFile(fi, in) {
			return dir + e.Name()
		}
	}
	// A file not there yet cannot be an input; one there is found above.
	return ""
}

// RunOf returns the root of an existing run (a root with a checkpoint or
// a .paramnames) that path names a file of (IsRunFile), or "" if there is
// none: a command refuses to write there, since the file belongs to that
// run (its chain, its .ranges, its corner plot …).
func RunOf(path string) string {
	dir, name := filepath.Split(path)
	var bases []string
	for _, s := range append(slices.Clip(ownedSuffixes), atomicfile.LockSuffix) {
		if b, ok := strings.CutSuffix(name, s); ok && b != "" {
			bases = append(bases, b)
		}
	}
	if m := chainName.FindStringSubmatch(name); m != nil {
		bases = append(bases, m[1]) // ROOT_N.txt of ROOT
	}
	for _, b := range bases {
		if s, ok := strings.CutPrefix(b, "."); ok {
			if s, ok = strings.CutSuffix(s, ".new"); ok && s != "" {
				b = s // a file of the staging root .BASE.new
			}
		}
		if ok, _ := isRoot(dir + b); ok && IsRunFile(b, name) {
			return dir + b
		}
	}
	return ""
}

// readRootDir splits root into its directory (with its separator, "" for
// the working directory) and base name, and lists that directory (nil if
// it cannot be read).
func readRootDir(root string) (dir, base string, entries []os.DirEntry) {
	dir, base = filepath.Split(root)
	d := dir
	if d == "" {
		d = "."
	}
	entries, _ = os.ReadDir(d)
	return dir, base, entries
}

// chainName matches a text chain ROOT_N.txt.
var chainName = regexp.MustCompile(`^(.+)_[0-9]+\.txt$`)
