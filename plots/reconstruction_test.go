package plots

import (
	"image/color"
	"math"
	"path/filepath"
	"testing"

	"gonum.org/v1/plot/vg"
)

func TestReconstructionPNG(t *testing.T) {
	z := make([]float64, 50)
	h := make([]float64, 50)
	sig := make([]float64, 50)
	std := make([]float64, 50)
	lcdm := make([]float64, 50)
	for i := range z {
		z[i] = 3 * float64(i) / 49
		h[i] = 70 * math.Sqrt(0.3*math.Pow(1+z[i], 3)+0.7)
		sig[i] = 0.2 * h[i]
		std[i] = 0.05 * h[i]
		lcdm[i] = 1.01 * h[i]
	}
	dz := []float64{0, 1, 2, 3}
	dh := []float64{70, 125, 205, 300}
	ds := []float64{14, 25, 41, 60}
	loss := []float64{1, 0.1, 0.01, math.NaN(), 0.001}
	path := filepath.Join(t.TempDir(), "fig4.png")
	r := &Reconstruction{
		Title: "H(z)", DataZ: dz, DataH: dh, DataSigma: ds, DataLabel: "data",
		Z: z, H: h, Sigma: sig, HLabel: "network", SigmaLabel: "± sigma_H",
		Mean: h, Std: std, MeanLabel: "ensemble", StdLabel: "± 1 s.d.",
		Compare: lcdm, CompareLabel: "ΛCDM",
		Loss: loss, ValLoss: loss, LossLabel: "MSE",
	}
	if err := ReconstructionPNG(path, r, 6*vg.Inch, 4.5*vg.Inch); err != nil {
		t.Fatal(err)
	}
	img := readPNG(t, path)
	if b := img.Bounds(); b.Dx() < 500 || b.Dy() < 350 {
		t.Errorf("image is %v", b)
	}
	// Both bands are drawn: the light blue σ_H band and the orange
	// ensemble band cover many pixels.
	if n := countColor(img, fade(Palette[0], 0.18).(color.RGBA), 3); n < 2000 {
		t.Errorf("%d pixels of the sigma band", n)
	}
	if n := countColor(img, fade(Palette[1], 0.35).(color.RGBA), 3); n < 1000 {
		t.Errorf("%d pixels of the ensemble band", n)
	}
	// Optional parts may be left out.
	minimal := &Reconstruction{Z: z, H: h}
	if err := ReconstructionPNG(path, minimal, 4*vg.Inch, 3*vg.Inch); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []*Reconstruction{
		{Z: z, H: h[:3]},
		{Z: z, H: h, Sigma: sig[:2]},
		{Z: z, H: h, Mean: h},
		{Z: z, H: h, DataZ: dz, DataH: dh},
		{Z: z[:1], H: h[:1]},
	} {
		if err := ReconstructionPNG(path, bad, vg.Inch, vg.Inch); err == nil {
			t.Errorf("no error for %+v", bad)
		}
	}
}
