package emulator

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"github.com/cosmoemu/cosmoemu/cosmo"
)

// ValidateSettings configure Validate. A nil *ValidateSettings, and every
// zero field, means the default.
type ValidateSettings struct {
	Points int    // random points of the domain; default 1000
	Seed   uint64 // default 1
	// Z are the redshifts of the distances and H; default 60 redshifts
	// evenly spaced in ln z on [0.01, 3].
	Z       []float64
	Workers int // goroutines; 0 means GOMAXPROCS. Results do not depend on it.
}

// Validation compares an emulator with a reference backend at random points
// of its domain.
type Validation struct {
	Model     string
	Reference string
	Points    int
	Seed      uint64
	Z         []float64
	// Observables, in order: H, DM, DH, DV, DL (relative errors at Z), mu
	// (absolute, mag), rs_star, DM_star, rd, z_star (relative), lA and R
	// (absolute).
	Observables []ObservableError
}

// ObservableError holds the errors of one observable over the points.
type ObservableError struct {
	Name   string
	Kind   string // "relative" or "absolute"
	Max    float64
	Median float64 // of every error (each point, and each redshift for those at Z)
	// MaxAtZ and MedianAtZ are the maximum and median over the points at
	// each redshift Z[i]; nil for scalars.
	MaxAtZ, MedianAtZ []float64
	Worst             cosmo.Params // the point of the largest error
	WorstZ            float64      // and its redshift (0 for scalars)
}

// Observable returns the errors of the observable called name, or nil.
func (v *Validation) Observable(name string) *ObservableError {
	for i := range v.Observables {
		if v.Observables[i].Name == name {
			return &v.Observables[i]
		}
	}
	return nil
}

// ValidationSummary is what a model file stores of a Validation.
type ValidationSummary struct {
	Reference string             `json:"reference"`
	Points    int                `json:"points"`
	Seed      uint64             `json:"seed"`
	ZRange    [2]float64         `json:"z_range"`
	Max       map[string]float64 `json:"max"`
	Median    map[string]float64 `json:"median"`
}

// Summary returns the maxima and medians.
func (v *Validation) Summary() *ValidationSummary {
	s := &ValidationSummary{Reference: v.Reference, Points: v.Points, Seed: v.Seed, Max: map[string]float64{}, Median: map[string]float64{}}
	if len(v.Z) > 0 {
		s.ZRange = [2]float64{v.Z[0], v.Z[len(v.Z)-1]}
	}
	for _, o := range v.Observables {
		s.Max[o.Name], s.Median[o.Name] = o.Max, o.Median
	}
	return s
}

// A validationObservable is an observable of a Validation: its name, the
// kind of its error (relative or absolute), and whether it is a function
// of z.
type validationObservable struct {
	name, kind string
	atZ        bool
}

// validationObs are the observables of a Validation.
var validationObs = []validationObservable{
	{"H", "relative", true}, {"DM", "relative", true}, {"DH", "relative", true}, {"DV", "relative", true},
	{"DL", "relative", true}, {"mu", "absolute", true},
	{"DM_star", "relative", false}, {"lA", "absolute", false}, {"R", "absolute", false},
}

// RandomPoint draws a point uniformly from the domain (rejecting points the
// model or the domain refuses), with ω_b from its emulator box. A closed-form
// model, whose emulator has no domain, draws from the emulator boxes its
// parameters declare.
func (e *Model) RandomPoint(rnd *rand.Rand) cosmo.Params {
	d := &e.domain
	if len(d.Params) == 0 {
		dd, err := domain(e.model)
		if err != nil {
			panic(err) // the built-in declarations have boxes
		}
		d = &dd
	}
	ob, _ := e.model.Param(cosmo.NameOmbh2)
	for {
		p := e.model.Defaults()
		for i, sl := range d.slots {
			p.Set(sl, d.Min[i]+(d.Max[i]-d.Min[i])*rnd.Float64())
		}
		p.Ombh2, p.HasOmbh2 = ob.EmuBox[0]+(ob.EmuBox[1]-ob.EmuBox[0])*rnd.Float64(), true
		if e.model.Check(&p) == nil && d.Contains(&p) == nil {
			return p
		}
	}
}

// Validate compares e with the reference backend ref (the solver, say) at
// random points of e's domain: the distances and H at the redshifts, μ,
// D_M(z*), l_A and R, both with the exact early universe (so that only the
// late universe differs: the early universe's emulator has ValidateEarly).
func Validate(ctx context.Context, e *Model, ref cosmo.Backend, s *ValidateSettings) (*Validation, error) {
	set, err := s.forModel(e)
	if err != nil {
		return nil, err
	}
	rnd := rand.New(rand.NewPCG(set.Seed, 0x76616c))
	pts := make([]cosmo.Params, set.Points)
	for i := range pts {
		pts[i] = e.RandomPoint(rnd)
	}
	nz := len(set.Z)
	// errs[o][i*nz + k] (or errs[o][i] for scalars).
	errs := make([][]float64, len(validationObs))
	for o, ob := range validationObs {
		if ob.atZ {
			errs[o] = make([]float64, set.Points*nz)
		} else {
			errs[o] = make([]float64, set.Points)
		}
	}
	if err := compareAt(ctx, e, ref, &set, pts, errs); err != nil {
		return nil, err
	}
	v := &Validation{Model: e.model.Name(), Reference: ref.Name(), Points: set.Points, Seed: set.Seed, Z: append([]float64(nil), set.Z...)}
	for o, ob := range validationObs {
		v.Observables = append(v.Observables, summarizeErrors(ob, errs[o], pts, set.Z))
	}
	return v, nil
}

