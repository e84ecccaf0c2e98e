package mcmc

import (
	"gonum.org/v1/gonum/mat"
)

// Chain is the history of a run: the position and ln p of every walker
// (or MH chain) after every step, laid out like emcee's get_chain():
// X[(step·Walkers + walker)·Dim + i] and LnP[step·Walkers + walker]. With
// derived parameters (Target.Derived), Derived[(step·Walkers + walker)·
// DerivedDim + j] holds derived parameter j of the same sample.
type Chain struct {
	Walkers    int
	Dim        int
	X          []float64
	LnP        []float64
	DerivedDim int
	Derived    []float64
}

// NewChain returns an empty chain with room for steps steps.
func NewChain(walkers, dim, steps int) *Chain {
	if walkers <= 0 || dim <= 0 || steps < 0 {
		panic("mcmc: bad chain dimensions")
	}
	return &Chain{
		Walkers: walkers,
		Dim:     dim,
		X:       make([]float64, 0, steps*walkers*dim),
		LnP:     make([]float64, 0, steps*walkers),
	}
}

// Steps returns the number of steps stored.
func (c *Chain) Steps() int { return len(c.LnP) / c.Walkers }

// At returns the position of walker w after step s (a view, not a copy).
func (c *Chain) At(s, w int) []float64 {
	i := (s*c.Walkers + w) * c.Dim
	return c.X[i : i+c.Dim : i+c.Dim]
}

// Append adds one step: pos holds Walkers·Dim coordinates, lnp Walkers
// values. It does not allocate while the capacity given to NewChain lasts.
func (c *Chain) Append(pos, lnp []float64) {
	if len(pos) != c.Walkers*c.Dim || len(lnp) != c.Walkers {
		panic("mcmc: Append: wrong lengths")
	}
	c.X = append(c.X, pos...)
	c.LnP = append(c.LnP, lnp...)
}

// Series stores parameter i of walker w for steps from…Steps()-1 in dst
// (grown if needed) and returns it.
func (c *Chain) Series(dst []float64, w, i, from int) []float64 {
	n := c.Steps() - from
	if n < 0 {
		panic("mcmc: Series: from beyond the chain")
	}
	if cap(dst) < n {
		dst = make([]float64, n)
	}
	dst = dst[:n]
	for s := range n {
		dst[s] = c.X[((from+s)*c.Walkers+w)*c.Dim+i]
	}
	return dst
}

// Flat returns the samples of steps from…Steps()-1 of all walkers as the
// rows of a matrix, step-major (emcee's get_chain(flat=True, discard=from)).
func (c *Chain) Flat(from int) *mat.Dense {
	n := (c.Steps() - from) * c.Walkers
	if n <= 0 {
		panic("mcmc: Flat: no samples after from")
	}
	x := make([]float64, n*c.Dim)
	copy(x, c.X[from*c.Walkers*c.Dim:])
	return mat.NewDense(n, c.Dim, x)
}
