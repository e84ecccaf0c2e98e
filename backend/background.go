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
	req := ObserveRequest(z, p.HasOmbh2)
	if err := req.Validate(); err != nil {
		return nil, err
	}
	if err := CheckPoint(m, &p, req.MaxZ()); err != nil {
		return nil, err
	}
	ev, req, growthNote, err := NewEvaluator(b, m, req)
	if err != nil {
		return nil, err
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
		o, err := ObservablesAt(res, m, &p, i, zi, zhel[i])
		if err != nil {
			return nil, err
		}
		bg.H[i], bg.DA[i], bg.DL[i], bg.Mu[i], bg.DH[i], bg.DV[i] = o.H, o.DA, o.DL, o.Mu, o.DH, o.DV
	}
	if p.HasOmbh2 {
		e := EarlyOf(res, &p)
		bg.Rd, bg.ZStar, bg.RsStar, bg.DMStar, bg.R, bg.LA, bg.ThetaStar100 = &e.Rd, &e.ZStar, &e.RsStar, &e.DMStar, &e.R, &e.LA, &e.ThetaStar100
		if !math.IsNaN(e.ZDrag) {
			bg.ZDrag = &e.ZDrag
		}
		if !math.IsNaN(e.YHe) {
			bg.YHe = &e.YHe
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
	if p.HasSigma8 {
		s8 := p.S8()
		bg.S8 = &s8
		bg.FSigma8, bg.Sigma8Z = make([]float64, n), make([]float64, n)
	}
	FillGrowth(res, p, bg.FS8OverS8, bg.FSigma8, bg.Sigma8Z)
}

// The pieces of Observe, exported for the callers that compute many
// points with one evaluator and one Result (package bridge): the same
// checks and the same arithmetic, without an allocation per point.

// ObserveRequest returns the request of Observe at the redshifts z: every
// observable, the early universe when the point has ombh2, and the linear
// growth.
func ObserveRequest(z []float64, ombh2 bool) cosmo.Request {
	return cosmo.Request{Z: z, Distances: true, W: true, Age: true, CMB: ombh2, Drag: ombh2, Growth: true}
}

// NewEvaluator returns the evaluator of backend b for model m and request
// req, and the request it answers. A backend that computes all of req
// but the linear growth still answers: the request returned is then req
// without Growth, and note says why the growth is missing.
func NewEvaluator(b cosmo.Backend, m *cosmo.Model, req cosmo.Request) (ev cosmo.Evaluator, answered cosmo.Request, note string, err error) {
	ev, err = b.NewEvaluator(m, req)
	if err == nil || !req.Growth {
		return ev, req, "", err
	}
	req.Growth = false
	ev, err2 := b.NewEvaluator(m, req)
	if err2 != nil {
		return nil, req, "", err
	}
	return ev, req, "the linear growth is not computed: " + err.Error(), nil
}

// CheckPoint makes the checks of Observe before it evaluates the point p
// of model m: the model's ranges and, for a closed form, E² > 0 up to
// zmax (the request's largest redshift) or, with ombh2, up to 1.1 z* (Hu
// & Sugiyama's z*).
func CheckPoint(m *cosmo.Model, p *cosmo.Params, zmax float64) error {
	if err := m.Check(p); err != nil {
		return err
	}
	if !m.ClosedForm() {
		return nil
	}
	if p.HasOmbh2 {
		zmax = math.Max(zmax, 1.1*cosmo.Decoupling(p.Om*p.H()*p.H(), p.Ombh2))
	}
	e := m.Expansion(p)
	return e.CheckPositive(m.Name(), zmax)
}

// AtZ are the observables at one redshift that derive from a Result's E
// and D_M: H in km/s/Mpc, D_A, D_L, D_H and D_V in Mpc, μ in mag.
type AtZ struct{ H, DA, DL, Mu, DH, DV float64 }

// ObservablesAt returns the observables at the redshift z =
// Request.Z[i], with heliocentric redshift zhel, of res, the Result of
// model m at p. D_L ≤ 0 is a *cosmo.PointError: past the antipode of a
// closed universe, or a distance that underflows in a flat or open one.
func ObservablesAt(res *cosmo.Result, m *cosmo.Model, p *cosmo.Params, i int, z, zhel float64) (AtZ, error) {
	dl := res.DL(i, zhel)
	if !(dl > 0) {
		return AtZ{}, nonPositiveDL(m, p, res.DC[i], z, dl)
	}
	return AtZ{H: res.HubbleRate(i), DA: res.DA(i, z), DL: dl, Mu: res.Mu(i, zhel), DH: res.DH(i), DV: res.DV(i, z)}, nil
}

// nonPositiveDL is the error of D_L = dl ≤ 0 at redshift z with D_C = dc.
func nonPositiveDL(m *cosmo.Model, p *cosmo.Params, dc, z, dl float64) error {
	if p.Ok < 0 && dc > 0 {
		return &cosmo.PointError{Model: m.Name(), Reason: fmt.Sprintf("D_L(z = %g) = %.4g Mpc ≤ 0: the redshift lies past the antipode of this closed universe", z, dl)}
	}
	// Flat or open: D_L ≤ 0 only where the distance underflows.
	return &cosmo.PointError{Model: m.Name(), Param: "z", Value: z, Reason: fmt.Sprintf("D_L = %.4g Mpc: the redshift is too small for a positive distance in float64", dl)}
}

// EarlyScalars are the early-universe scalars of a point with ombh2, with
// the names of Background: z_drag (NaN where the route defines none, the
// fitting formulas), r_d, z*, r_s(z*), D_M(z*) [Mpc], 100θ*, the shift
// parameters R and l_A, and Y_He (NaN where the route gives none).
type EarlyScalars struct{ ZDrag, Rd, ZStar, RsStar, DMStar, ThetaStar100, R, LA, YHe float64 }

// EarlyOf returns the early-universe scalars of res, the Result of a
// request with CMB and Drag at the point p.
func EarlyOf(res *cosmo.Result, p *cosmo.Params) EarlyScalars {
	ep := &res.Epochs
	e := EarlyScalars{ZDrag: math.NaN(), Rd: ep.Rd, ZStar: ep.ZStar, RsStar: ep.RsStar, DMStar: res.DMStar,
		ThetaStar100: 100 * res.ThetaStar(), R: res.ShiftR(p.Om), LA: res.AcousticScale(), YHe: ep.YHe}
	if ep.ZDrag > 0 {
		e.ZDrag = ep.ZDrag
	}
	return e
}

// FillGrowth writes the growth of res, the Result of a request with
// Growth at the point p, at its redshifts: fσ8(z)/σ8 into fs8OverS8 and,
// when p has sigma8, fσ8(z) and σ8(z) = σ8 D(z)/D(0) into fsigma8 and
// sigma8z, which it leaves alone otherwise.
func FillGrowth(res *cosmo.Result, p *cosmo.Params, fs8OverS8, fsigma8, sigma8z []float64) {
	for i := range fs8OverS8 {
		fs8OverS8[i] = res.FSigma8(i, 1)
	}
	if !p.HasSigma8 {
		return
	}
	for i := range fsigma8 {
		fsigma8[i], sigma8z[i] = res.FSigma8(i, p.Sigma8), p.Sigma8*res.DRatio[i]
	}
}
