package mcmc

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/cosmoemu/cosmoemu/chains"
)

// BenchmarkGaussLogProb is the cost of the target alone, to subtract from
// the per-evaluation times below.
func BenchmarkGaussLogProb(b *testing.B) {
	x := []float64{0.3, -1}
	var s float64
	for b.Loop() {
		s += gaussLogProb(x)
	}
	_ = s
}

func startState(k, d int) *state {
	st := &state{pos: make([]float64, k*d), lnp: make([]float64, k)}
	rng := rand.New(rand.NewPCG(1, 1))
	for w := range k {
		x := st.pos[w*d : (w+1)*d]
		for i := range x {
			x[i] = gMean[i] + rng.NormFloat64()
		}
		st.lnp[w] = gaussLogProb(x)
	}
	return st
}

// BenchmarkEnsembleStep measures one stretch-move step of 32 walkers on a
// 2-D Gaussian; ns/eval is the time per walker update, target included.
func BenchmarkEnsembleStep(b *testing.B) {
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			const k, d = 32, 2
			e := &ensemble{k: k, d: d, half: k / 2, a: 2,
				z: make([]float64, k/2), logU: make([]float64, k/2),
				ev: newEvaluator(Target{LogProb: gaussLogProb}, k/2, d, workers, false)}
			defer e.ev.close()
			if err := e.init(startState(k, d), rand.NewPCG(1, 2)); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				e.step(0)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*k), "ns/eval")
		})
	}
}

// BenchmarkMHStep measures one step of 32 parallel MH chains after
// adaptation (frozen proposal).
func BenchmarkMHStep(b *testing.B) {
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			const k, d = 32, 2
			lower, _ := scaledCholesky(mat.NewSymDense(2, []float64{1, 0, 0, 1}), 2.38*2.38/d)
			m := &metropolis{k: k, d: d, scale: 2.38 * 2.38 / d, initLower: lower,
				logU: make([]float64, k), noise: make([]float64, d), mean: make([]float64, d),
				cov: mat.NewSymDense(d, nil), ev: newEvaluator(Target{LogProb: gaussLogProb}, k, d, workers, false)}
			defer m.ev.close()
			st := startState(k, d)
			st.chain = NewChain(k, d, 0)
			if err := m.init(st, rand.NewPCG(1, 2)); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				m.step(1)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*k), "ns/eval")
		})
	}
}

// BenchmarkWriteStep measures formatting one step of 32 walkers into their
// text chains (files in a temporary directory, truncated every 4096
// steps): every walker moving at every step, or half of them, as in an
// ensemble that accepts about half of its proposals.
func BenchmarkWriteStep(b *testing.B) {
	b.Run("all-move", func(b *testing.B) { benchWriteStep(b, 1) })
	b.Run("half-move", func(b *testing.B) { benchWriteStep(b, 2) })
}

// benchWriteStep moves walker i at step n when (i+n)%every == 0.
func benchWriteStep(b *testing.B, every int) {
	const k, d = 32, 2
	st := startState(k, d)
	r := &runner{t: Target{LogProb: gaussLogProb, LogPrior: priorPart}, spec: runSpec{walkers: k, groups: 4}, d: d, st: *st}
	out, err := chains.Open(filepath.Join(b.TempDir(), "w"), chains.Options{Kind: samplerEnsemble, Chains: k})
	if err != nil {
		b.Fatal(err)
	}
	defer out.Close()
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		if n%4096 == 0 {
			if r.text, err = out.CreateText(); err != nil {
				b.Fatal(err)
			}
		}
		n++
		for i := range k {
			if (i+n)%every == 0 {
				st.pos[i*d] += 1e-3
				st.lnp[i] -= 1e-3
			}
		}
		if err := r.writeRows(st.pos, st.lnp, nil); err != nil {
			b.Fatal(err)
		}
		if n%10 == 0 {
			if err := r.text.Flush(); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkRunEnsemble is a whole run of 2000 steps of 32 walkers with all
// output files (text chains flushed every 10 steps, checkpoints with the
// .npy files every 1000 steps, summary); allocations are per run.
func BenchmarkRunEnsemble(b *testing.B) {
	const steps, k = 2000, 32
	dir := b.TempDir()
	b.ReportAllocs()
	run := 0
	for b.Loop() {
		s := ensembleSettings(steps)
		run++ // a directory per run: a fresh run refuses an existing one
		sub := filepath.Join(dir, strconv.Itoa(run))
		if err := os.Mkdir(sub, 0o755); err != nil {
			b.Fatal(err)
		}
		s.Root = filepath.Join(sub, "bench")
		if _, err := RunEnsemble(context.Background(), Target{LogProb: gaussLogProb, LogPrior: priorPart}, s, rand.New(rand.NewPCG(1, 1))); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*steps*k), "ns/eval")
}
