package main

import (
	"fmt"
	"io"

	"github.com/cosmoemu/cosmoemu/backend"
	"github.com/cosmoemu/cosmoemu/fit"
)

// printGrowth prints the linear growth of a background: D/D0, f and
// fσ8/σ8 at each redshift, with fσ8 and σ8(z) when sigma8 was given.
func printGrowth(w io.Writer, bg *backend.Background) {
	if bg.DRatio == nil {
		return
	}
	withS8 := bg.FSigma8 != nil
	fmt.Fprintf(w, "%8s %11s %11s %11s", "z", "D/D0", "f", "fs8/s8")
	if withS8 {
		fmt.Fprintf(w, " %11s %11s", "fsigma8", "sigma8(z)")
	}
	fmt.Fprintln(w)
	for i, z := range bg.Z {
		fmt.Fprintf(w, "%8.4g %11.7g %11.7g %11.7g", z, bg.DRatio[i], bg.F[i], bg.FS8OverS8[i])
		if withS8 {
			fmt.Fprintf(w, " %11.7g %11.7g", bg.FSigma8[i], bg.Sigma8Z[i])
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "(linear growth of CDM and baryons; D0 = D(0) = %.7g with D → a in the matter era", bg.D0)
	if bg.S8 != nil {
		fmt.Fprintf(w, "; S8 = σ8 (Ωm/0.3)^0.5 = %.6g", *bg.S8)
	} else {
		fmt.Fprint(w, "; give sigma8 for fσ8, σ8(z) and S8")
	}
	fmt.Fprintln(w, ")")
}

// s8Rows adds the posterior of S8 to a fit's table.
func s8Rows(row func(string, func(*fit.Result) string)) {
	row("S8 mean ± std", func(r *fit.Result) string { return fmt.Sprintf("%.5g ± %.3g", r.S8.Mean, r.S8.Std) })
	row("S8 95% interval", func(r *fit.Result) string { return fmt.Sprintf("[%.5g, %.5g]", r.S8.Q025, r.S8.Q975) })
	row("S8 best fit", func(r *fit.Result) string { return fmt.Sprintf("%.5g", r.S8.BestFit) })
}
