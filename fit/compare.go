package fit

import (
	"math"
)

// Comparison is a Bayesian model comparison of nested-sampling fits on the
// same data, against the first model added: what `cosmoemu evidence`
// prints.
type Comparison struct {
	Data   []string      `json:"data"`
	Models []ModelResult `json:"models"`
	Notes  []string      `json:"notes,omitempty"`
}

// ModelResult is one model's row of a Comparison.
type ModelResult struct {
	Model       string  `json:"model"`
	LogZ        float64 `json:"logz"`
	LogZErr     float64 `json:"logz_err"`
	DeltaLogZ   float64 `json:"delta_logz"`     // ln Z − ln Z_reference
	DeltaErr    float64 `json:"delta_logz_err"` // the two errors in quadrature
	BayesFactor float64 `json:"bayes_factor"`   // Z/Z_reference
	Chi2Min     float64 `json:"chi2_min"`
	DeltaChi2   float64 `json:"delta_chi2"` // χ²_min − χ²_min,reference
	NParams     int     `json:"n_params"`
	Jeffreys    string  `json:"jeffreys"`
	Backend     string  `json:"backend"`
	Calls       int64   `json:"calls"`
	WallSeconds float64 `json:"wall_seconds"`
	// FallbackFraction is the emulator's share of calls answered by the
	// solver, outside its domain (0 for the other backends).
	FallbackFraction float64 `json:"fallback_fraction"`

	Result *Result `json:"-"`
}

// Add appends the result of a nested-sampling fit; the first is the
// reference. It panics if r has no evidence (programmer error).
func (c *Comparison) Add(r *Result) {
	if r.LogZ == nil {
		panic("fit: Comparison.Add needs a nested-sampling result")
	}
	if len(c.Models) == 0 {
		c.Data = r.Data
		for _, n := range r.Notes {
			if n == noteSNEvidence {
				c.Notes = append(c.Notes, n)
			}
		}
	}
	m := ModelResult{Model: r.Model, LogZ: *r.LogZ, LogZErr: *r.LogZErr, Chi2Min: r.Chi2Min,
		NParams: len(r.Params), Backend: r.Backend, Calls: r.Calls, WallSeconds: r.WallSeconds,
		FallbackFraction: r.FallbackFraction, Result: r}
	if len(c.Models) > 0 {
		ref := c.Models[0]
		m.DeltaLogZ = m.LogZ - ref.LogZ
		m.DeltaErr = math.Hypot(m.LogZErr, ref.LogZErr)
		m.DeltaChi2 = m.Chi2Min - ref.Chi2Min
	}
	m.BayesFactor = math.Exp(m.DeltaLogZ)
	m.Jeffreys = Jeffreys(m.DeltaLogZ)
	if len(c.Models) == 0 {
		m.Jeffreys = "reference"
	}
	c.Models = append(c.Models, m)
}

// Jeffreys describes a difference of log-evidences on the Jeffreys scale
// as Trotta (2008, arXiv:0803.4089) calibrates it: |Δ ln Z| < 1
// inconclusive, < 2.5 weak, < 5 moderate, beyond strong evidence, for the
// model (Δ > 0) or against it.
func Jeffreys(d float64) string {
	a := math.Abs(d)
	var s string
	switch {
	case a < 1:
		return "inconclusive"
	case a < 2.5:
		s = "weak"
	case a < 5:
		s = "moderate"
	default:
		s = "strong"
	}
	if d > 0 {
		return s + " evidence for"
	}
	return s + " evidence against"
}
