package emulator

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
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
type Early struct {
	net      *Net
	domain   EarlyDomain
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
	earlyInputs  = []string{cosmo.NameOmbh2, cosmo.NameOmch2, cosmo.NameNnu, cosmo.NameMnu, "omkh2"}
	earlyOutputs = []string{"ln(z*/z*_HS)", "ln(zdrag/zdrag_EH)", "ln(rs*/rs_rm)", "ln(rd/rd_rm)"}
)

// EarlySpec is what an Early emulator is made of.
type EarlySpec struct {
	Net                  *Net
	Domain               EarlyDomain
	Training, Validation json.RawMessage
}

// NewEarly returns the early-universe emulator of a spec.
func NewEarly(s EarlySpec) (*Early, error) {
	if s.Net == nil {
		return nil, fmt.Errorf("emulator: early: no network")
	}
	if err := s.Net.check("early"); err != nil {
		return nil, fmt.Errorf("emulator: early: %w", err)
	}
	if !slices.Equal(s.Net.Inputs, earlyInputs) || !slices.Equal(s.Net.Outputs, earlyOutputs) || s.Net.UDegree != 0 {
		return nil, fmt.Errorf("emulator: early: network has inputs %v and outputs %v of degree %d, want %v, %v and 0", s.Net.Inputs, s.Net.Outputs, s.Net.UDegree, earlyInputs, earlyOutputs)
	}
	for i := range s.Domain.Min {
		if lo, hi := s.Domain.Min[i], s.Domain.Max[i]; !(lo < hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
			return nil, fmt.Errorf("emulator: early: domain of %s is [%v, %v]", earlyInputs[i], lo, hi)
		}
	}
	if s.Domain.Min[0] <= 0 || s.Domain.Min[1] <= 0 || s.Domain.Min[2] <= 0 || s.Domain.Min[3] < 0 {
		return nil, fmt.Errorf("emulator: early: domain %+v leaves the physical ranges", s.Domain)
	}
	return &Early{net: s.Net, domain: s.Domain, training: s.Training, valid: s.Validation}, nil
}

// Domain returns the box the emulator answers.
func (e *Early) Domain() EarlyDomain { return e.domain }

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

// earlyX returns the network's inputs of an early point.
func earlyX(ep *cosmo.EarlyPoint) [5]float64 {
	return [5]float64{ep.Ombh2, ep.Omch2, ep.Nnu, ep.Mnu, ep.Omkh2}
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
	c := &earlyEval{e: s.Emulator, in: newNetEval(s.Emulator.net), c: &counts{}, noFallback: s.NoFallback}
	c.layer = layerWorkspace(s.Emulator.net.folded([][]weighted{{{0, 1}}, {{1, 1}}, {{2, 1}}, {{3, 1}}}))
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
	e          *Early
	in         *netEval
	layer      *nn.Workspace
	out        [4]float64
	fb         cosmo.EarlyCalculator
	noFallback bool
	c          *counts
}

// Compute fills dst from the network inside the domain, else from the
// fallback.
func (c *earlyEval) Compute(dst *cosmo.Epochs, m *cosmo.Model, p *cosmo.Params) error {
	c.c.evals.Add(1)
	if !p.HasOmbh2 {
		return fmt.Errorf("model %s: the early universe needs ombh2", m.Name())
	}
	ep := m.EarlyPoint(p)
	if err := c.e.domain.Contains(&ep); err != nil {
		if c.noFallback {
			return err
		}
		c.c.fallbacks.Add(1)
		return c.fb.Compute(dst, m, p)
	}
	return c.e.epochs(dst, &ep, c.in, c.layer, &c.out)
}

// epochs evaluates the network at ep.
func (e *Early) epochs(dst *cosmo.Epochs, ep *cosmo.EarlyPoint, in *netEval, ly *nn.Workspace, out *[4]float64) error {
	r, err := newEarlyReference(ep)
	if err != nil {
		return err
	}
	x := earlyX(ep)
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

// Epochs returns the emulated epochs of an early point inside the domain
// (a *DomainError otherwise). It allocates; backends use EarlySource.
func (e *Early) Epochs(ep cosmo.EarlyPoint) (cosmo.Epochs, error) {
	var dst cosmo.Epochs
	if err := e.domain.Contains(&ep); err != nil {
		return dst, err
	}
	in := newNetEval(e.net)
	ly := layerWorkspace(e.net.folded([][]weighted{{{0, 1}}, {{1, 1}}, {{2, 1}}, {{3, 1}}}))
	var out [4]float64
	err := e.epochs(&dst, &ep, in, ly, &out)
	return dst, err
}

// counts are one calculator's counters, on their own cache line so that
// calculators on different goroutines do not share one.
type counts struct {
	evals, fallbacks atomic.Int64
	growthFallbacks  atomic.Int64 // evaluations whose growth alone the fallback computed
	_                [40]byte
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
