package nested

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cosmoemu/cosmoemu/chains"
)

// sameResult fails unless a and b are equal bit for bit.
func sameResult(t *testing.T, what string, a, b *Result) {
	t.Helper()
	bits := func(x float64) uint64 { return math.Float64bits(x) }
	switch {
	case bits(a.LogZ) != bits(b.LogZ), bits(a.LogZErr) != bits(b.LogZErr),
		bits(a.Information) != bits(b.Information), bits(a.ESS) != bits(b.ESS),
		bits(a.LogPriorFraction) != bits(b.LogPriorFraction):
		t.Errorf("%s: ln Z %v ± %v (H %v, ESS %v) vs %v ± %v (H %v, ESS %v)", what, a.LogZ, a.LogZErr, a.Information, a.ESS, b.LogZ, b.LogZErr, b.Information, b.ESS)
	case a.Calls != b.Calls, a.Iterations != b.Iterations, a.Stop != b.Stop, a.Live != b.Live:
		t.Errorf("%s: %d calls, %d iterations, %q vs %d, %d, %q", what, a.Calls, a.Iterations, a.Stop, b.Calls, b.Iterations, b.Stop)
	}
	same := func(x, y []float64) bool {
		if len(x) != len(y) {
			return false
		}
		for i := range x {
			if bits(x[i]) != bits(y[i]) {
				return false
			}
		}
		return true
	}
	if !same(a.Samples.RawMatrix().Data, b.Samples.RawMatrix().Data) || !same(a.LogL, b.LogL) || !same(a.LogWeights, b.LogWeights) {
		t.Errorf("%s: samples, ln L or weights differ", what)
	}
}

// readDir returns the contents of the files in dir by name.
func readDir(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := make(map[string][]byte)
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = b
	}
	return out
}

func sameFiles(t *testing.T, what string, want, got map[string][]byte) {
	t.Helper()
	if len(want) != len(got) {
		t.Errorf("%s: %d files, want %d", what, len(got), len(want))
	}
	for name, w := range want {
		switch g, ok := got[name]; {
		case !ok:
			t.Errorf("%s: %s missing", what, name)
		case !bytes.Equal(w, g):
			t.Errorf("%s: %s differs (%d bytes, want %d)", what, name, len(g), len(w))
		}
	}
}

// runCase is a problem and settings for the reproducibility tests: banana2d
// with several ellipsoids (uniform), gauss2d by slice sampling, and shells
// under Auto with Repeats = 1, which switches to slice sampling mid-run
// and back.
type runCase struct {
	name string
	tg   target
	s    Settings
}

func runCases() []runCase {
	return []runCase{
		{"uniform", banana(2, 100), Settings{Live: 100}},
		{"slice", correlatedGaussian(2, 60), Settings{Live: 60, Sampler: Slice}},
		{"auto-switch", shells(100), Settings{Live: 100, Repeats: 1}},
	}
}

// runWith runs the case in dir with the given workers and writes its
// GetDist files there.
func (c runCase) runWith(t *testing.T, dir string, workers int) *Result {
	t.Helper()
	s := c.s
	s.Workers = workers
	s.Root = filepath.Join(dir, "run")
	s.Fingerprint = c.name
	res, err := Run(context.Background(), c.tg.prob, &s, rand.New(rand.NewPCG(11, 12)))
	if err != nil {
		t.Fatal(err)
	}
	if err := res.WriteGetDist(filepath.Join(dir, "out"), []string{"a", "b"}, nil); err != nil {
		t.Fatal(err)
	}
	return res
}

// TestReproducible: the same seed gives bit-identical results and files
// with 1, 2 and 3 workers (and the automatic choice).
func TestReproducible(t *testing.T) {
	for _, c := range runCases() {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			ref := c.runWith(t, dir, 1)
			refFiles := readDir(t, dir)
			for _, w := range []int{2, 3, 0} {
				dir := t.TempDir()
				res := c.runWith(t, dir, w)
				sameResult(t, c.name, ref, res)
				sameFiles(t, c.name, refFiles, readDir(t, dir))
			}
			if c.name == "auto-switch" {
				s := c.s
				// Uniform, then slice once uniform draws get too costly,
				// then uniform again once the bound fits the shells well.
				sliced, back := 0, 0
				s.Progress = func(p Progress) {
					switch {
					case p.Sampler == Slice:
						sliced++
					case sliced > 0:
						back++
					}
				}
				if _, err := Run(context.Background(), c.tg.prob, &s, rand.New(rand.NewPCG(11, 12))); err != nil {
					t.Fatal(err)
				}
				if sliced == 0 {
					t.Error("Auto with Repeats = 1 never switched to slice sampling: the test does not cover the switch")
				}
				if back == 0 {
					t.Error("Auto never went back from slice to uniform sampling: the test does not cover the way back")
				}
			}
		})
	}
}

