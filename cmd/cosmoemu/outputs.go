package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
)

// A namedPath is a file named on the command line, with its flag.
type namedPath struct {
	flag, path string
}

// checkOutputs checks, before a command does any work, the files it will
// write: no two outputs and no output and input are the same file, and
// each output is absent or a regular file, in an existing directory where
// a file can be created. Empty paths are skipped. The errors are usage
// errors naming the flags.
//
// (A stopgap until internal/atomicfile checks destinations itself.)
func checkOutputs(cmd string, inputs, outputs []namedPath) error {
	var seen []namedPath
	for _, in := range inputs {
		if in.path != "" {
			seen = append(seen, in)
		}
	}
	for _, out := range outputs {
		if out.path == "" {
			continue
		}
		for _, p := range seen {
			if sameFile(p.path, out.path) {
				return usagef("%s: -%s %s is also -%s: choose another output file", cmd, out.flag, out.path, p.flag)
			}
		}
		seen = append(seen, out)
		if err := writable(out.path); err != nil {
			return usagef("%s: -%s %s: %v", cmd, out.flag, out.path, err)
		}
	}
	return nil
}

// sameFile reports whether a and b name the same file: the same clean
// absolute path, or the same existing file through links.
func sameFile(a, b string) bool {
	aa, errA := filepath.Abs(a)
	bb, errB := filepath.Abs(b)
	if errA == nil && errB == nil && aa == bb {
		return true
	}
	fa, errA := os.Stat(a)
	fb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(fa, fb)
}

// writable reports why a file cannot be written at path atomically (a
// temporary file in its directory renamed over it), or nil.
func writable(path string) error {
	if fi, err := os.Lstat(path); err == nil {
		if !fi.Mode().IsRegular() {
			return fmt.Errorf("exists and is not a regular file (%v); give a new file name", fi.Mode().Type())
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	dir := filepath.Dir(path)
	fi, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("directory %s: %w", dir, cause(err))
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s is not a directory", dir)
	}
	f, err := os.CreateTemp(dir, ".cosmoemu-check-*")
	if err != nil {
		return fmt.Errorf("cannot create files in %s: %w", dir, cause(err))
	}
	name := f.Name()
	f.Close()
	os.Remove(name)
	return nil
}

// cause returns the system error of a path error (the path is named by the
// caller), or err.
func cause(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// warnShadowed warns on stderr when the value of -flag names one of the
// embedded data sets or models and a file of that name exists too: the
// embedded one is used, and the user may have meant the file.
func warnShadowed(e *env, flag, value string, embedded ...string) {
	if !slices.Contains(embedded, value) {
		return
	}
	if fi, err := os.Stat(value); err == nil && !fi.IsDir() {
		fmt.Fprintf(e.stderr, "cosmoemu: warning: -%s %s is the embedded one, not the file %s in this directory (give ./%s for the file)\n", flag, value, value, value)
	}
}
