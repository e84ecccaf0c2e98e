package plots

import (
	"math"
	"path/filepath"
	"testing"

	"gonum.org/v1/plot/vg"
)

func TestLines(t *testing.T) {
	x := make([]float64, 50)
	y := make([]float64, 50)
	for i := range x {
		x[i] = float64(i + 1)
		y[i] = math.Exp(-0.1 * x[i])
	}
	y[10] = math.NaN() // breaks the line, does not fail
	path := filepath.Join(t.TempDir(), "lines.png")
	err := Lines(path, []Panel{
		{Title: "loss", XLabel: "epoch", YLabel: "MSE", LogY: true, Series: []Series{{Label: "train", X: x, Y: y}, {Label: "validation", X: x, Y: y, Dashed: true}}},
		{Title: "points", Series: []Series{{Label: "data", X: x, Y: y, Points: true}}},
	}, 2, 4*vg.Inch, 3*vg.Inch)
	if err != nil {
		t.Fatal(err)
	}
	img := readPNG(t, path)
	// Two panels of 4×3 inches side by side at vgimg's 96 DPI.
	if b := img.Bounds(); b.Dx() != 768 || b.Dy() != 288 {
		t.Errorf("image is %d×%d, want 768×288", b.Dx(), b.Dy())
	}
	// The first panel holds the blue and vermillion lines, the second the
	// blue points; the right half has no vermillion (but for a pixel or
	// two of the legend, which reaches the middle).
	left, right := panelCounts(img, 2, Palette[0], 10, false), panelCounts(img, 2, Palette[1], 10, false)
	if left[0][0]+left[1][0] < 100 || left[0][1]+left[1][1] < 50 {
		t.Errorf("blue pixels per half: %v", left)
	}
	if right[0][0]+right[1][0] < 100 || right[0][1]+right[1][1] > 5 {
		t.Errorf("vermillion pixels per half: %v", right)
	}
	if err := Lines(path, nil, 1, vg.Inch, vg.Inch); err == nil {
		t.Error("no error for no panels")
	}
	if err := Lines(path, []Panel{{Series: []Series{{X: []float64{1}, Y: []float64{1, 2}}}}}, 1, vg.Inch, vg.Inch); err == nil {
		t.Error("no error for mismatched x and y")
	}
}
