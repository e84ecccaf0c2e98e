package reconstruct

import (
	"fmt"
	"math"

	"github.com/cosmoemu/cosmoemu/backend"
	"github.com/cosmoemu/cosmoemu/friedmann"
	"github.com/cosmoemu/cosmoemu/likelihood"
	"github.com/cosmoemu/cosmoemu/mcmc"
)

// LCDM is the best fit of flat ΛCDM to a data set, for comparison with the
// model-independent reconstruction.
type LCDM struct {
	Om0, H0       float64 // the maximum of the likelihood (flat prior FitPrior)
	Om0Err, H0Err float64 // 1σ from the inverse Hessian
	Chi2          float64 // χ² at the best fit
	model         *friedmann.Model
}

// FitPrior is the flat box in which FitLCDM looks for the best fit: wider
// than likelihood.DefaultPrior, because the paper's simulated points want
// Ω_m0 ≈ 0.6.
func FitPrior() *likelihood.Prior {
	return &likelihood.Prior{Params: []likelihood.Param{
		{Name: "Om0", Label: `\Omega_{m0}`, Min: 0.01, Max: 0.99},
		{Name: "H0", Label: `H_0`, Min: 30, Max: 120},
	}}
}

// FitLCDM maximizes the likelihood of flat ΛCDM (closed-form H(z) with
// Ω_r0 = 1e-4) given d, within FitPrior.
func FitLCDM(d *likelihood.Data) (*LCDM, error) {
	post, err := likelihood.NewPosterior(backend.Analytic{}, d, FitPrior())
	if err != nil {
		return nil, fmt.Errorf("reconstruct: ΛCDM fit: %w", err)
	}
	lo, hi := post.Prior().Bounds()
	scale := make([]float64, len(lo))
	for i := range lo {
		scale[i] = hi[i] - lo[i]
	}
	opt, err := mcmc.BestFit(post.LogProb, post.Prior().Center(nil), &mcmc.BestFitSettings{Scale: scale})
	if err != nil {
		return nil, fmt.Errorf("reconstruct: ΛCDM fit to %s: %w", d.Name, err)
	}
	chi2, err := post.ChiSquare(opt.X)
	if err != nil {
		return nil, fmt.Errorf("reconstruct: ΛCDM fit to %s: %w", d.Name, err)
	}
	m, err := friedmann.LCDM(opt.X[0], opt.X[1])
	if err != nil {
		return nil, fmt.Errorf("reconstruct: ΛCDM fit to %s: %w", d.Name, err)
	}
	return &LCDM{
		Om0: opt.X[0], H0: opt.X[1],
		Om0Err: math.Sqrt(opt.Cov.At(0, 0)), H0Err: math.Sqrt(opt.Cov.At(1, 1)),
		Chi2: chi2, model: m,
	}, nil
}

// HZ returns H(z) of the best fit in km/s/Mpc at each z.
func (l *LCDM) HZ(z []float64) []float64 {
	h := make([]float64, len(z))
	for i, zi := range z {
		h[i] = l.model.HZ(zi)
	}
	return h
}
