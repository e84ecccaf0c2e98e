package plots

import (
	"image"
	"image/color"
	"path/filepath"
	"testing"

	"gonum.org/v1/plot/vg"
)

// countColor counts the pixels of img within tol of c in each channel.
func countColor(img image.Image, c color.RGBA, tol int) int {
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			d := func(v uint32, w uint8) bool { return abs(int(v>>8)-int(w)) <= tol }
			if d(r, c.R) && d(g, c.G) && d(bl, c.B) {
				n++
			}
		}
	}
	return n
}

func TestConfusion(t *testing.T) {
	path := filepath.Join(t.TempDir(), "confusion.png")
	counts := [][]int{{990, 8, 2}, {5, 165, 0}, {0, 0, 830}}
	if err := Confusion(path, "test set", []string{"GALAXY", "QSO", "STAR"}, counts, 5*vg.Inch, 4*vg.Inch); err != nil {
		t.Fatal(err)
	}
	img := readPNG(t, path)
	if b := img.Bounds(); b.Dx() < 400 || b.Dy() < 300 {
		t.Errorf("image is %v", b)
	}
	// Three diagonal cells with recall ≥ 0.97 are shaded nearly the darkest
	// blue; each covers several thousand pixels at this size.
	dark := mix(color.RGBA{247, 251, 255, 255}, color.RGBA{8, 48, 107, 255}, 0.98)
	if n := countColor(img, dark, 6); n < 3*2000 {
		t.Errorf("%d dark-cell pixels, want the three diagonal cells", n)
	}
	for _, bad := range [][][]int{{{1, 2}, {3, 4}}, {{1, 2, 3}, {1, 2}, {1, 2, 3}}, {{-1, 0, 0}, {0, 0, 0}, {0, 0, 0}}} {
		if err := Confusion(path, "", []string{"A", "B", "C"}, bad, vg.Inch, vg.Inch); err == nil {
			t.Errorf("no error for %v", bad)
		}
	}
}

func TestMix(t *testing.T) {
	a, b := color.RGBA{0, 100, 200, 255}, color.RGBA{200, 100, 0, 255}
	if got := mix(a, b, 0); got != a {
		t.Errorf("mix 0 = %v", got)
	}
	if got := mix(a, b, 1); got != b {
		t.Errorf("mix 1 = %v", got)
	}
	if got := mix(a, b, 0.5); got != (color.RGBA{100, 100, 100, 255}) {
		t.Errorf("mix 0.5 = %v", got)
	}
}