// TestResume interrupts runs by cancelling the context (twice), and by
// restoring an old checkpoint as a kill would leave it, and checks that
// the resumed runs give the uninterrupted run's bytes.
func TestResume(t *testing.T) {
	for _, c := range runCases() {
		t.Run(c.name, func(t *testing.T) {
			refDir := t.TempDir()
			s := c.s
			s.Root = filepath.Join(refDir, "run")
			s.Fingerprint = c.name
			s.CheckpointEvery = 30
			s.CheckpointInterval = -1
			// A kill leaves the last checkpoint written: keep the one
			// of about a third of the way.
			var snapshot []byte
			s.Progress = func(p Progress) {
				if snapshot == nil && p.Iteration > 150 {
					b, err := os.ReadFile(checkpointPath(s.Root))
					if err != nil {
						t.Error(err)
					}
					snapshot = b
				}
			}
			ref, err := Run(context.Background(), c.tg.prob, &s, rand.New(rand.NewPCG(21, 22)))
			if err != nil {
				t.Fatal(err)
			}
			if err := ref.WriteGetDist(filepath.Join(refDir, "out"), []string{"a", "b"}, nil); err != nil {
				t.Fatal(err)
			}
			refFiles := readDir(t, refDir)

			// Cancel at two points, resuming each time.
			dir := t.TempDir()
			s.Root = filepath.Join(dir, "run")
			stops := []int{ref.Iterations / 4, ref.Iterations / 2}
			var res *Result
			for k := 0; ; k++ {
				ctx, cancel := context.WithCancel(context.Background())
				s.Progress = func(p Progress) {
					if k < len(stops) && p.Iteration >= stops[k] {
						cancel()
					}
				}
				s.Resume = k > 0
				res, err = Run(ctx, c.tg.prob, &s, rand.New(rand.NewPCG(21, 22)))
				cancel()
				if k < len(stops) {
					if !errors.Is(err, context.Canceled) || res == nil || res.Stop != StopCancelled {
						t.Fatalf("cancelled run: err %v, result %v", err, res)
					}
					continue
				}
				if err != nil {
					t.Fatal(err)
				}
				break
			}
			sameResult(t, "cancelled and resumed", ref, res)
			if err := res.WriteGetDist(filepath.Join(dir, "out"), []string{"a", "b"}, nil); err != nil {
				t.Fatal(err)
			}
			sameFiles(t, "cancelled and resumed", refFiles, readDir(t, dir))

			// Resume from the old checkpoint a kill would have left.
			if snapshot == nil {
				t.Fatal("no checkpoint snapshot")
			}
			dir = t.TempDir()
			s.Root = filepath.Join(dir, "run")
			if err := os.WriteFile(checkpointPath(s.Root), snapshot, 0o644); err != nil {
				t.Fatal(err)
			}
			s.Resume, s.Progress = true, nil
			res, err = Run(context.Background(), c.tg.prob, &s, nil)
			if err != nil {
				t.Fatal(err)
			}
			sameResult(t, "killed and resumed", ref, res)

			// Resuming a finished run returns it again.
			res, err = Run(context.Background(), c.tg.prob, &s, nil)
			if err != nil {
				t.Fatal(err)
			}
			sameResult(t, "finished and resumed", ref, res)
		})
	}
}

