package emulator

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize"

	"github.com/cosmoemu/cosmoemu/nn"
)

// fitSettings configure one network's fit.
type fitSettings struct {
	name       string
	width      int // units of each of the two tanh hidden layers
	epochs     int // Adam epochs before the variable projection
	iterations int // L-BFGS iterations of the variable projection
	seed       uint64
	workers    int
	progress   func(stage string, step, steps int, loss float64)
	ridge      float64 // Tikhonov weight per row; 0 means ridgeTiny
}

// fitResult reports a fit.
type fitResult struct {
	Loss       float64 `json:"loss"` // mean squared error of the scaled outputs
	Iterations int     `json:"iterations"`
	Status     string  `json:"status"`
	Restarts   int     `json:"restarts,omitempty"` // of L-BFGS after a failed line search
}

// fitNet fits a network with two tanh hidden layers, a linear output layer
// and the quadratic skip of Net to inputs x (rows, physical) and
// targets y (rows, physical, columns of all powers of u). Outputs are
// scaled by their means and by one common scale, so that the loss weighs
// every column in the targets' own units (they are logarithms or w: the
// relative and absolute errors that matter).
//
// The fit first solves the skip alone by least squares, trains the network
// on the rest with Adam, then minimizes the loss over the hidden layers by
// L-BFGS with the output layer and the skip eliminated (variable
// projection, Golub & Pereyra 1973): at every step they are the linear
// least-squares solution for the current hidden layers, and by the
// envelope theorem the gradient of the reduced loss is that of the full
// loss with them held fixed. For small smooth regressions this converges to
// losses orders of magnitude below L-BFGS on all parameters (measured:
// docs/emulators.md).
func fitNet(ctx context.Context, x, y *mat.Dense, inputs, outputs []string, udeg int, s fitSettings) (*Net, *fitResult, error) {
	n, d := x.Dims()
	_, cols := y.Dims()
	if n < 2*(s.width+SkipLen(d)+1) {
		return nil, nil, fmt.Errorf("emulator: network %s: %d training points are too few for width %d", s.name, n, s.width)
	}
	in := &nn.MinMaxScaler{Low: -1, High: 1}
	if err := in.Fit(x); err != nil {
		return nil, nil, fmt.Errorf("emulator: network %s: %w", s.name, err)
	}
	xs := mat.NewDense(n, d, nil)
	in.Transform(xs, x)
	mean, std, ys := scaleTargets(y)
	nq := SkipLen(d)
	f := mat.NewDense(n, nq+1, nil)
	for i := range n {
		row := f.RawRowView(i)
		SkipFeatures(row[:nq], xs.RawRowView(i))
		row[nq] = 1
	}
	// The quadratic alone, and Adam on what it leaves.
	base, err := lstsq(f, ys)
	if err != nil {
		return nil, nil, fmt.Errorf("emulator: network %s: %w", s.name, err)
	}
	resid := mat.NewDense(n, cols, nil)
	resid.Mul(f, base)
	resid.Sub(ys, resid)
	rs := rmsOf(resid)
	if rs > 0 {
		resid.Scale(1/rs, resid)
	}
	net, err := nn.New([]int{d, s.width, s.width, cols}, []nn.Activation{nn.Tanh, nn.Tanh, nn.Linear})
	if err != nil {
		return nil, nil, err
	}
	rnd := rand.New(rand.NewPCG(s.seed, 0x656d75))
	net.Init(nn.GlorotUniform, rnd)
	if s.epochs > 0 {
		_, err := nn.Train(ctx, net, xs, resid, &nn.Settings{
			Epochs: s.epochs, BatchSize: 64, Optimizer: &nn.Adam{LearningRate: 0.01},
			Schedule: nn.ExponentialDecay{Factor: 0.01, Every: s.epochs}, Workers: s.workers,
			Callback: func(ep nn.Epoch) error {
				if s.progress != nil {
					s.progress(s.name+" adam", ep.Epoch+1, s.epochs, ep.Loss)
				}
				return nil
			},
		}, rnd)
		if err != nil {
			return nil, nil, fmt.Errorf("emulator: network %s: %w", s.name, err)
		}
	}
	rho := s.ridge
	if rho == 0 {
		rho = ridgeTiny
	}
	vp := &varPro{net: net, x: xs, y: ys, f: f, workers: s.workers, ridge: rho}
	res, err := vp.fit(ctx, s)
	if err != nil {
		return nil, nil, err
	}
	skip := make([]float64, nq*cols)
	for q := range nq {
		for j := range cols {
			skip[q*cols+j] = vp.skip.At(q, j)
		}
	}
	// The constant of the skip joins the output bias.
	last := &net.Layers[len(net.Layers)-1]
	for j := range cols {
		last.B[j] += vp.skip.At(nq, j)
	}
	en := &Net{Inputs: inputs, Outputs: outputs, Net: net, In: in, Mean: mean, Std: std, Skip: skip, UDegree: udeg}
	return en, res, nil
}

