package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cosmoemu/cosmoemu/internal/atomicfile"
	"golang.org/x/sys/unix"
)

// specialFiles makes, in dir, the files no reader of a user-named file may
// read: a FIFO nobody writes to, a symbolic link to /dev/zero, and a sparse
// regular file one byte over atomicfile.MaxInput, each named with ext; and
// /dev/zero itself where the extension does not matter.
func specialFiles(t *testing.T, dir, ext string) map[string]string {
	t.Helper()
	fifo := filepath.Join(dir, "fifo"+ext)
	if err := unix.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	zero := filepath.Join(dir, "zero"+ext)
	if err := os.Symlink("/dev/zero", zero); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big"+ext)
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(atomicfile.MaxInput + 1); err != nil { // sparse: no disk used
		t.Fatal(err)
	}
	f.Close()
	m := map[string]string{"fifo": fifo, "link to /dev/zero": zero, "oversized": big}
	if ext == "" {
		m["/dev/zero"] = "/dev/zero"
	}
	return m
}

// runGuarded is runCLI that fails the test instead of hanging.
func runGuarded(t *testing.T, args ...string) (int, string) {
	t.Helper()
	type result struct {
		code   int
		stderr string
	}
	done := make(chan result, 1)
	go func() {
		code, _, stderr := runCLI(t, args...)
		done <- result{code, stderr}
	}()
	select {
	case r := <-done:
		return r.code, r.stderr
	case <-time.After(2 * time.Minute):
		t.Fatalf("cosmoemu %s: still running after 2 minutes (a blocked or unbounded read)", strings.Join(args, " "))
		return 0, ""
	}
}

// TestUserReadersRefuseSpecialFiles: every file a user names, through
// every command and flag that reads one, is refused at once with exit
// status 2 and one line naming it when it is a FIFO, /dev/zero (or a link
// to it) or a file over the size limit: nothing blocks, nothing fills the
// memory. A reader added to the command line belongs in this table.
func TestUserReadersRefuseSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	hz := filepath.Join(dir, "hz.txt")
	if err := os.WriteFile(hz, []byte("0.1 70 5\n0.2 72 5\n0.3 75 5\n0.5 80 6\n0.7 88 7\n0.9 95 8\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	points := filepath.Join(dir, "points.csv")
	os.WriteFile(points, []byte("N,Om0,H0\n-1,0.3,65\n"), 0o644)
	sdssRows := sdssSubset(t, dir, 60)
	for _, tc := range []struct {
		ext  string
		args func(p string) []string
	}{
		{"", func(p string) []string { return []string{"fit", "-data", "hz:" + p} }},
		{"", func(p string) []string { return []string{"fit", "-data", "hz:" + hz + ":" + p} }},
		{"", func(p string) []string { return []string{"fit", "-data", "bao:" + p} }},
		{"", func(p string) []string { return []string{"fit", "-data", "sn:" + p} }},
		{"", func(p string) []string { return []string{"fit", "-data", p} }},
		{"", func(p string) []string { return []string{"fit", "-data", "pantheonplus:" + p} }},
		{"", func(p string) []string { return []string{"sample", "-data", "hz:" + p} }},
		{"", func(p string) []string { return []string{"compare", "-data", "hz:" + p} }},
		{"", func(p string) []string { return []string{"evidence", "-models", "lcdm", "-data", "hz:" + p} }},
		{"", func(p string) []string {
			return []string{"fit", "-data", "cc31", "-backend", "emulator", "-emulator", p}
		}},
		{"", func(p string) []string {
			return []string{"background", "-p", "Om=0.3,H0=70", "-backend", "emulator", "-emulator", p}
		}},
		{"", func(p string) []string { return []string{"predict", "-model", p, "-in", points} }},
		{"", func(p string) []string { return []string{"predict", "-in", p} }},
		{"", func(p string) []string { return []string{"validate", "-model", p} }},
		{"", func(p string) []string { return []string{"validate", "-model", "quintessence", "-emulator", p} }},
		{"", func(p string) []string { return []string{"validate", "-model", "early", "-emulator", p} }},
		{"", func(p string) []string { return []string{"bench", "-model", p} }},
		{"", func(p string) []string { return []string{"classify", "-data", p} }},
		{"", func(p string) []string { return []string{"classify", "-model", p, "-predict", sdssRows} }},
		{"", func(p string) []string {
			return []string{"reconstruct", "-data", p, "-out", filepath.Join(dir, "r.png")}
		}},
		{".npz", func(p string) []string { return []string{"train", "-grid", p, "-out", filepath.Join(dir, "m.bin")} }},
		{".npy", func(p string) []string { return []string{"train", "-grid", p, "-out", filepath.Join(dir, "m.bin")} }},
	} {
		sub := t.TempDir()
		for kind, p := range specialFiles(t, sub, tc.ext) {
			args := tc.args(p)
			code, stderr := runGuarded(t, args...)
			if code != 2 || !strings.Contains(stderr, p) || strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
				t.Errorf("%s: cosmoemu %s: exit %d, stderr %q; want exit 2 and one line naming the file", kind, strings.Join(args, " "), code, stderr)
			}
		}
	}
}

// TestStdinBounded: predict -in - stops reading standard input at the
// size limit of a user's file instead of filling the memory.
func TestStdinBounded(t *testing.T) {
	r := atomicfile.LimitReader(zeroReader{}, "standard input", 1<<20)
	buf := make([]byte, 1<<16)
	var n int
	var err error
	for err == nil {
		var k int
		k, err = r.Read(buf)
		n += k
	}
	if n != 1<<20 || !strings.Contains(err.Error(), "standard input has more than") {
		t.Errorf("read %d bytes, then %v", n, err)
	}
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
