package solver_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/cosmoemu/cosmoemu/friedmann"
	"github.com/cosmoemu/cosmoemu/solver"
)

// The Ω system of a flat universe against its closed form (paper Eq. 16),
// over Ω_m0 ∈ [0.1, 0.5] and other fluids, at 1,201 output times in
// N ∈ [−12, 0]: the solver at rtol 1e-10 must give H to 1e-8 relative and
// the Ω_i to 1e-9 absolute. The quintic interpolant meets that everywhere;
// the default order-4 interpolant meets it at the step ends, and between
// them is allowed the several-fold larger error of its lower order.
func TestFriedmannAgainstClosedForm(t *testing.T) {
	type model struct {
		name   string
		h0     float64
		fluids []friedmann.Fluid
	}
	var models []model
	for _, om0 := range []float64{0.1, 0.15, 0.2, 0.25, 0.28, 0.3, 0.35, 0.39, 0.45, 0.5} {
		models = append(models, model{fmt.Sprintf("LCDM Om0=%g", om0), 70, lcdmFluids(om0)})
	}
	models = append(models, model{"curvature and w-fluid", 67, []friedmann.Fluid{
		{Name: "radiation", Gamma: friedmann.GammaRadiation, Omega0: 1e-4},
		{Name: "matter", Gamma: 1, Omega0: 0.28},
		{Name: "curvature", Gamma: friedmann.GammaCurvature, Omega0: 0.05},
		{Name: "w=-0.9", Gamma: 0.1, Omega0: 1 - 1e-4 - 0.28 - 0.05},
	}})
	ts := linspace(0, -12, 1201)
	for _, interp := range []struct {
		name     string
		dense    solver.Interpolant
		tolOmega float64
	}{
		{"Order5", solver.Order5, 1e-9},
		{"Order4", solver.Order4, 2.5e-9},
	} {
		worstH, worstOmega := 0.0, 0.0
		for _, mc := range models {
			m, err := friedmann.New(mc.h0, mc.fluids...)
			if err != nil {
				t.Fatal(err)
			}
			d := m.Dim()
			sv := mustNew(t, d, &solver.Settings{RTol: 1e-10, ATol: 1e-12, Dense: interp.dense})
			dst := make([]float64, len(ts)*d)
			if _, err := sv.Solve(dst, m.Derivs, 0, m.InitialState(nil), ts); err != nil {
				t.Fatal(err)
			}
			omegas := make([]float64, m.NumFluids())
			for j, n := range ts {
				row := dst[j*d : (j+1)*d]
				worstH = math.Max(worstH, math.Abs(math.Exp(row[d-1])/m.H(n)-1))
				sum := 0.0
				for i, om := range m.Omegas(omegas, n) {
					worstOmega = math.Max(worstOmega, math.Abs(row[i]-om))
					sum += row[i]
				}
				if math.Abs(sum-1) > 1e-9 {
					t.Fatalf("%s, %s, N = %g: flatness drifts, ΣΩ − 1 = %.3g", interp.name, mc.name, n, sum-1)
				}
			}
			// At the end of the integration, a step end, the order-4
			// interpolant plays no part.
			end := dst[(len(ts)-1)*d:]
			for i, om := range m.Omegas(omegas, -12) {
				if e := math.Abs(end[i] - om); e > 1e-9 {
					t.Errorf("%s, %s: Ω_%d(−12) off by %.3g > 1e-9", interp.name, mc.name, i, e)
				}
			}
		}
		t.Logf("%s: max rel err H %.2e, max abs err Ω %.2e", interp.name, worstH, worstOmega)
		if worstH > 1e-8 {
			t.Errorf("%s: max relative error of H = %.3g > 1e-8", interp.name, worstH)
		}
		if worstOmega > interp.tolOmega {
			t.Errorf("%s: max absolute error of Ω_i = %.3g > %g", interp.name, worstOmega, interp.tolOmega)
		}
	}
}

func lcdmFluids(om0 float64) []friedmann.Fluid {
	m, err := friedmann.LCDM(om0, 70)
	if err != nil {
		panic(err)
	}
	return m.Fluids()
}

// BenchmarkFriedmann is one ΛCDM solve from N = 0 back to N = −12 at
// rtol 1e-8 with 50 dense outputs, the unit of work of the training grid,
// with each interpolant.
func BenchmarkFriedmann(b *testing.B) {
	for _, bc := range []struct {
		name  string
		dense solver.Interpolant
	}{{"Order4", solver.Order4}, {"Order5", solver.Order5}} {
		b.Run(bc.name, func(b *testing.B) {
			m, err := friedmann.LCDM(0.3, 70)
			if err != nil {
				b.Fatal(err)
			}
			d := m.Dim()
			sv := mustNew(b, d, &solver.Settings{RTol: 1e-8, Dense: bc.dense})
			ts := linspace(0, -12, 50)
			dst := make([]float64, len(ts)*d)
			y0 := m.InitialState(nil)
			var st solver.Stats
			b.ReportAllocs()
			for b.Loop() {
				st, err = sv.Solve(dst, m.Derivs, 0, y0, ts)
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(st.Accepted), "steps")
			b.ReportMetric(float64(st.Rejected), "rejected")
			b.ReportMetric(float64(st.Evaluations), "evals")
		})
	}
}
