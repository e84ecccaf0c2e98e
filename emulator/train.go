package emulator

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"gonum.org/v1/gonum/mat"

	"github.com/cosmoemu/cosmoemu/friedmann"
	"github.com/cosmoemu/cosmoemu/grid"
	"github.com/cosmoemu/cosmoemu/nn"
)

// TrainSettings control Train. A nil *TrainSettings, and every zero field,
// means the recipe's default.
type TrainSettings struct {
	Seed uint64 // seeds initialization, splits and shuffles; default 1

	// Epochs of the first-order optimizer: RMSprop for the paper recipe
	// (default 500), Adam for the default recipe (default 3000).
	Epochs    int
	BatchSize int     // default 32
	Rate      float64 // initial learning rate: paper 1e-3, default 1e-2

	// Default recipe only.
	Hidden     int // width of the ln E network's hidden layer; default 16
	OmegaWidth int // width of the two hidden layers of the Ω network; default 32
	LBFGSIters int // L-BFGS iterations after Adam, per network; default 16000, negative for none

	ValidationFraction float64 // held out for the validation loss; default 0.2
	// Check is the number of random points at which the trained model is
	// compared with the closed form (Validate, seeded by Seed) and the
	// report stored in the model; default 1000, negative to skip.
	Check   int
	Workers int // goroutines; 0 means GOMAXPROCS (results do not depend on it)

	// Progress, if not nil, is called after each epoch or L-BFGS iteration
	// of each network with its stage ("lnE adam", "lnE lbfgs", ...), the
	// step, the number of steps and the training and validation losses
	// (NaN when not computed).
	Progress func(stage string, step, steps int, loss, valLoss float64)
}

// History is the loss per epoch of each network's training.
type History struct {
	Network []string     // names, in order
	Loss    [][]float64  // per network: training loss per epoch (then per L-BFGS iteration)
	ValLoss [][]float64  // per network: validation loss per epoch (NaN where not computed)
	Stages  [][]string   // per network: the stage of each entry
	Final   []LossRecord // per network: final losses
}

// LossRecord is a network's final training and validation MSE on scaled
// outputs.
type LossRecord struct {
	Train, Validation float64
}

func (s *TrainSettings) withDefaults(recipe string) TrainSettings {
	var d TrainSettings
	if s != nil {
		d = *s
	}
	if d.Seed == 0 {
		d.Seed = 1
	}
	if d.BatchSize == 0 {
		d.BatchSize = 32
	}
	if d.ValidationFraction == 0 {
		d.ValidationFraction = 0.2
	}
	if d.Check == 0 {
		d.Check = 1000
	}
	switch recipe {
	case RecipePaper:
		if d.Epochs == 0 {
			d.Epochs = 500
		}
		if d.Rate == 0 {
			d.Rate = 1e-3
		}
	default:
		if d.Epochs == 0 {
			d.Epochs = 3000
		}
		if d.Rate == 0 {
			d.Rate = 1e-2
		}
		if d.Hidden == 0 {
			d.Hidden = 16
		}
		if d.OmegaWidth == 0 {
			d.OmegaWidth = 32
		}
		if d.LBFGSIters == 0 {
			d.LBFGSIters = 16000
		}
	}
	return d
}

func (s *TrainSettings) validate() error {
	switch {
	case s.Epochs < 0:
		return fmt.Errorf("emulator: epochs %d < 0", s.Epochs)
	case s.BatchSize < 1:
		return fmt.Errorf("emulator: batch size %d < 1", s.BatchSize)
	case !(s.Rate > 0) || math.IsInf(s.Rate, 0):
		return fmt.Errorf("emulator: learning rate %v must be positive", s.Rate)
	case !(s.ValidationFraction > 0 && s.ValidationFraction < 0.9):
		return fmt.Errorf("emulator: validation fraction %v must be in (0, 0.9)", s.ValidationFraction)
	case s.Hidden < 0 || s.OmegaWidth < 0:
		return fmt.Errorf("emulator: network widths %d and %d must not be negative", s.Hidden, s.OmegaWidth)
	}
	return nil
}

// Train trains a model with the named recipe on a grid matrix (grid.Build
// or grid.Read: columns N, Om0, H0, Omega_r, Omega_m, Omega_L, H). The same
// grid and settings give the same model bytes.
func Train(ctx context.Context, recipe string, g *mat.Dense, s *TrainSettings) (*Model, *History, error) {
	set := s.withDefaults(recipe)
	if err := set.validate(); err != nil {
		return nil, nil, err
	}
	if _, c := g.Dims(); c != grid.NumCols {
		return nil, nil, fmt.Errorf("emulator: grid has %d columns, want %d (%v)", c, grid.NumCols, grid.Columns)
	}
	var m *Model
	var h *History
	var err error
	switch recipe {
	case RecipeDefault:
		m, h, err = trainDefault(ctx, g, set)
	case RecipePaper:
		m, h, err = trainPaper(ctx, g, set)
	default:
		return nil, nil, fmt.Errorf("emulator: unknown recipe %q (want %q or %q)", recipe, RecipeDefault, RecipePaper)
	}
	if err != nil {
		return nil, nil, err
	}
	if set.Check > 0 {
		r, err := Validate(m, set.Check, rand.New(rand.NewPCG(set.Seed, 0x76616c6964)))
		if err != nil {
			return nil, nil, fmt.Errorf("emulator: validating the trained model: %w", err)
		}
		m.validation = r
	}
	return m, h, nil
}

