package nested

import (
	"bufio"
	"context"
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/cosmoemu/cosmoemu/internal/numpytest"
)

func writeTestRun(t *testing.T) (*Result, string) {
	t.Helper()
	tg := correlatedGaussian(2, 100)
	res, err := Run(context.Background(), tg.prob, &Settings{Live: 100}, rand.New(rand.NewPCG(4, 4)))
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(t.TempDir(), "chains", "g")
	if err := os.MkdirAll(filepath.Dir(root), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := res.WriteGetDist(root, []string{"x1", "x2"}, []string{`x_1`, `\theta_2`}); err != nil {
		t.Fatal(err)
	}
	return res, root
}

// TestWriteGetDist reads the text chain back: one row per sample with the
// weight, −ln L and θ, exactly as in the Result.
func TestWriteGetDist(t *testing.T) {
	res, root := writeTestRun(t)
	f, err := os.Open(root + ".txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	w := res.Weights()
	i := 0
	for ; sc.Scan(); i++ {
		fields := strings.Fields(sc.Text())
		if len(fields) != 4 {
			t.Fatalf("row %d has %d columns, want 4", i+1, len(fields))
		}
		want := []float64{w[i], -res.LogL[i], res.Samples.At(i, 0), res.Samples.At(i, 1)}
		for j, s := range fields {
			v, err := strconv.ParseFloat(s, 64)
			if err != nil || v != want[j] {
				t.Fatalf("row %d column %d = %q, want %v", i+1, j+1, s, want[j])
			}
		}
	}
	if i != len(res.LogL) {
		t.Errorf("%d rows, want %d", i, len(res.LogL))
	}
	names, err := os.ReadFile(root + ".paramnames")
	if err != nil {
		t.Fatal(err)
	}
	if string(names) != "x1\tx_1\nx2\t\\theta_2\n" {
		t.Errorf(".paramnames = %q", names)
	}
	b, err := os.ReadFile(root + ".evidence.json")
	if err != nil {
		t.Fatal(err)
	}
	var ev Evidence
	if err := json.Unmarshal(b, &ev); err != nil {
		t.Fatal(err)
	}
	if ev.LogZ != res.LogZ || ev.LogZErr != res.LogZErr || ev.Samples != len(res.LogL) || ev.Stop != StopConverged {
		t.Errorf("evidence.json = %+v", ev)
	}
	for _, bad := range [][]string{{"x1"}, {"x 1", "x2"}, {"", "x2"}} {
		if err := res.WriteGetDist(root, bad, nil); err == nil {
			t.Errorf("names %q accepted", bad)
		}
	}
}

// TestNumpyLoad loads the .npy files with numpy as docs/nested.md shows
// and checks the weighted mean and ln Z against the Result.
func TestNumpyLoad(t *testing.T) {
	res, root := writeTestRun(t)
	out := numpytest.Run(t, `
import json, sys
import numpy as np
root = sys.argv[1]
x = np.load(root + ".samples.npy")
w = np.load(root + ".weights.npy")
logl = np.load(root + ".logl.npy")
ev = json.load(open(root + ".evidence.json"))
chain = np.loadtxt(root + ".txt")
assert x.shape == (len(w), 2) and logl.shape == w.shape and chain.shape == (len(w), 4)
assert np.array_equal(chain[:, 0], w) and np.array_equal(chain[:, 2:], x) and np.array_equal(-chain[:, 1], logl)
print(repr(np.average(x[:, 0], weights=w)), repr(w.sum()), repr(ev["logz"]))
`, root)
	f := strings.Fields(string(out))
	if len(f) != 3 {
		t.Fatalf("python printed %q", out)
	}
	mean, _ := strconv.ParseFloat(f[0], 64)
	sum, _ := strconv.ParseFloat(f[1], 64)
	logz, _ := strconv.ParseFloat(f[2], 64)
	if want := res.Mean(nil)[0]; math.Abs(mean-want) > 1e-12 {
		t.Errorf("numpy weighted mean %v, Go %v", mean, want)
	}
	if math.Abs(sum-1) > 1e-12 || logz != res.LogZ {
		t.Errorf("numpy: Σw = %v, ln Z = %v (Go %v)", sum, logz, res.LogZ)
	}
}
