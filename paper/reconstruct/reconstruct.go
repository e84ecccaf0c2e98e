package reconstruct

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"

	"gonum.org/v1/gonum/mat"

	"github.com/cosmoemu/cosmoemu/data"
	"github.com/cosmoemu/cosmoemu/internal/stats"
	"github.com/cosmoemu/cosmoemu/nn"
)

// Settings configure Train. A nil *Settings means the defaults; in a
// non-nil one, zero fields take the defaults.
type Settings struct {
	// Hidden is the number of units of the hidden layer; default 100.
	Hidden int
	// Activation of the hidden layer; default Sigmoid (the paper's).
	Activation nn.Activation
	// Epochs of Adam; default 3000.
	Epochs int
	// BatchSize; default 4.
	BatchSize int
	// LearningRate of Adam, cosine-annealed to 1/100 of it over Epochs;
	// default 1e-2.
	LearningRate float64
	// ValidationFraction of the points (at least one) is held out for
	// validation, drawn among the interior points so that validation
	// interpolates; default 0.2.
	ValidationFraction float64
	// Members is the number of ensemble networks, each trained on data
	// perturbed within their errors; nil means 20, and a pointer to 0
	// means no ensemble.
	Members *int
	// Workers is the number of members trained at once; 0 means
	// GOMAXPROCS. Results do not depend on it.
	Workers int
	// Progress, if set, is called after each finished network with the
	// number finished and the total (the single fit counts as one).
	Progress func(done, total int)
}

// DefaultMembers is the size of the ensemble when Settings.Members is nil.
const DefaultMembers = 20

// members returns the number of ensemble members of checked settings.
func (s *Settings) members() int { return *s.Members }

func (s *Settings) withDefaults() (Settings, error) {
	var c Settings
	if s != nil {
		c = *s
	}
	if c.Members == nil {
		c.Members = new(DefaultMembers)
	}
	if c.Hidden == 0 {
		c.Hidden = 100
	}
	if c.Activation == 0 {
		c.Activation = nn.Sigmoid
	}
	if c.Epochs == 0 {
		c.Epochs = 3000
	}
	if c.BatchSize == 0 {
		c.BatchSize = 4
	}
	if c.LearningRate == 0 {
		c.LearningRate = 1e-2
	}
	if c.ValidationFraction == 0 {
		c.ValidationFraction = 0.2
	}
	if c.Workers <= 0 {
		c.Workers = runtime.GOMAXPROCS(0)
	}
	switch {
	case c.Hidden < 1 || c.Epochs < 1 || c.BatchSize < 1:
		return c, fmt.Errorf("reconstruct: hidden units (%d), epochs (%d) and batch size (%d) must be ≥ 1", c.Hidden, c.Epochs, c.BatchSize)
	case !(c.LearningRate > 0) || math.IsInf(c.LearningRate, 0):
		return c, fmt.Errorf("reconstruct: learning rate %v must be a positive number", c.LearningRate)
	case !(c.ValidationFraction > 0 && c.ValidationFraction < 0.5):
		return c, fmt.Errorf("reconstruct: validation fraction %v must be in (0, 0.5)", c.ValidationFraction)
	case c.Activation == nn.Softmax:
		return c, fmt.Errorf("reconstruct: softmax is not a hidden-layer activation")
	case *c.Members < 0:
		return c, fmt.Errorf("reconstruct: %d ensemble members, want 0 (none) or more", *c.Members)
	}
	return c, nil
}

// Network is one trained network z → (H, σ_H) with its scalings.
type Network struct {
	net  *nn.Network
	zIn  *nn.MinMaxScaler // z → [0, 1] over the data's redshift range
	hOut *nn.MinMaxScaler // (H, σ_H) ↔ [0, 1] over the training targets
}

