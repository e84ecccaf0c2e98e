package main

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

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

// Bounds of the solve flags. H grows like H0·√Ω_r0·e^{−2N} into the past,
// so with H0 ≤ maxH0 it stays below 1e263 down to N = minNMin, far from
// float64's 1.8e308 (and z = e^{−N} − 1 from its limit at N ≈ −709).
const (
	maxH0        = 1e4
	minNMin      = -300
	maxSolveRows = maxSize / 10 // output points; each holds 4 state and 6 output values
)

func runSolve(e *env, args []string) error {
	fs := newFlagSet(e, "solve", "-om Ω_m0 -h0 H0 [-rtol 1e-8] [-n 50] [-out sol.csv]")
	hiOm := 1 - friedmann.DefaultOmegaR0
	om0 := floatFlag(fs, "om", 0.3, 0, hiOm, true, fmt.Sprintf("present matter density `Ω_m0`, in (0, %g); Ω_r0 = %g, Ω_Λ0 = 1 − Ω_m0 − Ω_r0", hiOm, friedmann.DefaultOmegaR0))
	h0 := floatFlagEnds(fs, "h0", 70, 0, maxH0, true, false, fmt.Sprintf("Hubble constant `H0` in km/s/Mpc, in (0, %g]", float64(maxH0)))
	rtol := floatFlag(fs, "rtol", 1e-8, 0, 1, true, "relative tolerance of the solver, in (0, 1); the Ω's are accurate to about this")
	atol := floatFlag(fs, "atol", 1e-10, 0, 1, true, "absolute tolerance of the solver, in (0, 1)")
	n := intFlag(fs, "n", 50, 2, maxSolveRows, "number of output points, evenly spaced in N from 0 to -nmin")
	nmin := floatFlagEnds(fs, "nmin", -12, minNMin, 0, false, true, fmt.Sprintf("earliest e-fold time N = ln a of the output, in [%d, 0)", minNMin))
	dense5 := fs.Bool("dense5", false, "use the order-5 interpolant between steps (two more evaluations per output step)")
	out := fs.String("out", "", "output CSV `file` (default: standard output)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := checkFiles(outFile("out", *out)); err != nil {
		return err
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
	rows := make([][6]float64, len(ns))
	for j, nn := range ns {
		y := sol[j*d : (j+1)*d]
		rows[j] = [6]float64{nn, friedmann.ZOfN(nn), y[friedmann.IndexRadiation], y[friedmann.IndexMatter], y[friedmann.IndexLambda], m.HubbleOf(y)}
		for c, v := range rows[j] {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("solve: at N = %g, %s = %g is not finite; nothing was written", nn, solveColumns[c], v)
			}
		}
	}
	write := func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		fmt.Fprintln(bw, strings.Join(solveColumns[:], ","))
		for _, r := range rows {
			fmt.Fprintf(bw, "%s,%s,%s,%s,%s,%s\n", ff(r[0]), ff(r[1]), ff(r[2]), ff(r[3]), ff(r[4]), ff(r[5]))
		}
		return bw.Flush()
	}
	if *out == "" {
		return write(e.stdout)
	}
	return atomicfile.Write(*out, write)
}

var solveColumns = [6]string{"N", "z", "Omega_r", "Omega_m", "Omega_L", "H"}

// ff formats a float in the shortest form that reads back exactly.
func ff(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
