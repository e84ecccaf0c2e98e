package likelihood

import (
	"fmt"
	"io"
	"math"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/cosmoemu/cosmoemu/cosmo"
	"github.com/cosmoemu/cosmoemu/data"
	"github.com/cosmoemu/cosmoemu/neutrino"
)

// A ShiftConvention says how the CMB distance priors' shift parameter R
// and acoustic scale l_A are computed at a point. A compressed CMB
// likelihood is only as good as the agreement between the definitions that
// made it and those that use it: Chen, Huang & Wang's priors on (R, l_A)
// hold in their conventions, which are not CAMB's (docs/models.md, "The
// CMB likelihoods and their conventions").
type ShiftConvention int

const (
	// ShiftCHW computes R and l_A as Chen, Huang & Wang 2019 did, the
	// definitions that reproduce their own numbers from the Planck 2018
	// chains (see CMB):
	//
	//	z*   = Hu & Sugiyama 1996 (cosmo.Decoupling) with ω_m = Ωm h²
	//	       (massive neutrinos included) and g1 = 0.0783;
	//	E²   = Ω_r(1+z)⁴ + Ωm(1+z)³ + Ωk(1+z)² + Ω_DE f(z), with
	//	       Ω_r = Ωm/(1 + z_eq), z_eq = 2.5·10⁴ Ωm h² (T_CMB/2.7 K)⁻⁴
	//	       (Eisenstein & Hu 1998), the neutrinos massless in Ω_r and
	//	       their mass in Ωm at every z, Ω_DE = 1 − Ωm − Ω_r − Ωk;
	//	r_s  = ∫_{z*}^∞ c dz / (H √(3(1 + R_b))), R_b = 3·10⁴ ω_b a
	//	       (CAMB's dsound_da, which CosmoMC's θ_MC uses);
	//	R    = √Ωm H0 D_M(z*)/c,  l_A = π D_M(z*)/r_s(z*).
	//
	// For a model without a closed form (the scalar field) D_M(z*) is the
	// backend's at its z*, plus the difference of the two conventions
	// computed in the model's early expansion (cosmo.Model.EarlyExpansion),
	// so the backend's early-universe route is then computed too.
	ShiftCHW ShiftConvention = iota
	// ShiftEarly takes z*, r_s(z*) and D_M(z*) from the backend's
	// early-universe route (cosmo.EarlyRoute): CAMB's definitions with
	// cosmo.EarlyExact, the fitting formulas of cosmoemu before massive
	// neutrinos with cosmo.EarlyFitting.
	ShiftEarly
)

// String returns "chw2019" or "early".
func (c ShiftConvention) String() string {
	if c == ShiftEarly {
		return "early"
	}
	return "chw2019"
}

// CMB is the likelihood of the CMB distance priors x = (R, l_A, ω_b)
// (Chen, Huang & Wang 2019, arXiv:1808.05724): χ² = (x − d)ᵀ C⁻¹ (x − d)
// with C⁻¹ given, and R and l_A computed by its ShiftConvention.
//
// Chen, Huang & Wang's means, R = 1.7502 and l_A = 301.471 ± 0.090, are
// the means of the Planck 2018 TT,TE,EE+lowE chains computed with z* from
// Hu & Sugiyama's formula ("Here we use the approximate formula of z* to
// calculate x_i", the paper), radiation Ω_r = Ωm/(1 + z_eq) and CAMB's
// approximate baryon loading R_b = 3·10⁴ ω_b a; ShiftCHW is that. At the
// Planck chains' means (H0 67.27, ω_b 0.02236, ω_c 0.1202, Σmν 0.06 eV) it
// gives l_A = 301.490 and R = 1.75031, 0.2σ and 0.02σ from their means;
// CAMB's own z*, r_s(z*) and D_M(z*) (ShiftEarly with cosmo.EarlyExact)
// give l_A = 301.759, 3.2σ away, because l_A in CAMB's definitions is
// π/θ* and 100θ* = 1.04110 there. The shift is a property of the
// compression, not of the Planck posterior: the posterior mean of l_A and
// its value at the best fit differ by 0.01 in either convention.
type CMB struct {
	d      *data.CMB
	conv   ShiftConvention
	inv    [3][3]float64
	logDet float64 // ln det C
}

