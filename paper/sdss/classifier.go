package sdss

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/cosmoemu/cosmoemu/nn"
)

// Optimizer names accepted by Settings.Optimizer.
const (
	Adam    = "adam"
	RMSprop = "rmsprop"
)

// Redshift representations accepted by Settings.Redshift.
const (
	// RedshiftAsinh replaces z by asinh(z/RedshiftScale) before the
	// z-score: linear for |z| ≪ RedshiftScale, logarithmic above, so that
	// stars (|z| ≲ 0.001), galaxies (z ~ 0.02–0.2) and quasars (z ~ 1–5)
	// lie apart on the scale of one standard deviation.
	RedshiftAsinh = "asinh"
	// RedshiftLinear z-scores z itself, as the paper does: the star–galaxy
	// boundary near z = 0.002 then spans 0.005 standard deviations.
	RedshiftLinear = "linear"
	// RedshiftScale is the velocity scale of the asinh stretch, z = 0.001
	// (300 km/s, the radial velocities of Galactic stars).
	RedshiftScale = 1e-3
	// RedshiftColumn is the name of the redshift column.
	RedshiftColumn = "redshift"
)

// DefaultSeed is the seed of the default training.
const DefaultSeed = 1

// seedStream is the second word of the PCG state: fixed, so that a seed
// alone determines the training.
const seedStream = 0x5d55

// Settings configure Train. A nil *Settings means Default(); in a non-nil
// one, zero fields take the values of Default().
type Settings struct {
	Seed uint64 // random seed of the split, initialization and shuffles
	// Features are the input columns; default PaperFeatures.
	Features []string
	// Redshift is how the redshift column is presented to the network:
	// RedshiftAsinh (default) or RedshiftLinear (the paper's plain z-score).
	Redshift string
	// Hidden are the sizes of the hidden layers; default 150,150,150,150.
	Hidden []int
	// Activation of the hidden layers; the output is Softmax.
	Activation nn.Activation
	// Init is "glorot-uniform" (the Keras default), "he-normal" or
	// "he-uniform".
	Init         string
	Epochs       int
	BatchSize    int
	Optimizer    string  // Adam or RMSprop
	LearningRate float64 // initial rate
	// Cosine anneals the learning rate to LearningRate/100 over Epochs.
	Cosine bool
	// Test is the number of rows held out for the test; default 2000.
	Test int
	// ValidationFraction of the non-test rows is used for validation;
	// default 0.2.
	ValidationFraction float64
	// RestoreBest keeps the parameters of the epoch with the lowest
	// validation loss.
	RestoreBest bool
	// Workers is the number of goroutines (0: GOMAXPROCS); results do not
	// depend on it.
	Workers int
	// Callback, if set, is called after each epoch.
	Callback func(nn.Epoch) error
}

// Default returns the recipe that beats the paper: the paper's 15 features
// and network shape, with the redshift stretched by asinh(z/0.001) before
// the z-score, tanh units with Glorot-uniform weights, Adam at 3e-4
// cosine-annealed to 3e-6, batches of 32, 80 epochs, and the weights of the
// epoch with the lowest validation loss.
func Default() *Settings {
	return &Settings{
		Seed:               DefaultSeed,
		Features:           PaperFeatures,
		Redshift:           RedshiftAsinh,
		Hidden:             []int{150, 150, 150, 150},
		Activation:         nn.Tanh,
		Init:               "glorot-uniform",
		Epochs:             80,
		BatchSize:          32,
		Optimizer:          Adam,
		LearningRate:       3e-4,
		Cosine:             true,
		Test:               2000,
		ValidationFraction: 0.2,
		RestoreBest:        true,
	}
}

// Paper returns the paper's set-up (Section 6): 4×150 sigmoid units with
// Glorot-uniform weights (the Keras default), RMSprop at a constant rate
// 1e-3, batches of 32, 80 epochs, the last epoch's weights.
func Paper() *Settings {
	return &Settings{
		Seed:               DefaultSeed,
		Features:           PaperFeatures,
		Redshift:           RedshiftLinear,
		Hidden:             []int{150, 150, 150, 150},
		Activation:         nn.Sigmoid,
		Init:               "glorot-uniform",
		Epochs:             80,
		BatchSize:          32,
		Optimizer:          RMSprop,
		LearningRate:       1e-3,
		Test:               2000,
		ValidationFraction: 0.2,
	}
}

