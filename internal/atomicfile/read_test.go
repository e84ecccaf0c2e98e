//go:build unix

package atomicfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// TestReadRegular: a FIFO with no writer, /dev/zero and a link to it are
// refused at once, naming the path; a regular file is read whole, or
// refused if it is over the limit.
func TestReadRegular(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := unix.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	zeroLink := filepath.Join(dir, "zero")
	if err := os.Symlink("/dev/zero", zeroLink); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for _, tc := range []struct{ path, want string }{
			{fifo, "a named pipe (FIFO), not a regular file"},
			{"/dev/zero", "a character device, not a regular file"},
			{zeroLink, "a character device, not a regular file"},
			{dir, "a directory, not a regular file"},
		} {
			if _, err := ReadRegular(tc.path, 1<<20); err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.path) {
				t.Errorf("%s: %v, want an error naming it and %q", tc.path, err, tc.want)
			}
			if f, _, err := OpenRegular(tc.path, true); err == nil {
				f.Close()
				t.Errorf("%s opened for writing", tc.path)
			}
		}
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("ReadRegular blocked on a FIFO or a device")
	}
	path := filepath.Join(dir, "f")
	os.WriteFile(path, []byte("hello"), 0o644)
	if b, err := ReadRegular(path, 5); err != nil || string(b) != "hello" {
		t.Errorf("regular file: %q, %v", b, err)
	}
	if _, err := ReadRegular(path, 4); !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), path) {
		t.Errorf("over the limit: %v", err)
	}
	if _, err := ReadRegular(filepath.Join(dir, "none"), 5); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	// An empty file and a link to a regular file are fine.
	os.WriteFile(path, nil, 0o644)
	link := filepath.Join(dir, "link")
	os.Symlink(path, link)
	if b, err := ReadRegular(link, 0); err != nil || len(b) != 0 {
		t.Errorf("empty file through a link: %q, %v", b, err)
	}
}

// TestCreateRegular: a regular file is emptied and a missing one created;
// a symbolic link (even to a regular file), a FIFO with no reader and a
// directory are refused at once, naming the path, and the link's target
// keeps its content.
func TestCreateRegular(t *testing.T) {
	dir := t.TempDir()
	reg := filepath.Join(dir, "chain_1.txt")
	if err := os.WriteFile(reg, []byte("old rows\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{reg, filepath.Join(dir, "new.txt")} {
		f, err := CreateRegular(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		f.WriteString("x\n")
		f.Close()
		if b, _ := os.ReadFile(name); string(b) != "x\n" {
			t.Errorf("%s holds %q, want the new content only", name, b)
		}
	}
	target := filepath.Join(dir, "precious.txt")
	os.WriteFile(target, []byte("keep me\n"), 0o644)
	link := filepath.Join(dir, "link_1.txt")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo_1.txt")
	if err := unix.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{link: "a symbolic link", fifo: "a named pipe", dir: "directory"} {
		done := make(chan error, 1)
		go func() {
			f, err := CreateRegular(name)
			if err == nil {
				f.Close()
			}
			done <- err
		}()
		select {
		case err := <-done:
			if err == nil || !strings.Contains(err.Error(), name) || !strings.Contains(err.Error(), want) {
				t.Errorf("%s: got %v, want an error naming it and %q", name, err, want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("CreateRegular(%s) blocked", name)
		}
	}
	if b, _ := os.ReadFile(target); string(b) != "keep me\n" {
		t.Errorf("the link's target was written through: %q", b)
	}
}