// forModel returns the settings with their defaults for e, checked.
func (s *ValidateSettings) forModel(e *Model) (ValidateSettings, error) {
	return s.withDefaults(3, e.ZMax(), "Validate")
}

// withDefaults returns the settings with their defaults (1000 points, seed
// 1, 60 redshifts evenly in ln z on [0.01, ztop]), checked against the
// emulator's zmax; who names the caller in errors.
func (s *ValidateSettings) withDefaults(ztop, zmax float64, who string) (ValidateSettings, error) {
	set, err := s.withPoints(who)
	if err != nil {
		return set, err
	}
	if set.Z == nil {
		const nz = 60
		for i := range nz {
			set.Z = append(set.Z, math.Exp(math.Log(0.01)+(math.Log(ztop)-math.Log(0.01))*float64(i)/(nz-1)))
		}
		set.Z[0], set.Z[nz-1] = 0.01, ztop
	}
	for i, z := range set.Z {
		if !(z > 0) || z > zmax || (i > 0 && !(z > set.Z[i-1])) {
			return set, fmt.Errorf("emulator: %s: redshifts must increase within (0, %g]; z[%d] = %v", who, zmax, i, z)
		}
	}
	return set, nil
}

// withPoints returns the settings with the default number of points (1000)
// and seed (1), checked; who names the caller in errors.
func (s *ValidateSettings) withPoints(who string) (ValidateSettings, error) {
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
		return set, fmt.Errorf("emulator: %s: %d points", who, set.Points)
	}
	return set, nil
}

// compareAt evaluates e and ref at the points on set.Workers goroutines
// and stores the errors of each point in errs (pointErrors).
func compareAt(ctx context.Context, e *Model, ref cosmo.Backend, set *ValidateSettings, pts []cosmo.Params, errs [][]float64) error {
	req := cosmo.Request{Z: set.Z, Distances: true, CMB: true}
	nw := workersOf(set.Workers, len(pts))
	cs, err := newComparers(nw, Backend{Emulator: e, Early: cosmo.EarlyExact}, ref, e.model, req)
	if err == nil {
		err = parallel(ctx, len(pts), nw, func(w, i int) error {
			c, p := &cs[w], &pts[i]
			if err := c.emu.Eval(c.a, p); err != nil {
				return fmt.Errorf("emulator at %+v: %w", *p, err)
			}
			if err := c.ref.Eval(c.b, p); err != nil {
				return fmt.Errorf("%s at %+v: %w", ref.Name(), *p, err)
			}
			pointErrors(errs, i, len(set.Z), set.Z, p, c.a, c.b)
			return nil
		}, nil)
	}
	if err != nil && ctx.Err() == nil {
		return fmt.Errorf("emu: Validate: %w", err)
	}
	return ctx.Err()
}

// comparer is one worker's evaluators of an emulator and of the reference
// it is validated against, with their results.
type comparer struct {
	emu, ref cosmo.Evaluator
	a, b     *cosmo.Result
}

// newComparers returns n comparers of the backends emu and ref for model m
// and request req.
func newComparers(n int, emu, ref cosmo.Backend, m *cosmo.Model, req cosmo.Request) ([]comparer, error) {
	cs := make([]comparer, n)
	for w := range cs {
		var err error
		if cs[w].emu, err = emu.NewEvaluator(m, req); err != nil {
			return nil, err
		}
		if cs[w].ref, err = ref.NewEvaluator(m, req); err != nil {
			return nil, err
		}
		cs[w].a, cs[w].b = cosmo.NewResult(req), cosmo.NewResult(req)
	}
	return cs, nil
}

// summarizeErrors returns the largest and the median error of observable
// ob over the points (and at each redshift), with the worst point.
func summarizeErrors(ob validationObservable, all []float64, pts []cosmo.Params, zs []float64) ObservableError {
	oe := ObservableError{Name: ob.name, Kind: ob.kind}
	worst := argmax(all)
	oe.Max, oe.Median = all[worst], median(all)
	if !ob.atZ {
		oe.Worst = pts[worst]
		return oe
	}
	nz := len(zs)
	oe.Worst, oe.WorstZ = pts[worst/nz], zs[worst%nz]
	oe.MaxAtZ = make([]float64, nz)
	oe.MedianAtZ = make([]float64, nz)
	col := make([]float64, len(pts))
	for k := range nz {
		for i := range pts {
			col[i] = all[i*nz+k]
		}
		oe.MedianAtZ[k] = median(col)
		oe.MaxAtZ[k] = col[argmax(col)]
	}
	return oe
}

// pointErrors stores the errors of point i.
func pointErrors(errs [][]float64, i, nz int, zs []float64, p *cosmo.Params, a, b *cosmo.Result) {
	rel := func(x, y float64) float64 { return math.Abs(x/y - 1) }
	for k, z := range zs {
		j := i*nz + k
		errs[0][j] = rel(a.HubbleRate(k), b.HubbleRate(k))
		errs[1][j] = rel(a.DM[k], b.DM[k])
		errs[2][j] = rel(a.DH(k), b.DH(k))
		errs[3][j] = rel(a.DV(k, z), b.DV(k, z))
		errs[4][j] = rel(a.DL(k, z), b.DL(k, z))
		errs[5][j] = math.Abs(a.Mu(k, z) - b.Mu(k, z))
	}
	errs[6][i] = rel(a.DMStar, b.DMStar)
	errs[7][i] = math.Abs(a.AcousticScale() - b.AcousticScale())
	errs[8][i] = math.Abs(a.ShiftR(p.Om) - b.ShiftR(p.Om))
}

func median(v []float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

func argmax(v []float64) int {
	k := 0
	for i, x := range v {
		if x > v[k] {
			k = i
		}
	}
	return k
}
