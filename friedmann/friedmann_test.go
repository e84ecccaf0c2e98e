package friedmann_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/diff/fd"

	"github.com/cosmoemu/cosmoemu/friedmann"
)

func TestParameterErrors(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	for _, tc := range []struct {
		name      string
		om0, h0   float64
		wantParam string
	}{
		{"Om0 zero", 0, 70, "Om0"},
		{"Om0 negative", -0.1, 70, "Om0"},
		{"Om0 too large", 1 - friedmann.DefaultOmegaR0, 70, "Om0"},
		{"Om0 NaN", nan, 70, "Om0"},
		{"Om0 Inf", inf, 70, "Om0"},
		{"H0 zero", 0.3, 0, "H0"},
		{"H0 negative", 0.3, -70, "H0"},
		{"H0 NaN", 0.3, nan, "H0"},
		{"H0 Inf", 0.3, inf, "H0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := friedmann.LCDM(tc.om0, tc.h0)
			var pe *friedmann.ParamError
			if !errors.As(err, &pe) {
				t.Fatalf("got %v, want *ParamError", err)
			}
			if pe.Param != tc.wantParam || pe.Allowed == "" {
				t.Errorf("error names %q with range %q, want %q and a range", pe.Param, pe.Allowed, tc.wantParam)
			}
			if !strings.Contains(err.Error(), tc.wantParam) || !strings.Contains(err.Error(), pe.Allowed) {
				t.Errorf("message %q does not name the parameter and its range", err)
			}
		})
	}

	if _, err := friedmann.New(70,
		friedmann.Fluid{Name: "matter", Gamma: 1, Omega0: 0.3},
		friedmann.Fluid{Name: "lambda", Gamma: 0, Omega0: 0.6},
	); !errors.As(err, new(*friedmann.FlatnessError)) {
		t.Errorf("densities summing to 0.9: got %v, want *FlatnessError", err)
	}
	_, err := friedmann.New(70,
		friedmann.Fluid{Name: "matter", Gamma: 1, Omega0: 1.2},
		friedmann.Fluid{Name: "ghost", Gamma: 0, Omega0: -0.2},
	)
	var pe *friedmann.ParamError
	if !errors.As(err, &pe) || pe.Param != "Omega0[ghost]" {
		t.Errorf("negative density: got %v, want *ParamError for Omega0[ghost]", err)
	}
	if _, err := friedmann.New(70, friedmann.Fluid{Name: "x", Gamma: nan, Omega0: 1}); !errors.As(err, &pe) || pe.Param != "Gamma[x]" {
		t.Errorf("NaN γ: got %v, want *ParamError for Gamma[x]", err)
	}
	if _, err := friedmann.New(70); err == nil {
		t.Error("no error for a model without fluids")
	}
}

