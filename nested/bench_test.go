package nested

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// ballPoints returns n points uniform in the ball of radius 0.2 about the
// centre of the d-cube, the live points of an isotropic Gaussian
// posterior, and the ln volume of the ball.
func ballPoints(n, d int) ([]float64, float64) {
	rng := rand.New(rand.NewPCG(3, 4))
	x := make([]float64, n*d)
	e := ellipsoid{c: make([]float64, d), t: make([]float64, d*d)}
	for i := range d {
		e.c[i] = 0.5
		e.t[i*d+i] = 0.2
	}
	z := make([]float64, d)
	for i := range n {
		e.sample(x[i*d:(i+1)*d], z, rng)
	}
	return x, logUnitBall(d) + float64(d)*math.Log(0.2)
}

// BenchmarkRebuild measures one rebuild of the bounding ellipsoids of 500
// live points of a Gaussian (one ellipsoid after a rejected split).
func BenchmarkRebuild(b *testing.B) {
	for _, d := range []int{2, 5, 10} {
		b.Run(fmt.Sprintf("d=%d", d), func(b *testing.B) {
			const n = 500
			live, logX := ballPoints(n, d)
			bld := newBuilder(n, d, 1.25)
			var bd bound
			b.ReportAllocs()
			for b.Loop() {
				bld.build(&bd, live, n, logX)
			}
			b.ReportMetric(float64(len(bd.ells)), "ellipsoids")
		})
	}
}

// benchSampler returns a sampler of the target run to about the middle of
// its compression, its bound built.
func benchSampler(b *testing.B, tg target, s Settings) *sampler {
	b.Helper()
	cfg, err := (&s).normalize(tg.prob.Dim)
	if err != nil {
		b.Fatal(err)
	}
	sm := newSampler(tg.prob, cfg)
	b.Cleanup(sm.pool.close)
	sm.master = *rand.NewPCG(1, 2)
	if err := sm.initLive(context.Background()); err != nil {
		b.Fatal(err)
	}
	for len(sm.deadL) < 5*sm.n {
		if !sm.built || len(sm.deadL)-sm.lastUpdate >= sm.s.UpdateEvery {
			sm.rebuild()
		}
		if err := sm.uniformBatch(); err != nil {
			b.Fatal(err)
		}
	}
	sm.rebuild()
	return sm
}

// BenchmarkProposals measures the hot loop of uniform sampling: drawing a
// batch of 16 proposals from the bounding ellipsoids and evaluating them
// (a 2-D banana, a few ellipsoids; the likelihood costs ~20 ns). ns/proposal
// is the sampler's own cost per likelihood call; it must not allocate.
func BenchmarkProposals(b *testing.B) {
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			sm := benchSampler(b, banana(2, 500), Settings{Live: 500, Workers: workers})
			nb, d := sm.s.Batch, sm.d
			b.ReportAllocs()
			for b.Loop() {
				for j := range nb {
					sm.bound.sample(sm.slotU[j*d:(j+1)*d], sm.z, sm.y, sm.mrng)
				}
				if err := sm.runBatch(batchEval, nb); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*nb), "ns/proposal")
			b.ReportMetric(float64(len(sm.bound.ells)), "ellipsoids")
		})
	}
}

// BenchmarkSliceChains measures a batch of 16 slice chains (5-D Gaussian,
// Repeats = 25); ns/call is the cost per likelihood call, which must not
// allocate.
func BenchmarkSliceChains(b *testing.B) {
	sm := benchSampler(b, correlatedGaussian(5, 200), Settings{Live: 200, Workers: 1})
	sm.lstar = sm.liveL[sm.worst]
	b.ReportAllocs()
	var calls int64
	for b.Loop() {
		for j := range sm.s.Batch {
			sm.jobs[j].pcg.Seed(sm.mrng.Uint64(), sm.mrng.Uint64())
		}
		if err := sm.runBatch(batchSlice, sm.s.Batch); err != nil {
			b.Fatal(err)
		}
		for _, c := range sm.slotCalls[:sm.s.Batch] {
			calls += c
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(calls), "ns/call")
}

// BenchmarkRun runs each test target once per iteration (Live = 500,
// Workers = 1, seeds 1, 2, …): calls/op is the likelihood calls of a run,
// overhead-µs/call the sampler's time per call beyond the likelihood's
// (timed separately on the run's own samples), rms-z the rms of
// (ln Z − truth)/LogZErr over the runs.
func BenchmarkRun(b *testing.B) {
	targets := []target{
		correlatedGaussian(2, 500), correlatedGaussian(5, 500), correlatedGaussian(10, 500),
		edgeGaussian(500), shells(500), mixture(3, 500), banana(2, 500), banana(5, 500),
	}
	for _, tg := range targets {
		b.Run(tg.name, func(b *testing.B) {
			var calls int64
			var res *Result
			seed := uint64(0)
			z2 := 0.0
			for b.Loop() {
				seed++
				var err error
				res, err = Run(context.Background(), tg.prob, &Settings{Live: tg.live, Workers: 1}, rand.New(rand.NewPCG(seed, 1)))
				if err != nil {
					b.Fatal(err)
				}
				calls += res.Calls
				z := (res.LogZ - tg.logZ) / res.LogZErr
				z2 += z * z
			}
			// Time the likelihood alone on the samples.
			rows, _ := res.Samples.Dims()
			t0 := time.Now()
			sink := 0.0
			for i := range rows {
				sink += tg.prob.LogLike(res.Samples.RawRowView(i))
			}
			perCall := time.Since(t0).Seconds() / float64(rows)
			_ = sink
			perRun := b.Elapsed().Seconds() / float64(b.N)
			b.ReportMetric(float64(calls)/float64(b.N), "calls/op")
			b.ReportMetric(1e6*(perRun*float64(b.N)/float64(calls)-perCall), "overhead-µs/call")
			b.ReportMetric(math.Sqrt(z2/float64(b.N)), "rms-z")
		})
	}
}

// BenchmarkParallel runs gauss2d (Live = 200) with a likelihood made to
// cost about 20 µs (a busy loop), on 1 and 2 workers: the speedup of the
// parallel batches on a slow likelihood. The results are identical.
func BenchmarkParallel(b *testing.B) {
	tg := correlatedGaussian(2, 200)
	slow := func(th []float64) float64 {
		s := 0.0
		for i := range 20000 {
			s += math.Sqrt(float64(i))
		}
		return tg.prob.LogLike(th) + 0*s
	}
	p := Problem{Dim: 2, Transform: tg.prob.Transform, LogLike: slow}
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			var calls int64
			for b.Loop() {
				res, err := Run(context.Background(), p, &Settings{Live: 200, Workers: workers}, rand.New(rand.NewPCG(1, 1)))
				if err != nil {
					b.Fatal(err)
				}
				calls += res.Calls
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(calls), "µs/call")
		})
	}
}
