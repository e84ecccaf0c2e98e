package main

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/cosmoemu/cosmoemu/friedmann"
	"github.com/cosmoemu/cosmoemu/internal/atomicfile"
	"github.com/cosmoemu/cosmoemu/solver"
)

func init() {
	register(command{
		name:    "solve",
		summary: "solve the Friedmann equations of flat ΛCDM with RK45 and write a CSV",
		run:     runSolve,
	})
}

func runSolve(e *env, args []string) error {
	fs := newFlagSet(e, "solve", "-om Ω_m0 -h0 H0 [-rtol 1e-8] [-n 50] [-out sol.csv]")
	om0 := fs.Float64("om", 0.3, "present matter density `Ω_m0`, in (0, 1 − Ω_r0); Ω_r0 = 1e-4, Ω_Λ0 = 1 − Ω_m0 − Ω_r0")
	h0 := fs.Float64("h0", 70, "Hubble constant `H0` in km/s/Mpc")
	rtol := fs.Float64("rtol", 1e-8, "relative tolerance of the solver")
	atol := fs.Float64("atol", 1e-10, "absolute tolerance of the solver")
	n := fs.Int("n", 50, "number of output points, evenly spaced in N from 0 to -nmin")
	nmin := fs.Float64("nmin", -12, "earliest e-fold time N = ln a of the output (negative)")
	dense5 := fs.Bool("dense5", false, "use the order-5 interpolant between steps (two more evaluations per output step)")
	out := fs.String("out", "", "output CSV `file` (default: standard output)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *n < 2 {
		return usagef("solve: -n %d: need at least 2 output points", *n)
	}
	if !(*nmin < 0) || math.IsInf(*nmin, 0) {
		return usagef("solve: -nmin %v: must be a finite negative number", *nmin)
	}
	// Zero means "default" in solver.Settings; on the command line it is a
	// mistake.
	if !(*rtol > 0 && *rtol < 1) {
		return usagef("solve: -rtol %v: the relative tolerance RTol must be in (0, 1)", *rtol)
	}
	if !(*atol > 0) {
		return usagef("solve: -atol %v: the absolute tolerance ATol must be positive", *atol)
	}
	m, err := friedmann.LCDM(*om0, *h0)
	if err != nil {
		return usagef("solve: %v", err)
	}
	set := &solver.Settings{RTol: *rtol, ATol: *atol}
	if *dense5 {
		set.Dense = solver.Order5
	}
	sv, err := solver.New(m.Dim(), set)
	if err != nil {
		return usagef("solve: %v", err)
	}
	ns := make([]float64, *n)
	for i := range ns {
		ns[i] = *nmin * float64(i) / float64(*n-1)
	}
	ns[0] = 0 // not −0 in the output
	d := m.Dim()
	sol := make([]float64, len(ns)*d)
	if _, err := sv.Solve(sol, m.Derivs, 0, m.InitialState(nil), ns); err != nil {
		return fmt.Errorf("solve: %w", err)
	}
	write := func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		fmt.Fprintln(bw, "N,z,Omega_r,Omega_m,Omega_L,H")
		for j, nn := range ns {
			y := sol[j*d : (j+1)*d]
			h := *h0 * math.Exp(y[3]-math.Log(*h0))
			fmt.Fprintf(bw, "%s,%s,%s,%s,%s,%s\n", ff(nn), ff(friedmann.ZOfN(nn)), ff(y[0]), ff(y[1]), ff(y[2]), ff(h))
		}
		return bw.Flush()
	}
	if *out == "" {
		return write(e.stdout)
	}
	return atomicfile.Write(*out, write)
}

// ff formats a float in the shortest form that reads back exactly.
func ff(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
