package likelihood

import (
	"fmt"
	"math"

	"github.com/cosmoemu/cosmoemu/data"
)

// Hz is the likelihood of expansion-rate data: t_i = H(z_i) = H0 E(z_i).
type Hz struct {
	d *data.Hz
	g *gaussian
}

// NewHz prepares the likelihood of d.
func NewHz(d *data.Hz) (*Hz, error) {
	if err := d.Validate(); err != nil {
		return nil, err
	}
	g, err := newGaussian(d.Name, d.Cov, d.Sigma)
	if err != nil {
		return nil, err
	}
	if err := checkScale(d.Name, d.H, &g.lower, d.Sigma); err != nil {
		return nil, err
	}
	return &Hz{d: d, g: g}, nil
}

// Name returns the data set's name.
func (l *Hz) Name() string { return l.d.Name }

// Len returns the number of measurements.
func (l *Hz) Len() int { return len(l.d.Z) }

// LogNorm returns −½ ln det(2πC).
func (l *Hz) LogNorm() float64 { return l.g.logNorm() }

// Data returns the data.
func (l *Hz) Data() *data.Hz { return l.d }

// Needs says that H(z) measures H0.
func (l *Hz) Needs() Needs { return Needs{H0: true} }

// Bind registers the redshifts.
func (l *Hz) Bind(r *Requirements) (Term, error) {
	t := &hzTerm{l: l, idx: r.indices(l.d.Z)}
	return t, nil
}

type hzTerm struct {
	l   *Hz
	idx []int
}

func (t *hzTerm) WorkLen() int { return len(t.idx) }

func (t *hzTerm) LogNorm() float64 { return t.l.LogNorm() }

func (t *hzTerm) Chi2(th *Theory) float64 {
	r := th.Work[:len(t.idx)]
	h0, e, h := th.Res.H0, th.Res.E, t.l.d.H[:len(t.idx)]
	for i, j := range t.idx {
		r[i] = h0*e[j] - h[i]
	}
	return t.l.g.chi2(r)
}

// BAO is the likelihood of BAO distances in units of the sound horizon r_d,
// and of fσ8(z) = σ8 f(z) D(z)/D(0) where the data have it (the BOSS and
// eBOSS full-shape results measure D_M, D_H and fσ8 jointly): σ8 is then
// a parameter the χ² reads, and the growth an observable.
type BAO struct {
	d         *data.BAO
	g         *gaussian
	dist, fs8 bool // the data have distances, fσ8
}

// NewBAO prepares the likelihood of d.
func NewBAO(d *data.BAO) (*BAO, error) {
	if err := d.Validate(); err != nil {
		return nil, err
	}
	if n := len(d.Z); d.Cov == nil {
		return nil, fmt.Errorf("%s: BAO data need an %d×%d covariance", d.Name, n, n)
	}
	g, err := newGaussian(d.Name, d.Cov, nil)
	if err != nil {
		return nil, err
	}
	if err := checkScale(d.Name, d.Value, &g.lower, nil); err != nil {
		return nil, err
	}
	l := &BAO{d: d, g: g}
	for _, q := range d.Quantity {
		if q == data.FSigma8 {
			l.fs8 = true
		} else {
			l.dist = true
		}
	}
	return l, nil
}

// Name returns the data set's name.
func (l *BAO) Name() string { return l.d.Name }

// Len returns the number of measurements.
func (l *BAO) Len() int { return len(l.d.Z) }

// LogNorm returns −½ ln det(2πC).
func (l *BAO) LogNorm() float64 { return l.g.logNorm() }

// Data returns the data.
func (l *BAO) Data() *data.BAO { return l.d }

// Needs says that BAO distances need r_d, and fσ8 needs σ8.
func (l *BAO) Needs() Needs { return Needs{Rd: l.dist, Sigma8: l.fs8} }

// Bind registers the redshifts, D_M and, for fσ8, the growth.
func (l *BAO) Bind(r *Requirements) (Term, error) {
	t := &baoTerm{l: l, idx: r.indices(l.d.Z)}
	r.Distances = r.Distances || l.dist
	r.Growth = r.Growth || l.fs8
	return t, nil
}

type baoTerm struct {
	l   *BAO
	idx []int
}

func (t *baoTerm) WorkLen() int { return len(t.idx) }

func (t *baoTerm) LogNorm() float64 { return t.l.LogNorm() }

func (t *baoTerm) Chi2(th *Theory) float64 {
	d := t.l.d
	r := th.Work[:len(t.idx)]
	res, rd := th.Res, th.Rd
	for i, j := range t.idx {
		var v float64
		switch d.Quantity[i] {
		case data.DVOverRd:
			v = res.DV(j, d.Z[i]) / rd
		case data.DMOverRd:
			v = res.DM[j] / rd
		case data.DHOverRd:
			v = res.DH(j) / rd
		case data.DMScaled:
			v = res.DM[j] * d.RdFid / rd
		case data.HScaled:
			v = res.HubbleRate(j) * rd / d.RdFid
		case data.FSigma8:
			v = res.FSigma8(j, th.P.Sigma8)
		}
		r[i] = v - d.Value[i]
	}
	return t.l.g.chi2(r)
}

// H0 is a Gaussian measurement of the Hubble constant.
type H0 struct{ d *data.H0 }

// NewH0 prepares the likelihood of d.
func NewH0(d *data.H0) (*H0, error) {
	if !(d.Sigma > 0) || math.IsInf(d.Sigma, 0) || math.IsNaN(d.Mean) {
		return nil, fmt.Errorf("%s: H0 = %g ± %g is not a measurement", d.Name, d.Mean, d.Sigma)
	}
	if err := checkScale(d.Name, []float64{d.Mean}, nil, []float64{d.Sigma}); err != nil {
		return nil, err
	}
	return &H0{d}, nil
}

// Name returns the data set's name.
func (l *H0) Name() string { return l.d.Name }

// Len returns 1.
func (l *H0) Len() int { return 1 }

// LogNorm returns −½ ln(2πσ²).
func (l *H0) LogNorm() float64 { return -0.5 * (ln2Pi + 2*math.Log(l.d.Sigma)) }

// Needs says that it measures H0.
func (l *H0) Needs() Needs { return Needs{H0: true} }

// Bind needs nothing.
func (l *H0) Bind(*Requirements) (Term, error) { return h0Term{l}, nil }

type h0Term struct{ l *H0 }

func (h0Term) WorkLen() int { return 0 }

func (t h0Term) LogNorm() float64 { return t.l.LogNorm() }

func (t h0Term) Chi2(th *Theory) float64 {
	u := (th.P.H0 - t.l.d.Mean) / t.l.d.Sigma
	return u * u
}

// Data returns the data.
func (l *H0) Data() *data.H0 { return l.d }
