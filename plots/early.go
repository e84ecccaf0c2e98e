package plots

import (
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/plot/vg"
)

// EarlyTier is one tier of an early-universe validation: its name, as the
// panel's title says it, and its relative errors by quantity (z_star,
// z_drag, rs_star, rd, theta_star_100).
type EarlyTier struct {
	Name   string
	Errors map[string][]float64
}

// EarlyErrors draws the relative errors of the early-universe emulator at
// its validation points, one panel per tier: each quantity's errors
// sorted, against the fraction of points, on a log axis, with the 1e-5
// the issue asked of the inner tier.
func EarlyErrors(path string, tiers []EarlyTier) error {
	var panels []Panel
	for _, t := range tiers {
		var series []Series
		n := 0
		for _, q := range []string{"z_star", "z_drag", "rs_star", "rd", "theta_star_100"} {
			e := append([]float64(nil), t.Errors[q]...)
			if len(e) == 0 {
				continue
			}
			n = len(e)
			sort.Float64s(e)
			x := make([]float64, len(e))
			for i := range e {
				x[i] = float64(i+1) / float64(len(e))
				e[i] = math.Max(e[i], 1e-12) // a log axis cannot show 0
			}
			series = append(series, Series{Label: q, X: x, Y: e})
		}
		if len(series) == 0 {
			continue
		}
		series = append(series, Series{Label: "1e-5", X: []float64{0, 1}, Y: []float64{1e-5, 1e-5}})
		panels = append(panels, Panel{Title: fmt.Sprintf("early universe, %s: %d points against the exact route", t.Name, n),
			XLabel: "fraction of points", YLabel: "relative error (sorted)", LogY: true, Series: series})
	}
	if len(panels) == 0 {
		return fmt.Errorf("plots: no early-universe errors to draw")
	}
	return Lines(path, panels, 1, 6*vg.Inch, 4*vg.Inch)
}
