package friedmann

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/cosmoemu/cosmoemu/emulator"
	"github.com/cosmoemu/cosmoemu/friedmann"
	"github.com/cosmoemu/cosmoemu/nn"
)

// minCurves is the fewest Ω_m0 values the default recipe trains on.
const minCurves = 10

// curveSamples are the default recipe's samples: one curve per Ω_m0, whose
// values at the N nodes are the targets.
type curveSamples struct {
	om0   []float64
	lnE   *mat.Dense // len(om0) × K: ln E(N_k)
	omega *mat.Dense // len(om0) × 2K: Ω_r(N_k), then Ω_m(N_k)
}

// curvesOf returns the curves of s at its first H0. Ω_i and E = H/H0 of
// flat ΛCDM do not depend on H0: the set must agree.
func curvesOf(s *Set) (*curveSamples, error) {
	if len(s.Om0) < minCurves {
		return nil, fmt.Errorf("train: the training set has %d Om0 values; the default recipe needs at least %d", len(s.Om0), minCurves)
	}
	k := len(s.N)
	c := &curveSamples{om0: s.Om0, lnE: mat.NewDense(len(s.Om0), k, nil), omega: mat.NewDense(len(s.Om0), 2*k, nil)}
	for i := range s.Om0 {
		le, om := c.lnE.RawRowView(i), c.omega.RawRowView(i)
		for kk := range s.N {
			at := s.At(i, 0, kk)
			le[kk] = math.Log(s.H[at] / s.H0[0])
			om[kk], om[k+kk] = s.OmegaR[at], s.OmegaM[at]
		}
		for j := 1; j < len(s.H0); j++ {
			for kk := range s.N {
				if d := math.Log(s.H[s.At(i, j, kk)]/s.H0[j]) - le[kk]; math.Abs(d) > 1e-6 {
					return nil, fmt.Errorf("train: at Om0 = %v, N = %v, H/H0 differs between H0 values by %.3g: not a flat ΛCDM training set", s.Om0[i], s.N[kk], d)
				}
			}
		}
	}
	return c, nil
}

// curveFit is one network of the default recipe being trained.
type curveFit struct {
	name           string
	net            emulator.FriedmannNet
	xt, yt, xv, yv *mat.Dense // scaled training and validation data
	lbfgs          int
	rnd            *rand.Rand
}

// trainDefault makes the default recipe's networks (see package emulator)
// from the curves of the set: ln E and (Ω_r, Ω_m) at all N nodes, and E at
// the late nodes.
func trainDefault(ctx context.Context, set *Set, s *Settings) (*emulator.FriedmannParts, *History, error) {
	data, err := curvesOf(set)
	if err != nil {
		return nil, nil, err
	}
	nodes := set.N
	k := len(nodes)
	n := len(data.om0)

	// Hold out a random fraction of the Ω_m0 curves, never the two ends of
	// the range: the domain is where training data are.
	rnd := rand.New(rand.NewPCG(s.Seed, 0x636f736d6f656d75))
	split := newCurveSplit(data.om0, int(math.Round(s.ValidationFraction*float64(n))), rnd)
	nVal := split.nVal

	// The late-time network covers the nodes from three below N(z = LateZ)
	// to today, with E itself as the target: the margin keeps z ≤ LateZ
	// away from the end of its spline, where it is least accurate.
	kLate, lateE := lateTargets(nodes, data.lnE)
	lateNodes := nodes[kLate:]

	// The networks, each with its own random stream, set up before any is
	// trained so that a set the model cannot be made of fails at once.
	type netSpec struct {
		name     string
		y        *mat.Dense
		sizes    []int
		relative bool
	}
	specs := []netSpec{
		{"lnE", data.lnE, []int{1, s.Hidden, k}, false},
		{"omega", data.omega, []int{1, s.OmegaWidth, s.OmegaWidth, 2 * k}, false},
	}
	if lateE != nil {
		specs = append(specs, netSpec{"E_late", lateE, []int{1, s.Hidden, len(lateNodes)}, true})
	}
	fits := make([]*curveFit, len(specs))
	for i, sp := range specs {
		xt, yt, xv, yv := split.of(sp.y)
		if fits[i], err = newCurveFit(sp.name, sp.sizes, xt, yt, xv, yv, sp.relative, rand.New(rand.NewPCG(s.Seed, uint64(i)))); err != nil {
			return nil, nil, err
		}
		fits[i].lbfgs = s.lbfgs()
		if sp.relative {
			// A small network: four times the polishing costs a second.
			fits[i].lbfgs *= 4
		}
	}
	d := emulator.FriedmannDomain{
		Om0: [2]float64{data.om0[0], data.om0[n-1]},
		H0:  [2]float64{set.H0[0], set.H0[len(set.H0)-1]},
		N:   [2]float64{nodes[0], nodes[k-1]},
	}
	p := &emulator.FriedmannParts{
		OmegaR0: friedmann.DefaultOmegaR0,
		Domain:  d,
		Curves:  &emulator.FriedmannCurves{Nodes: nodes, LnE: fits[0].net, Omega: fits[1].net},
		Description: fmt.Sprintf("default recipe: ln E and (Ω_r, Ω_m) at %d uniform N nodes from Ω_m0 (networks 1→%d→%d and 1→%d→%d→%d, tanh), not-a-knot spline in N",
			k, s.Hidden, k, s.OmegaWidth, s.OmegaWidth, 2*k),
	}
	if lateE != nil {
		p.Curves.LateNodes, p.Curves.Late = lateNodes, &fits[2].net
		p.Description += fmt.Sprintf("; E itself at the %d nodes of z ≤ %g (1→%d→%d), so that H there needs no exponential", len(lateNodes), float64(emulator.LateZ), s.Hidden, len(lateNodes))
	}
	if _, err := emulator.NewFriedmann(*p); err != nil {
		return nil, nil, fmt.Errorf("train: training set: %w", err)
	}

	hist := &History{}
	p.Training = trainingInfo(s, set, d, n, nVal, k)
	for _, f := range fits {
		rec, err := f.fit(ctx, s, hist)
		if err != nil {
			return nil, nil, err
		}
		p.Training.TrainLoss[f.name] = rec.Train
		p.Training.ValLoss[f.name] = rec.Validation
		p.Training.Params[f.name] = f.net.Net.NumParams()
	}
	return p, hist, nil
}

