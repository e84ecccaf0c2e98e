package fit

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"
	"sort"
	"strings"

	"gonum.org/v1/gonum/mat"

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

// dataHash is a SHA-256 of a data set's numbers.
func dataHash(l likelihood.Likelihood) string {
	h := sha256.New()
	floats := func(v []float64) {
		var buf [8]byte
		binary.LittleEndian.PutUint64(buf[:], uint64(len(v)))
		h.Write(buf[:])
		for _, x := range v {
			binary.LittleEndian.PutUint64(buf[:], math.Float64bits(x))
			h.Write(buf[:])
		}
	}
	sym := func(c mat.Symmetric) {
		if c == nil {
			floats(nil)
			return
		}
		n := c.SymmetricDim()
		row := make([]float64, n)
		for i := range n {
			for j := range n {
				row[j] = c.At(i, j)
			}
			floats(row)
		}
	}
	switch l := l.(type) {
	case *likelihood.Hz:
		d := l.Data()
		floats(d.Z)
		floats(d.H)
		floats(d.Sigma)
		symOrNil(sym, d.Cov)
	case *likelihood.BAO:
		d := l.Data()
		floats(d.Z)
		floats(d.Value)
		q := make([]float64, len(d.Quantity))
		for i, v := range d.Quantity {
			q[i] = float64(v)
		}
		floats(q)
		floats([]float64{d.RdFid})
		symOrNil(sym, d.Cov)
	case *likelihood.SN:
		d := l.Data()
		floats(d.Z)
		floats(d.ZHel)
		floats(d.Mag)
		symOrNil(sym, d.Cov)
	case *likelihood.CMB:
		d := l.Data()
		floats(d.Mean)
		symOrNil(sym, d.InvCov)
	case *likelihood.H0:
		d := l.Data()
		floats([]float64{d.Mean, d.Sigma})
	default:
		panic(fmt.Sprintf("fit: no fingerprint for %T", l))
	}
	return fmt.Sprintf("%x", h.Sum(nil)[:12])
}

func symOrNil(f func(mat.Symmetric), c *mat.SymDense) {
	if c == nil {
		f(nil)
		return
	}
	f(c)
}