// NewCMB prepares the likelihood of d in the convention conv (ShiftCHW
// for Chen, Huang & Wang's priors).
func NewCMB(d *data.CMB, conv ShiftConvention) (*CMB, error) {
	if len(d.Mean) != 3 || d.InvCov == nil || d.InvCov.SymmetricDim() != 3 {
		return nil, fmt.Errorf("%s: want the mean of (R, l_A, ω_b) and its 3×3 inverse covariance", d.Name)
	}
	if conv != ShiftCHW && conv != ShiftEarly {
		return nil, fmt.Errorf("%s: unknown shift convention %d", d.Name, conv)
	}
	var chol mat.Cholesky
	if !chol.Factorize(d.InvCov) {
		return nil, fmt.Errorf("%s: the inverse covariance is not positive definite", d.Name)
	}
	l := &CMB{d: d, conv: conv, logDet: -chol.LogDet()}
	for i := range 3 {
		for j := range 3 {
			l.inv[i][j] = d.InvCov.At(i, j)
		}
	}
	// The whitened mean: U m, with C⁻¹ = UᵀU.
	var u mat.TriDense
	chol.UTo(&u)
	var w mat.VecDense
	w.MulVec(&u, mat.NewVecDense(3, append([]float64(nil), d.Mean...)))
	for i := range 3 {
		if v := w.AtVec(i); !(math.Abs(v) <= maxWhitened) {
			return nil, fmt.Errorf("%s: row %d: the mean %g is %.3g times its error, beyond what a χ² can hold (at most %g)", d.Name, i+1, d.Mean[i], v, maxWhitened)
		}
	}
	return l, nil
}

// Name returns the data set's name.
func (l *CMB) Name() string { return l.d.Name }

// Len returns 3.
func (l *CMB) Len() int { return 3 }

// Data returns the data.
func (l *CMB) Data() *data.CMB { return l.d }

// Convention returns how R and l_A are computed.
func (l *CMB) Convention() ShiftConvention { return l.conv }

// LogNorm returns −½ ln det(2πC) = −½[3 ln 2π − ln det C⁻¹].
func (l *CMB) LogNorm() float64 { return -0.5 * (3*ln2Pi + l.logDet) }

// Needs says that the distance priors read ω_b and measure H0 (through R).
func (l *CMB) Needs() Needs { return Needs{Ombh2: true, H0: true} }

// Bind asks for the CMB scalars of the backend, z*, r_s(z*) and D_M(z*),
// for ShiftEarly, and for ShiftCHW only where the model has no closed form
// (its D_M(z*) is moved to CHW's conventions); with a closed form, CHW's
// numbers are the likelihood's own, +Inf χ² where they do not exist.
func (l *CMB) Bind(r *Requirements) (Term, error) {
	if l.conv == ShiftCHW && r.Model == nil {
		return nil, fmt.Errorf("%s: binding needs the model (Requirements.Model) for the conventions of Chen, Huang & Wang", l.d.Name)
	}
	// In Chen, Huang & Wang's conventions a closed form needs nothing of
	// the backend's early universe: its z* and integrals are their own.
	if l.conv == ShiftEarly || !r.Model.ClosedForm() {
		r.CMB = true
	}
	return cmbTerm{l: l, model: r.Model}, nil
}

// WriteContent writes the mean, the inverse covariance and, for a
// convention other than ShiftEarly (the only one before conventions were
// named), its name.
func (l *CMB) WriteContent(w io.Writer) {
	WriteFloats(w, l.d.Mean)
	WriteSym(w, l.d.InvCov)
	if l.conv != ShiftEarly {
		io.WriteString(w, "convention "+l.conv.String()+"\x00")
	}
}

type cmbTerm struct {
	l     *CMB
	model *cosmo.Model
}

// WorkLen is the scratch of CHWShift's quadrature.
func (cmbTerm) WorkLen() int { return chwNodes.ScratchLen() }

func (t cmbTerm) LogNorm() float64 { return t.l.LogNorm() }

func (t cmbTerm) Chi2(th *Theory) float64 {
	var r, la float64
	if t.l.conv == ShiftCHW {
		r, la, _ = chwShift(chwNodes.WithScratch(th.Work), t.model, th.P, th.Res)
		if !(r > 0 && la > 0) || math.IsInf(r+la, 0) {
			return math.Inf(1) // E² ≤ 0 before decoupling: no such universe
		}
	} else {
		r, la = th.Res.ShiftR(th.P.Om), th.Res.AcousticScale()
	}
	m := t.l.d.Mean
	x := [3]float64{r - m[0], la - m[1], th.P.Ombh2 - m[2]}
	s := 0.0
	for i := range 3 {
		for j := range 3 {
			s += x[i] * t.l.inv[i][j] * x[j]
		}
	}
	return s
}