// scaleTargets returns the targets y centred by their column means and
// divided by one common scale, with the means and the scale of each
// column (all equal), so that the loss weighs every column in the targets'
// own units.
func scaleTargets(y *mat.Dense) (mean, std []float64, ys *mat.Dense) {
	n, cols := y.Dims()
	mean = make([]float64, cols)
	ss := 0.0
	for j := range cols {
		m := 0.0
		for i := range n {
			m += y.At(i, j)
		}
		mean[j] = m / float64(n)
		for i := range n {
			v := y.At(i, j) - mean[j]
			ss += v * v
		}
	}
	scale := math.Sqrt(ss / float64(n*cols))
	if !(scale > 0) {
		scale = 1
	}
	std = make([]float64, cols)
	for j := range std {
		std[j] = scale
	}
	ys = mat.NewDense(n, cols, nil)
	for i := range n {
		for j := range cols {
			ys.Set(i, j, (y.At(i, j)-mean[j])/scale)
		}
	}
	return mean, std, ys
}

// varPro minimizes ‖[H(θ) F] C − Y‖² over the hidden parameters θ with C
// the least-squares solution at θ.
type varPro struct {
	net     *nn.Network
	x, y, f *mat.Dense
	workers int
	ridge   float64 // the Tikhonov weight per row (fitSettings.ridge)

	as, bs  *mat.Dense // the stacked system of the least squares (ridgeSystem)
	skip    *mat.Dense // the skip part of C at the last evaluation
	penalty float64    // the ridge term of the last evaluation
	lastP   []float64
	lastF   float64
	lastG   []float64
	grad    []float64
	yr      *mat.Dense
}

func (v *varPro) hidden() *nn.Network {
	return &nn.Network{Layers: v.net.Layers[:len(v.net.Layers)-1]}
}

// solve sets the output layer and v.skip to the least-squares solution for
// the current hidden layers.
func (v *varPro) solve() error {
	n, _ := v.x.Dims()
	_, cols := v.y.Dims()
	_, nf := v.f.Dims()
	hid := v.hidden()
	w := hid.Outputs()
	if v.as == nil {
		v.as, v.bs = ridgeSystem(w, v.f, v.y, v.ridge*float64(n))
	}
	// Only the hidden layers' block of the system changes.
	hid.Predict(v.as.Slice(0, n, 0, w).(*mat.Dense), v.x)
	c, err := lstsq(v.as, v.bs)
	if err != nil {
		return err
	}
	v.penalty = v.ridge * float64(n) * sumSquares(c) / float64(n*cols)
	last := &v.net.Layers[len(v.net.Layers)-1]
	for j := range w {
		copy(last.W[j*cols:(j+1)*cols], c.RawRowView(j))
	}
	clear(last.B)
	v.skip = mat.DenseCopyOf(c.Slice(w, w+nf, 0, cols))
	return nil
}

// eval evaluates the reduced loss and its gradient at the hidden
// parameters p.
func (v *varPro) eval(p []float64) error {
	if v.lastP != nil && slices.Equal(p, v.lastP) {
		return nil
	}
	hid := v.hidden()
	hid.SetParams(p)
	if err := v.solve(); err != nil {
		return err
	}
	// The loss with the skip held fixed is that of the network on the
	// targets less the skip.
	v.yr.Mul(v.f, v.skip)
	v.yr.Sub(v.y, v.yr)
	v.lastF = v.net.LossGrad(v.grad, v.x, v.yr, nn.MSE) + v.penalty
	copy(v.lastG, v.grad[:len(p)])
	v.lastP = append(v.lastP[:0], p...)
	return nil
}

var errStop = errors.New("stop")

