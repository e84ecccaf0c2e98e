package emulator

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/cosmoemu/cosmoemu/cosmo"
	"github.com/cosmoemu/cosmoemu/neutrino"
	"github.com/cosmoemu/cosmoemu/nn"
)

// Early is the emulator of the early universe: the epochs of the exact
// route (cosmo.EarlyExact, recombination as CAMB computes it) — z*, z_drag,
// r_s(z*) and r_d — as functions of the five numbers they depend on when
// dark energy is negligible before z ≈ 800 (cosmo.EarlyPoint):
//
//	x = (ω_b, ω_c, N_eff, Σmν, ω_k),   ω_k = Ωk h².
//
// One network gives the logarithms of each epoch over a fitting formula
// that carries most of its variation, so that the network learns a small
// smooth correction:
//
//	ln(z*/z*_HS),   z*_HS  the formula of Hu & Sugiyama 1996 (cosmo.Decoupling)
//	ln(z_d/z_d,EH), z_d,EH that of Eisenstein & Hu 1998, Eq. 4
//	ln(r_s/r_rm)    at z* and at z_drag, r_rm = ∫ c_s da/(a²H) of radiation
//	                (all neutrinos relativistic) and matter (ω_b + ω_c + ω_ν)
//	                alone (cosmo.SoundHorizonTail).
//
// Y_He is not emulated (NaN; the exact route gives it). Early is immutable
// and safe for concurrent use.
//
// A second network (the outer tier, optional in a file) answers a wider box
// with ln ω_b and ln ω_c as inputs, so that the wide priors of nested
// sampling do not send most points to the exact route; it is less accurate
// (docs/emulators.md) and answers only outside the inner box.
//
// A third network (the dark-energy tier, optional in a file) answers flat
// universes whose dark energy is not negligible at z = 800, with the dark
// energy's share and w there as inputs (early_de.go).
type Early struct {
	net      *Net
	domain   EarlyDomain
	wide     *Net // the outer tier, or nil
	wideDom  EarlyDomain
	de       *Net // the dark-energy tier, or nil
	deDom    EarlyDEDomain
	training json.RawMessage
	valid    json.RawMessage
}

// EarlyDomain is the box of the inputs (earlyInputs, in their order) that
// an Early emulator answers.
type EarlyDomain struct {
	Min, Max [5]float64
}

// earlyInputs and earlyOutputs name the network's inputs and outputs.
var (
	earlyInputs     = []string{cosmo.NameOmbh2, cosmo.NameOmch2, cosmo.NameNnu, cosmo.NameMnu, "omkh2"}
	earlyWideInputs = []string{"ln " + cosmo.NameOmbh2, "ln " + cosmo.NameOmch2, cosmo.NameNnu, cosmo.NameMnu, "omkh2"}
	earlyOutputs    = []string{"ln(z*/z*_HS)", "ln(zdrag/zdrag_EH)", "ln(rs*/rs_rm)", "ln(rd/rd_rm)"}
)

// EarlySpec is what an Early emulator is made of.
type EarlySpec struct {
	Net    *Net
	Domain EarlyDomain
	// Wide, if not nil, is the outer tier: a network of earlyWideInputs
	// answering WideDomain (in ω_b, ω_c, …, like Domain, which it must
	// contain) outside Domain.
	Wide       *Net
	WideDomain EarlyDomain
	// DE, if not nil, is the dark-energy tier: a network of earlyDEInputs
	// answering DEDomain where dark energy is not negligible at z = 800.
	DE                   *Net
	DEDomain             EarlyDEDomain
	Training, Validation json.RawMessage
}

