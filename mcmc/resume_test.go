package mcmc

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cosmoemu/cosmoemu/chains"
	"github.com/cosmoemu/cosmoemu/internal/pool"
)

// runKind runs the ensemble or the MH sampler.
func runKind(ctx context.Context, mh bool, t Target, s Settings, rng *rand.Rand) (*Result, error) {
	if mh {
		return RunMH(ctx, t, &MHSettings{Settings: s, Chains: 4, Adapt: 40, AdaptEvery: 15}, rng)
	}
	return RunEnsemble(ctx, t, &EnsembleSettings{Settings: s, Walkers: 16, Groups: 4}, rng)
}

func resumeSettings(root string, steps int) Settings {
	s := ensembleSettings(steps).Settings
	s.Root = root
	s.FlushEvery = 3
	s.CheckpointEvery = 20
	s.CheckpointInterval = -1
	s.Names = []string{"a", "b"}
	return s
}

// readDir returns the contents of every file in dir by name.
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

func sameFiles(t *testing.T, want, got map[string][]byte) {
	t.Helper()
	if len(want) != len(got) {
		t.Errorf("%d files, want %d", len(got), len(want))
	}
	for name, w := range want {
		g, ok := got[name]
		switch {
		case !ok:
			t.Errorf("%s missing", name)
		case !bytes.Equal(w, g):
			t.Errorf("%s differs (%d bytes, want %d)", name, len(g), len(w))
		}
	}
}

const resumeSteps = 100

func reference(t *testing.T, mh bool) map[string][]byte {
	t.Helper()
	dir := t.TempDir()
	_, err := runKind(context.Background(), mh, Target{LogProb: gaussLogProb, LogPrior: priorPart}, resumeSettings(filepath.Join(dir, "r"), resumeSteps), rand.New(rand.NewPCG(42, 1)))
	if err != nil {
		t.Fatal(err)
	}
	return readDir(t, dir)
}

func TestDeterministicAcrossWorkers(t *testing.T) {
	for _, mh := range []bool{false, true} {
		ref := reference(t, mh) // GOMAXPROCS workers
		for _, workers := range []int{1, 4} {
			dir := t.TempDir()
			s := resumeSettings(filepath.Join(dir, "r"), resumeSteps)
			s.Workers = workers
			if _, err := runKind(context.Background(), mh, Target{LogProb: gaussLogProb, LogPrior: priorPart}, s, rand.New(rand.NewPCG(42, 1))); err != nil {
				t.Fatal(err)
			}
			sameFiles(t, ref, readDir(t, dir))
		}
	}
}