func TestClosedFormIdentities(t *testing.T) {
	m, err := friedmann.LCDM(0.3, 70)
	if err != nil {
		t.Fatal(err)
	}
	if e := m.E(0); math.Abs(e-1) > 1e-15 {
		t.Errorf("E(0) = %v, want 1", e)
	}
	om := m.Omegas(nil, 0)
	want := []float64{1e-4, 0.3, 1 - 0.3 - 1e-4}
	for i := range om {
		if math.Abs(om[i]-want[i]) > 1e-15 {
			t.Errorf("Ω_%d(0) = %v, want %v", i, om[i], want[i])
		}
	}
	// Today Π = (4/3)Ω_r0 + Ω_m0 and q0 = (3Π − 2)/2.
	pi0 := 4.0/3*1e-4 + 0.3
	if q := m.Decel(0); math.Abs(q-(3*pi0-2)/2) > 1e-15 {
		t.Errorf("q0 = %v, want %v", q, (3*pi0-2)/2)
	}
	for _, n := range []float64{0, -0.5, -3, -8, -12, -50, -300, 5} {
		sum := 0.0
		for _, o := range m.Omegas(om, n) {
			if !(o >= 0 && o <= 1) {
				t.Errorf("N = %g: Ω outside [0, 1]: %v", n, om)
			}
			sum += o
		}
		if math.Abs(sum-1) > 1e-14 {
			t.Errorf("N = %g: ΣΩ = %v", n, sum)
		}
		if lnE2 := m.LnE2(n); math.IsInf(lnE2, 0) || math.IsNaN(lnE2) {
			t.Errorf("N = %g: ln E² = %v", n, lnE2)
		}
		// (ln H)' = −3Π/2, checked by central differences of the closed form.
		dlnH := fd.Derivative(func(x float64) float64 { return 0.5 * m.LnE2(x) }, n, &fd.Settings{Formula: fd.Central, Step: 1e-5})
		if d := math.Abs(dlnH + 1.5*m.Pi(n)); d > 1e-8 {
			t.Errorf("N = %g: (ln H)' = %v, −3Π/2 = %v", n, dlnH, -1.5*m.Pi(n))
		}
	}
	for _, z := range []float64{0, 0.07, 1, 1.965, 1100} {
		if back := friedmann.ZOfN(friedmann.NOfZ(z)); math.Abs(back-z) > 1e-12*(1+z) {
			t.Errorf("z → N → z: %v → %v", z, back)
		}
	}
	if hz := m.HZ(1); math.Abs(hz-70*math.Sqrt(1e-4*16+0.3*8+(1-0.3-1e-4))) > 1e-12 {
		t.Errorf("H(z=1) = %v", hz)
	}
}

// Derivs must be the derivative of the closed form along the solution.
func TestDerivsMatchClosedForm(t *testing.T) {
	m, err := friedmann.New(67.4,
		friedmann.Fluid{Name: "radiation", Gamma: friedmann.GammaRadiation, Omega0: 9e-5},
		friedmann.Fluid{Name: "matter", Gamma: friedmann.GammaMatter, Omega0: 0.31},
		friedmann.Fluid{Name: "curvature", Gamma: friedmann.GammaCurvature, Omega0: 0.02},
		friedmann.Fluid{Name: "w", Gamma: 0.05, Omega0: 1 - 9e-5 - 0.31 - 0.02},
	)
	if err != nil {
		t.Fatal(err)
	}
	d := m.Dim()
	state := func(dst []float64, n float64) {
		m.Omegas(dst[:d-1], n)
		dst[d-1] = math.Log(m.H(n))
	}
	y := make([]float64, d)
	got := make([]float64, d)
	for _, n := range []float64{0, -1, -4, -9, -12} {
		state(y, n)
		m.Derivs(got, n, y)
		for i := 0; i < d; i++ {
			want := fd.Derivative(func(x float64) float64 {
				tmp := make([]float64, d)
				state(tmp, x)
				return tmp[i]
			}, n, &fd.Settings{Formula: fd.Central, Step: 1e-5})
			if math.Abs(got[i]-want) > 1e-8 {
				t.Errorf("N = %g, component %d: Derivs %v, d/dN of the closed form %v", n, i, got[i], want)
			}
		}
	}
	if a := testing.AllocsPerRun(100, func() { m.Derivs(got, 0, y) }); a != 0 {
		t.Errorf("Derivs allocates %v times", a)
	}
	if m.InitialState(nil)[d-1] != math.Log(67.4) {
		t.Error("InitialState does not end with ln H0")
	}
	// LCDMState is InitialState of the model LCDMRadiation would make.
	lcdm, _ := friedmann.LCDMRadiation(0.27, 5e-5, 71)
	st := make([]float64, 4)
	if err := friedmann.LCDMState(st, 0.27, 5e-5, 71); err != nil {
		t.Fatal(err)
	}
	for i, v := range lcdm.InitialState(nil) {
		if st[i] != v {
			t.Errorf("LCDMState[%d] = %v, InitialState %v", i, st[i], v)
		}
	}
	if err := friedmann.LCDMState(st, 1.2, 1e-4, 70); err == nil {
		t.Error("LCDMState accepted Om0 = 1.2")
	}
	if a := testing.AllocsPerRun(100, func() { friedmann.LCDMState(st, 0.3, 1e-4, 70) }); a != 0 {
		t.Errorf("LCDMState allocates %v times", a)
	}
}
