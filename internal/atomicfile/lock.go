package atomicfile

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// LockSuffix is appended to an output root to name its lock file.
const LockSuffix = ".lock"

// ErrLocked is matched (errors.Is) by the error of Lock when another
// process, or another Lock in this one, holds the lock.
var ErrLocked = errors.New("locked by another run")

// Lock takes an exclusive lock on the output root, a path prefix such as
// the ROOT of ROOT_1.txt, ROOT.checkpoint, …, through the lock file
// ROOT.lock (which it creates, records its process id in, and removes on
// unlock). It does not wait: if another process or another Lock of this
// process holds the lock, the error matches ErrLocked and names the
// process that holds it. The lock is released by unlock and, because it is
// a flock(2) lock, by the death of the process however it dies: a stale
// ROOT.lock left by a killed run does not block the next one.
func Lock(root string) (unlock func() error, err error) {
	if root == "" {
		return nil, errors.New("lock: empty output root")
	}
	path := root + LockSuffix
	for {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, newMode)
		if err != nil {
			return nil, fmt.Errorf("cannot lock %s: %w", root, unwrapPath(err))
		}
		if err := lockFile(f); err != nil && !errors.Is(err, errors.ErrUnsupported) {
			pid := readPID(f)
			f.Close()
			if errors.Is(err, errWouldBlock) {
				return nil, fmt.Errorf("%s is in use by another run%s (lock file %s): %w", root, pid, path, ErrLocked)
			}
			return nil, fmt.Errorf("cannot lock %s: %w", path, err)
		}
		// The holder before us may have removed the file between our open
		// and our lock: then we hold a lock on an orphan and must retry on
		// the file now at path.
		if same, err := sameAsPath(f, path); err != nil || !same {
			f.Close()
			if err != nil {
				return nil, fmt.Errorf("cannot lock %s: %w", path, err)
			}
			continue
		}
		if err := f.Truncate(0); err == nil {
			f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
		}
		unlocked := false
		return func() error {
			if unlocked {
				return nil
			}
			unlocked = true
			// Remove while still holding the lock, so that nobody can lock
			// the file between the removal and the close and then believe
			// they hold a live lock (the check above catches them).
			rerr := os.Remove(path)
			return errors.Join(rerr, f.Close())
		}, nil
	}
}

func sameAsPath(f *os.File, path string) (bool, error) {
	fi, err := f.Stat()
	if err != nil {
		return false, err
	}
	pi, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return os.SameFile(fi, pi), nil
}

// readPID returns " (process N)" from the lock file, or "".
func readPID(f *os.File) string {
	var b [32]byte
	n, _ := f.ReadAt(b[:], 0)
	s := strings.TrimSpace(string(b[:n]))
	if _, err := strconv.Atoi(s); err != nil {
		return ""
	}
	return " (process " + s + ")"
}
