package emulator

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"

	"github.com/cosmoemu/cosmoemu/backend"
	"github.com/cosmoemu/cosmoemu/cosmo"
	"github.com/cosmoemu/cosmoemu/growth"
	"github.com/cosmoemu/cosmoemu/internal/cheb"
	"github.com/cosmoemu/cosmoemu/nn"
)

// GrowthModel is the emulator of the linear growth (cosmo.Request.Growth)
// of one model at 0 ≤ z ≤ ZMax, for the models whose growth is an ODE
// that costs (docs/growth.md has the measurements): at the nodes x_k of a
// Chebyshev grid in x = ln(1+z), and today,
//
//	ln(D/D0)(x_k) = ln(D/D0)_H(x_k) + r_k,   ln f(x_k) = ln f_H(x_k) + s_k,
//	ln D0 = ln D0_H + t,
//
// where the subscript H is Heath's closed form (growth.Heath) for flat
// ΛCDM with the point's Ωm and no radiation, and (r, s, t) a network of
// the point: what the dark energy, the radiation and the massive
// neutrinos change. For a Request, the values at the nodes are
// interpolated to its redshifts by a matrix computed once.
//
// Its inputs are ln Ωm, the dark energy's parameters, √Σmν, H0, N_eff and
// f_ν = Ω_ν/Ωm (GrowthInputs): the growth of CDM and baryons depends on
// the split of Ωm between them and the massive neutrinos (Ω_ν = ω_ν/h²),
// and on the radiation (ω_r/h², with N_eff), not only on what sets E(z)
// at late times, so H0 and N_eff are inputs and not the radiation
// coordinate of the late-time networks (Net.UDegree 0); f_ν, a function
// of the others, is the combination the neutrinos' effect follows, and
// √Σmν spreads the light masses, whose transition to matter (z ∝ Σmν)
// falls near the outputs' redshifts. For a closed-form dark energy, its
// share Ω_DE(z) at z = 1 and 3 too; for the field, √(λ_max(Ωm) − λ): the
// growth goes like that square root near the largest λ.
//
// A GrowthModel is immutable and safe for concurrent use.
type GrowthModel struct {
	model    *cosmo.Model
	domain   Domain
	zmax     float64
	panels   int
	perPanel int
	net      *Net
	training json.RawMessage
	valid    json.RawMessage
}

// GrowthSpec is everything a trained growth emulator is made of.
type GrowthSpec struct {
	Model  string
	Domain Domain
	// ZMax, Panels and PerPanel give the grid of the outputs: Panels
	// panels of PerPanel Chebyshev points of the first kind on
	// [0, ln(1+ZMax)].
	ZMax             float64
	Panels, PerPanel int
	// Net has the inputs GrowthInputs(model, Domain), degree 0 in u, and
	// outputs r at the nodes, then s at the nodes, then t (see
	// GrowthModel).
	Net                  *Net
	Training, Validation json.RawMessage
}

// GrowthInputs returns the inputs of the growth network of model m on
// domain d: ln Om, the dark energy's parameters, √Σmν, H0, nnu and
// f_nu = Ω_ν/Ωm; for a closed-form dark energy its share of the density
// Ω_DE(z) at z = 1 and 3 (growthDEZ), which goes exponentially with
// w0 + wa (docs/growth.md: with them w0waCDM's network went from 2.2e-5 to
// 4.6e-6 at 5000 random points); and if d has a Limit on a parameter P
// (the field's λ), √(P_max(Ωm) − P) (Domain.LimitGap): near its limit the
// growth depends on λ like a square root of the distance to it, which
// that input makes smooth (docs/growth.md: with it the field's network
// met 1e-5 with a margin of 0.3 below λ_max, where without it the margin
// had to be 0.7).
func GrowthInputs(m *cosmo.Model, d *Domain) []string {
	in := append(append([]string{"ln Om"}, m.DEParams()...), "sqrt mnu", cosmo.NameH0, cosmo.NameNnu, "f_nu")
	if deShares(m) {
		for _, z := range growthDEZ {
			in = append(in, fmt.Sprintf("Omega_de(z=%g)", z))
		}
	}
	if d.Limit != nil {
		in = append(in, limitGapInput(d.Limit.Param))
	}
	return in
}

