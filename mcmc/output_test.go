package mcmc

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"codeberg.org/sbinet/npyio"

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
