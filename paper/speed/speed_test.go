package speed

import (
	"context"
	"strings"
	"testing"

	"github.com/cosmoemu/cosmoemu/emulator"
)

func TestRun(t *testing.T) {
	m, err := emulator.DefaultFriedmann()
	if err != nil {
		t.Fatal(err)
	}
	z := []float64{0.07, 0.5, 1.965}
	var calls int
	r, err := Run(context.Background(), m, z, &Settings{Queries: 300, Pairs: 600, Points: 5, Progress: func(done, total int) {
		calls++
		if total != 1200 || done >= total {
			t.Errorf("progress %d of %d", done, total)
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	q, p := r.Query, r.Paper
	if q.Queries != 300 || q.Redshifts != 3 || p.Pairs != 600 || p.Points != 5 || r.RTol != 1e-8 {
		t.Errorf("sizes %+v, %+v, rtol %v", q, p, r.RTol)
	}
	for _, v := range []float64{q.SolverUs, q.EmulatorUs, q.AnalyticUs, q.Speedup, p.SolverS, p.EmulatorS, p.Speedup} {
		if !(v > 0) {
			t.Errorf("a time or speedup is %v: %+v %+v", v, q, p)
		}
	}
	// The emulator's stated accuracy at z ≤ 3 is 5e-5 (package emulator's
	// TestDefaultModelAccuracy); the solver at rtol 1e-8 adds little.
	if q.MaxRelDiff > 6e-5 || q.MaxRelDiff == 0 {
		t.Errorf("emulator and solver differ by %v", q.MaxRelDiff)
	}
	if calls != 5 { // every 256 pairs: 0, 256, 512 (solver), 768, 1024 (emulator)
		t.Errorf("%d progress calls", calls)
	}
	for _, s := range []Settings{{Points: 1}, {Pairs: -1}, {RTol: 2}} {
		if _, err := Run(context.Background(), m, z, &s); err == nil || !strings.HasPrefix(err.Error(), "speed: ") {
			t.Errorf("settings %+v: %v", s, err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, m, z, &Settings{Queries: 10, Pairs: 10}); err != context.Canceled {
		t.Errorf("cancelled: %v", err)
	}
}
