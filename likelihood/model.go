package likelihood

import (
	"fmt"

	"gonum.org/v1/gonum/mat"
)

// Model gives H(z) in km/s/Mpc at redshifts fixed when it was made, for a
// parameter point theta = (Om0, H0).
// A Model need not be safe for concurrent use: each goroutine uses its own.
type Model interface {
	Hubble(dst, theta []float64) error // len(dst) == number of redshifts
}

// BatchModel evaluates many points at once (rows of thetas; dst rows are
// the H(z) vectors).
type BatchModel interface {
	Model
	HubbleBatch(dst, thetas *mat.Dense) error
}

// Backend makes Models for given redshifts.
type Backend interface {
	Name() string
	NewModel(z []float64) (Model, error)
}

// Bounded is implemented by backends that are valid only inside a box of
// parameter space, such as an emulator trained on a grid. lo and hi have one
// entry per parameter, in the order of theta. NewPosterior refuses a prior
// box that is not inside the domain.
type Bounded interface {
	Domain() (lo, hi []float64)
}

// FuncBackend is a Backend for a closed-form H(z; θ): each of its Models
// calls H once per redshift. It is safe for concurrent use if H is.
type FuncBackend struct {
	ID string                                   // returned by Name
	H  func(z float64, theta []float64) float64 // H(z) in km/s/Mpc
}

// Name returns b.ID.
func (b FuncBackend) Name() string { return b.ID }

// NewModel returns a Model evaluating b.H at a copy of z.
func (b FuncBackend) NewModel(z []float64) (Model, error) {
	if b.H == nil {
		return nil, fmt.Errorf("likelihood: backend %q has no H function", b.ID)
	}
	return &funcModel{z: append([]float64(nil), z...), h: b.H}, nil
}

type funcModel struct {
	z []float64
	h func(z float64, theta []float64) float64
}

func (m *funcModel) Hubble(dst, theta []float64) error {
	if len(dst) != len(m.z) {
		panic("likelihood: len(dst) != number of redshifts")
	}
	for i, z := range m.z {
		dst[i] = m.h(z, theta)
	}
	return nil
}
