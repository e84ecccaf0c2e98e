package fit

import (
	"fmt"
	"math"
	"testing"
)

// TestCompareBackends: speedups and shifts against the solver, and the
// agreement rule at its edges.
func TestCompareBackends(t *testing.T) {
	run := func(backend string, evals float64, mean, std []float64) *Result {
		return &Result{Model: "lcdm", Data: []string{"cc31"}, Backend: backend, Params: []string{"Om", "H0"},
			Mean: mean, Std: std, EvaluationsPerSecond: evals}
	}
	sol := run("solver", 1e5, []float64{0.3, 70}, []float64{0.02, 2})
	for _, tc := range []struct {
		mean, std []float64
		agree     bool
	}{
		{[]float64{0.3 + 0.04*0.02, 70 - 0.049*2}, []float64{0.02 * 1.049, 2 * 0.96}, true},
		{[]float64{0.3 + 0.051*0.02, 70}, []float64{0.02, 2}, false},
		{[]float64{0.3, 70}, []float64{0.02, 2 * 1.06}, false},
	} {
		emu := run("emulator", 1e6, tc.mean, tc.std)
		an := run("analytic", 4e6, []float64{0.3, 70}, []float64{0.02, 2})
		c, err := CompareBackends([]*Result{an, sol, emu})
		if err != nil {
			t.Fatal(err)
		}
		if c.Agree != tc.agree || c.SpeedupEmulatorVsSolver != 10 || c.SpeedupAnalyticVsSolver != 40 || c.AnalyticMaxMeanShiftSigma != 0 {
			t.Errorf("%+v: agree %v, speedups %g %g", tc, c.Agree, c.SpeedupEmulatorVsSolver, c.SpeedupAnalyticVsSolver)
		}
		if s := MeanShifts(emu, sol); math.Abs(math.Max(math.Abs(s[0]), math.Abs(s[1]))-c.MaxMeanShiftSigma) > 1e-12 {
			t.Errorf("mean shifts %v, max %g", s, c.MaxMeanShiftSigma)
		}
		if c.Run("emulator") != emu || c.Run("nope") != nil {
			t.Error("Run by backend")
		}
	}
	if _, err := CompareBackends([]*Result{run("analytic", 1, []float64{0.3, 70}, []float64{1, 1})}); err == nil {
		t.Error("no solver run accepted")
	}
}

// The emulator's posterior against the solver's: the rule by which it
// agrees, and the speedup.
func ExampleCompareBackends() {
	run := func(backend string, evalsPerS float64, mean, std []float64) *Result {
		return &Result{Model: "w0wacdm", Data: []string{"desi-dr2"}, Backend: backend, Params: []string{"w0", "wa"},
			Mean: mean, Std: std, EvaluationsPerSecond: evalsPerS}
	}
	c, err := CompareBackends([]*Result{
		run("solver", 4.5e4, []float64{-0.68, -1.03}, []float64{0.093, 0.32}),
		run("emulator", 4.6e5, []float64{-0.679, -1.035}, []float64{0.094, 0.318}),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("speedup %.1f×, largest mean shift %.3fσ, σ within %.1f%%: agree %v\n",
		c.SpeedupEmulatorVsSolver, c.MaxMeanShiftSigma, 100*c.MaxStdRelDiff, c.Agree)
	// Output:
	// speedup 10.2×, largest mean shift 0.016σ, σ within 1.1%: agree true
}

// TestCompareEarly: the emulated early universe against the exact one, and
// the runs it refuses to compare.
func TestCompareEarly(t *testing.T) {
	run := func(early string, evals float64, mean, std []float64) *Result {
		return &Result{Model: "w0wacdm", Data: []string{"desi-dr2", "cmb-compressed"}, Backend: "analytic", Early: early,
			Params: []string{"w0", "wa"}, Mean: mean, Std: std, EvaluationsPerSecond: evals}
	}
	ex := run("exact", 5e3, []float64{-0.7, -1}, []float64{0.1, 0.3})
	em := run("emulator", 1.5e5, []float64{-0.7 + 0.049*0.1, -1}, []float64{0.1, 0.3 * 1.049})
	em.EarlyFallbackFraction = 1e-4
	c, err := CompareEarly(ex, em)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Agree || c.SpeedupEmulatedVsExact != 30 || math.Abs(c.MaxMeanShiftSigma-0.049) > 1e-12 || c.FallbackFraction != 1e-4 || c.Backend != "analytic" {
		t.Errorf("%+v", c)
	}
	em.Mean[1] = -1 - 0.06*0.3
	if c, _ := CompareEarly(ex, em); c.Agree {
		t.Error("a 0.06σ shift agrees")
	}
	other := run("emulator", 1, ex.Mean, ex.Std)
	other.Backend = "solver"
	for name, pair := range map[string][2]*Result{
		"reversed":  {em, ex},
		"no early":  {run("", 1, ex.Mean, ex.Std), em},
		"backends":  {ex, other},
		"same kind": {ex, ex},
	} {
		if _, err := CompareEarly(pair[0], pair[1]); err == nil {
			t.Errorf("%s: compared", name)
		}
	}
}
