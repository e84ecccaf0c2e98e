package nested

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBadInput: bad problems and settings give one clear error naming the
// problem, never a panic.
func TestBadInput(t *testing.T) {
	good := correlatedGaussian(2, 50).prob
	nan := math.NaN()
	for _, c := range []struct {
		name string
		p    Problem
		s    *Settings
		want string
	}{
		{"dim", Problem{Dim: 0, Transform: good.Transform, LogLike: good.LogLike}, nil, "Dim = 0"},
		{"transform", Problem{Dim: 2, LogLike: good.LogLike}, nil, "Transform is nil"},
		{"loglike", Problem{Dim: 2, Transform: good.Transform}, nil, "LogLike is nil"},
		{"live", good, &Settings{Live: 2}, "Live = 2"},
		{"dlogz<0", good, &Settings{DLogZ: -1}, "DLogZ = -1"},
		{"dlogz nan", good, &Settings{DLogZ: nan}, "DLogZ = NaN"},
		{"dlogz inf", good, &Settings{DLogZ: math.Inf(1)}, "DLogZ = +Inf"},
		{"maxcalls", good, &Settings{MaxCalls: -1}, "MaxCalls = -1"},
		{"sampler", good, &Settings{Sampler: "metropolis"}, `Sampler "metropolis"`},
		{"enlarge", good, &Settings{Enlarge: 0.5}, "Enlarge = 0.5"},
		{"enlarge nan", good, &Settings{Enlarge: nan}, "Enlarge = NaN"},
		{"update", good, &Settings{UpdateEvery: -1}, "UpdateEvery = -1"},
		{"batch", good, &Settings{Batch: -2}, "Batch = -2"},
		{"batch big", good, &Settings{Batch: 1 << 20}, "Batch = 1048576"},
		{"live big", good, &Settings{Live: 1 << 30}, "Live = 1073741824"},
		{"repeats", good, &Settings{Repeats: -3}, "Repeats = -3"},
		{"workers", good, &Settings{Workers: -1}, "Workers = -1"},
		{"checkpoint", good, &Settings{CheckpointEvery: -1}, "CheckpointEvery = -1"},
		{"resume", good, &Settings{Resume: true}, "Resume needs Root"},
	} {
		res, err := Run(context.Background(), c.p, c.s, rand.New(rand.NewPCG(1, 1)))
		if err == nil || res != nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error mentioning %q", c.name, err, c.want)
		}
	}
	if _, err := Run(context.Background(), good, nil, nil); err == nil || !strings.Contains(err.Error(), "nil random source") {
		t.Errorf("nil rng: %v", err)
	}
}

// TestBadFunctions: a transform giving non-finite θ and a likelihood giving
// NaN or +Inf stop the run with an error naming the values, whether at
// the first live points or later, by either sampler.
func TestBadFunctions(t *testing.T) {
	box := boxTransform(-10, 10)
	for _, c := range []struct {
		name string
		p    Problem
		want string
	}{
		{"transform", Problem{Dim: 2, Transform: func(dst, u []float64) {
			box(dst, u)
			if u[0] > 0.9 {
				dst[1] = math.Inf(-1)
			}
		}, LogLike: func([]float64) float64 { return 0 }}, "Transform returned θ[1] = -Inf"},
		{"nan at start", Problem{Dim: 2, Transform: box, LogLike: func([]float64) float64 { return math.NaN() }}, "LogLike returned NaN"},
		{"+inf later", Problem{Dim: 2, Transform: box, LogLike: func(th []float64) float64 {
			r2 := th[0]*th[0] + th[1]*th[1]
			if r2 < 1e-2 {
				return math.Inf(1)
			}
			return -r2 / 2
		}}, "LogLike returned +Inf"},
		{"nan later", Problem{Dim: 2, Transform: box, LogLike: func(th []float64) float64 {
			r2 := th[0]*th[0] + th[1]*th[1]
			if r2 < 1e-2 {
				return math.NaN()
			}
			return -r2 / 2
		}}, "LogLike returned NaN"},
		{"zero everywhere", Problem{Dim: 2, Transform: box, LogLike: func([]float64) float64 { return math.Inf(-1) }}, "only 0 of"},
	} {
		for _, smp := range []Sampler{Uniform, Slice} {
			res, err := Run(context.Background(), c.p, &Settings{Live: 50, Sampler: smp}, rand.New(rand.NewPCG(1, 1)))
			if err == nil || res != nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s, %s: %v, want an error mentioning %q", c.name, smp, err, c.want)
			}
		}
	}
}

// TestMaxCalls: the run stops after MaxCalls calls (exactly, for uniform
// sampling) and still returns a usable result.
func TestMaxCalls(t *testing.T) {
	tg := correlatedGaussian(2, 100)
	res, err := Run(context.Background(), tg.prob, &Settings{Live: 100, MaxCalls: 500}, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	if res.Stop != StopMaxCalls || res.Calls != 500 {
		t.Errorf("stop %q after %d calls, want %q after 500", res.Stop, res.Calls, StopMaxCalls)
	}
	if math.IsNaN(res.LogZ) || math.IsInf(res.LogZ, 0) || len(res.LogL) != res.Iterations+100 {
		t.Errorf("ln Z = %v with %d samples", res.LogZ, len(res.LogL))
	}
	if _, err := Run(context.Background(), tg.prob, &Settings{Live: 100, MaxCalls: 50}, rand.New(rand.NewPCG(1, 1))); err == nil || !strings.Contains(err.Error(), "MaxCalls") {
		t.Errorf("MaxCalls below Live: %v", err)
	}
}

// TestCancelBeforeStart: a cancelled context stops the run before any
// batch, with the context's error.
func TestCancelBeforeStart(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	tg := correlatedGaussian(2, 50)
	res, err := Run(ctx, tg.prob, &Settings{Live: 50}, rand.New(rand.NewPCG(1, 1)))
	if !errors.Is(err, context.Canceled) || res != nil {
		t.Errorf("got %v, %v; want nil, context.Canceled", res, err)
	}
}

// TestNotRegularFile: output is never written over a directory.
func TestNotRegularFile(t *testing.T) {
	dir := t.TempDir()
	root := filepath.Join(dir, "run")
	if err := os.Mkdir(checkpointPath(root), 0o755); err != nil {
		t.Fatal(err)
	}
	tg := correlatedGaussian(2, 50)
	_, err := Run(context.Background(), tg.prob, &Settings{Live: 50, Root: root}, rand.New(rand.NewPCG(1, 1)))
	if err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("checkpoint over a directory: %v", err)
	}
	res, err := Run(context.Background(), tg.prob, &Settings{Live: 50}, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(root+".txt", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := res.WriteGetDist(root, []string{"a", "b"}, nil); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("chain over a directory: %v", err)
	}
}
