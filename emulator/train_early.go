package emulator

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"github.com/cosmoemu/cosmoemu/cosmo"
)

// DefaultEarlyDomain is the box of the early-universe emulator: the issue's
// ω_b ∈ [0.017, 0.027], ω_c ∈ [0.08, 0.16], N_eff ∈ [2, 4.5],
// Σmν ∈ [0, 1] eV, and ω_k = Ωk h² ∈ [−0.25, 0.25] (|Ωk| ≤ 0.3 for
// H0 ≤ 90).
var DefaultEarlyDomain = EarlyDomain{
	Min: [5]float64{0.017, 0.08, 2, 0, -0.25},
	Max: [5]float64{0.027, 0.16, 4.5, 1, 0.25},
}

// TrainEarly trains the early-universe emulator on DefaultEarlyDomain:
// Points design points (Owen-scrambled Halton, the box widened by padding
// on every side but Σmν's lower one), the exact epochs at each
// (cosmo.EarlyExact, about 0.2 ms a point, on all cores), and one network
// of two tanh layers of Width units fitted by Adam and variable projection.
// With Validate > 0 it compares the emulator with the exact route at that
// many random points of the domain and stores the summary in the file.
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
	dom := DefaultEarlyDomain
	n := set.Points
	cand := halton(n, len(earlyInputs), set.Seed+2)
	var lo, hi [5]float64
	for i := range lo {
		w := padding * (dom.Max[i] - dom.Min[i])
		lo[i], hi[i] = dom.Min[i]-w, dom.Max[i]+w
	}
	lo[3] = 0 // Σmν ≥ 0
	x := make([][]float64, n)
	y := make([][]float64, n)
	nw := workersOf(set.Workers, n)
	calc := make([]*cosmo.EarlyUniverse, nw)
	for w := range calc {
		calc[w] = cosmo.NewEarlyUniverse(cosmo.EarlyExact)
	}
	progress := func(stage string) func(int) {
		return func(done int) {
			if set.Progress != nil {
				set.Progress(stage, done, n, math.NaN())
			}
		}
	}
	err = parallel(ctx, n, nw, func(w, i int) error {
		u := cand.RawRowView(i)
		var ep cosmo.EarlyPoint
		v := [5]float64{}
		for j := range v {
			v[j] = lo[j] + (hi[j]-lo[j])*u[j]
		}
		ep.Ombh2, ep.Omch2, ep.Nnu, ep.Mnu, ep.Omkh2 = v[0], v[1], v[2], v[3], v[4]
		e, err := exactEpochs(calc[w], &ep)
		if err != nil {
			return fmt.Errorf("emulator: early-universe point %d %+v: %w", i, ep, err)
		}
		t, err := earlyTargets(&ep, &e)
		if err != nil {
			return err
		}
		x[i], y[i] = v[:], t[:]
		return nil
	}, progress("early data"))
	if err != nil {
		return nil, err
	}
	fs := fitSettings{name: earlyModel, width: set.Width, epochs: set.Epochs, iterations: set.Iterations,
		seed: set.Seed, workers: set.Workers, progress: set.Progress}
	net, res, err := fitNet(ctx, matrix(x), matrix(y), earlyInputs, earlyOutputs, 0, fs)
	if err != nil {
		return nil, err
	}
	rec := &TrainingRecord{Seed: set.Seed, Generator: "exact early universe (cosmo.EarlyExact)",
		Design: "Owen-scrambled Halton (gonum samplemv)", Padding: padding, Width: set.Width, Epochs: set.Epochs,
		Networks: map[string]*NetTraining{earlyModel: {Points: n, Loss: res.Loss, Iterations: res.Iterations, Status: res.Status, Restarts: res.Restarts, Params: net.Net.NumParams()}}}
	spec := EarlySpec{Net: net, Domain: dom}
	if spec.Training, err = json.Marshal(rec); err != nil {
		return nil, err
	}
	e, err := NewEarly(spec)
	if err != nil {
		return nil, fmt.Errorf("emulator: %w", err)
	}
	if set.Validate > 0 {
		v, err := ValidateEarly(ctx, e, &ValidateSettings{Points: set.Validate, Seed: set.Seed, Workers: set.Workers})
		if err != nil {
			return nil, err
		}
		if spec.Validation, err = json.Marshal(v); err != nil {
			return nil, err
		}
		if e, err = NewEarly(spec); err != nil {
			return nil, fmt.Errorf("emulator: %w", err)
		}
	}
	return e, nil
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

