package backend

import (
	"errors"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/cosmoemu/cosmoemu/emulator"
	"github.com/cosmoemu/cosmoemu/friedmann"
	"github.com/cosmoemu/cosmoemu/likelihood"
	"github.com/cosmoemu/cosmoemu/solver"
)

// The emulator must keep the prior inside its domain.
func TestEmulatorDomainGuardsPrior(t *testing.T) {
	data, err := likelihood.LoadData("cc31")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := likelihood.NewPosterior(Emulator{}, data, nil); err != nil {
		t.Fatalf("default prior inside the default emulator's domain: %v", err)
	}
	wide := likelihood.DefaultPrior()
	wide.Params[1].Max = 100
	if _, err := likelihood.NewPosterior(Emulator{}, data, wide); err == nil || !strings.Contains(err.Error(), "H0") {
		t.Errorf("prior H0 up to 100 beyond the emulator's 90: got %v", err)
	}
	if _, err := New("fancy", nil, nil); err == nil {
		t.Error("no error for an unknown backend")
	}
}

// Unsorted, repeated and zero redshifts, as user data may have them.
var testZ = []float64{0.48, 0.07, 1.965, 0, 0.48, 3, 0.1791}

func TestBackendsAgreeWithClosedForm(t *testing.T) {
	for _, tc := range []struct {
		b   likelihood.Backend
		tol float64
	}{
		{Emulator{}, 1e-4},
		{Analytic{}, 1e-14},
		{Solver{}, 1e-7},
		{Solver{Settings: &solver.Settings{RTol: 1e-11, ATol: 1e-13}}, 1e-10},
		{Solver{Settings: &solver.Settings{RTol: 1e-10, ATol: 1e-12, Dense: solver.Order5}}, 1e-9},
	} {
		m, err := tc.b.NewModel(testZ)
		if err != nil {
			t.Fatal(err)
		}
		h := make([]float64, len(testZ))
		for _, theta := range [][]float64{{0.3, 70}, {0.1, 50}, {0.5, 90}, {0.2137, 66.6}} {
			if err := m.Hubble(h, theta); err != nil {
				t.Fatal(err)
			}
			ref, _ := friedmann.LCDM(theta[0], theta[1])
			for i, z := range testZ {
				if rel := math.Abs(h[i]/ref.HZ(z) - 1); !(rel <= tc.tol) {
					t.Errorf("%s %v: H(z=%g) = %v, closed form %v (rel %.2g > %g)", tc.b.Name(), theta, z, h[i], ref.HZ(z), rel, tc.tol)
				}
			}
		}
	}
}

func TestBadInput(t *testing.T) {
	for _, b := range []likelihood.Backend{Analytic{}, Solver{}, Emulator{}} {
		if _, err := b.NewModel(nil); err == nil {
			t.Errorf("%s: no error for no redshifts", b.Name())
		}
		if _, err := b.NewModel([]float64{0.1, -0.5}); err == nil {
			t.Errorf("%s: no error for a negative redshift", b.Name())
		}
		if _, err := b.NewModel([]float64{math.NaN()}); err == nil {
			t.Errorf("%s: no error for a NaN redshift", b.Name())
		}
		m, err := b.NewModel([]float64{0.5})
		if err != nil {
			t.Fatal(err)
		}
		for _, theta := range [][]float64{{0, 70}, {1, 70}, {math.NaN(), 70}, {0.3, 0}, {0.3, math.Inf(1)}} {
			var pe *friedmann.ParamError
			var de *emulator.DomainError
			if err := m.Hubble(make([]float64, 1), theta); !errors.As(err, &pe) && !errors.As(err, &de) {
				t.Errorf("%s θ = %v: got %v, want a *friedmann.ParamError or *emulator.DomainError", b.Name(), theta, err)
			}
		}
	}
	if _, err := (Solver{Settings: &solver.Settings{RTol: 2}}).NewModel([]float64{1}); err == nil {
		t.Error("no error for bad solver settings")
	}
}

func TestHubbleDoesNotAllocate(t *testing.T) {
	for _, b := range []likelihood.Backend{Analytic{}, Solver{}, Emulator{}} {
		m, _ := b.NewModel(testZ)
		h := make([]float64, len(testZ))
		theta := []float64{0.3, 70}
		if a := testing.AllocsPerRun(50, func() { m.Hubble(h, theta) }); a != 0 {
			t.Errorf("%s: Hubble allocates %v times", b.Name(), a)
		}
	}
}

func TestBatch(t *testing.T) {
	thetas := mat.NewDense(3, 2, []float64{0.3, 70, 0.2, 60, 0.45, 85})
	for _, b := range []likelihood.Backend{Analytic{}, Solver{}, Emulator{}} {
		m, _ := b.NewModel(testZ)
		bm := m.(likelihood.BatchModel)
		dst := mat.NewDense(3, len(testZ), nil)
		if err := bm.HubbleBatch(dst, thetas); err != nil {
			t.Fatal(err)
		}
		one := make([]float64, len(testZ))
		for i := range 3 {
			m.Hubble(one, thetas.RawRowView(i))
			for j := range one {
				if one[j] != dst.At(i, j) {
					t.Fatalf("%s: batch row %d differs from single evaluation", b.Name(), i)
				}
			}
		}
		bad := mat.NewDense(2, 2, []float64{0.3, 70, -1, 70})
		if err := bm.HubbleBatch(mat.NewDense(2, len(testZ), nil), bad); err == nil {
			t.Errorf("%s: no error for a bad point in a batch", b.Name())
		}
	}
}
