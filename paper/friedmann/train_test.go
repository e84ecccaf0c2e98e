package friedmann

import (
	"bytes"
	"context"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/cosmoemu/cosmoemu/emulator"
	"github.com/cosmoemu/cosmoemu/grid"
)

func buildSet(t *testing.T, spec grid.Spec) *Set {
	t.Helper()
	s, err := Build(context.Background(), spec, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestTrainDefaultDeterministic(t *testing.T) {
	set := buildSet(t, grid.Spec{
		Om0: grid.Axis{Min: 0.2, Max: 0.4, Count: 21},
		H0:  grid.Axis{Min: 60, Max: 75, Count: 2},
		N:   grid.Axis{Min: -4, Max: 0, Count: 21},
	})
	s := Settings{Seed: 5, Epochs: 60, LBFGSIters: new(60), Hidden: 6, OmegaWidth: 8}
	var models [][]byte
	for _, workers := range []int{1, 2} {
		s.Workers = workers
		m, h, err := Train(context.Background(), emulator.RecipeDefault, set, &s)
		if err != nil {
			t.Fatal(err)
		}
		if len(h.Loss) != 3 || len(h.Loss[0]) != 120 { // ln E, Ω and the late E
			t.Fatalf("history has %d networks, %d entries", len(h.Loss), len(h.Loss[0]))
		}
		b, err := m.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		models = append(models, b)
		d := m.Domain()
		if d.Om0 != [2]float64{0.2, 0.4} || d.H0 != [2]float64{60, 75} || d.N != [2]float64{-4, 0} {
			t.Errorf("domain %+v", d)
		}
		// A short training is rough, but it is a fit: measured 1.9e-3 for
		// H and 5.1e-3 for Ω (seeds 5 and 1); the bounds allow 50% more,
		// far below those after one epoch (0.54 for H, 0.12 for Ω).
		r, err := emulator.ValidateFriedmann(m, 200, rand.New(rand.NewPCG(1, 1)))
		if err != nil {
			t.Fatal(err)
		}
		if r.MaxRelErrHAll > 2.8e-3 || r.MaxAbsErrOmega > 7.6e-3 {
			t.Errorf("tiny model: %+v", *r)
		}
		if m.Validation() == nil || m.Validation().N != 1000 {
			t.Errorf("the model's stored report %+v is not of the default 1000 points", m.Validation())
		}
	}
	if !bytes.Equal(models[0], models[1]) {
		t.Error("training with 1 and 2 workers gives different model bytes")
	}
}

// A pointer to zero means none: no L-BFGS, no check.
func TestZeroMeansNone(t *testing.T) {
	set := buildSet(t, grid.Spec{
		Om0: grid.Axis{Min: 0.2, Max: 0.4, Count: 11},
		H0:  grid.Axis{Min: 60, Max: 60, Count: 1},
		N:   grid.Axis{Min: -2, Max: 0, Count: 9},
	})
	m, h, err := Train(context.Background(), emulator.RecipeDefault, set, &Settings{Epochs: 5, Hidden: 3, OmegaWidth: 3, LBFGSIters: new(0), Check: new(0)})
	if err != nil {
		t.Fatal(err)
	}
	for i, stages := range h.Stages {
		if len(stages) != 5 || stages[4] != "adam" {
			t.Errorf("network %s: stages %v, want 5 of Adam and none of L-BFGS", h.Network[i], stages)
		}
	}
	if m.Validation() != nil || m.Training().LBFGSIters != 0 {
		t.Errorf("validation %+v, %d L-BFGS iterations recorded", m.Validation(), m.Training().LBFGSIters)
	}
	for _, s := range []Settings{{LBFGSIters: new(-1)}, {Check: new(-1)}, {BatchSize: -1}} {
		if _, _, err := Train(context.Background(), emulator.RecipeDefault, set, &s); err == nil {
			t.Errorf("settings %+v: no error", s)
		}
	}
}

func TestTrainPaperRecipe(t *testing.T) {
	set := buildSet(t, grid.Spec{
		Om0: grid.Axis{Min: 0.2, Max: 0.4, Count: 5},
		H0:  grid.Axis{Min: 66, Max: 80, Count: 3},
		N:   grid.Axis{Min: -12, Max: 0, Count: 10},
	})
	var prev []byte
	for range 2 {
		m, h, err := Train(context.Background(), emulator.RecipePaper, set, &Settings{Epochs: 3, Seed: 9})
		if err != nil {
			t.Fatal(err)
		}
		if got := m.NumParams()["point"]; got != 69154 {
			t.Errorf("paper network has %d parameters, want 69,154", got)
		}
		if len(h.Loss[0]) != 3 || math.IsNaN(h.Final[0].Validation) {
			t.Errorf("history %+v", h.Final)
		}
		p, err := m.Predict(-1, 0.3, 70)
		if err != nil || p.H <= 0 {
			t.Errorf("Predict: %+v, %v", p, err)
		}
		b, _ := m.MarshalBinary()
		e, err := emulator.Decode(b, "")
		if err != nil {
			t.Fatal(err)
		}
		back := e.(*emulator.Friedmann)
		if p2, _ := back.Predict(-1, 0.3, 70); p2 != p {
			t.Error("paper model changes in a save/load round trip")
		}
		if prev != nil && !bytes.Equal(prev, b) {
			t.Error("the same seed gives different paper models")
		}
		prev = b
	}
	if _, _, err := Train(context.Background(), "fancy", set, nil); err == nil || !strings.Contains(err.Error(), `"fancy"`) || !strings.Contains(err.Error(), "default or paper") {
		t.Errorf("unknown recipe: %v", err)
	}
}

// FromGrid reads any row order of a Cartesian grid, and names what is
// wrong with a grid that is not one.
func TestFromGrid(t *testing.T) {
	spec := grid.Spec{
		Om0: grid.Axis{Min: 0.2, Max: 0.4, Count: 3},
		H0:  grid.Axis{Min: 60, Max: 70, Count: 2},
		N:   grid.Axis{Min: -1, Max: 0, Count: 4},
	}
	g, err := grid.Build(context.Background(), spec, nil)
	if err != nil {
		t.Fatal(err)
	}
	want, err := FromGrid(g)
	if err != nil {
		t.Fatal(err)
	}
	if len(want.Om0) != 3 || len(want.H0) != 2 || len(want.N) != 4 {
		t.Fatalf("axes %v %v %v", want.Om0, want.H0, want.N)
	}
	for r := range 24 {
		row := g.RawRowView(r)
		at := want.At(r/8, r/4%2, r%4)
		if want.H[at] != row[grid.ColH] || want.OmegaM[at] != row[grid.ColOmegaM] {
			t.Fatalf("row %d is not at (%d, %d, %d)", r, r/8, r/4%2, r%4)
		}
	}
	// Reversed rows give the same set.
	rev := mat.NewDense(24, grid.NumCols, nil)
	for r := range 24 {
		rev.SetRow(23-r, g.RawRowView(r))
	}
	got, err := FromGrid(rev)
	if err != nil {
		t.Fatal(err)
	}
	for i := range got.H {
		if got.H[i] != want.H[i] || got.OmegaR[i] != want.OmegaR[i] {
			t.Fatal("the row order changes the set")
		}
	}
	for _, tc := range []struct {
		name string
		edit func(g *mat.Dense) *mat.Dense
		want string
	}{
		{"missing row", func(g *mat.Dense) *mat.Dense { return mat.DenseCopyOf(g.Slice(0, 23, 0, grid.NumCols)) }, "not a Cartesian grid"},
		{"repeated row", func(g *mat.Dense) *mat.Dense {
			c := mat.DenseCopyOf(g)
			c.SetRow(1, g.RawRowView(0))
			c.Set(2, grid.ColN, 0.5) // keeps the count of distinct N
			return c
		}, "not a Cartesian grid"},
		{"NaN", func(g *mat.Dense) *mat.Dense { c := mat.DenseCopyOf(g); c.Set(5, grid.ColH, math.NaN()); return c }, "row 5 column H is NaN"},
		{"negative H", func(g *mat.Dense) *mat.Dense { c := mat.DenseCopyOf(g); c.Set(5, grid.ColH, -1); return c }, "H at Om0"},
		{"columns", func(g *mat.Dense) *mat.Dense { return mat.DenseCopyOf(g.Slice(0, 24, 0, 6)) }, "6 columns"},
	} {
		if _, err := FromGrid(tc.edit(g)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want an error containing %q", tc.name, err, tc.want)
		}
	}
	// The default recipe needs ten curves and H/H0 independent of H0.
	if _, _, err := Train(context.Background(), emulator.RecipeDefault, want, nil); err == nil || !strings.Contains(err.Error(), "at least 10") {
		t.Errorf("3 Om0 values: %v", err)
	}
}

func TestGrid(t *testing.T) {
	for _, r := range Recipes() {
		spec, err := Grid(r)
		if err != nil || spec.Validate() != nil {
			t.Errorf("recipe %s: grid %+v, %v", r, spec, err)
		}
	}
	if s, _ := Grid(emulator.RecipeDefault); s.Rows() != 401*3*241 {
		t.Errorf("default grid has %d rows", s.Rows())
	}
	if _, err := Grid("x"); err == nil {
		t.Error("no error for an unknown recipe")
	}
}