// growthDEZ are the redshifts at which the growth network of a
// closed-form dark energy sees its share of the density, Ω_DE(z): the
// growth depends on how much dark energy there was when structure grew,
// which is exponential in w0 + wa at high z.
var growthDEZ = []float64{1, 3}

// deShares reports whether the growth network of m has the inputs
// Ω_DE(z) at growthDEZ: the closed-form models with dark-energy
// parameters.
func deShares(m *cosmo.Model) bool { return m.ClosedForm() && m.NDE() > 0 }

// limitGapInput is the name of the growth network's input √(P_max − P).
func limitGapInput(param string) string { return "sqrt(" + param + "_max - " + param + ")" }

// NewGrowthModel returns the growth emulator of a spec, checking that its
// parts fit the model and each other.
func NewGrowthModel(s GrowthSpec) (*GrowthModel, error) {
	m, err := cosmo.Lookup(s.Model)
	if err != nil {
		return nil, fmt.Errorf("emulator: %w", err)
	}
	g := &GrowthModel{model: m, domain: s.Domain, zmax: s.ZMax, panels: s.Panels, perPanel: s.PerPanel,
		net: s.Net, training: s.Training, valid: s.Validation}
	g.domain.Model = m.Name()
	if err := g.domain.check(m); err != nil {
		return nil, fmt.Errorf("emulator: growth of %s: %w", m.Name(), err)
	}
	if !(s.ZMax > 0) || math.IsInf(s.ZMax, 0) || s.Panels < 1 || s.PerPanel < 4 || s.Panels*s.PerPanel > 1024 {
		return nil, fmt.Errorf("emulator: growth of %s: grid z ≤ %v with %d panels of %d points", m.Name(), s.ZMax, s.Panels, s.PerPanel)
	}
	if s.Net == nil {
		return nil, fmt.Errorf("emulator: growth of %s: no network", m.Name())
	}
	if err := s.Net.check("growth"); err != nil {
		return nil, fmt.Errorf("emulator: growth of %s: %w", m.Name(), err)
	}
	k := s.Panels * s.PerPanel
	if want := GrowthInputs(m, &g.domain); !slices.Equal(s.Net.Inputs, want) || len(s.Net.Outputs) != 2*k+1 || s.Net.UDegree != 0 {
		return nil, fmt.Errorf("emulator: growth of %s: network has inputs %v and %d outputs of degree %d, want %v, %d and 0",
			m.Name(), s.Net.Inputs, len(s.Net.Outputs), s.Net.UDegree, want, 2*k+1)
	}
	return g, nil
}

// Model returns the model the growth emulator was trained for.
func (g *GrowthModel) Model() *cosmo.Model { return g.model }

// Domain returns the domain (a copy).
func (g *GrowthModel) Domain() Domain { return g.domain.clone() }

// ZMax returns the largest redshift the growth emulator answers.
func (g *GrowthModel) ZMax() float64 { return g.zmax }

// Training returns the training record stored in the file (JSON).
func (g *GrowthModel) Training() json.RawMessage { return slices.Clone(g.training) }

// Validation returns the validation record stored in the file (JSON).
func (g *GrowthModel) Validation() json.RawMessage { return slices.Clone(g.valid) }

// Spec returns the parts of the growth emulator (sharing the network,
// which must not be modified).
func (g *GrowthModel) Spec() GrowthSpec {
	return GrowthSpec{Model: g.model.Name(), Domain: g.Domain(), ZMax: g.zmax, Panels: g.panels, PerPanel: g.perPanel,
		Net: g.net, Training: g.Training(), Validation: g.Validation()}
}

// nodes returns the grid's nodes in x = ln(1+z).
func (g *GrowthModel) grid() *cheb.Grid { return cheb.New(math.Log1p(g.zmax), g.panels, g.perPanel) }