// TestResumeRefused: a checkpoint of another problem or other settings,
// or no checkpoint, is refused with an error that says why.
func TestResumeRefused(t *testing.T) {
	tg := correlatedGaussian(2, 50)
	root := filepath.Join(t.TempDir(), "run")
	base := Settings{Live: 50, Root: root, Fingerprint: "data-v1", MaxCalls: 300}
	if _, err := Run(context.Background(), tg.prob, &base, rand.New(rand.NewPCG(1, 1))); err != nil {
		t.Fatal(err)
	}
	resume := func(p Problem, s Settings) error {
		s.Resume = true
		_, err := Run(context.Background(), p, &s, nil)
		return err
	}
	// Stopping rules may change: this continues the run.
	more := base
	more.MaxCalls = 600
	if err := resume(tg.prob, more); err != nil {
		t.Errorf("resume with a larger MaxCalls: %v", err)
	}
	for _, c := range []struct {
		name string
		p    Problem
		edit func(*Settings)
		want string
	}{
		{"fingerprint", tg.prob, func(s *Settings) { s.Fingerprint = "data-v2" }, "fingerprint"},
		{"live", tg.prob, func(s *Settings) { s.Live = 60 }, "Live = 50, the settings 60"},
		{"sampler", tg.prob, func(s *Settings) { s.Sampler = Slice }, "Sampler"},
		{"enlarge", tg.prob, func(s *Settings) { s.Enlarge = 2 }, "Enlarge"},
		{"batch", tg.prob, func(s *Settings) { s.Batch = 7 }, "Batch"},
		{"update", tg.prob, func(s *Settings) { s.UpdateEvery = 3 }, "UpdateEvery"},
		{"repeats", tg.prob, func(s *Settings) { s.Repeats = 3 }, "Repeats"},
		{"dim", correlatedGaussian(3, 50).prob, func(*Settings) {}, "parameters"},
	} {
		s := base
		c.edit(&s)
		err := resume(c.p, s)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one mentioning %q", c.name, err, c.want)
		}
		// UpdateEvery derived from Live (Live/5) is not a second difference.
		if c.name == "live" && strings.Contains(err.Error(), "UpdateEvery") {
			t.Errorf("live: error %v names the UpdateEvery that follows from Live", err)
		}
	}
	s := base
	s.Root = filepath.Join(t.TempDir(), "none")
	if err := resume(tg.prob, s); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing checkpoint: error %v, want os.ErrNotExist", err)
	}
}