// withDefaults returns a copy of s with zero fields set from Default and
// checks it.
func (s *Settings) withDefaults() (*Settings, error) {
	d := Default()
	if s == nil {
		return d, nil
	}
	c := *s
	if c.Features == nil {
		c.Features = d.Features
	}
	if c.Redshift == "" {
		c.Redshift = d.Redshift
	}
	if c.Hidden == nil {
		c.Hidden = d.Hidden
	}
	if c.Activation == 0 {
		c.Activation = d.Activation
	}
	if c.Init == "" {
		c.Init = d.Init
	}
	if c.Epochs == 0 {
		c.Epochs = d.Epochs
	}
	if c.BatchSize == 0 {
		c.BatchSize = d.BatchSize
	}
	if c.Optimizer == "" {
		c.Optimizer = d.Optimizer
	}
	if c.LearningRate == 0 {
		c.LearningRate = d.LearningRate
	}
	if c.Test == 0 {
		c.Test = d.Test
	}
	if c.ValidationFraction == 0 {
		c.ValidationFraction = d.ValidationFraction
	}
	switch {
	case len(c.Features) == 0:
		return nil, fmt.Errorf("sdss: no feature columns")
	case c.Epochs < 1 || c.BatchSize < 1 || c.Test < 1:
		return nil, fmt.Errorf("sdss: epochs (%d), batch size (%d) and test rows (%d) must be ≥ 1", c.Epochs, c.BatchSize, c.Test)
	case !(c.LearningRate > 0) || math.IsInf(c.LearningRate, 0):
		return nil, fmt.Errorf("sdss: learning rate %v must be a positive number", c.LearningRate)
	case c.Optimizer != Adam && c.Optimizer != RMSprop:
		return nil, fmt.Errorf("sdss: optimizer %q: want %q or %q", c.Optimizer, Adam, RMSprop)
	case c.Redshift != RedshiftAsinh && c.Redshift != RedshiftLinear:
		return nil, fmt.Errorf("sdss: redshift representation %q: want %q or %q", c.Redshift, RedshiftAsinh, RedshiftLinear)
	case c.Activation == nn.Softmax:
		return nil, fmt.Errorf("sdss: softmax is for the output layer only")
	}
	if _, err := initializer(c.Init); err != nil {
		return nil, err
	}
	for _, h := range c.Hidden {
		if h < 1 {
			return nil, fmt.Errorf("sdss: hidden layer sizes %v must be ≥ 1", c.Hidden)
		}
	}
	for _, f := range c.Features {
		if f == ClassColumn {
			return nil, fmt.Errorf("sdss: the class column cannot be a feature")
		}
	}
	return &c, nil
}

func initializer(name string) (nn.Initializer, error) {
	switch name {
	case "glorot-uniform":
		return nn.GlorotUniform, nil
	case "he-normal":
		return nn.HeNormal, nil
	case "he-uniform":
		return nn.HeUniform, nil
	}
	return nil, fmt.Errorf("sdss: initializer %q: want glorot-uniform, he-normal or he-uniform", name)
}

// describe returns a one-line description of the training recipe.
func (s *Settings) describe() string {
	hidden := make([]string, len(s.Hidden))
	for i, h := range s.Hidden {
		hidden[i] = fmt.Sprint(h)
	}
	sched := "constant rate"
	if s.Cosine {
		sched = "cosine-annealed to 1/100"
	}
	best := "last epoch's weights"
	if s.RestoreBest {
		best = "weights of the best validation loss"
	}
	z := ""
	if s.Redshift == RedshiftAsinh && slices.Contains(s.Features, RedshiftColumn) {
		z = fmt.Sprintf(" (redshift as asinh(z/%g))", RedshiftScale)
	}
	return fmt.Sprintf("%d z-scored features%s -> %s %s -> softmax(%d); %s init; %s lr %g (%s), batch %d, %d epochs; %s",
		len(s.Features), z, strings.Join(hidden, "x"), s.Activation, len(Classes), s.Init, s.Optimizer, s.LearningRate, sched, s.BatchSize, s.Epochs, best)
}

// Asinh is the stretch x → asinh(x/Scale) of one feature column, applied
// before the z-score.
type Asinh struct {
	Feature string  `json:"feature"`
	Scale   float64 `json:"scale"`
}

// Classifier is a trained network that labels objects from their features:
// each row is stretched (Asinh), z-scored (Scaler) and passed through Net,
// whose softmax outputs are the probabilities of Classes.
type Classifier struct {
	Classes  []string
	Features []string
	Asinh    []Asinh            // stretched features, if any
	Scaler   *nn.StandardScaler // z-scores of the (stretched) features, fitted on the training rows
	Net      *nn.Network        // scaled features → class probabilities
	Training TrainingInfo
	Accuracy Accuracy
}

