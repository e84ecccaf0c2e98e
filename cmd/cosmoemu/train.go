package main

import (
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/cosmoemu/cosmoemu/emulator"
	"github.com/cosmoemu/cosmoemu/grid"
	"github.com/cosmoemu/cosmoemu/paper/friedmann"
)

func init() {
	register(command{
		name:    "train",
		summary: "train an emulator: of the early universe (-model early), the scalar field (-model quintessence), a model's growth (-model NAME -growth), or the paper's Friedmann emulator (-recipe default|paper)",
		run:     runTrain,
	})
}

func runTrain(e *env, args []string) error {
	if modelArg(args) != "" {
		return runTrainModel(e, args)
	}
	fs := newFlagSet(e, "train", "-model early|quintessence [-growth] -out FILE.bin [-n POINTS] [-seed S]   (a model's emulator; its flags: train -model NAME -h)\n   or: cosmoemu train [-grid grid.npz] [-recipe default|paper] -out friedmann.bin [-epochs N] [-seed S]   (the paper's Friedmann emulator; its flags below)")
	gridPath := fs.String("grid", "", "training grid `file` (.npz or .npy from cosmoemu grid); default: build the recipe's grid in memory (default recipe: -om 0.1:0.5:401 -h0 50:90:3 -N -12:0:241; its accuracy needs N nodes that fine, and the paper's 50 give about 4e-4; paper recipe: the paper's grid)")
	recipe := fs.String("recipe", emulator.RecipeDefault, "`recipe`: default (accurate and fast) or paper (the paper's network and training)")
	out := fs.String("out", "", "model `file` to write")
	epochs := intFlag(fs, "epochs", 0, 0, 1_000_000, "epochs of Adam (default recipe) or RMSprop (paper recipe); 0: the recipe's, 3000 or 500")
	seed := fs.Uint64("seed", 1, "random `seed`: the same seed and grid give the same model bytes")
	lbfgs := intFlag(fs, "lbfgs", 16000, 0, 10_000_000, "L-BFGS iterations per network after Adam (default recipe); 0: none")
	// The output layers have hidden × nodes weights (241 nodes by default).
	hidden := intFlag(fs, "hidden", 16, 1, 4096, "hidden units of the ln E network (default recipe)")
	batch := intFlag(fs, "batch", 32, 1, 1_000_000, "mini-batch size")
	check := intFlag(fs, "check", 1000, 0, maxSize, "random points at which to compare the trained model with the closed form (0: skip)")
	plot := fs.String("plot", "", "loss-curve PNG `file` (default: the -out name with .loss.png)")
	var workers int
	workersFlag(fs, &workers)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usagef("train: -out is required")
	}
	if !slices.Contains(friedmann.Recipes(), *recipe) {
		return usagef("train: -recipe %q: want %s", *recipe, strings.Join(friedmann.Recipes(), " or "))
	}
	if *plot == "" {
		*plot = strings.TrimSuffix(*out, filepath.Ext(*out)) + ".loss.png"
	}
	if err := checkFiles(inFile("grid", *gridPath), outFile("out", *out), outFile("plot", *plot)); err != nil {
		return err
	}

	set, err := trainingSet(e, *gridPath, *recipe, workers)
	if err != nil {
		return err
	}

	s := &friedmann.Settings{
		Seed: *seed, Epochs: *epochs, BatchSize: *batch, Hidden: *hidden,
		LBFGSIters: lbfgs, Check: check, Workers: workers,
	}
	bars := &stageBars{e: e, perStep: map[string]time.Duration{}}
	s.Progress = bars.progress
	start := time.Now()
	m, hist, err := friedmann.Train(e.ctx, *recipe, set, s)
	bars.finish()
	if err != nil {
		return err
	}
	elapsed := time.Since(start)
	if err := m.WriteFile(*out); err != nil {
		return err
	}
	if err := friedmann.LossFigure(*plot, hist); err != nil {
		return err
	}

	printTraining(e.stdout, m, hist, bars.perStep)
	fmt.Fprintf(e.stdout, "wrote %s and %s in %.1f s\n", *out, *plot, elapsed.Seconds())
	return nil
}

// printTraining prints what a training of the Friedmann emulator did: the
// networks' costs, the time per step of each stage, the check against the
// closed form.
func printTraining(w io.Writer, m *emulator.Friedmann, hist *friedmann.History, perStep map[string]time.Duration) {
	fmt.Fprintf(w, "recipe %s: %s\n", m.Recipe(), m.Description())
	tr := m.Training()
	fmt.Fprintf(w, "trained on %s; %d training and %d validation samples; %s\n", tr.Grid, tr.Samples, tr.Validation, tr.Optimizer)
	for i, name := range hist.Network {
		f := hist.Final[i]
		fmt.Fprintf(w, "network %-6s %6d parameters: final cost %.3g (training), %.3g (validation) [MSE of scaled outputs]\n", name, m.NumParams()[name], f.Train, f.Validation)
	}
	for _, name := range hist.Network {
		for _, st := range []string{"adam", "lbfgs", "rmsprop"} {
			if d, ok := perStep[name+" "+st]; ok {
				fmt.Fprintf(w, "  %s %s: %.4g s per step\n", name, st, d.Seconds())
			}
		}
	}
	if r := m.Validation(); r != nil {
		fmt.Fprintf(w, "against the closed form at %d random points: max rel err H %.3g (z in [0,3]), %.3g (all N); max abs err Omega %.3g\n",
			r.N, r.MaxRelErrHZ03, r.MaxRelErrHAll, math.Max(r.MaxAbsErrOmega, r.MaxAbsErrOmegaZ3))
	}
}

// trainingSet reads the training grid from path, or builds the recipe's
// grid in memory when path is "".
func trainingSet(e *env, path, recipe string, workers int) (*friedmann.Set, error) {
	if path != "" {
		g, err := grid.Read(path)
		if err != nil {
			return nil, badInput("train", "grid", err)
		}
		set, err := friedmann.FromGrid(g)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return set, nil
	}
	spec, err := friedmann.Grid(recipe)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(e.stderr, "building the %s recipe's grid: Om0 %v, H0 %v, N %v (%d rows)\n", recipe, spec.Om0, spec.H0, spec.N, spec.Rows())
	return friedmann.Build(e.ctx, spec, &grid.Settings{Workers: workers})
}

// stageBars shows one progress bar per stage of a training (a network's
// Adam, L-BFGS or RMSprop) and times each stage's steps.
type stageBars struct {
	e       *env
	bar     *progress
	stage   string
	start   time.Time
	perStep map[string]time.Duration // the time of one step of each finished stage
}

// progress is friedmann.Settings.Progress.
func (b *stageBars) progress(name string, step, steps int, loss, _ float64) {
	if name != b.stage {
		b.finish()
		b.stage, b.start = name, time.Now()
		b.bar = newProgress(b.e, int64(steps), name)
	}
	b.bar.Set(int64(step))
	if step%10 == 0 || step == steps {
		b.bar.Describe(fmt.Sprintf("%s loss %.3g", name, loss))
	}
	if step == steps {
		b.perStep[name] = time.Since(b.start) / time.Duration(steps)
	}
}

func (b *stageBars) finish() {
	if b.bar != nil {
		b.bar.Finish()
	}
}
