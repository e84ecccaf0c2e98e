package mcmc

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// By default a run checkpoints by wall time only (and when it ends): a
// short run writes its .npy files and checkpoint once, not every so many
// steps, whose rewrites of the whole history grow quadratically with the
// run. CheckpointEvery restores checkpoints by steps; a negative one is
// refused.
func TestCheckpointPolicy(t *testing.T) {
	for _, every := range []int{0, 500} {
		root := filepath.Join(t.TempDir(), "run")
		s := ensembleSettings(1500)
		s.Root = root
		s.CheckpointEvery = every
		var atA, atB []byte
		s.Progress = func(p Progress) {
			switch p.Step {
			case 200:
				atA, _ = os.ReadFile(root + ".checkpoint")
			case 1300:
				atB, _ = os.ReadFile(root + ".checkpoint")
			}
		}
		if _, err := RunEnsemble(context.Background(), Target{LogProb: gaussLogProb}, s, rand.New(rand.NewPCG(1, 2))); err != nil {
			t.Fatal(err)
		}
		if moved, want := string(atA) != string(atB), every > 0; moved != want {
			t.Errorf("CheckpointEvery = %d: a checkpoint between steps 200 and 1300 (the old default: every 1000): %v, want %v", every, moved, want)
		}
		if _, err := os.Stat(root + ".checkpoint"); err != nil {
			t.Errorf("CheckpointEvery = %d: no checkpoint at the end: %v", every, err)
		}
	}
	s := ensembleSettings(10)
	s.CheckpointEvery = -1
	if _, err := RunEnsemble(context.Background(), Target{LogProb: gaussLogProb}, s, rand.New(rand.NewPCG(1, 2))); err == nil || !strings.Contains(err.Error(), "CheckpointEvery = -1") {
		t.Errorf("CheckpointEvery = -1: %v", err)
	}
}
