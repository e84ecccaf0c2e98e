package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/cosmoemu/cosmoemu/internal/atomicfile"
	"github.com/cosmoemu/cosmoemu/nn"
	"github.com/cosmoemu/cosmoemu/paper/sdss"
)

func init() {
	register(command{
		name:    "classify",
		summary: "train the SDSS star/galaxy/quasar classifier (paper Section 6) or label new rows with a saved one",
		run:     runClassify,
	})
}

// Bounds of -hidden: the weights of a layer are the product of two sizes.
const (
	maxLayerSize = 4096
	maxLayers    = 16
)

// classifyFlags are the flags of classify.
type classifyFlags struct {
	data, hidden, features, act, redshift string
	modelOut, figs, model, predict, out   string
	epochs, test, batch, importance       int
	workers                               int
	seed                                  uint64
	paper, compare, asJSON                bool
	lr                                    float64
	set                                   map[string]bool // the flags given
}

func (f *classifyFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.data, "data", "", "SDSS CSV `file` with a header (the DR14 table ships as data/sdss/sdss_dr14.csv)")
	fs.StringVar(&f.hidden, "hidden", "150,150,150,150", fmt.Sprintf("hidden layer `sizes`, comma-separated (at most %d layers of at most %d units)", maxLayers, maxLayerSize))
	intVar(fs, &f.epochs, "epochs", 80, 1, 1_000_000, "training epochs")
	intVar(fs, &f.test, "test", 2000, 1, maxSize, "rows held out for the test (stratified by class)")
	fs.Uint64Var(&f.seed, "seed", sdss.DefaultSeed, "random `seed` of the split, initialization and shuffles")
	fs.BoolVar(&f.paper, "paper", false, "the paper's recipe: plain z-scores, sigmoid units, RMSprop lr 1e-3, last epoch")
	fs.StringVar(&f.features, "features", "paper", "input columns: paper (15), physical (ra,dec,u,g,r,i,z,redshift) or a comma-separated `list`")
	fs.BoolVar(&f.compare, "compare", true, "also train on the physical features only (no identifier columns) and report both")
	fs.StringVar(&f.act, "activation", "", "hidden `activation` (default tanh; sigmoid with -paper)")
	floatVar(fs, &f.lr, "lr", 3e-4, 0, 10, true, "initial learning `rate` (1e-3 with -paper unless given)")
	intVar(fs, &f.batch, "batch", 32, 1, 1_000_000, "mini-batch size")
	fs.StringVar(&f.redshift, "redshift", "", "redshift input: asinh (asinh(z/0.001), the default recipe's) or linear (the paper's plain z-score)")
	intVar(fs, &f.importance, "importance", 0, 0, 1000, "shuffles per feature for the permutation importance on the test set (0: skip)")
	fs.StringVar(&f.modelOut, "model-out", "", "`file` to save the trained classifier to")
	fs.StringVar(&f.figs, "figs", "", "figure `prefix`: draws PREFIX-confusion.png (Fig. 10) and PREFIX-accuracy.png (Fig. 9)")
	fs.BoolVar(&f.asJSON, "json", false, "print one JSON object instead of a report")
	workersFlag(fs, &f.workers)
	fs.StringVar(&f.model, "model", "", "classifier `file` to label new rows with (with -predict)")
	fs.StringVar(&f.predict, "predict", "", "CSV `file` of rows to label with -model (the feature columns; class optional)")
	fs.StringVar(&f.out, "out", "", "with -predict: output CSV `file` (default: standard output)")
}

func runClassify(e *env, args []string) error {
	fs := newFlagSet(e, "classify", "-data FILE [-hidden 150,150,150,150] [-epochs 80] [-test 2000] [-seed S] [-paper] [-features paper|physical|COLS] [-redshift asinh|linear] [-importance N] [-model-out FILE] [-figs PREFIX] [-json]\n       cosmoemu classify -model FILE -predict rows.csv [-out labels.csv]")
	var f classifyFlags
	f.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	f.set = map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { f.set[fl.Name] = true })
	if f.model != "" || f.predict != "" {
		if err := f.checkPredict(); err != nil {
			return err
		}
		return classifyPredict(e, f.model, f.predict, f.out)
	}
	s, err := f.settings()
	if err != nil {
		return err
	}
	var conf, acc string
	if f.figs != "" {
		conf, acc = f.figs+"-confusion.png", f.figs+"-accuracy.png"
	}
	if err := checkFiles(inFile("data", f.data), outFile("model-out", f.modelOut), outFile("figs", conf), outFile("figs", acc)); err != nil {
		return err
	}
	start := time.Now()
	st, err := classifyStudy(e, f.data, s, &sdss.StudySettings{Physical: f.compare, Importance: f.importance})
	if err != nil {
		return err
	}
	sum := st.Summary(f.data, f.seed)
	if f.modelOut != "" {
		if err := st.Classifier.Save(f.modelOut); err != nil {
			return err
		}
		sum.Files["model"] = f.modelOut
	}
	if f.figs != "" {
		if err := st.ConfusionFigure(conf); err != nil {
			return err
		}
		if err := st.AccuracyFigure(acc); err != nil {
			return err
		}
		sum.Files["confusion"], sum.Files["accuracy"] = conf, acc
	}
	sum.Seconds = time.Since(start).Seconds()
	if f.asJSON {
		return writeJSON(e.stdout, sum)
	}
	printClassify(e.stdout, st, sum, f.importance)
	return nil
}

