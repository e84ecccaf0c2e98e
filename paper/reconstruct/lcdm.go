package reconstruct

import (
	"fmt"
	"math"

	"github.com/cosmoemu/cosmoemu/backend"
	"github.com/cosmoemu/cosmoemu/cosmo"
	"github.com/cosmoemu/cosmoemu/data"
	"github.com/cosmoemu/cosmoemu/likelihood"
	"github.com/cosmoemu/cosmoemu/mcmc"
	"github.com/cosmoemu/cosmoemu/param"
)

// LCDM is the best fit of flat ΛCDM to a data set, for comparison with the
// model-independent reconstruction.
type LCDM struct {
	Om0, H0       float64 // the maximum of the likelihood (flat prior FitSpace)
	Om0Err, H0Err float64 // 1σ from the inverse Hessian
	Chi2          float64 // χ² at the best fit
	exp           cosmo.Expansion
}

// FitSpace is the flat box in which FitLCDM looks for the best fit: wider
// than the paper's prior, because its simulated points want Ωm ≈ 0.6.
func FitSpace() *param.Space {
	om, _ := cosmo.LCDM.Param(cosmo.NameOm)
	h0, _ := cosmo.LCDM.Param(cosmo.NameH0)
	s, err := param.NewSpace([]param.Param{om, h0}, []param.Prior{param.Uniform(0.01, 0.99), param.Uniform(30, 120)})
	if err != nil {
		panic(err)
	}
	return s
}

// FitLCDM maximizes the likelihood of flat ΛCDM (closed form, physical
// radiation) given d, within FitSpace.
func FitLCDM(d *data.Hz) (*LCDM, error) {
	l, err := likelihood.NewHz(d)
	if err != nil {
		return nil, fmt.Errorf("reconstruct: ΛCDM fit: %w", err)
	}
	space := FitSpace()
	post, err := likelihood.NewPosterior(cosmo.LCDM, backend.Analytic{}, []likelihood.Likelihood{l}, space, nil)
	if err != nil {
		return nil, fmt.Errorf("reconstruct: ΛCDM fit: %w", err)
	}
	lo, hi := space.Bounds()
	scale := make([]float64, len(lo))
	for i := range lo {
		scale[i] = hi[i] - lo[i]
	}
	opt, err := mcmc.BestFit(post.LogProb, space.Center(nil), &mcmc.BestFitSettings{Scale: scale})
	if err != nil {
		return nil, fmt.Errorf("reconstruct: ΛCDM fit to %s: %w", d.Name, err)
	}
	chi2, _, err := post.Chi2(opt.X)
	if err != nil {
		return nil, fmt.Errorf("reconstruct: ΛCDM fit to %s: %w", d.Name, err)
	}
	p := post.Params(opt.X)
	return &LCDM{
		Om0: opt.X[0], H0: opt.X[1],
		Om0Err: math.Sqrt(opt.Cov.At(0, 0)), H0Err: math.Sqrt(opt.Cov.At(1, 1)),
		Chi2: chi2, exp: cosmo.LCDM.Expansion(&p),
	}, nil
}

// HZ returns H(z) of the best fit in km/s/Mpc at each z.
func (l *LCDM) HZ(z []float64) []float64 {
	h := make([]float64, len(z))
	for i, zi := range z {
		h[i] = l.H0 * math.Sqrt(l.exp.E2Z(zi))
	}
	return h
}
