package param

import (
	"fmt"
	"math"
	"strings"
)

// A Space is the ordered list of sampled parameters with their priors: the
// coordinates of θ. It is immutable once made and safe for concurrent use.
type Space struct {
	params []Param
	priors []Prior
	index  map[string]int
	// logNorm holds each prior's constant: ln(Hi − Lo) for a uniform one,
	// ln(Sigma·mass) for a truncated Gaussian, so that LogPrior computes no
	// logarithm or error function per call (it did: 20 ns of the 175 ns
	// of a cc31 posterior evaluation). LogPrior gives LogPDF's bits.
	logNorm []float64
}

// NewSpace returns the space of the given parameters and priors (one prior
// per parameter). It refuses duplicate names, invalid priors and boxes
// outside a parameter's physical range.
func NewSpace(params []Param, priors []Prior) (*Space, error) {
	if len(params) == 0 {
		return nil, fmt.Errorf("param: a space needs at least one parameter")
	}
	if len(priors) != len(params) {
		return nil, fmt.Errorf("param: %d priors for %d parameters", len(priors), len(params))
	}
	s := &Space{
		params: append([]Param(nil), params...),
		priors: append([]Prior(nil), priors...),
		index:  make(map[string]int, len(params)),
	}
	for i, p := range params {
		if p.Name == "" {
			return nil, fmt.Errorf("param: parameter %d has no name", i+1)
		}
		if _, dup := s.index[p.Name]; dup {
			return nil, fmt.Errorf("param: parameter %s appears twice", p.Name)
		}
		s.index[p.Name] = i
		if err := priors[i].Validate(); err != nil {
			return nil, fmt.Errorf("param: %s: %w", p.Name, err)
		}
		if !p.Allowed(priors[i].Lo) || !p.Allowed(priors[i].Hi) {
			return nil, fmt.Errorf("param: prior box [%g, %g] of %s leaves its physical range %s", priors[i].Lo, priors[i].Hi, p.Name, p.Range())
		}
		s.logNorm = append(s.logNorm, priors[i].logNorm())
	}
	return s, nil
}

// Dim returns the number of parameters.
func (s *Space) Dim() int { return len(s.params) }

// Param returns parameter i.
func (s *Space) Param(i int) Param { return s.params[i] }

// Prior returns the prior of parameter i.
func (s *Space) Prior(i int) Prior { return s.priors[i] }

// Index returns the position of the parameter called name, or −1.
func (s *Space) Index(name string) int {
	if i, ok := s.index[name]; ok {
		return i
	}
	return -1
}

// Names returns the parameter names in order.
func (s *Space) Names() []string {
	n := make([]string, len(s.params))
	for i, p := range s.params {
		n[i] = p.Name
	}
	return n
}

// Labels returns the LaTeX labels in order (the name where a label is
// empty).
func (s *Space) Labels() []string {
	l := make([]string, len(s.params))
	for i, p := range s.params {
		l[i] = p.Label
		if l[i] == "" {
			l[i] = p.Name
		}
	}
	return l
}

// Bounds returns the prior boxes.
func (s *Space) Bounds() (lo, hi []float64) {
	lo = make([]float64, len(s.priors))
	hi = make([]float64, len(s.priors))
	for i, p := range s.priors {
		lo[i], hi[i] = p.Lo, p.Hi
	}
	return lo, hi
}

// Ranges returns the prior boxes as [lo, hi] pairs, the form of the
// samplers' settings (mcmc.Settings.Ranges, nested.Settings.Ranges).
func (s *Space) Ranges() [][2]float64 {
	r := make([][2]float64, len(s.priors))
	for i, p := range s.priors {
		r[i] = [2]float64{p.Lo, p.Hi}
	}
	return r
}

// Center writes the centre of the prior box (the mean, clamped to the box,
// for a Gaussian prior) to dst, allocating it if nil, and returns it.
func (s *Space) Center(dst []float64) []float64 {
	if dst == nil {
		dst = make([]float64, len(s.priors))
	}
	if len(dst) != len(s.priors) {
		panic("param: Center destination length mismatch")
	}
	for i, p := range s.priors {
		dst[i] = (p.Lo + p.Hi) / 2
		if p.Sigma > 0 {
			dst[i] = math.Min(math.Max(p.Mu, p.Lo), p.Hi)
		}
	}
	return dst
}

// Contains reports whether θ lies inside every prior box.
func (s *Space) Contains(theta []float64) bool {
	if len(theta) != len(s.priors) {
		panic("param: len(theta) != dimension of the space")
	}
	for i, p := range s.priors {
		if !p.Contains(theta[i]) {
			return false
		}
	}
	return true
}

// LogPrior returns the normalized ln π(θ) = Σ_i ln π_i(θ_i), −Inf outside
// the box. It does not allocate.
func (s *Space) LogPrior(theta []float64) float64 {
	if len(theta) != len(s.priors) {
		panic("param: len(theta) != dimension of the space")
	}
	lp := 0.0
	for i, p := range s.priors {
		x := theta[i]
		if !p.Contains(x) {
			return math.Inf(-1)
		}
		lp += p.logPDF(x, s.logNorm[i])
	}
	return lp
}

// Transform maps a point u of the unit hypercube to θ, coordinate by
// coordinate through each prior's quantile function (Prior.Transform).
func (s *Space) Transform(dst, u []float64) {
	if len(dst) != len(s.priors) || len(u) != len(s.priors) {
		panic("param: Transform length mismatch")
	}
	for i, p := range s.priors {
		dst[i] = p.Transform(u[i])
	}
}

// String lists the parameters with their priors, e.g. "Om ∈ [0.01, 0.99],
// H0 ∈ [20, 100]".
func (s *Space) String() string {
	var b strings.Builder
	for i, p := range s.params {
		if i > 0 {
			b.WriteString(", ")
		}
		pr := s.priors[i]
		if pr.Sigma > 0 {
			fmt.Fprintf(&b, "%s ~ N(%g, %g²) on [%g, %g]", p.Name, pr.Mu, pr.Sigma, pr.Lo, pr.Hi)
		} else {
			fmt.Fprintf(&b, "%s ∈ [%g, %g]", p.Name, pr.Lo, pr.Hi)
		}
	}
	return b.String()
}
