package grid_test

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"codeberg.org/sbinet/npyio/npz"
	"gonum.org/v1/gonum/mat"

	"github.com/cosmoemu/cosmoemu/friedmann"
	"github.com/cosmoemu/cosmoemu/grid"
	"github.com/cosmoemu/cosmoemu/internal/numpytest"
)

func build(t testing.TB, spec grid.Spec, workers int) *mat.Dense {
	t.Helper()
	g, err := grid.Build(context.Background(), spec, &grid.Settings{Workers: workers})
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// checkClosedForm compares every row with the closed form.
func checkClosedForm(t *testing.T, g *mat.Dense, tolH, tolOmega float64) {
	t.Helper()
	r, _ := g.Dims()
	om := make([]float64, 3)
	worstH, worstOm := 0.0, 0.0
	for i := range r {
		row := g.RawRowView(i)
		m, err := friedmann.LCDM(row[grid.ColOm0], row[grid.ColH0])
		if err != nil {
			t.Fatal(err)
		}
		n := row[grid.ColN]
		worstH = math.Max(worstH, math.Abs(row[grid.ColH]/m.H(n)-1))
		m.Omegas(om, n)
		for k, c := range []int{grid.ColOmegaR, grid.ColOmegaM, grid.ColOmegaL} {
			worstOm = math.Max(worstOm, math.Abs(row[c]-om[k]))
		}
	}
	if worstH > tolH {
		t.Errorf("max relative error of H %.3g > %g", worstH, tolH)
	}
	if worstOm > tolOmega {
		t.Errorf("max absolute error of Ω %.3g > %g", worstOm, tolOmega)
	}
}

func TestPaperGrid(t *testing.T) {
	spec := grid.PaperSpec()
	g := build(t, spec, 0)
	r, c := g.Dims()
	if r != 30750 || c != grid.NumCols || spec.Rows() != 30750 {
		t.Fatalf("grid is %d×%d, want 30750×7", r, c)
	}
	checkClosedForm(t, g, 1e-8, 1e-9)
	// Row order: Om0 slowest, then H0, then N, all ascending.
	oms, h0s, ns := spec.Om0.Values(), spec.H0.Values(), spec.N.Values()
	for i := range r {
		row := g.RawRowView(i)
		want := [3]float64{ns[i%50], oms[i/(50*15)], h0s[(i/50)%15]}
		if row[grid.ColN] != want[0] || row[grid.ColOm0] != want[1] || row[grid.ColH0] != want[2] {
			t.Fatalf("row %d starts %v, want N, Om0, H0 = %v", i, row[:3], want)
		}
	}
	if first := g.RawRowView(0); first[grid.ColN] != -12 || first[grid.ColOm0] != 0.1 || first[grid.ColH0] != 66 {
		t.Errorf("first row %v", first)
	}
	if last := g.RawRowView(r - 1); last[grid.ColN] != 0 || last[grid.ColOm0] != 0.5 || last[grid.ColH0] != 80 || last[grid.ColH] != 80 {
		t.Errorf("last row %v: at N = 0, H must be H0", last)
	}
}

func TestDeterministicAcrossWorkers(t *testing.T) {
	spec := grid.Spec{
		Om0: grid.Axis{Min: 0.2, Max: 0.4, Count: 7},
		H0:  grid.Axis{Min: 60, Max: 75, Count: 4},
		N:   grid.Axis{Min: -10, Max: 1, Count: 23},
	}
	a := build(t, spec, 1)
	b := build(t, spec, 3)
	if !mat.Equal(a, b) {
		t.Fatal("grids built with 1 and 3 workers differ")
	}
	// This grid reaches N > 0 (the future): solved forwards from N = 0.
	checkClosedForm(t, a, 1e-8, 1e-9)
}

func TestWriteRead(t *testing.T) {
	spec := grid.Spec{
		Om0: grid.Axis{Min: 0.25, Max: 0.35, Count: 3},
		H0:  grid.Axis{Min: 68, Max: 68, Count: 1},
		N:   grid.Axis{Min: -12, Max: 0, Count: 5},
	}
	g := build(t, spec, 0)
	dir := t.TempDir()
	for _, name := range []string{"g.npy", "g.npz"} {
		path := filepath.Join(dir, name)
		if err := grid.Write(path, g); err != nil {
			t.Fatal(err)
		}
		back, err := grid.Read(path)
		if err != nil {
			t.Fatal(err)
		}
		if !mat.Equal(g, back) {
			t.Errorf("%s: read back a different grid", name)
		}
	}
	if err := grid.Write(filepath.Join(dir, "g.csv"), g); err == nil {
		t.Error("no error for an unknown extension")
	}
}

// The exported files must load in numpy with the documented layout and the
// same values; numpy then checks them against the closed form itself.
func TestNumpyLoadsGrid(t *testing.T) {
	spec := grid.Spec{
		Om0: grid.Axis{Min: 0.1, Max: 0.5, Count: 5},
		H0:  grid.Axis{Min: 60, Max: 80, Count: 3},
		N:   grid.Axis{Min: -12, Max: 0, Count: 50},
	}
	g := build(t, spec, 0)
	dir := t.TempDir()
	npyPath, npzPath := filepath.Join(dir, "grid.npy"), filepath.Join(dir, "grid.npz")
	for _, p := range []string{npyPath, npzPath} {
		if err := grid.Write(p, g); err != nil {
			t.Fatal(err)
		}
	}
	const script = `
import sys
import numpy as np
g = np.load(sys.argv[1])
z = np.load(sys.argv[2])
cols = ["N", "Om0", "H0", "Omega_r", "Omega_m", "Omega_L", "H"]
assert g.dtype == np.float64 and g.ndim == 2 and g.shape[1] == 7, (g.dtype, g.shape)
assert sorted(z.files) == sorted(cols), z.files
for j, c in enumerate(cols):
    assert z[c].dtype == np.float64 and z[c].shape == (g.shape[0],), (c, z[c].shape)
    assert np.array_equal(z[c], g[:, j]), c
N, om, h0 = g[:, 0], g[:, 1], g[:, 2]
a = np.exp(N)
e2 = 1e-4 / a**4 + om / a**3 + (1 - om - 1e-4)
print(g.shape[0])
print(np.max(np.abs(g[:, 6] / (h0 * np.sqrt(e2)) - 1)))
print(np.max(np.abs(g[:, 4] - om / a**3 / e2)))
print(np.max(np.abs(g[:, 3:6].sum(axis=1) - 1)))
print(" ".join(repr(float(v)) for v in g[17]))
`
	out := strings.Fields(string(numpytest.Run(t, script, npyPath, npzPath)))
	if len(out) != 4+grid.NumCols {
		t.Fatalf("unexpected python output %q", out)
	}
	rows, _ := g.Dims()
	if out[0] != strconv.Itoa(rows) {
		t.Errorf("numpy sees %s rows, want %d", out[0], rows)
	}
	for i, tol := range []float64{1e-8, 1e-9, 1e-9} {
		v, err := strconv.ParseFloat(out[1+i], 64)
		if err != nil || v > tol {
			t.Errorf("numpy check %d: %s, want ≤ %g", i, out[1+i], tol)
		}
	}
	for j, s := range out[4:] {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || v != g.At(17, j) {
			t.Errorf("numpy reads row 17 column %s = %s, Go wrote %v", grid.Columns[j], s, g.At(17, j))
		}
	}
}

func TestReadErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	partial := filepath.Join(dir, "partial.npz")
	if err := npz.Write(partial, map[string]any{"N": []float64{1, 2}, "H": []float64{3, 4}}); err != nil {
		t.Fatal(err)
	}
	wrongShape := filepath.Join(dir, "wrong.npy")
	if err := grid.Write(filepath.Join(dir, "ok.npy"), mat.NewDense(2, grid.NumCols, nil)); err != nil {
		t.Fatal(err)
	}
	f, _ := os.Create(wrongShape)
	if err := writeNPY(f, mat.NewDense(3, 4, nil)); err != nil {
		t.Fatal(err)
	}
	f.Close()
	for _, tc := range []struct {
		path, want string
	}{
		{filepath.Join(dir, "absent.npy"), "no such file"},
		{write("garbage.npy", []byte("hello, not numpy")), "not a .npy file"},
		{write("garbage.npz", []byte("PK\x03\x04 truncated")), "garbage.npz"},
		{write("empty.npy", nil), "empty.npy"},
		{write("grid.txt", []byte("1 2 3")), "unknown extension"},
		{partial, `column "Om0" missing`},
		{wrongShape, "shape [3 4]"},
	} {
		_, err := grid.Read(tc.path)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Read(%s): got %v, want an error containing %q", filepath.Base(tc.path), err, tc.want)
		}
	}
}