// NewEarly returns the early-universe emulator of a spec.
func NewEarly(s EarlySpec) (*Early, error) {
	if s.Net == nil {
		return nil, fmt.Errorf("emulator: early: no network")
	}
	if err := checkEarlyNet(s.Net, "early", "network", earlyInputs); err != nil {
		return nil, err
	}
	if err := s.Domain.check(); err != nil {
		return nil, err
	}
	e := &Early{net: s.Net, domain: s.Domain, training: s.Training, valid: s.Validation}
	if s.DE != nil {
		if err := checkEarlyNet(s.DE, "early dark energy", "dark-energy network", earlyDEInputs); err != nil {
			return nil, err
		}
		if err := s.DEDomain.check(); err != nil {
			return nil, err
		}
		e.de, e.deDom = s.DE, s.DEDomain
	}
	if s.Wide == nil {
		return e, nil
	}
	if err := checkEarlyNet(s.Wide, "early wide", "outer network", earlyWideInputs); err != nil {
		return nil, err
	}
	if err := s.WideDomain.check(); err != nil {
		return nil, err
	}
	for i := range s.Domain.Min {
		if s.WideDomain.Min[i] > s.Domain.Min[i] || s.WideDomain.Max[i] < s.Domain.Max[i] {
			return nil, fmt.Errorf("emulator: early: the outer box of %s, [%v, %v], does not hold the inner [%v, %v]", earlyInputs[i], s.WideDomain.Min[i], s.WideDomain.Max[i], s.Domain.Min[i], s.Domain.Max[i])
		}
	}
	e.wide, e.wideDom = s.Wide, s.WideDomain
	return e, nil
}

// checkEarlyNet checks that n, called name in its own checks and what in
// the message about its shape, is a network of the inputs, the
// earlyOutputs and degree 0.
func checkEarlyNet(n *Net, name, what string, inputs []string) error {
	if err := n.check(name); err != nil {
		return fmt.Errorf("emulator: early: %w", err)
	}
	if !slices.Equal(n.Inputs, inputs) || !slices.Equal(n.Outputs, earlyOutputs) || n.UDegree != 0 {
		return fmt.Errorf("emulator: early: %s has inputs %v and outputs %v of degree %d, want %v, %v and 0", what, n.Inputs, n.Outputs, n.UDegree, inputs, earlyOutputs)
	}
	return nil
}

// String writes the box as "ω_b ∈ [0.017, 0.027], ω_c ∈ …".
func (d EarlyDomain) String() string {
	return boxString([]string{"ω_b", "ω_c", "N_eff", "Σmν", "ω_k"}, d.Min[:], d.Max[:])
}

// check refuses a box that is empty, infinite or leaves the physical
// ranges (ω_b, ω_c, N_eff > 0, Σmν ≥ 0).
func (d *EarlyDomain) check() error {
	if err := checkBox("domain", earlyInputs, d.Min[:], d.Max[:]); err != nil {
		return err
	}
	if d.Min[0] <= 0 || d.Min[1] <= 0 || d.Min[2] <= 0 || d.Min[3] < 0 {
		return fmt.Errorf("emulator: early: domain %+v leaves the physical ranges", *d)
	}
	return nil
}

// boxString writes a box as "name ∈ [lo, hi], …".
func boxString(names []string, lo, hi []float64) string {
	var b strings.Builder
	for i, n := range names {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s ∈ [%g, %g]", n, lo[i], hi[i])
	}
	return b.String()
}

// checkBox refuses a box (called what in the message) that is empty or
// infinite in one of its named inputs.
func checkBox(what string, names []string, lo, hi []float64) error {
	for i := range lo {
		if !(lo[i] < hi[i]) || math.IsInf(lo[i], 0) || math.IsInf(hi[i], 0) {
			return fmt.Errorf("emulator: early: %s of %s is [%v, %v]", what, names[i], lo[i], hi[i])
		}
	}
	return nil
}

// Domain returns the box the emulator's inner tier answers.
func (e *Early) Domain() EarlyDomain { return e.domain }

// WideDomain returns the box of the outer tier, and whether there is one.
func (e *Early) WideDomain() (EarlyDomain, bool) { return e.wideDom, e.wide != nil }

// DEDomain returns the box of the dark-energy tier, and whether there is
// one.
func (e *Early) DEDomain() (EarlyDEDomain, bool) { return e.deDom, e.de != nil }

// Kind returns "cosmoemu-early".
func (e *Early) Kind() string { return earlyFormat }

// Training returns the training record stored in the file (JSON).
func (e *Early) Training() json.RawMessage { return slices.Clone(e.training) }

// Validation returns the validation record stored in the file (JSON).
func (e *Early) Validation() json.RawMessage { return slices.Clone(e.valid) }

