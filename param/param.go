// Package param describes named parameters, their priors and the parameter
// spaces that samplers explore.
//
// A Param is a parameter's identity: a short Name used in files, flags and
// JSON ("Om", "H0"), a LaTeX Label, a Unit, the default prior box and the
// physically allowed range. A Prior is a normalized density on a finite box:
// uniform, or a Gaussian truncated to the box. A Space is an ordered list of
// parameters with their priors: the coordinates of θ that a sampler moves.
// Code that consumes θ looks positions up by name once (Space.Index) and
// never assumes an order.
package param

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Param is a named parameter.
type Param struct {
	Name  string // identifier in files, flags and JSON, e.g. "Om"
	Label string // LaTeX without dollars, e.g. `\Omega_{\rm m}`
	Unit  string // e.g. "km/s/Mpc"; "" for a dimensionless parameter
	Doc   string // one line: what it is

	// Min and Max are the default prior box.
	Min, Max float64
	// Fiducial is where best-fit searches start when it lies inside the
	// prior box (the box's centre otherwise; the zero value is a valid
	// fiducial).
	Fiducial float64
	// Default, when HasDefault is set, is the value the parameter takes
	// when it is neither given nor sampled (Σmν = 0.06 eV, N_eff = 3.044).
	Default    float64
	HasDefault bool
	// EmuBox is the range an emulator of a model with this parameter is
	// trained on; the zero box means the parameter is not an emulator
	// input.
	EmuBox [2]float64
	// Lo and Hi bound the physically allowed values; LoOpen and HiOpen
	// make the bounds strict. Infinite bounds mean no limit.
	Lo, Hi         float64
	LoOpen, HiOpen bool
}

// Allowed reports whether v lies in the physical range.
func (p *Param) Allowed(v float64) bool {
	if math.IsNaN(v) {
		return false
	}
	if v < p.Lo || (p.LoOpen && v == p.Lo) {
		return false
	}
	if v > p.Hi || (p.HiOpen && v == p.Hi) {
		return false
	}
	return !math.IsInf(v, 0)
}

// Range returns the physical range in interval notation, e.g. "(0, +Inf)".
func (p *Param) Range() string {
	lb, rb := "[", "]"
	if p.LoOpen || math.IsInf(p.Lo, -1) {
		lb = "("
	}
	if p.HiOpen || math.IsInf(p.Hi, 1) {
		rb = ")"
	}
	return fmt.Sprintf("%s%s, %s%s", lb, fmtBound(p.Lo), fmtBound(p.Hi), rb)
}

func fmtBound(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// Check returns a *RangeError if v is not in the physical range.
func (p *Param) Check(v float64) error {
	if p.Allowed(v) {
		return nil
	}
	return &RangeError{Name: p.Name, Value: v, Allowed: p.Range()}
}

// DefaultPrior returns the uniform prior on the default box.
func (p *Param) DefaultPrior() Prior { return Uniform(p.Min, p.Max) }

// RangeError reports a parameter value outside its allowed range.
type RangeError struct {
	Name    string
	Value   float64
	Allowed string
}

func (e *RangeError) Error() string {
	return fmt.Sprintf("parameter %s = %v is outside its allowed range %s", e.Name, e.Value, e.Allowed)
}

// A Registry is a set of known parameters, looked up by name.
type Registry struct {
	params []Param
}

// NewRegistry returns a registry of the given parameters. It panics on an
// empty or duplicate name or a default box outside the physical range:
// registries are built from constants.
func NewRegistry(params ...Param) *Registry {
	r := &Registry{}
	for _, p := range params {
		r.Add(p)
	}
	return r
}

// Add registers p; it panics if the name is empty or taken or the default
// box is not a valid prior inside the physical range.
func (r *Registry) Add(p Param) {
	if p.Name == "" || strings.ContainsAny(p.Name, " \t\n,=:") {
		panic(fmt.Sprintf("param: invalid name %q", p.Name))
	}
	if _, ok := r.Lookup(p.Name); ok {
		panic("param: " + p.Name + " registered twice")
	}
	if !(p.Min < p.Max) || !p.Allowed(p.Min) || !p.Allowed(p.Max) {
		panic(fmt.Sprintf("param: default box [%g, %g] of %s is not inside %s", p.Min, p.Max, p.Name, p.Range()))
	}
	r.params = append(r.params, p)
}

// Lookup returns the parameter called name.
func (r *Registry) Lookup(name string) (Param, bool) {
	for _, p := range r.params {
		if p.Name == name {
			return p, true
		}
	}
	return Param{}, false
}

// Get returns the parameter called name, or an error listing the known
// names.
func (r *Registry) Get(name string) (Param, error) {
	if p, ok := r.Lookup(name); ok {
		return p, nil
	}
	return Param{}, fmt.Errorf("unknown parameter %q (known: %s)", name, strings.Join(r.Names(), ", "))
}

// Names returns the registered names in registration order.
func (r *Registry) Names() []string {
	s := make([]string, len(r.params))
	for i, p := range r.params {
		s[i] = p.Name
	}
	return s
}

// All returns a copy of the registered parameters.
func (r *Registry) All() []Param { return append([]Param(nil), r.params...) }