// checkPredict checks the flags of classify -model FILE -predict ROWS.
func (f *classifyFlags) checkPredict() error {
	if f.model == "" || f.predict == "" {
		return usagef("classify: -model and -predict go together (label the rows of -predict with the classifier in -model)")
	}
	for _, name := range []string{"data", "paper", "hidden", "epochs", "test", "model-out", "figs", "importance"} {
		if f.set[name] {
			return usagef("classify: -%s is for training; -model/-predict only labels rows", name)
		}
	}
	return checkFiles(inFile("model", f.model), inFile("predict", f.predict), outFile("out", f.out))
}

// settings turns the training flags into the study's settings.
func (f *classifyFlags) settings() (*sdss.Settings, error) {
	if f.data == "" {
		return nil, usagef("classify: -data is required (the SDSS DR14 table ships as data/sdss/sdss_dr14.csv)")
	}
	if f.set["out"] {
		return nil, usagef("classify: -out is for -predict; use -model-out and -figs when training")
	}
	s := sdss.Default()
	if f.paper {
		s = sdss.Paper()
	}
	s.Seed, s.Workers = f.seed, f.workers
	var err error
	if s.Hidden, err = parseSizes(f.hidden); err != nil {
		return nil, usagef("classify: -hidden %q: %v", f.hidden, err)
	}
	switch f.redshift {
	case "":
	case sdss.RedshiftAsinh, sdss.RedshiftLinear:
		s.Redshift = f.redshift
	default:
		return nil, usagef("classify: -redshift %q: want asinh or linear", f.redshift)
	}
	s.Epochs, s.Test, s.BatchSize = f.epochs, f.test, f.batch
	if f.act != "" {
		if s.Activation, err = nn.ParseActivation(f.act); err != nil || s.Activation == nn.Softmax {
			return nil, usagef("classify: -activation %q: want sigmoid, tanh, relu or linear", f.act)
		}
	}
	if f.set["lr"] {
		s.LearningRate = f.lr
	}
	if s.Features, err = sdss.ParseFeatures(f.features); err != nil {
		return nil, usagef("classify: -features: %v", err)
	}
	return s, nil
}

// classifyStudy runs the study with a progress bar over every epoch of
// every training.
func classifyStudy(e *env, data string, s *sdss.Settings, opt *sdss.StudySettings) (*sdss.StudyResult, error) {
	var bar *progress
	done := 0
	opt.Progress = func(_, runs int, ep nn.Epoch) {
		if bar == nil {
			bar = newProgress(e, int64(runs*s.Epochs), "training")
		}
		done++
		bar.Set(int64(done))
		bar.Describe(fmt.Sprintf("epoch %d: accuracy %.4f, validation %.4f", ep.Epoch+1, ep.Accuracy, ep.ValAccuracy))
	}
	st, err := sdss.Study(e.ctx, data, s, opt)
	if bar != nil {
		bar.Finish()
	}
	var pe *sdss.ParseError
	var se *sdss.SplitError
	switch {
	case errors.As(err, &se):
		return nil, usagef("classify: -test %d: %v", s.Test, se)
	case errors.As(err, &pe) || isFileError(err):
		return nil, badInput("classify", "data", err)
	}
	return st, err
}

