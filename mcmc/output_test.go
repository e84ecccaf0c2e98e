package mcmc

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"codeberg.org/sbinet/npyio"
	"gonum.org/v1/gonum/mat"

	"github.com/cosmoemu/cosmoemu/chains"
)

// priorPart is a stand-in for the ln-prior part of gaussLogProb.
func priorPart(x []float64) float64 { return -0.01 * x[0] * x[0] }

func readNpy(t *testing.T, path string) ([]int, []float64) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := npyio.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var data []float64
	if err := r.Read(&data); err != nil {
		t.Fatal(err)
	}
	return r.Header.Descr.Shape, data
}

func TestOutputFiles(t *testing.T) {
	dir := t.TempDir()
	root := filepath.Join(dir, "run")
	// Stale files of an earlier run with more chains must go.
	for _, name := range []string{"run_40.txt", "run_41.txt", "run.checkpoint"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("stale"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s := ensembleSettings(120)
	s.Root = root
	s.Names = []string{"Om0", "H0"}
	s.Labels = []string{`\Omega_{m0}`, `H_0`}
	s.FlushEvery = 7
	s.CheckpointEvery = 50
	s.Ranges = [][2]float64{{0.01, 0.99}, {math.Inf(-1), math.Inf(1)}}
	s.Overwrite = true // the stale checkpoint looks like a run
	res, err := RunEnsemble(context.Background(), Target{LogProb: gaussLogProb, LogPrior: priorPart}, s, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	c := res.Chain

	pn, err := os.ReadFile(root + ".paramnames")
	if err != nil || string(pn) != "Om0\t\\Omega_{m0}\nH0\tH_0\n" {
		t.Errorf(".paramnames = %q, %v", pn, err)
	}
	rg, err := os.ReadFile(root + ".ranges")
	if err != nil || string(rg) != "Om0\t0.01\t0.99\nH0\tN\tN\n" {
		t.Errorf(".ranges = %q, %v", rg, err)
	}

	// Text chains: one per walker, one row per step.
	for w := range 32 {
		f, err := os.Open(chains.ChainFile(root, w+1))
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		step := 0
		for sc.Scan() {
			fields := strings.Fields(sc.Text())
			if len(fields) != 4 || fields[0] != "1" {
				t.Fatalf("walker %d row %d: %q, want 4 columns with weight 1", w, step, sc.Text())
			}
			x := c.At(step, w)
			v := make([]float64, 3)
			for i := range v {
				v[i], err = strconv.ParseFloat(fields[i+1], 64)
				if err != nil {
					t.Fatal(err)
				}
			}
			wantLike := priorPart(x) - c.LnP[step*c.Walkers+w]
			if v[0] != wantLike || v[1] != x[0] || v[2] != x[1] {
				t.Fatalf("walker %d row %d: %v, want −ln L %v and position %v exactly", w, step, v, wantLike, x)
			}
			step++
		}
		f.Close()
		if step != 120 {
			t.Errorf("walker %d has %d rows, want 120", w, step)
		}
	}
	for _, name := range []string{"run_33.txt", "run_5.txt", "run_6.txt"} {
		if name == "run_33.txt" {
			if _, err := os.Stat(filepath.Join(dir, name)); !os.IsNotExist(err) {
				t.Errorf("%s written for 32 walkers", name)
			}
		}
	}
	props, err := os.ReadFile(root + ".properties.ini")
	if want := fmt.Sprintf("sampler = mcmc\nignore_rows = %d\n", res.Summary.Burn); err != nil || string(props) != want {
		t.Errorf(".properties.ini = %q (%v), want %q", props, err, want)
	}
	shape, x := readNpy(t, root+".chain.npy")
	if len(shape) != 3 || shape[0] != 120 || shape[1] != 32 || shape[2] != 2 || !slices.Equal(x, c.X) {
		t.Errorf("chain.npy shape %v, equal to the chain: %v", shape, slices.Equal(x, c.X))
	}
	shape, lnp := readNpy(t, root+".lnprob.npy")
	if len(shape) != 2 || shape[0] != 120 || shape[1] != 32 || !slices.Equal(lnp, c.LnP) {
		t.Errorf("lnprob.npy shape %v, equal to the chain: %v", shape, slices.Equal(lnp, c.LnP))
	}

	js, err := os.ReadFile(root + ".summary.json")
	if err != nil {
		t.Fatal(err)
	}
	var sum map[string]any
	if err := json.Unmarshal(js, &sum); err != nil {
		t.Fatal(err)
	}
	if sum["steps"] != 120.0 || sum["walkers"] != 32.0 || sum["getdist_ignore_rows"] != float64(res.Summary.IgnoreRows) || sum["sampler"] != "ensemble" {
		t.Errorf("summary.json: %s", js)
	}
	params := sum["params"].([]any)
	if p := params[1].(map[string]any); p["name"] != "H0" || p["mean"] != res.Summary.Params[1].Mean {
		t.Errorf("summary.json H0 entry %v", p)
	}
	if res.Summary.IgnoreRows != res.Summary.Burn {
		t.Errorf("ignore_rows %d for burn-in %d and one walker per file", res.Summary.IgnoreRows, res.Summary.Burn)
	}
	txt, err := os.ReadFile(root + ".summary.txt")
	if err != nil || !bytes.Contains(txt, []byte("Om0")) || !bytes.Contains(txt, []byte("ignore_rows")) {
		t.Errorf("summary.txt: %s (%v)", txt, err)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
}

func TestSummaryJSONNonFinite(t *testing.T) {
	s := &Summary{RMinus1: math.NaN(), Params: []ParamSummary{{Name: "a", Tau: math.Inf(1)}}}
	js, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(js, []byte(`"r_minus_1":null`)) || !bytes.Contains(js, []byte(`"tau":null`)) {
		t.Errorf("non-finite values not null: %s", js)
	}
}

// derivedTarget is the Gaussian with two derived parameters, x1+x2 and
// x1·x2, handed out by the evaluation as Target.Derived does.
var derivedTarget = Target{LogPrior: priorPart, LogProb: gaussLogProb, Derived: func(x, d []float64) float64 {
	d[0], d[1] = x[0]+x[1], x[0]*x[1]
	return gaussLogProb(x)
}}

// TestDerivedColumns: the derived parameters of every sample are those
// of its position, in the text chains after the parameters, in
// .paramnames with GetDist's *, in ROOT.derived.npy and Chain.Derived, and
// a run stopped and resumed gives the same bytes as one that was not.
func TestDerivedColumns(t *testing.T) {
	for _, mh := range []bool{false, true} {
		dir := t.TempDir()
		s := resumeSettings(filepath.Join(dir, "r"), 60)
		s.Derived, s.DerivedLabels = []string{"sum", "prod"}, []string{`x_1+x_2`, `x_1 x_2`}
		res, err := runKind(context.Background(), mh, derivedTarget, s, rand.New(rand.NewPCG(5, 5)))
		if err != nil {
			t.Fatal(err)
		}
		c := res.Chain
		if c.DerivedDim != 2 || len(c.Derived) != 60*c.Walkers*2 {
			t.Fatalf("Chain.Derived: %d values of dimension %d", len(c.Derived), c.DerivedDim)
		}
		for i := range 60 * c.Walkers {
			x, d := c.X[2*i:2*i+2], c.Derived[2*i:2*i+2]
			if d[0] != x[0]+x[1] || d[1] != x[0]*x[1] {
				t.Fatalf("sample %d: derived %v at %v", i, d, x)
			}
		}
		pn, _ := os.ReadFile(s.Root + ".paramnames")
		if string(pn) != "a\ta\nb\tb\nsum*\tx_1+x_2\nprod*\tx_1 x_2\n" {
			t.Errorf(".paramnames %q", pn)
		}
		rows, _ := os.ReadFile(chains.ChainFile(s.Root, 2))
		line := strings.Fields(strings.SplitN(string(rows), "\n", 2)[0])
		x := c.At(0, 1)
		if len(line) != 6 || line[4] != strconv.FormatFloat(x[0]+x[1], 'g', -1, 64) || line[5] != strconv.FormatFloat(x[0]*x[1], 'g', -1, 64) {
			t.Errorf("first row of walker 2: %q, position %v", line, x)
		}
		shape, d := readNpy(t, s.Root+".derived.npy")
		if !slices.Equal(shape, []int{60, c.Walkers, 2}) || !slices.Equal(d, c.Derived) {
			t.Errorf("derived.npy shape %v, equal %v", shape, slices.Equal(d, c.Derived))
		}
		ref := readDir(t, dir)
		// Stopped at step 25 and resumed: the same files.
		dir2 := t.TempDir()
		s2 := s
		s2.Root = filepath.Join(dir2, "r")
		ctx, cancel := context.WithCancel(context.Background())
		s2.Progress = func(p Progress) {
			if p.Step == 25 {
				cancel()
			}
		}
		if _, err := runKind(ctx, mh, derivedTarget, s2, rand.New(rand.NewPCG(5, 5))); !errors.Is(err, context.Canceled) {
			t.Fatal(err)
		}
		s2.Progress, s2.Resume = nil, true
		if _, err := runKind(context.Background(), mh, derivedTarget, s2, nil); err != nil {
			t.Fatal(err)
		}
		sameFiles(t, ref, readDir(t, dir2))
		// The same θ rows as a run without derived parameters.
		s3 := resumeSettings("", 60)
		plain, err := runKind(context.Background(), mh, Target{LogProb: gaussLogProb}, s3, rand.New(rand.NewPCG(5, 5)))
		if err != nil || !slices.Equal(plain.Chain.X, c.X) {
			t.Errorf("mh=%v: derived parameters changed the samples (%v)", mh, err)
		}
	}
	// Derived names without Target.Derived (or the reverse) are refused.
	s := resumeSettings("", 10)
	s.Derived = []string{"sum"}
	if _, err := runKind(context.Background(), false, Target{LogProb: gaussLogProb}, s, rand.New(rand.NewPCG(5, 5))); err == nil || !strings.Contains(err.Error(), "Target.Derived") {
		t.Errorf("derived names without Target.Derived: %v", err)
	}
}

// TestBatchDerived: the batch form of Derived, in one block per worker,
// gives the same files, samples and derived values as Derived row by row,
// whatever the number of workers; without Derived it is refused.
func TestBatchDerived(t *testing.T) {
	batch := derivedTarget
	var calls atomic.Int64
	batch.BatchDerived = func(dst []float64, xs, der *mat.Dense) {
		calls.Add(1)
		for i := range dst {
			dst[i] = derivedTarget.Derived(xs.RawRowView(i), der.RawRowView(i))
		}
	}
	for _, mh := range []bool{false, true} {
		dirs := make([]string, 3)
		for k, tgt := range []Target{derivedTarget, batch, batch} {
			dirs[k] = t.TempDir()
			s := resumeSettings(filepath.Join(dirs[k], "r"), 60)
			s.Derived = []string{"sum", "prod"}
			s.Workers = 1 + k // 1, 2 and 3 goroutines
			if _, err := runKind(context.Background(), mh, tgt, s, rand.New(rand.NewPCG(5, 5))); err != nil {
				t.Fatal(err)
			}
		}
		ref := readDir(t, dirs[0])
		sameFiles(t, ref, readDir(t, dirs[1]))
		sameFiles(t, ref, readDir(t, dirs[2]))
	}
	if calls.Load() == 0 {
		t.Error("BatchDerived was never called")
	}
	s := resumeSettings("", 10)
	s.Derived = []string{"sum", "prod"}
	noRow := Target{LogProb: gaussLogProb, BatchDerived: batch.BatchDerived}
	if _, err := runKind(context.Background(), false, noRow, s, rand.New(rand.NewPCG(5, 5))); err == nil {
		t.Error("BatchDerived without Derived accepted")
	}
}