// smallCheckpoint returns the checkpoint of a short run: 2-D, 8 live points.
func smallCheckpoint(t testing.TB) []byte {
	t.Helper()
	root := filepath.Join(t.TempDir(), "run")
	tg := correlatedGaussian(2, 8)
	s := Settings{Live: 8, Batch: 4, UpdateEvery: 2, Root: root, MaxCalls: 60}
	if _, err := Run(context.Background(), tg.prob, &s, rand.New(rand.NewPCG(1, 1))); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(checkpointPath(root))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// withChecksum wraps a state payload in a checkpoint envelope with a valid
// checksum, so that the checks behind the checksum are tested.
func withChecksum(payload []byte) []byte {
	b, err := chains.EncodeCheckpoint(&chains.Header{Kind: kind, Status: "a test run"}, json.RawMessage(payload))
	if err != nil {
		panic(err)
	}
	return b
}

// statePayload returns the state inside a checkpoint.
func statePayload(t testing.TB, b []byte) []byte {
	t.Helper()
	_, st, err := chains.DecodeCheckpoint(b)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// TestCheckpointCorrupt: truncated, edited and inconsistent checkpoints
// are refused with a clear error.
func TestCheckpointCorrupt(t *testing.T) {
	good := smallCheckpoint(t)
	if _, _, err := parseCheckpoint(good); err != nil {
		t.Fatalf("good checkpoint refused: %v", err)
	}
	payload := statePayload(t, good)
	flipped := bytes.Clone(good)
	flipped[len(good)/2] ^= 1
	for _, c := range []struct {
		name string
		b    []byte
		want string
	}{
		{"empty", nil, "truncated"},
		{"truncated", good[:len(good)/2], "truncated"},
		{"no checksum", payload, "truncated"},
		{"short checksum", good[:len(good)-5], "checksum"},
		{"edited", flipped, "checksum mismatch"},
		{"not json", withChecksum([]byte(`"hello"`)), "not a nested-sampling checkpoint"},
		{"format", withChecksum(bytes.Replace(payload, []byte(checkpointFormat), []byte("other/1"), 1)), "format"},
		{"live", withChecksum(bytes.Replace(payload, []byte(`"live":8`), []byte(`"live":9`), 1)), "live points"},
		{"dim", withChecksum(bytes.Replace(payload, []byte(`"dim":2`), []byte(`"dim":0`), 1)), "dimension"},
		{"iterations", withChecksum(bytes.Replace(payload, []byte(`"iterations":`), []byte(`"iterations":1`), 1)), "iterations"},
		{"scale", withChecksum(bytes.Replace(payload, []byte(`"slice_scale":1`), []byte(`"slice_scale":-1`), 1)), "slice scale"},
	} {
		_, _, err := parseCheckpoint(c.b)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one mentioning %q", c.name, err, c.want)
		}
		// UpdateEvery derived from Live (Live/5) is not a second difference.
		if c.name == "live" && strings.Contains(err.Error(), "UpdateEvery") {
			t.Errorf("live: error %v names the UpdateEvery that follows from Live", err)
		}
	}
	// Through Run: the file is named in the error.
	root := filepath.Join(t.TempDir(), "run")
	if err := os.WriteFile(checkpointPath(root), good[:len(good)/3], 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Run(context.Background(), correlatedGaussian(2, 8).prob, &Settings{Live: 8, Batch: 4, UpdateEvery: 2, Root: root, Resume: true}, nil)
	if err == nil || !strings.Contains(err.Error(), checkpointPath(root)) {
		t.Errorf("truncated checkpoint through Run: error %v, want one naming the file", err)
	}
}

// FuzzCheckpoint feeds corrupted checkpoints to the parser and corrupted
// states to the state decoder and, when one decodes, resumes a run from
// it: none may panic.
func FuzzCheckpoint(f *testing.F) {
	good := smallCheckpoint(f)
	payload := statePayload(f, good)
	f.Add(good)
	f.Add(payload)
	f.Add(good[:len(good)/2])
	f.Add([]byte(`{"format":"` + checkpointFormat + `","dim":1,"live":2}`))
	f.Add(bytes.Replace(payload, []byte(`"ellipsoids":`), []byte(`"ellipsoids":[{"c":"","t":"","logv":1}],"x":`), 1))
	f.Fuzz(func(t *testing.T, b []byte) {
		if _, _, err := parseCheckpoint(b); err == nil && !bytes.Equal(b, good) {
			// Only the seed itself can carry a valid checksum.
			t.Logf("accepted a modified checkpoint")
		}
		if cp, err := decodeCheckpoint(b); err == nil {
			fuzzResume(t, b, cp)
		}
	})
}

// fuzzResume resumes a short run from the decoded checkpoint payload b.
func fuzzResume(t *testing.T, b []byte, cp *checkpoint) {
	if cp.Dim > 4 || cp.Live > 64 || cp.Batch > 64 || cp.Repeats > 20 || cp.UpdateEvery > 64 {
		return
	}
	root := filepath.Join(t.TempDir(), "run")
	if err := os.WriteFile(checkpointPath(root), withChecksum(b), 0o644); err != nil {
		t.Fatal(err)
	}
	s := Settings{Live: cp.Live, Sampler: cp.Sampler, Enlarge: cp.Enlarge, UpdateEvery: cp.UpdateEvery,
		Batch: cp.Batch, Repeats: cp.Repeats, Root: root, Resume: true,
		MaxCalls: cp.Calls + 200, Workers: 1}
	Run(context.Background(), correlatedGaussian(cp.Dim, cp.Live).prob, &s, nil)
}

// TestResumeNamesChangedField: a fingerprint of KEY=VALUE lines (as fit
// writes it) that changed is refused naming the field, with every other
// difference in the same error.
func TestResumeNamesChangedField(t *testing.T) {
	tg := correlatedGaussian(2, 50)
	root := filepath.Join(t.TempDir(), "run")
	base := Settings{Live: 50, Root: root, Fingerprint: "model=lcdm\ndata desi-dr2=ab12\nseed=1\n", MaxCalls: 300}
	if _, err := Run(context.Background(), tg.prob, &base, rand.New(rand.NewPCG(1, 1))); err != nil {
		t.Fatal(err)
	}
	s := base
	s.Resume, s.Live = true, 60
	s.Fingerprint = "model=lcdm\ndata desi-dr2=ffff\nseed=1\n"
	_, err := Run(context.Background(), tg.prob, &s, nil)
	if err == nil || !strings.Contains(err.Error(), `data desi-dr2 was "ab12", now "ffff"`) || !strings.Contains(err.Error(), "Live = 50, the settings 60") || strings.Contains(err.Error(), "model") {
		t.Errorf("error %v, want one naming the changed data set and Live only", err)
	}
}
