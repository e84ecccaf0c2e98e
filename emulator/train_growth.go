package emulator

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/cosmoemu/cosmoemu/backend"
	"github.com/cosmoemu/cosmoemu/cosmo"
)

// The growth emulator's grid: one panel of 16 Chebyshev points on
// [0, ln 4] (z ≤ 3), as the field's late-time networks; ln(D/D0) and f
// are as smooth in x = ln(1+z) as 1/E (docs/growth.md).
const (
	growthZMax   = ZSplit
	growthPanels = 1
	growthPer    = 16
)

// growthReference returns the backend whose growth a growth emulator of m
// is trained on and validated against: the closed form's ODE (RTol 1e-9,
// 3e-10 from independent values) where m has one, else the solver.
func growthReference(m *cosmo.Model) cosmo.Backend {
	if m.ClosedForm() {
		return backend.Analytic{}
	}
	return backend.Solver{}
}

// narrowGrowth narrows d, the late-time domain of model m, to the boxes
// of its growth emulator (cosmo.Model.GrowthBoxes).
func narrowGrowth(d *Domain, m *cosmo.Model) {
	for name, b := range m.GrowthBoxes() {
		if i := slices.Index(d.Params, name); i >= 0 {
			d.Min[i], d.Max[i] = max(d.Min[i], b[0]), min(d.Max[i], b[1])
		}
	}
}

// TrainGrowth trains the growth emulator of the model called model
// (GrowthModel): a space-filling design of LatePoints points over its
// domain — the model's emulator boxes of its parameters, Σmν, H0 and
// N_eff, for the field below its λ_max(Ωm) less the margin (the domain of
// its late-time emulator), narrowed by the model's GrowthBoxes — padded as the
// other emulators' designs, the growth at the grid's nodes by
// growthReference, and a network of width LateWidth fitted by variable
// projection. The same settings and seed give the same bytes.
func TrainGrowth(ctx context.Context, model string, s *TrainSettings) (*GrowthModel, error) {
	m, err := cosmo.Lookup(model)
	if err != nil {
		return nil, fmt.Errorf("train: %w", err)
	}
	set, err := s.withDefaults()
	if err != nil {
		return nil, err
	}
	// Measured (docs/growth.md): width 128 and 6000 iterations take the
	// scalar field's growth network to 4.5e-6 at 300 random points and
	// 7.9e-6 at 5000, where 96 left 9.8e-6 and 1.5e-5.
	if s == nil || s.LateWidth == 0 {
		set.LateWidth = 128
	}
	if s == nil || s.Iterations == 0 {
		set.Iterations = 6000
	}
	dom, err := domain(m)
	if err != nil {
		return nil, err
	}
	narrowGrowth(&dom, m)
	if err := dom.check(m); err != nil {
		return nil, fmt.Errorf("train: growth of %s: %w", m.Name(), err)
	}
	ref := growthReference(m)
	t := newTrainer(m, set, dom, ref.Name())
	if m.Field() != nil {
		if err := t.limitTable(ctx); err != nil {
			return nil, err
		}
	}
	spec := GrowthSpec{Model: m.Name(), Domain: t.dom, ZMax: growthZMax, Panels: growthPanels, PerPanel: growthPer}
	if spec.Net, err = t.trainGrowth(ctx, ref); err != nil {
		return nil, err
	}
	if spec.Training, err = json.Marshal(t.rec); err != nil {
		return nil, err
	}
	g, err := NewGrowthModel(spec)
	if err != nil {
		return nil, fmt.Errorf("train: %w", err)
	}
	if set.Validate > 0 {
		v, err := ValidateGrowth(ctx, g, ref, set.validation())
		if err != nil {
			return nil, err
		}
		if g.valid, err = json.Marshal(v.Summary()); err != nil {
			return nil, err
		}
	}
	return g, nil
}

