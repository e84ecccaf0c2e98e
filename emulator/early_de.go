package emulator

import (
	"fmt"
	"math"

	"github.com/cosmoemu/cosmoemu/cosmo"
	"github.com/cosmoemu/cosmoemu/nn"
)

// The dark-energy tier of Early answers flat universes whose dark energy
// is not negligible before z ≈ 800 (cosmo.EarlyPoint.DENegligible false):
// w0waCDM with w0 + wa ≳ −0.73, wCDM with w ≳ −0.73, which the priors of
// nested sampling reach in a sixth of their calls. There the epochs depend
// on the dark energy's density at z ≳ 800 too, which a fluid's density
// carries as a power law of 1+z, so that two more numbers describe it:
// its share of the matter ρ_DE/ρ_cb at z = 800 and its w there
// (cosmo.EarlyPoint.DEShare, DEW). Its inputs are
//
//	(ln ω_b, ln ω_c, N_eff, Σmν, ln(ρ_DE/ρ_cb)_{z=800}, w_{z=800}),
//
// and its outputs are those of the other tiers, but for the sound
// horizons, whose reference is the sound horizon by quadrature in the
// point's own expansion (cosmo.Expansion.SoundHorizon, 24 Gauss–Legendre
// nodes): dark energy slows the expansion's history by up to half of r_s
// at the box's edge, and the quadrature carries that exactly, leaving the
// network the shift of the epochs and the quadrature's error. It is
// trained in flat wCDM (w = w_{z=800}, h set by the share); CPL's density
// departs from the power law by e^{3wa a}, below 1.1% at z ≥ 800, which
// moves the epochs by about 1e-4 of the share (docs/emulators.md).

// earlyDEInputs names the dark-energy tier's inputs.
var earlyDEInputs = []string{"ln " + cosmo.NameOmbh2, "ln " + cosmo.NameOmch2, cosmo.NameNnu, cosmo.NameMnu, "ln de_share", "de_w"}

// EarlyDEDomain is the box of the dark-energy tier, in ω_b, ω_c, N_eff,
// Σmν, the share ρ_DE/ρ_cb and w at z = 800 (the network's inputs are
// the logarithms of the densities and of the share).
type EarlyDEDomain struct {
	Min, Max [6]float64
}

// DefaultEarlyDEDomain is the box of the dark-energy tier: the outer
// tier's ω_b, ω_c, N_eff and Σmν; shares from EarlyDETol/10 to 10 (dark
// energy ten times the matter at z = 800 halves r_s; beyond, the data of
// any late-universe fit reject the point by thousands of χ²); w ∈ [−1.2,
// 0.01] (a share above EarlyDETol with w < −1.2 at z = 800 needs dark
// energy a billion times the matter today; the built-in fluids refuse
// w ≥ 0 early, CPL's w(800) = w0 + wa − wa/801 is below 0.004).
var DefaultEarlyDEDomain = EarlyDEDomain{
	Min: [6]float64{0.005, 0.002, 2, 0, cosmo.EarlyDETol / 10, -1.2},
	Max: [6]float64{0.04, 1, 4.5, 1, 10, 0.01},
}

var earlyDENames = [6]string{"ω_b", "ω_c", "N_eff", "Σmν", "ρ_DE/ρ_cb(z=800)", "w(z=800)"}

// String writes the box as "ω_b ∈ [0.005, 0.04], …".
func (d EarlyDEDomain) String() string {
	return boxString(earlyDENames[:], d.Min[:], d.Max[:])
}

// check refuses a box that is empty or infinite, or whose densities or
// share are not positive.
func (d *EarlyDEDomain) check() error {
	if err := checkBox("dark-energy domain", earlyDENames[:], d.Min[:], d.Max[:]); err != nil {
		return err
	}
	if d.Min[0] <= 0 || d.Min[1] <= 0 || d.Min[2] <= 0 || d.Min[3] < 0 || d.Min[4] <= 0 {
		return fmt.Errorf("emulator: early: dark-energy domain %+v leaves the physical ranges", *d)
	}
	return nil
}

// earlyDEValues returns the box's coordinates of an early point.
func earlyDEValues(ep *cosmo.EarlyPoint) [6]float64 {
	return [6]float64{ep.Ombh2, ep.Omch2, ep.Nnu, ep.Mnu, ep.DEShare, ep.DEW}
}

