package likelihood

import (
	"fmt"
	"io"
	"math"

	"github.com/cosmoemu/cosmoemu/cosmo"
	"github.com/cosmoemu/cosmoemu/data"
)

// ParamGauss is a Gaussian measurement of one parameter θ of the model,
// χ² = ((θ − mean)/σ)², such as the BBN measurement of ω_b: d.Param is
// the model's name for the parameter (cosmo.NameOmbh2). It needs ω_b when
// it measures ω_b, and measures H0 when it measures H0.
type ParamGauss struct{ d *data.Gaussian }

// NewParamGauss prepares the likelihood of d.
func NewParamGauss(d *data.Gaussian) (*ParamGauss, error) {
	if err := d.Validate(); err != nil {
		return nil, err
	}
	if err := checkScale(d.Name, []float64{d.Mean}, nil, []float64{d.Sigma}); err != nil {
		return nil, err
	}
	return &ParamGauss{d}, nil
}

// Name returns the data set's name.
func (l *ParamGauss) Name() string { return l.d.Name }

// Len returns 1.
func (l *ParamGauss) Len() int { return 1 }

// Data returns the data.
func (l *ParamGauss) Data() *data.Gaussian { return l.d }

// LogNorm returns −½ ln(2πσ²).
func (l *ParamGauss) LogNorm() float64 { return -0.5 * (ln2Pi + 2*math.Log(l.d.Sigma)) }

// Needs says that a measurement of ω_b needs ω_b and one of H0 measures
// it, and that it reads no observable.
func (l *ParamGauss) Needs() Needs {
	return Needs{Ombh2: l.d.Param == cosmo.NameOmbh2, H0: l.d.Param == cosmo.NameH0, ParamsOnly: true}
}

// Bind finds the parameter in the model.
func (l *ParamGauss) Bind(r *Requirements) (Term, error) {
	if r.Model == nil {
		return nil, fmt.Errorf("%s: binding needs the model (Requirements.Model) to find %s", l.d.Name, l.d.Param)
	}
	sl, err := r.Model.Slot(l.d.Param)
	if err != nil {
		return nil, fmt.Errorf("%s measures %s: %w", l.d.Name, l.d.Param, err)
	}
	return paramTerm{l, sl}, nil
}

// WriteContent writes the parameter's name, the mean and σ.
func (l *ParamGauss) WriteContent(w io.Writer) {
	io.WriteString(w, "param "+l.d.Param+"\x00")
	WriteFloats(w, []float64{l.d.Mean, l.d.Sigma})
}

type paramTerm struct {
	l    *ParamGauss
	slot cosmo.Slot
}

func (paramTerm) WorkLen() int { return 0 }

func (t paramTerm) LogNorm() float64 { return t.l.LogNorm() }

func (t paramTerm) Chi2(th *Theory) float64 {
	v, _ := th.P.Get(t.slot)
	u := (v - t.l.d.Mean) / t.l.d.Sigma
	return u * u
}
