package pool

import (
	"fmt"
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
