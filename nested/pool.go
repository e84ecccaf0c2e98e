package nested

import (
	"sync"
	"sync/atomic"
	"time"
)

// pool runs the jobs of a batch on persistent goroutines. Jobs are handed
// out one at a time through an atomic counter, so that slice chains of
// uneven length balance; each job writes only its own slot, so the outcome
// does not depend on which goroutine ran it.
type pool struct {
	workers int // goroutines besides the caller
	job     func(int)
	n       int
	next    atomic.Int64
	wg      sync.WaitGroup
	start   []chan struct{}

	// auto: the first probeBatches batches run on the caller alone and are
	// timed; if a job takes so little that a batch of batch jobs would last
	// less than minParallelBatch, the pool stays serial.
	auto      bool
	batch     int
	serial    bool
	probed    int
	probeJobs int
	probeT    time.Duration
}

const (
	probeBatches     = 8
	minParallelBatch = 30 * time.Microsecond
)

// newPool starts workers−1 goroutines running job; with auto it decides by
// timing whether to use them for batches of the given size.
func newPool(workers int, auto bool, batch int, job func(int)) *pool {
	p := &pool{workers: max(workers-1, 0), job: job, auto: auto && workers > 1, batch: batch}
	p.start = make([]chan struct{}, p.workers)
	for w := range p.start {
		p.start[w] = make(chan struct{}, 1)
		go func(ch chan struct{}) {
			for range ch {
				p.work()
				p.wg.Done()
			}
		}(p.start[w])
	}
	return p
}

// run calls job(i) for i in [0, n) and returns when all have returned.
func (p *pool) run(n int) {
	alone := p.workers == 0 || n == 1 || p.serial || (p.auto && p.probed < probeBatches)
	if alone {
		var t0 time.Time
		probing := p.auto && p.probed < probeBatches
		if probing {
			t0 = time.Now()
		}
		for i := range n {
			p.job(i)
		}
		if probing {
			p.probeT += time.Since(t0)
			p.probeJobs += n
			if p.probed++; p.probed == probeBatches {
				p.serial = p.probeT*time.Duration(p.batch)/time.Duration(p.probeJobs) < minParallelBatch
			}
		}
		return
	}
	p.n = n
	p.next.Store(0)
	k := min(p.workers, n-1)
	p.wg.Add(k)
	for w := range k {
		p.start[w] <- struct{}{}
	}
	p.work()
	p.wg.Wait()
}

func (p *pool) work() {
	for {
		i := int(p.next.Add(1) - 1)
		if i >= p.n {
			return
		}
		p.job(i)
	}
}

// close stops the goroutines.
func (p *pool) close() {
	for _, ch := range p.start {
		close(ch)
	}
}
