// Package pool runs rounds of numbered tasks on a fixed set of goroutines,
// for callers whose rounds last microseconds: a training step of a small
// network, a step of an MCMC ensemble.
//
// Handing a round to a parked goroutine costs tens of microseconds (a futex
// wake-up, and an idle core wakes slowly), as much as the round itself. So
// helpers poll for the next round, first without yielding (busySpins polls,
// a few microseconds), then yielding the processor at each poll, and park
// only after spinIdle without work; the caller polls too while it waits for
// the last tasks. Between the rounds of a busy caller nobody sleeps.
//
// Tasks are claimed one at a time with a compare-and-swap on a word that
// holds the round's generation, its number of tasks and the next task, so a
// helper that wakes late cannot take a task of a newer round for one of an
// older one. The caller waits for tasks, never for a helper that has nothing
// to do. Which goroutine runs a task must not change its result: give each
// task its own output.
//
// A panic in a task never crashes the process from a helper: the helper
// recovers it (one deferred call per helper goroutine, none per task),
// counts the task as finished and starts a new helper in its place, and
// Wait raises the round's first such panic on the caller as a *PanicError
// (its value and the helper's stack), after the round's other tasks have
// finished. The caller sees it as it would a panic in one of its own tasks,
// and an entry point that recovers panics into errors (bridge.Guard)
// returns it as an error. A panic in a task the caller runs itself goes on
// unchanged once the helpers have finished the tasks they had started (the
// tasks nobody had started do not run), so that the pool can be used again
// after it is recovered.
package pool

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"sync/atomic"
	"time"
)

const (
	// busySpins polls (about a nanosecond each) come before the first
	// yield: the next round usually comes within microseconds, and a yield
	// costs more than the wait it is meant to cover.
	busySpins = 4000
	// spinIdle is how long a helper polls before it parks.
	spinIdle = 200 * time.Microsecond
	// MaxTasks is the largest number of tasks in a round.
	MaxTasks = 1<<16 - 1
)

// A Pool runs rounds of tasks on its helpers and on the calling goroutine.
// Its methods must be called from one goroutine, the caller.
//
// The fields are laid out so that what the caller writes at every round
// shares no cache line with what the helpers read.
type Pool struct {
	task    func(i int) // read by the helpers
	helpers []*helper
	quit    atomic.Bool
	failure atomic.Pointer[PanicError] // the round's first panic on a helper

	_   [64]byte
	gen uint64 // the round counter, owned by the caller
	n   int    // tasks of the current round, owned by the caller

	_     [64]byte
	state atomic.Uint64 // generation<<32 | tasks<<16 | next task
	_     [56]byte
	done  atomic.Int64 // tasks finished in the current round
	_     [56]byte
}

type helper struct {
	parked atomic.Bool   // set by the helper before it sleeps, cleared by its waker
	wake   chan struct{} // the waker's token
}

// New returns a pool of workers goroutines counting the caller (so
// workers − 1 helpers are started; fewer than 1 means 1) that run task(i)
// for the tasks i of each round. Close stops the helpers.
func New(workers int, task func(i int)) *Pool {
	p := &Pool{task: task}
	for i := 1; i < workers; i++ {
		h := &helper{wake: make(chan struct{}, 1)}
		p.helpers = append(p.helpers, h)
		go p.help(h)
	}
	return p
}

// A PanicError is a panic in a task, recovered on the goroutine that ran
// it: the value passed to panic and that goroutine's stack at the panic.
type PanicError struct {
	Value any
	Stack []byte
}

// Recovered returns the PanicError of r, a value returned by recover, with
// the stack of the calling goroutine: call it in the deferred function
// that recovered, so that the stack is the panic's.
func Recovered(r any) *PanicError {
	return &PanicError{Value: r, Stack: debug.Stack()}
}

func (e *PanicError) Error() string {
	return fmt.Sprintf("panic in worker goroutine: %v\n%s", e.Value, e.Stack)
}

// Unwrap returns the panic's value if it is an error (a runtime error, for
// instance), so that errors.As finds it.
func (e *PanicError) Unwrap() error {
	err, _ := e.Value.(error)
	return err
}

// Workers returns the number of goroutines that run tasks, the caller
// included.
func (p *Pool) Workers() int { return len(p.helpers) + 1 }

func pack(gen uint64, n, next int) uint64 { return gen<<32 | uint64(n)<<16 | uint64(next) }

// Start announces a round of tasks 0, …, n−1 to the helpers and returns at
// once, so that the caller can prepare its own share of the work before
// Wait. The previous round must have been waited for. It panics if n is
// negative or larger than MaxTasks.
func (p *Pool) Start(n int) { p.start(n, n) }