func TestSpecErrors(t *testing.T) {
	for _, tc := range []struct{ name, s, want string }{
		{"Om0", "0.1:0.5", "min:max:count"},
		{"Om0", "a:0.5:3", "min"},
		{"Om0", "0.1:b:3", "max"},
		{"Om0", "0.1:0.5:x", "count"},
		{"Om0", "0.5:0.1:3", "min > max"},
		{"Om0", "0.1:0.5:0", "at least 1"},
		{"Om0", "0.1:0.5:1", "min = max"},
		{"Om0", "0.3:0.3:4", "min < max"},
		{"N", "-12:NaN:4", "finite"},
	} {
		if _, err := grid.ParseAxis(tc.name, tc.s); err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.name) {
			t.Errorf("ParseAxis(%s, %q): got %v, want an error naming the axis and containing %q", tc.name, tc.s, err, tc.want)
		}
	}
	a, err := grid.ParseAxis("H0", " 66 : 80 : 15 ")
	if err != nil || a != (grid.Axis{Min: 66, Max: 80, Count: 15}) || a.String() != "66:80:15" {
		t.Errorf("ParseAxis: %v, %v", a, err)
	}
	bad := grid.PaperSpec()
	bad.Om0 = grid.Axis{Min: 0, Max: 0.5, Count: 3}
	if _, err := grid.Build(context.Background(), bad, nil); err == nil || !strings.Contains(err.Error(), "Om0") {
		t.Errorf("Ω_m0 = 0: got %v", err)
	}
	bad = grid.PaperSpec()
	bad.H0 = grid.Axis{Min: -5, Max: 80, Count: 3}
	if _, err := grid.Build(context.Background(), bad, nil); err == nil || !strings.Contains(err.Error(), "H0") {
		t.Errorf("H0 < 0: got %v", err)
	}
	bad = grid.PaperSpec()
	bad.N.Count = 1 << 30
	if _, err := grid.Build(context.Background(), bad, nil); err == nil || !strings.Contains(err.Error(), "limit") {
		t.Errorf("huge grid: got %v", err)
	}
}

func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	_, err := grid.Build(ctx, grid.PaperSpec(), &grid.Settings{Progress: func(done, total int) {
		calls++
		if done == 10 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	if calls >= 615 {
		t.Errorf("progress called %d times after cancelling at 10", calls)
	}
}

// BenchmarkPaperGrid builds the paper's 30,750-row grid (615 solves at
// rtol 1e-10) on GOMAXPROCS workers.
func BenchmarkPaperGrid(b *testing.B) {
	spec := grid.PaperSpec()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := grid.Build(context.Background(), spec, nil); err != nil {
			b.Fatal(err)
		}
	}
}
