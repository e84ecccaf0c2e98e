package pool

import (
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// Every task of every round runs exactly once, whether the helpers are
// polling (rounds back to back) or parked (rounds spinIdle apart), for
// rounds of fewer, as many and more tasks than goroutines.
func TestEveryTaskOnce(t *testing.T) {
	for _, workers := range []int{0, 1, 2, 3, 8} {
		var counts [40]atomic.Int32
		p := New(workers, func(i int) { counts[i].Add(1) })
		if got, want := p.Workers(), max(workers, 1); got != want {
			t.Errorf("New(%d).Workers() = %d, want %d", workers, got, want)
		}
		rounds := 0
		for r := range 300 {
			n := r % len(counts)
			if r%100 == 99 {
				time.Sleep(2 * spinIdle) // let the helpers park
			}
			if r%2 == 0 {
				p.Run(n)
			} else {
				p.Start(n)
				p.Wait()
			}
			for i := range counts {
				want := int32(0)
				if i < n {
					want = 1
				}
				if got := counts[i].Swap(0); got != want {
					t.Fatalf("workers %d, round %d of %d tasks: task %d ran %d times", workers, r, n, i, got)
				}
			}
			rounds++
		}
		p.Close()
	}
}

// Between Start and Wait the helpers work while the caller does something
// else: with one helper and two slow tasks, the helper must have finished
// one before Wait when the caller is busy long enough.
func TestStartRunsWhileCallerWorks(t *testing.T) {
	var ran [2]atomic.Bool
	p := New(2, func(i int) { ran[i].Store(true) })
	defer p.Close()
	p.Run(2) // the helper is polling from here on
	ran[0].Store(false)
	ran[1].Store(false)
	p.Start(2)
	deadline := time.Now().Add(10 * time.Second)
	for !ran[0].Load() && !ran[1].Load() {
		if time.Now().After(deadline) {
			t.Fatal("no helper took a task within 10 s of Start")
		}
	}
	p.Wait()
	if !ran[0].Load() || !ran[1].Load() {
		t.Fatal("Wait returned before both tasks ran")
	}
}

// Close stops parked and polling helpers alike, and a pool can be closed
// without ever running a round.
func TestClose(t *testing.T) {
	New(4, func(int) {}).Close()
	p := New(3, func(int) {})
	p.Run(3)
	time.Sleep(2 * spinIdle)
	p.Close()
}

func TestStartPanicsOnBadCount(t *testing.T) {
	p := New(2, func(int) {})
	defer p.Close()
	for _, n := range []int{-1, MaxTasks + 1} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Start(%d) did not panic", n)
				}
			}()
			p.Start(n)
		}()
	}
}

// catch runs f and returns what it panicked with, nil if it did not.
func catch(f func()) (r any) {
	defer func() { r = recover() }()
	f()
	return nil
}

// A panic in a task on a helper goroutine does not crash the process: Wait
// raises it on the caller as a *PanicError with its value and the helper's
// stack, once the round's other tasks have run, and the pool still works
// afterwards, a new helper in place of the one that panicked.
func TestPanicInHelper(t *testing.T) {
	var armed, tookIt atomic.Bool
	var counts [8]atomic.Int32
	p := New(2, func(i int) {
		counts[i].Add(1)
		if armed.Load() && i == 0 {
			tookIt.Store(true)
			injectedPanic()
		}
	})
	defer p.Close()
	armed.Store(true)
	p.Start(1) // the caller takes no task before Wait: the helper runs task 0
	deadline := time.Now().Add(10 * time.Second)
	for !tookIt.Load() {
		if time.Now().After(deadline) {
			t.Fatal("the helper took no task within 10 s of Start")
		}
	}
	r := catch(p.Wait)
	err, ok := r.(error)
	var pe *PanicError
	if !ok || !errors.As(err, &pe) {
		t.Fatalf("Wait after a panic on a helper: recovered %v (%T), want a *PanicError", r, r)
	}
	if pe.Value != "injected" {
		t.Errorf("PanicError.Value = %v, want the value passed to panic", pe.Value)
	}
	msg := err.Error()
	for _, want := range []string{"panic in worker goroutine: injected", "injectedPanic", "pool.(*Pool).help"} {
		if !strings.Contains(msg, want) {
			t.Errorf("the error does not name %q (the value and the helper's stack):\n%s", want, msg)
		}
	}

	// A panic in task 0 of a larger round, wherever it runs, is raised
	// once; the next rounds report nothing and run every task once.
	for i := range counts {
		counts[i].Store(0)
	}
	if r := catch(func() { p.Run(len(counts)) }); r == nil {
		t.Error("Run: no panic although task 0 panicked")
	}
	armed.Store(false)
	for i := range counts {
		counts[i].Store(0)
	}
	for range 100 {
		if r := catch(func() { p.Run(len(counts)) }); r != nil {
			t.Fatalf("Run after the panic was reported: %v", r)
		}
	}
	for i := range counts {
		if got := counts[i].Load(); got != 100 {
			t.Errorf("task %d ran %d times in 100 rounds after the panic", i, got)
		}
	}
}

//go:noinline
func injectedPanic() { panic("injected") }

// A panic in a task the caller runs goes on unchanged, after the helpers'
// tasks in progress; the tasks not started are dropped, and the next round
// runs every task once (nothing of the abandoned round is counted in it).
func TestPanicInCaller(t *testing.T) {
	for _, workers := range []int{1, 2, 4} {
		var counts [16]atomic.Int32
		var armed atomic.Bool
		p := New(workers, func(i int) {
			counts[i].Add(1)
			if armed.Load() && i%5 == 0 {
				panic(fmt.Sprint("task ", i))
			}
		})
		for range 20 {
			armed.Store(true)
			if r := catch(func() { p.Run(len(counts)) }); r == nil {
				t.Fatalf("workers %d: Run did not panic", workers)
			}
			armed.Store(false)
			for i := range counts {
				counts[i].Store(0)
			}
			p.Run(len(counts))
			for i := range counts {
				if got := counts[i].Load(); got != 1 {
					t.Fatalf("workers %d: task %d ran %d times in the round after a panic", workers, i, got)
				}
			}
		}
		p.Close()
	}
}

// BenchmarkRound is the cost of one round of tiny tasks: the hand-over
// overhead the pool exists to keep small.
func BenchmarkRound(b *testing.B) {
	for _, workers := range []int{1, 2} {
		for _, n := range []int{2, 16} {
			b.Run(fmt.Sprintf("workers=%d/tasks=%d", workers, n), func(b *testing.B) {
				var sink [MaxTasks + 1]float64
				p := New(workers, func(i int) { sink[i*8%len(sink)] += 1 })
				defer p.Close()
				b.ReportAllocs()
				for b.Loop() {
					p.Run(n)
				}
			})
		}
	}
}