// trainGrowth computes the growth at the design points and fits the
// network.
func (t *trainer) trainGrowth(ctx context.Context, ref cosmo.Backend) (*Net, error) {
	m := t.m
	nodes := (&GrowthModel{zmax: growthZMax, panels: growthPanels, perPanel: growthPer}).grid().Nodes()
	k := len(nodes)
	zs := make([]float64, k)
	for j, x := range nodes {
		zs[j] = math.Expm1(x)
	}
	req := cosmo.Request{Z: zs, Growth: true}
	n := t.s.LatePoints
	inputs := GrowthInputs(m, &t.dom)
	de := m.DEParams()
	cand := halton(16*n, len(inputs), t.s.Seed+2)
	lo, hi := t.lnOmRange()
	var pts []cosmo.Params
	for i := 0; i < 16*n && len(pts) < n; i++ {
		u := cand.RawRowView(i)
		p := t.designPoint(u, lo, hi)
		// Σmν uniform in √Σmν, as the network sees it.
		mlo, mhi := t.padded(cosmo.NameMnu)
		sq := math.Sqrt(mlo) + (math.Sqrt(mhi)-math.Sqrt(mlo))*u[1+len(de)]
		p.Mnu = sq * sq
		for j, name := range []string{cosmo.NameH0, cosmo.NameNnu} {
			a, b := t.padded(name)
			_ = m.Set(&p, name, a+(b-a)*u[2+len(de)+j])
		}
		if m.Check(&p) != nil || (t.dom.Limit != nil && !t.belowLimit(&p)) || (t.dom.MinE2 > 0 && minE2(p.OmegaR(), p.Om, p.Ok) < t.dom.MinE2*0.9) {
			continue
		}
		pts = append(pts, p)
	}
	if len(pts) < n {
		return nil, fmt.Errorf("train: %s: only %d of %d growth design points fall in the domain", m.Name(), len(pts), n)
	}
	x := make([][]float64, n)
	y := make([][]float64, n)
	nw := workersOf(t.s.Workers, n)
	evs := make([]cosmo.Evaluator, nw)
	res := make([]*cosmo.Result, nw)
	bases := make([]*growthBaseline, nw)
	for w := range nw {
		var err error
		if evs[w], err = ref.NewEvaluator(m, req); err != nil {
			return nil, err
		}
		res[w] = cosmo.NewResult(req)
		bases[w] = newGrowthBaseline(nodes)
	}
	err := parallel(ctx, n, nw, func(w, i int) error {
		p := &pts[i]
		x[i] = make([]float64, len(inputs))
		growthInput(x[i], m, p, &t.dom)
		r := res[w]
		if err := evs[w].Eval(r, p); err != nil {
			return fmt.Errorf("train: %s: growth design point %d (%s): %w", m.Name(), i, m.Format(p, 6), err)
		}
		// The targets: what the network adds to the baseline.
		row := make([]float64, 2*k+1)
		for j := range k {
			row[j] = -math.Log(r.DRatio[j])
			row[k+j] = -math.Log(r.F[j])
		}
		row[2*k] = -math.Log(r.D0)
		bases[w].add(row, p.Om)
		for j := range row {
			row[j] = -row[j]
		}
		y[i] = row
		return nil
	}, func(done int) { t.s.report("growth data", done, n, math.NaN()) })
	if err != nil {
		return nil, err
	}
	outs := make([]string, 2*k+1)
	for j := range k {
		outs[j] = fmt.Sprintf("ln(D/D0)(x_%d) - Heath", j)
		outs[k+j] = fmt.Sprintf("ln f(x_%d) - Heath", j)
	}
	outs[2*k] = "ln D0 - Heath"
	net, fr, err := fitNet(ctx, matrix(x), matrix(y), inputs, outs, 0, t.fitSettings("growth"))
	if err != nil {
		return nil, err
	}
	t.rec.add("growth", n, net, fr)
	return net, nil
}

// growthValidationObs are the observables of ValidateGrowth, relative
// errors at the redshifts.
var growthValidationObs = []string{"D_ratio", "f", "fs8_over_s8"}

// RandomPoint draws a point uniformly from the growth emulator's domain
// (rejecting points the model or the domain refuses).
func (g *GrowthModel) RandomPoint(rnd *rand.Rand) cosmo.Params {
	d := &g.domain
	for {
		p := g.model.Defaults()
		for i, sl := range d.slots {
			p.Set(sl, d.Min[i]+(d.Max[i]-d.Min[i])*rnd.Float64())
		}
		if g.model.Check(&p) == nil && d.Contains(&p) == nil {
			return p
		}
	}
}

// ValidateGrowth compares the growth emulator g (through the emulator
// backend) with the reference backend ref at random points of its domain:
// the relative errors of D/D0, f and fσ8/σ8 at the redshifts (default 60
// evenly spaced in ln z on [0.01, ZMax]).
func ValidateGrowth(ctx context.Context, g *GrowthModel, ref cosmo.Backend, s *ValidateSettings) (*Validation, error) {
	set, err := s.withDefaults(g.zmax, g.zmax, "ValidateGrowth")
	if err != nil {
		return nil, err
	}
	// The emulator backend answers a point of the field only inside its
	// late-time emulator's domain too (E is part of every request).
	var late *Domain
	if !g.model.ClosedForm() {
		e, err := DefaultModel(g.model)
		if err != nil {
			return nil, err
		}
		late = &e.domain
	}
	rnd := rand.New(rand.NewPCG(set.Seed, 0x67726f))
	pts := make([]cosmo.Params, set.Points)
	for i := range pts {
		for {
			pts[i] = g.RandomPoint(rnd)
			if late == nil || late.Contains(&pts[i]) == nil {
				break
			}
		}
	}
	req := cosmo.Request{Z: set.Z, Growth: true}
	nz := len(set.Z)
	errs := make([][]float64, len(growthValidationObs))
	for o := range errs {
		errs[o] = make([]float64, set.Points*nz)
	}
	nw := workersOf(set.Workers, set.Points)
	ws, err := newComparers(nw, Backend{Growth: g}, ref, g.model, req)
	if err != nil {
		return nil, err
	}
	err = parallel(ctx, set.Points, nw, func(w, i int) error {
		c := &ws[w]
		p := &pts[i]
		if err := c.emu.Eval(c.a, p); err != nil {
			return fmt.Errorf("emulator: ValidateGrowth: emulator at %s: %w", g.model.Format(p, 6), err)
		}
		if err := c.ref.Eval(c.b, p); err != nil {
			return fmt.Errorf("emulator: ValidateGrowth: %s at %s: %w", ref.Name(), g.model.Format(p, 6), err)
		}
		rel := func(x, y float64) float64 { return math.Abs(x/y - 1) }
		for k := range nz {
			j := i*nz + k
			errs[0][j] = rel(c.a.DRatio[k], c.b.DRatio[k])
			errs[1][j] = rel(c.a.F[k], c.b.F[k])
			errs[2][j] = rel(c.a.FSigma8(k, 1), c.b.FSigma8(k, 1))
		}
		return nil
	}, nil)
	if err != nil {
		return nil, err
	}
	v := &Validation{Model: g.model.Name(), Reference: ref.Name(), Points: set.Points, Seed: set.Seed, Z: append([]float64(nil), set.Z...)}
	for o, name := range growthValidationObs {
		v.Observables = append(v.Observables, summarizeErrors(validationObservable{name, "relative", true}, errs[o], pts, set.Z))
	}
	return v, nil
}
