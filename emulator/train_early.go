package emulator

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/cosmoemu/cosmoemu/cosmo"
)

// DefaultEarlyDomain is the box of the early-universe emulator's inner
// tier: the ω_b ∈ [0.017, 0.027], ω_c ∈ [0.08, 0.16],
// N_eff ∈ [2, 4.5], Σmν ∈ [0, 1] eV, and ω_k = Ωk h² ∈ [−0.25, 0.25]
// (|Ωk| ≤ 0.3 for H0 ≤ 90).
var DefaultEarlyDomain = EarlyDomain{
	Min: [5]float64{0.017, 0.08, 2, 0, -0.25},
	Max: [5]float64{0.027, 0.16, 4.5, 1, 0.25},
}

// DefaultEarlyWideDomain is the box of the outer tier: ω_b over BBN's
// table, [0.005, 0.04], ω_c ∈ [0.002, 1], |ω_k| ≤ 0.3, the rest as the
// inner box: most of what the default priors of a fit (Om ∈ [0.01, 0.99],
// H0 ∈ [20, 100], ω_b ∈ [0.005, 0.1]) reach where the universe is
// physical, so that nested sampling's first iterations need not take the
// exact route.
var DefaultEarlyWideDomain = EarlyDomain{
	Min: [5]float64{0.005, 0.002, 2, 0, -0.3},
	Max: [5]float64{0.04, 1, 4.5, 1, 0.3},
}

// TrainEarly trains the early-universe emulator: for each tier (the inner
// box DefaultEarlyDomain, then the outer DefaultEarlyWideDomain in ln ω_b
// and ln ω_c), Points design points (Owen-scrambled Halton, the box
// widened by padding on every side but Σmν's lower one and ω_b's outer
// box, which is BBN's), the exact epochs at each (cosmo.EarlyExact, about
// 0.2 ms a point, on all cores), and one network of two tanh layers of
// Width units fitted by Adam and variable projection. With Validate > 0 it
// compares the emulator with the exact route at that many random points of
// each box and stores the summary in the file.
func TrainEarly(ctx context.Context, s *TrainSettings) (*Early, error) {
	set, err := s.withDefaults()
	if err != nil {
		return nil, err
	}
	if s == nil || s.Iterations == 0 {
		// Measured: 8000 points, width 32 and 1500 iterations meet 1e-5
		// with a margin of 3.5 (docs/emulators.md) in a minute.
		set.Iterations = 1500
	}
	rec := &TrainingRecord{Seed: set.Seed, Generator: "exact early universe (cosmo.EarlyExact)",
		Design: "Owen-scrambled Halton (gonum samplemv)", Padding: padding, Width: set.Width, Epochs: set.Epochs,
		Networks: map[string]*NetTraining{}}
	spec := EarlySpec{Domain: DefaultEarlyDomain, WideDomain: DefaultEarlyWideDomain, DEDomain: DefaultEarlyDEDomain}
	if spec.Net, err = trainEarlyTier(ctx, &set, false, rec); err != nil {
		return nil, err
	}
	if spec.Wide, err = trainEarlyTier(ctx, &set, true, rec); err != nil {
		return nil, err
	}
	if spec.DE, err = trainEarlyDETier(ctx, &set, rec); err != nil {
		return nil, err
	}
	if spec.Training, err = json.Marshal(rec); err != nil {
		return nil, err
	}
	e, err := NewEarly(spec)
	if err != nil {
		return nil, fmt.Errorf("emulator: %w", err)
	}
	if set.Validate > 0 {
		v, err := ValidateEarly(ctx, e, set.validation())
		if err != nil {
			return nil, err
		}
		if e.valid, err = json.Marshal(v); err != nil {
			return nil, err
		}
	}
	return e, nil
}

// earlyBox is a tier's box in its network's coordinates: ω_b, ω_c, … for
// the inner tier, ln ω_b, ln ω_c, … for the outer one.
type earlyBox struct {
	dom  EarlyDomain
	wide bool
}