// curveData is a grid regrouped as one sample per Ω_m0.
type curveData struct {
	om0   []float64 // sorted
	nodes []float64
	lnE   *mat.Dense // len(om0) × K
	omega *mat.Dense // len(om0) × 2K: Ω_r then Ω_m
	h0    [2]float64
}

// regroup checks that g is a Cartesian grid of flat ΛCDM solutions and
// collects one curve per Ω_m0. E = H/H0 and the Ω_i must not depend on H0;
// the curves of the first H0 are used.
func regroup(g *mat.Dense) (*curveData, error) {
	rows, _ := g.Dims()
	type pair struct{ om0, h0 float64 }
	byPair := map[pair][]int{}
	var order []pair
	for i := range rows {
		r := g.RawRowView(i)
		for j, v := range r {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("emulator: grid row %d column %s is %v", i, grid.Columns[j], v)
			}
		}
		p := pair{r[grid.ColOm0], r[grid.ColH0]}
		if _, ok := byPair[p]; !ok {
			order = append(order, p)
		}
		byPair[p] = append(byPair[p], i)
	}
	ref := byPair[order[0]]
	nodes := make([]float64, len(ref))
	for k, i := range ref {
		nodes[k] = g.At(i, grid.ColN)
	}
	if !sort.Float64sAreSorted(nodes) {
		return nil, fmt.Errorf("emulator: the grid's N values of each (Om0, H0) must be in increasing order")
	}
	d := &curveData{nodes: nodes, h0: [2]float64{math.Inf(1), math.Inf(-1)}}
	seen := map[float64]int{} // Ω_m0 → sample index
	var lnE, omega [][]float64
	for _, p := range order {
		idx := byPair[p]
		if len(idx) != len(nodes) {
			return nil, fmt.Errorf("emulator: Om0 = %v, H0 = %v has %d N values, the first pair %d: not a Cartesian grid", p.om0, p.h0, len(idx), len(nodes))
		}
		d.h0[0], d.h0[1] = min(d.h0[0], p.h0), max(d.h0[1], p.h0)
		le := make([]float64, len(nodes))
		om := make([]float64, 2*len(nodes))
		for k, i := range idx {
			r := g.RawRowView(i)
			if r[grid.ColN] != nodes[k] {
				return nil, fmt.Errorf("emulator: Om0 = %v, H0 = %v has N = %v where the first pair has %v: not a Cartesian grid", p.om0, p.h0, r[grid.ColN], nodes[k])
			}
			if !(r[grid.ColH] > 0) {
				return nil, fmt.Errorf("emulator: grid row %d has H = %v", i, r[grid.ColH])
			}
			le[k] = math.Log(r[grid.ColH] / p.h0)
			om[k], om[len(nodes)+k] = r[grid.ColOmegaR], r[grid.ColOmegaM]
		}
		if s, ok := seen[p.om0]; ok {
			// E must be the same at every H0.
			for k := range le {
				if math.Abs(le[k]-lnE[s][k]) > 1e-6 {
					return nil, fmt.Errorf("emulator: at Om0 = %v, N = %v, H/H0 differs between H0 values by %.3g: not a flat ΛCDM grid", p.om0, nodes[k], le[k]-lnE[s][k])
				}
			}
			continue
		}
		seen[p.om0] = len(lnE)
		d.om0 = append(d.om0, p.om0)
		lnE = append(lnE, le)
		omega = append(omega, om)
	}
	if len(d.om0) < 10 {
		return nil, fmt.Errorf("emulator: the grid has %d distinct Om0 values; the default recipe needs at least 10", len(d.om0))
	}
	// Sort the samples by Ω_m0.
	perm := make([]int, len(d.om0))
	for i := range perm {
		perm[i] = i
	}
	sort.Slice(perm, func(a, b int) bool { return d.om0[perm[a]] < d.om0[perm[b]] })
	om0 := make([]float64, len(perm))
	d.lnE = mat.NewDense(len(perm), len(nodes), nil)
	d.omega = mat.NewDense(len(perm), 2*len(nodes), nil)
	for i, p := range perm {
		om0[i] = d.om0[p]
		d.lnE.SetRow(i, lnE[p])
		d.omega.SetRow(i, omega[p])
	}
	d.om0 = om0
	return d, nil
}

