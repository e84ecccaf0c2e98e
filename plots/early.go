package plots

import (
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/plot/vg"
)

// EarlyErrors draws the relative errors of the early-universe emulator at
// its validation points (errs by quantity: z_star, z_drag, rs_star, rd,
// theta_star_100), as their distribution: each quantity's errors sorted,
// against the fraction of points, on a log axis, with the 1e-5 the
// emulator must meet. inputs are the points (unused but for the count).
func EarlyErrors(path string, errs map[string][]float64, inputs [][]float64) error {
	var series []Series
	for _, q := range []string{"z_star", "z_drag", "rs_star", "rd", "theta_star_100"} {
		e := append([]float64(nil), errs[q]...)
		if len(e) == 0 {
			continue
		}
		sort.Float64s(e)
		x := make([]float64, len(e))
		for i := range e {
			x[i] = float64(i+1) / float64(len(e))
			e[i] = math.Max(e[i], 1e-12) // a log axis cannot show 0
		}
		series = append(series, Series{Label: q, X: x, Y: e})
	}
	if len(series) == 0 {
		return fmt.Errorf("plots: no early-universe errors to draw")
	}
	series = append(series, Series{Label: "1e-5", X: []float64{0, 1}, Y: []float64{1e-5, 1e-5}})
	panels := []Panel{{Title: fmt.Sprintf("early-universe emulator against the exact route, %d points", len(inputs)),
		XLabel: "fraction of points", YLabel: "relative error (sorted)", LogY: true, Series: series}}
	return Lines(path, panels, 1, 6*vg.Inch, 4*vg.Inch)
}