// curveSplit holds out nVal of the curves of om0 for validation, never the
// first or the last.
type curveSplit struct {
	om0   []float64
	isVal []bool
	nVal  int
}

func newCurveSplit(om0 []float64, nVal int, rnd *rand.Rand) *curveSplit {
	n := len(om0)
	perm := rnd.Perm(n - 2)
	isVal := make([]bool, n)
	for _, p := range perm[:nVal] {
		isVal[p+1] = true
	}
	return &curveSplit{om0: om0, isVal: isVal, nVal: nVal}
}

// of returns the inputs Ω_m0 and the targets (rows of y) of the training
// and the validation curves.
func (c *curveSplit) of(y *mat.Dense) (xt, yt, xv, yv *mat.Dense) {
	n, nVal := len(c.om0), c.nVal
	_, cols := y.Dims()
	xt, yt = mat.NewDense(n-nVal, 1, nil), mat.NewDense(n-nVal, cols, nil)
	xv, yv = mat.NewDense(nVal, 1, nil), mat.NewDense(nVal, cols, nil)
	it, iv := 0, 0
	for i := range n {
		if c.isVal[i] {
			xv.Set(iv, 0, c.om0[i])
			yv.SetRow(iv, y.RawRowView(i))
			iv++
		} else {
			xt.Set(it, 0, c.om0[i])
			yt.SetRow(it, y.RawRowView(i))
			it++
		}
	}
	return xt, yt, xv, yv
}

// lateTargets returns the first node of the late-time network and its
// targets, E itself at the nodes from there on (nil when the nodes do not
// reach z = LateZ, or too few are after it). The network covers the nodes
// from three below N(z = LateZ) to today: the margin keeps z ≤ LateZ away
// from the end of its spline, where it is least accurate.
func lateTargets(nodes []float64, lnE *mat.Dense) (int, *mat.Dense) {
	kLate := 0
	for kk, n := range nodes {
		if n <= friedmann.NOfZ(emulator.LateZ) {
			kLate = max(kk-3, 0)
		}
	}
	late := len(nodes) - kLate
	if late < 4 || nodes[0] > friedmann.NOfZ(emulator.LateZ) {
		return kLate, nil
	}
	rows, _ := lnE.Dims()
	e := mat.NewDense(rows, late, nil)
	for i := range rows {
		for j := range late {
			e.Set(i, j, math.Exp(lnE.At(i, kLate+j)))
		}
	}
	return kLate, e
}

// trainingInfo records how the default recipe trains on n curves (nVal of
// them for validation) of k nodes over the domain d.
func trainingInfo(s *Settings, set *Set, d emulator.FriedmannDomain, n, nVal, k int) emulator.FriedmannTraining {
	return emulator.FriedmannTraining{
		Seed:         s.Seed,
		GridRows:     set.Len(),
		Grid:         fmt.Sprintf("%d Om0 in [%g, %g] × H0 in [%g, %g] × %d N in [%g, %g]", n, d.Om0[0], d.Om0[1], d.H0[0], d.H0[1], k, d.N[0], d.N[1]),
		Samples:      n - nVal,
		Validation:   nVal,
		Optimizer:    fmt.Sprintf("Adam (rate %g, exponential decay to 1%%) then L-BFGS", s.Rate),
		Epochs:       s.Epochs,
		BatchSize:    s.BatchSize,
		LearningRate: s.Rate,
		LBFGSIters:   s.lbfgs(),
		TrainLoss:    map[string]float64{},
		ValLoss:      map[string]float64{},
		Params:       map[string]int{},
	}
}

