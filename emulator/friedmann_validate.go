package emulator

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/cosmoemu/cosmoemu/friedmann"
	"github.com/cosmoemu/cosmoemu/internal/stats"
)

// FriedmannReport is the accuracy of a model against the closed form on random
// points drawn uniformly over its domain.
type FriedmannReport struct {
	N int `json:"n"` // points in each of the two sets below

	// Over (N, Ω_m0, H0) uniform in the whole domain.
	MaxRelErrHAll    float64 `json:"max_rel_err_H_all"`
	MedianRelErrHAll float64 `json:"median_rel_err_H_all"`
	MaxAbsErrOmega   float64 `json:"max_abs_err_Omega"` // largest |ΔΩ_i| over i = r, m, Λ
	// Over (z, Ω_m0, H0) with z uniform in [0, 3] (the data's range).
	MaxRelErrHZ03    float64 `json:"max_rel_err_H_z0_3"`
	MedianRelErrHZ03 float64 `json:"median_rel_err_H_z0_3"`
	MaxAbsErrOmegaZ3 float64 `json:"max_abs_err_Omega_z0_3"`

	// Where the largest relative error of H over the whole domain occurred.
	WorstN   float64 `json:"worst_N"`
	WorstOm0 float64 `json:"worst_Om0"`
	WorstH0  float64 `json:"worst_H0"`
}

// ValidateFriedmann compares the model with the closed form at n points drawn with
// rnd uniformly over its domain, and at n more with z uniform in [0, 3]
// (clipped to the domain). Points are independent of the training grid.
func ValidateFriedmann(m *Friedmann, n int, rnd *rand.Rand) (*FriedmannReport, error) {
	if n < 1 {
		return nil, fmt.Errorf("emulator: validation needs at least 1 point, got %d", n)
	}
	d := m.domain
	ws := m.newWorkspace()
	r := &FriedmannReport{N: n}
	uniform := func(lo, hi float64) float64 { return lo + (hi-lo)*rnd.Float64() }
	var om [3]float64
	var pt [1]Point
	check := func(nn, om0, h0 float64) (relH, absOm float64, err error) {
		if err := m.curve(ws, pt[:], []float64{nn}, om0, h0); err != nil {
			return 0, 0, err
		}
		ref, err := friedmann.LCDMRadiation(om0, m.or0, h0)
		if err != nil {
			return 0, 0, err
		}
		ref.Omegas(om[:], nn)
		p := pt[0]
		relH = math.Abs(p.H/ref.H(nn) - 1)
		absOm = max(math.Abs(p.OmegaR-om[0]), math.Abs(p.OmegaM-om[1]), math.Abs(p.OmegaL-om[2]))
		return relH, absOm, nil
	}

	all := make([]float64, n)
	for i := range n {
		nn, om0, h0 := uniform(d.N[0], d.N[1]), uniform(d.Om0[0], d.Om0[1]), uniform(d.H0[0], d.H0[1])
		relH, absOm, err := check(nn, om0, h0)
		if err != nil {
			return nil, err
		}
		all[i] = relH
		if relH > r.MaxRelErrHAll {
			r.MaxRelErrHAll, r.WorstN, r.WorstOm0, r.WorstH0 = relH, nn, om0, h0
		}
		r.MaxAbsErrOmega = max(r.MaxAbsErrOmega, absOm)
	}
	r.MedianRelErrHAll = stats.Median(all)

	zLo, zHi := max(0, friedmann.ZOfN(d.N[1])), min(3, friedmann.ZOfN(d.N[0]))
	for i := range n {
		z, om0, h0 := uniform(zLo, zHi), uniform(d.Om0[0], d.Om0[1]), uniform(d.H0[0], d.H0[1])
		relH, absOm, err := check(friedmann.NOfZ(z), om0, h0)
		if err != nil {
			return nil, err
		}
		all[i] = relH
		r.MaxRelErrHZ03 = max(r.MaxRelErrHZ03, relH)
		r.MaxAbsErrOmegaZ3 = max(r.MaxAbsErrOmegaZ3, absOm)
	}
	r.MedianRelErrHZ03 = stats.Median(all)
	return r, nil
}