// Contains returns nil if the early point lies in the domain, else a
// *DomainError naming the input (or dark energy that is not negligible).
func (d *EarlyDomain) Contains(ep *cosmo.EarlyPoint) error {
	x := earlyX(ep)
	for i, v := range x {
		if !(v >= d.Min[i] && v <= d.Max[i]) {
			return &DomainError{Model: earlyModel, Param: earlyInputs[i], Value: v, Min: d.Min[i], Max: d.Max[i]}
		}
	}
	if !ep.DENegligible {
		return &DomainError{Model: earlyModel, Reason: fmt.Sprintf("dark energy holds more than %g of the density at z = 800", cosmo.EarlyDETol)}
	}
	return nil
}

// earlyModel names the early-universe emulator in errors and files.
const earlyModel = "early"

// earlyX returns the inner network's inputs of an early point.
func earlyX(ep *cosmo.EarlyPoint) [5]float64 {
	return [5]float64{ep.Ombh2, ep.Omch2, ep.Nnu, ep.Mnu, ep.Omkh2}
}

// earlyWideX returns the outer network's inputs of an early point.
func earlyWideX(ep *cosmo.EarlyPoint) [5]float64 {
	return [5]float64{math.Log(ep.Ombh2), math.Log(ep.Omch2), ep.Nnu, ep.Mnu, ep.Omkh2}
}

// Which tier answers a point.
const (
	tierInner = iota
	tierWide
	tierDE
)

// tier returns the tier that answers ep and, for the inner and outer
// ones, its inputs: the dark-energy tier where dark energy is not
// negligible at z = 800 and the point is in its box; else the inner one
// inside Domain, else the outer one inside WideDomain; else the inner
// box's *DomainError (the outer or the dark-energy box's if there is one).
func (e *Early) tier(ep *cosmo.EarlyPoint) (tier int, x [5]float64, err error) {
	if !ep.DENegligible && e.de != nil {
		return tierDE, x, e.deDom.Contains(ep)
	}
	inner, x, err := e.boxTiers(ep)
	if inner {
		return tierInner, x, err
	}
	return tierWide, x, err
}

// boxTiers returns whether the inner or the outer box holds ep (where
// dark energy is negligible early), and the inputs of its network.
func (e *Early) boxTiers(ep *cosmo.EarlyPoint) (inner bool, x [5]float64, err error) {
	err = e.domain.Contains(ep)
	if err == nil {
		return true, earlyX(ep), nil
	}
	if e.wide == nil {
		return false, x, err
	}
	if err := e.wideDom.Contains(ep); err != nil {
		return false, x, err
	}
	return false, earlyWideX(ep), nil
}

// earlyReference returns the fitting formulas the network corrects: z* of
// Hu & Sugiyama, z_drag of Eisenstein & Hu, and the sound horizons at both
// of radiation and matter alone in Mpc, at the epochs zs and zd.
type earlyReference struct {
	or, ocb, rb float64 // ω_r (all neutrinos relativistic), ω_cb + ω_ν, 3ω_b/(4ω_γ)
	zHS, zEH    float64
}

// newEarlyReference evaluates the formulas at ep. The neutrinos' matter
// density there is the non-relativistic Σmν/(93.14 eV), which vanishes
// with Σmν: ω_ν of a tiny mass is the relativistic density of one
// species (5.7e-6), not 0, and a reference that jumped there would leave
// the network a step to learn.
func newEarlyReference(ep *cosmo.EarlyPoint) (earlyReference, error) {
	if !(ep.Mnu >= 0) || !(ep.Nnu > 0) {
		return earlyReference{}, fmt.Errorf("emulator: early universe at Σmν = %v eV, N_eff = %v", ep.Mnu, ep.Nnu)
	}
	var r earlyReference
	r.or = cosmo.OmegaGammaH2 * (1 + neutrino.MasslessFactor*ep.Nnu)
	wm := ep.Ombh2 + ep.Omch2 + ep.Mnu/93.14
	r.ocb = wm
	r.rb = cosmo.BaryonPhotonRatio(ep.Ombh2)
	r.zHS = cosmo.Decoupling(wm, ep.Ombh2)
	r.zEH = dragEH(wm, ep.Ombh2)
	return r, nil
}