// printClassify prints the report of classify.
func printClassify(w io.Writer, st *sdss.StudyResult, r *sdss.Summary, importance int) {
	var cls []string
	for k, name := range r.Classes {
		cls = append(cls, fmt.Sprintf("%s %d", name, st.Counts[k]))
	}
	fmt.Fprintf(w, "SDSS classifier, %s recipe: %s\n", r.Recipe, r.Description)
	fmt.Fprintf(w, "data %s: %d rows (%s); stratified split %d training / %d validation / %d test, seed %d\n",
		r.Data, st.Table.Rows(), strings.Join(cls, ", "), r.TrainRows, r.ValRows, r.TestRows, r.Seed)
	fmt.Fprintf(w, "kept the weights of epoch %d of %d; training took %.1f s\n\n", r.BestEpoch, r.Epochs, r.TrainS)
	fmt.Fprintf(w, "%-44s %9s %11s %8s\n", "accuracy", "training", "validation", "test")
	fmt.Fprintf(w, "%-44s %8.2f%% %10.2f%% %7.2f%%\n", fmt.Sprintf("this run (%d features)", len(r.Features)), 100*r.TrainAcc, 100*r.ValAcc, 100*r.TestAcc)
	if wo := r.Without; wo != nil {
		fmt.Fprintf(w, "%-44s %8.2f%% %10.2f%% %7.2f%%\n", fmt.Sprintf("same recipe without identifiers (%d features)", len(wo.Features)), 100*wo.TrainAcc, 100*wo.ValAcc, 100*wo.TestAcc)
	}
	fmt.Fprintf(w, "%-44s %8.2f%% %10.2f%% %7.2f%%\n\n", "paper (15 features, Section 6)", 100*sdss.PaperTrainAccuracy, 100*sdss.PaperValAccuracy, 100*sdss.PaperTestAccuracy)
	fmt.Fprintf(w, "test set per class:   precision   recall\n")
	for k, name := range r.Classes {
		fmt.Fprintf(w, "  %-8s %14.2f%% %8.2f%%\n", name, 100*r.Precision[k], 100*r.Recall[k])
	}
	fmt.Fprintf(w, "\nconfusion matrix of the test set (rows: true class, columns: predicted):\n%10s", "")
	for _, name := range r.Classes {
		fmt.Fprintf(w, " %7s", name)
	}
	fmt.Fprintln(w)
	for k, name := range r.Classes {
		fmt.Fprintf(w, "  %-8s", name)
		for _, n := range r.Confusion[k] {
			fmt.Fprintf(w, " %7d", n)
		}
		fmt.Fprintln(w)
	}
	if st.Importance != nil {
		fmt.Fprintf(w, "\npermutation importance on the test set (accuracy lost when one column is shuffled, mean of %d):\n", importance)
		for _, j := range sdss.Ranked(st.Importance) {
			fmt.Fprintf(w, "  %-10s %7.2f%%\n", r.Features[j], 100*st.Importance[j])
		}
	}
	if len(r.Files) == 0 {
		fmt.Fprintf(w, "\nno files written (-model-out FILE saves the classifier, -figs PREFIX draws Figs. 9 and 10)\n")
		return
	}
	var names []string
	for _, k := range []string{"model", "confusion", "accuracy"} {
		if f, ok := r.Files[k]; ok {
			names = append(names, f)
		}
	}
	fmt.Fprintf(w, "\nwrote %s in %.1f s\n", strings.Join(names, ", "), r.Seconds)
}

// parseSizes parses comma-separated layer sizes in [1, maxLayerSize], at
// most maxLayers of them.
func parseSizes(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 || n > maxLayerSize {
			return nil, fmt.Errorf("%q is not a layer size in [1, %d]", strings.TrimSpace(f), maxLayerSize)
		}
		out = append(out, n)
	}
	if len(out) > maxLayers {
		return nil, fmt.Errorf("%d layers, at most %d", len(out), maxLayers)
	}
	return out, nil
}

// classifyPredict labels the rows of a CSV file with a saved classifier and
// writes one CSV line per row (see sdss.Classifier.WriteLabels).
func classifyPredict(e *env, modelPath, rowsPath, outPath string) error {
	c, err := sdss.Load(modelPath)
	if err != nil {
		return badInput("classify", "model", err)
	}
	t, err := sdss.ReadFile(rowsPath, c.Features, false)
	if err != nil {
		return badInput("classify", "predict", err)
	}
	write := func(w io.Writer) error { return c.WriteLabels(w, t) }
	if outPath == "" {
		if err := write(e.stdout); err != nil {
			return err
		}
	} else if err := atomicfile.Write(outPath, write); err != nil {
		return err
	}
	msg := fmt.Sprintf("labelled %d rows of %s with %s (%s recipe, test accuracy %.2f%%)", t.Rows(), rowsPath, modelPath, c.Training.Recipe, 100*c.Accuracy.Test)
	if t.Class != nil {
		m := c.Evaluate(t)
		msg += fmt.Sprintf("; accuracy against the class column: %.2f%% (%d of %d)", 100*m.Accuracy, m.Correct, m.N)
	}
	fmt.Fprintln(e.stderr, msg)
	return nil
}
