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
// that costs (docs/growth.md has the measurements): a network of the
// point gives ln(D/D0) and ln f at the nodes x_k of a Chebyshev grid in
// x = ln(1+z), and ln D0; for a Request, the interpolation to its
// redshifts folds into the network's output layer, so that an evaluation
// is the hidden layers and one matrix–vector product.
//
// Its inputs are ln Ωm, the dark energy's parameters, Σmν, H0 and N_eff
// (GrowthInputs): the growth of CDM and baryons depends on the split of Ωm
// between them and the massive neutrinos (Ω_ν = ω_ν/h²), and on the
// radiation (ω_r/h², with N_eff), not only on what sets E(z) at late
// times, so H0 and N_eff are inputs and not the radiation coordinate of
// the late-time networks. The network's outputs are not quadratics in u
// (Net.UDegree 0).
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
	// Net has the inputs GrowthInputs(model), degree 0 in u, and outputs
	// ln(D/D0) at the nodes, then ln f at the nodes, then ln D0.
	Net                  *Net
	Training, Validation json.RawMessage
}

// GrowthInputs returns the inputs of the growth network of model m: ln Om,
// the dark energy's parameters, mnu, H0 and nnu.
func GrowthInputs(m *cosmo.Model) []string {
	return append(append([]string{"ln Om"}, m.DEParams()...), cosmo.NameMnu, cosmo.NameH0, cosmo.NameNnu)
}

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
	if want := GrowthInputs(m); !slices.Equal(s.Net.Inputs, want) || len(s.Net.Outputs) != 2*k+1 || s.Net.UDegree != 0 {
		return nil, fmt.Errorf("emulator: growth of %s: network has inputs %v and %d outputs of degree %d, want %v, %d and 0",
			m.Name(), s.Net.Inputs, len(s.Net.Outputs), s.Net.UDegree, want, 2*k+1)
	}
	return g, nil
}

// Model returns the model the growth emulator was trained for.
func (g *GrowthModel) Model() *cosmo.Model { return g.model }

// Domain returns the domain (a copy).
func (g *GrowthModel) Domain() Domain {
	d := g.domain
	d.Params, d.Min, d.Max, d.slots = slices.Clone(d.Params), slices.Clone(d.Min), slices.Clone(d.Max), slices.Clone(d.slots)
	if l := g.domain.Limit; l != nil {
		d.Limit = &Limit{Param: l.Param, LnOm: slices.Clone(l.LnOm), Max: slices.Clone(l.Max), Margin: l.Margin}
	}
	return d
}

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

// growthInput writes the network's inputs of p to dst.
func growthInput(dst []float64, m *cosmo.Model, p *cosmo.Params) {
	nde := len(dst) - 4
	dst[0] = math.Log(p.Om)
	copy(dst[1:1+nde], p.DE[:nde])
	dst[1+nde], dst[2+nde], dst[3+nde] = p.Mnu, p.H0, p.Nnu
}

// growthEval evaluates a GrowthModel at the redshifts of a Request without
// allocating: D/D0 and f there and D0, from one folded layer on the
// network's features.
type growthEval struct {
	g     *GrowthModel
	ne    *netEval
	layer *nn.Workspace
	vals  []float64 // ln(D/D0) at the redshifts, ln f there, ln D0
	in    []float64
}

func newGrowthEval(g *GrowthModel, z []float64) *growthEval {
	grid := g.grid()
	k := len(grid.Nodes())
	n := len(z)
	rows := make([][]weighted, 0, 2*n+1)
	w := make([]float64, k)
	interp := func(off int) {
		for _, zi := range z {
			grid.Interp(w, math.Log1p(zi))
			var terms []weighted
			for j, v := range w {
				if v != 0 {
					terms = append(terms, weighted{off + j, v})
				}
			}
			rows = append(rows, terms)
		}
	}
	interp(0) // ln(D/D0)
	interp(k) // ln f
	rows = append(rows, []weighted{{2 * k, 1}})
	return &growthEval{g: g, ne: newNetEval(g.net), layer: layerWorkspace(g.net.folded(rows)),
		vals: make([]float64, len(rows)), in: make([]float64, len(g.net.Inputs))}
}

// contains reports whether p lies in the growth emulator's domain.
func (ge *growthEval) contains(p *cosmo.Params) bool { return ge.g.domain.Contains(p) == nil }

// eval fills dst.DRatio, dst.F and dst.D0 for p (inside the domain).
func (ge *growthEval) eval(dst *cosmo.Result, p *cosmo.Params) {
	growthInput(ge.in, ge.g.model, p)
	ge.layer.Forward(ge.vals, ge.ne.features(ge.in, 0))
	n := len(dst.F)
	for i := range n {
		dst.DRatio[i] = math.Exp(ge.vals[i])
		dst.F[i] = math.Exp(ge.vals[n+i])
	}
	dst.D0 = math.Exp(ge.vals[2*n])
}

// growthODE are the settings of the growth ODE that the emulator backend
// runs for the closed-form models without a growth network, and outside
// a network's domain: RTol 1e-7 gives D/D0 and f to 5.3e-8 (package
// growth's TestAccuracyVsTolerance) in less than half the time of the
// analytic backend's 1e-9.
var growthODE = growth.Settings{RTol: 1e-7, ATol: 1e-9}

// setupGrowth prepares the growth of the Evaluator's request: the growth
// network gm (nil: the model's embedded one, if any) at redshifts it
// covers, and for the closed-form models the ODE (alone, or outside the
// network's domain). It returns why the emulator cannot answer (a field
// model without a growth network for these redshifts).
func (ev *Evaluator) setupGrowth(gm *GrowthModel) error {
	m, r := ev.m, &ev.req
	if gm == nil {
		var err error
		if gm, err = DefaultGrowth(m); err != nil {
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
		if gm == nil {
			return fmt.Errorf("emulator %s has no growth emulator; a fallback backend must answer Request.Growth", m.Name())
		}
		return fmt.Errorf("the growth emulator of %s answers z ≤ %g; redshift %g needs a fallback backend", m.Name(), gm.zmax, r.MaxZ())
	}
	return nil
}