func tierBox(e *Early, wide bool) earlyBox {
	if wide {
		return earlyBox{e.wideDom, true}
	}
	return earlyBox{e.domain, false}
}

// coords returns the box's bounds in network coordinates.
func (b earlyBox) coords() (lo, hi [5]float64) {
	lo, hi = b.dom.Min, b.dom.Max
	if b.wide {
		for i := range 2 {
			lo[i], hi[i] = math.Log(lo[i]), math.Log(hi[i])
		}
	}
	return lo, hi
}

// point returns the early point at network coordinates v.
func (b earlyBox) point(v [5]float64) cosmo.EarlyPoint {
	if b.wide {
		v[0], v[1] = math.Exp(v[0]), math.Exp(v[1])
	}
	return cosmo.EarlyPoint{Ombh2: v[0], Omch2: v[1], Nnu: v[2], Mnu: v[3], Omkh2: v[4], DENegligible: true}
}

// trainEarlyTier fits the network of the inner tier or, with wide, of the
// outer one, and records it in rec. Design points where the exact route
// fails (only in the outer box: recombination that does not complete at
// extreme densities) are left out.
func trainEarlyTier(ctx context.Context, set *TrainSettings, wide bool, rec *TrainingRecord) (*Net, error) {
	box, name, inputs, seed := earlyBox{DefaultEarlyDomain, false}, earlyModel, earlyInputs, set.Seed+2
	if wide {
		box, name, inputs, seed = earlyBox{DefaultEarlyWideDomain, true}, earlyModel+" wide", earlyWideInputs, set.Seed+3
	}
	n := set.Points
	cand := halton(n, len(inputs), seed)
	lo, hi := box.coords()
	for i := range lo {
		w := padding * (hi[i] - lo[i])
		lo[i], hi[i] = lo[i]-w, hi[i]+w
	}
	lo[3] = 0 // Σmν ≥ 0
	if wide {
		lo[0], hi[0] = math.Log(box.dom.Min[0]), math.Log(box.dom.Max[0]) // BBN's table
	}
	x := make([][]float64, n)
	y := make([][]float64, n)
	nw := workersOf(set.Workers, n)
	calc := make([]*cosmo.EarlyUniverse, nw)
	for w := range calc {
		calc[w] = cosmo.NewEarlyUniverse(cosmo.EarlyExact)
	}
	err := parallel(ctx, n, nw, func(w, i int) error {
		u := cand.RawRowView(i)
		var v [5]float64
		for j := range v {
			v[j] = lo[j] + (hi[j]-lo[j])*u[j]
		}
		ep := box.point(v)
		e, err := exactEpochs(calc[w], &ep)
		if err != nil {
			if wide {
				return nil // left out
			}
			return fmt.Errorf("emulator: early-universe point %d %+v: %w", i, ep, err)
		}
		t, err := earlyTargets(&ep, &e)
		if err != nil {
			return err
		}
		x[i], y[i] = v[:], t[:]
		return nil
	}, func(done int) { set.report(name+" data", done, n, math.NaN()) })
	if err != nil {
		return nil, err
	}
	return fitEarlyNet(ctx, x, y, inputs, set.fit(name, set.Width, ridgeTiny), rec)
}

// fitEarlyNet fits a tier's network to the design points kept (the rows
// of x and y that are not nil) and records it in rec.
func fitEarlyNet(ctx context.Context, x, y [][]float64, inputs []string, s fitSettings, rec *TrainingRecord) (*Net, error) {
	x, y = slices.DeleteFunc(x, func(r []float64) bool { return r == nil }), slices.DeleteFunc(y, func(r []float64) bool { return r == nil })
	net, res, err := fitNet(ctx, matrix(x), matrix(y), inputs, earlyOutputs, 0, s)
	if err != nil {
		return nil, err
	}
	rec.add(s.name, len(x), net, res)
	return net, nil
}

// exactEpochs returns the exact epochs of an early point (in a curved ΛCDM
// universe with H0 = 100 km/s/Mpc, whose dark energy is negligible early:
// the epochs depend on the point alone).
func exactEpochs(c *cosmo.EarlyUniverse, ep *cosmo.EarlyPoint) (cosmo.Epochs, error) {
	p := earlyParams(ep)
	var e cosmo.Epochs
	err := c.Compute(&e, cosmo.OLCDM, &p)
	return e, err
}

