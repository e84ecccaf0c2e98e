package atomicfile

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.txt")
	if err := WriteBytes(path, []byte("first")); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := Write(path, func(w io.Writer) error {
		io.WriteString(w, "partial")
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("got %v, want the writer's error", err)
	}
	got, _ := os.ReadFile(path)
	if string(got) != "first" {
		t.Errorf("a failed write changed the file to %q", got)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("a failed write left %d files behind", len(entries)-1)
	}
	if err := WriteBytes(path, []byte("second")); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "second" {
		t.Errorf("file holds %q, want %q", got, "second")
	}
	if err := WriteBytes(filepath.Join(dir, "missing", "x"), nil); err == nil {
		t.Error("no error for a missing directory")
	}
	if err := WriteBytes("", nil); err == nil {
		t.Error("no error for an empty name")
	}
}

// nonRegular makes one file of each kind that must not be replaced.
func nonRegular(t *testing.T, dir string) map[string]string {
	t.Helper()
	target := filepath.Join(dir, "target.txt")
	if err := os.WriteFile(target, []byte("target"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.txt")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo")
	if err := unix.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	return map[string]string{
		link: "symbolic link", sub: "directory", fifo: "named pipe",
		os.DevNull: "character device",
	}
}

func TestRefuseNonRegular(t *testing.T) {
	dir := t.TempDir()
	for path, what := range nonRegular(t, dir) {
		before, err := os.Lstat(path)
		if err != nil {
			t.Fatal(err)
		}
		called := false
		err = Write(path, func(w io.Writer) error {
			called = true
			_, err := io.WriteString(w, "clobbered")
			return err
		})
		if err == nil || !strings.Contains(err.Error(), what) || !strings.Contains(err.Error(), "not a regular file") {
			t.Errorf("Write(%s): got %v, want an error saying it is a %s", path, err, what)
		}
		if called {
			t.Errorf("Write(%s) called the writer before refusing", path)
		}
		if err := CheckWritable(path); err == nil || !strings.Contains(err.Error(), what) {
			t.Errorf("CheckWritable(%s): got %v, want an error saying it is a %s", path, err, what)
		}
		after, err := os.Lstat(path)
		if err != nil || after.Mode() != before.Mode() || !os.SameFile(before, after) {
			t.Errorf("%s was replaced", path)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "target.txt")); string(b) != "target" {
		t.Errorf("the symbolic link's target now holds %q", b)
	}
	// Nothing but what nonRegular made is left in dir.
	entries, _ := os.ReadDir(dir)
	if len(entries) != 4 {
		t.Errorf("%d entries in the directory, want 4", len(entries))
	}
}

func TestKeepMode(t *testing.T) {
	dir := t.TempDir()
	for _, mode := range []fs.FileMode{0o600, 0o755, 0o640} {
		path := filepath.Join(dir, "f")
		os.Remove(path)
		if err := os.WriteFile(path, []byte("old"), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(path, mode); err != nil { // whatever the umask
			t.Fatal(err)
		}
		if err := WriteBytes(path, []byte("new")); err != nil {
			t.Fatal(err)
		}
		if fi, _ := os.Stat(path); fi.Mode().Perm() != mode {
			t.Errorf("mode %v became %v", mode, fi.Mode().Perm())
		}
	}
	fresh := filepath.Join(dir, "fresh")
	if err := WriteBytes(fresh, nil); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(fresh); fi.Mode().Perm() != 0o644 {
		t.Errorf("a new file has mode %v, want 0644", fi.Mode().Perm())
	}
}

func TestRemoveStale(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.txt")
	old := time.Now().Add(-2 * StaleAge)
	mk := func(name string, age time.Time) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, age, age); err != nil {
			t.Fatal(err)
		}
		return p
	}
	stale := mk(".out.txt.tmp-12345", old)
	recent := mk(".out.txt.tmp-23456", time.Now())
	locked := mk(".out.txt.tmp-34567", old)
	other := mk(".other.txt.tmp-45678", old)  // another destination
	notOurs := mk(".out.txt.tmp-backup", old) // not CreateTemp's pattern
	f, err := os.Open(locked)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := lockFile(f); err != nil { // a live writer
		t.Fatal(err)
	}
	if err := WriteBytes(path, []byte("new")); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !errors.Is(err, fs.ErrNotExist) {
		t.Error("a stale temporary file was kept")
	}
	for _, p := range []string{recent, locked, other, notOurs} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s was removed: %v", filepath.Base(p), err)
		}
	}
	// CheckWritable cleans too.
	stale = mk(".out.txt.tmp-99", old)
	if err := CheckWritable(path); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !errors.Is(err, fs.ErrNotExist) {
		t.Error("CheckWritable kept a stale temporary file")
	}
}