// TestAutomaticWorkers tests what Settings.Workers = 0 documents: a target
// whose rounds take less than pool.MinParallelRound stays on one goroutine, a
// slower one is spread over GOMAXPROCS goroutines, and neither changes the
// files from those of explicit worker counts.
func TestAutomaticWorkers(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	}
	// At least 20 µs a row whatever the processor: a round of 4 rows is
	// 80 µs, well above pool.MinParallelRound, while a round of the Gaussian is
	// well under 1 µs. The slow row sleeps rather than spins: a goroutine
	// that sleeps gives its processor to the pool's helper, so the two
	// evaluations of a parallel round overlap even when other processes
	// keep both cores busy (spinning, the check below failed 2 times in 15
	// under such load: the caller finished the round before the helper
	// ran).
	slow := func(x []float64) float64 {
		time.Sleep(20 * time.Microsecond)
		return gaussLogProb(x)
	}
	for _, tc := range []struct {
		name     string
		lp       LogProb
		parallel bool
	}{{"fast", gaussLogProb, false}, {"slow", slow, true}} {
		// The rule itself, on an evaluator of 4 rows and 2 goroutines.
		ev := newEvaluator(Target{LogProb: tc.lp}, 4, 2, 2, true)
		for range pool.ProbeRounds + 1 {
			for i := range 4 {
				copy(ev.row(i), []float64{0.1, float64(i)})
			}
			ev.eval()
		}
		ev.close()
		if ev.auto.Probing() || ev.auto.Serial() == tc.parallel {
			t.Errorf("%s target: after %d probe rounds (%d recorded) serial = %v, want %v", tc.name, pool.ProbeRounds, ev.auto.Probes(), ev.auto.Serial(), !tc.parallel)
		}
		for _, mh := range []bool{false, true} {
			// Through the samplers: count the evaluations in flight.
			var inFlight, most atomic.Int32
			lp := func(x []float64) float64 {
				n := inFlight.Add(1)
				for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
				}
				v := tc.lp(x)
				inFlight.Add(-1)
				return v
			}
			var files []map[string][]byte
			for _, workers := range []int{0, 1, 3} {
				dir := t.TempDir()
				s := resumeSettings(filepath.Join(dir, "r"), 60)
				s.Workers = workers
				if _, err := runKind(context.Background(), mh, Target{LogProb: lp, LogPrior: priorPart}, s, rand.New(rand.NewPCG(7, 1))); err != nil {
					t.Fatal(err)
				}
				files = append(files, readDir(t, dir))
				if workers == 0 {
					switch got := most.Load(); {
					case !tc.parallel && got != 1:
						t.Errorf("mh=%v, %s target, Workers = 0: %d evaluations at once, want 1", mh, tc.name, got)
					case tc.parallel && got < 2 && runtime.NumCPU() >= 2:
						t.Errorf("mh=%v, %s target, Workers = 0: never more than %d evaluation at once, want 2", mh, tc.name, got)
					}
				}
			}
			sameFiles(t, files[0], files[1])
			sameFiles(t, files[0], files[2])
		}
	}
}

// TestResumeAfterCancel stops runs through their context at several steps,
// damages the text chains as a crash mid-write would (more rows flushed
// after the checkpoint, then half a line), resumes and expects the files
// of an uninterrupted run byte for byte.
func TestResumeAfterCancel(t *testing.T) {
	for _, mh := range []bool{false, true} {
		ref := reference(t, mh)
		for _, stopAt := range []int{0, 1, 37, 60} {
			for _, damage := range []string{"none", "garbage", "future rows + half line"} {
				dir := t.TempDir()
				root := filepath.Join(dir, "r")
				tg := Target{LogProb: gaussLogProb, LogPrior: priorPart}
				ctx, cancel := context.WithCancel(context.Background())
				s := resumeSettings(root, resumeSteps)
				if stopAt == 0 {
					cancel()
				}
				s.Progress = func(p Progress) {
					if p.Step == stopAt {
						cancel()
					}
				}
				res, err := runKind(ctx, mh, tg, s, rand.New(rand.NewPCG(42, 1)))
				cancel()
				if !errors.Is(err, context.Canceled) || res == nil || res.Stop != StopCancelled || res.Chain.Steps() != stopAt {
					t.Fatalf("mh=%v stop at %d: err %v, result %+v", mh, stopAt, err, res)
				}
				files := 16
				if mh {
					files = 4
				}
				for g := 1; g <= files; g++ {
					name := chains.ChainFile(root, g)
					f, err := os.OpenFile(name, os.O_WRONLY|os.O_APPEND, 0)
					if err != nil {
						t.Fatal(err)
					}
					switch damage {
					case "garbage":
						f.WriteString("1 3.25 0.5 \x00\xff garbage")
					case "future rows + half line":
						fi, _ := f.Stat()
						full := ref[filepath.Base(name)]
						end := min(int(fi.Size())+200, len(full)-5)
						f.Write(full[fi.Size():end])
					}
					f.Close()
				}
				s.Progress = nil
				s.Resume = true
				s.Workers = 3 // the number of workers may change
				res, err = runKind(context.Background(), mh, tg, s, nil)
				if err != nil {
					t.Fatalf("mh=%v stop at %d, %s: resume: %v", mh, stopAt, damage, err)
				}
				if res.Chain.Steps() != resumeSteps {
					t.Errorf("resumed run has %d steps", res.Chain.Steps())
				}
				sameFiles(t, ref, readDir(t, dir))
			}
		}
	}
}

