package param

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// A Prior is a normalized probability density on a finite box [Lo, Hi]:
// uniform, or a Gaussian N(Mu, Sigma²) truncated to the box and
// renormalized. The box is always finite, so that samplers have a support,
// nested sampling has a unit-cube transform and evidences are comparable.
type Prior struct {
	Lo, Hi float64
	// Sigma > 0 makes the prior Gaussian with mean Mu; 0 means uniform.
	Mu, Sigma float64
}

// Uniform returns the uniform prior on [lo, hi].
func Uniform(lo, hi float64) Prior { return Prior{Lo: lo, Hi: hi} }

// Gauss returns N(mu, sigma²) truncated to [lo, hi].
func Gauss(mu, sigma, lo, hi float64) Prior { return Prior{Lo: lo, Hi: hi, Mu: mu, Sigma: sigma} }

// IsGaussian reports whether the prior has a Gaussian factor.
func (p Prior) IsGaussian() bool { return p.Sigma > 0 }

// Validate checks that the box is finite with Lo < Hi, and a Gaussian
// factor finite with Sigma ≥ 0 and not vanishing on the box (its mass in
// the box must be representable).
func (p Prior) Validate() error {
	if !finite(p.Lo) || !finite(p.Hi) || !(p.Lo < p.Hi) {
		return fmt.Errorf("prior box [%g, %g] must be finite with lo < hi", p.Lo, p.Hi)
	}
	if !finite(p.Mu) || !finite(p.Sigma) || p.Sigma < 0 {
		return fmt.Errorf("the Gaussian prior (mean %g, sigma %g) must be finite with sigma ≥ 0", p.Mu, p.Sigma)
	}
	if p.Sigma > 0 && !(p.mass() > 0) {
		return fmt.Errorf("the Gaussian prior N(%g, %g²) has no mass in its box [%g, %g]", p.Mu, p.Sigma, p.Lo, p.Hi)
	}
	if w, at := p.Hi-p.Lo, math.Max(math.Abs(p.Lo), math.Abs(p.Hi)); tooNarrow(w, at) {
		return fmt.Errorf("the prior box [%g, %g] is too narrow to sample (width %g, want ≥ %g): fix the parameter instead", p.Lo, p.Hi, w, minWidth(at))
	}
	if p.Sigma > 0 && tooNarrow(p.Sigma, p.Mu) {
		return fmt.Errorf("the Gaussian prior's sigma %g is too narrow to sample (want ≥ %g at a mean of %g): fix the parameter instead", p.Sigma, minWidth(p.Mu), p.Mu)
	}
	return nil
}

// The narrowest prior (box width or Gaussian σ) a sampler can move in:
// minRelWidth of the magnitude of its values (below it proposals round to
// a few float64 numbers), and minAbsWidth, whose square (a variance) is
// still a normal float64.
const (
	minRelWidth = 1e-10
	minAbsWidth = 1e-150
)

func minWidth(at float64) float64 { return math.Max(minAbsWidth, minRelWidth*math.Abs(at)) }

func tooNarrow(w, at float64) bool { return w < minWidth(at) }

// cdf returns Φ((x − Mu)/Sigma).
func (p Prior) cdf(x float64) float64 {
	return 0.5 * math.Erfc(-(x-p.Mu)/(p.Sigma*math.Sqrt2))
}

// mass returns the Gaussian's probability inside the box.
func (p Prior) mass() float64 { return p.cdf(p.Hi) - p.cdf(p.Lo) }

// Contains reports whether x is in the box (edges included; NaN is not).
func (p Prior) Contains(x float64) bool { return x >= p.Lo && x <= p.Hi }

// LogPDF returns the normalized ln π(x): −ln(Hi − Lo) on the box for a
// uniform prior, ln[φ((x−Mu)/Sigma)/(Sigma·mass)] for a truncated Gaussian,
// −Inf outside the box.
func (p Prior) LogPDF(x float64) float64 {
	if !p.Contains(x) {
		return math.Inf(-1)
	}
	return p.logPDF(x, p.logNorm())
}

