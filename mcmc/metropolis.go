package mcmc

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/mat"
)

// RunMH samples t with Chains independent adaptive random-walk
// Metropolis–Hastings chains run in parallel (see the package
// documentation). rng seeds a master PCG generator, from which the start
// points and one PCG stream per chain are drawn, unless s.Resume is set.
// Each chain uses only its own stream, so the output does not depend on
// the number of workers.
//
// On cancellation of ctx the text chains are flushed and a checkpoint is
// written before RunMH returns the partial result (without Summary) and
// an *InterruptedError wrapping ctx's error. With Root it holds the lock
// Root.lock throughout and protects an earlier run at Root (see
// Settings.Overwrite).
func RunMH(ctx context.Context, t Target, s *MHSettings, rng *rand.Rand) (*Result, error) {
	if s == nil {
		return nil, fmt.Errorf("mcmc: nil MHSettings (Steps and Start are required)")
	}
	if t.LogProb == nil {
		return nil, fmt.Errorf("mcmc: Target.LogProb is required")
	}
	common, err := s.Settings.normalize()
	if err != nil {
		return nil, err
	}
	d := len(common.Start)
	k := s.Chains
	if k == 0 {
		k = 4
	}
	if k < 2 {
		return nil, fmt.Errorf("mcmc: Chains = %d must be ≥ 2 (R−1 needs several chains)", k)
	}
	adapt := s.Adapt
	switch {
	case adapt == 0:
		adapt = common.Steps / 5
	case adapt < 0:
		adapt = 0
	}
	if adapt >= common.Steps {
		return nil, fmt.Errorf("mcmc: Adapt = %d must be < Steps = %d", adapt, common.Steps)
	}
	every := s.AdaptEvery
	if every == 0 {
		every = 100
	}
	if every < 0 {
		return nil, fmt.Errorf("mcmc: AdaptEvery = %d must be > 0", every)
	}
	prop := s.ProposalCov
	if prop == nil {
		prop = common.StartCov
	}
	if prop.SymmetricDim() != d {
		return nil, fmt.Errorf("mcmc: ProposalCov is %d×%d, want %d×%d", prop.SymmetricDim(), prop.SymmetricDim(), d, d)
	}
	scale := 2.38 * 2.38 / float64(d)
	lower, ok := scaledCholesky(prop, scale)
	if !ok {
		return nil, fmt.Errorf("mcmc: the initial proposal covariance is not positive definite")
	}
	m := &metropolis{
		k: k, d: d,
		adapt: adapt, adaptEvery: every, scale: scale,
		initLower: lower,
		logU:      make([]float64, k),
		noise:     make([]float64, d),
		mean:      make([]float64, d),
		cov:       mat.NewSymDense(d, nil),
		ev:        newEvaluator(t, k, d, common.Workers, s.Workers <= 0),
	}
	m.ev.setDerived(t, len(common.Derived))
	defer m.ev.close()
	spec := runSpec{
		sampler:    samplerMH,
		walkers:    k,
		groups:     k,
		adapt:      adapt,
		adaptEvery: every,
	}
	return run(ctx, t, common, spec, m, rng)
}

// metropolis is the kernel of K parallel adaptive MH chains.
type metropolis struct {
	k, d       int
	adapt      int
	adaptEvery int
	scale      float64 // 2.38²/d
	initLower  []float64
	pcgs       []*rand.PCG
	rngs       []*rand.Rand
	lower      [][]float64 // per chain: row-major d×d Cholesky factor of the proposal covariance
	pos, lnp   []float64
	der        []float64 // chains × derived
	chain      *Chain
	logU       []float64
	noise      []float64
	mean       []float64
	cov        *mat.SymDense
	ev         *evaluator
	accepted   int64
}

func (m *metropolis) init(st *state, master *rand.PCG) error {
	m.pos, m.lnp, m.der, m.chain = st.pos, st.lnp, st.der, st.chain
	r := rand.New(master)
	m.pcgs = make([]*rand.PCG, m.k)
	m.rngs = make([]*rand.Rand, m.k)
	m.lower = make([][]float64, m.k)
	for c := range m.k {
		m.pcgs[c] = rand.NewPCG(r.Uint64(), r.Uint64())
		m.rngs[c] = rand.New(m.pcgs[c])
		m.lower[c] = append([]float64(nil), m.initLower...)
	}
	return nil
}

