package mcmc

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/cosmoemu/cosmoemu/chains"
)

// FuzzDecodeCheckpoint feeds arbitrary bytes to the checkpoint's envelope
// (chains.DecodeCheckpoint) and to the decoder of the sampler state inside
// it and, when that accepts them, to the checks and kernel restores of a
// resume: no input may panic. The seeds are the checkpoints of a 4-walker
// ensemble and of 2 MH chains in one dimension, and their states, a few
// hundred bytes each (the checksum of the envelope stops almost every
// mutation of a whole checkpoint, so the states are fuzzed on their own).
func FuzzDecodeCheckpoint(f *testing.F) {
	lp := func(x []float64) float64 { return -0.5 * x[0] * x[0] }
	dir := f.TempDir()
	for i, mh := range []bool{false, true} {
		root := filepath.Join(dir, string(rune('a'+i)))
		s := Settings{Steps: 3, Start: []float64{0}, Root: root}
		var err error
		if mh {
			_, err = RunMH(context.Background(), Target{LogProb: lp}, &MHSettings{Settings: s, Chains: 2, Adapt: -1}, rand.New(rand.NewPCG(1, 1)))
		} else {
			_, err = RunEnsemble(context.Background(), Target{LogProb: lp}, &EnsembleSettings{Settings: s, Walkers: 4, Groups: 2}, rand.New(rand.NewPCG(1, 1)))
		}
		if err != nil {
			f.Fatal(err)
		}
		b, err := os.ReadFile(root + chains.CheckpointSuffix)
		if err != nil {
			f.Fatal(err)
		}
		_, st, err := chains.DecodeCheckpoint(b)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		f.Add([]byte(st))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		chains.DecodeCheckpoint(b)
		cp, err := decodeCheckpoint(b)
		if err != nil {
			return
		}
		for _, spec := range []runSpec{
			{sampler: samplerEnsemble, walkers: 4, groups: 2, scale: 2},
			{sampler: samplerMH, walkers: 2, groups: 2},
		} {
			r := &runner{s: Settings{Steps: 10, Names: []string{"x1"}}, spec: spec, d: 1}
			if r.compatible(cp, "") != nil {
				continue
			}
			st := &state{pos: make([]float64, spec.walkers), lnp: make([]float64, spec.walkers)}
			var k kernel = &ensemble{k: 4, d: 1, half: 2, a: 2}
			if spec.sampler == samplerMH {
				k = &metropolis{k: 2, d: 1}
			}
			k.load(cp, st)
		}
	})
}
