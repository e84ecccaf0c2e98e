package sdss

import "fmt"

// Metrics summarizes predicted against true classes.
type Metrics struct {
	N        int     `json:"n"`
	Correct  int     `json:"correct"`
	Accuracy float64 `json:"accuracy"` // Correct/N
	// Confusion[i][j] counts the rows of true class i predicted as class j.
	Confusion [][]int `json:"confusion"`
	// Precision[j] is the fraction of rows predicted as j that are j, and
	// Recall[i] the fraction of rows of class i predicted as i; NaN-free:
	// an empty denominator gives 0.
	Precision []float64 `json:"precision"`
	Recall    []float64 `json:"recall"`
}

// Evaluate compares the predicted classes pred with the true classes truth
// (indices in [0, k)). It panics if their lengths differ or an index is out
// of range.
func Evaluate(pred, truth []int, k int) Metrics {
	if len(pred) != len(truth) {
		panic(fmt.Sprintf("sdss: %d predictions for %d labels", len(pred), len(truth)))
	}
	m := Metrics{N: len(pred), Confusion: make([][]int, k), Precision: make([]float64, k), Recall: make([]float64, k)}
	for i := range m.Confusion {
		m.Confusion[i] = make([]int, k)
	}
	for r, p := range pred {
		m.Confusion[truth[r]][p]++
		if p == truth[r] {
			m.Correct++
		}
	}
	if m.N > 0 {
		m.Accuracy = float64(m.Correct) / float64(m.N)
	}
	for c := range k {
		var predicted, actual int
		for o := range k {
			predicted += m.Confusion[o][c]
			actual += m.Confusion[c][o]
		}
		if predicted > 0 {
			m.Precision[c] = float64(m.Confusion[c][c]) / float64(predicted)
		}
		if actual > 0 {
			m.Recall[c] = float64(m.Confusion[c][c]) / float64(actual)
		}
	}
	return m
}
