package fit

import (
	"fmt"
	"sort"
	"strings"

	"github.com/cosmoemu/cosmoemu/likelihood"
)

// Fingerprint identifies everything a run's chains depend on besides the
// sampler's own settings (which mcmc checks itself): the model, the data
// (by content), the backend and its settings, the priors and the fixed
// values. It is written as KEY=VALUE lines so that a refused resume names
// what changed.
func (p *Problem) Fingerprint() string {
	var b strings.Builder
	fmt.Fprintf(&b, "model=%s\n", p.Model.Name())
	for _, l := range p.likes {
		fmt.Fprintf(&b, "data %s=%s\n", l.Name(), dataHash(l))
	}
	fmt.Fprintf(&b, "backend=%s\n", p.Posterior.Backend().Name())
	fmt.Fprintf(&b, "solver rtol=%g\n", p.Config.SolverRTol)
	for i := range p.Space.Dim() {
		fmt.Fprintf(&b, "prior %s=%v\n", p.Space.Param(i).Name, p.Space.Prior(i))
	}
	var fixed []string
	for k := range p.Fixed {
		fixed = append(fixed, k)
	}
	sort.Strings(fixed)
	for _, k := range fixed {
		fmt.Fprintf(&b, "fixed %s=%v\n", k, p.Fixed[k])
	}
	fmt.Fprintf(&b, "seed=%d\n", p.Config.Sampler.Seed)
	return b.String()
}

// dataHash is a SHA-256 of a data set's numbers (likelihood.Fingerprint).
func dataHash(l likelihood.Likelihood) string { return likelihood.Fingerprint(l) }
