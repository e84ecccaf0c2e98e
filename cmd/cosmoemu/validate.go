package main

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/plot/vg"

	"github.com/cosmoemu/cosmoemu/emulator"
	"github.com/cosmoemu/cosmoemu/friedmann"
	"github.com/cosmoemu/cosmoemu/plots"
)

func init() {
	register(command{
		name:    "validate",
		summary: "check an emulator: a model's against the solver (-model NAME), or the Friedmann emulator against the closed form with the paper's Figs. 6 and 7",
		run:     runValidate,
	})
}

// validateJSON is the -json output of validate.
type validateJSON struct {
	Model  string                   `json:"model"`
	Recipe string                   `json:"recipe"`
	Seed   uint64                   `json:"seed"`
	Domain emulator.FriedmannDomain `json:"domain"`
	*emulator.FriedmannReport
	Fig6 string `json:"fig6,omitempty"`
	Fig7 string `json:"fig7,omitempty"`
}

func runValidate(e *env, args []string) error {
	if modelArg(args) != "" {
		return runValidateModel(e, args)
	}
	fs := newFlagSet(e, "validate", "-model lcdm|olcdm|wcdm|w0wacdm|quintessence [-emulator FILE] [-plot FILE] [-json]   (a model's emulator against the solver; its flags: validate -model NAME -h)\n   or: cosmoemu validate [-model default|FILE] [-n 1000] [-seed S] [-json] [-fig6 FILE] [-fig7 FILE]   (the paper's Friedmann emulator; its flags below)")
	model := fs.String("model", "default", "emulator: `default` (embedded) or a model file")
	n := intFlag(fs, "n", 1000, 1, maxSize, "random points in each test set (whole domain; z in [0, 3])")
	seed := fs.Uint64("seed", 1, "random `seed` of the test points")
	asJSON := fs.Bool("json", false, "print one JSON object instead of a table")
	fig6 := fs.String("fig6", "", "PNG `file` to draw the paper's Fig. 6 to: Ω_i and H against N, emulator and solver, at Ω_m0 = 0.3, H0 = 70")
	fig7 := fs.String("fig7", "", "PNG `file` to draw the paper's Fig. 7 to: curves for several parameter points")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	modelFile := *model
	if modelFile == "default" {
		modelFile = ""
	}
	if err := checkFiles(inFile("model", modelFile), outFile("fig6", *fig6), outFile("fig7", *fig7)); err != nil {
		return err
	}
	warnShadowed(e, "model", *model, "default")
	m, err := loadModel(*model)
	if err != nil {
		return err
	}
	r, err := emulator.ValidateFriedmann(m, *n, rand.New(rand.NewPCG(*seed, 0x76616c6964)))
	if err != nil {
		return err
	}
	if *fig6 != "" {
		if err := drawFig6(*fig6, m); err != nil {
			return err
		}
	}
	if *fig7 != "" {
		if err := drawFig7(*fig7, m); err != nil {
			return err
		}
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(validateJSON{Model: *model, Recipe: m.Recipe(), Seed: *seed, Domain: m.Domain(), FriedmannReport: r, Fig6: *fig6, Fig7: *fig7})
	}
	d := m.Domain()
	w := e.stdout
	fmt.Fprintf(w, "model %s (recipe %s), domain Om0 %v, H0 %v, N %v\n", *model, m.Recipe(), d.Om0, d.H0, d.N)
	fmt.Fprintf(w, "against the closed form, %d random points per set (seed %d):\n", r.N, *seed)
	fmt.Fprintf(w, "  %-36s %10s %10s\n", "", "max", "median")
	fmt.Fprintf(w, "  %-36s %10.3g %10.3g\n", "relative error of H, z in [0, 3]", r.MaxRelErrHZ03, r.MedianRelErrHZ03)
	fmt.Fprintf(w, "  %-36s %10.3g %10.3g\n", "relative error of H, whole domain", r.MaxRelErrHAll, r.MedianRelErrHAll)
	fmt.Fprintf(w, "  %-36s %10.3g\n", "absolute error of Omega_i", math.Max(r.MaxAbsErrOmega, r.MaxAbsErrOmegaZ3))
	fmt.Fprintf(w, "  worst H at N = %.4g, Om0 = %.4g, H0 = %.4g\n", r.WorstN, r.WorstOm0, r.WorstH0)
	for _, f := range []string{*fig6, *fig7} {
		if f != "" {
			fmt.Fprintf(w, "wrote %s\n", f)
		}
	}
	return nil
}

