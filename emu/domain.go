package emu

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/cosmoemu/cosmoemu/cosmo"
)

// Domain is the region of parameter space an emulator answers: a box in
// the model's parameters, H0 and ombh2 (the latter needed only for the CMB
// observables), cut by the model's own limits:
//
//   - olcdm: E²(z) ≥ MinE2 at every z ≥ 0, which keeps away from universes
//     that nearly stop expanding (loitering, then no big bang);
//   - quintessence: λ ≤ λ_max(Ωm) − LambdaMargin, with λ_max(Ωm) the
//     largest λ for which a thawing field at rest reaches the Ω_φ0 asked for
//     (tabulated in ln Ωm, linear interpolation): near it the observables
//     depend on λ like a square root of the distance to it.
type Domain struct {
	Model    string
	Params   []string  // Om, the model's other parameters, H0, ombh2
	Min, Max []float64 // per parameter

	MinE2 float64 // olcdm; 0 otherwise

	LambdaLnOm   []float64 // quintessence: ln Ωm of the λ_max table, increasing
	LambdaMax    []float64 // quintessence: λ_max at LambdaLnOm
	LambdaMargin float64

	get []func(*cosmo.Params) float64 // of Params, set by check
}

// DomainError reports a point outside an emulator's domain. The emulator
// never extrapolates: such points are answered by the fallback backend,
// when there is one, or are this error.
type DomainError struct {
	Model    string
	Param    string // the parameter, or "" for a limit on a combination
	Value    float64
	Min, Max float64 // the range of Param at that point
	Reason   string  // for a combination
}

func (e *DomainError) Error() string {
	if e.Param == "" {
		return fmt.Sprintf("emulator %s: %s: outside the training domain (the emulator does not extrapolate; use a fallback backend)", e.Model, e.Reason)
	}
	return fmt.Sprintf("emulator %s: %s = %v is outside the training domain [%v, %v] (the emulator does not extrapolate; use a fallback backend)", e.Model, e.Param, e.Value, e.Min, e.Max)
}

// Range returns the box of parameter name.
func (d *Domain) Range(name string) (lo, hi float64, ok bool) {
	for i, n := range d.Params {
		if n == name {
			return d.Min[i], d.Max[i], true
		}
	}
	return 0, 0, false
}

// String describes the domain on one line.
func (d *Domain) String() string {
	var parts []string
	for i, n := range d.Params {
		parts = append(parts, fmt.Sprintf("%s ∈ [%g, %g]", n, d.Min[i], d.Max[i]))
	}
	switch {
	case d.MinE2 > 0:
		parts = append(parts, fmt.Sprintf("E²(z) ≥ %g", d.MinE2))
	case d.LambdaMax != nil:
		parts = append(parts, fmt.Sprintf("λ ≤ λ_max(Ωm) − %g", d.LambdaMargin))
	}
	return strings.Join(parts, ", ")
}

// Contains returns nil if p lies in the domain, else a *DomainError. With
// cmb false, ombh2 is not checked (no observable needs it).
func (d *Domain) Contains(p *cosmo.Params, cmb bool) error {
	n := len(d.Params)
	if !cmb {
		n-- // ombh2 is last
	}
	for i := range n {
		var v float64
		if d.get != nil {
			v = d.get[i](p)
		} else {
			v, _ = p.Get(d.Params[i])
		}
		name := d.Params[i]
		if !(v >= d.Min[i] && v <= d.Max[i]) {
			return &DomainError{Model: d.Model, Param: name, Value: v, Min: d.Min[i], Max: d.Max[i]}
		}
	}
	if d.MinE2 > 0 {
		if e2 := minE2(p.OmegaR(), p.Om, p.Ok); e2 < d.MinE2 {
			return &DomainError{Model: d.Model, Reason: fmt.Sprintf("min E²(z) = %.4g < %g (Om = %g, Ok = %g): too close to a universe that stops expanding", e2, d.MinE2, p.Om, p.Ok)}
		}
	}
	if d.LambdaMax != nil {
		if lim := d.lambdaLimit(p.Om); p.Lambda > lim {
			return &DomainError{Model: d.Model, Param: cosmo.NameLambda, Value: p.Lambda, Min: d.Min[1], Max: lim,
				Reason: "λ too close to the largest λ of a thawing field"}
		}
	}
	return nil
}

// lambdaLimit returns the largest λ of the domain at Ωm.
func (d *Domain) lambdaLimit(om float64) float64 {
	l := math.Log(om)
	xs, ys := d.LambdaLnOm, d.LambdaMax
	i := sort.SearchFloat64s(xs, l)
	var v float64
	switch {
	case i <= 0:
		v = ys[0]
	case i >= len(xs):
		v = ys[len(ys)-1]
	default:
		t := (l - xs[i-1]) / (xs[i] - xs[i-1])
		v = ys[i-1] + t*(ys[i]-ys[i-1])
	}
	_, hi, _ := d.Range(cosmo.NameLambda)
	return math.Min(hi, v-d.LambdaMargin)
}