// Contains returns nil if the early point, flat and with dark energy, lies
// in the box, else a *DomainError.
func (d *EarlyDEDomain) Contains(ep *cosmo.EarlyPoint) error {
	if ep.Omkh2 != 0 {
		return &DomainError{Model: earlyModel, Reason: "dark energy that is not negligible at z = 800 in a curved universe"}
	}
	for i, v := range earlyDEValues(ep) {
		if !(v >= d.Min[i] && v <= d.Max[i]) {
			return &DomainError{Model: earlyModel, Param: earlyDENames[i], Value: v, Min: d.Min[i], Max: d.Max[i]}
		}
	}
	return nil
}

// earlyDEX returns the dark-energy network's inputs of an early point.
func earlyDEX(ep *cosmo.EarlyPoint) [6]float64 {
	return [6]float64{math.Log(ep.Ombh2), math.Log(ep.Omch2), ep.Nnu, ep.Mnu, math.Log(ep.DEShare), ep.DEW}
}

// deSoundNodes is the number of Gauss–Legendre nodes of the dark-energy
// tier's reference sound horizons.
const deSoundNodes = 24

// deSound returns the reference sound horizon at z in Mpc: the quadrature
// in the expansion ex of a universe with Hubble constant h0.
func deSound(ex *cosmo.Expansion, h0, rb, z float64, nd cosmo.Nodes) float64 {
	return cosmo.HubbleDistance(h0) * ex.SoundHorizon(1/(1+z), rb, nd)
}

// deTier is what a calculator needs to evaluate the dark-energy tier.
type deTier struct {
	in    *netEval
	layer *nn.Workspace
	nodes cosmo.Nodes
}

func newDETier(n *Net) *deTier {
	in, ly := n.evaluator()
	return &deTier{in: in, layer: ly, nodes: cosmo.NewNodes(deSoundNodes)}
}

// epochs fills dst for model m at p, whose early point ep lies in the
// dark-energy tier's box.
func (t *deTier) epochs(dst *cosmo.Epochs, ep *cosmo.EarlyPoint, m *cosmo.Model, p *cosmo.Params, out *[4]float64) error {
	r, err := newEarlyReference(ep)
	if err != nil {
		return err
	}
	x := earlyDEX(ep)
	t.layer.Forward(out[:], t.in.features(x[:], 0))
	ex := m.Expansion(p)
	dst.ZStar = r.zHS * math.Exp(out[0])
	dst.ZDrag = r.zEH * math.Exp(out[1])
	dst.RsStar = deSound(&ex, p.H0, r.rb, dst.ZStar, t.nodes) * math.Exp(out[2])
	dst.Rd = deSound(&ex, p.H0, r.rb, dst.ZDrag, t.nodes) * math.Exp(out[3])
	dst.YHe = math.NaN()
	return nil
}

// earlyDETargets returns the dark-energy network's targets for the exact
// epochs e of model m at p, whose early point is ep.
func earlyDETargets(ep *cosmo.EarlyPoint, e *cosmo.Epochs, m *cosmo.Model, p *cosmo.Params, nd cosmo.Nodes) ([4]float64, error) {
	r, err := newEarlyReference(ep)
	if err != nil {
		return [4]float64{}, err
	}
	ex := m.Expansion(p)
	return [4]float64{
		math.Log(e.ZStar / r.zHS),
		math.Log(e.ZDrag / r.zEH),
		math.Log(e.RsStar / deSound(&ex, p.H0, r.rb, e.ZStar, nd)),
		math.Log(e.Rd / deSound(&ex, p.H0, r.rb, e.ZDrag, nd)),
	}, nil
}

// earlyDEParams returns the point of the flat model m, whose dark energy
// de has the values vals, whose early universe is that of the box
// coordinates v (ω_b, ω_c, N_eff, Σmν, share, w at z = 800; w must be
// de's there): h such that Ω_DE h² f(800) = share·ω_cb·801³, f = ρ_DE/ρ_DE0
// and Ω_DE = 1 − Ωm − Ω_r,massless, that is
//
//	h² = ω_cb + ω_ν + ω_r,massless + share·ω_cb·801³/f(800).
func earlyDEParams(m *cosmo.Model, de cosmo.ClosedFluid, vals cosmo.Values, v [6]float64) cosmo.Params {
	p := cosmo.Params{H0: 100, Ombh2: v[0], HasOmbh2: true, Mnu: v[3], Nnu: v[2], DE: vals}
	wcb := v[0] + v[1]
	p.Om = wcb + p.OmegaNu()
	ex := m.Expansion(&p) // at h = 1: Ω = ω
	const z = cosmo.EarlyDEZ
	lnf := de.LnDensity(math.Log1p(z), z/(1+z), vals)
	h2 := ex.Om + ex.Orl + v[4]*wcb*math.Exp(3*math.Log1p(z)-lnf)
	p.H0 = 100 * math.Sqrt(h2)
	p.Om = wcb/h2 + p.OmegaNu()
	return p
}
