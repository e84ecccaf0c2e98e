package mcmc

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
)

// RunEnsemble samples t with the affine-invariant stretch-move ensemble
// sampler (see the package documentation). rng seeds the sampler's own
// PCG generator (two Uint64 draws) unless s.Resume is set; the same seed
// gives byte-identical output for any number of workers.
//
// On cancellation of ctx the text chains are flushed and a checkpoint is
// written before RunEnsemble returns the partial result (without Summary) and
// an *InterruptedError wrapping ctx's error. With Root it holds the lock
// Root.lock throughout and protects an earlier run at Root (see
// Settings.Overwrite).
func RunEnsemble(ctx context.Context, t Target, s *EnsembleSettings, rng *rand.Rand) (*Result, error) {
	if s == nil {
		return nil, fmt.Errorf("mcmc: nil EnsembleSettings (Steps and Start are required)")
	}
	if t.LogProb == nil {
		return nil, fmt.Errorf("mcmc: Target.LogProb is required")
	}
	common, err := s.Settings.normalize()
	if err != nil {
		return nil, err
	}
	d := len(common.Start)
	k := s.Walkers
	if k == 0 {
		k = max(32, 4*d)
		k += k % 2
	}
	if k%2 != 0 || k < 2*d || k < 4 {
		return nil, fmt.Errorf("mcmc: Walkers = %d must be even, ≥ 4 and ≥ 2·dim = %d", k, 2*d)
	}
	groups := s.Groups
	if groups == 0 {
		groups = 2
		if k%4 == 0 {
			groups = 4
		}
	}
	if groups < 2 || groups > k || k%groups != 0 {
		return nil, fmt.Errorf("mcmc: Groups = %d must be ≥ 2 and divide Walkers = %d", groups, k)
	}
	a := s.Scale
	if a == 0 {
		a = 2
	}
	if !(a > 1) || math.IsInf(a, 0) {
		return nil, fmt.Errorf("mcmc: Scale = %g must be a finite number > 1", a)
	}
	half := k / 2
	e := &ensemble{
		k: k, d: d, half: half, a: a,
		z:    make([]float64, half),
		logU: make([]float64, half),
		ev:   newEvaluator(t, half, d, common.Workers, s.Workers <= 0),
	}
	e.ev.setDerived(t, len(common.Derived))
	defer e.ev.close()
	spec := runSpec{
		sampler: samplerEnsemble,
		walkers: k,
		groups:  groups,
		scale:   a,
	}
	return run(ctx, t, common, spec, e, rng)
}

// ensemble is the stretch-move kernel.
type ensemble struct {
	k, d, half int
	a          float64
	pcg        *rand.PCG
	rng        *rand.Rand
	pos, lnp   []float64
	der        []float64 // walkers × derived
	z, logU    []float64
	ev         *evaluator
	accepted   int64
}

func (e *ensemble) init(st *state, master *rand.PCG) error {
	e.pos, e.lnp, e.der = st.pos, st.lnp, st.der
	e.pcg = master
	e.rng = rand.New(master)
	return nil
}

func (e *ensemble) step(int) {
	d, half := e.d, e.half
	logZ := float64(d - 1)
	for h := range 2 {
		active, other := h*half, (1-h)*half
		// Draw the random numbers of this half-step in a fixed order; the
		// workers start on their rows as soon as these are drawn.
		from := e.ev.callerFrom()
		for i := range half {
			if i == from {
				e.ev.start()
			}
			u := (e.a-1)*e.rng.Float64() + 1
			z := u * u / e.a
			j := other + e.rng.IntN(half)
			// ln U of a uniform U is −E of an exponential E.
			e.logU[i] = -e.rng.ExpFloat64()
			e.z[i] = z
			xk := e.pos[(active+i)*d : (active+i+1)*d]
			xj := e.pos[j*d : (j+1)*d]
			y := e.ev.row(i)
			for m := range y {
				y[m] = xj[m] + z*(xk[m]-xj[m])
			}
		}
		e.ev.finish()
		for i := range half {
			w := active + i
			lnq := logZ*math.Log(e.z[i]) + e.ev.out[i] - e.lnp[w]
			if e.logU[i] < lnq {
				copy(e.pos[w*d:(w+1)*d], e.ev.row(i))
				e.lnp[w] = e.ev.out[i]
				if nd := e.ev.nd; nd > 0 {
					copy(e.der[w*nd:(w+1)*nd], e.ev.derivedRow(i))
				}
				e.accepted++
			}
		}
	}
}

func (e *ensemble) acceptedMoves() int64 { return e.accepted }

func (e *ensemble) nonFinite() int64 { return e.ev.nonFinite.Load() }

func (e *ensemble) save(cp *checkpoint) error {
	b, err := e.pcg.MarshalBinary()
	if err != nil {
		return err
	}
	cp.RNG = [][]byte{b}
	cp.Accepted = e.accepted
	return nil
}

func (e *ensemble) load(cp *checkpoint, st *state) error {
	if len(cp.RNG) != 1 {
		return fmt.Errorf("checkpoint has %d generator states, want 1", len(cp.RNG))
	}
	e.pos, e.lnp, e.der = st.pos, st.lnp, st.der
	e.pcg = new(rand.PCG)
	if err := e.pcg.UnmarshalBinary(cp.RNG[0]); err != nil {
		return fmt.Errorf("generator state: %w", err)
	}
	e.rng = rand.New(e.pcg)
	e.accepted = cp.Accepted
	return nil
}