func (v *varPro) fit(ctx context.Context, s fitSettings) (*fitResult, error) {
	n, cols := v.y.Dims()
	v.yr = mat.NewDense(n, cols, nil)
	hid := v.hidden()
	nh := hid.NumParams()
	v.grad = make([]float64, v.net.NumParams())
	v.lastG = make([]float64, nh)
	p0 := hid.Params(nil)
	var evalErr error
	res := &fitResult{}
	best := append([]float64(nil), p0...)
	bestF := math.Inf(1)
	problem := optimize.Problem{
		Func: func(p []float64) float64 {
			if err := v.eval(p); err != nil {
				evalErr = err
				return math.NaN()
			}
			return v.lastF
		},
		Grad: func(g, p []float64) {
			if err := v.eval(p); err != nil {
				evalErr = err
			}
			copy(g, v.lastG)
		},
	}
	rec := recorder(func(loc *optimize.Location, op optimize.Operation) error {
		if op != optimize.MajorIteration {
			return nil
		}
		res.Iterations++
		if loc.F < bestF {
			bestF = loc.F
			copy(best, loc.X)
		}
		if s.progress != nil {
			s.progress(s.name+" varpro", res.Iterations, s.iterations, loc.F)
		}
		if ctx.Err() != nil {
			return errStop
		}
		return nil
	})
	// A failed line search (the variable projection's loss is only as
	// smooth as its least-squares solves) ends L-BFGS early: restart it
	// from the best point with a fresh memory, up to maxRestarts times,
	// until the iterations are spent.
	const maxRestarts = 5
	var result *optimize.Result
	var err error
	start := p0
	for restart := 0; ; restart++ {
		result, err = optimize.Minimize(problem, start, &optimize.Settings{
			MajorIterations: max(s.iterations-res.Iterations, 1),
			Converger:       optimize.NeverTerminate{},
			Recorder:        rec,
		}, &optimize.LBFGS{Store: 30, GradStopThreshold: math.NaN(), Linesearcher: &optimize.MoreThuente{}})
		if cerr := ctx.Err(); cerr != nil {
			return nil, cerr
		}
		if evalErr != nil {
			return nil, fmt.Errorf("emulator: network %s: %w", s.name, evalErr)
		}
		if result != nil && result.F < bestF {
			bestF = result.F
			copy(best, result.X)
		}
		if result == nil || result.Status == optimize.IterationLimit || restart == maxRestarts || res.Iterations >= s.iterations {
			break
		}
		res.Restarts++
		start = slices.Clone(best)
	}
	if math.IsInf(bestF, 1) {
		// No iteration finished: keep the starting point.
		if err := v.eval(p0); err != nil {
			return nil, err
		}
		bestF = v.lastF
	}
	res.Status = "iteration limit"
	if result != nil && result.Status != optimize.IterationLimit {
		res.Status = result.Status.String()
	}
	if err != nil && result == nil {
		return nil, fmt.Errorf("emulator: network %s: %w", s.name, err)
	}
	if res.Status != "iteration limit" && res.Iterations < s.iterations/10 {
		return nil, fmt.Errorf("emulator: network %s: L-BFGS stopped (%s) after %d of %d iterations and %d restarts, at loss %.3g: try another seed or width", s.name, res.Status, res.Iterations, s.iterations, res.Restarts, bestF)
	}
	v.lastP = nil
	if err := v.eval(best); err != nil {
		return nil, err
	}
	res.Loss = v.lastF
	return res, nil
}

type recorder func(*optimize.Location, optimize.Operation) error

func (r recorder) Init() error { return nil }
func (r recorder) Record(l *optimize.Location, op optimize.Operation, _ *optimize.Stats) error {
	return r(l, op)
}

// The Tikhonov weights per training row of the output layer's least
// squares, ‖AC − B‖² + ridge·n‖C‖² (fitSettings.ridge): they keep the
// solution unique and bounded when hidden units are nearly collinear, so
// that the reduced loss stays smooth for the line search.
const (
	// ridgeTiny, far below the losses reached (1e-12 and up), is the
	// early universe's: its fits converge with it.
	ridgeTiny = 1e-20
	// ridgeLate is the scalar field's late networks': with ridgeTiny a
	// width of 64 failed its line search within 20 iterations (a saturated
	// unit whose output weight of 1e3 cancelled the bias), and width 32
	// reached max errors of 6e-5; with 1e-12, a fortieth of the loss
	// reached, width 64 trains to its iteration limit and the errors fall
	// to 3e-5 at most, 8e-7 in the median (docs/emulators.md).
	ridgeLate = 1e-12
)

// ridgeSystem returns the stacked system whose least-squares solution
// minimizes ‖[H F]c − y‖² + rho‖c‖²: [H F; √rho·I] and [y; 0], with H
// (w columns, zero) to be filled in by the caller for each solve.
func ridgeSystem(w int, f, y *mat.Dense, rho float64) (as, bs *mat.Dense) {
	n, nf := f.Dims()
	_, m := y.Dims()
	k := w + nf
	as = mat.NewDense(n+k, k, nil)
	bs = mat.NewDense(n+k, m, nil)
	as.Slice(0, n, w, k).(*mat.Dense).Copy(f)
	bs.Slice(0, n, 0, m).(*mat.Dense).Copy(y)
	r := math.Sqrt(rho)
	for j := range k {
		as.Set(n+j, j, r)
	}
	return as, bs
}

func sumSquares(a *mat.Dense) float64 {
	f := mat.Norm(a, 2)
	return f * f
}

// lstsq returns the least-squares solution of a c = b by Householder QR.
func lstsq(a, b *mat.Dense) (*mat.Dense, error) {
	var qr mat.QR
	qr.Factorize(a)
	var c mat.Dense
	if err := qr.SolveTo(&c, false, b); err != nil {
		var ce mat.Condition
		if !errors.As(err, &ce) {
			return nil, err
		}
		// An ill-conditioned solve is still the least-squares solution in
		// floating point; the fit's loss says whether it serves.
	}
	return &c, nil
}

func rmsOf(a *mat.Dense) float64 {
	r, c := a.Dims()
	return mat.Norm(a, 2) / math.Sqrt(float64(r*c))
}
