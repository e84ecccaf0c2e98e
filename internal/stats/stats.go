// Package stats holds the summary statistics that gonum's stat package
// does not provide in the form cosmoemu reports.
package stats

import "slices"

// Median returns the median of x as numpy.median defines it: the middle
// value of the sorted x, or the mean of the two middle values when len(x)
// is even (gonum's stat.Quantile(0.5, …) returns the lower of the two). x
// is not modified. It panics if x is empty.
func Median(x []float64) float64 {
	if len(x) == 0 {
		panic("stats: median of no values")
	}
	s := slices.Clone(x)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