// LambdaLimit returns the largest λ of the domain at Ωm (quintessence), or
// the box's upper limit for other models.
func (d *Domain) LambdaLimit(om float64) float64 {
	if d.LambdaMax == nil {
		_, hi, _ := d.Range(cosmo.NameLambda)
		return hi
	}
	return d.lambdaLimit(om)
}

// check reports a malformed domain (from a file).
func (d *Domain) check(m *cosmo.Model) error {
	// Canonical order: Om, the other parameters, H0 (that of m.Params),
	// then ombh2.
	want := append(m.Params(), cosmo.NameOmbh2)
	if len(d.Params) != len(want) {
		return fmt.Errorf("domain has parameters %v, want %v", d.Params, want)
	}
	for i, n := range want {
		if d.Params[i] != n {
			return fmt.Errorf("domain has parameters %v, want %v", d.Params, want)
		}
	}
	if len(d.Min) != len(want) || len(d.Max) != len(want) {
		return fmt.Errorf("domain: %d minima and %d maxima for %d parameters", len(d.Min), len(d.Max), len(want))
	}
	for i, n := range want {
		par, _ := m.Param(n)
		lo, hi := d.Min[i], d.Max[i]
		if !(lo < hi) || !par.Allowed(lo) || !par.Allowed(hi) {
			return fmt.Errorf("domain: %s ∈ [%v, %v] is not an interval of allowed values (%s)", n, lo, hi, par.Range())
		}
	}
	d.get = make([]func(*cosmo.Params) float64, len(want))
	for i, n := range want {
		d.get[i] = getter(n)
	}
	if math.IsNaN(d.MinE2) || d.MinE2 < 0 || d.MinE2 >= 1 {
		return fmt.Errorf("domain: min E² = %v, want in [0, 1)", d.MinE2)
	}
	if m.DarkEnergy() == cosmo.Field {
		if len(d.LambdaLnOm) < 2 || len(d.LambdaLnOm) != len(d.LambdaMax) {
			return fmt.Errorf("domain: λ_max table of %d and %d values", len(d.LambdaLnOm), len(d.LambdaMax))
		}
		for i := 1; i < len(d.LambdaLnOm); i++ {
			if !(d.LambdaLnOm[i] > d.LambdaLnOm[i-1]) {
				return fmt.Errorf("domain: λ_max table is not increasing in ln Ωm")
			}
		}
		if !(d.LambdaMargin >= 0) || math.IsInf(d.LambdaMargin, 0) {
			return fmt.Errorf("domain: λ margin %v", d.LambdaMargin)
		}
	} else if d.LambdaMax != nil || d.LambdaLnOm != nil {
		return fmt.Errorf("domain: λ_max table for model %s", m.Name())
	}
	return nil
}

// minE2 returns the minimum over z ≥ 0 of E²(z) = Ω_r s⁴ + Ωm s³ + Ωk s² +
// Ω_Λ (s = 1 + z, Ω_Λ = 1 − Ω_r − Ωm − Ωk). E² = 1 today; it has an
// interior minimum only for Ωk < 0, at the positive root of
// 4Ω_r s² + 3Ωm s + 2Ωk = 0.
func minE2(or, om, ok float64) float64 {
	if ok >= 0 {
		return 1
	}
	// The positive root, written to avoid cancellation.
	s := -4 * ok / (3*om + math.Sqrt(9*om*om-32*or*ok))
	if s <= 1 {
		return 1
	}
	ol := 1 - or - om - ok
	s2 := s * s
	return math.Min(1, ((or*s+om)*s+ok)*s2+ol)
}

// getter returns a function reading the parameter called name.
func getter(name string) func(*cosmo.Params) float64 {
	switch name {
	case cosmo.NameOm:
		return func(p *cosmo.Params) float64 { return p.Om }
	case cosmo.NameOk:
		return func(p *cosmo.Params) float64 { return p.Ok }
	case cosmo.NameW:
		return func(p *cosmo.Params) float64 { return p.W }
	case cosmo.NameW0:
		return func(p *cosmo.Params) float64 { return p.W0 }
	case cosmo.NameWa:
		return func(p *cosmo.Params) float64 { return p.Wa }
	case cosmo.NameLambda:
		return func(p *cosmo.Params) float64 { return p.Lambda }
	case cosmo.NameH0:
		return func(p *cosmo.Params) float64 { return p.H0 }
	}
	return func(p *cosmo.Params) float64 { return p.Ombh2 }
}
