package nested

import (
	"time"

	"github.com/cosmoemu/cosmoemu/internal/pool"
)

// jobs runs the jobs of a batch on the project's worker pool (package
// internal/pool hands tasks out one at a time, so that slice chains of
// uneven length balance); each job writes only its own slot, so the outcome
// does not depend on which goroutine ran it. With auto, pool.Auto decides
// by timing the first batches whether they are worth sharing.
type jobs struct {
	pool *pool.Pool // nil with one worker
	job  func(int)
	auto *pool.Auto // nil: always share
}

// newJobs prepares workers goroutines (the caller included) running job;
// with auto it decides by timing whether to use them for batches of the
// given size.
func newJobs(workers int, auto bool, batch int, job func(int)) *jobs {
	j := &jobs{job: job}
	if workers > 1 {
		j.pool = pool.New(workers, job)
		if auto {
			j.auto = pool.NewAuto(batch)
		}
	}
	return j
}

// run calls job(i) for i in [0, n) and returns when all have returned.
func (j *jobs) run(n int) {
	if j.pool != nil && n > 1 && (j.auto == nil || !j.auto.Serial()) {
		j.pool.Run(n)
		return
	}
	probing := j.auto != nil && j.auto.Probing()
	var t0 time.Time
	if probing {
		t0 = time.Now()
	}
	for i := range n {
		j.job(i)
	}
	if probing {
		j.auto.Record(time.Since(t0), n)
	}
}

// close stops the goroutines.
func (j *jobs) close() {
	if j.pool != nil {
		j.pool.Close()
	}
}