func trainDefault(ctx context.Context, g *mat.Dense, set TrainSettings) (*Model, *History, error) {
	data, err := regroup(g)
	if err != nil {
		return nil, nil, err
	}
	rows, _ := g.Dims()
	k := len(data.nodes)
	m := &Model{
		recipe: RecipeDefault,
		or0:    friedmann.DefaultOmegaR0,
		domain: Domain{
			Om0: [2]float64{data.om0[0], data.om0[len(data.om0)-1]},
			H0:  data.h0,
			N:   [2]float64{data.nodes[0], data.nodes[k-1]},
		},
	}
	if err := checkDomain(m.domain, m.or0); err != nil {
		return nil, nil, fmt.Errorf("emulator: grid: %v", err)
	}
	if err := m.setNodes(data.nodes); err != nil {
		return nil, nil, fmt.Errorf("emulator: grid N axis: %v", err)
	}
	// Hold out a random fraction of the Ω_m0 curves, never the two ends of
	// the range: the domain is where training data are.
	rnd := rand.New(rand.NewPCG(set.Seed, 0x636f736d6f656d75))
	n := len(data.om0)
	nVal := int(math.Round(set.ValidationFraction * float64(n)))
	perm := rnd.Perm(n - 2)
	isVal := make([]bool, n)
	for _, p := range perm[:nVal] {
		isVal[p+1] = true
	}
	split := func(y *mat.Dense) (xt, yt, xv, yv *mat.Dense) {
		_, c := y.Dims()
		xt, yt = mat.NewDense(n-nVal, 1, nil), mat.NewDense(n-nVal, c, nil)
		xv, yv = mat.NewDense(nVal, 1, nil), mat.NewDense(nVal, c, nil)
		it, iv := 0, 0
		for i := range n {
			if isVal[i] {
				xv.Set(iv, 0, data.om0[i])
				yv.SetRow(iv, y.RawRowView(i))
				iv++
			} else {
				xt.Set(it, 0, data.om0[i])
				yt.SetRow(it, y.RawRowView(i))
				it++
			}
		}
		return xt, yt, xv, yv
	}

	// The late-time network covers the nodes from three below N(z = LateZ)
	// to today, with E itself as the target: the margin keeps z ≤ LateZ
	// away from the end of its spline, where it is least accurate.
	kLate := 0
	for kk, n := range data.nodes {
		if n <= friedmann.NOfZ(LateZ) {
			kLate = max(kk-3, 0)
		}
	}
	lateNodes := data.nodes[kLate:]
	var lateE *mat.Dense
	if len(lateNodes) >= 4 && data.nodes[0] <= friedmann.NOfZ(LateZ) {
		lateE = mat.NewDense(n, len(lateNodes), nil)
		for i := range n {
			for j := range lateNodes {
				lateE.Set(i, j, math.Exp(data.lnE.At(i, kLate+j)))
			}
		}
	}

	hist := &History{}
	info := TrainingInfo{
		Seed:         set.Seed,
		GridRows:     rows,
		Grid:         fmt.Sprintf("%d Om0 in [%g, %g] × H0 in [%g, %g] × %d N in [%g, %g]", n, m.domain.Om0[0], m.domain.Om0[1], m.domain.H0[0], m.domain.H0[1], k, m.domain.N[0], m.domain.N[1]),
		Samples:      n - nVal,
		Validation:   nVal,
		Optimizer:    fmt.Sprintf("Adam (rate %g, exponential decay to 1%%) then L-BFGS", set.Rate),
		Epochs:       set.Epochs,
		BatchSize:    set.BatchSize,
		LearningRate: set.Rate,
		LBFGSIters:   set.LBFGSIters,
		TrainLoss:    map[string]float64{},
		ValLoss:      map[string]float64{},
		Params:       map[string]int{},
	}
	specs := []struct {
		name  string
		y     *mat.Dense
		sizes []int
		dst   *curveNet
	}{
		{"lnE", data.lnE, []int{1, set.Hidden, k}, &m.lnE},
		{"omega", data.omega, []int{1, set.OmegaWidth, set.OmegaWidth, 2 * k}, &m.omega},
	}
	var late curveNet
	if lateE != nil {
		specs = append(specs, struct {
			name  string
			y     *mat.Dense
			sizes []int
			dst   *curveNet
		}{"E_late", lateE, []int{1, set.Hidden, len(lateNodes)}, &late})
	}
	for i, spec := range specs {
		xt, yt, xv, yv := split(spec.y)
		iters := set.LBFGSIters
		relative := spec.name == "E_late"
		if relative {
			// A small network: four times the polishing costs a second.
			iters *= 4
		}
		c, rec, err := fitCurveNet(ctx, spec.name, spec.sizes, xt, yt, xv, yv, set, iters, relative, uint64(i), hist)
		if err != nil {
			return nil, nil, err
		}
		*spec.dst = *c
		info.TrainLoss[spec.name] = rec.Train
		info.ValLoss[spec.name] = rec.Validation
		info.Params[spec.name] = c.net.NumParams()
	}
	m.training = info
	m.desc = fmt.Sprintf("default recipe: ln E and (Ω_r, Ω_m) at %d uniform N nodes from Ω_m0 (networks 1→%d→%d and 1→%d→%d→%d, tanh), not-a-knot spline in N", k, set.Hidden, k, set.OmegaWidth, set.OmegaWidth, 2*k)
	if lateE != nil {
		if err := m.setLate(lateNodes, late); err != nil {
			return nil, nil, err
		}
		m.desc += fmt.Sprintf("; E itself at the %d nodes of z ≤ %g (1→%d→%d), so that H there needs no exponential", len(lateNodes), float64(LateZ), set.Hidden, len(lateNodes))
	}
	return m, hist, nil
}

