package nn

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// Settings configures Train. A nil *Settings, and every zero field, means
// the default.
type Settings struct {
	Epochs    int       // number of passes over the training rows; default 100
	BatchSize int       // rows per mini-batch; default 32. The last batch of an epoch may be smaller.
	Loss      Loss      // default MSE
	Optimizer Optimizer // default &Adam{}
	Schedule  Schedule  // learning rate per epoch; default the optimizer's constant rate

	// Validation data: either a fraction in [0, 1) of the rows of x, y held
	// out at random (drawn from the random source before training), or an
	// explicit set ValidX, ValidY. Not both.
	ValidationFraction float64
	ValidX, ValidY     mat.Matrix

	// Early stopping: stop when the monitored loss (the validation loss if
	// there is validation data, else the training loss) has not decreased
	// by more than MinDelta below its best for Patience epochs; 0 disables.
	Patience int
	MinDelta float64
	// RestoreBest leaves the network with the parameters of the epoch of
	// the best monitored loss instead of the last ones.
	RestoreBest bool

	// Workers is the number of goroutines; 0 means GOMAXPROCS (at most
	// the number of CPUs). Results do not depend on it. Between the phases
	// of a mini-batch the extra goroutines poll instead of sleeping, so
	// that many small phases stay parallel; on a machine whose cores are
	// busy with other work, Workers = 1 may be faster.
	Workers int

	// Callback, if not nil, is called after each epoch with the network
	// already holding that epoch's parameters. A non-nil error stops
	// training and is returned by Train.
	Callback func(Epoch) error
}

// Epoch summarizes one epoch of training.
type Epoch struct {
	Epoch        int     // counted from 0
	LearningRate float64 // used in this epoch
	// Loss is the mean of the mini-batch losses over the epoch, weighted by
	// batch size (as Keras reports it); for MSE that is the mean squared
	// error over all training rows with the weights of the moment each batch
	// was seen.
	Loss float64
	// Accuracy is the fraction of training rows classified right (argmax of
	// output and target, or the side of 0.5 for one output), counted like
	// Loss. Set for CrossEntropy only.
	Accuracy float64
	// ValLoss and ValAccuracy are computed on the validation data with the
	// parameters at the end of the epoch. Set if Validated.
	ValLoss, ValAccuracy float64
	Validated            bool
}

// History is the per-epoch record of a training.
type History struct {
	Loss, ValLoss         []float64 // ValLoss is nil without validation data
	Accuracy, ValAccuracy []float64 // nil unless the loss is CrossEntropy
	LearningRate          []float64
	// BestEpoch is the epoch of the best monitored loss, an improvement
	// being a decrease by more than Settings.MinDelta; BestLoss is that loss.
	BestEpoch int
	BestLoss  float64
	Stopped   bool // early stopping ended the training
}

