package plots

import (
	"image"
	"image/color"
	"math"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/plot/vg"
)

// panelCounts counts, in each cell of an n×n grid over img, the pixels
// within tol of c in every channel; with inner only the middle half of
// each cell (in both directions) is looked at, away from the legend in
// the top right corner and from lines that cross the edges of cells.
func panelCounts(img image.Image, n int, c color.Color, tol int, inner bool) [][]int {
	want := color.RGBAModel.Convert(c).(color.RGBA)
	b := img.Bounds()
	out := make([][]int, n)
	for i := range out {
		out[i] = make([]int, n)
	}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			fy, fx := float64((y-b.Min.Y)*n)/float64(b.Dy()), float64((x-b.Min.X)*n)/float64(b.Dx())
			if inner {
				if ry, rx := fy-math.Floor(fy), fx-math.Floor(fx); ry < 0.25 || ry > 0.75 || rx < 0.25 || rx > 0.75 {
					continue
				}
			}
			r, g, bl, _ := img.At(x, y).RGBA()
			d := func(v uint32, w uint8) bool { return abs(int(v>>8)-int(w)) <= tol }
			if d(r, want.R) && d(g, want.G) && d(bl, want.B) {
				out[int(fy)][int(fx)]++
			}
		}
	}
	return out
}

// checkCornerPanels asserts that colour c is drawn in every panel on and
// below the diagonal and not in the middle of those above it.
func checkCornerPanels(t *testing.T, path string, n int, c color.Color, minPx int) {
	t.Helper()
	img := readPNG(t, path)
	all, inner := panelCounts(img, n, c, 10, false), panelCounts(img, n, c, 10, true)
	for i := range n {
		for j := range n {
			switch {
			case j <= i && all[i][j] < minPx:
				t.Errorf("%s: panel (%d, %d) has %d pixels of %v, want ≥ %d", filepath.Base(path), i, j, all[i][j], c, minPx)
			case j > i && inner[i][j] > 0:
				t.Errorf("%s: the middle of empty panel (%d, %d) has %d pixels of %v", filepath.Base(path), i, j, inner[i][j], c)
			}
		}
	}
}

func TestCornerContent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "corner.png")
	sets := []Samples{
		{Name: "a", X: gaussSamples(20000, 0, 1)},
		{Name: "b", X: gaussSamples(5000, 6, 2)},
	}
	if err := Corner(path, sets, []string{"Om0", "H0"}, &CornerOptions{Size: 640}); err != nil {
		t.Fatal(err)
	}
	// Both sets appear in the three lower panels; the top right holds
	// only their legend lines.
	// (Measured: at least 285 pixels of each colour in a panel, the blue
	// marginal being mostly hidden under the red one.)
	checkCornerPanels(t, path, 2, DefaultColors[0], 150)
	checkCornerPanels(t, path, 2, DefaultColors[1], 150)
}

// Samples with (almost) no spread must neither exhaust memory (24 GB for
// a spread of 1e-17 at 0.3, where the contour tracer ran away) nor fail:
// the marginal is drawn as a spike.
func TestCornerDegenerateSpread(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		x0   func(i int) float64
	}{
		{"1e-17 at 0.3", func(i int) float64 { return 0.3 + float64(i%7)*1e-17 }},
		{"constant", func(int) float64 { return 0.3 }},
		{"zero", func(int) float64 { return 0 }},
		{"1e-300", func(i int) float64 { return float64(i%3) * 1e-300 }},
		{"1e300 ± 1e285", func(i int) float64 { return 1e300 + float64(i%5)*1e285 }},
	} {
		x := mat.NewDense(1000, 2, nil)
		for i := range 1000 {
			x.Set(i, 0, tc.x0(i))
			x.Set(i, 1, 70+0.1*float64(i%10))
		}
		path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "_")+".png")
		var err error
		alloc := allocated(func() {
			err = Corner(path, []Samples{{Name: "s", X: x}}, []string{"a", "b"}, &CornerOptions{Size: 600})
		})
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		t.Logf("%s: %d MB allocated", tc.name, alloc>>20)
		// These plots allocate 8 MB each (measured); 100 MB leaves room
		// and still catches a runaway long before it exhausts memory.
		if alloc > 100<<20 {
			t.Errorf("%s: %d MB allocated", tc.name, alloc>>20)
		}
		checkCornerPanels(t, path, 2, DefaultColors[0], 30)
	}
}

