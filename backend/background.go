package backend

import (
	"fmt"
	"math"

	"github.com/cosmoemu/cosmoemu/cosmo"
)

// Background is every observable of one point at a list of redshifts, with
// the names of `cosmoemu background -json`. Distances are in Mpc, H in
// km/s/Mpc, μ in mag, times in Gyr. The early-universe scalars need ombh2
// and are nil without it.
type Background struct {
	Model   string             `json:"model"`
	Backend string             `json:"backend"`
	Params  map[string]float64 `json:"params"`

	Z        []float64 `json:"z"`
	ZHel     []float64 `json:"zhel"`
	E        []float64 `json:"E"`
	H        []float64 `json:"H"`
	DC       []float64 `json:"DC"`
	DM       []float64 `json:"DM"`
	DA       []float64 `json:"DA"`
	DL       []float64 `json:"DL"`
	Mu       []float64 `json:"mu"`
	DH       []float64 `json:"DH"`
	DV       []float64 `json:"DV"`
	W        []float64 `json:"w"`
	Lookback []float64 `json:"lookback_Gyr"`

	// The early universe (with ombh2), by the backend's route, with
	// CAMB's names; z_drag is not defined by the fitting formulas.
	ZDrag        *float64 `json:"zdrag,omitempty"`
	Rd           *float64 `json:"rdrag,omitempty"`
	ZStar        *float64 `json:"zstar,omitempty"`
	RsStar       *float64 `json:"rs_star,omitempty"`
	DMStar       *float64 `json:"DM_star,omitempty"`
	ThetaStar100 *float64 `json:"theta_star_100,omitempty"`
	R            *float64 `json:"R,omitempty"`
	LA           *float64 `json:"lA,omitempty"`
	YHe          *float64 `json:"YHe,omitempty"`

	OmegaNu float64 `json:"Omega_nu"` // Ω_ν of the massive neutrinos today (in Om)
	AgeGyr  float64 `json:"age_Gyr"`

	// The linear growth of CDM and baryons (cosmo's growth conventions):
	// D(z)/D(0), f(z) and fσ8(z)/σ8 = f D/D0, and D0 (D → a in the matter
	// era). With sigma8 among the parameters, fσ8(z), σ8(z) and S8 too.
	DRatio    []float64 `json:"D_ratio,omitempty"`
	F         []float64 `json:"f,omitempty"`
	FS8OverS8 []float64 `json:"fs8_over_s8,omitempty"`
	D0        float64   `json:"D0,omitempty"`
	FSigma8   []float64 `json:"fsigma8,omitempty"`
	Sigma8Z   []float64 `json:"sigma8_z,omitempty"`
	S8        *float64  `json:"S8,omitempty"`
	// GrowthNote says why the growth is missing when the backend cannot
	// compute it (an emulator without a growth emulator or a fallback).
	GrowthNote string `json:"growth_note,omitempty"`
}