// chwNodes are the Gauss–Legendre nodes of the integrals of CHWShift:
// with 24, r_s(z*) and D_M(z*) are exact to 1e-13 (measured against an
// adaptive quadrature at ΛCDM, w0waCDM and curved points). Their scratch
// is not used: each evaluation brings its own (WithScratch).
var chwNodes = cosmo.NewNodes(24)

// CHW conventions: z_eq = chwZeq ω_m (T_CMB/2.7 K)⁻⁴ (Eisenstein & Hu
// 1998) and R_b = chwBaryon ω_b a (CAMB's dsound_da).
const (
	chwZeq    = 2.5e4
	chwBaryon = 3.0e4
)

// chwTheta4 is (T_CMB/2.7 K)⁻⁴.
var chwTheta4 = math.Pow(cosmo.TCMB/2.7, -4)

// CHWShift returns R, l_A and z* of model m at p (which must have ω_b) in
// the conventions of Chen, Huang & Wang 2019 (ShiftCHW). For a model
// without a closed form, res must hold the backend's z* and D_M(z*)
// (cosmo.Request.CMB); otherwise res is not read and may be nil. It
// allocates its quadrature's scratch; the likelihood does not.
func CHWShift(m *cosmo.Model, p *cosmo.Params, res *cosmo.Result) (r, lA, zStar float64) {
	return chwShift(chwNodes.WithScratch(make([]float64, chwNodes.ScratchLen())), m, p, res)
}

// chwShift is CHWShift with the nodes nd.
func chwShift(nd cosmo.Nodes, m *cosmo.Model, p *cosmo.Params, res *cosmo.Result) (r, lA, zStar float64) {
	h := p.H()
	wm := p.Om * h * h
	zStar = cosmo.Decoupling(wm, p.Ombh2)
	aStar := 1 / (1 + zStar)
	// Their radiation, as massless neutrinos of the N_eff that gives it,
	// and their massive neutrinos as matter: Σmν = 0, Ωm unchanged.
	wr := wm / (1 + chwZeq*wm*chwTheta4)
	c := *p
	c.Mnu = 0
	c.Nnu = (wr/cosmo.OmegaGammaH2 - 1) / neutrino.MasslessFactor
	dH := cosmo.HubbleDistance(p.H0)
	var e cosmo.Expansion
	if m.ClosedForm() {
		e = m.Expansion(&c)
	} else {
		e = m.EarlyExpansion(&c)
	}
	rs := dH * e.SoundHorizon(aStar, chwBaryon*p.Ombh2, nd)
	dc := e.ComovingBetween(aStar, 1, nd)
	var dm float64
	if m.ClosedForm() {
		dm = dH * cosmo.TransverseDistance(dc, e.Ok)
	} else {
		// The field's models are flat. The backend's D_M at its z*, moved
		// to the conventions here by their difference early on, where
		// the field is frozen.
		ex := m.EarlyExpansion(p)
		dm = res.DMStar + dH*(dc-ex.ComovingBetween(1/(1+res.ZStar), 1, nd))
	}
	return math.Sqrt(p.Om) * p.H0 * dm / cosmo.C, math.Pi * dm / rs, zStar
}

// A CMBQuantity is a quantity of a compressed CMB likelihood
// (CompressedCMB).
type CMBQuantity int

const (
	// ThetaStar is θ* = r_s(z*)/D_M(z*) in radians.
	ThetaStar CMBQuantity = iota
	// ThetaStar100 is 100θ* (CAMB's thetastar).
	ThetaStar100
	// OmegaB is ω_b = Ω_b h².
	OmegaB
	// OmegaBC is ω_bc = ω_b + ω_c = Ωm h² − ω_ν: baryons and cold dark
	// matter, without the massive neutrinos.
	OmegaBC
)

// String returns the quantity's name.
func (q CMBQuantity) String() string {
	switch q {
	case ThetaStar:
		return "theta_star"
	case ThetaStar100:
		return "100theta_star"
	case OmegaB:
		return "omega_b"
	case OmegaBC:
		return "omega_bc"
	}
	return fmt.Sprintf("CMBQuantity(%d)", int(q))
}

