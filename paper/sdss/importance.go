package sdss

import (
	"fmt"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/mat"
)

// Importance returns, for each feature of c, the permutation importance on
// the labelled table t: the accuracy of c on t minus its accuracy after the
// values of that column have been shuffled among the rows with rnd (Breiman
// 2001), averaged over repeats shuffles. A feature the network ignores
// scores near 0; one it cannot do without scores up to the accuracy minus
// chance. The columns are shuffled one at a time, in the order of
// c.Features.
func Importance(c *Classifier, t *Table, repeats int, rnd *rand.Rand) ([]float64, error) {
	if repeats < 1 {
		return nil, fmt.Errorf("sdss: %d permutation repeats, want at least 1", repeats)
	}
	if t.Class == nil {
		return nil, fmt.Errorf("sdss: %s: permutation importance needs the class column", t.Name)
	}
	t, err := t.Columns(c.Features)
	if err != nil {
		return nil, err
	}
	if t.Rows() < 2 {
		return nil, fmt.Errorf("sdss: %s: permutation importance needs at least 2 rows", t.Name)
	}
	base := c.Evaluate(t).Accuracy
	out := make([]float64, len(c.Features))
	shuffled := &Table{Name: t.Name, Features: t.Features, Class: t.Class, Line: t.Line}
	col := make([]float64, t.Rows())
	for j := range c.Features {
		for range repeats {
			shuffled.X = mat.DenseCopyOf(t.X)
			for r := range col {
				col[r] = t.X.At(r, j)
			}
			rnd.Shuffle(len(col), func(a, b int) { col[a], col[b] = col[b], col[a] })
			for r, v := range col {
				shuffled.X.Set(r, j, v)
			}
			out[j] += (base - c.Evaluate(shuffled).Accuracy) / float64(repeats)
		}
	}
	return out, nil
}

// Ranked returns the feature indices sorted by decreasing importance (ties
// in feature order).
func Ranked(importance []float64) []int {
	idx := make([]int, len(importance))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		switch {
		case importance[a] > importance[b]:
			return -1
		case importance[a] < importance[b]:
			return 1
		}
		return 0
	})
	return idx
}