// newCurveFit sets up one network of the default recipe: tanh hidden
// layers, a linear output, inputs mapped to [−1, 1] and targets centred per
// node and scaled by one factor (see below), or, if relative, by that factor
// times each node's mean, so that the loss weighs relative errors alike:
// the E network's requirement is on H/H0, and E ranges from 1 today to
// about 5 at z = 3.
func newCurveFit(name string, sizes []int, xt, yt, xv, yv *mat.Dense, relative bool, rnd *rand.Rand) (*curveFit, error) {
	in := &nn.MinMaxScaler{Low: -1, High: 1}
	out := &nn.StandardScaler{}
	if err := in.Fit(xt); err != nil {
		return nil, fmt.Errorf("train: %s: %w", name, err)
	}
	if err := out.Fit(yt); err != nil {
		return nil, fmt.Errorf("train: %s: %w", name, err)
	}
	// Centre each node but scale all by one factor, the RMS of the
	// per-node deviations: the requirements are uniform in ln E and in Ω,
	// while per-node standard deviations range over orders of magnitude
	// (ln E hardly depends on Ω_m0 at early times) and would weigh the
	// loss towards the nodes that need it least.
	ss := 0.0
	for _, s := range out.Std {
		ss += s * s
	}
	global := math.Sqrt(ss / float64(len(out.Std)))
	for j := range out.Std {
		out.Std[j] = global
		if relative {
			out.Std[j] = global * math.Abs(out.Mean[j])
		}
	}
	acts := make([]nn.Activation, len(sizes)-1)
	for i := range acts {
		acts[i] = nn.Tanh
	}
	acts[len(acts)-1] = nn.Linear
	net, err := nn.New(sizes, acts)
	if err != nil {
		return nil, fmt.Errorf("train: %s: %w", name, err)
	}
	net.Init(nn.GlorotUniform, rnd)
	return &curveFit{
		name: name, net: emulator.FriedmannNet{Net: net, In: in, Out: out},
		xt: scaled(in, xt), yt: scaled(out, yt), xv: scaled(in, xv), yv: scaled(out, yv),
		rnd: rnd,
	}, nil
}

// fit trains the network: Adam with an exponentially decaying rate, then
// L-BFGS on the full training set.
func (f *curveFit) fit(ctx context.Context, s *Settings, hist *History) (LossRecord, error) {
	net := f.net.Net
	hist.Network = append(hist.Network, f.name)
	var losses, vals []float64
	var stages []string
	if s.Epochs > 0 {
		// Decay the rate to 1% of its start over the epochs.
		factor := math.Pow(0.01, 1/float64(s.Epochs))
		_, err := nn.Train(ctx, net, f.xt, f.yt, &nn.Settings{
			Epochs:    s.Epochs,
			BatchSize: s.BatchSize,
			Optimizer: &nn.Adam{LearningRate: s.Rate},
			Schedule:  &nn.ExponentialDecay{Factor: factor},
			ValidX:    f.xv, ValidY: f.yv,
			Workers: s.Workers,
			Callback: func(e nn.Epoch) error {
				losses, vals, stages = append(losses, e.Loss), append(vals, e.ValLoss), append(stages, "adam")
				if s.Progress != nil {
					s.Progress(f.name+" adam", e.Epoch+1, s.Epochs, e.Loss, e.ValLoss)
				}
				return nil
			},
		}, f.rnd)
		if err != nil {
			return LossRecord{}, fmt.Errorf("train: training %s: %w", f.name, err)
		}
	}
	if f.lbfgs > 0 {
		_, err := nn.FitLBFGS(ctx, net, f.xt, f.yt, &nn.LBFGSSettings{
			MaxIterations: f.lbfgs,
			Workers:       s.Workers,
			Callback: func(it int, loss float64) error {
				losses, vals, stages = append(losses, loss), append(vals, math.NaN()), append(stages, "lbfgs")
				if s.Progress != nil {
					s.Progress(f.name+" lbfgs", it, f.lbfgs, loss, math.NaN())
				}
				return nil
			},
		})
		if err != nil {
			return LossRecord{}, fmt.Errorf("train: polishing %s: %w", f.name, err)
		}
	}
	rec := LossRecord{Train: mse(net, f.xt, f.yt), Validation: mse(net, f.xv, f.yv)}
	hist.Loss = append(hist.Loss, losses)
	hist.ValLoss = append(hist.ValLoss, vals)
	hist.Stages = append(hist.Stages, stages)
	hist.Final = append(hist.Final, rec)
	return rec, nil
}

func scaled(s nn.Scaler, x *mat.Dense) *mat.Dense {
	var d mat.Dense
	s.Transform(&d, x)
	return &d
}

// mse is the mean squared error of net on scaled data.
func mse(net *nn.Network, x, y *mat.Dense) float64 {
	r, c := y.Dims()
	if r == 0 {
		return math.NaN()
	}
	var p mat.Dense
	net.Predict(&p, x)
	s := 0.0
	for i := range r {
		for j := range c {
			d := p.At(i, j) - y.At(i, j)
			s += d * d
		}
	}
	return s / float64(r*c)
}
