package main

import (
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"gonum.org/v1/plot/vg"

	"github.com/cosmoemu/cosmoemu/internal/atomicfile"
	"github.com/cosmoemu/cosmoemu/nn"
	"github.com/cosmoemu/cosmoemu/paper/sdss"
	"github.com/cosmoemu/cosmoemu/plots"
)

func init() {
	register(command{
		name:    "classify",
		summary: "train the SDSS star/galaxy/quasar classifier (paper Section 6) or label new rows with a saved one",
		run:     runClassify,
	})
}

// The paper's accuracies (Section 6): training, validation, test.
var paperAccuracy = [3]float64{0.9832, 0.9825, 0.9765}

// classifyRun is what classify -json prints.
type classifyRun struct {
	Recipe      string             `json:"recipe"`
	Description string             `json:"description"`
	Data        string             `json:"data"`
	Features    []string           `json:"features"`
	Classes     []string           `json:"classes"`
	TrainAcc    float64            `json:"train_acc"`
	ValAcc      float64            `json:"val_acc"`
	TestAcc     float64            `json:"test_acc"`
	PaperAcc    map[string]float64 `json:"paper_acc"`
	Confusion   [][]int            `json:"confusion"` // test set, [true][predicted]
	Precision   []float64          `json:"precision"` // test set, per class
	Recall      []float64          `json:"recall"`
	TrainRows   int                `json:"train_rows"`
	ValRows     int                `json:"val_rows"`
	TestRows    int                `json:"test_rows"`
	BestEpoch   int                `json:"best_epoch"`
	Epochs      int                `json:"epochs"`
	Seed        uint64             `json:"seed"`
	Accuracy    []float64          `json:"accuracy_per_epoch"`
	ValAccuracy []float64          `json:"val_accuracy_per_epoch"`
	Without     *classifyBrief     `json:"without_identifiers,omitempty"`
	Importance  map[string]float64 `json:"permutation_importance,omitempty"`
	Files       map[string]string  `json:"files"`
	TrainS      float64            `json:"train_seconds"`
	Seconds     float64            `json:"seconds"`
}

// classifyBrief is the comparison run on the physical features only.
type classifyBrief struct {
	Features  []string  `json:"features"`
	TrainAcc  float64   `json:"train_acc"`
	ValAcc    float64   `json:"val_acc"`
	TestAcc   float64   `json:"test_acc"`
	Confusion [][]int   `json:"confusion"`
	Precision []float64 `json:"precision"`
	Recall    []float64 `json:"recall"`
	TrainS    float64   `json:"train_seconds"`
}

// Bounds of -hidden: the weights of a layer are the product of two sizes.
const (
	maxLayerSize = 4096
	maxLayers    = 16
)

