package growth_test

import (
	"math"
	"testing"

	"github.com/cosmoemu/cosmoemu/friedmann"
	"github.com/cosmoemu/cosmoemu/growth"
	"github.com/cosmoemu/cosmoemu/solver"
)

// appended integrates an Ω_i system of dimension k with the growth state
// appended at positions k, k+1, from startN forwards to the redshifts z
// (ascending order of N inside), and returns D(z)/D(0), f(z) and D0.
// piOm gives Π and the clustering Ω_m of a state.
func appended(t *testing.T, k int, derivs solver.Func, piOm func(y []float64) (pi, om float64), y0 []float64, startN float64, z []float64) (dRatio, f []float64, d0 float64) {
	t.Helper()
	dim := k + growth.Dim
	rhs := func(dst []float64, n float64, y []float64) {
		derivs(dst[:k], n, y[:k])
		pi, om := piOm(y)
		growth.Derivs(dst[k:], y[k:], pi, om)
	}
	y := append(y0[:k:k], 0, 0)
	pi, om := piOm(y)
	if err := growth.Start(y[k:], startN, pi, om); err != nil {
		t.Fatal(err)
	}
	ns := make([]float64, len(z)+1) // z descending, then today
	for j := range z {
		ns[j] = -math.Log1p(z[len(z)-1-j])
	}
	// Relative error control only: the dark energy's share starts at
	// 1e-21 and grows as e^{4N}, so an absolute tolerance would leave its
	// relative error, which it keeps, uncontrolled.
	sv, err := solver.New(dim, &solver.Settings{RTol: 1e-12, ATol: 1e-300, Dense: solver.Order5})
	if err != nil {
		t.Fatal(err)
	}
	out := make([]float64, len(ns)*dim)
	if _, err := sv.Solve(out, rhs, startN, y, ns); err != nil {
		t.Fatal(err)
	}
	lnD0 := out[len(z)*dim+k+growth.IndexLnD]
	dRatio, f = make([]float64, len(z)), make([]float64, len(z))
	for j := range z {
		i := len(z) - 1 - j
		dRatio[i] = math.Exp(out[j*dim+k+growth.IndexLnD] - lnD0)
		f[i] = out[j*dim+k+growth.IndexF]
	}
	return dRatio, f, math.Exp(lnD0)
}

// (c) The growth appended to Ω_i systems integrated forwards from
// N = −14 agrees with the Evaluator on the closed form: radiation, matter
// and Λ as three fluids, and ΛCDM as the scalar field of package friedmann
// with λ = 0 (x = 0, y² = Ω_Λ).
func TestAppendedToOmegaSystem(t *testing.T) {
	z := []float64{0.1, 0.38, 0.51, 0.61, 0.7, 0.85, 1.48, 2.33, 3}
	const startN = -14.0
	worst := 0.0
	for _, p := range []struct{ om, or float64 }{{0.31, 9.14e-5}, {0.3, 8.54e-5}, {0.15, 1.2e-4}, {0.5, 5e-5}} {
		ev, err := growth.NewEvaluator(z, &growth.Settings{RTol: 1e-12, ATol: 1e-14, StartN: startN})
		if err != nil {
			t.Fatal(err)
		}
		res := growth.NewResult(len(z))
		if err := ev.Eval(res, &growth.CPL{Om: p.om, Or: p.or, W0: -1}); err != nil {
			t.Fatal(err)
		}
		u, err := friedmann.LCDMRadiation(p.om, p.or, 70)
		if err != nil {
			t.Fatal(err)
		}
		om0 := u.Omegas(nil, startN) // Ω_r, Ω_m, Ω_Λ at the start

		// Fluids: Ω_i' = 3(Π − γ_i)Ω_i with Π = Σγ_iΩ_i/ΣΩ_i. Forwards in
		// time the constraint ΣΩ_i = 1 is unstable with the plain Π
		// (ΣΩ_i − 1 grows as e^{3∫Π dN}, e^{50} over these 14 e-folds); the
		// normalised Π conserves ΣΩ_i exactly.
		gam := []float64{friedmann.GammaRadiation, friedmann.GammaMatter, friedmann.GammaLambda}
		fluidPi := func(y []float64) (pi, om float64) {
			s := 0.0
			for i, g := range gam {
				pi += g * y[i]
				s += y[i]
			}
			return pi / s, y[1] / s
		}
		fluids := func(dst []float64, _ float64, y []float64) {
			pi, _ := fluidPi(y)
			for i, g := range gam {
				dst[i] = 3 * (pi - g) * y[i]
			}
		}
		dF, fF, d0F := appended(t, 3, fluids, fluidPi, om0, startN, z)

		// The scalar field at rest with λ = 0 is Λ: y² = Ω_Λ, and
		// Ω_m = 1 − x² − y² − Ω_r holds the constraint.
		fs := &friedmann.FieldSystem{}
		fieldPi := func(y []float64) (pi, om float64) {
			x, yy, or := y[friedmann.FieldX], y[friedmann.FieldY], y[friedmann.FieldOr]
			return friedmann.FieldPi(x, yy, or, 0, 1), 1 - x*x - yy*yy - or
		}
		// The state with a and u (which the field's right-hand side
		// carries): a = e^N at the start, u = 1/a² (any scale).
		ai := math.Exp(startN)
		dS, fS, d0S := appended(t, friedmann.FieldShoot, fs.Derivs, fieldPi, []float64{0, math.Sqrt(om0[2]), om0[0], 0, ai, 1 / (ai * ai)}, startN, z)

		for _, run := range []struct {
			name string
			d, f []float64
			d0   float64
		}{{"fluids", dF, fF, d0F}, {"field", dS, fS, d0S}} {
			for i := range z {
				e := math.Max(math.Abs(run.d[i]/res.DRatio[i]-1), math.Abs(run.f[i]/res.F[i]-1))
				worst = math.Max(worst, e)
				// Measured: 7.6e-12 at most.
				if e > 1e-10 {
					t.Errorf("%s, Ωm = %g, z = %g: appended D/D0 = %.13g, f = %.13g; Evaluator %.13g, %.13g", run.name, p.om, z[i], run.d[i], run.f[i], res.DRatio[i], res.F[i])
				}
			}
			if e := math.Abs(run.d0/res.D0 - 1); e > 1e-10 {
				t.Errorf("%s, Ωm = %g: appended D0 = %.13g, Evaluator %.13g", run.name, p.om, run.d0, res.D0)
			}
		}
	}
	t.Logf("largest relative difference appended − standalone in D/D0 and f: %.2g", worst)
}