// TestResumeExtends resumes a finished run with more steps.
func TestResumeExtends(t *testing.T) {
	ref := reference(t, false)
	dir := t.TempDir()
	root := filepath.Join(dir, "r")
	tg := Target{LogProb: gaussLogProb, LogPrior: priorPart}
	if _, err := runKind(context.Background(), false, tg, resumeSettings(root, 45), rand.New(rand.NewPCG(42, 1))); err != nil {
		t.Fatal(err)
	}
	s := resumeSettings(root, resumeSteps)
	s.Resume = true
	if _, err := runKind(context.Background(), false, tg, s, nil); err != nil {
		t.Fatal(err)
	}
	sameFiles(t, ref, readDir(t, dir))
	// Resuming a finished run changes nothing.
	if _, err := runKind(context.Background(), false, tg, s, nil); err != nil {
		t.Fatal(err)
	}
	sameFiles(t, ref, readDir(t, dir))
}

func TestResumeRefused(t *testing.T) {
	dir := t.TempDir()
	root := filepath.Join(dir, "r")
	tg := Target{LogProb: gaussLogProb}
	if _, err := runKind(context.Background(), false, tg, resumeSettings(root, 30), rand.New(rand.NewPCG(1, 1))); err != nil {
		t.Fatal(err)
	}
	resume := func() Settings {
		s := resumeSettings(root, 60)
		s.Resume = true
		return s
	}
	check := func(name string, err error, msg string) {
		t.Helper()
		if err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("%s: got %v, want an error containing %q", name, err, msg)
		}
	}
	ctx := context.Background()
	_, err := RunEnsemble(ctx, tg, &EnsembleSettings{Settings: resume(), Walkers: 32, Groups: 4}, nil)
	check("walkers", err, "the checkpoint has 16 walkers, the settings 32")
	_, err = RunEnsemble(ctx, tg, &EnsembleSettings{Settings: resume(), Walkers: 16, Groups: 2}, nil)
	check("groups", err, "4 walker groups, the settings 2")
	_, err = RunEnsemble(ctx, tg, &EnsembleSettings{Settings: resume(), Walkers: 16, Groups: 4, Scale: 3}, nil)
	check("scale", err, "stretch scale 2, the settings 3")
	s := resume()
	s.Start = []float64{0, 0, 0}
	s.StartCov = nil
	s.Names = []string{"a", "b", "c"}
	_, err = runKind(ctx, false, Target{LogProb: func(x []float64) float64 { return 0 }}, s, nil)
	check("dimension", err, "the checkpoint has 2 parameters, the settings 3")
	s = resume()
	s.Names = []string{"a", "c"}
	_, err = runKind(ctx, false, tg, s, nil)
	check("names", err, "parameters [a b], the settings [a c]")
	_, err = runKind(ctx, true, tg, resume(), nil)
	check("sampler", err, "it holds a finished run of 30 steps (ensemble sampler), not a run of the metropolis-hastings sampler")
	s = resume()
	s.Steps = 20
	_, err = runKind(ctx, false, tg, s, nil)
	check("fewer steps", err, "already has 30 steps, more than Steps = 20")

	// A chain file shorter than the checkpoint says cannot be resumed.
	if err := os.Truncate(chains.ChainFile(root, 3), 10); err != nil {
		t.Fatal(err)
	}
	_, err = runKind(ctx, false, tg, resume(), nil)
	check("truncated chain", err, "r_3.txt has 10 bytes, fewer than")

	// No checkpoint at all.
	s = resume()
	s.Root = filepath.Join(dir, "missing")
	_, err = runKind(ctx, false, tg, s, nil)
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing checkpoint: got %v, want an error matching os.ErrNotExist", err)
	}
}