// Observe computes the Background of model m at p for redshifts z with
// heliocentric redshifts zhel (nil: the same as z) using backend b, the
// linear growth included. The
// redshifts must be positive (μ is undefined at z = 0). A point the model
// cannot describe, E² ≤ 0 up to the largest redshift (or z* with ombh2),
// and D_L ≤ 0 (past the antipode of a closed universe) are
// *cosmo.PointError values.
func Observe(b cosmo.Backend, m *cosmo.Model, p cosmo.Params, z, zhel []float64) (*Background, error) {
	if zhel == nil {
		zhel = z
	}
	if len(zhel) != len(z) {
		return nil, fmt.Errorf("backend: %d heliocentric redshifts for %d redshifts", len(zhel), len(z))
	}
	for i, v := range z {
		if !(v > 0) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("backend: redshift %d = %v must be finite and > 0", i+1, v)
		}
	}
	for i, v := range zhel {
		if !(v > -1) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("backend: heliocentric redshift %d = %v must be finite and > −1", i+1, v)
		}
	}
	if err := m.Check(&p); err != nil {
		return nil, err
	}
	req := cosmo.Request{Z: z, Distances: true, W: true, Age: true, CMB: p.HasOmbh2, Drag: p.HasOmbh2, Growth: true}
	if err := req.Validate(); err != nil {
		return nil, err
	}
	if m.ClosedForm() {
		zmax := req.MaxZ()
		e := m.Expansion(&p)
		if p.HasOmbh2 {
			zmax = math.Max(zmax, 1.1*cosmo.Decoupling(p.Om*p.H()*p.H(), p.Ombh2))
		}
		if err := e.CheckPositive(m.Name(), zmax); err != nil {
			return nil, err
		}
	}
	ev, err := b.NewEvaluator(m, req)
	var growthNote string
	if err != nil {
		// A backend that computes all but the growth still answers.
		req.Growth = false
		ev2, err2 := b.NewEvaluator(m, req)
		if err2 != nil {
			return nil, err
		}
		ev, growthNote = ev2, "the linear growth is not computed: "+err.Error()
	}
	res := cosmo.NewResult(req)
	if err := ev.Eval(res, &p); err != nil {
		return nil, err
	}
	n := len(z)
	bg := &Background{Model: m.Name(), Backend: b.Name(), Params: m.Values(&p),
		Z: z, ZHel: zhel, E: res.E, DC: res.DC, DM: res.DM, W: res.W, Lookback: res.Lookback, AgeGyr: res.Age,
		OmegaNu: p.OmegaNu()}
	bg.H, bg.DA, bg.DL, bg.Mu, bg.DH, bg.DV = make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	for i, zi := range z {
		bg.H[i] = res.HubbleRate(i)
		bg.DA[i] = res.DA(i, zi)
		bg.DL[i] = res.DL(i, zhel[i])
		if !(bg.DL[i] > 0) {
			if p.Ok < 0 && bg.DC[i] > 0 {
				return nil, &cosmo.PointError{Model: m.Name(), Reason: fmt.Sprintf("D_L(z = %g) = %.4g Mpc ≤ 0: the redshift lies past the antipode of this closed universe", zi, bg.DL[i])}
			}
			// Flat or open: D_L ≤ 0 only where the distance underflows.
			return nil, &cosmo.PointError{Model: m.Name(), Param: "z", Value: zi, Reason: fmt.Sprintf("D_L = %.4g Mpc: the redshift is too small for a positive distance in float64", bg.DL[i])}
		}
		bg.Mu[i] = res.Mu(i, zhel[i])
		bg.DH[i] = res.DH(i)
		bg.DV[i] = res.DV(i, zi)
	}
	if p.HasOmbh2 {
		ep := res.Epochs
		r, la, th := res.ShiftR(p.Om), res.AcousticScale(), 100*res.ThetaStar()
		bg.Rd, bg.ZStar, bg.RsStar, bg.DMStar, bg.R, bg.LA, bg.ThetaStar100 = &ep.Rd, &ep.ZStar, &ep.RsStar, &res.DMStar, &r, &la, &th
		if ep.ZDrag > 0 {
			bg.ZDrag = &ep.ZDrag
		}
		if !math.IsNaN(ep.YHe) {
			bg.YHe = &ep.YHe
		}
	}
	if growthNote != "" {
		bg.GrowthNote = growthNote
		return bg, nil
	}
	bg.setGrowth(res, &p)
	return bg, nil
}

// setGrowth copies the growth of res.
func (bg *Background) setGrowth(res *cosmo.Result, p *cosmo.Params) {
	n := len(bg.Z)
	bg.DRatio, bg.F, bg.D0 = res.DRatio, res.F, res.D0
	bg.FS8OverS8 = make([]float64, n)
	for i := range n {
		bg.FS8OverS8[i] = res.FSigma8(i, 1)
	}
	if p.HasSigma8 {
		s8 := p.S8()
		bg.S8 = &s8
		bg.FSigma8, bg.Sigma8Z = make([]float64, n), make([]float64, n)
		for i := range n {
			bg.FSigma8[i] = res.FSigma8(i, p.Sigma8)
			bg.Sigma8Z[i] = p.Sigma8 * res.DRatio[i]
		}
	}
}