// TrainingInfo records how a classifier was trained. It holds no timing,
// so that the same seed gives the same model file, byte for byte.
type TrainingInfo struct {
	Recipe       string  `json:"recipe"` // "default", "paper" or "custom"
	Description  string  `json:"description"`
	Seed         uint64  `json:"seed"`
	Data         string  `json:"data"`
	Hidden       []int   `json:"hidden"`
	Activation   string  `json:"activation"`
	Init         string  `json:"init"`
	Optimizer    string  `json:"optimizer"`
	LearningRate float64 `json:"learning_rate"`
	Cosine       bool    `json:"cosine"`
	BatchSize    int     `json:"batch_size"`
	Epochs       int     `json:"epochs"`
	RestoreBest  bool    `json:"restore_best"`
	BestEpoch    int     `json:"best_epoch"` // the epoch (from 1) whose weights were kept
	TrainRows    int     `json:"train_rows"`
	ValRows      int     `json:"validation_rows"`
	TestRows     int     `json:"test_rows"`
}

// Accuracy records the measured accuracies of a classifier and its test
// confusion matrix.
type Accuracy struct {
	Train         float64 `json:"train"`
	Validation    float64 `json:"validation"`
	Test          float64 `json:"test"`
	TestConfusion [][]int `json:"test_confusion"` // [true class][predicted class]
}

// Report is the outcome of Train: the metrics on each set and the history
// of the training.
type Report struct {
	Split            Split
	Train, Val, Test Metrics
	History          *nn.History
	Seconds          float64 // training time
}

// Train fits a classifier to t (which must have class labels and the
// feature columns of s): a stratified split, the redshift stretch, z-scores
// fitted on the training rows, one-hot targets and a softmax network trained
// with the cross-entropy. The same settings and table give the same
// classifier, bit for bit, whatever the number of workers.
func Train(ctx context.Context, t *Table, s *Settings) (*Classifier, *Report, error) {
	s, err := s.withDefaults()
	if err != nil {
		return nil, nil, err
	}
	if t.Class == nil {
		return nil, nil, fmt.Errorf("sdss: %s: no class column to train on", t.Name)
	}
	t, err = t.Columns(s.Features)
	if err != nil {
		return nil, nil, err
	}
	c := &Classifier{Classes: slices.Clone(Classes), Features: slices.Clone(s.Features), Scaler: &nn.StandardScaler{}}
	if s.Redshift == RedshiftAsinh && slices.Contains(s.Features, RedshiftColumn) {
		c.Asinh = []Asinh{{Feature: RedshiftColumn, Scale: RedshiftScale}}
	}
	stretched := c.stretch(t)

	rnd := rand.New(rand.NewPCG(s.Seed, seedStream))
	split, err := StratifiedSplit(t.Class, len(Classes), s.Test, s.ValidationFraction, rnd)
	if err != nil {
		return nil, nil, err
	}
	train := stretched.Subset(split.Train)
	if err := c.Scaler.Fit(train.X); err != nil {
		return nil, nil, fmt.Errorf("sdss: %s: %w", t.Name, err)
	}
	xTrain, yTrain := c.encode(train)
	sizes := append(append([]int{len(s.Features)}, s.Hidden...), len(Classes))
	acts := make([]nn.Activation, len(sizes)-1)
	for i := range acts {
		acts[i] = s.Activation
	}
	acts[len(acts)-1] = nn.Softmax
	if c.Net, err = nn.New(sizes, acts); err != nil {
		return nil, nil, fmt.Errorf("sdss: %w", err)
	}
	init, _ := initializer(s.Init)
	c.Net.Init(init, rnd)

	var opt nn.Optimizer = &nn.Adam{LearningRate: s.LearningRate}
	if s.Optimizer == RMSprop {
		opt = &nn.RMSprop{LearningRate: s.LearningRate}
	}
	ns := &nn.Settings{
		Epochs: s.Epochs, BatchSize: s.BatchSize, Loss: nn.CrossEntropy, Optimizer: opt,
		Workers: s.Workers, Callback: s.Callback, RestoreBest: s.RestoreBest,
	}
	if s.Cosine {
		ns.Schedule = nn.CosineDecay{Epochs: s.Epochs, Min: s.LearningRate / 100}
	}
	if len(split.Val) > 0 {
		ns.ValidX, ns.ValidY = c.encode(stretched.Subset(split.Val))
	} else if s.RestoreBest {
		return nil, nil, fmt.Errorf("sdss: keeping the best epoch needs validation rows")
	}
	start := time.Now()
	hist, err := nn.Train(ctx, c.Net, xTrain, yTrain, ns, rnd)
	if err != nil {
		return nil, nil, fmt.Errorf("sdss: training: %w", err)
	}
	elapsed := time.Since(start).Seconds()

	rep := &Report{Split: split, History: hist, Seconds: elapsed}
	rep.Train = c.Evaluate(t.Subset(split.Train))
	rep.Val = c.Evaluate(t.Subset(split.Val))
	rep.Test = c.Evaluate(t.Subset(split.Test))
	recipe := "custom"
	switch {
	case sameRecipe(s, Default()):
		recipe = "default"
	case sameRecipe(s, Paper()):
		recipe = "paper"
	}
	best := len(hist.Loss)
	if s.RestoreBest {
		best = hist.BestEpoch + 1
	}
	c.Training = TrainingInfo{
		Recipe: recipe, Description: s.describe(), Seed: s.Seed, Data: t.Name,
		Hidden: slices.Clone(s.Hidden), Activation: s.Activation.String(), Init: s.Init,
		Optimizer: s.Optimizer, LearningRate: s.LearningRate, Cosine: s.Cosine,
		BatchSize: s.BatchSize, Epochs: len(hist.Loss), RestoreBest: s.RestoreBest, BestEpoch: best,
		TrainRows: len(split.Train), ValRows: len(split.Val), TestRows: len(split.Test),
	}
	c.Accuracy = Accuracy{Train: rep.Train.Accuracy, Validation: rep.Val.Accuracy, Test: rep.Test.Accuracy, TestConfusion: rep.Test.Confusion}
	return c, rep, nil
}