// reference returns the solver's curve at the times ns, the one the model
// emulates.
func reference(m *emulator.Friedmann, ns []float64, om0, h0 float64) ([]emulator.Point, error) {
	p := make([]emulator.Point, len(ns))
	return p, m.Solve(p, ns, om0, h0)
}

func linspace(a, b float64, n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = a + (b-a)*float64(i)/float64(n-1)
	}
	return v
}

// centre returns (0.3, 70) if the domain holds it, else the domain's centre.
func centre(d emulator.FriedmannDomain) (om0, h0 float64) {
	om0, h0 = 0.3, 70
	if om0 < d.Om0[0] || om0 > d.Om0[1] {
		om0 = (d.Om0[0] + d.Om0[1]) / 2
	}
	if h0 < d.H0[0] || h0 > d.H0[1] {
		h0 = (d.H0[0] + d.H0[1]) / 2
	}
	return om0, h0
}

// drawFig6 draws the paper's Fig. 6: the emulator against the solver for
// Ω_i and H over the domain's N range at one parameter point, with their
// differences.
func drawFig6(path string, m *emulator.Friedmann) error {
	d := m.Domain()
	om0, h0 := centre(d)
	ns := linspace(d.N[0], d.N[1], 400)
	ref, err := reference(m, ns, om0, h0)
	if err != nil {
		return err
	}
	pts := make([]emulator.Point, len(ns))
	if err := m.Curve(pts, ns, om0, h0); err != nil {
		return err
	}
	names := []string{"Ω_r", "Ω_m", "Ω_Λ"}
	var omegas, errs []plots.Series
	dOm := make([]float64, len(ns))
	for i := range 3 {
		sol, emu := make([]float64, len(ns)), make([]float64, len(ns))
		for j, p := range pts {
			sol[j] = [3]float64{ref[j].OmegaR, ref[j].OmegaM, ref[j].OmegaL}[i]
			emu[j] = [3]float64{p.OmegaR, p.OmegaM, p.OmegaL}[i]
			dOm[j] = math.Max(dOm[j], math.Abs(emu[j]-sol[j]))
		}
		omegas = append(omegas,
			plots.Series{X: ns, Y: sol, Color: plots.Palette[i]},
			plots.Series{X: ns, Y: emu, Dashed: true, Color: plots.Palette[i]})
	}
	hSol, hEmu, dH := make([]float64, len(ns)), make([]float64, len(ns)), make([]float64, len(ns))
	for j, p := range pts {
		hSol[j], hEmu[j] = ref[j].H, p.H
		dH[j] = math.Abs(p.H/ref[j].H - 1)
	}
	errs = append(errs,
		plots.Series{Label: "max |ΔΩ_i|", X: ns, Y: dOm},
		plots.Series{Label: "|ΔH|/H", X: ns, Y: dH})
	// Name the fluids where their curves are far apart.
	at := func(n float64) int { return int(math.Round((n - d.N[0]) / (d.N[1] - d.N[0]) * float64(len(ns)-1))) }
	var labels []plots.Label
	for i, n := range []float64{d.N[0] + 0.15*(d.N[1]-d.N[0]), d.N[0] + 0.6*(d.N[1]-d.N[0]), d.N[0] + 0.93*(d.N[1]-d.N[0])} {
		j := max(0, min(len(ns)-1, at(n)))
		y := [3]float64{ref[j].OmegaR, ref[j].OmegaM, ref[j].OmegaL}[i]
		labels = append(labels, plots.Label{X: ns[j], Y: y - 0.08, Text: names[i], Color: plots.Palette[i]})
	}
	title := fmt.Sprintf("Ω_m0 = %g, H0 = %g (recipe %s)", om0, h0, m.Recipe())
	return plots.Lines(path, []plots.Panel{
		{Title: "Ω_i: solver solid, emulator dashed", XLabel: "N = ln a", YLabel: "Ω_i", Series: omegas, Labels: labels},
		{Title: "H, " + title, XLabel: "N = ln a", YLabel: "H [km/s/Mpc]", LogY: true, Series: []plots.Series{
			{Label: "solver", X: ns, Y: hSol}, {Label: "emulator", X: ns, Y: hEmu, Dashed: true}}},
		{Title: "emulator − solver", XLabel: "N = ln a", YLabel: "error", LogY: true, Series: errs, LegendLeft: true, LegendBottom: true},
	}, 3, 4.5*vg.Inch, 3.5*vg.Inch)
}