// slowGauss is gaussLogProb made slow enough that a run can be killed
// mid-way; its values are exactly those of gaussLogProb.
func slowGauss(x []float64) float64 {
	s := 0.0
	for i := range 3000 {
		s += math.Sin(float64(i) * x[0])
	}
	return gaussLogProb(x) + 0*s
}

const killSteps = 2000

func killSettings(root string) Settings {
	s := resumeSettings(root, killSteps)
	s.FlushEvery = 7
	s.CheckpointEvery = 100
	return s
}

// TestHelperKilled is the process that TestResumeAfterSIGKILL kills.
func TestHelperKilled(t *testing.T) {
	root := os.Getenv("MCMC_TEST_KILL_ROOT")
	if root == "" {
		t.Skip("helper process for TestResumeAfterSIGKILL")
	}
	runKind(context.Background(), false, Target{LogProb: slowGauss, LogPrior: priorPart}, killSettings(root), rand.New(rand.NewPCG(42, 1)))
}

// TestResumeAfterSIGKILL kills a sampling process with SIGKILL at an
// arbitrary moment after a few checkpoints, resumes the run in this
// process and compares every file with an uninterrupted run.
func TestResumeAfterSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a process")
	}
	refDir := t.TempDir()
	tg := Target{LogProb: gaussLogProb, LogPrior: priorPart}
	if _, err := runKind(context.Background(), false, tg, killSettings(filepath.Join(refDir, "r")), rand.New(rand.NewPCG(42, 1))); err != nil {
		t.Fatal(err)
	}

	dir := t.TempDir()
	root := filepath.Join(dir, "r")
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperKilled$")
	cmd.Env = append(os.Environ(), "MCMC_TEST_KILL_ROOT="+root)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	step := 0
	deadline := time.Now().Add(60 * time.Second)
	for step < 300 && time.Now().Before(deadline) {
		time.Sleep(2 * time.Millisecond)
		if cp, _, err := readKillCheckpoint(root); err == nil {
			step = cp.Step
		}
	}
	time.Sleep(time.Duration(rand.IntN(20)) * time.Millisecond)
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	cp, h, err := readKillCheckpoint(root)
	if err != nil {
		t.Fatal(err)
	}
	if cp.Step >= killSteps {
		t.Fatalf("the helper finished (%d steps) before it was killed", cp.Step)
	}
	var extra int64
	for _, f := range h.Files {
		fi, err := os.Stat(filepath.Join(dir, f.Name))
		if err != nil {
			t.Fatal(err)
		}
		if filepath.Ext(f.Name) == ".txt" {
			extra += fi.Size() - f.Size
		}
	}
	t.Logf("killed after the checkpoint at step %d, with %d bytes written after it", cp.Step, extra)

	s := killSettings(root)
	s.Resume = true
	if _, err := runKind(context.Background(), false, tg, s, nil); err != nil {
		t.Fatal(err)
	}
	// A kill in the middle of an atomic write leaves its temporary file
	// (.NAME.tmp-DIGITS): litter, never read, removed by a later write
	// once it is older than atomicfile.StaleAge, which a fresh one is not.
	got := readDir(t, dir)
	for name := range got {
		if i := strings.Index(name, ".tmp-"); strings.HasPrefix(name, ".") && i > 0 && strings.Trim(name[i+5:], "0123456789") == "" {
			t.Logf("left by the kill: %s", name)
			delete(got, name)
		}
	}
	sameFiles(t, readDir(t, refDir), got)
}

// readKillCheckpoint reads the checkpoint of a run being killed.
func readKillCheckpoint(root string) (*checkpoint, *chains.Header, error) {
	b, err := os.ReadFile(root + chains.CheckpointSuffix)
	if err != nil {
		return nil, nil, err
	}
	h, st, err := chains.DecodeCheckpoint(b)
	if err != nil {
		return nil, nil, err
	}
	var cp checkpoint
	return &cp, h, json.Unmarshal(st, &cp)
}
