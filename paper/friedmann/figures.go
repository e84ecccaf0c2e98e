package friedmann

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/plot/vg"

	"github.com/cosmoemu/cosmoemu/emulator"
	cosmofriedmann "github.com/cosmoemu/cosmoemu/friedmann"
	"github.com/cosmoemu/cosmoemu/plots"
)

// Validation is a check of a Friedmann emulator against the closed form,
// as `cosmoemu validate -json` prints it.
type Validation struct {
	Model  string                   `json:"model"` // "default" or the model file
	Recipe string                   `json:"recipe"`
	Seed   uint64                   `json:"seed"`
	Domain emulator.FriedmannDomain `json:"domain"`
	*emulator.FriedmannReport
	// The figures drawn, if any (the caller's).
	Fig6 string `json:"fig6,omitempty"`
	Fig7 string `json:"fig7,omitempty"`
}

// Validate checks the emulator m (named model) against the closed form at
// n random points of its domain, drawn from seed
// (emulator.ValidateFriedmann).
func Validate(m *emulator.Friedmann, model string, n int, seed uint64) (*Validation, error) {
	r, err := emulator.ValidateFriedmann(m, n, rand.New(rand.NewPCG(seed, 0x76616c6964)))
	if err != nil {
		return nil, err
	}
	return &Validation{Model: model, Recipe: m.Recipe(), Seed: seed, Domain: m.Domain(), FriedmannReport: r}, nil
}

// curves returns the solver's curve at the times ns (the one the model
// emulates) and the emulator's.
func curves(m *emulator.Friedmann, ns []float64, om0, h0 float64) (ref, emu []emulator.Point, err error) {
	ref, emu = make([]emulator.Point, len(ns)), make([]emulator.Point, len(ns))
	if err := m.Solve(ref, ns, om0, h0); err != nil {
		return nil, nil, err
	}
	if err := m.Curve(emu, ns, om0, h0); err != nil {
		return nil, nil, err
	}
	return ref, emu, nil
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

// Fig6 draws the paper's Fig. 6: the emulator against the solver for
// Ω_i and H over the domain's N range at one parameter point, with their
// differences.
func Fig6(path string, m *emulator.Friedmann) error {
	d := m.Domain()
	om0, h0 := centre(d)
	ns := linspace(d.N[0], d.N[1], 400)
	ref, pts, err := curves(m, ns, om0, h0)
	if err != nil {
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

// Fig7 draws the paper's Fig. 7 to path: curves for several parameter points: H(z) over z ∈ [0, 3]
// and Ω_m(N), emulator against solver.
func Fig7(path string, m *emulator.Friedmann) error {
	d := m.Domain()
	zMax := math.Min(3, cosmofriedmann.ZOfN(d.N[0]))
	zs := linspace(math.Max(0, cosmofriedmann.ZOfN(d.N[1])), zMax, 200)
	nz := make([]float64, len(zs))
	for i := len(zs) - 1; i >= 0; i-- {
		nz[len(zs)-1-i] = cosmofriedmann.NOfZ(zs[i])
	}
	ns := linspace(d.N[0], d.N[1], 300)
	var hs, oms []plots.Series
	for k := range 5 {
		om0 := d.Om0[0] + (d.Om0[1]-d.Om0[0])*float64(k)/4
		h0 := d.H0[0] + (d.H0[1]-d.H0[0])*float64((k*3)%5)/4
		col := plots.Palette[k%len(plots.Palette)]
		label := fmt.Sprintf("Ω_m0 = %.2f, H0 = %.0f", om0, h0)

		ref, pts, err := curves(m, nz, om0, h0)
		if err != nil {
			return err
		}
		hSol, hEmu := make([]float64, len(zs)), make([]float64, len(zs))
		for i := range zs {
			j := len(zs) - 1 - i // nz runs backwards in z
			hSol[i], hEmu[i] = ref[j].H, pts[j].H
		}
		hs = append(hs, plots.Series{Label: label, X: zs, Y: hSol, Color: col},
			plots.Series{X: zs, Y: hEmu, Dashed: true, Color: col})

		refN, ptsN, err := curves(m, ns, om0, h0)
		if err != nil {
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

// LossFigure draws the training and validation loss of each network per
// epoch (the inset of the paper's Fig. 6) to path.
func LossFigure(path string, h *History) error {
	var panels []plots.Panel
	for i, name := range h.Network {
		loss, val := h.Loss[i], h.ValLoss[i]
		x := make([]float64, len(loss))
		for j := range x {
			x[j] = float64(j + 1)
		}
		stages := h.Stages[i]
		label := "training"
		if len(stages) > 0 && stages[len(stages)-1] == "lbfgs" {
			label = "training (Adam, then L-BFGS iterations)"
		}
		panels = append(panels, plots.Panel{
			Title: "network " + name, XLabel: "epoch / iteration", YLabel: "MSE (scaled outputs)", LogY: true,
			Series: []plots.Series{{Label: label, X: x, Y: loss}, {Label: "validation", X: x, Y: val, Dashed: true}},
		})
	}
	return plots.Lines(path, panels, len(panels), 5*vg.Inch, 3.5*vg.Inch)
}