// earlyParams returns the point of curved ΛCDM with H0 = 100 km/s/Mpc of an
// early point.
func earlyParams(ep *cosmo.EarlyPoint) cosmo.Params {
	p := cosmo.Params{H0: 100, Ok: ep.Omkh2, Ombh2: ep.Ombh2, HasOmbh2: true, Mnu: ep.Mnu, Nnu: ep.Nnu}
	p.Om = ep.Ombh2 + ep.Omch2 + p.OmegaNu()
	return p
}

// trainEarlyDETier fits the network of the dark-energy tier and records it
// in rec: DEPoints design points in its box (in ln ω_b, ln ω_c, N_eff,
// Σmν, ln share, w), each a flat wCDM universe (earlyDEParams), whose
// exact epochs give the targets; points where the exact route fails are
// left out.
func trainEarlyDETier(ctx context.Context, set *TrainSettings, rec *TrainingRecord) (*Net, error) {
	name := earlyModel + " dark energy"
	n := set.DEPoints
	cand := halton(n, len(earlyDEInputs), set.Seed+4)
	lo, hi := earlyDECoords(DefaultEarlyDEDomain)
	for i := range lo {
		w := padding * (hi[i] - lo[i])
		lo[i], hi[i] = lo[i]-w, hi[i]+w
	}
	lo[0], hi[0] = math.Log(DefaultEarlyDEDomain.Min[0]), math.Log(DefaultEarlyDEDomain.Max[0]) // BBN's table
	lo[3] = 0                                                                                   // Σmν ≥ 0
	hi[5] = math.Min(hi[5], -1e-3)                                                              // wCDM refuses w ≥ 0
	x := make([][]float64, n)
	y := make([][]float64, n)
	nw := workersOf(set.Workers, n)
	calc := make([]*cosmo.EarlyUniverse, nw)
	nodes := make([]cosmo.Nodes, nw)
	for w := range calc {
		calc[w] = cosmo.NewEarlyUniverse(cosmo.EarlyExact)
		nodes[w] = cosmo.NewNodes(deSoundNodes)
	}
	err := parallel(ctx, n, nw, func(w, i int) error {
		u := cand.RawRowView(i)
		var v [6]float64
		for j := range v {
			v[j] = lo[j] + (hi[j]-lo[j])*u[j]
		}
		v[0], v[1], v[4] = math.Exp(v[0]), math.Exp(v[1]), math.Exp(v[4])
		var vals cosmo.Values
		vals[0] = v[5]
		p := earlyDEParams(cosmo.WCDM, cosmo.ConstantW{}, vals, v)
		var e cosmo.Epochs
		if err := calc[w].Compute(&e, cosmo.WCDM, &p); err != nil {
			return nil // left out
		}
		ep := cosmo.WCDM.EarlyPoint(&p)
		t, err := earlyDETargets(&ep, &e, cosmo.WCDM, &p, nodes[w])
		if err != nil {
			return err
		}
		in := earlyDEX(&ep)
		x[i], y[i] = in[:], t[:]
		return nil
	}, func(done int) { set.report(name+" data", done, n, math.NaN()) })
	if err != nil {
		return nil, err
	}
	return fitEarlyNet(ctx, x, y, earlyDEInputs, set.fit(name, set.DEWidth, ridgeTiny), rec)
}

// earlyDECoords returns the dark-energy box in its network's coordinates.
func earlyDECoords(d EarlyDEDomain) (lo, hi [6]float64) {
	lo, hi = d.Min, d.Max
	for _, i := range []int{0, 1, 4} {
		lo[i], hi[i] = math.Log(lo[i]), math.Log(hi[i])
	}
	return lo, hi
}