// fitCurveNet trains one network of the default recipe: Adam with an
// exponentially decaying rate, then L-BFGS on the full training set.
//
// Targets are centred per node and scaled by one factor (see below), or, if
// relative, by that factor times each node's mean, so that the loss weighs
// relative errors alike: the E network's requirement is on H/H0, and E
// ranges from 1 today to about 5 at z = 3.
func fitCurveNet(ctx context.Context, name string, sizes []int, xt, yt, xv, yv *mat.Dense, set TrainSettings, lbfgsIters int, relative bool, stream uint64, hist *History) (*curveNet, LossRecord, error) {
	in := &nn.MinMaxScaler{Low: -1, High: 1}
	out := &nn.StandardScaler{}
	if err := in.Fit(xt); err != nil {
		return nil, LossRecord{}, err
	}
	if err := out.Fit(yt); err != nil {
		return nil, LossRecord{}, err
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
	sx, sy := scaled(in, xt), scaled(out, yt)
	svx, svy := scaled(in, xv), scaled(out, yv)

	acts := make([]nn.Activation, len(sizes)-1)
	for i := range acts {
		acts[i] = nn.Tanh
	}
	acts[len(acts)-1] = nn.Linear
	net, err := nn.New(sizes, acts)
	if err != nil {
		return nil, LossRecord{}, err
	}
	rnd := rand.New(rand.NewPCG(set.Seed, stream))
	net.Init(nn.GlorotUniform, rnd)

	hist.Network = append(hist.Network, name)
	var losses, vals []float64
	var stages []string
	if set.Epochs > 0 {
		// Decay the rate to 1% of its start over the epochs.
		factor := math.Pow(0.01, 1/float64(set.Epochs))
		_, err = nn.Train(ctx, net, sx, sy, &nn.Settings{
			Epochs:    set.Epochs,
			BatchSize: set.BatchSize,
			Optimizer: &nn.Adam{LearningRate: set.Rate},
			Schedule:  &nn.ExponentialDecay{Factor: factor},
			ValidX:    svx, ValidY: svy,
			Workers: set.Workers,
			Callback: func(e nn.Epoch) error {
				losses, vals, stages = append(losses, e.Loss), append(vals, e.ValLoss), append(stages, "adam")
				if set.Progress != nil {
					set.Progress(name+" adam", e.Epoch+1, set.Epochs, e.Loss, e.ValLoss)
				}
				return nil
			},
		}, rnd)
		if err != nil {
			return nil, LossRecord{}, fmt.Errorf("emulator: training %s: %w", name, err)
		}
	}
	if lbfgsIters > 0 {
		_, err = nn.FitLBFGS(ctx, net, sx, sy, &nn.LBFGSSettings{
			MaxIterations: lbfgsIters,
			Workers:       set.Workers,
			Callback: func(it int, loss float64) error {
				losses, vals, stages = append(losses, loss), append(vals, math.NaN()), append(stages, "lbfgs")
				if set.Progress != nil {
					set.Progress(name+" lbfgs", it, lbfgsIters, loss, math.NaN())
				}
				return nil
			},
		})
		if err != nil {
			return nil, LossRecord{}, fmt.Errorf("emulator: polishing %s: %w", name, err)
		}
	}
	rec := LossRecord{Train: mse(net, sx, sy), Validation: mse(net, svx, svy)}
	hist.Loss = append(hist.Loss, losses)
	hist.ValLoss = append(hist.ValLoss, vals)
	hist.Stages = append(hist.Stages, stages)
	hist.Final = append(hist.Final, rec)
	return &curveNet{net: net, in: in, out: out}, rec, nil
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
