//go:build unix

package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// TestOpenInput: the opener of user-named files refuses what ReadRegular
// refuses (matching ErrNotRegular) without blocking, refuses a file over
// its limit before reading (ErrTooLarge), and stops a file that grows past
// the limit while it is read.
func TestOpenInput(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := unix.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	zero := filepath.Join(dir, "zero")
	os.Symlink("/dev/zero", zero)
	for _, p := range []string{fifo, zero, "/dev/zero", dir} {
		if _, err := OpenInput(p, 1<<20); !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), p) {
			t.Errorf("%s: %v", p, err)
		}
		if _, err := ReadRegular(p, 1<<20); !errors.Is(err, ErrNotRegular) {
			t.Errorf("ReadRegular %s: %v", p, err)
		}
	}
	path := filepath.Join(dir, "f")
	os.WriteFile(path, []byte("hello"), 0o644)
	if _, err := OpenInput(path, 4); !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), path) {
		t.Errorf("over the limit: %v", err)
	}
	in, err := OpenInput(path, 5)
	if err != nil {
		t.Fatal(err)
	}
	// The file grows after the open: the reader stops at the limit.
	os.WriteFile(path, []byte("hello, world"), 0o644)
	b, err := io.ReadAll(in)
	in.Close()
	if !errors.Is(err, ErrTooLarge) || string(b) != "hello" {
		t.Errorf("grown file: %q, %v", b, err)
	}
	in, _ = OpenInput(path, 100)
	if b, err := io.ReadAll(in); err != nil || string(b) != "hello, world" || in.Size() != 12 || in.Name() != path {
		t.Errorf("within the limit: %q, %v", b, err)
	}
	in.Close()
}