func runClassify(e *env, args []string) error {
	fs := newFlagSet(e, "classify", "-data FILE [-hidden 150,150,150,150] [-epochs 80] [-test 2000] [-seed S] [-paper] [-features paper|physical|COLS] [-redshift asinh|linear] [-importance N] [-model-out FILE] [-figs PREFIX] [-json]\n       cosmoemu classify -model FILE -predict rows.csv [-out labels.csv]")
	dataPath := fs.String("data", "", "SDSS CSV `file` with a header (the DR14 table ships as data/sdss/sdss_dr14.csv)")
	hidden := fs.String("hidden", "150,150,150,150", fmt.Sprintf("hidden layer `sizes`, comma-separated (at most %d layers of at most %d units)", maxLayers, maxLayerSize))
	epochs := intFlag(fs, "epochs", 80, 1, 1_000_000, "training epochs")
	test := intFlag(fs, "test", 2000, 1, maxSize, "rows held out for the test (stratified by class)")
	seed := fs.Uint64("seed", sdss.DefaultSeed, "random `seed` of the split, initialization and shuffles")
	paper := fs.Bool("paper", false, "the paper's recipe: plain z-scores, sigmoid units, RMSprop lr 1e-3, last epoch")
	features := fs.String("features", "paper", "input columns: paper (15), physical (ra,dec,u,g,r,i,z,redshift) or a comma-separated `list`")
	compare := fs.Bool("compare", true, "also train on the physical features only (no identifier columns) and report both")
	act := fs.String("activation", "", "hidden `activation` (default tanh; sigmoid with -paper)")
	lr := floatFlag(fs, "lr", 3e-4, 0, 10, true, "initial learning `rate` (1e-3 with -paper unless given)")
	batch := intFlag(fs, "batch", 32, 1, 1_000_000, "mini-batch size")
	redshift := fs.String("redshift", "", "redshift input: asinh (asinh(z/0.001), the default recipe's) or linear (the paper's plain z-score)")
	importance := intFlag(fs, "importance", 0, 0, 1000, "shuffles per feature for the permutation importance on the test set (0: skip)")
	modelOut := fs.String("model-out", "", "`file` to save the trained classifier to")
	figs := fs.String("figs", "", "figure `prefix`: draws PREFIX-confusion.png (Fig. 10) and PREFIX-accuracy.png (Fig. 9)")
	asJSON := fs.Bool("json", false, "print one JSON object instead of a report")
	var workers int
	workersFlag(fs, &workers)
	model := fs.String("model", "", "classifier `file` to label new rows with (with -predict)")
	predict := fs.String("predict", "", "CSV `file` of rows to label with -model (the feature columns; class optional)")
	out := fs.String("out", "", "with -predict: output CSV `file` (default: standard output)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })

	if *model != "" || *predict != "" {
		if *model == "" || *predict == "" {
			return usagef("classify: -model and -predict go together (label the rows of -predict with the classifier in -model)")
		}
		for _, name := range []string{"data", "paper", "hidden", "epochs", "test", "model-out", "figs", "importance"} {
			if set[name] {
				return usagef("classify: -%s is for training; -model/-predict only labels rows", name)
			}
		}
		if err := checkFiles(inFile("model", *model), inFile("predict", *predict), outFile("out", *out)); err != nil {
			return err
		}
		return classifyPredict(e, *model, *predict, *out)
	}
	if *dataPath == "" {
		return usagef("classify: -data is required (the SDSS DR14 table ships as data/sdss/sdss_dr14.csv)")
	}
	if set["out"] {
		return usagef("classify: -out is for -predict; use -model-out and -figs when training")
	}

	s := sdss.Default()
	if *paper {
		s = sdss.Paper()
	}
	s.Seed, s.Workers = *seed, workers
	var err error
	if s.Hidden, err = parseSizes(*hidden); err != nil {
		return usagef("classify: -hidden %q: %v", *hidden, err)
	}
	switch *redshift {
	case "":
	case sdss.RedshiftAsinh, sdss.RedshiftLinear:
		s.Redshift = *redshift
	default:
		return usagef("classify: -redshift %q: want asinh or linear", *redshift)
	}
	s.Epochs, s.Test, s.BatchSize = *epochs, *test, *batch
	if *act != "" {
		if s.Activation, err = nn.ParseActivation(*act); err != nil || s.Activation == nn.Softmax {
			return usagef("classify: -activation %q: want sigmoid, tanh, relu or linear", *act)
		}
	}
	if set["lr"] {
		s.LearningRate = *lr
	}
	if s.Features, err = sdss.ParseFeatures(*features); err != nil {
		return usagef("classify: -features: %v", err)
	}
	var conf, acc string
	if *figs != "" {
		conf, acc = *figs+"-confusion.png", *figs+"-accuracy.png"
	}
	if err := checkFiles(inFile("data", *dataPath), outFile("model-out", *modelOut), outFile("figs", conf), outFile("figs", acc)); err != nil {
		return err
	}

	start := time.Now()
	var bar *progress
	done := 0
	st, err := sdss.Study(e.ctx, *dataPath, s, &sdss.StudySettings{
		Physical: *compare, Importance: *importance,
		Progress: func(_, runs int, ep nn.Epoch) {
			if bar == nil {
				bar = newProgress(e, int64(runs*s.Epochs), "training")
			}
			done++
			bar.Set(int64(done))
			bar.Describe(fmt.Sprintf("epoch %d: accuracy %.4f, validation %.4f", ep.Epoch+1, ep.Accuracy, ep.ValAccuracy))
		},
	})
	if bar != nil {
		bar.Finish()
	}
	if err != nil {
		return err
	}
	c, rep := st.Classifier, st.Report

	files := map[string]string{}
	if *modelOut != "" {
		if err := c.Save(*modelOut); err != nil {
			return err
		}
		files["model"] = *modelOut
	}
	if *figs != "" {
		title := fmt.Sprintf("SDSS test set (%d objects): accuracy %.2f%%", rep.Test.N, 100*rep.Test.Accuracy)
		if err := plots.Confusion(conf, title, c.Classes, rep.Test.Confusion, 5.5*vg.Inch, 4.5*vg.Inch); err != nil {
			return err
		}
		if err := plotAccuracy(acc, rep.History, c.Training.BestEpoch); err != nil {
			return err
		}
		files["confusion"], files["accuracy"] = conf, acc
	}

	var without *classifyBrief
	if r2 := st.Physical; r2 != nil {
		without = &classifyBrief{
			Features: sdss.PhysicalFeatures, TrainAcc: r2.Train.Accuracy, ValAcc: r2.Val.Accuracy, TestAcc: r2.Test.Accuracy,
			Confusion: r2.Test.Confusion, Precision: r2.Test.Precision, Recall: r2.Test.Recall, TrainS: r2.Seconds,
		}
	}
	var imp map[string]float64
	if st.Importance != nil {
		imp = map[string]float64{}
		for j, f := range c.Features {
			imp[f] = st.Importance[j]
		}
	}
	h := rep.History
	r := &classifyRun{
		Recipe: c.Training.Recipe, Description: c.Training.Description, Data: *dataPath,
		Features: c.Features, Classes: c.Classes,
		TrainAcc: rep.Train.Accuracy, ValAcc: rep.Val.Accuracy, TestAcc: rep.Test.Accuracy,
		PaperAcc:  map[string]float64{"train": paperAccuracy[0], "val": paperAccuracy[1], "test": paperAccuracy[2]},
		Confusion: rep.Test.Confusion, Precision: rep.Test.Precision, Recall: rep.Test.Recall,
		TrainRows: rep.Train.N, ValRows: rep.Val.N, TestRows: rep.Test.N,
		BestEpoch: c.Training.BestEpoch, Epochs: len(h.Loss), Seed: *seed,
		Accuracy: h.Accuracy, ValAccuracy: h.ValAccuracy, Without: without, Importance: imp, Files: files,
		TrainS: rep.Seconds, Seconds: time.Since(start).Seconds(),
	}
	if *asJSON {
		return writeJSON(e.stdout, r)
	}
	w := e.stdout
	var cls []string
	for k, name := range c.Classes {
		cls = append(cls, fmt.Sprintf("%s %d", name, st.Counts[k]))
	}
	fmt.Fprintf(w, "SDSS classifier, %s recipe: %s\n", r.Recipe, r.Description)
	fmt.Fprintf(w, "data %s: %d rows (%s); stratified split %d training / %d validation / %d test, seed %d\n",
		*dataPath, st.Table.Rows(), strings.Join(cls, ", "), r.TrainRows, r.ValRows, r.TestRows, *seed)
	fmt.Fprintf(w, "kept the weights of epoch %d of %d; training took %.1f s\n\n", r.BestEpoch, r.Epochs, rep.Seconds)
	fmt.Fprintf(w, "%-44s %9s %11s %8s\n", "accuracy", "training", "validation", "test")
	fmt.Fprintf(w, "%-44s %8.2f%% %10.2f%% %7.2f%%\n", fmt.Sprintf("this run (%d features)", len(c.Features)), 100*r.TrainAcc, 100*r.ValAcc, 100*r.TestAcc)
	if without != nil {
		fmt.Fprintf(w, "%-44s %8.2f%% %10.2f%% %7.2f%%\n", fmt.Sprintf("same recipe without identifiers (%d features)", len(without.Features)), 100*without.TrainAcc, 100*without.ValAcc, 100*without.TestAcc)
	}
	fmt.Fprintf(w, "%-44s %8.2f%% %10.2f%% %7.2f%%\n\n", "paper (15 features, Section 6)", 100*paperAccuracy[0], 100*paperAccuracy[1], 100*paperAccuracy[2])
	fmt.Fprintf(w, "test set per class:   precision   recall\n")
	for k, name := range c.Classes {
		fmt.Fprintf(w, "  %-8s %14.2f%% %8.2f%%\n", name, 100*r.Precision[k], 100*r.Recall[k])
	}
	fmt.Fprintf(w, "\nconfusion matrix of the test set (rows: true class, columns: predicted):\n%10s", "")
	for _, name := range c.Classes {
		fmt.Fprintf(w, " %7s", name)
	}
	fmt.Fprintln(w)
	for k, name := range c.Classes {
		fmt.Fprintf(w, "  %-8s", name)
		for _, n := range r.Confusion[k] {
			fmt.Fprintf(w, " %7d", n)
		}
		fmt.Fprintln(w)
	}
	if st.Importance != nil {
		fmt.Fprintf(w, "\npermutation importance on the test set (accuracy lost when one column is shuffled, mean of %d):\n", *importance)
		for _, j := range sdss.Ranked(st.Importance) {
			fmt.Fprintf(w, "  %-10s %7.2f%%\n", c.Features[j], 100*st.Importance[j])
		}
	}
	if len(files) > 0 {
		var names []string
		for _, k := range []string{"model", "confusion", "accuracy"} {
			if f, ok := files[k]; ok {
				names = append(names, f)
			}
		}
		fmt.Fprintf(w, "\nwrote %s in %.1f s\n", strings.Join(names, ", "), r.Seconds)
	} else {
		fmt.Fprintf(w, "\nno files written (-model-out FILE saves the classifier, -figs PREFIX draws Figs. 9 and 10)\n")
	}
	return nil
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

// plotAccuracy draws the accuracy and the loss per epoch (the paper's
// Fig. 9), marking the epoch whose weights were kept (best, from 1).
func plotAccuracy(path string, h *nn.History, best int) error {
	x := make([]float64, len(h.Accuracy))
	for i := range x {
		x[i] = float64(i + 1)
	}
	kept := func(y ...[]float64) plots.Series {
		lo, hi := y[0][0], y[0][0]
		for _, v := range y {
			lo, hi = min(lo, slices.Min(v)), max(hi, slices.Max(v))
		}
		return plots.Series{Label: fmt.Sprintf("kept weights (epoch %d)", best), X: []float64{float64(best), float64(best)}, Y: []float64{lo, hi}, Color: plots.Palette[6], Dashed: true}
	}
	return plots.Lines(path, []plots.Panel{
		{
			Title: "accuracy per epoch", XLabel: "epoch", YLabel: "accuracy", LegendBottom: true,
			Series: []plots.Series{
				{Label: "training (running mean over the epoch)", X: x, Y: h.Accuracy},
				{Label: "validation", X: x, Y: h.ValAccuracy, Dashed: true},
				kept(h.Accuracy, h.ValAccuracy),
			},
		},
		{
			Title: "cross-entropy per epoch", XLabel: "epoch", YLabel: "loss", LogY: true,
			Series: []plots.Series{
				{Label: "training", X: x, Y: h.Loss},
				{Label: "validation", X: x, Y: h.ValLoss, Dashed: true},
				kept(h.Loss, h.ValLoss),
			},
		},
	}, 2, 5*vg.Inch, 3.8*vg.Inch)
}

// classifyPredict labels the rows of a CSV file with a saved classifier and
// writes one CSV line per row (see sdss.Classifier.WriteLabels).
func classifyPredict(e *env, modelPath, rowsPath, outPath string) error {
	c, err := sdss.Load(modelPath)
	if err != nil {
		return err
	}
	t, err := sdss.ReadFile(rowsPath, c.Features, false)
	if err != nil {
		return err
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
