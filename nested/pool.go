package nested

import (
	"time"

	"github.com/cosmoemu/cosmoemu/internal/pool"
)

// jobs runs the jobs of a batch on the project's worker pool (package
// internal/pool hands tasks out one at a time, so that slice chains of
// uneven length balance); each job writes only its own slot, so the outcome
// does not depend on which goroutine ran it.
type jobs struct {
	pool *pool.Pool // nil with one worker
	job  func(int)

	// auto: the first probeBatches batches run on the caller alone and are
	// timed; if a job takes so little that a batch of batch jobs would last
	// less than minParallelBatch, the batches stay serial.
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

// newJobs prepares workers goroutines (the caller included) running job;
// with auto it decides by timing whether to use them for batches of the
// given size.
func newJobs(workers int, auto bool, batch int, job func(int)) *jobs {
	j := &jobs{job: job, auto: auto && workers > 1, batch: batch}
	if workers > 1 {
		j.pool = pool.New(workers, job)
	}
	return j
}

// run calls job(i) for i in [0, n) and returns when all have returned.
func (j *jobs) run(n int) {
	probing := j.auto && j.probed < probeBatches
	if j.pool == nil || n == 1 || j.serial || probing {
		var t0 time.Time
		if probing {
			t0 = time.Now()
		}
		for i := range n {
			j.job(i)
		}
		if probing {
			j.probeT += time.Since(t0)
			j.probeJobs += n
			if j.probed++; j.probed == probeBatches {
				j.serial = j.probeT*time.Duration(j.batch)/time.Duration(j.probeJobs) < minParallelBatch
			}
		}
		return
	}
	j.pool.Run(n)
}

// close stops the goroutines.
func (j *jobs) close() {
	if j.pool != nil {
		j.pool.Close()
	}
}
