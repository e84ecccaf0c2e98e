package fit

import (
	"crypto/sha256"
	"encoding"
	"fmt"
	"sort"
	"strings"

	"github.com/cosmoemu/cosmoemu/emulator"
	"github.com/cosmoemu/cosmoemu/likelihood"
)

// Fingerprint identifies everything a run's chains depend on besides the
// sampler's own settings (which mcmc checks itself): the model, the data
// (by content), the backend and its settings — the early universe's route
// and the emulator files given (by content; the embedded emulators are
// part of the program, as its code is) — the priors and the fixed values.
// It is written as KEY=VALUE lines so that a refused resume names what
// changed.
func (p *Problem) Fingerprint() string {
	var b strings.Builder
	fmt.Fprintf(&b, "model=%s\n", p.Model.Name())
	for _, l := range p.likes {
		fmt.Fprintf(&b, "data %s=%s\n", l.Name(), dataHash(l))
	}
	fmt.Fprintf(&b, "backend=%s\n", p.Posterior.Backend().Name())
	fmt.Fprintf(&b, "solver rtol=%g\n", p.Config.SolverRTol)
	if p.earlyName != "" {
		fmt.Fprintf(&b, "early universe=%s\n", p.earlyName)
	}
	if eb, ok := p.Posterior.Backend().(emulator.Backend); ok {
		if p.Config.EmulatorFile != "" {
			fmt.Fprintf(&b, "emulator file=%s\n", contentHash(eb.Emulator))
		}
		if p.Config.GrowthEmulatorFile != "" && eb.Growth != nil {
			fmt.Fprintf(&b, "growth emulator file=%s\n", contentHash(eb.Growth))
		}
	}
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

// contentHash is a SHA-256 of an emulator's file bytes, as loaded.
func contentHash(e encoding.BinaryMarshaler) string {
	data, err := e.MarshalBinary()
	if err != nil {
		// A loaded emulator always encodes; say so rather than match.
		return "unencodable: " + err.Error()
	}
	return fmt.Sprintf("%x", sha256.Sum256(data))
}