// Eval sets h[i] and sigma[i] to the network's H(z[i]) and σ_H(z[i]) in
// km/s/Mpc. It panics if the lengths differ.
func (n *Network) Eval(h, sigma, z []float64) {
	if len(h) != len(z) || len(sigma) != len(z) {
		panic(fmt.Sprintf("reconstruct: Eval: %d z values, %d H and %d sigma slots", len(z), len(h), len(sigma)))
	}
	ws := n.net.NewWorkspace()
	in := make([]float64, 1)
	out := make([]float64, 2)
	for i, zi := range z {
		n.zIn.TransformRow(in, []float64{zi})
		ws.Forward(out, in)
		n.hOut.InverseRow(out, out)
		h[i], sigma[i] = out[0], out[1]
	}
}

// Fit is one network trained on a data set, with its split and history.
type Fit struct {
	*Network
	Train, Val []int       // indices of the training and validation points
	History    *nn.History // per-epoch MSE of the scaled targets
	// Costs: the mean over points and both outputs of the squared error of
	// (H, σ_H) in (km/s/Mpc)², on the training and validation points
	// (the unscaled Keras "mse", the paper's Eq. 22).
	TrainCost, ValCost float64
	// Losses: the same mean on the scaled targets, (H, σ_H) mapped to [0, 1]
	// over the training points; the quantity the optimizer minimizes.
	TrainLoss, ValLoss float64
	// Chi2 is Σ_i ((H_net(z_i) − H_i)/σ_i)² over all points of the data
	// the network was trained on.
	Chi2 float64
}

// Result is the reconstruction of one data set: the paper's single network
// and an ensemble.
type Result struct {
	Data *data.Hz
	// Fit is the network trained on the data as given (the paper's).
	Fit *Fit
	// Members are networks trained with other seeds on data perturbed
	// within their errors, H_i + σ_i·ε_i with ε_i ~ N(0, 1), each with its
	// own split: a parametric bootstrap of the reconstruction.
	Members []*Fit
}

// MinPoints is the fewest data points Train accepts: enough for a
// training and a validation set.
const MinPoints = 5

// Train reconstructs H(z) from d: a network with one hidden layer trained on
// the points (z_i, (H_i, σ_i)) with the MSE of min–max-scaled targets, and
// Settings.Members networks trained on perturbed copies of the data. The
// random source gives the splits, initializations, shuffles and
// perturbations: the same state gives the same result, bit for bit,
// whatever Settings.Workers.
func Train(ctx context.Context, d *data.Hz, s *Settings, rnd *rand.Rand) (*Result, error) {
	cfg, err := s.withDefaults()
	if err != nil {
		return nil, err
	}
	if err := d.Validate(); err != nil {
		return nil, err
	}
	if len(d.Z) < MinPoints {
		return nil, fmt.Errorf("reconstruct: data %q has %d of the %d points a training/validation split needs", d.Name, len(d.Z), MinPoints)
	}
	zIn := &nn.MinMaxScaler{}
	if err := zIn.Fit(mat.NewDense(len(d.Z), 1, slices.Clone(d.Z))); err != nil {
		return nil, fmt.Errorf("reconstruct: %w", err)
	}
	// One seed per network, drawn first, so that each network has its own
	// stream whatever the order in which they are trained.
	seeds := make([][2]uint64, 1+cfg.members())
	for i := range seeds {
		seeds[i] = [2]uint64{rnd.Uint64(), rnd.Uint64()}
	}
	fits := make([]*Fit, len(seeds))
	errs := make([]error, len(seeds))
	var (
		mu   sync.Mutex
		done int
		wg   sync.WaitGroup
	)
	jobs := make(chan int)
	for range min(cfg.Workers, len(seeds)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range jobs {
				fits[k], errs[k] = trainOne(ctx, d, zIn, &cfg, k > 0, rand.New(rand.NewPCG(seeds[k][0], seeds[k][1])))
				if cfg.Progress != nil {
					mu.Lock()
					done++
					cfg.Progress(done, len(seeds))
					mu.Unlock()
				}
			}
		}()
	}
	for k := range seeds {
		if ctx.Err() != nil {
			break
		}
		jobs <- k
	}
	close(jobs)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("reconstruct: %w", err)
	}
	for k, err := range errs {
		if err != nil {
			if k == 0 {
				return nil, fmt.Errorf("reconstruct: data %q: %w", d.Name, err)
			}
			return nil, fmt.Errorf("reconstruct: data %q: ensemble member %d: %w", d.Name, k, err)
		}
	}
	r := &Result{Data: d, Fit: fits[0]}
	if len(fits) > 1 {
		r.Members = fits[1:]
	}
	return r, nil
}

