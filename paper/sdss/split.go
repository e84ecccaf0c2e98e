package sdss

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
)

// Split holds the row indices of the training, validation and test sets,
// each in increasing order.
type Split struct {
	Train, Val, Test []int
}

// StratifiedSplit splits the rows labelled class (indices in [0, k)) into
// test rows, then a fraction valFraction of the rest for validation, the
// remainder for training. Each class gets its share of each set, the
// shares rounded by largest remainder so that the test set has exactly test
// rows and the validation set round(valFraction·(n−test)) rows. The rows
// of each class are drawn at random with rnd.
func StratifiedSplit(class []int, k, test int, valFraction float64, rnd *rand.Rand) (Split, error) {
	n := len(class)
	if test < 0 || test >= n {
		return Split{}, &SplitError{fmt.Sprintf("sdss: %d test rows requested from %d rows: want 0 ≤ test < %d", test, n, n)}
	}
	if !(valFraction >= 0 && valFraction < 1) {
		return Split{}, fmt.Errorf("sdss: validation fraction %v is not in [0, 1)", valFraction)
	}
	byClass := make([][]int, k)
	for i, c := range class {
		if c < 0 || c >= k {
			panic(fmt.Sprintf("sdss: class %d of row %d is not in [0, %d)", c, i, k))
		}
		byClass[c] = append(byClass[c], i)
	}
	counts := make([]int, k)
	for c := range byClass {
		counts[c] = len(byClass[c])
	}
	nTest := apportion(counts, test)
	rest := make([]int, k)
	for c := range rest {
		rest[c] = counts[c] - nTest[c]
	}
	nVal := apportion(rest, int(math.Round(valFraction*float64(n-test))))
	var s Split
	for c, rows := range byClass {
		rnd.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
		s.Test = append(s.Test, rows[:nTest[c]]...)
		s.Val = append(s.Val, rows[nTest[c]:nTest[c]+nVal[c]]...)
		s.Train = append(s.Train, rows[nTest[c]+nVal[c]:]...)
	}
	slices.Sort(s.Train)
	slices.Sort(s.Val)
	slices.Sort(s.Test)
	if len(s.Train) == 0 {
		return Split{}, &SplitError{fmt.Sprintf("sdss: no training rows left from %d rows with %d test and %d validation rows", n, len(s.Test), len(s.Val))}
	}
	return s, nil
}

// apportion divides total among groups in proportion to counts by the
// largest-remainder method (ties to the lower index), never giving a group
// more than its count.
func apportion(counts []int, total int) []int {
	n := 0
	for _, c := range counts {
		n += c
	}
	out := make([]int, len(counts))
	if n == 0 || total == 0 {
		return out
	}
	type rem struct {
		i int
		r float64
	}
	rems := make([]rem, len(counts))
	given := 0
	for i, c := range counts {
		q := float64(total) * float64(c) / float64(n)
		out[i] = int(math.Floor(q))
		given += out[i]
		rems[i] = rem{i, q - math.Floor(q)}
	}
	sort.SliceStable(rems, func(a, b int) bool { return rems[a].r > rems[b].r })
	for j := 0; given < total; j = (j + 1) % len(rems) {
		if i := rems[j].i; out[i] < counts[i] {
			out[i]++
			given++
		}
	}
	return out
}

// SplitError reports a split the data cannot give: more test rows than
// rows, or no training rows left. It is a mistake in the settings for the
// data at hand, not a failure of the training.
type SplitError struct{ Msg string }

func (e *SplitError) Error() string { return e.Msg }
