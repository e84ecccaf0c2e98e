package emulator

import (
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/cosmoemu/cosmoemu/internal/numpytest"
)

// The documented Python reader (docs/read_model.py, numpy only) must load the
// model file and predict what Go predicts.
func TestPythonReaderFriedmann(t *testing.T) {
	script, err := os.ReadFile(filepath.Join("..", "docs", "read_model.py"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "friedmann.bin")
	if err := os.WriteFile(path, friedmannBytes(t), 0o644); err != nil {
		t.Fatal(err)
	}
	m := defaultModelT(t)
	for _, pt := range [][3]float64{{-0.5, 0.3, 70}, {-7.3, 0.12, 55}, {0, 0.5, 90}, {-12, 0.25, 66}} {
		out := strings.Fields(string(numpytest.Run(t, string(script), path, ff(pt[0]), ff(pt[1]), ff(pt[2]))))
		if len(out) != 4 {
			t.Fatalf("python printed %q", out)
		}
		p, err := m.Predict(pt[0], pt[1], pt[2])
		if err != nil {
			t.Fatal(err)
		}
		want := []float64{p.OmegaR, p.OmegaM, p.OmegaL, p.H}
		for i, s := range out {
			got, err := strconv.ParseFloat(s, 64)
			if err != nil {
				t.Fatal(err)
			}
			// numpy's tanh and matrix products round differently from Go's.
			if math.Abs(got-want[i]) > 1e-9*math.Max(1, math.Abs(want[i])) {
				t.Errorf("%v output %d: python %v, Go %v", pt, i, got, want[i])
			}
		}
	}
}

func ff(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