// Train fits net to the rows of x (inputs) and y (targets) by mini-batch
// gradient descent with backpropagation. Each epoch shuffles the training
// rows with rnd and visits them in batches; each batch applies one
// optimizer step. The random source is used only for the validation split
// and the shuffles, so that the same rnd state and network give the same
// bits (weights, history, predictions) whatever the number of workers.
//
// Train returns the history of the finished epochs. It stops with an error
// for invalid data or settings, a non-finite loss, a cancelled ctx (checked
// before each batch) or an error from Settings.Callback. Net then holds the
// parameters of the last step (of the last finished epoch after a
// non-finite loss), or the best ones with Settings.RestoreBest.
func Train(ctx context.Context, net *Network, x, y mat.Matrix, s *Settings, rnd *rand.Rand) (*History, error) {
	if s == nil {
		s = &Settings{}
	}
	if rnd == nil {
		return nil, errors.New("nn: Train needs a random source")
	}
	if err := net.Validate(); err != nil {
		return nil, err
	}
	cfg, err := s.withDefaults(net)
	if err != nil {
		return nil, err
	}
	train, valid, err := trainingData(net, x, y, &cfg, rnd)
	if err != nil {
		return nil, err
	}

	batch := min(cfg.BatchSize, train.rows)
	e := newEngine(net, batch, cfg.Workers, cfg.Loss, true)
	defer e.close()
	e.opt = cfg.Optimizer.newState(len(e.params))
	base := cfg.Optimizer.baseRate()
	classify := cfg.Loss == CrossEntropy

	h := &History{BestEpoch: -1, BestLoss: math.Inf(1)}
	var monitored, best []float64
	wait := 0                                       // epochs since the last improvement
	lastGood := append([]float64(nil), e.params...) // parameters after the last finished epoch
	diverged := func(what string, epoch int, v, lr float64) error {
		copy(e.params, lastGood)
		return fmt.Errorf("nn: epoch %d: %s loss is %v (learning rate %g too large?); the network keeps the parameters of the previous epoch", epoch, what, v, lr)
	}
	finish := func() {
		if cfg.RestoreBest && best != nil {
			copy(e.params, best)
		}
		e.syncTo(net)
	}
	defer finish()

	nout := net.Outputs()
	for epoch := 0; epoch < cfg.Epochs; epoch++ {
		lr, err := cfg.rate(epoch, base, monitored)
		if err != nil {
			return h, err
		}
		e.lr = lr
		train.shuffle(rnd)
		sum, hits, err := e.epoch(ctx, train, batch, classify)
		if err != nil {
			return h, err
		}
		ep := Epoch{Epoch: epoch, LearningRate: lr, Loss: sum * lossScale(cfg.Loss, train.rows, nout)}
		if classify {
			ep.Accuracy = float64(hits) / float64(train.rows)
		}
		if math.IsNaN(ep.Loss) || math.IsInf(ep.Loss, 0) {
			return h, diverged("training", epoch, ep.Loss, lr)
		}
		mon := ep.Loss
		if valid != nil {
			ep.ValLoss, ep.ValAccuracy = valid.evaluate(e, classify)
			ep.Validated = true
			if math.IsNaN(ep.ValLoss) || math.IsInf(ep.ValLoss, 0) {
				return h, diverged("validation", epoch, ep.ValLoss, lr)
			}
			mon = ep.ValLoss
		}
		h.add(ep, classify)
		copy(lastGood, e.params)
		monitored = append(monitored, mon)
		if mon < h.BestLoss-cfg.MinDelta {
			h.BestEpoch, h.BestLoss, wait = epoch, mon, 0
			if cfg.RestoreBest {
				best = append(best[:0], e.params...)
			}
		} else {
			wait++
		}
		e.syncTo(net)
		if cfg.Callback != nil {
			if err := cfg.Callback(ep); err != nil {
				return h, err
			}
		}
		if cfg.Patience > 0 && wait >= cfg.Patience {
			h.Stopped = true
			break
		}
	}
	return h, nil
}

// withDefaults returns a copy of s with its defaults filled in, checked
// against net.
func (s *Settings) withDefaults(net *Network) (Settings, error) {
	cfg := *s
	cfg.Epochs = orDefaultInt(cfg.Epochs, 100)
	cfg.BatchSize = orDefaultInt(cfg.BatchSize, 32)
	if cfg.Optimizer == nil {
		cfg.Optimizer = &Adam{}
	}
	return cfg, checkSettings(&cfg, net)
}

// rate returns the learning rate of an epoch: base, or the schedule's
// given the monitored losses of the epochs before.
func (s *Settings) rate(epoch int, base float64, monitored []float64) (float64, error) {
	if s.Schedule == nil {
		return base, nil
	}
	lr := s.Schedule.Rate(epoch, base, monitored)
	if !(lr > 0) || math.IsInf(lr, 1) {
		return 0, fmt.Errorf("nn: epoch %d: schedule gave learning rate %v, want positive and finite", epoch, lr)
	}
	return lr, nil
}