// growthInput writes the inputs of the growth network on domain d of p to
// dst (GrowthInputs).
func growthInput(dst []float64, m *cosmo.Model, p *cosmo.Params, d *Domain) {
	if d.Limit != nil {
		dst[len(dst)-1] = math.Sqrt(max(d.LimitGap(p), 0))
		dst = dst[:len(dst)-1]
	}
	if deShares(m) {
		e := m.Expansion(p)
		n := len(dst) - len(growthDEZ)
		for j, z := range growthDEZ {
			dst[n+j] = e.DEFraction(z)
		}
		dst = dst[:n]
	}
	nde := len(dst) - 5
	dst[0] = math.Log(p.Om)
	copy(dst[1:1+nde], p.DE[:nde])
	dst[1+nde], dst[2+nde], dst[3+nde], dst[4+nde] = math.Sqrt(p.Mnu), p.H0, p.Nnu, p.OmegaNu()/p.Om
}

// growthBaseline is Heath's closed form for flat ΛCDM at the nodes of a
// GrowthModel's grid: ln(D/D0), ln f at the nodes and ln D0.
type growthBaseline struct {
	h   *growth.Heath
	res *growth.Result
}

func newGrowthBaseline(nodes []float64) *growthBaseline {
	z := make([]float64, len(nodes))
	for j, x := range nodes {
		z[j] = math.Expm1(x)
	}
	h, err := growth.NewHeath(z)
	if err != nil {
		panic(err) // the nodes are finite and ≥ 0
	}
	return &growthBaseline{h: h, res: growth.NewResult(len(z))}
}

// add adds the baseline of Ωm = om to v (r at the nodes, s at the nodes,
// t), making it ln(D/D0), ln f at the nodes and ln D0. Heath's closed
// form cannot fail for flat ΛCDM with 0 < Ωm ≤ 1.
func (b *growthBaseline) add(v []float64, om float64) {
	if err := b.h.Eval(b.res, om, 0); err != nil {
		panic(err)
	}
	k := len(b.res.F)
	for j := range k {
		v[j] += math.Log(b.res.DRatio[j])
		v[k+j] += math.Log(b.res.F[j])
	}
	v[2*k] += math.Log(b.res.D0)
}

// growthEval evaluates a GrowthModel at the redshifts of a Request without
// allocating: the network at the nodes with the baseline added, then the
// interpolation to the redshifts.
type growthEval struct {
	g      *GrowthModel
	ne     *netEval
	layer  *nn.Workspace
	base   *growthBaseline
	nodes  []float64 // r, s at the nodes and t, then the baseline added
	interp []float64 // n×k interpolation weights, row-major
	in     []float64
	light  cosmo.Params // the point the network answers for Σmν < lightestMass (lightLimit)
}

func newGrowthEval(g *GrowthModel, z []float64) *growthEval {
	grid := g.grid()
	k := len(grid.Nodes())
	n := len(z)
	rows := make([][]weighted, 2*k+1)
	for j := range rows {
		rows[j] = []weighted{{j, 1}}
	}
	ge := &growthEval{g: g, ne: newNetEval(g.net), layer: layerWorkspace(g.net.folded(rows)),
		base: newGrowthBaseline(grid.Nodes()), nodes: make([]float64, 2*k+1), interp: make([]float64, n*k),
		in: make([]float64, len(g.net.Inputs))}
	for i, zi := range z {
		grid.Interp(ge.interp[i*k:(i+1)*k], math.Log1p(zi))
	}
	return ge
}

// contains reports whether p lies in the growth emulator's domain.
func (ge *growthEval) contains(p *cosmo.Params) bool { return ge.g.domain.Contains(p) == nil }

// lightestMass is the smallest Σmν, in eV, at which the growth networks
// answer: they are trained uniformly in √Σmν from 0, but near 0 they
// follow f to only 1e-5 (quintessence, Ωm 0.3, λ 0.1, z = 3: 1.3e-5 off at
// Σmν = 1e-12 eV, 8.1e-6 at 1e-5, 8e-7 at 1e-4), while the physics hardly
// changes there (the solver's f moves by 1.5e-7 from 1e-12 to 1e-4 eV at
// fixed clustering matter).
const lightestMass = 1e-4

