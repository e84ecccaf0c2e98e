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
	if len(c.Runs) == 0 {
		panic("plots: BackendsCorner of no runs")
	}
	var sets []Samples
	for _, r := range c.Runs {
		sets = append(sets, Samples{Name: r.Backend, X: r.Samples})
	}
	r0 := c.Runs[0]
	return Corner(path, sets, r0.Params, &CornerOptions{
		Labels: r0.Labels, Title: fmt.Sprintf("%s: %s, every backend", c.Model, strings.Join(c.Data, " + ")),
	})
}
