package main

import (
	"bufio"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/cosmoemu/cosmoemu/backend"
	"github.com/cosmoemu/cosmoemu/cosmo"
	"github.com/cosmoemu/cosmoemu/emulator"
	"github.com/cosmoemu/cosmoemu/fit"
)

func init() {
	register(command{
		name:    "background",
		summary: "the expansion, distances, early-universe scalars and linear growth of one model at one parameter point",
		run:     runBackground,
	})
}

func runBackground(e *env, args []string) error {
	fs := newFlagSet(e, "background", "-model NAME -p NAME=VALUE,… -z Z1,Z2,… [-zhel …] [-backend analytic|solver|emulator] [-early exact|emulator|fitting] [-rtol 1e-9] [-json]")
	model := fs.String("model", "lcdm", "`model`: "+modelList(", ", " or "))
	var params listFlag // repeatable: a name given twice is refused, not replaced
	fs.Var(&params, "p", "parameters as `NAME=VALUE,…`, repeatable (Om or omch2, Ok, w, w0, wa, lambda, H0, mnu (default 0.06 eV), nnu (default 3.044); ombh2 adds z*, r_s(z*), θ*, z_drag, r_d, R, l_A; sigma8 adds fσ8, σ8(z), S8)")
	early := fs.String("early", "exact", "early universe: `exact` (recombination, as CAMB), emulator (its emulator, exact outside its domain) or fitting (Hu & Sugiyama z*, Aubourg et al. r_d)")
	zs := fs.String("z", "0.1,0.5,1,2.33", "redshifts `Z1,Z2,…` (> 0)")
	zhel := fs.String("zhel", "", "heliocentric redshifts for D_L and μ, one per -z value (default: the same)")
	be := fs.String("backend", "", "`backend`: analytic (closed form and quadrature; not for quintessence), solver (RK45) or emulator; default analytic where it exists")
	emuFile := fs.String("emulator", "", "emulator model `file` (default: the embedded one of the model)")
	noFallback := fs.Bool("no-fallback", false, "refuse a point outside the emulator's domain instead of answering it with the solver")
	rtol := floatFlag(fs, "rtol", 0, 0, 1e-3, false, "solver tolerance (RTol = ATol); 0 means the default 1e-9")
	asJSON := fs.Bool("json", false, "print one JSON object")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	m, err := cosmo.Lookup(*model)
	if err != nil {
		return usagef("background: -model: %v", err)
	}
	vals, err := cosmo.ParseAssignments(params.String())
	if err != nil {
		return usagef("background: -p: %v", err)
	}
	p, err := m.NewParams(vals)
	if err != nil {
		return usagef("background: -p: %v", err)
	}
	z, err := parseList(*zs)
	if err != nil {
		return usagef("background: -z: %v", err)
	}
	for _, v := range z {
		if !(v > 0) {
			return usagef("background: -z: redshift %g must be > 0", v)
		}
	}
	var zh []float64
	if *zhel != "" {
		if zh, err = parseList(*zhel); err != nil {
			return usagef("background: -zhel: %v", err)
		}
		for _, v := range zh {
			if !(v > -1) {
				return usagef("background: -zhel: heliocentric redshift %g must be > −1", v)
			}
		}
		if len(zh) != len(z) {
			return usagef("background: -zhel has %d values for %d redshifts", len(zh), len(z))
		}
	}
	route, err := fit.NewEarly(*early, *noFallback)
	if err != nil {
		return usagef("background: -early: %v", err)
	}
	b, err := fit.NewBackend(*be, m, &fit.BackendSettings{SolverRTol: *rtol, EmulatorFile: *emuFile, NoFallback: *noFallback, Early: route})
	if err != nil {
		return fitUsage("background", err)
	}
	// Flags that would change nothing are refused, as fit refuses them
	// (NewBackend a model file its backend does not read).
	if *noFallback && !fit.EmulatesBackground(b, route, p.HasOmbh2) {
		return usagef("background: -no-fallback: no emulator answers (backend %s; the early-universe emulator only with -early emulator and ombh2): leave it out", b.Name())
	}
	bg, err := backend.Observe(b, m, p, z, zh)
	if err != nil {
		var pe *cosmo.PointError
		var de *emulator.DomainError
		if errors.As(err, &pe) || errors.As(err, &de) {
			return usagef("background: %v", err)
		}
		return fmt.Errorf("background: %w", err)
	}
	// No answer with a NaN or an infinity, whatever the redshift: past
	// what float64 holds (E ∝ z² overflows near z = 1e154), the input is
	// refused naming the quantity.
	if name, i, v, bad := firstNonFinite(bg); bad {
		at := ""
		if i >= 0 && i < len(z) {
			at = fmt.Sprintf(" at z = %g", z[i])
		}
		return usagef("background: %s%s is %v, beyond what a float64 holds: give smaller redshifts (-z)", name, at, v)
	}
	if eb, ok := b.(emulator.Backend); ok && eb.Stats.Fallbacks() > 0 {
		d := eb.Emulator.Domain()
		fmt.Fprintf(e.stderr, "background: note: the point is outside the emulator's domain (%s): the solver answered\n", d.String())
	} else if ok && eb.Stats.GrowthFallbacks() > 0 {
		fmt.Fprintf(e.stderr, "background: note: %s has no growth emulator: the solver computed D/D0 and f, the emulator the rest\n", m.Name())
	}
	if *asJSON {
		return writeJSON(e.stdout, bg)
	}
	return printBackground(e, bg, *early)
}

