package plots

import (
	"fmt"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/vgimg"
)

// MaxPixels bounds the width and the height of every image, in pixels, so
// that a mistyped size is an error rather than gigabytes of canvas: an
// 8192×8192 RGBA image takes 256 MiB.
const MaxPixels = 8192

// checkCanvas returns an error unless a canvas of width×height at dpi
// dots per inch is between 1 and MaxPixels pixels on each side.
func checkCanvas(width, height vg.Length, dpi float64) error {
	for _, l := range []vg.Length{width, height} {
		px := float64(l) / float64(vg.Inch) * dpi
		if !(px >= 1 && px <= MaxPixels) {
			return fmt.Errorf("plots: image of %.4g×%.4g pixels: each side must be between 1 and %d", float64(width/vg.Inch)*dpi, float64(height/vg.Inch)*dpi, MaxPixels)
		}
	}
	return nil
}

// checkCanvasDefault is checkCanvas at vgimg's default resolution, that of
// vgimg.New.
func checkCanvasDefault(width, height vg.Length) error {
	return checkCanvas(width, height, vgimg.DefaultDPI)
}
