package fit

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/cosmoemu/cosmoemu/cosmo"
	"github.com/cosmoemu/cosmoemu/mcmc"
)

// cc31Problem is the sample command's problem: flat ΛCDM on cc31 with the
// paper's priors.
func cc31Problem(tb testing.TB) *Problem {
	tb.Helper()
	p, err := Build(&Config{Model: cosmo.LCDM, Data: []string{"cc31"}, Backend: "analytic",
		Priors: map[string]string{"Om": "0.1:0.5", "H0": "50:90"}})
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// halfEnsemble returns 16 points of the cc31 posterior, one outside the
// prior.
func halfEnsemble() *mat.Dense {
	xs := mat.NewDense(16, 2, nil)
	for i := range 16 {
		xs.SetRow(i, []float64{0.25 + 0.005*float64(i), 66 + 0.3*float64(i)})
	}
	xs.Set(7, 0, 0.05) // outside the prior
	return xs
}

// TestSamplerTarget: the batch form of the target gives, row by row, the
// posterior's ln P and the derived χ² = 2(ln π − ln P) of its Derived form.
func TestSamplerTarget(t *testing.T) {
	p := cc31Problem(t)
	tgt, names, _ := samplerTarget(p.Posterior)
	if len(names) == 0 || names[0] != chi2Name {
		t.Fatalf("derived names %v, want chi2 first", names)
	}
	xs := halfEnsemble()
	dst := make([]float64, 16)
	der := mat.NewDense(16, len(names), nil)
	tgt.BatchDerived(dst, xs, der)
	row := make([]float64, len(names))
	for i := range 16 {
		x := xs.RawRowView(i)
		lp := tgt.Derived(x, row)
		if lp != dst[i] || lp != p.Posterior.LogProb(x) {
			t.Errorf("row %d: ln P %g (batch) %g (row) %g (posterior)", i, dst[i], lp, p.Posterior.LogProb(x))
		}
		if math.IsInf(lp, -1) {
			continue
		}
		chi2, _, err := p.Posterior.Chi2(x)
		if err != nil {
			t.Fatal(err)
		}
		if d := der.At(i, 0); math.Abs(d-chi2) > 1e-9*chi2 || d != row[0] {
			t.Errorf("row %d: χ² %g (batch) %g (row) %g (posterior)", i, d, row[0], chi2)
		}
	}
}

// BenchmarkSamplerTarget times a half-ensemble of 16 cc31 proposals: ln P
// alone in a batch, the batch with the derived χ², and row by row with it.
func BenchmarkSamplerTarget(b *testing.B) {
	p := cc31Problem(b)
	tgt, names, _ := samplerTarget(p.Posterior)
	xs := halfEnsemble()
	dst := make([]float64, 16)
	der := mat.NewDense(16, len(names), nil)
	b.Run("batch", func(b *testing.B) {
		for b.Loop() {
			p.Posterior.LogProbBatch(dst, xs)
		}
	})
	b.Run("batch-derived", func(b *testing.B) {
		for b.Loop() {
			tgt.BatchDerived(dst, xs, der)
		}
	})
	b.Run("rows-derived", func(b *testing.B) {
		for b.Loop() {
			for i := range 16 {
				dst[i] = tgt.Derived(xs.RawRowView(i), der.RawRowView(i))
			}
		}
	})
}

// BenchmarkCC31Sample runs the sample command's job (flat ΛCDM on cc31,
// the ensemble sampler, 32 walkers × 20,000 steps) without outputs.
func BenchmarkCC31Sample(b *testing.B) {
	for b.Loop() {
		p := cc31Problem(b)
		p.Config.Sampler.Steps = 20000
		r, err := p.Run(context.Background(), nil)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(r.EvaluationsPerSecond/1e6, "M-evals/s")
	}
}

// BenchmarkCC31Targets runs the ensemble sampler on the cc31 posterior
// (32 walkers × 20,000 steps, one goroutine) with ln P alone in batches, with the derived
// χ² in batches, and with the derived χ² row by row.
func BenchmarkCC31Targets(b *testing.B) {
	p := cc31Problem(b)
	post := p.Posterior
	withDerived, names, _ := samplerTarget(post)
	rows := withDerived
	rows.BatchDerived = nil
	for _, tc := range []struct {
		name    string
		t       mcmc.Target
		derived []string
	}{
		{"batch", mcmc.Target{LogProb: post.LogProb, Batch: post.LogProbBatch, LogPrior: post.LogPrior}, nil},
		{"batch-derived", withDerived, names},
		{"rows-derived", rows, names},
	} {
		b.Run(tc.name, func(b *testing.B) {
			var sampling time.Duration
			for b.Loop() {
				var first, last time.Time
				_, err := mcmc.RunEnsemble(context.Background(), tc.t, &mcmc.EnsembleSettings{
					Settings: mcmc.Settings{Steps: 20000, Start: []float64{0.3, 68}, Derived: tc.derived, Workers: 1,
						Progress: func(pr mcmc.Progress) {
							if pr.Step == 1 {
								first = time.Now()
							}
							last = time.Now()
						}},
					Walkers: 32,
				}, rand.New(rand.NewPCG(1, 2)))
				if err != nil {
					b.Fatal(err)
				}
				sampling += last.Sub(first)
			}
			// Evaluations per second over the sampling, as fit reports them.
			b.ReportMetric(float64(b.N)*19999*32/sampling.Seconds()/1e6, "M-evals/s")
		})
	}
}