// trainOne trains one network, on the data perturbed within their errors
// if perturb is set.
func trainOne(ctx context.Context, d *data.Hz, zIn *nn.MinMaxScaler, s *Settings, perturb bool, rnd *rand.Rand) (*Fit, error) {
	n := len(d.Z)
	h := slices.Clone(d.H)
	if perturb {
		for i := range h {
			h[i] += d.Sigma[i] * rnd.NormFloat64()
		}
	}
	train, val := split(d.Z, s.ValidationFraction, rnd)
	x := mat.NewDense(n, 1, nil)
	y := mat.NewDense(n, 2, nil)
	for i := range n {
		zIn.TransformRow(x.RawRowView(i), []float64{d.Z[i]})
		y.Set(i, 0, h[i])
		y.Set(i, 1, d.Sigma[i])
	}
	hOut := &nn.MinMaxScaler{}
	if err := hOut.Fit(rows(y, train)); err != nil {
		return nil, err
	}
	ys := mat.NewDense(n, 2, nil)
	hOut.Transform(ys, y)

	net, err := nn.New([]int{1, s.Hidden, 2}, []nn.Activation{s.Activation, nn.Linear})
	if err != nil {
		return nil, err
	}
	net.Init(nn.GlorotUniform, rnd)
	xt, yt := rows(x, train), rows(ys, train)
	xv, yv := rows(x, val), rows(ys, val)
	hist, err := nn.Train(ctx, net, xt, yt, &nn.Settings{
		Epochs: s.Epochs, BatchSize: s.BatchSize, Loss: nn.MSE,
		Optimizer: &nn.Adam{LearningRate: s.LearningRate},
		Schedule:  nn.CosineDecay{Epochs: s.Epochs, Min: s.LearningRate / 100},
		ValidX:    xv, ValidY: yv, Workers: 1,
	}, rnd)
	if err != nil {
		return nil, err
	}
	f := &Fit{Network: &Network{net: net, zIn: zIn, hOut: hOut}, Train: train, Val: val, History: hist}
	hn := make([]float64, n)
	sn := make([]float64, n)
	f.Eval(hn, sn, d.Z)
	f.TrainCost, f.TrainLoss = costs(hn, sn, h, d.Sigma, hOut, train)
	f.ValCost, f.ValLoss = costs(hn, sn, h, d.Sigma, hOut, val)
	for i := range n {
		r := (hn[i] - h[i]) / d.Sigma[i]
		f.Chi2 += r * r
	}
	return f, nil
}

// costs returns the mean squared error of (H, σ_H) over the points idx in
// physical and in scaled units.
func costs(h, sigma, hData, sigmaData []float64, out *nn.MinMaxScaler, idx []int) (phys, scaled float64) {
	kH := (out.High - out.Low) / (out.Max[0] - out.Min[0])
	kS := (out.High - out.Low) / (out.Max[1] - out.Min[1])
	if out.High == 0 && out.Low == 0 {
		kH, kS = 1/(out.Max[0]-out.Min[0]), 1/(out.Max[1]-out.Min[1])
	}
	if out.Max[1] == out.Min[1] {
		kS = 1 // a constant column, as MinMaxScaler treats it
	}
	for _, i := range idx {
		dh, ds := h[i]-hData[i], sigma[i]-sigmaData[i]
		phys += dh*dh + ds*ds
		scaled += dh*dh*kH*kH + ds*ds*kS*kS
	}
	m := float64(2 * len(idx))
	return phys / m, scaled / m
}