// CompressedCMB is a Gaussian likelihood of CMB quantities (θ*, ω_b,
// ω_bc), χ² = (x − d)ᵀ C⁻¹ (x − d): DESI DR2's compressed CMB likelihood,
// or the θ* prior alone. θ* comes from the backend's early universe
// (cosmo.Result.ThetaStar): with cosmo.EarlyExact, CAMB's definitions
// (z* where the Thomson optical depth is 1, r_s(z*) with the exact sound
// speed, D_M(z*)), which are the ones DESI used.
type CompressedCMB struct {
	name string
	q    []CMBQuantity
	mean []float64
	cov  *mat.SymDense
	g    *gaussian
}

// NewCompressedCMB prepares the Gaussian likelihood called name of the
// quantities q with the given mean and covariance.
func NewCompressedCMB(name string, q []CMBQuantity, mean []float64, cov *mat.SymDense) (*CompressedCMB, error) {
	n := len(q)
	if n == 0 || len(mean) != n || cov == nil || cov.SymmetricDim() != n {
		return nil, fmt.Errorf("%s: %d quantities, %d means and a covariance of the wrong size", name, n, len(mean))
	}
	seen := make(map[CMBQuantity]bool)
	for _, v := range q {
		if v < ThetaStar || v > OmegaBC {
			return nil, fmt.Errorf("%s: unknown quantity %v", name, v)
		}
		if seen[v] || v == ThetaStar && seen[ThetaStar100] || v == ThetaStar100 && seen[ThetaStar] {
			return nil, fmt.Errorf("%s: %v given twice", name, v)
		}
		seen[v] = true
	}
	for i, v := range mean {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%s: the mean of %v is %g", name, q[i], v)
		}
	}
	g, err := newGaussian(name, cov, nil)
	if err != nil {
		return nil, err
	}
	if err := checkScale(name, mean, &g.lower, nil); err != nil {
		return nil, err
	}
	c := mat.NewSymDense(n, nil)
	c.CopySym(cov)
	return &CompressedCMB{name: name, q: append([]CMBQuantity(nil), q...), mean: append([]float64(nil), mean...), cov: c, g: g}, nil
}

// Name returns the data set's name.
func (l *CompressedCMB) Name() string { return l.name }

// Len returns the number of quantities.
func (l *CompressedCMB) Len() int { return len(l.q) }

// Quantities returns the quantities, in the order of the mean.
func (l *CompressedCMB) Quantities() []CMBQuantity { return append([]CMBQuantity(nil), l.q...) }

// Mean returns the mean.
func (l *CompressedCMB) Mean() []float64 { return append([]float64(nil), l.mean...) }

// Cov returns a copy of the covariance.
func (l *CompressedCMB) Cov() *mat.SymDense {
	c := mat.NewSymDense(len(l.q), nil)
	c.CopySym(l.cov)
	return c
}

// LogNorm returns −½ ln det(2πC).
func (l *CompressedCMB) LogNorm() float64 { return l.g.logNorm() }

// Needs says that the likelihood needs ω_b (the early universe does) and
// measures H0 (θ* depends on it).
func (l *CompressedCMB) Needs() Needs { return Needs{Ombh2: true, H0: true} }

// Bind asks for the CMB scalars.
func (l *CompressedCMB) Bind(r *Requirements) (Term, error) {
	r.CMB = true
	return compressedTerm{l}, nil
}

// WriteContent writes the quantities, the mean and the covariance.
func (l *CompressedCMB) WriteContent(w io.Writer) {
	names := make([]string, len(l.q))
	for i, q := range l.q {
		names[i] = q.String()
	}
	io.WriteString(w, "cmb "+strings.Join(names, " ")+"\x00")
	WriteFloats(w, l.mean)
	WriteSym(w, l.cov)
}

type compressedTerm struct{ l *CompressedCMB }

func (t compressedTerm) WorkLen() int { return len(t.l.q) }

func (t compressedTerm) LogNorm() float64 { return t.l.LogNorm() }

func (t compressedTerm) Chi2(th *Theory) float64 {
	r := th.Work[:len(t.l.q)]
	p := th.P
	for i, q := range t.l.q {
		var v float64
		switch q {
		case ThetaStar:
			v = th.Res.ThetaStar()
		case ThetaStar100:
			v = 100 * th.Res.ThetaStar()
		case OmegaB:
			v = p.Ombh2
		case OmegaBC:
			h := p.H()
			v = (p.Om - p.OmegaNu()) * h * h
		}
		r[i] = v - t.l.mean[i]
	}
	return t.l.g.chi2(r)
}
