package plots

import (
	"fmt"
	"math"

	"gonum.org/v1/plot/vg"

	"github.com/cosmoemu/cosmoemu/emulator"
)

// ValidationErrors draws the relative errors of H and the distances of an
// emulator against its reference (emulator.Validate) as functions of z to
// path: their maximum and their median over the points.
func ValidationErrors(path string, v *emulator.Validation) error {
	var maxSeries, medSeries []Series
	for _, name := range []string{"H", "DM", "DH", "DV", "DL"} {
		o := v.Observable(name)
		if o == nil || o.MaxAtZ == nil {
			continue
		}
		floor := func(y []float64) []float64 {
			out := make([]float64, len(y))
			for i, x := range y {
				out[i] = math.Max(x, 1e-16) // a log axis cannot show 0
			}
			return out
		}
		maxSeries = append(maxSeries, Series{Label: name, X: v.Z, Y: floor(o.MaxAtZ)})
		medSeries = append(medSeries, Series{Label: name, X: v.Z, Y: floor(o.MedianAtZ)})
	}
	panels := []Panel{
		{Title: fmt.Sprintf("%s emulator: largest relative error over %d points", v.Model, v.Points), XLabel: "z", YLabel: "max |Δ|/value", LogX: true, LogY: true, Series: maxSeries},
		{Title: "median relative error", XLabel: "z", YLabel: "median |Δ|/value", LogX: true, LogY: true, Series: medSeries},
	}
	return Lines(path, panels, 2, 6*vg.Inch, 4*vg.Inch)
}
