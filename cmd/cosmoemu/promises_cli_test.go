package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/cosmoemu/cosmoemu/fit"
)

// The README's promises, tested as stated: "Bad input gets one line
// naming the problem and exit status 2; a failure exits 1, an interrupt
// 130 after saying what was kept and how to resume"; a resumed run gives
// the bytes of an uninterrupted one; nothing is overwritten without -force.

// TestMain lets the tests run the real main in a child process (the
// test binary with COSMOEMU_TEST_MAIN set), for signals and exit statuses
// as a shell sees them.
func TestMain(m *testing.M) {
	if os.Getenv("COSMOEMU_TEST_MAIN") == "1" {
		os.Args = append([]string{"cosmoemu"}, os.Args[1:]...)
		main()
		return
	}
	os.Exit(m.Run())
}

// cosmoemuProcess starts the command line as a child process.
func cosmoemuProcess(t *testing.T, args ...string) (*exec.Cmd, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "COSMOEMU_TEST_MAIN=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, &stderr
}

func exitStatus(t *testing.T, cmd *exec.Cmd) int {
	t.Helper()
	err := cmd.Wait()
	if err == nil {
		return 0
	}
	ee, ok := err.(*exec.ExitError)
	if !ok {
		t.Fatal(err)
	}
	return ee.ExitCode()
}

// TestExitStatuses: the process exits 0 on success, 2 on bad input, 1 on
// a failure, and 130 on SIGINT or SIGTERM, each with one line on stderr.
func TestExitStatuses(t *testing.T) {
	var stalled = make(chan struct{}, 10)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/missing" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Length", "1000")
		w.Write([]byte("1 "))
		w.(http.Flusher).Flush()
		stalled <- struct{}{}
		<-r.Context().Done()
	}))
	defer srv.Close()
	cache := t.TempDir()
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"solve", "-n", "3"}, 0, ""},
		{[]string{"solve", "-om", "2"}, 2, "flag -om"},
		{[]string{"data", "get", "desy5-cov", "-cache", cache, "-url", srv.URL + "/missing"}, 1, "404 Not Found"},
	} {
		cmd, stderr := cosmoemuProcess(t, tc.args...)
		if code := exitStatus(t, cmd); code != tc.code || !strings.Contains(stderr.String(), tc.want) || strings.Count(stderr.String(), "\n") > 1 {
			t.Errorf("cosmoemu %s: exit %d, %q; want %d and %q", strings.Join(tc.args, " "), code, stderr, tc.code, tc.want)
		}
	}
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		cmd, stderr := cosmoemuProcess(t, "data", "get", "desy5-cov", "-cache", cache, "-url", srv.URL+"/stall")
		<-stalled // the download is under way, and stuck
		cmd.Process.Signal(sig)
		if code := exitStatus(t, cmd); code != 130 || !strings.Contains(stderr.String(), "interrupted; nothing was saved") {
			t.Errorf("%v: exit %d, %q", sig, code, stderr)
		}
	}
}

// interruptAt returns an env whose context is cancelled once a fit
// reports progress at or past step.
func interruptAt(step int) (*env, *bytes.Buffer) {
	ctx, cancel := context.WithCancel(context.Background())
	var errb bytes.Buffer
	return &env{ctx: ctx, stdin: strings.NewReader(""), stdout: new(bytes.Buffer), stderr: &errb,
		onProgress: func(pr fit.Progress) {
			if pr.Step >= step {
				cancel()
			}
		}}, &errb
}

// TestResumeByteIdentical: a fit interrupted (exit 130, saying how to go
// on) and resumed writes the same chains, byte for byte, as the same fit
// uninterrupted — for the ensemble and MH samplers and nested sampling.
func TestResumeByteIdentical(t *testing.T) {
	for _, tc := range []struct {
		args   []string
		stopAt int
		files  []string
	}{
		{[]string{"fit", "-data", "desi-dr2", "-steps", "2500", "-walkers", "8", "-seed", "3"}, 1500,
			[]string{"_1.txt", "_8.txt", ".chain.npy", ".lnprob.npy", ".derived.npy", ".paramnames", ".ranges"}},
		{[]string{"fit", "-data", "desi-dr2", "-sampler", "mh", "-steps", "2500", "-seed", "3"}, 1500,
			[]string{"_1.txt", "_4.txt", ".chain.npy", ".paramnames"}},
		{[]string{"fit", "-data", "desi-dr2", "-sampler", "nested", "-live", "60", "-seed", "3"}, 200,
			[]string{".txt", ".paramnames", ".ranges"}},
	} {
		dir := t.TempDir()
		whole, cut := filepath.Join(dir, "whole"), filepath.Join(dir, "cut")
		if code, _, stderr := runCLI(t, append(tc.args, "-out", whole)...); code != 0 {
			t.Fatal(stderr)
		}
		e, errb := interruptAt(tc.stopAt)
		code := exitCode(run(e, append(tc.args, "-out", cut)), errb)
		if code != exitInterrupted || !strings.Contains(errb.String(), "-resume") {
			t.Fatalf("%v interrupted: exit %d, %q", tc.args, code, errb)
		}
		if code, _, stderr := runCLI(t, append(tc.args, "-out", cut, "-resume")...); code != 0 {
			t.Fatalf("%v resumed: %s", tc.args, stderr)
		}
		for _, f := range tc.files {
			a, errA := os.ReadFile(whole + f)
			b, errB := os.ReadFile(cut + f)
			if errA != nil || errB != nil || !bytes.Equal(a, b) {
				t.Errorf("%v: %s differs after the resume (%v, %v)", tc.args, f, errA, errB)
			}
		}
	}
}

