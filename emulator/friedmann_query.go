package emulator

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/cosmoemu/cosmoemu/friedmann"
	"github.com/cosmoemu/cosmoemu/internal/fastmath"
	"github.com/cosmoemu/cosmoemu/nn"
)

// A Query evaluates a model at fixed times for many parameter points: the
// question a likelihood asks at each step of a sampler. Make one per
// goroutine with NewQuery or NewQueryN; a Query is not safe for concurrent
// use.
//
// For the default recipe, ln E at the query times is
//
//	ln E(N_q) = Σ_k S_qk (μ_k + σ_k (Σ_j h_j W_jk + b_k)) = c_q + Σ_j A_qj h_j,
//
// with S the spline weights, (μ, σ) the output scaling and h the last hidden
// layer, so the output layer, the scaling and the spline fold into the
// matrix A and vector c once, at construction.
type Query struct {
	m  *Friedmann
	c  *friedmannCurves // the default recipe's networks, nil for the paper recipe
	ns []float64

	// Default recipe inside the domain: the networks folded with the
	// spline at the query times. H at the late times (lateIdx) comes from
	// the E network, at the others (earlyIdx) from the ln E network; either
	// fold is nil when it has no times, omega until Eval needs it.
	lnE, late, omega    *foldedNet
	earlyIdx, lateIdx   []int
	earlyVals, lateVals []float64
	hVals, omegaVals    []float64

	ws  *workspace // general path: paper recipe, fallback
	pts []Point
	// outside marks a query whose times leave the domain: all of it goes
	// to the fallback solver.
	outside bool
}

// foldedNet is a curve network whose output layer, output scaling and spline
// at fixed times are one linear layer: values = c + Aᵀh, with h the last
// hidden layer. It is itself a network (the hidden layers and that layer),
// so it runs on the nn package's kernels.
type foldedNet struct {
	in nn.Scaler
	ws *nn.Workspace
	x  [1]float64
}

// fold builds the foldedNet of c, whose outputs are blocks of len(s.nodes)
// values each, at the times ns: the result has blocks·len(ns) values,
// block by block.
func fold(c FriedmannNet, s *uniformSpline, ns []float64) *foldedNet {
	net := c.Net
	last := net.Layers[len(net.Layers)-1]
	k := s.n
	blocks := last.Out / k
	w, nq := last.In, len(ns)
	out := blocks * nq
	// The folded layer: weight from hidden unit j to query value (b, i) at
	// W[j*out + b*nq + i], bias c.
	fw := make([]float64, w*out)
	fc := make([]float64, out)
	// The output scaling is affine, physical = μ + σ ∘ t: read μ and σ off
	// the scaler itself.
	lo := last.Out
	mu := make([]float64, lo)
	c.Out.InverseRow(mu, make([]float64, lo))
	sigma := make([]float64, lo)
	for i := range sigma {
		sigma[i] = 1
	}
	c.Out.InverseRow(sigma, sigma)
	for i := range sigma {
		sigma[i] -= mu[i]
	}
	wts := make([]float64, k)
	for i, n := range ns {
		s.weights(wts, n)
		for b := range blocks {
			col := b*nq + i
			cc := 0.0
			for kk, sk := range wts {
				if sk == 0 {
					continue
				}
				o := b*k + kk
				cc += sk * (mu[o] + sigma[o]*last.B[o])
				g := sk * sigma[o]
				for j := range w {
					fw[j*out+col] += g * last.W[j*lo+o]
				}
			}
			fc[col] = cc
		}
	}
	layers := append(append([]nn.Layer(nil), net.Layers[:len(net.Layers)-1]...),
		nn.Layer{In: w, Out: out, Act: nn.Linear, W: fw, B: fc})
	return &foldedNet{in: c.In, ws: (&nn.Network{Layers: layers}).NewWorkspace()}
}

// eval writes the folded values at Ω_m0 to dst. It does not allocate.
func (f *foldedNet) eval(dst []float64, om0 float64) {
	f.x[0] = om0
	f.in.TransformRow(f.x[:], f.x[:])
	f.ws.Forward(dst, f.x[:])
}

// NewQuery returns a Query for the redshifts z (any order, repeats
// allowed). Redshifts outside the domain give a *DomainError unless the
// model was made WithFallback.
func (m *Friedmann) NewQuery(z []float64) (*Query, error) {
	ns := make([]float64, len(z))
	for i, v := range z {
		if !(v > -1) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("emulator: redshift z[%d] = %v must be finite and > −1", i, v)
		}
		ns[i] = friedmann.NOfZ(v)
	}
	return m.newQuery(ns, z, "z")
}

// NewQueryN is NewQuery for e-fold times N = ln a.
func (m *Friedmann) NewQueryN(ns []float64) (*Query, error) {
	for i, v := range ns {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("emulator: time N[%d] = %v is not finite", i, v)
		}
	}
	return m.newQuery(append([]float64(nil), ns...), ns, "N")
}

