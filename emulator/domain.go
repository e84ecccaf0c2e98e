package emulator

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/cosmoemu/cosmoemu/cosmo"
)

// Domain is the region of parameter space an emulator of a model answers:
// a box in the model's parameters, Σmν and N_eff (they enter through the
// radiation), cut by the model's own limits:
//
//   - curved models: E²(z) ≥ MinE2 at every z ≥ 0, which keeps away from
//     universes that nearly stop expanding (loitering, then no big bang);
//   - Limit, if set: an upper limit on one parameter that depends on Ωm,
//     e.g. λ ≤ λ_max(Ωm) − margin for the thawing field, with λ_max(Ωm)
//     the largest λ for which a field at rest reaches the Ω_φ0 asked for:
//     near it the observables depend on λ like a square root of the
//     distance to it.
type Domain struct {
	Model    string
	Params   []string  // the model's parameters (Om, …, H0), mnu, nnu
	Min, Max []float64 // per parameter

	MinE2 float64 // curved models; 0 otherwise
	Limit *Limit  // nil: none

	slots []cosmo.Slot // of Params, set by check
	limit int          // index of Limit.Param in Params
}

// Limit is an upper limit on the parameter Param as a function of ln Ωm,
// tabulated (linear interpolation, constant beyond the table), minus
// Margin: Param ≤ Max(ln Ωm) − Margin.
type Limit struct {
	Param  string
	LnOm   []float64 // increasing
	Max    []float64
	Margin float64
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
		return fmt.Sprintf("emulator %s: %s: outside the training domain (the emulator does not extrapolate; let a fallback answer there)", e.Model, e.Reason)
	}
	return fmt.Sprintf("emulator %s: %s = %v is outside the training domain [%v, %v] (the emulator does not extrapolate; let a fallback answer there)", e.Model, e.Param, e.Value, e.Min, e.Max)
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
	case d.Limit != nil:
		parts = append(parts, fmt.Sprintf("%s ≤ %s_max(Ωm) − %g", d.Limit.Param, d.Limit.Param, d.Limit.Margin))
	}
	return strings.Join(parts, ", ")
}

// Contains returns nil if p lies in the domain, else a *DomainError.
func (d *Domain) Contains(p *cosmo.Params) error {
	for i := range d.Params {
		v, _ := p.Get(d.slots[i])
		if !(v >= d.Min[i] && v <= d.Max[i]) {
			return &DomainError{Model: d.Model, Param: d.Params[i], Value: v, Min: d.Min[i], Max: d.Max[i]}
		}
	}
	if d.MinE2 > 0 {
		if e2 := minE2(p.OmegaR(), p.Om, p.Ok); e2 < d.MinE2 {
			return &DomainError{Model: d.Model, Reason: fmt.Sprintf("min E²(z) = %.4g < %g (Om = %g, Ok = %g): too close to a universe that stops expanding", e2, d.MinE2, p.Om, p.Ok)}
		}
	}
	if l := d.Limit; l != nil {
		v, _ := p.Get(d.slots[d.limit])
		if lim := d.LimitAt(p.Om); v > lim {
			return &DomainError{Model: d.Model, Param: l.Param, Value: v, Min: d.Min[d.limit], Max: lim,
				Reason: l.Param + " too close to its largest value at this Ωm"}
		}
	}
	return nil
}

// LimitAt returns the largest value of the limited parameter (Limit.Param)
// at Ωm: the table's value less the margin, and at most the box's upper
// end. It panics if the domain has no Limit.
func (d *Domain) LimitAt(om float64) float64 {
	return math.Min(d.Max[d.limit], d.Limit.at(om)-d.Limit.Margin)
}

// LimitGap returns how far p's limited parameter lies below the table's
// limit at p's Ωm, without the margin or the box: λ_max(Ωm) − λ for the
// field. It panics if the domain has no Limit.
func (d *Domain) LimitGap(p *cosmo.Params) float64 {
	v, _ := p.Get(d.slots[d.limit])
	return d.Limit.at(p.Om) - v
}

// at returns the table's value at Ωm = om: linear in ln Ωm, constant
// beyond the table.
func (l *Limit) at(om float64) float64 {
	x := math.Log(om)
	xs, ys := l.LnOm, l.Max
	i := sort.SearchFloat64s(xs, x)
	switch {
	case i <= 0:
		return ys[0]
	case i >= len(xs):
		return ys[len(ys)-1]
	}
	t := (x - xs[i-1]) / (xs[i] - xs[i-1])
	return ys[i-1] + t*(ys[i]-ys[i-1])
}

// clone returns a deep copy of d.
func (d *Domain) clone() Domain {
	c := *d
	c.Params, c.Min, c.Max, c.slots = slices.Clone(d.Params), slices.Clone(d.Min), slices.Clone(d.Max), slices.Clone(d.slots)
	if l := d.Limit; l != nil {
		c.Limit = &Limit{Param: l.Param, LnOm: slices.Clone(l.LnOm), Max: slices.Clone(l.Max), Margin: l.Margin}
	}
	return c
}

// check reports a malformed domain (from a file).
func (d *Domain) check(m *cosmo.Model) error {
	// Canonical order: that of m.Params, then Σmν and N_eff.
	want := domainParams(m)
	if !slices.Equal(d.Params, want) {
		return fmt.Errorf("domain has parameters %v, want %v", d.Params, want)
	}
	if len(d.Min) != len(want) || len(d.Max) != len(want) {
		return fmt.Errorf("domain: %d minima and %d maxima for %d parameters", len(d.Min), len(d.Max), len(want))
	}
	d.slots = make([]cosmo.Slot, len(want))
	for i, n := range want {
		par, _ := m.Param(n)
		lo, hi := d.Min[i], d.Max[i]
		if !(lo < hi) || !par.Allowed(lo) || !par.Allowed(hi) {
			return fmt.Errorf("domain: %s ∈ [%v, %v] is not an interval of allowed values (%s)", n, lo, hi, par.Range())
		}
		d.slots[i], _ = m.Slot(n)
	}
	if math.IsNaN(d.MinE2) || d.MinE2 < 0 || d.MinE2 >= 1 {
		return fmt.Errorf("domain: min E² = %v, want in [0, 1)", d.MinE2)
	}
	if d.MinE2 > 0 && !m.Curved() {
		return fmt.Errorf("domain: min E² = %v for the flat model %s", d.MinE2, m.Name())
	}
	if l := d.Limit; l != nil {
		d.limit = slices.Index(want, l.Param)
		if d.limit < 0 {
			return fmt.Errorf("domain: limit on %q, not a parameter of model %s", l.Param, m.Name())
		}
		if len(l.LnOm) < 2 || len(l.LnOm) != len(l.Max) {
			return fmt.Errorf("domain: limit table of %d and %d values", len(l.LnOm), len(l.Max))
		}
		for i := 1; i < len(l.LnOm); i++ {
			if !(l.LnOm[i] > l.LnOm[i-1]) {
				return fmt.Errorf("domain: limit table is not increasing in ln Ωm")
			}
		}
		for _, v := range l.Max {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("domain: limit table has %v", v)
			}
		}
		if !(l.Margin >= 0) || math.IsInf(l.Margin, 0) {
			return fmt.Errorf("domain: limit margin %v", l.Margin)
		}
	}
	return nil
}

// domainParams returns the parameters of the domain of an emulator of m.
func domainParams(m *cosmo.Model) []string {
	return append(m.Params(), cosmo.NameMnu, cosmo.NameNnu)
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
