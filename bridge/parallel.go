package bridge

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"sync"
)

// rows runs work over the rows [0, n) in contiguous chunks, one per
// goroutine up to GOMAXPROCS (the threads the caller gave the runtime),
// and on the caller alone when n < minParallel. A panic in a chunk is
// recovered and returned as an error with its stack, so that a foreign
// caller gets a message instead of a crash of its process.
func rows(n, minParallel int, work func(lo, hi int) error) error {
	workers := min(runtime.GOMAXPROCS(0), n)
	if n < minParallel || workers <= 1 {
		return guard(func() error { return work(0, n) })
	}
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := w*n/workers, (w+1)*n/workers
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[w] = guard(func() error { return work(lo, hi) })
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// guard calls f, turning a panic into an error. A panic with an error
// value is wrapped, so that errors.As finds it: a *pool.PanicError, for
// one, raised on the caller by a worker pool (package internal/pool) after
// a task panicked on one of its goroutines, carries that goroutine's stack.
func guard(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			const msg = "internal error (a bug in cosmoemu, please report it): "
			if e, ok := r.(error); ok {
				err = fmt.Errorf(msg+"%w\n%s", e, debug.Stack())
			} else {
				err = fmt.Errorf(msg+"%v\n%s", r, debug.Stack())
			}
		}
	}()
	return f()
}

// Guard calls f and turns a panic into an error: every entry point of the
// C ABI runs under it.
func Guard(f func() error) error { return guard(f) }