// soundRM returns r_s at redshift z of radiation and matter alone, in Mpc:
// (c/100 km/s/Mpc) times cosmo.SoundHorizonTail in physical densities.
func (r *earlyReference) soundRM(z float64) float64 {
	return cosmo.HubbleDistance(100) * cosmo.SoundHorizonTail(1/(1+z), r.or, r.ocb, r.rb)
}

// dragEH returns z_drag of Eisenstein & Hu 1998 (ApJ 496, 605), Eq. 4,
// with ω_m = Ωm h² and ω_b = Ω_b h².
func dragEH(wm, wb float64) float64 {
	b1 := 0.313 * math.Pow(wm, -0.419) * (1 + 0.607*math.Pow(wm, 0.674))
	b2 := 0.238 * math.Pow(wm, 0.223)
	return 1291 * math.Pow(wm, 0.251) / (1 + 0.659*math.Pow(wm, 0.828)) * (1 + b1*math.Pow(wb, b2))
}

// earlyTargets returns the network's targets for the epochs e of ep.
func earlyTargets(ep *cosmo.EarlyPoint, e *cosmo.Epochs) ([4]float64, error) {
	r, err := newEarlyReference(ep)
	if err != nil {
		return [4]float64{}, err
	}
	return [4]float64{
		math.Log(e.ZStar / r.zHS),
		math.Log(e.ZDrag / r.zEH),
		math.Log(e.RsStar / r.soundRM(e.ZStar)),
		math.Log(e.Rd / r.soundRM(e.ZDrag)),
	}, nil
}

// EarlySource is the early-universe emulator as a cosmo.EarlySource: its
// calculators answer points inside the domain from the network and the
// others by the exact route (Fallback, or cosmo.EarlyExact if nil),
// counted in Stats. NoFallback makes points outside the domain errors
// instead.
type EarlySource struct {
	Emulator   *Early
	Fallback   cosmo.EarlySource
	NoFallback bool
	Stats      *Stats
}

// Name returns "emulator".
func (EarlySource) Name() string { return "emulator" }

// NewEarly returns a calculator.
func (s EarlySource) NewEarly() cosmo.EarlyCalculator {
	e := s.Emulator
	c := &earlyEval{e: e, c: &counts{}, noFallback: s.NoFallback}
	c.in, c.layer = e.net.evaluator()
	if e.wide != nil {
		c.wideIn, c.wideLayer = e.wide.evaluator()
	}
	if e.de != nil {
		c.de = newDETier(e.de)
	}
	if !s.NoFallback {
		c.fb = cosmo.NewEarly(s.Fallback)
	}
	if s.Stats != nil {
		s.Stats.add(c.c)
	}
	return c
}

// earlyEval is one calculator of an EarlySource.
type earlyEval struct {
	e                *Early
	in, wideIn       *netEval
	layer, wideLayer *nn.Workspace
	de               *deTier // nil without a dark-energy tier
	out              [4]float64
	fb               cosmo.EarlyCalculator
	noFallback       bool
	c                *counts
}

// Compute fills dst from the network inside the domain, else from the
// fallback.
func (c *earlyEval) Compute(dst *cosmo.Epochs, m *cosmo.Model, p *cosmo.Params) error {
	c.c.evals.Add(1)
	if !p.HasOmbh2 {
		return fmt.Errorf("model %s: the early universe needs ombh2", m.Name())
	}
	ep := m.EarlyPoint(p)
	tier, x, err := c.e.tier(&ep)
	switch {
	case err != nil && c.noFallback:
		return err
	case err != nil:
		c.c.fallbacks.Add(1)
		return c.fb.Compute(dst, m, p)
	case tier == tierInner:
		return epochs(dst, &ep, x, c.in, c.layer, &c.out)
	case tier == tierDE:
		return c.de.epochs(dst, &ep, m, p, &c.out)
	}
	return epochs(dst, &ep, x, c.wideIn, c.wideLayer, &c.out)
}

// epochs evaluates a network, with inputs x, at ep.
func epochs(dst *cosmo.Epochs, ep *cosmo.EarlyPoint, x [5]float64, in *netEval, ly *nn.Workspace, out *[4]float64) error {
	r, err := newEarlyReference(ep)
	if err != nil {
		return err
	}
	ly.Forward(out[:], in.features(x[:], 0))
	dst.ZStar = r.zHS * math.Exp(out[0])
	dst.ZDrag = r.zEH * math.Exp(out[1])
	dst.RsStar = r.soundRM(dst.ZStar) * math.Exp(out[2])
	dst.Rd = r.soundRM(dst.ZDrag) * math.Exp(out[3])
	// Y_He (BBN's spline) would cost as much as the rest: the emulator
	// leaves it to the exact route.
	dst.YHe = math.NaN()
	return nil
}