// sameRecipe reports whether the training choices of a and b agree (seed,
// data and workers aside).
func sameRecipe(a, b *Settings) bool {
	return slices.Equal(a.Features, b.Features) && a.Redshift == b.Redshift && slices.Equal(a.Hidden, b.Hidden) &&
		a.Activation == b.Activation && a.Init == b.Init && a.Epochs == b.Epochs &&
		a.BatchSize == b.BatchSize && a.Optimizer == b.Optimizer && a.LearningRate == b.LearningRate &&
		a.Cosine == b.Cosine && a.Test == b.Test && a.ValidationFraction == b.ValidationFraction &&
		a.RestoreBest == b.RestoreBest
}

// stretch returns a copy of t (whose columns are c.Features) with the
// Asinh stretches applied.
func (c *Classifier) stretch(t *Table) *Table {
	if len(c.Asinh) == 0 || t.Rows() == 0 {
		return t
	}
	s := *t
	s.X = mat.DenseCopyOf(t.X)
	for _, a := range c.Asinh {
		j := slices.Index(c.Features, a.Feature)
		for r := range s.Rows() {
			row := s.X.RawRowView(r)
			row[j] = math.Asinh(row[j] / a.Scale)
		}
	}
	return &s
}

// encode returns the z-scored features and the one-hot targets of the
// stretched table t.
func (c *Classifier) encode(t *Table) (x, y *mat.Dense) {
	x = mat.NewDense(t.Rows(), len(t.Features), nil)
	c.Scaler.Transform(x, t.X)
	y = mat.NewDense(t.Rows(), len(c.Classes), nil)
	for r, k := range t.Class {
		y.Set(r, k, 1)
	}
	return x, y
}

// Probabilities sets the rows of dst (resized if empty) to the class
// probabilities of the rows of t, whose feature columns must include the
// classifier's.
func (c *Classifier) Probabilities(dst *mat.Dense, t *Table) error {
	t, err := t.Columns(c.Features)
	if err != nil {
		return err
	}
	if t.Rows() == 0 {
		return fmt.Errorf("sdss: %s: no rows to classify", t.Name)
	}
	t = c.stretch(t)
	x := mat.NewDense(t.Rows(), len(c.Features), nil)
	c.Scaler.Transform(x, t.X)
	c.Net.Predict(dst, x)
	return nil
}

// Predict returns the index in c.Classes of the most probable class of each
// row of t.
func (c *Classifier) Predict(t *Table) ([]int, error) {
	var p mat.Dense
	if err := c.Probabilities(&p, t); err != nil {
		return nil, err
	}
	return argmaxRows(&p), nil
}

// argmaxRows returns the column of the largest value of each row (the first
// one on ties).
func argmaxRows(p *mat.Dense) []int {
	r, _ := p.Dims()
	out := make([]int, r)
	for i := range out {
		row := p.RawRowView(i)
		for j, v := range row {
			if v > row[out[i]] {
				out[i] = j
			}
		}
	}
	return out
}

// Evaluate returns the metrics of c on the labelled table t; an empty table
// gives zero metrics. It panics if t has no labels or lacks a feature.
func (c *Classifier) Evaluate(t *Table) Metrics {
	if t.Rows() == 0 {
		return Evaluate(nil, nil, len(c.Classes))
	}
	if t.Class == nil {
		panic("sdss: Evaluate needs a labelled table")
	}
	pred, err := c.Predict(t)
	if err != nil {
		panic(err)
	}
	return Evaluate(pred, t.Class, len(c.Classes))
}
