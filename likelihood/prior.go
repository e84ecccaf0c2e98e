package likelihood

import (
	"fmt"
	"math"
)

// Param is the prior of one parameter: uniform on [Min, Max], times a
// Gaussian N(Mean, Sigma²) when Sigma > 0 (a Gaussian prior truncated to
// the box). The box is always finite so that samplers have a support and
// bounded backends can be checked against it.
type Param struct {
	Name  string  // e.g. "Om0"; used in GetDist .paramnames and messages
	Label string  // LaTeX without dollars, e.g. `\Omega_{m0}`
	Min   float64 // lower edge of the box
	Max   float64 // upper edge of the box
	Mean  float64 // Gaussian mean, used when Sigma > 0
	Sigma float64 // Gaussian standard deviation; 0 = uniform
}

// Prior is a product of independent one-parameter priors, in the order of
// the parameter vector theta.
type Prior struct {
	Params []Param
}

// DefaultPrior returns the default prior: Om0 uniform in [0.1, 0.5] and H0
// uniform in [50, 90] km/s/Mpc, in that order.
func DefaultPrior() *Prior {
	return &Prior{Params: []Param{
		{Name: "Om0", Label: `\Omega_{m0}`, Min: 0.1, Max: 0.5},
		{Name: "H0", Label: `H_0`, Min: 50, Max: 90},
	}}
}

// Dim returns the number of parameters.
func (p *Prior) Dim() int { return len(p.Params) }

// Index returns the position of the parameter called name, or -1.
func (p *Prior) Index(name string) int {
	for i, q := range p.Params {
		if q.Name == name {
			return i
		}
	}
	return -1
}

// Names returns the parameter names in order.
func (p *Prior) Names() []string {
	s := make([]string, len(p.Params))
	for i, q := range p.Params {
		s[i] = q.Name
	}
	return s
}

// Labels returns the LaTeX labels in order (the name where a label is empty).
func (p *Prior) Labels() []string {
	s := make([]string, len(p.Params))
	for i, q := range p.Params {
		s[i] = q.Label
		if s[i] == "" {
			s[i] = q.Name
		}
	}
	return s
}

// Bounds returns the box edges.
func (p *Prior) Bounds() (lo, hi []float64) {
	lo = make([]float64, len(p.Params))
	hi = make([]float64, len(p.Params))
	for i, q := range p.Params {
		lo[i], hi[i] = q.Min, q.Max
	}
	return lo, hi
}

// Center stores the centre of the box in dst (allocated if nil) and returns it.
func (p *Prior) Center(dst []float64) []float64 {
	if dst == nil {
		dst = make([]float64, len(p.Params))
	}
	if len(dst) != len(p.Params) {
		panic("likelihood: len(dst) != prior dimension")
	}
	for i, q := range p.Params {
		dst[i] = (q.Min + q.Max) / 2
	}
	return dst
}

// Validate checks that there is at least one parameter, that names are
// non-empty and unique, boxes finite with Min < Max, and Gaussian factors
// finite with Sigma ≥ 0.
func (p *Prior) Validate() error {
	if p == nil || len(p.Params) == 0 {
		return fmt.Errorf("likelihood: prior has no parameters")
	}
	seen := make(map[string]bool)
	for i, q := range p.Params {
		if q.Name == "" {
			return fmt.Errorf("likelihood: prior parameter %d has no name", i+1)
		}
		if seen[q.Name] {
			return fmt.Errorf("likelihood: prior parameter %q appears twice", q.Name)
		}
		seen[q.Name] = true
		if !isFinite(q.Min) || !isFinite(q.Max) || !(q.Min < q.Max) {
			return fmt.Errorf("likelihood: prior box of %s [%g, %g] must be finite with min < max", q.Name, q.Min, q.Max)
		}
		if !isFinite(q.Mean) || !isFinite(q.Sigma) || q.Sigma < 0 {
			return fmt.Errorf("likelihood: Gaussian prior of %s (mean %g, sigma %g) must be finite with sigma ≥ 0", q.Name, q.Mean, q.Sigma)
		}
	}
	return nil
}

// Contains reports whether theta lies in the box (edges included). NaN
// coordinates are outside.
func (p *Prior) Contains(theta []float64) bool {
	if len(theta) != len(p.Params) {
		panic("likelihood: len(theta) != prior dimension")
	}
	for i, q := range p.Params {
		if !(theta[i] >= q.Min && theta[i] <= q.Max) {
			return false
		}
	}
	return true
}

// LogPrior returns ln π(theta) up to a constant: −Inf outside the box,
// otherwise −½ Σ ((θ_i − Mean_i)/Sigma_i)² over the parameters with a
// Gaussian factor (0 for a purely uniform prior). The dropped constant
// (box volumes, Gaussian normalizations) does not depend on theta.
func (p *Prior) LogPrior(theta []float64) float64 {
	if len(theta) != len(p.Params) {
		panic("likelihood: len(theta) != prior dimension")
	}
	var lp float64
	for i, q := range p.Params {
		v := theta[i]
		if !(v >= q.Min && v <= q.Max) {
			return math.Inf(-1)
		}
		if q.Sigma > 0 {
			u := (v - q.Mean) / q.Sigma
			lp -= 0.5 * u * u
		}
	}
	return lp
}