// EarlyValidation compares the early-universe emulator with the exact
// route at random points of its domain: the largest and median relative
// errors of z*, z_drag, r_s(z*), r_d and 100θ* (θ* with the exact D_M(z*)
// of the point's universe). Wide is the same for the outer tier, at random
// points of its box (uniform in ln ω_b and ln ω_c), and DE for the
// dark-energy tier, at random w0waCDM points of its box (uniform in
// ln ω_b, ln ω_c, N_eff, Σmν, the logarithm of the share and w at
// z = 800, and wa), where the exact route succeeds.
type EarlyValidation struct {
	Points int                  `json:"points"`
	Seed   uint64               `json:"seed"`
	Max    map[string]float64   `json:"max"`
	Median map[string]float64   `json:"median"`
	Worst  map[string][]float64 `json:"worst"` // the inputs of the largest error (InputNames)
	// InputNames names the inputs of Worst and Inputs.
	InputNames []string         `json:"inputs"`
	Wide       *EarlyValidation `json:"wide,omitempty"`
	DE         *EarlyValidation `json:"dark_energy,omitempty"`
	// Errors holds every point's errors, by quantity, for figures (not
	// stored in the file).
	Errors map[string][]float64 `json:"-"`
	Inputs [][]float64          `json:"-"`
}

// earlyQuantities names the quantities of EarlyValidation.
var earlyQuantities = []string{"z_star", "z_drag", "rs_star", "rd", "theta_star_100"}

