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
	if b := readPNG(t, path).Bounds(); b.Dx() < 700 || b.Dy() < 250 {
		t.Errorf("image is %v", b)
	}
	if err := Lines(path, nil, 1, vg.Inch, vg.Inch); err == nil {
		t.Error("no error for no panels")
	}
	if err := Lines(path, []Panel{{Series: []Series{{X: []float64{1}, Y: []float64{1, 2}}}}}, 1, vg.Inch, vg.Inch); err == nil {
		t.Error("no error for mismatched x and y")
	}
}