func TestCheckWritable(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.txt")
	if err := CheckWritable(path); err != nil {
		t.Errorf("CheckWritable of a new file: %v", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Error("CheckWritable created the file")
	}
	if err := os.WriteFile(path, []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := CheckWritable(path); err != nil {
		t.Errorf("CheckWritable of an existing file: %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "keep" {
		t.Errorf("CheckWritable changed the file to %q", b)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("CheckWritable left %d files", len(entries)-1)
	}
	missing := filepath.Join(dir, "missing", "out.txt")
	if err := CheckWritable(missing); err == nil || !strings.Contains(err.Error(), missing) {
		t.Errorf("missing directory: got %v, want an error naming %s", err, missing)
	}
	if os.Geteuid() != 0 { // root writes anywhere
		ro := filepath.Join(dir, "ro")
		if err := os.Mkdir(ro, 0o555); err != nil {
			t.Fatal(err)
		}
		if err := CheckWritable(filepath.Join(ro, "x")); err == nil || !strings.Contains(err.Error(), "permission denied") {
			t.Errorf("read-only directory: got %v", err)
		}
	}
}

func TestLock(t *testing.T) {
	root := filepath.Join(t.TempDir(), "run")
	unlock, err := Lock(root)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Lock(root)
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), "in use by another run") {
		t.Fatalf("second Lock: got %v, want ErrLocked", err)
	}
	if !strings.Contains(err.Error(), "process ") {
		t.Errorf("the error does not name the process holding the lock: %v", err)
	}
	if err := unlock(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(root + LockSuffix); !errors.Is(err, fs.ErrNotExist) {
		t.Error("unlock left the lock file")
	}
	unlock, err = Lock(root)
	if err != nil {
		t.Fatalf("Lock after unlock: %v", err)
	}
	if err := unlock(); err != nil {
		t.Fatal(err)
	}
	if err := unlock(); err != nil {
		t.Errorf("a second unlock: %v", err)
	}
	if _, err := Lock(filepath.Join(t.TempDir(), "missing", "run")); err == nil {
		t.Error("no error locking in a missing directory")
	}
}

// TestHelperLock is run as a child process by TestLockReleasedOnKill.
func TestHelperLock(t *testing.T) {
	root := os.Getenv("ATOMICFILE_LOCK_ROOT")
	if root == "" {
		t.Skip("helper process")
	}
	if _, err := Lock(root); err != nil {
		os.Exit(3)
	}
	os.WriteFile(root+".ready", nil, 0o644)
	time.Sleep(time.Minute)
}

// A run killed with SIGKILL leaves its lock file, which must not block the
// next run.
func TestLockReleasedOnKill(t *testing.T) {
	root := filepath.Join(t.TempDir(), "run")
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperLock$")
	cmd.Env = append(os.Environ(), "ATOMICFILE_LOCK_ROOT="+root)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, err := os.Stat(root + ".ready"); err == nil {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("helper did not take the lock")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if _, err := Lock(root); !errors.Is(err, ErrLocked) {
		t.Errorf("Lock while the helper holds it: %v", err)
	}
	cmd.Process.Kill()
	cmd.Wait()
	if _, err := os.Stat(root + LockSuffix); err != nil {
		t.Fatalf("the killed helper left no lock file (%v): the test proves nothing", err)
	}
	unlock, err := Lock(root)
	if err != nil {
		t.Fatalf("Lock after the holder was killed: %v", err)
	}
	unlock()
}

func TestDistinct(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.txt")
	if err := os.WriteFile(a, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	hard := filepath.Join(dir, "hard.txt")
	if err := os.Link(a, hard); err != nil {
		t.Fatal(err)
	}
	soft := filepath.Join(dir, "soft.txt")
	if err := os.Symlink(a, soft); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		paths []string
		ok    bool
	}{
		{[]string{a, filepath.Join(dir, "b.txt"), "", ""}, true},
		{[]string{a, filepath.Join(dir, "sub", "..", "a.txt")}, false},
		{[]string{filepath.Join(dir, "new.bin"), filepath.Join(dir, ".", "new.bin")}, false},
		{[]string{a, hard}, false},
		{[]string{soft, filepath.Join(dir, "x"), a}, false},
	} {
		err := Distinct(tc.paths...)
		if (err == nil) != tc.ok {
			t.Errorf("Distinct(%q) = %v, want ok = %v", tc.paths, err, tc.ok)
		}
		if err != nil && !strings.Contains(err.Error(), "same file") {
			t.Errorf("Distinct error %q does not say why", err)
		}
	}
}