// ValidateEarly compares e with the exact route at random points of its
// domain, and of its outer and dark-energy tiers' if it has them (Points,
// default 1000, in each; Seed; Workers).
func ValidateEarly(ctx context.Context, e *Early, s *ValidateSettings) (*EarlyValidation, error) {
	set, err := s.withPoints("ValidateEarly")
	if err != nil {
		return nil, err
	}
	v, err := validateEarlyCases(ctx, e, boxCases(tierBox(e, false), &set), &set)
	if err != nil {
		return nil, err
	}
	if e.wide != nil {
		if v.Wide, err = validateEarlyCases(ctx, e, boxCases(tierBox(e, true), &set), &set); err != nil {
			return nil, err
		}
	}
	if e.de != nil {
		if v.DE, err = validateEarlyCases(ctx, e, deCases(e.deDom, &set), &set); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// earlyCases are the points of a validation: each a model's point and the
// inputs reported for it.
type earlyCases struct {
	names  []string
	models []*cosmo.Model
	params []cosmo.Params
	inputs [][]float64
	strict bool // the exact route must succeed at every point
}

// boxCases returns random points of an inner or outer box (uniform in its
// network's coordinates), as curved ΛCDM universes with H0 = 100.
func boxCases(box earlyBox, set *ValidateSettings) earlyCases {
	seed := uint64(0x6561726c79)
	if box.wide {
		seed++
	}
	rnd := rand.New(rand.NewPCG(set.Seed, seed))
	lo, hi := box.coords()
	c := earlyCases{names: []string{"ombh2", "omch2", "nnu", "mnu", "omkh2"}, strict: !box.wide}
	for range set.Points {
		var v [5]float64
		for j := range v {
			v[j] = lo[j] + (hi[j]-lo[j])*rnd.Float64()
		}
		ep := box.point(v)
		c.models = append(c.models, cosmo.OLCDM)
		c.params = append(c.params, earlyParams(&ep))
		c.inputs = append(c.inputs, []float64{ep.Ombh2, ep.Omch2, ep.Nnu, ep.Mnu, ep.Omkh2})
	}
	return c
}

// deCases returns random w0waCDM points of the dark-energy box: uniform in
// its network's coordinates, and in wa over [−3, 2] where w0 = w − wa·800/801
// stays in [−3, 1] (the priors of the DESI analyses).
func deCases(d EarlyDEDomain, set *ValidateSettings) earlyCases {
	rnd := rand.New(rand.NewPCG(set.Seed, 0x6561726c79+2))
	lo, hi := earlyDECoords(d)
	c := earlyCases{names: []string{"ombh2", "omch2", "nnu", "mnu", "de_share", "de_w", "wa"}}
	const c800 = cosmo.EarlyDEZ / (1 + cosmo.EarlyDEZ)
	for range set.Points {
		var v [6]float64
		for j := range v {
			v[j] = lo[j] + (hi[j]-lo[j])*rnd.Float64()
		}
		v[0], v[1], v[4] = math.Exp(v[0]), math.Exp(v[1]), math.Exp(v[4])
		wlo, whi := math.Max(-3, (v[5]-1)/c800), math.Min(2, (v[5]+3)/c800)
		var vals cosmo.Values
		vals[1] = wlo + (whi-wlo)*rnd.Float64()
		vals[0] = v[5] - vals[1]*c800
		c.models = append(c.models, cosmo.W0WaCDM)
		c.params = append(c.params, earlyDEParams(cosmo.W0WaCDM, cosmo.CPL{}, vals, v))
		c.inputs = append(c.inputs, []float64{v[0], v[1], v[2], v[3], v[4], v[5], vals[1]})
	}
	return c
}

// validateEarlyCases compares e with the exact route at the cases' points,
// leaving out those where the exact route fails (unless strict).
func validateEarlyCases(ctx context.Context, e *Early, cs earlyCases, set *ValidateSettings) (*EarlyValidation, error) {
	n := len(cs.params)
	errs := make(map[string][]float64)
	for _, q := range earlyQuantities {
		errs[q] = make([]float64, n)
	}
	ok := make([]bool, n)
	nw := workersOf(set.Workers, n)
	calc := make([]*cosmo.EarlyUniverse, nw)
	nodes := make([]cosmo.Nodes, nw) // they carry scratch: one set per worker
	for w := range calc {
		calc[w] = cosmo.NewEarlyUniverse(cosmo.EarlyExact)
		nodes[w] = cosmo.NewNodes(64)
	}
	err := parallel(ctx, n, nw, func(w, i int) error {
		m, p := cs.models[i], &cs.params[i]
		var want cosmo.Epochs
		if err := calc[w].Compute(&want, m, p); err != nil {
			if !cs.strict {
				return nil // the exact route fails: no such universe
			}
			return fmt.Errorf("exact at %v: %w", cs.inputs[i], err)
		}
		got, err := e.EpochsAt(m, p)
		if err != nil {
			return err
		}
		ex := m.Expansion(p)
		dm := func(z float64) float64 {
			return cosmo.TransverseDistance(ex.ComovingBetween(1/(1+z), 1, nodes[w]), ex.Ok)
		}
		dH := cosmo.HubbleDistance(p.H0)
		rel := func(a, b float64) float64 { return math.Abs(a/b - 1) }
		errs["z_star"][i] = rel(got.ZStar, want.ZStar)
		errs["z_drag"][i] = rel(got.ZDrag, want.ZDrag)
		errs["rs_star"][i] = rel(got.RsStar, want.RsStar)
		errs["rd"][i] = rel(got.Rd, want.Rd)
		errs["theta_star_100"][i] = rel(got.RsStar/(dH*dm(got.ZStar)), want.RsStar/(dH*dm(want.ZStar)))
		ok[i] = true
		return nil
	}, nil)
	if err != nil {
		return nil, err
	}
	var in [][]float64
	for i := range ok {
		if ok[i] {
			in = append(in, cs.inputs[i])
		}
	}
	for _, q := range earlyQuantities {
		kept := errs[q][:0]
		for i, x := range errs[q] {
			if ok[i] {
				kept = append(kept, x)
			}
		}
		errs[q] = kept
	}
	if len(in) == 0 {
		return nil, fmt.Errorf("emulator: ValidateEarly: the exact route failed at every point")
	}
	v := &EarlyValidation{Points: len(in), Seed: set.Seed, Max: map[string]float64{}, Median: map[string]float64{},
		Worst: map[string][]float64{}, InputNames: cs.names, Errors: errs, Inputs: in}
	for _, q := range earlyQuantities {
		all := errs[q]
		k := argmax(all)
		v.Max[q], v.Worst[q] = all[k], in[k]
		v.Median[q] = median(all)
	}
	return v, nil
}
