// Package friedmann makes the paper's Friedmann emulators (package emulator) from a
// training set of solutions: the default recipe's curve networks and the
// paper recipe's point network (see the emulator package for both).
//
// A training set is a Set: flat ΛCDM solutions on a Cartesian grid of
// Ω_m0, H0 and N, made by Build or read from a grid file with FromGrid.
// Train fits the recipe's networks, checks the model against the closed
// form (emulator.Validate) and returns it with the loss history. The same
// set, recipe and settings give the same model bytes, whatever the number
// of workers.
package friedmann

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/cosmoemu/cosmoemu/emulator"
	"github.com/cosmoemu/cosmoemu/grid"
)

// Settings control Train. A nil *Settings means the recipe's defaults; in a
// non-nil one, a zero field, or a nil pointer, takes the recipe's default.
type Settings struct {
	Seed uint64 // seeds initialization, splits and shuffles; default 1

	// Epochs of the first-order optimizer: RMSprop for the paper recipe
	// (default 500), Adam for the default recipe (default 3000).
	Epochs    int
	BatchSize int     // default 32
	Rate      float64 // initial learning rate: paper 1e-3, default 1e-2

	// Default recipe only.
	Hidden     int // width of the ln E network's hidden layer; default 16
	OmegaWidth int // width of the two hidden layers of the Ω network; default 32
	// LBFGSIters is the number of L-BFGS iterations after Adam, per
	// network; nil means 16000, and a pointer to 0 means none.
	LBFGSIters *int

	ValidationFraction float64 // held out for the validation loss; default 0.2
	// Check is the number of random points at which the trained model is
	// compared with the closed form (emulator.Validate, seeded by Seed),
	// the report being stored in the model; nil means 1000, and a pointer
	// to 0 skips the check.
	Check   *int
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

// A recipe is what Train needs to know of one: its default settings, the
// grid it trains on when none is given, and its training.
type recipe struct {
	defaults Settings
	grid     grid.Spec
	train    func(ctx context.Context, set *Set, s *Settings) (*emulator.FriedmannParts, *History, error)
}

// recipes are the recipes by name.
var recipes = map[string]recipe{
	emulator.RecipeDefault: {
		defaults: Settings{Epochs: 3000, Rate: 1e-2, Hidden: 16, OmegaWidth: 32, LBFGSIters: new(16000)},
		// Fine in Ω_m0, the H0 range of cosmic-chronometer posteriors, and
		// N nodes every 0.05 e-folds: with the paper's 50 N nodes the
		// spline alone errs by about 4e-4.
		grid: grid.Spec{
			Om0: grid.Axis{Min: 0.1, Max: 0.5, Count: 401},
			H0:  grid.Axis{Min: 50, Max: 90, Count: 3},
			N:   grid.Axis{Min: -12, Max: 0, Count: 241},
		},
		train: trainDefault,
	},
	emulator.RecipePaper: {
		defaults: Settings{Epochs: 500, Rate: 1e-3},
		grid:     grid.PaperSpec(),
		train:    trainPaper,
	},
}

// Recipes returns the names of the recipes Train knows, sorted.
func Recipes() []string {
	names := make([]string, 0, len(recipes))
	for n := range recipes {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

func lookup(name string) (recipe, error) {
	r, ok := recipes[name]
	if !ok {
		return recipe{}, fmt.Errorf("train: unknown recipe %q (want %s)", name, strings.Join(Recipes(), " or "))
	}
	return r, nil
}

// Grid returns the grid the named recipe trains on by default: the
// default recipe's is finer in Ω_m0 and N than the paper's.
func Grid(name string) (grid.Spec, error) {
	r, err := lookup(name)
	return r.grid, err
}

// withDefaults returns s with its unset fields taken from the recipe's
// defaults and the common ones.
func (r recipe) withDefaults(s *Settings) Settings {
	var c Settings
	if s != nil {
		c = *s
	}
	d := r.defaults
	orInt := func(v *int, def int) {
		if *v == 0 {
			*v = def
		}
	}
	orPtr := func(v **int, def *int) {
		if *v == nil {
			*v = def
		}
	}
	orInt(&c.Epochs, d.Epochs)
	orInt(&c.Hidden, d.Hidden)
	orInt(&c.OmegaWidth, d.OmegaWidth)
	orInt(&c.BatchSize, 32)
	orPtr(&c.LBFGSIters, d.LBFGSIters)
	orPtr(&c.Check, new(1000))
	if c.Rate == 0 {
		c.Rate = d.Rate
	}
	if c.Seed == 0 {
		c.Seed = 1
	}
	if c.ValidationFraction == 0 {
		c.ValidationFraction = 0.2
	}
	return c
}

// lbfgs returns the number of L-BFGS iterations of s (0 if unset).
func (s *Settings) lbfgs() int {
	if s.LBFGSIters == nil {
		return 0
	}
	return *s.LBFGSIters
}

func (s *Settings) validate() error {
	switch {
	case s.Epochs < 0:
		return fmt.Errorf("train: epochs %d < 0", s.Epochs)
	case s.BatchSize < 1:
		return fmt.Errorf("train: batch size %d < 1", s.BatchSize)
	case !(s.Rate > 0) || math.IsInf(s.Rate, 0):
		return fmt.Errorf("train: learning rate %v must be positive", s.Rate)
	case !(s.ValidationFraction > 0 && s.ValidationFraction < 0.9):
		return fmt.Errorf("train: validation fraction %v must be in (0, 0.9)", s.ValidationFraction)
	case s.Hidden < 0 || s.OmegaWidth < 0:
		return fmt.Errorf("train: network widths %d and %d must not be negative", s.Hidden, s.OmegaWidth)
	case s.lbfgs() < 0:
		return fmt.Errorf("train: %d L-BFGS iterations < 0", s.lbfgs())
	case *s.Check < 0:
		return fmt.Errorf("train: %d check points < 0", *s.Check)
	}
	return nil
}

// Train trains a model with the named recipe on set. The same set and
// settings give the same model bytes.
func Train(ctx context.Context, recipeName string, set *Set, s *Settings) (*emulator.Friedmann, *History, error) {
	r, err := lookup(recipeName)
	if err != nil {
		return nil, nil, err
	}
	c := r.withDefaults(s)
	if err := c.validate(); err != nil {
		return nil, nil, err
	}
	if err := set.Validate(); err != nil {
		return nil, nil, err
	}
	parts, h, err := r.train(ctx, set, &c)
	if err != nil {
		return nil, nil, err
	}
	m, err := emulator.NewFriedmann(*parts)
	if err != nil {
		return nil, nil, fmt.Errorf("train: %w", err)
	}
	if *c.Check > 0 {
		rep, err := emulator.ValidateFriedmann(m, *c.Check, rand.New(rand.NewPCG(c.Seed, 0x76616c6964)))
		if err != nil {
			return nil, nil, fmt.Errorf("train: validating the trained model: %w", err)
		}
		parts.Validation = rep
		if m, err = emulator.NewFriedmann(*parts); err != nil {
			return nil, nil, fmt.Errorf("train: %w", err)
		}
	}
	return m, h, nil
}