func (m *Friedmann) newQuery(ns, in []float64, what string) (*Query, error) {
	if len(ns) == 0 {
		return nil, fmt.Errorf("emulator: a query needs at least one time")
	}
	q := &Query{m: m, ns: ns, ws: m.newWorkspace(), pts: make([]Point, len(ns))}
	for i, n := range ns {
		if err := m.domain.checkN(n); err != nil {
			if m.fallback == nil {
				de := err.(*DomainError)
				if what == "z" {
					de = &DomainError{Model: friedmannModel, Param: "z", Value: in[i], Min: friedmann.ZOfN(m.domain.N[1]), Max: friedmann.ZOfN(m.domain.N[0])}
				}
				return nil, de
			}
			q.outside = true
		}
	}
	if c, ok := m.kind.(*friedmannCurves); ok && !q.outside {
		q.c = c
		var early, late []float64
		for i, n := range ns {
			if c.isLate(n) {
				q.lateIdx, late = append(q.lateIdx, i), append(late, n)
			} else {
				q.earlyIdx, early = append(q.earlyIdx, i), append(early, n)
			}
		}
		if len(early) > 0 {
			q.lnE = fold(c.lnE, c.spline, early)
			q.earlyVals = make([]float64, len(early))
		}
		if len(late) > 0 {
			q.late = fold(*c.late, c.lateSpline, late)
			q.lateVals = make([]float64, len(late))
		}
		q.hVals = make([]float64, len(ns))
	}
	return q, nil
}

// Len returns the number of query times.
func (q *Query) Len() int { return len(q.ns) }

// Hubble writes H in km/s/Mpc at the query times for θ = (Ω_m0, H0) to dst.
// For a default-recipe model inside its domain it does not allocate.
func (q *Query) Hubble(dst, theta []float64) error {
	if len(theta) != 2 {
		panic(fmt.Sprintf("emulator: θ has %d parameters, want 2 (Om0, H0)", len(theta)))
	}
	if len(dst) != len(q.ns) {
		panic(fmt.Sprintf("emulator: len(dst) = %d, want %d", len(dst), len(q.ns)))
	}
	om0, h0 := theta[0], theta[1]
	if q.hVals == nil || q.m.domain.checkTheta(om0, h0) != nil {
		if err := q.m.curve(q.ws, q.pts, q.ns, om0, h0); err != nil {
			return err
		}
		for i, p := range q.pts {
			dst[i] = p.H
		}
		return nil
	}
	q.hubble(dst, om0, h0)
	return nil
}

// hubble writes H at the query times from the folded networks.
func (q *Query) hubble(dst []float64, om0, h0 float64) {
	switch {
	case q.lnE == nil: // all late: H = H0·E, no exponential
		q.late.eval(dst, om0)
		for i := range dst {
			dst[i] *= h0
		}
	case q.late == nil:
		q.lnE.eval(dst, om0)
		fastmath.ScaleExp(dst, h0)
	default:
		q.lnE.eval(q.earlyVals, om0)
		fastmath.ScaleExp(q.earlyVals, h0)
		for k, i := range q.earlyIdx {
			dst[i] = q.earlyVals[k]
		}
		q.late.eval(q.lateVals, om0)
		for k, i := range q.lateIdx {
			dst[i] = h0 * q.lateVals[k]
		}
	}
}

// HubbleBatch evaluates the rows θ = (Ω_m0, H0) of thetas into the rows of
// dst.
func (q *Query) HubbleBatch(dst, thetas *mat.Dense) error {
	r, c := thetas.Dims()
	if c != 2 {
		panic(fmt.Sprintf("emulator: θ matrix has %d columns, want 2", c))
	}
	for i := range r {
		if err := q.Hubble(dst.RawRowView(i), thetas.RawRowView(i)); err != nil {
			return fmt.Errorf("point %d: %w", i, err)
		}
	}
	return nil
}

// Eval writes all outputs at the query times for one (Ω_m0, H0) to dst. For
// a default-recipe model inside its domain it folds both networks and does
// not allocate after its first call.
func (q *Query) Eval(dst []Point, om0, h0 float64) error {
	if len(dst) != len(q.ns) {
		panic(fmt.Sprintf("emulator: len(dst) = %d, want %d", len(dst), len(q.ns)))
	}
	if q.hVals == nil || q.m.domain.checkTheta(om0, h0) != nil {
		return q.m.curve(q.ws, dst, q.ns, om0, h0)
	}
	if q.omega == nil {
		q.omega = fold(q.c.omega, q.c.spline, q.ns)
		q.omegaVals = make([]float64, 2*len(q.ns))
	}
	nq := len(q.ns)
	om := q.omegaVals
	q.hubble(q.hVals, om0, h0)
	q.omega.eval(om, om0)
	for i := range dst {
		or, omm := om[i], om[nq+i]
		dst[i] = normalized(or, omm, 1-or-omm, q.hVals[i])
	}
	return nil
}