func (p *Pool) start(n, wake int) {
	if n < 0 || n > MaxTasks {
		panic("pool: task count out of range")
	}
	p.gen = (p.gen + 1) & (1<<32 - 1)
	p.n = n
	p.done.Store(0)
	p.state.Store(pack(p.gen, n, 0))
	// A helper parks after setting parked and then looking at state once
	// more; state was stored above, before parked is read here: either it
	// sees the new round or this sees it parked and wakes it.
	for _, h := range p.helpers {
		if wake <= 0 {
			break
		}
		// Load first: a compare-and-swap would take the cache line from
		// a helper that is polling, not parked.
		if h.parked.Load() && h.parked.CompareAndSwap(true, false) {
			h.wake <- struct{}{}
			wake--
		}
	}
}

// Wait runs the tasks of the current round that no helper has claimed yet
// and returns when all of them have finished. If a task panicked on a
// helper, Wait then panics with the round's first such panic, a
// *PanicError; a panic in a task Wait runs itself goes on once the
// helpers have finished the tasks they had started.
func (p *Pool) Wait() {
	finished := false
	defer func() {
		if !finished {
			p.settle()
		}
	}()
	p.drain(p.gen)
	p.await(int64(p.n))
	finished = true
	if p.failure.Load() != nil {
		panic(p.failure.Swap(nil))
	}
}

// await polls until want tasks of the round have finished.
func (p *Pool) await(want int64) {
	for spins := 0; p.done.Load() < want; spins++ {
		if spins >= busySpins {
			runtime.Gosched()
		}
	}
}

// settle runs while a task of the caller's panics out of Wait: the round is
// abandoned. It claims the tasks nobody has started, so that they never
// run, and waits for the helpers' tasks in progress, so that none of them
// is still running (or counted in the next round) when the caller
// recovers. The panic on the caller is the one reported; a helper's of the
// same round is dropped.
func (p *Pool) settle() {
	for {
		s := p.state.Load()
		n, next := int(s>>16&MaxTasks), int(s&MaxTasks)
		if s>>32 != p.gen || next >= n {
			break
		}
		if p.state.CompareAndSwap(s, pack(p.gen, n, n)) {
			p.done.Add(int64(n - next))
			break
		}
	}
	p.await(int64(p.n) - 1) // all but the caller's task that panicked
	p.failure.Store(nil)
}

// Run runs tasks 0, …, n−1 and returns when all have finished: Start and
// Wait, with one helper fewer woken since the caller takes a task at once.
func (p *Pool) Run(n int) {
	p.start(n, n-1)
	p.Wait()
}

// Close stops the helpers. The pool must not be used afterwards.
func (p *Pool) Close() {
	p.quit.Store(true)
	for _, h := range p.helpers {
		if h.parked.CompareAndSwap(true, false) {
			h.wake <- struct{}{}
		}
	}
}

// drain runs tasks of round gen until none is left.
func (p *Pool) drain(gen uint64) {
	for {
		s := p.state.Load()
		n, next := int(s>>16&MaxTasks), int(s&MaxTasks)
		if s>>32 != gen || next >= n {
			return
		}
		if !p.state.CompareAndSwap(s, s+1) {
			continue
		}
		p.task(next)
		p.done.Add(1)
	}
}

// help is a helper's loop: wait for a round newer than the last one seen,
// take its tasks, repeat.
func (p *Pool) help(h *helper) {
	defer p.rescue(h)
	var seen uint64 // the generation of the last round drained
	for {
		idle := time.Now()
		for spins := 0; ; spins++ {
			if g := p.state.Load() >> 32; g != seen {
				seen = g
				break
			}
			if p.quit.Load() {
				return
			}
			if spins < busySpins {
				continue
			}
			if spins%64 != 0 || time.Since(idle) < spinIdle {
				runtime.Gosched()
				continue
			}
			// Park: announce it, then look again (see start). If a waker
			// cleared parked, its token is in the channel or on its way:
			// take it, so that none is left over for the next park.
			h.parked.Store(true)
			if p.state.Load()>>32 == seen && !p.quit.Load() {
				<-h.wake
			} else if !h.parked.CompareAndSwap(true, false) {
				<-h.wake
			}
			idle = time.Now()
		}
		p.drain(seen)
	}
}

// rescue ends a helper goroutine: after a panic in a task it records the
// panic for Wait (the round's first), counts the task as finished, and
// starts a new goroutine for the helper. The new one has seen no round, so
// it takes what is left of the current round too.
func (p *Pool) rescue(h *helper) {
	r := recover()
	if r == nil {
		return
	}
	p.failure.CompareAndSwap(nil, Recovered(r))
	p.done.Add(1)
	go p.help(h)
}