// drawFig7 draws curves for several parameter points: H(z) over z ∈ [0, 3]
// and Ω_m(N), emulator against solver.
func drawFig7(path string, m *emulator.Friedmann) error {
	d := m.Domain()
	zMax := math.Min(3, friedmann.ZOfN(d.N[0]))
	zs := linspace(math.Max(0, friedmann.ZOfN(d.N[1])), zMax, 200)
	nz := make([]float64, len(zs))
	for i := len(zs) - 1; i >= 0; i-- {
		nz[len(zs)-1-i] = friedmann.NOfZ(zs[i])
	}
	ns := linspace(d.N[0], d.N[1], 300)
	var hs, oms []plots.Series
	for k := range 5 {
		om0 := d.Om0[0] + (d.Om0[1]-d.Om0[0])*float64(k)/4
		h0 := d.H0[0] + (d.H0[1]-d.H0[0])*float64((k*3)%5)/4
		col := plots.Palette[k%len(plots.Palette)]
		label := fmt.Sprintf("Ω_m0 = %.2f, H0 = %.0f", om0, h0)

		ref, err := reference(m, nz, om0, h0)
		if err != nil {
			return err
		}
		pts := make([]emulator.Point, len(nz))
		if err := m.Curve(pts, nz, om0, h0); err != nil {
			return err
		}
		hSol, hEmu := make([]float64, len(zs)), make([]float64, len(zs))
		for i := range zs {
			j := len(zs) - 1 - i // nz runs backwards in z
			hSol[i], hEmu[i] = ref[j].H, pts[j].H
		}
		hs = append(hs, plots.Series{Label: label, X: zs, Y: hSol, Color: col},
			plots.Series{X: zs, Y: hEmu, Dashed: true, Color: col})

		refN, err := reference(m, ns, om0, h0)
		if err != nil {
			return err
		}
		ptsN := make([]emulator.Point, len(ns))
		if err := m.Curve(ptsN, ns, om0, h0); err != nil {
			return err
		}
		mSol, mEmu := make([]float64, len(ns)), make([]float64, len(ns))
		for i := range ns {
			mSol[i], mEmu[i] = refN[i].OmegaM, ptsN[i].OmegaM
		}
		oms = append(oms, plots.Series{X: ns, Y: mSol, Color: col},
			plots.Series{X: ns, Y: mEmu, Dashed: true, Color: col})
	}
	return plots.Lines(path, []plots.Panel{
		{Title: "H(z): solver (solid), emulator (dashed)", XLabel: "z", YLabel: "H [km/s/Mpc]", Series: hs, LegendLeft: true},
		{Title: "Ω_m(N), same parameter points and colours", XLabel: "N = ln a", YLabel: "Ω_m", Series: oms},
	}, 2, 5*vg.Inch, 4*vg.Inch)
}
