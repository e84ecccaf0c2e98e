package mcmc

import (
	"context"
	"errors"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/cosmoemu/cosmoemu/internal/pool"
)

// A panic in the goroutine that writes the text chains (here in
// Target.LogPrior, which only it calls during the run) is the run's error,
// with the panic's value and stack, and the run ends instead of crashing
// the process or waiting for the writer for ever.
func TestWriterPanicIsAnError(t *testing.T) {
	root := filepath.Join(t.TempDir(), "r")
	prior := func([]float64) float64 { panic("prior exploded") }
	_, err := runKind(context.Background(), false, Target{LogProb: gaussLogProb, LogPrior: prior},
		resumeSettings(root, 30), rand.New(rand.NewPCG(1, 1)))
	var pe *pool.PanicError
	if !errors.As(err, &pe) {
		t.Fatalf("run with a panicking writer: err = %v, want a *pool.PanicError", err)
	}
	for _, want := range []string{"panic in worker goroutine: prior exploded", "writeRows"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the error does not name %q:\n%v", want, err)
		}
	}
}

// A panic in LogProb on the evaluator's goroutines reaches the caller of
// RunEnsemble as a panic (bridge.Guard makes it an error), after the writer
// has stopped: nothing hangs, and nothing crashes the process.
func TestEvaluatorPanicReachesCaller(t *testing.T) {
	root := filepath.Join(t.TempDir(), "r")
	var calls atomic.Int64
	lp := func(x []float64) float64 {
		if calls.Add(1) > 200 {
			panic("likelihood exploded")
		}
		return gaussLogProb(x)
	}
	s := resumeSettings(root, 100)
	s.Workers = 2
	var r any
	func() {
		defer func() { r = recover() }()
		runKind(context.Background(), false, Target{LogProb: lp}, s, rand.New(rand.NewPCG(1, 1)))
	}()
	var pe *pool.PanicError
	if err, ok := r.(error); ok && errors.As(err, &pe) {
		r = pe.Value
	}
	if r != "likelihood exploded" {
		t.Fatalf("RunEnsemble with a panicking LogProb: recovered %v, want the panic (or a *pool.PanicError of it)", r)
	}
}