// lightLimit writes to q the point the growth network answers for p of
// Σmν < lightestMass (including 0): Σmν = lightestMass with the same
// clustering matter Ωm − Ω_ν, radiation and dark energy. Ωm counts the
// eigenstate's density today, Ω_ν, as CAMB's convention does; that density
// is the relativistic one (7/8)(4/11)^{4/3} g Ω_γ for Σmν → 0⁺ but 0 at
// Σmν = 0, so at fixed Ωm the universes of Σmν = 0 and 0⁺ differ by Ω_ν in
// their clustering matter (f by 1.2e-5), and q must be matched on it.
func lightLimit(q, p *cosmo.Params) {
	*q = *p
	q.Mnu = lightestMass
	q.Om += q.OmegaNu() - p.OmegaNu()
}

// eval fills dst.DRatio, dst.F and dst.D0 for p (inside the domain).
func (ge *growthEval) eval(dst *cosmo.Result, p *cosmo.Params) {
	if p.Mnu < lightestMass {
		lightLimit(&ge.light, p)
		p = &ge.light
	}
	growthInput(ge.in, ge.g.model, p, &ge.g.domain)
	ge.layer.Forward(ge.nodes, ge.ne.features(ge.in, 0))
	ge.base.add(ge.nodes, p.Om)
	k := (len(ge.nodes) - 1) / 2
	lnD, lnF := ge.nodes[:k], ge.nodes[k:2*k]
	for i := range dst.F {
		w := ge.interp[i*k : (i+1)*k]
		d, f := 0.0, 0.0
		for j, wj := range w {
			d += wj * lnD[j]
			f += wj * lnF[j]
		}
		dst.DRatio[i], dst.F[i] = math.Exp(d), math.Exp(f)
	}
	dst.D0 = math.Exp(ge.nodes[2*k])
}

// growthODE are the settings of the growth ODE that the emulator backend
// runs for the closed-form models without a growth network, and outside
// a network's domain: RTol 1e-7 gives D/D0 and f to 5.3e-8 (package
// growth's TestAccuracyVsTolerance) in less than half the time of the
// analytic backend's 1e-9.
var growthODE = growth.Settings{RTol: 1e-7, ATol: 1e-9}

// defaultGrowth is DefaultGrowth; tests of a model without a growth
// network replace it.
var defaultGrowth = DefaultGrowth

// setupGrowth prepares the growth of the Evaluator's request: the growth
// network gm (nil: the model's embedded one, if any) at redshifts it
// covers, and for the closed-form models the ODE (alone, or outside the
// network's domain). A field model without a growth network for these
// redshifts has its growth alone computed by fb (counted in
// Stats.GrowthFallbacks), the rest emulated; without fb it returns why the
// emulator cannot answer.
func (ev *Evaluator) setupGrowth(gm *GrowthModel, fb cosmo.Backend) error {
	m, r := ev.m, &ev.req
	if gm == nil {
		var err error
		if gm, err = defaultGrowth(m); err != nil {
			return err
		}
	}
	if gm != nil && gm.model != m {
		return fmt.Errorf("emulator: this growth emulator was trained for model %s and cannot compute model %s", gm.model.Name(), m.Name())
	}
	if gm != nil && r.MaxZ() <= gm.zmax {
		ev.growNet = newGrowthEval(gm, r.Z)
	}
	if m.ClosedForm() {
		g, err := backend.NewClosedGrowth(r.Z, &growthODE)
		if err != nil {
			return err
		}
		ev.grow = g
		return nil
	}
	if ev.growNet == nil {
		if fb != nil {
			gr := cosmo.Request{Z: r.Z, Growth: true}
			var err error
			if ev.growFB, err = fb.NewEvaluator(m, gr); err != nil {
				return fmt.Errorf("emu: fallback %s: %w", fb.Name(), err)
			}
			ev.growRes = cosmo.NewResult(gr)
			return nil
		}
		if gm == nil {
			return fmt.Errorf("emulator %s has no growth emulator; a fallback backend must answer Request.Growth", m.Name())
		}
		return fmt.Errorf("the growth emulator of %s answers z ≤ %g; redshift %g needs a fallback backend", m.Name(), gm.zmax, r.MaxZ())
	}
	return nil
}