func allocated(f func()) uint64 {
	var a, b runtime.MemStats
	runtime.ReadMemStats(&a)
	f()
	runtime.ReadMemStats(&b)
	return b.TotalAlloc - a.TotalAlloc
}

func TestCornerBounds(t *testing.T) {
	dir := t.TempDir()
	good := gaussSamples(100, 0, 1)
	wide := mat.NewDense(10, 2, nil)
	for i := range 10 {
		wide.Set(i, 0, math.Pow(-1, float64(i))*1.5e308)
		wide.Set(i, 1, float64(i))
	}
	three := mat.NewDense(10, 3, nil)
	if err := Corner(filepath.Join(dir, "x.png"), []Samples{{X: three}}, []string{"a", "b", "c"}, &CornerOptions{Size: 120}); err == nil || !strings.Contains(err.Error(), "at least 50 per parameter (150)") {
		t.Errorf("120 px for 3 parameters: %v", err)
	}
	for _, tc := range []struct {
		name string
		sets []Samples
		opt  *CornerOptions
		msg  string
	}{
		{"huge size", nil, &CornerOptions{Size: 1 << 20}, "at most 8192"},
		{"DPI", nil, &CornerOptions{DPI: 1 << 30}, "DPI"},
		{"bins", nil, &CornerOptions{Bins: 1 << 30}, "bins"},
		{"smooth", nil, &CornerOptions{Smooth: 1e12}, "smoothing"},
		{"levels", nil, &CornerOptions{Levels: make([]float64, 11)}, "at most 10"},
		{"points", nil, &CornerOptions{MaxPoints: 1 << 40}, "MaxPoints"},
		{"Inf truth", nil, &CornerOptions{Truths: []float64{math.Inf(1), 0}}, "truth of a is +Inf"},
		{"narrow range", nil, &CornerOptions{Ranges: [][2]float64{{0.3, 0.3 + 1e-15}, {}}}, "range of a"},
		{"infinite range", nil, &CornerOptions{Ranges: [][2]float64{{}, {0, math.Inf(1)}}}, "range of b"},
		{"NaN range", nil, &CornerOptions{Ranges: [][2]float64{{math.NaN(), 1}, {}}}, "range of a"},
		{"too wide", []Samples{{X: wide}}, nil, "too wide a range"},
	} {
		sets := tc.sets
		if sets == nil {
			sets = []Samples{{X: good}}
		}
		err := Corner(filepath.Join(dir, "x.png"), sets, []string{"a", "b"}, tc.opt)
		if err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: got %v, want an error containing %q", tc.name, err, tc.msg)
		}
	}
}

func TestCanvasBounds(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.png")
	x, y := []float64{1, 2}, []float64{1, 2}
	huge := 1000 * vg.Inch
	if err := Lines(path, []Panel{{Series: []Series{{X: x, Y: y}}}}, 1, huge, vg.Inch); err == nil || !strings.Contains(err.Error(), "pixels") {
		t.Errorf("Lines: %v", err)
	}
	// Many columns for few panels do not allocate columns.
	if err := Lines(path, []Panel{{Series: []Series{{X: x, Y: y}}}}, 1<<40, 3*vg.Inch, 2*vg.Inch); err != nil {
		t.Errorf("Lines with 2⁴⁰ columns for one panel: %v", err)
	}
	if err := Confusion(path, "", []string{"a"}, [][]int{{1}}, huge, huge); err == nil || !strings.Contains(err.Error(), "pixels") {
		t.Errorf("Confusion: %v", err)
	}
	if err := ReconstructionPNG(path, &Reconstruction{Z: x, H: y}, vg.Inch, vg.Length(math.NaN())); err == nil || !strings.Contains(err.Error(), "pixels") {
		t.Errorf("ReconstructionPNG: %v", err)
	}
}
