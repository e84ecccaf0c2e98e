package nn

import (
	"fmt"
	"math"
)

// An Optimizer turns the gradient g of the loss into a parameter update.
// The implementations are *SGD, *RMSprop and *Adam; zero fields mean the
// documented defaults. The learning rate of each epoch is the optimizer's
// LearningRate, or what Settings.Schedule makes of it.
type Optimizer interface {
	baseRate() float64
	check() error
	newState(n int) optimizerState
}

// optimizerState holds the per-parameter state of an optimizer. update
// applies one step to p[lo:hi] given g[lo:hi]; t counts the steps from 1.
// Elements are independent, so disjoint ranges may be updated in parallel.
type optimizerState interface {
	update(p, g []float64, lo, hi int, lr float64, t int)
}

// SGD is stochastic gradient descent, with optional momentum (Keras'
// formulation). With velocity v (initially 0), momentum μ and rate η:
//
//	v ← μ·v − η·g
//	p ← p + v              (classic momentum)
//	p ← p + μ·v − η·g      (Nesterov, with the updated v)
//
// With μ = 0 this is p ← p − η·g.
type SGD struct {
	LearningRate float64 // η; default 0.01
	Momentum     float64 // μ in [0, 1); default 0
	Nesterov     bool
}

func (o *SGD) baseRate() float64 { return orDefault(o.LearningRate, 0.01) }

func (o *SGD) check() error {
	if err := checkRate("SGD", o.LearningRate); err != nil {
		return err
	}
	if !(o.Momentum >= 0 && o.Momentum < 1) {
		return fmt.Errorf("nn: SGD momentum %v out of range [0, 1)", o.Momentum)
	}
	return nil
}

func (o *SGD) newState(n int) optimizerState {
	s := &sgdState{mu: o.Momentum, nesterov: o.Nesterov}
	if o.Momentum > 0 {
		s.v = make([]float64, n)
	}
	return s
}

type sgdState struct {
	v        []float64
	mu       float64
	nesterov bool
}

func (s *sgdState) update(p, g []float64, lo, hi int, lr float64, _ int) {
	p, g = p[lo:hi], g[lo:hi]
	g = g[:len(p)]
	// Explicit FMAs fix the rounding whatever the compiler would fuse.
	switch {
	case s.v == nil:
		for i, gi := range g {
			p[i] = math.FMA(-lr, gi, p[i])
		}
	case s.nesterov:
		v := s.v[lo:hi]
		v = v[:len(p)]
		for i, gi := range g {
			v[i] = math.FMA(s.mu, v[i], -lr*gi)
			p[i] += math.FMA(s.mu, v[i], -lr*gi)
		}
	default:
		v := s.v[lo:hi]
		v = v[:len(p)]
		for i, gi := range g {
			v[i] = math.FMA(s.mu, v[i], -lr*gi)
			p[i] += v[i]
		}
	}
}

// RMSprop divides the gradient by a running root mean square (Hinton's
// lecture 6e), in the form and with the defaults of Keras (TF2 and Keras 3):
//
//	v ← ρ·v + (1−ρ)·g²     (v initially 0)
//	p ← p − η·g/√(v + ε)
//
// Note ε inside the square root (PyTorch puts it outside and uses ρ = 0.99).
type RMSprop struct {
	LearningRate float64 // η; default 1e-3 (the paper's)
	Rho          float64 // ρ in (0, 1); default 0.9
	Epsilon      float64 // ε > 0; default 1e-7
}

func (o *RMSprop) baseRate() float64 { return orDefault(o.LearningRate, 1e-3) }

func (o *RMSprop) check() error {
	if err := checkRate("RMSprop", o.LearningRate); err != nil {
		return err
	}
	if o.Rho != 0 && !(o.Rho > 0 && o.Rho < 1) {
		return fmt.Errorf("nn: RMSprop rho %v out of range (0, 1)", o.Rho)
	}
	if o.Epsilon != 0 && !(o.Epsilon > 0 && !math.IsInf(o.Epsilon, 1)) {
		return fmt.Errorf("nn: RMSprop epsilon %v must be positive and finite", o.Epsilon)
	}
	return nil
}

func (o *RMSprop) newState(n int) optimizerState {
	return &rmspropState{v: make([]float64, n), rho: orDefault(o.Rho, 0.9), eps: orDefault(o.Epsilon, 1e-7)}
}

type rmspropState struct {
	v        []float64
	rho, eps float64
}

