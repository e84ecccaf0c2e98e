package main

import (
	"fmt"
	"io"

	"github.com/cosmoemu/cosmoemu/backend"
	"github.com/cosmoemu/cosmoemu/cosmo"
	"github.com/cosmoemu/cosmoemu/emulator"
)

// printGrowth prints the linear growth of a background: D/D0, f and
// fσ8/σ8 at each redshift, with fσ8 and σ8(z) when sigma8 was given.
func printGrowth(w io.Writer, bg *backend.Background) {
	if bg.GrowthNote != "" {
		fmt.Fprintf(w, "(%s)\n", bg.GrowthNote)
	}
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

// validateGrowth checks the growth emulator of m in file (or the embedded
// one) against its reference (the closed form's ODE, or the solver).
func validateGrowth(e *env, m *cosmo.Model, file string, n int, seed uint64, workers int) (*emulator.Validation, error) {
	var g *emulator.GrowthModel
	var err error
	if file != "" {
		g, err = emulator.LoadGrowth(file, m)
	} else if g, err = emulator.DefaultGrowth(m); err == nil && g == nil {
		err = usagef("model %s has no embedded growth emulator: give one with -emulator FILE (train -model %s -growth)", m.Name(), m.Name())
	}
	if err != nil {
		return nil, err
	}
	var ref cosmo.Backend = backend.Solver{}
	if m.ClosedForm() {
		ref = backend.Analytic{}
	}
	return emulator.ValidateGrowth(e.ctx, g, ref, &emulator.ValidateSettings{Points: n, Seed: seed, Workers: workers})
}