// split draws the validation points at random among the interior points
// (not the lowest or highest z), at least one, and returns the training and
// validation indices in increasing order.
func split(z []float64, frac float64, rnd *rand.Rand) (train, val []int) {
	n := len(z)
	lo, hi := 0, 0
	for i := range z {
		if z[i] < z[lo] {
			lo = i
		}
		if z[i] > z[hi] {
			hi = i
		}
	}
	var interior []int
	for i := range n {
		if i != lo && i != hi {
			interior = append(interior, i)
		}
	}
	nv := max(1, int(math.Round(frac*float64(n))))
	perm := rnd.Perm(len(interior))
	isVal := make([]bool, n)
	for _, p := range perm[:nv] {
		isVal[interior[p]] = true
	}
	for i := range n {
		if isVal[i] {
			val = append(val, i)
		} else {
			train = append(train, i)
		}
	}
	return train, val
}

// rows returns the rows idx of m as a new matrix.
func rows(m *mat.Dense, idx []int) *mat.Dense {
	_, c := m.Dims()
	out := mat.NewDense(len(idx), c, nil)
	for r, i := range idx {
		out.SetRow(r, m.RawRowView(i))
	}
	return out
}

// EnsembleFit returns how the ensemble mean fits the data at the data
// points: the mean squared difference from H_i in (km/s/Mpc)², and
// χ² = Σ_i ((mean(z_i) − H_i)/σ_i)². ok is false without members.
func (r *Result) EnsembleFit() (cost, chi2 float64, ok bool) {
	if len(r.Members) == 0 {
		return 0, 0, false
	}
	d := r.Data
	mean := r.Curve(d.Z).Mean
	for i := range d.Z {
		res := mean[i] - d.H[i]
		cost += res * res / float64(d.Len())
		chi2 += res * res / (d.Sigma[i] * d.Sigma[i])
	}
	return cost, chi2, true
}

// Curve is a reconstruction on a redshift grid.
type Curve struct {
	Z     []float64 `json:"z"`
	H     []float64 `json:"H"`     // H(z) of the single network, km/s/Mpc
	Sigma []float64 `json:"sigma"` // the network's σ_H(z) output
	// Mean and Std are the ensemble's mean and standard deviation of H(z)
	// (nil without members).
	Mean []float64 `json:"ensemble_mean,omitempty"`
	Std  []float64 `json:"ensemble_std,omitempty"`
}

// Curve evaluates the reconstruction at z: the single network's H and
// σ_H, and the ensemble's mean and standard deviation of H (with the
// divisor K−1).
func (r *Result) Curve(z []float64) Curve {
	c := Curve{Z: slices.Clone(z), H: make([]float64, len(z)), Sigma: make([]float64, len(z))}
	r.Fit.Eval(c.H, c.Sigma, z)
	if k := len(r.Members); k > 0 {
		c.Mean = make([]float64, len(z))
		c.Std = make([]float64, len(z))
		hs := make([][]float64, k)
		sig := make([]float64, len(z))
		for m, f := range r.Members {
			hs[m] = make([]float64, len(z))
			f.Eval(hs[m], sig, z)
		}
		for i := range z {
			var sum float64
			for m := range k {
				sum += hs[m][i]
			}
			mean := sum / float64(k)
			var ss float64
			for m := range k {
				d := hs[m][i] - mean
				ss += d * d
			}
			c.Mean[i] = mean
			if k > 1 {
				c.Std[i] = math.Sqrt(ss / float64(k-1))
			}
		}
	}
	return c
}

// BandWidth returns the smallest, median and largest half-width of the
// ensemble band (Std) over the curve's redshifts; ok is false without an
// ensemble.
func (c Curve) BandWidth() (lo, median, hi float64, ok bool) {
	if len(c.Std) == 0 {
		return 0, 0, 0, false
	}
	return slices.Min(c.Std), stats.Median(c.Std), slices.Max(c.Std), true
}

// Grid returns n evenly spaced values from lo to hi inclusive (numpy's
// linspace). It panics if n < 2.
func Grid(lo, hi float64, n int) []float64 {
	if n < 2 {
		panic("reconstruct: Grid needs at least 2 points")
	}
	z := make([]float64, n)
	for i := range z {
		z[i] = lo + (hi-lo)*float64(i)/float64(n-1)
	}
	z[n-1] = hi
	return z
}