func (s *rmspropState) update(p, g []float64, lo, hi int, lr float64, _ int) {
	p, g, v := p[lo:hi], g[lo:hi], s.v[lo:hi]
	g, v = g[:len(p)], v[:len(p)]
	rho, rho1, eps := s.rho, 1-s.rho, s.eps
	i := 0
	if useAsm && len(p) >= 4 {
		i = len(p) &^ 3
		c := [4]float64{rho, rho1, eps, lr}
		rmspropAsm(&p[0], &g[0], &v[0], i, &c)
	}
	// The same operations as rmspropAsm.
	for ; i < len(p); i++ {
		gi := g[i]
		vi := math.FMA(rho, v[i], rho1*(gi*gi))
		v[i] = vi
		p[i] -= lr * gi / math.Sqrt(vi+eps)
	}
}

// Adam is Kingma & Ba (2015), Algorithm 1 (as in PyTorch). At step t
// (from 1), with m and v initially 0:
//
//	m ← β₁·m + (1−β₁)·g
//	v ← β₂·v + (1−β₂)·g²
//	p ← p − η·m̂/(√v̂ + ε),  m̂ = m/(1−β₁ᵗ),  v̂ = v/(1−β₂ᵗ)
//
// (Keras instead adds its ε = 1e−7 to √v before the bias correction.)
type Adam struct {
	LearningRate float64 // η; default 1e-3
	Beta1        float64 // β₁ in (0, 1); default 0.9
	Beta2        float64 // β₂ in (0, 1); default 0.999
	Epsilon      float64 // ε > 0; default 1e-8
}

func (o *Adam) baseRate() float64 { return orDefault(o.LearningRate, 1e-3) }

func (o *Adam) check() error {
	if err := checkRate("Adam", o.LearningRate); err != nil {
		return err
	}
	if o.Beta1 != 0 && !(o.Beta1 > 0 && o.Beta1 < 1) {
		return fmt.Errorf("nn: Adam beta1 %v out of range (0, 1)", o.Beta1)
	}
	if o.Beta2 != 0 && !(o.Beta2 > 0 && o.Beta2 < 1) {
		return fmt.Errorf("nn: Adam beta2 %v out of range (0, 1)", o.Beta2)
	}
	if o.Epsilon != 0 && !(o.Epsilon > 0 && !math.IsInf(o.Epsilon, 1)) {
		return fmt.Errorf("nn: Adam epsilon %v must be positive and finite", o.Epsilon)
	}
	return nil
}

func (o *Adam) newState(n int) optimizerState {
	return &adamState{m: make([]float64, n), v: make([]float64, n),
		b1: orDefault(o.Beta1, 0.9), b2: orDefault(o.Beta2, 0.999), eps: orDefault(o.Epsilon, 1e-8)}
}

type adamState struct {
	m, v        []float64
	b1, b2, eps float64
}

func (s *adamState) update(p, g []float64, lo, hi int, lr float64, t int) {
	p, g, m, v := p[lo:hi], g[lo:hi], s.m[lo:hi], s.v[lo:hi]
	g, m, v = g[:len(p)], m[:len(p)], v[:len(p)]
	b1, b2, eps := s.b1, s.b2, s.eps
	c1 := 1 / (1 - math.Pow(b1, float64(t)))
	c2 := 1 / (1 - math.Pow(b2, float64(t)))
	i := 0
	if useAsm && len(p) >= 4 {
		i = len(p) &^ 3
		c := [8]float64{b1, 1 - b1, b2, 1 - b2, c1, c2, lr, eps}
		adamAsm(&p[0], &g[0], &m[0], &v[0], i, &c)
	}
	// The same operations as adamAsm.
	for ; i < len(p); i++ {
		gi := g[i]
		mi := math.FMA(b1, m[i], (1-b1)*gi)
		vi := math.FMA(b2, v[i], (1-b2)*(gi*gi))
		m[i], v[i] = mi, vi
		p[i] -= lr * (mi * c1) / (math.Sqrt(vi*c2) + eps)
	}
}

func orDefault(v, def float64) float64 {
	if v == 0 {
		return def
	}
	return v
}

func checkRate(name string, lr float64) error {
	if lr < 0 || math.IsNaN(lr) || math.IsInf(lr, 0) {
		return fmt.Errorf("nn: %s learning rate %v must be positive and finite (0 means the default)", name, lr)
	}
	return nil
}