// parseList reads comma-separated finite numbers.
func parseList(s string) ([]float64, error) {
	var out []float64
	for _, f := range strings.Split(s, ",") {
		v, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%q is not a finite number", strings.TrimSpace(f))
		}
		out = append(out, v)
	}
	if len(out) > maxSize {
		return nil, fmt.Errorf("%d values; at most %d", len(out), maxSize)
	}
	return out, nil
}

// printBackground prints the observables of bg, its early universe from
// the route named early.
func printBackground(e *env, bg *backend.Background, early string) error {
	w := bufio.NewWriter(e.stdout)
	fmt.Fprintf(w, "model %s, backend %s:", bg.Model, bg.Backend)
	for _, name := range slices.Sorted(maps.Keys(bg.Params)) {
		fmt.Fprintf(w, " %s=%g", name, bg.Params[name])
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "%8s %10s %10s %11s %11s %11s %11s %9s %11s %11s %8s %9s\n",
		"z", "E", "H", "D_C", "D_M", "D_A", "D_L", "mu", "D_H", "D_V", "w", "t_lb")
	for i, z := range bg.Z {
		fmt.Fprintf(w, "%8.4g %10.6g %10.6g %11.6g %11.6g %11.6g %11.6g %9.6g %11.6g %11.6g %8.4g %9.5g\n",
			z, bg.E[i], bg.H[i], bg.DC[i], bg.DM[i], bg.DA[i], bg.DL[i], bg.Mu[i], bg.DH[i], bg.DV[i], bg.W[i], bg.Lookback[i])
	}
	fmt.Fprintln(w, "(distances in Mpc, H in km/s/Mpc, mu in mag, lookback time t_lb in Gyr)")
	fmt.Fprintf(w, "age of the universe t0 = %.6g Gyr\n", bg.AgeGyr)
	if bg.Rd != nil {
		fmt.Fprintf(w, "early universe (%s): z* = %.6g, r_s(z*) = %.6g Mpc, D_M(z*) = %.6g Mpc, 100θ* = %.6g; ",
			early, *bg.ZStar, *bg.RsStar, *bg.DMStar, *bg.ThetaStar100)
		if bg.ZDrag != nil {
			fmt.Fprintf(w, "z_drag = %.6g, ", *bg.ZDrag)
		}
		fmt.Fprintf(w, "r_d = %.6g Mpc", *bg.Rd)
		if bg.YHe != nil {
			fmt.Fprintf(w, "; Y_He = %.5g", *bg.YHe)
		}
		fmt.Fprintf(w, "\nR = %.6g, l_A = %.6g (from this z*, r_s and D_M); Ω_ν = %.4g (in Om)\n", *bg.R, *bg.LA, bg.OmegaNu)
	} else {
		fmt.Fprintln(w, "(give ombh2 for z*, r_s(z*), θ*, z_drag, r_d, R and l_A)")
	}
	printGrowth(w, bg)
	return w.Flush()
}
