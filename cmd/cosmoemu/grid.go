package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/cosmoemu/cosmoemu/grid"
)

func init() {
	register(command{
		name:    "grid",
		summary: "build the Cartesian training grid (N, Ω_m0, H0) and write it as .npy or .npz",
		run:     runGrid,
	})
}

func runGrid(e *env, args []string) error {
	fs := newFlagSet(e, "grid", "[-om 0.1:0.5:41] [-h0 66:80:15] [-N -12:0:50] -out grid.npz")
	spec := grid.PaperSpec()
	om := fs.String("om", spec.Om0.String(), "Ω_m0 axis as `min:max:count`")
	h0 := fs.String("h0", spec.H0.String(), "H0 axis in km/s/Mpc as `min:max:count`")
	n := fs.String("N", spec.N.String(), "e-fold time N = ln a axis as `min:max:count`")
	rtol := floatFlag(fs, "rtol", 1e-10, 0, 1, true, "relative tolerance of the solver, in (0, 1)")
	var workers int
	workersFlag(fs, &workers)
	out := fs.String("out", "", "output `file`, .npy (one float64 matrix, columns N,Om0,H0,Omega_r,Omega_m,Omega_L,H) or .npz (one array per column)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usagef("grid: -out is required (a .npy or .npz file)")
	}
	if ext := strings.ToLower(filepath.Ext(*out)); ext != ".npy" && ext != ".npz" {
		return usagef("grid: -out %s: the extension must be .npy or .npz", *out)
	}
	if err := checkFiles(outFile("out", *out)); err != nil {
		return err
	}
	var err error
	if spec.Om0, err = grid.ParseAxis("Om0 (-om)", *om); err != nil {
		return usageError{err.Error()}
	}
	if spec.H0, err = grid.ParseAxis("H0 (-h0)", *h0); err != nil {
		return usageError{err.Error()}
	}
	if spec.N, err = grid.ParseAxis("N (-N)", *n); err != nil {
		return usageError{err.Error()}
	}
	spec.RTol = *rtol
	if err := spec.Validate(); err != nil {
		return usageError{err.Error()}
	}
	pairs := int64(spec.Om0.Count * spec.H0.Count)
	bar := newProgress(e, pairs, "solving")
	start := time.Now()
	g, err := grid.Build(e.ctx, spec, &grid.Settings{
		Workers:  workers,
		Progress: func(done, _ int) { bar.Set(int64(done)) },
	})
	bar.Finish()
	if err != nil {
		return interrupted(err, "nothing was written")
	}
	elapsed := time.Since(start)
	if err := grid.Write(*out, g); err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "wrote %s: %d rows (%d solves in %.3g s)\n", *out, spec.Rows(), pairs, elapsed.Seconds())
	return nil
}
