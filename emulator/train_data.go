package emulator

import (
	"context"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distmv"
	"gonum.org/v1/gonum/stat/samplemv"
)

// halton returns n points of the Owen-scrambled Halton sequence in the
// unit cube of dimension d (gonum's samplemv.Halton), scrambled by seed:
// a space-filling design whose prefixes are space-filling too, so that
// rejecting points outside a domain keeps the rest well spread.
func halton(n, d int, seed uint64) *mat.Dense {
	b := mat.NewDense(n, d, nil)
	samplemv.Halton{Kind: samplemv.Owen, Q: distmv.NewUnitUniform(d, nil), Src: rand.NewPCG(seed, 0x68616c74)}.Sample(b)
	return b
}

// parallel calls fn(worker, i) for i = 0 … n−1 on the given number of
// goroutines (0: GOMAXPROCS), each index once. fn must write only to its
// own index's results, so that they do not depend on the number of
// workers. It stops early, returning ctx's error, when ctx is cancelled,
// and returns the error of the lowest failing index otherwise.
func parallel(ctx context.Context, n, workers int, fn func(worker, i int) error, progress func(done int)) error {
	workers = workersOf(workers, n)
	errs := make([]error, n)
	var next, done atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				errs[i] = fn(w, i)
				d := done.Add(1)
				if progress != nil && w == 0 {
					progress(int(d))
				}
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// workersOf returns the number of goroutines for n items: workers, or
// GOMAXPROCS if 0, at most n and at least 1.
func workersOf(workers, n int) int {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	return max(1, min(workers, n))
}