func (m *metropolis) step(t int) {
	if t > 0 && t <= m.adapt && (t%m.adaptEvery == 0 || t == m.adapt) {
		for c := range m.k {
			m.adaptChain(c, t)
		}
	}
	d := m.d
	for c := range m.k {
		rng := m.rngs[c]
		for i := range m.noise {
			m.noise[i] = rng.NormFloat64()
		}
		m.logU[c] = math.Log(rng.Float64())
		x := m.pos[c*d : (c+1)*d]
		y := m.ev.row(c)
		l := m.lower[c]
		for i := range d {
			v := x[i]
			for j := 0; j <= i; j++ {
				v += l[i*d+j] * m.noise[j]
			}
			y[i] = v
		}
	}
	m.ev.eval()
	for c := range m.k {
		if m.logU[c] < m.ev.out[c]-m.lnp[c] {
			copy(m.pos[c*d:(c+1)*d], m.ev.row(c))
			m.lnp[c] = m.ev.out[c]
			if nd := m.ev.nd; nd > 0 {
				copy(m.der[c*nd:(c+1)*nd], m.ev.derivedRow(c))
			}
			m.accepted++
		}
	}
}

// adaptChain sets chain c's proposal to (2.38²/d)·Σ, Σ the covariance of
// its samples in steps [t/2, t). It keeps the old proposal if the chain
// moved fewer than 5·d times in that window (too few to estimate Σ) or if
// Σ is not positive definite.
func (m *metropolis) adaptChain(c, t int) {
	from := t / 2
	n := t - from
	moves := 0
	for s := from + 1; s < t; s++ {
		if m.chain.LnP[s*m.k+c] != m.chain.LnP[(s-1)*m.k+c] || !slices.Equal(m.chain.At(s, c), m.chain.At(s-1, c)) {
			moves++
		}
	}
	if moves < 5*m.d {
		return
	}
	d := m.d
	for i := range m.mean {
		m.mean[i] = 0
	}
	for s := from; s < t; s++ {
		x := m.chain.At(s, c)
		for i, v := range x {
			m.mean[i] += v
		}
	}
	for i := range m.mean {
		m.mean[i] /= float64(n)
	}
	for i := range d {
		for j := i; j < d; j++ {
			var v float64
			for s := from; s < t; s++ {
				x := m.chain.At(s, c)
				v += (x[i] - m.mean[i]) * (x[j] - m.mean[j])
			}
			m.cov.SetSym(i, j, v/float64(n-1))
		}
	}
	if l, ok := scaledCholesky(m.cov, m.scale); ok {
		m.lower[c] = l
	}
}

// scaledCholesky returns the row-major lower Cholesky factor of f·a.
func scaledCholesky(a mat.Symmetric, f float64) ([]float64, bool) {
	d := a.SymmetricDim()
	s := mat.NewSymDense(d, nil)
	for i := range d {
		for j := i; j < d; j++ {
			v := f * a.At(i, j)
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, false
			}
			s.SetSym(i, j, v)
		}
	}
	var chol mat.Cholesky
	if !chol.Factorize(s) {
		return nil, false
	}
	var l mat.TriDense
	chol.LTo(&l)
	out := make([]float64, d*d)
	for i := range d {
		for j := 0; j <= i; j++ {
			out[i*d+j] = l.At(i, j)
		}
	}
	return out, true
}

func (m *metropolis) acceptedMoves() int64 { return m.accepted }

func (m *metropolis) nonFinite() int64 { return m.ev.nonFinite.Load() }

func (m *metropolis) save(cp *checkpoint) error {
	cp.RNG = make([][]byte, m.k)
	for c, p := range m.pcgs {
		b, err := p.MarshalBinary()
		if err != nil {
			return err
		}
		cp.RNG[c] = b
	}
	cp.Proposal = m.lower
	cp.Accepted = m.accepted
	return nil
}

func (m *metropolis) load(cp *checkpoint, st *state) error {
	if len(cp.RNG) != m.k || len(cp.Proposal) != m.k {
		return fmt.Errorf("checkpoint has %d generator states and %d proposals, want %d of each", len(cp.RNG), len(cp.Proposal), m.k)
	}
	m.pos, m.lnp, m.der, m.chain = st.pos, st.lnp, st.der, st.chain
	m.pcgs = make([]*rand.PCG, m.k)
	m.rngs = make([]*rand.Rand, m.k)
	m.lower = make([][]float64, m.k)
	for c := range m.k {
		m.pcgs[c] = new(rand.PCG)
		if err := m.pcgs[c].UnmarshalBinary(cp.RNG[c]); err != nil {
			return fmt.Errorf("generator state of chain %d: %w", c+1, err)
		}
		m.rngs[c] = rand.New(m.pcgs[c])
		if len(cp.Proposal[c]) != m.d*m.d {
			return fmt.Errorf("proposal of chain %d has %d entries, want %d", c+1, len(cp.Proposal[c]), m.d*m.d)
		}
		m.lower[c] = cp.Proposal[c]
	}
	m.accepted = cp.Accepted
	return nil
}
