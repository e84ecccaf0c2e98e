// Package atomicfile writes files so that readers see either the old file or
// the complete new one, never a partial write: the content goes to a
// temporary file in the same directory, which is synced and then renamed
// over the destination.
//
// It writes only over regular files (or where nothing exists): a device, a
// FIFO, a socket, a directory or a symbolic link at the destination is
// refused, since renaming over it would replace the device node or the link
// itself (as root, "-out /dev/null" would turn the device into a file). The
// permission bits of a file that is replaced are kept; a new file gets 0644.
// Ownership, extended attributes and hard links of the old file are not
// carried over: the destination becomes a new inode.
//
// A temporary file is named .NAME.tmp-DIGITS and is locked (flock) while it
// is written. A writer killed before the rename leaves it behind; Write and
// CheckWritable remove such files of the same destination once they are
// unlocked and older than StaleAge.
//
// Lock takes an exclusive lock on an output root, so that two processes
// writing the same set of files fail fast instead of interleaving.
// CheckWritable and Distinct let a command refuse a bad or colliding output
// path before a long computation rather than after it.
package atomicfile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// StaleAge is how old an unlocked temporary file must be before it is
// taken for the leftover of a killed writer and removed. The lock alone
// would do, but between the creation of a temporary file and its locking
// there is a moment when it is unlocked; the age closes that window.
const StaleAge = time.Minute

// newMode is the permission of a file that did not exist before.
const newMode fs.FileMode = 0o644

// Write creates or replaces path with what fn writes to w (buffered). If fn
// or any step of the write fails, path is left untouched and the temporary
// file is removed. An existing path that is not a regular file is refused
// before fn is called; an existing regular file keeps its permission bits.
func Write(path string, fn func(w io.Writer) error) (err error) {
	mode, err := destMode(path)
	if err != nil {
		return err
	}
	dir, base := split(path)
	removeStale(dir, base)
	tmp, err := os.CreateTemp(dir, tmpPrefix(base)+"*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	name := tmp.Name()
	renamed := false
	defer func() {
		if !renamed {
			os.Remove(name)
		}
		if cerr := tmp.Close(); cerr != nil && err == nil && !renamed {
			err = fmt.Errorf("write %s: %w", path, cerr)
		}
	}()
	// The lock tells removeStale in other processes that this file is
	// being written; it is released when tmp is closed, after the rename.
	// A file system without locks still has the age rule, so a failure to
	// lock is not fatal.
	_ = lockFile(tmp)
	bw := bufio.NewWriterSize(tmp, 1<<16)
	if err = fn(bw); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = bw.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	// CreateTemp makes the file 0600.
	if err = tmp.Chmod(mode); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	// Check again: something may have appeared at path while fn ran.
	if _, err = destMode(path); err != nil {
		return err
	}
	if err = os.Rename(name, path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	renamed = true
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// WriteBytes is Write for content already in memory.
func WriteBytes(path string, data []byte) error {
	return Write(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// CheckWritable reports whether Write could write path now: path is empty
// or a regular file, its directory exists, and a file can be created in
// that directory (a temporary file is created and removed). Commands call
// it for every output path before a long computation, so that a typing
// mistake costs nothing.
func CheckWritable(path string) error {
	if _, err := destMode(path); err != nil {
		return err
	}
	dir, base := split(path)
	removeStale(dir, base)
	tmp, err := os.CreateTemp(dir, tmpPrefix(base)+"*")
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", path, unwrapPath(err))
	}
	name := tmp.Name()
	cerr := tmp.Close()
	rerr := os.Remove(name)
	if err := errors.Join(cerr, rerr); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	return nil
}

// Distinct returns an error if two of the paths name the same file: equal
// after filepath.Abs (which cleans them), or existing and the same file by
// os.SameFile (hard links, a symbolic link to another output). Empty paths
// (outputs not asked for) are skipped.
func Distinct(paths ...string) error {
	type entry struct {
		path, abs string
		info      fs.FileInfo
	}
	var seen []entry
	for _, p := range paths {
		if p == "" {
			continue
		}
		abs, err := filepath.Abs(p)
		if err != nil {
			return fmt.Errorf("output path %s: %w", p, err)
		}
		info, _ := os.Stat(p) // nil if it does not exist yet
		for _, e := range seen {
			same := e.abs == abs
			if !same && e.info != nil && info != nil {
				same = os.SameFile(e.info, info)
			}
			if same {
				return fmt.Errorf("output paths %s and %s are the same file: give each output its own path", e.path, p)
			}
		}
		seen = append(seen, entry{p, abs, info})
	}
	return nil
}

// destMode returns the permission bits to give the new file at path: those
// of the regular file there, or newMode if there is none. Anything else at
// path is an error.
func destMode(path string) (fs.FileMode, error) {
	if path == "" {
		return 0, errors.New("write: empty file name")
	}
	fi, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return newMode, nil
	case err != nil:
		return 0, fmt.Errorf("cannot write %s: %w", path, unwrapPath(err))
	case fi.Mode().IsRegular():
		return fi.Mode().Perm(), nil
	}
	return 0, fmt.Errorf("cannot write %s: it is %s, not a regular file; refusing to replace it", path, Kind(fi.Mode()))
}

// Kind names the type of a file that is not regular ("a symbolic link",
// "a named pipe (FIFO)", ...), for error messages.
func Kind(m fs.FileMode) string {
	switch {
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "a special file"
}

func split(path string) (dir, base string) {
	dir, base = filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	return dir, base
}

func tmpPrefix(base string) string { return "." + base + ".tmp-" }

// unwrapPath drops the *fs.PathError wrapper whose path the caller's
// message already names.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// removeStale removes the temporary files of base in dir that a killed
// writer left: named .BASE.tmp-DIGITS (as CreateTemp names them), regular,
// older than StaleAge and not locked by a live writer. Failures are
// ignored: the files are litter, not data.
func removeStale(dir, base string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	names, _ := d.Readdirnames(-1)
	d.Close()
	prefix := tmpPrefix(base)
	for _, name := range names {
		if !strings.HasPrefix(name, prefix) || !allDigits(name[len(prefix):]) {
			continue
		}
		path := filepath.Join(dir, name)
		info, err := os.Lstat(path)
		if err != nil || !info.Mode().IsRegular() || time.Since(info.ModTime()) < StaleAge {
			continue
		}
		f, err := os.Open(path)
		if err != nil {
			continue
		}
		if lockFile(f) == nil {
			os.Remove(path)
		}
		f.Close()
	}
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
