package friedmann

import (
	"context"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"

	"github.com/cosmoemu/cosmoemu/grid"
)

// A Set is a training set: flat ΛCDM solutions on the Cartesian product of
// three axes, each strictly increasing. The value at Om0[i], H0[j], N[k] is
// element At(i, j, k) = (i·len(H0) + j)·len(N) + k of OmegaR, OmegaM,
// OmegaL and H (H in km/s/Mpc): Ω_m0 slowest, N fastest, the order of
// grid.Build's rows.
type Set struct {
	Om0, H0, N []float64

	OmegaR, OmegaM, OmegaL, H []float64
}

// At returns the index of the value at Om0[i], H0[j], N[k].
func (s *Set) At(i, j, k int) int { return (i*len(s.H0)+j)*len(s.N) + k }

// Len returns the number of points, len(Om0)·len(H0)·len(N).
func (s *Set) Len() int { return len(s.Om0) * len(s.H0) * len(s.N) }

// Validate checks the shape of the set and that its values are finite, with
// H positive.
func (s *Set) Validate() error {
	for _, a := range []struct {
		name string
		v    []float64
	}{{"Om0", s.Om0}, {"H0", s.H0}, {"N", s.N}} {
		if len(a.v) == 0 {
			return fmt.Errorf("train: training set: axis %s is empty", a.name)
		}
		for i, v := range a.v {
			if math.IsNaN(v) || math.IsInf(v, 0) || (i > 0 && !(v > a.v[i-1])) {
				return fmt.Errorf("train: training set: axis %s is not finite and strictly increasing at element %d (%v)", a.name, i, v)
			}
		}
	}
	n := s.Len()
	for _, c := range []struct {
		name string
		v    []float64
	}{{"Omega_r", s.OmegaR}, {"Omega_m", s.OmegaM}, {"Omega_L", s.OmegaL}, {"H", s.H}} {
		if len(c.v) != n {
			return fmt.Errorf("train: training set: %d values of %s for %d×%d×%d points", len(c.v), c.name, len(s.Om0), len(s.H0), len(s.N))
		}
		for i, v := range c.v {
			if math.IsNaN(v) || math.IsInf(v, 0) || (c.name == "H" && !(v > 0)) {
				return fmt.Errorf("train: training set: %s at Om0 = %v, H0 = %v, N = %v is %v", c.name, s.Om0[i/(len(s.H0)*len(s.N))], s.H0[i/len(s.N)%len(s.H0)], s.N[i%len(s.N)], v)
			}
		}
	}
	return nil
}

// FromGrid returns the training set of a grid matrix (grid.Build,
// grid.Read): its rows, in any order, must hold every combination of its
// distinct Ω_m0, H0 and N values exactly once.
func FromGrid(g *mat.Dense) (*Set, error) {
	rows, cols := g.Dims()
	if cols != grid.NumCols {
		return nil, fmt.Errorf("train: grid has %d columns, want %d (%v)", cols, grid.NumCols, grid.Columns)
	}
	for i := range rows {
		for j, v := range g.RawRowView(i) {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("train: grid row %d column %s is %v", i, grid.Columns[j], v)
			}
		}
	}
	axis := func(col int) []float64 {
		v := make([]float64, rows)
		for i := range rows {
			v[i] = g.At(i, col)
		}
		slices.Sort(v)
		return slices.Compact(v)
	}
	s := &Set{Om0: axis(grid.ColOm0), H0: axis(grid.ColH0), N: axis(grid.ColN)}
	if n := s.Len(); n != rows {
		return nil, fmt.Errorf("train: grid of %d rows with %d Om0 × %d H0 × %d N values: not a Cartesian grid", rows, len(s.Om0), len(s.H0), len(s.N))
	}
	for _, p := range []*[]float64{&s.OmegaR, &s.OmegaM, &s.OmegaL, &s.H} {
		*p = make([]float64, rows)
	}
	seen := make([]bool, rows)
	for r := range rows {
		row := g.RawRowView(r)
		i, _ := slices.BinarySearch(s.Om0, row[grid.ColOm0])
		j, _ := slices.BinarySearch(s.H0, row[grid.ColH0])
		k, _ := slices.BinarySearch(s.N, row[grid.ColN])
		at := s.At(i, j, k)
		if seen[at] {
			return nil, fmt.Errorf("train: grid row %d repeats Om0 = %v, H0 = %v, N = %v: not a Cartesian grid", r, row[grid.ColOm0], row[grid.ColH0], row[grid.ColN])
		}
		seen[at] = true
		s.OmegaR[at], s.OmegaM[at], s.OmegaL[at], s.H[at] = row[grid.ColOmegaR], row[grid.ColOmegaM], row[grid.ColOmegaL], row[grid.ColH]
	}
	return s, s.Validate()
}

// Build solves flat ΛCDM on the grid spec and returns the training set.
func Build(ctx context.Context, spec grid.Spec, s *grid.Settings) (*Set, error) {
	g, err := grid.Build(ctx, spec, s)
	if err != nil {
		return nil, err
	}
	return FromGrid(g)
}
