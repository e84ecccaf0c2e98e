package nested

import (
	"fmt"
	"math"
)

// Limits of one slice step: steps out of width w on each side, and
// shrinkages. Past them the chain keeps its point for that step.
const (
	maxStepOut = 100
	maxShrink  = 100
)

// sliceBatch runs Batch slice chains in parallel, each from a random live
// point above the threshold L* of the start of the batch, with its own
// generator seeded from the master one. In order, each result whose ln L
// is above the threshold at its turn replaces the worst live point; the
// others (about (Batch−1)/(2·Live) of them) are discarded. Afterwards the
// slice width moves towards as many step-outs as shrinkages.
func (s *sampler) sliceBatch() error {
	d := s.d
	nb := s.s.Batch
	s.lstar = s.liveL[s.worst]
	for j := range nb {
		s.jobs[j].pcg.Seed(s.mrng.Uint64(), s.mrng.Uint64())
	}
	if err := s.runBatch(batchSlice, nb); err != nil {
		return err
	}
	var nexp, ncon int
	var calls int64
	for j := range nb {
		calls += s.slotCalls[j]
		s.calls += s.slotCalls[j]
		s.winCalls += s.slotCalls[j]
		nexp += s.slotExp[j]
		ncon += s.slotCon[j]
	}
	for j := range nb {
		if s.slotOK[j] && s.slotL[j] > s.liveL[s.worst] {
			s.replace(s.slotU[j*d:(j+1)*d], s.slotT[j*d:(j+1)*d], s.slotL[j])
			if s.converged() {
				break
			}
		}
	}
	if nexp+ncon > 0 {
		f := 2 * float64(nexp) / float64(nexp+ncon)
		s.scale = math.Min(math.Max(s.scale*math.Min(math.Max(f, 0.5), 2), minScale), maxScale)
	}
	if calls == 0 {
		// Every step left the cube: no likelihood call, no progress. The
		// width halves after such a batch, which normally ends it; a state
		// that never recovers (a corrupt checkpoint) must not loop for ever.
		if s.idle++; s.idle > maxIdleBatches {
			return fmt.Errorf("nested: %d slice batches in a row made no likelihood call (every step left the unit cube): the sampler's state is broken", s.idle)
		}
	} else {
		s.idle = 0
	}
	return nil
}

// The slice width, in units of the ellipsoid's extent along the direction,
// stays within [minScale, maxScale]; beyond, stepping out or shrinking
// takes dozens of steps.
const (
	minScale       = 1e-6
	maxScale       = 1e3
	maxIdleBatches = 100
)

// sliceJob runs the chain of slot j: Repeats slice steps (Neal 2003,
// stepping out and shrinkage) along directions T·n, n uniform on the unit
// sphere and T the factor of a bounding ellipsoid drawn with probability ∝
// its volume, of initial width scale·|T·n|. The ellipsoid must not depend
// on the chain's position: a kernel chosen by where the chain is (say, the
// ellipsoid nearest to it) no longer leaves the target invariant, and
// biased ln Z by +0.2 (nearly 1σ) on banana2d. The target is the prior
// restricted to ln L > L*, uniform in the unit cube: a point is inside when
// it is in the cube (no likelihood call otherwise) and its ln L exceeds L*.
func (s *sampler) sliceJob(j int) {
	d := s.d
	js := &s.jobs[j]
	rng := js.rng
	s.slotCalls[j], s.slotExp[j], s.slotCon[j], s.slotOK[j] = 0, 0, 0, false
	start := rng.IntN(s.n)
	for s.liveL[start] <= s.lstar {
		start = rng.IntN(s.n)
	}
	x := js.x
	copy(x, s.liveU[start*d:(start+1)*d])
	th := s.slotT[j*d : (j+1)*d]
	w := s.scale
	l := s.liveL[start]
	moved := false

	// inside evaluates x + t·dir into x1, th1 and reports ln L > L*.
	inside := func(t float64) (bool, float64) {
		for i := range x {
			js.x1[i] = x[i] + t*js.dir[i]
		}
		if !inCube(js.x1) {
			return false, 0
		}
		v, err := s.eval(js.th1, js.x1)
		s.slotCalls[j]++
		if err != nil {
			s.slotErr[j] = err
			return false, 0
		}
		return v > s.lstar, v
	}
	for range s.s.Repeats {
		s.bound.pick(rng).randomDirection(js.dir, rng)
		r := rng.Float64()
		lo, hi := -w*r, w*(1-r)
		for k := 0; k < maxStepOut; k++ {
			ok, _ := inside(lo)
			if !ok {
				break
			}
			lo -= w
			s.slotExp[j]++
		}
		for k := 0; k < maxStepOut; k++ {
			ok, _ := inside(hi)
			if !ok {
				break
			}
			hi += w
			s.slotExp[j]++
		}
		for k := 0; k < maxShrink; k++ {
			if s.slotErr[j] != nil || s.stopped.Load() {
				return
			}
			t := lo + (hi-lo)*rng.Float64()
			ok, v := inside(t)
			if ok {
				copy(x, js.x1)
				copy(th, js.th1)
				l, moved = v, true
				break
			}
			s.slotCon[j]++
			if t < 0 {
				lo = t
			} else {
				hi = t
			}
		}
		if s.slotErr[j] != nil || s.stopped.Load() {
			return
		}
	}
	copy(s.slotU[j*d:(j+1)*d], x)
	s.slotL[j] = l
	s.slotOK[j] = moved
}