// TestNothingOverwrittenWithoutForce: a finished run is left byte for byte
// by a second run on its root without -force — of the same kind, another
// kind, or another command — and by a resume whose checkpoint was altered
// by one bit; with -force it is replaced.
func TestNothingOverwrittenWithoutForce(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a")
	ev := filepath.Join(dir, "ev")
	if code, _, stderr := runCLI(t, "fit", "-data", "desi-dr2", "-steps", "200", "-walkers", "8", "-out", a); code != 0 {
		t.Fatal(stderr)
	}
	if code, _, stderr := runCLI(t, "evidence", "-models", "lcdm", "-data", "desi-dr2", "-live", "40", "-out", ev); code != 0 {
		t.Fatal(stderr)
	}
	before := filesOf(t, dir)
	for _, args := range [][]string{
		{"fit", "-data", "desi-dr2", "-steps", "100", "-walkers", "8", "-out", a},
		{"fit", "-data", "desi-dr2", "-steps", "100", "-walkers", "8", "-out", a, "-seed", "9"},
		{"fit", "-data", "desi-dr2", "-sampler", "nested", "-live", "40", "-out", a},
		{"fit", "-data", "desi-dr2", "-sampler", "mh", "-steps", "100", "-out", a},
		{"sample", "-steps", "100", "-out", a},
		{"fit", "-data", "desi-dr2", "-sampler", "nested", "-live", "40", "-out", a + "_1"},
		{"fit", "-data", "desi-dr2", "-steps", "100", "-walkers", "8", "-out", ev + "_lcdm"},
		{"evidence", "-models", "lcdm", "-data", "desi-dr2", "-live", "40", "-out", ev},
		{"compare", "-data", "desi-dr2", "-steps", "100", "-out", a},
	} {
		if code, _, stderr := runCLI(t, args...); code == 0 || strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
			t.Errorf("cosmoemu %s: exit %d, %q", strings.Join(args, " "), code, stderr)
		}
		sameDir(t, strings.Join(args, " "), before, filesOf(t, dir))
	}
	// A checkpoint altered by one bit is refused on resume; nothing changes.
	ck := a + ".checkpoint"
	b, _ := os.ReadFile(ck)
	b[len(b)/2] ^= 4
	os.WriteFile(ck, b, 0o644)
	before = filesOf(t, dir)
	code, _, stderr := runCLI(t, "fit", "-data", "desi-dr2", "-steps", "300", "-walkers", "8", "-out", a, "-resume")
	if code == 0 || !strings.Contains(stderr, "checkpoint") {
		t.Errorf("resume of a flipped checkpoint: exit %d, %q", code, stderr)
	}
	sameDir(t, "resume of a flipped checkpoint", before, filesOf(t, dir))
	// With -force the run is replaced.
	if code, _, stderr := runCLI(t, "fit", "-data", "desi-dr2", "-steps", "100", "-walkers", "8", "-seed", "9", "-out", a, "-force"); code != 0 {
		t.Errorf("-force: %s", stderr)
	}
	if after := filesOf(t, dir); after["a_1.txt"] == before["a_1.txt"] {
		t.Error("-force did not replace the run")
	}
}

// TestJSONAlwaysValid: -json prints valid JSON (null for an undefined
// diagnostic) from fit, sample and compare, even after one step.
func TestJSONAlwaysValid(t *testing.T) {
	for _, args := range [][]string{
		{"fit", "-data", "desi-dr2", "-steps", "1", "-walkers", "8", "-json"},
		{"sample", "-steps", "1", "-walkers", "8", "-json"},
		{"compare", "-steps", "1", "-walkers", "8", "-json"},
		{"fit", "-data", "desi-dr2", "-sampler", "mh", "-steps", "1", "-json"},
	} {
		code, stdout, stderr := runCLI(t, args...)
		var v any
		if code != 0 || json.Unmarshal([]byte(stdout), &v) != nil {
			t.Errorf("cosmoemu %s: exit %d, %q, stdout %q", strings.Join(args, " "), code, stderr, stdout)
		}
	}
}

// TestNestedResumeNamesField: a nested -resume with changed settings
// names the setting that changed, not two whole fingerprints.
func TestNestedResumeNamesField(t *testing.T) {
	root := filepath.Join(t.TempDir(), "n")
	args := []string{"fit", "-data", "desi-dr2", "-sampler", "nested", "-live", "40", "-out", root}
	if code, _, stderr := runCLI(t, args...); code != 0 {
		t.Fatal(stderr)
	}
	code, _, stderr := runCLI(t, "fit", "-data", "desi-dr2", "-sampler", "nested", "-live", "50", "-out", root, "-resume")
	if code == 0 || !strings.Contains(stderr, "Live = 40, the settings 50") {
		t.Errorf("changed -live: exit %d, %q", code, stderr)
	}
	code, _, stderr = runCLI(t, "fit", "-data", "desi-dr2", "-prior", "Om=0.1:0.6", "-sampler", "nested", "-live", "40", "-out", root, "-resume")
	if code == 0 || !strings.Contains(stderr, "Om") || len(stderr) > 600 {
		t.Errorf("changed -prior: exit %d, %q", code, stderr)
	}
}