// trainingData returns the training rows of x and y and the validation
// rows (nil for none): Settings.ValidX and ValidY, or a random fraction
// ValidationFraction of the rows.
func trainingData(net *Network, x, y mat.Matrix, cfg *Settings, rnd *rand.Rand) (train, valid *dataset, err error) {
	data, err := newDataset(net, x, y, "x", "y")
	if err != nil {
		return nil, nil, err
	}
	switch {
	case cfg.ValidX != nil || cfg.ValidY != nil:
		if cfg.ValidX == nil || cfg.ValidY == nil {
			return nil, nil, errors.New("nn: Settings.ValidX and ValidY must be given together")
		}
		if valid, err = newDataset(net, cfg.ValidX, cfg.ValidY, "ValidX", "ValidY"); err != nil {
			return nil, nil, err
		}
		train = data
	case cfg.ValidationFraction > 0:
		nv := int(math.Round(cfg.ValidationFraction * float64(data.rows)))
		if nv < 1 || nv >= data.rows {
			return nil, nil, fmt.Errorf("nn: validation fraction %v of %d rows leaves %d validation and %d training rows, want ≥ 1 of each",
				cfg.ValidationFraction, data.rows, nv, data.rows-nv)
		}
		perm := rnd.Perm(data.rows)
		train, valid = data.subset(perm[:data.rows-nv]), data.subset(perm[data.rows-nv:])
	default:
		train = data
	}
	if train.idx == nil {
		train = train.subset(nil)
	}
	return train, valid, nil
}

// epoch takes one optimizer step per mini-batch of the (shuffled) training
// rows and returns the sum of the rows' losses and, when classify, the
// rows classified right. It checks ctx before each batch.
func (e *engine) epoch(ctx context.Context, train *dataset, batch int, classify bool) (sum float64, hits int, err error) {
	for b0 := 0; b0 < train.rows; b0 += batch {
		if err := ctx.Err(); err != nil {
			return sum, hits, err
		}
		n := min(batch, train.rows-b0)
		train.gather(e, b0, n)
		e.step++
		e.lossGrad(n, classify, false, true)
		for r := 0; r < n; r++ {
			sum += e.rowLoss[r]
			if classify && e.rowHit[r] {
				hits++
			}
		}
	}
	return sum, hits, nil
}

func (h *History) add(ep Epoch, classify bool) {
	h.Loss = append(h.Loss, ep.Loss)
	h.LearningRate = append(h.LearningRate, ep.LearningRate)
	if classify {
		h.Accuracy = append(h.Accuracy, ep.Accuracy)
	}
	if ep.Validated {
		h.ValLoss = append(h.ValLoss, ep.ValLoss)
		if classify {
			h.ValAccuracy = append(h.ValAccuracy, ep.ValAccuracy)
		}
	}
}