// EarlyValidation compares the early-universe emulator with the exact
// route at random points of its domain: the largest and median relative
// errors of z*, z_drag, r_s(z*), r_d and 100θ* (θ* with the exact D_M(z*)
// of the point's ΛCDM universe with H0 = 100).
type EarlyValidation struct {
	Points int                   `json:"points"`
	Seed   uint64                `json:"seed"`
	Max    map[string]float64    `json:"max"`
	Median map[string]float64    `json:"median"`
	Worst  map[string][5]float64 `json:"worst"` // the inputs of the largest error
	// Errors holds every point's errors, by quantity, for figures (not
	// stored in the file).
	Errors map[string][]float64 `json:"-"`
	Inputs [][5]float64         `json:"-"`
}

// earlyQuantities names the quantities of EarlyValidation.
var earlyQuantities = []string{"z_star", "z_drag", "rs_star", "rd", "theta_star_100"}

// ValidateEarly compares e with the exact route at random points of its
// domain (Points, default 1000; Seed; Workers).
func ValidateEarly(ctx context.Context, e *Early, s *ValidateSettings) (*EarlyValidation, error) {
	var set ValidateSettings
	if s != nil {
		set = *s
	}
	if set.Points == 0 {
		set.Points = 1000
	}
	if set.Seed == 0 {
		set.Seed = 1
	}
	if set.Points < 1 {
		return nil, fmt.Errorf("emulator: ValidateEarly: %d points", set.Points)
	}
	rnd := rand.New(rand.NewPCG(set.Seed, 0x6561726c79))
	pts := make([]cosmo.EarlyPoint, set.Points)
	in := make([][5]float64, set.Points)
	for i := range pts {
		var v [5]float64
		for j := range v {
			v[j] = e.domain.Min[j] + (e.domain.Max[j]-e.domain.Min[j])*rnd.Float64()
		}
		in[i] = v
		pts[i] = cosmo.EarlyPoint{Ombh2: v[0], Omch2: v[1], Nnu: v[2], Mnu: v[3], Omkh2: v[4], DENegligible: true}
	}
	errs := make(map[string][]float64)
	for _, q := range earlyQuantities {
		errs[q] = make([]float64, set.Points)
	}
	nw := workersOf(set.Workers, set.Points)
	calc := make([]*cosmo.EarlyUniverse, nw)
	nodes := make([]cosmo.Nodes, nw) // they carry scratch: one set per worker
	for w := range calc {
		calc[w] = cosmo.NewEarlyUniverse(cosmo.EarlyExact)
		nodes[w] = cosmo.NewNodes(64)
	}
	err := parallel(ctx, set.Points, nw, func(w, i int) error {
		ep := &pts[i]
		want, err := exactEpochs(calc[w], ep)
		if err != nil {
			return fmt.Errorf("exact at %+v: %w", *ep, err)
		}
		got, err := e.Epochs(*ep)
		if err != nil {
			return err
		}
		p := earlyParams(ep)
		ex := cosmo.OLCDM.Expansion(&p)
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
		return nil
	}, nil)
	if err != nil {
		return nil, err
	}
	v := &EarlyValidation{Points: set.Points, Seed: set.Seed, Max: map[string]float64{}, Median: map[string]float64{},
		Worst: map[string][5]float64{}, Errors: errs, Inputs: in}
	for _, q := range earlyQuantities {
		all := errs[q]
		k := argmax(all)
		v.Max[q], v.Worst[q] = all[k], in[k]
		sorted := append([]float64(nil), all...)
		sort.Float64s(sorted)
		v.Median[q] = median(sorted)
	}
	return v, nil
}