// logNorm returns the constant of the log density: ln(Hi − Lo), or
// ln(Sigma·mass) for a truncated Gaussian.
func (p Prior) logNorm() float64 {
	if p.Sigma == 0 {
		return math.Log(p.Hi - p.Lo)
	}
	return math.Log(p.Sigma * p.mass())
}

// logPDF is LogPDF inside the box, given logNorm.
func (p Prior) logPDF(x, logNorm float64) float64 {
	if p.Sigma == 0 {
		return -logNorm
	}
	u := (x - p.Mu) / p.Sigma
	const lnSqrt2Pi = 0.91893853320467274178
	return -0.5*u*u - lnSqrt2Pi - logNorm
}

// Transform maps u ∈ [0, 1] to the prior's quantile: the inverse of its
// cumulative distribution, the map nested samplers need from the unit
// cube.
func (p Prior) Transform(u float64) float64 {
	if p.Sigma == 0 {
		return p.Lo + u*(p.Hi-p.Lo)
	}
	a, b := p.cdf(p.Lo), p.cdf(p.Hi)
	q := a + u*(b-a)
	x := p.Mu + p.Sigma*math.Sqrt2*math.Erfinv(2*q-1)
	// Rounding in the tails can step outside the box.
	return math.Min(math.Max(x, p.Lo), p.Hi)
}

// String returns the prior in the syntax ParsePrior reads.
func (p Prior) String() string {
	g := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	if p.Sigma == 0 {
		return g(p.Lo) + ":" + g(p.Hi)
	}
	return "gauss:" + g(p.Mu) + ":" + g(p.Sigma) + ":" + g(p.Lo) + ":" + g(p.Hi)
}

// ParsePrior reads a prior for par: "LO:HI" (uniform), "gauss:MU:SIGMA"
// (a Gaussian truncated to par's default box, or to the physical range if
// that is narrower) or "gauss:MU:SIGMA:LO:HI". The box must lie inside
// par's physical range.
func ParsePrior(par Param, s string) (Prior, error) {
	fields := strings.Split(s, ":")
	num := func(i int, what string) (float64, error) {
		v, err := strconv.ParseFloat(strings.TrimSpace(fields[i]), 64)
		if err != nil || !finite(v) {
			return 0, fmt.Errorf("prior of %s %q: %s %q is not a finite number", par.Name, s, what, fields[i])
		}
		return v, nil
	}
	var p Prior
	var err error
	isGauss := strings.EqualFold(strings.TrimSpace(fields[0]), "gauss")
	switch {
	case len(fields) == 2 && !isGauss:
		if p.Lo, err = num(0, "lower bound"); err != nil {
			return p, err
		}
		if p.Hi, err = num(1, "upper bound"); err != nil {
			return p, err
		}
	case (len(fields) == 3 || len(fields) == 5) && isGauss:
		if p.Mu, err = num(1, "mean"); err != nil {
			return p, err
		}
		if p.Sigma, err = num(2, "sigma"); err != nil {
			return p, err
		}
		if !(p.Sigma > 0) {
			return p, fmt.Errorf("prior of %s %q: sigma must be > 0", par.Name, s)
		}
		p.Lo, p.Hi = par.Min, par.Max
		if len(fields) == 5 {
			if p.Lo, err = num(3, "lower bound"); err != nil {
				return p, err
			}
			if p.Hi, err = num(4, "upper bound"); err != nil {
				return p, err
			}
		}
	default:
		return p, fmt.Errorf("prior of %s %q: want LO:HI, gauss:MU:SIGMA or gauss:MU:SIGMA:LO:HI", par.Name, s)
	}
	if err := p.Validate(); err != nil {
		return p, fmt.Errorf("prior of %s %q: %w", par.Name, s, err)
	}
	if !par.Allowed(p.Lo) || !par.Allowed(p.Hi) {
		return p, fmt.Errorf("prior of %s %q: the box [%g, %g] leaves the physical range %s of %s", par.Name, s, p.Lo, p.Hi, par.Range(), par.Name)
	}
	return p, nil
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
