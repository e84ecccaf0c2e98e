package plots

import (
	"fmt"
	"strings"

	"github.com/cosmoemu/cosmoemu/fit"
)

// FitCorner draws the corner plot of a fit to path: its weighted samples,
// with the best fit marked.
func FitCorner(path string, r *fit.Result) error {
	truths := make([]float64, len(r.Params))
	for i, n := range r.Params {
		truths[i] = r.BestFit[n]
	}
	return Corner(path, []Samples{{Name: r.Backend, X: r.Samples, Weights: r.Weights}}, r.Params, &CornerOptions{
		Labels: r.Labels, Truths: truths, TruthLabel: "best fit",
		Title: fmt.Sprintf("%s: %s", r.Model, strings.Join(r.Data, " + ")),
	})
}

// BackendsCorner draws the posteriors of the same fit with every backend
// over one another to path.
func BackendsCorner(path string, c *fit.BackendComparison) error {
	names := make([]string, len(c.Runs))
	for i, r := range c.Runs {
		names[i] = r.Backend
	}
	return runsCorner(path, c.Runs, names, fmt.Sprintf("%s: %s, every backend", c.Model, strings.Join(c.Data, " + ")))
}

// EarlyCorner draws the posteriors of the same fit with the exact and the
// emulated early universe over one another to path.
func EarlyCorner(path string, c *fit.EarlyComparison) error {
	names := make([]string, len(c.Runs))
	for i, r := range c.Runs {
		names[i] = "early " + r.Early
	}
	return runsCorner(path, c.Runs, names, fmt.Sprintf("%s: %s, %s, exact and emulated early universe", c.Model, strings.Join(c.Data, " + "), c.Backend))
}

// runsCorner draws the samples of runs of one fit, named by names, over
// one another.
func runsCorner(path string, runs []*fit.Result, names []string, title string) error {
	if len(runs) == 0 {
		panic("plots: corner plot of no runs")
	}
	sets := make([]Samples, len(runs))
	for i, r := range runs {
		sets[i] = Samples{Name: names[i], X: r.Samples, Weights: r.Weights}
	}
	return Corner(path, sets, runs[0].Params, &CornerOptions{Labels: runs[0].Labels, Title: title})
}