func orDefaultInt(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

func checkSettings(s *Settings, net *Network) error {
	switch {
	case s.Epochs < 0:
		return fmt.Errorf("nn: Settings.Epochs = %d, want ≥ 1", s.Epochs)
	case s.BatchSize < 0:
		return fmt.Errorf("nn: Settings.BatchSize = %d, want ≥ 1", s.BatchSize)
	case !(s.ValidationFraction >= 0 && s.ValidationFraction < 1):
		return fmt.Errorf("nn: Settings.ValidationFraction = %v, want in [0, 1)", s.ValidationFraction)
	case s.ValidationFraction > 0 && (s.ValidX != nil || s.ValidY != nil):
		return errors.New("nn: Settings.ValidationFraction and ValidX/ValidY are exclusive")
	case s.Patience < 0:
		return fmt.Errorf("nn: Settings.Patience = %d, want ≥ 0", s.Patience)
	case !(s.MinDelta >= 0) || math.IsInf(s.MinDelta, 1):
		return fmt.Errorf("nn: Settings.MinDelta = %v, want ≥ 0 and finite", s.MinDelta)
	case s.Workers < 0:
		return fmt.Errorf("nn: Settings.Workers = %d, want ≥ 0", s.Workers)
	}
	if err := s.Optimizer.check(); err != nil {
		return err
	}
	return checkLoss(s.Loss, net.Layers[len(net.Layers)-1].Act)
}

// dataset is a set of rows of row-major inputs and targets, optionally
// through an index.
type dataset struct {
	x, y      []float64
	xs, ys    int
	nin, nout int
	rows      int
	idx       []int // row i is idx[i]; nil means the identity
}

// newDataset checks x and y against net and returns their rows. Values
// must be finite.
func newDataset(net *Network, x, y mat.Matrix, xname, yname string) (*dataset, error) {
	xr, xc := x.Dims()
	yr, yc := y.Dims()
	switch {
	case xr == 0:
		return nil, fmt.Errorf("nn: %s has no rows", xname)
	case xc != net.Inputs():
		return nil, fmt.Errorf("nn: %s has %d columns, the network has %d inputs", xname, xc, net.Inputs())
	case yc != net.Outputs():
		return nil, fmt.Errorf("nn: %s has %d columns, the network has %d outputs", yname, yc, net.Outputs())
	case yr != xr:
		return nil, fmt.Errorf("nn: %s has %d rows, %s has %d", xname, xr, yname, yr)
	}
	xd, xs := rawRows(x)
	yd, ys := rawRows(y)
	if err := checkFinite(xd, xs, xr, xc, xname); err != nil {
		return nil, err
	}
	if err := checkFinite(yd, ys, yr, yc, yname); err != nil {
		return nil, err
	}
	return &dataset{x: xd, y: yd, xs: xs, ys: ys, nin: xc, nout: yc, rows: xr}, nil
}

// rawRows returns the row-major storage of m: its own if m is a *mat.Dense,
// else a copy.
func rawRows(m mat.Matrix) ([]float64, int) {
	if d, ok := m.(*mat.Dense); ok {
		raw := d.RawMatrix()
		return raw.Data, raw.Stride
	}
	d := mat.DenseCopyOf(m)
	raw := d.RawMatrix()
	return raw.Data, raw.Stride
}

func checkFinite(data []float64, stride, rows, cols int, name string) error {
	for r := 0; r < rows; r++ {
		for c, v := range data[r*stride : r*stride+cols] {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("nn: %s[%d, %d] is %v", name, r, c, v)
			}
		}
	}
	return nil
}

// subset returns the rows idx of d (all rows in order if idx is nil).
func (d *dataset) subset(idx []int) *dataset {
	s := *d
	if idx == nil {
		idx = make([]int, d.rows)
		for i := range idx {
			idx[i] = i
		}
	}
	s.idx, s.rows = idx, len(idx)
	return &s
}

func (d *dataset) shuffle(rnd *rand.Rand) {
	rnd.Shuffle(len(d.idx), func(i, j int) { d.idx[i], d.idx[j] = d.idx[j], d.idx[i] })
}

// gather copies rows [b0, b0+n) into the engine's buffers and points the
// engine at them.
func (d *dataset) gather(e *engine, b0, n int) {
	for r := 0; r < n; r++ {
		i := b0 + r
		if d.idx != nil {
			i = d.idx[i]
		}
		copy(e.xbuf[r*d.nin:(r+1)*d.nin], d.x[i*d.xs:])
		copy(e.ybuf[r*d.nout:(r+1)*d.nout], d.y[i*d.ys:])
	}
	e.setBlock(n, e.xbuf, d.nin, e.ybuf, d.nout)
}

// block points the engine at rows [b0, b0+n), without copying when the rows
// are not indexed.
func (d *dataset) block(e *engine, b0, n int) {
	if d.idx != nil {
		d.gather(e, b0, n)
		return
	}
	e.setBlock(n, d.x[b0*d.xs:], d.xs, d.y[b0*d.ys:], d.ys)
}

// evaluate returns the loss and accuracy of the network on d.
func (d *dataset) evaluate(e *engine, classify bool) (loss, acc float64) {
	var sum float64
	hits := 0
	for b0 := 0; b0 < d.rows; b0 += e.maxRows {
		n := min(e.maxRows, d.rows-b0)
		d.block(e, b0, n)
		e.evalLoss(classify)
		for r := 0; r < n; r++ {
			sum += e.rowLoss[r]
			if classify && e.rowHit[r] {
				hits++
			}
		}
	}
	return sum * lossScale(e.loss, d.rows, d.nout), float64(hits) / float64(d.rows)
}