// evaluator returns the input features and the folded output layer of an
// early-universe network.
func (n *Net) evaluator() (*netEval, *nn.Workspace) {
	return newNetEval(n), layerWorkspace(n.folded([][]weighted{{{0, 1}}, {{1, 1}}, {{2, 1}}, {{3, 1}}}))
}

// Epochs returns the emulated epochs of an early point inside the domain,
// by the inner tier or the outer one (a *DomainError outside both, or
// where dark energy is not negligible at z = 800: EpochsAt answers
// those). It allocates; backends use EarlySource.
func (e *Early) Epochs(ep cosmo.EarlyPoint) (cosmo.Epochs, error) {
	var dst cosmo.Epochs
	inner, x, err := e.boxTiers(&ep) // a *DomainError too where dark energy is not negligible
	if err != nil {
		return dst, err
	}
	n := e.net
	if !inner {
		n = e.wide
	}
	in, ly := n.evaluator()
	var out [4]float64
	err = epochs(&dst, &ep, x, in, ly, &out)
	return dst, err
}

// EpochsAt returns the emulated epochs of model m at p, by whichever tier
// answers it (a *DomainError if none does). It allocates; backends use
// EarlySource.
func (e *Early) EpochsAt(m *cosmo.Model, p *cosmo.Params) (cosmo.Epochs, error) {
	if !p.HasOmbh2 {
		return cosmo.Epochs{}, fmt.Errorf("model %s: the early universe needs ombh2", m.Name())
	}
	ep := m.EarlyPoint(p)
	if ep.DENegligible || e.de == nil {
		return e.Epochs(ep)
	}
	var dst cosmo.Epochs
	if err := e.deDom.Contains(&ep); err != nil {
		return dst, err
	}
	var out [4]float64
	err := newDETier(e.de).epochs(&dst, &ep, m, p, &out)
	return dst, err
}

// counts are one calculator's counters, on their own cache line so that
// calculators on different goroutines do not share one.
type counts struct {
	evals, fallbacks atomic.Int64
	growthFallbacks  atomic.Int64 // evaluations whose growth alone the fallback computed
	growthOutside    atomic.Int64 // evaluations whose growth the ODE computed, outside the growth network's domain
	_                [32]byte     // a cache line each
}

// Stats sums the evaluations and fallbacks of the calculators (or
// evaluators) it is given to. Its methods are safe for concurrent use,
// also while they run.
type Stats struct {
	mu   sync.Mutex
	list []*counts
}

func (s *Stats) add(c *counts) {
	s.mu.Lock()
	s.list = append(s.list, c)
	s.mu.Unlock()
}

// Evaluations returns the number of evaluations so far.
func (s *Stats) Evaluations() int64 {
	return s.sum(func(c *counts) int64 { return c.evals.Load() })
}

// Fallbacks returns the number of evaluations the fallback answered.
func (s *Stats) Fallbacks() int64 {
	return s.sum(func(c *counts) int64 { return c.fallbacks.Load() })
}

// GrowthFallbacks returns the number of evaluations whose growth alone the
// fallback computed (a model without a growth emulator), the rest being
// emulated; they are not among Fallbacks.
func (s *Stats) GrowthFallbacks() int64 {
	return s.sum(func(c *counts) int64 { return c.growthFallbacks.Load() })
}

// GrowthOutside returns the number of evaluations of a closed-form model
// whose growth the growth ODE computed because they fell outside its
// growth emulator's domain, the rest being the closed form's; they are
// not among Fallbacks. (The field's fall back whole, among Fallbacks.)
func (s *Stats) GrowthOutside() int64 {
	return s.sum(func(c *counts) int64 { return c.growthOutside.Load() })
}

// sum adds one counter over the calculators.
func (s *Stats) sum(get func(*counts) int64) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	var n int64
	for _, c := range s.list {
		n += get(c)
	}
	return n
}
