package nn

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// A Scaler maps the columns of a data matrix to a common scale and back.
// Fit learns the columns' statistics from training data; Transform and
// Inverse apply the map to the rows of a matrix (dst may be x itself, or
// empty to be resized), TransformRow and InverseRow to one row (dst may be
// x) without allocating. Using a scaler on a different number of columns
// than it was fitted on panics.
type Scaler interface {
	Fit(x mat.Matrix) error
	Transform(dst *mat.Dense, x mat.Matrix)
	Inverse(dst *mat.Dense, x mat.Matrix)
	TransformRow(dst, x []float64)
	InverseRow(dst, x []float64)
}

var (
	_ Scaler = (*MinMaxScaler)(nil)
	_ Scaler = (*StandardScaler)(nil)
)

// MinMaxScaler maps each column j linearly from its training range
// [Min_j, Max_j] to [Low, High] (the paper's scaling, scikit-learn's
// MinMaxScaler):
//
//	t = Low + (x − Min_j)·k_j,  k_j = (High − Low)/(Max_j − Min_j)
//	x = Min_j + (t − Low)/k_j
//
// A constant column (Max_j = Min_j) uses k_j = High − Low instead, so it maps
// to Low and back without NaN. Values outside the training range map
// outside [Low, High]. The zero value scales to [0, 1].
type MinMaxScaler struct {
	Low, High float64   // target range; both zero means [0, 1]
	Min, Max  []float64 // per-column training range, set by Fit
}

// Fit sets Min and Max to the column minima and maxima of x. It fails for an
// empty x, a non-finite value, or Low ≥ High.
func (s *MinMaxScaler) Fit(x mat.Matrix) error {
	lo, hi := s.bounds()
	if !(lo < hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return fmt.Errorf("nn: MinMaxScaler range [%v, %v] is not a finite interval with Low < High", s.Low, s.High)
	}
	data, stride, rows, cols, err := fitData(x)
	if err != nil {
		return err
	}
	s.Min = append(s.Min[:0], data[:cols]...)
	s.Max = append(s.Max[:0], data[:cols]...)
	for r := 1; r < rows; r++ {
		for j, v := range data[r*stride : r*stride+cols] {
			s.Min[j] = min(s.Min[j], v)
			s.Max[j] = max(s.Max[j], v)
		}
	}
	return nil
}

func (s *MinMaxScaler) bounds() (lo, hi float64) {
	if s.Low == 0 && s.High == 0 {
		return 0, 1
	}
	return s.Low, s.High
}

// factor returns k_j.
func (s *MinMaxScaler) factor(j int, lo, hi float64) float64 {
	r := s.Max[j] - s.Min[j]
	if r == 0 {
		return hi - lo
	}
	return (hi - lo) / r
}

func (s *MinMaxScaler) check(n int) {
	if len(s.Min) != n || len(s.Max) != n {
		panic(fmt.Sprintf("nn: MinMaxScaler fitted on %d columns used on %d", len(s.Min), n))
	}
}

// TransformRow sets dst to the scaled row x.
func (s *MinMaxScaler) TransformRow(dst, x []float64) {
	s.check(len(x))
	dst = dst[:len(x)]
	lo, hi := s.bounds()
	for j, v := range x {
		dst[j] = lo + float64((v-s.Min[j])*s.factor(j, lo, hi))
	}
}

// InverseRow sets dst to the unscaled row t.
func (s *MinMaxScaler) InverseRow(dst, t []float64) {
	s.check(len(t))
	dst = dst[:len(t)]
	lo, hi := s.bounds()
	for j, v := range t {
		dst[j] = s.Min[j] + (v-lo)/s.factor(j, lo, hi)
	}
}

// Transform sets the rows of dst to the scaled rows of x.
func (s *MinMaxScaler) Transform(dst *mat.Dense, x mat.Matrix) { applyRows(dst, x, s.TransformRow) }

// Inverse sets the rows of dst to the unscaled rows of x.
func (s *MinMaxScaler) Inverse(dst *mat.Dense, x mat.Matrix) { applyRows(dst, x, s.InverseRow) }

// StandardScaler maps each column to zero mean and unit variance (z-score,
// scikit-learn's StandardScaler):
//
//	t = (x − Mean_j)/σ_j,  x = Mean_j + t·σ_j
//
// with Std_j the population standard deviation (divisor n) of the training
// column. A constant column (Std_j = 0) uses σ_j = 1, so it maps to 0 and
// back without NaN; Fit detects such columns exactly.
type StandardScaler struct {
	Mean, Std []float64 // per column, set by Fit
}

// Fit sets Mean and Std from the columns of x. The mean gets one
// correction pass, and a column whose values are all equal gets exactly
// that value as Mean and Std = 0. Fit fails for an empty x or a non-finite
// value.
func (s *StandardScaler) Fit(x mat.Matrix) error {
	data, stride, rows, cols, err := fitData(x)
	if err != nil {
		return err
	}
	n := float64(rows)
	s.Mean = append(s.Mean[:0], make([]float64, cols)...)
	s.Std = append(s.Std[:0], make([]float64, cols)...)
	constant := make([]bool, cols)
	for j := range constant {
		constant[j] = true
	}
	for r := 0; r < rows; r++ {
		for j, v := range data[r*stride : r*stride+cols] {
			s.Mean[j] += v
			constant[j] = constant[j] && v == data[j]
		}
	}
	for j := range s.Mean {
		s.Mean[j] /= n
	}
	corr := s.Std // scratch: Σ(x − mean)
	for r := 0; r < rows; r++ {
		for j, v := range data[r*stride : r*stride+cols] {
			corr[j] += v - s.Mean[j]
		}
	}
	for j := range s.Mean {
		s.Mean[j] += corr[j] / n
		corr[j] = 0
	}
	for r := 0; r < rows; r++ {
		for j, v := range data[r*stride : r*stride+cols] {
			d := v - s.Mean[j]
			s.Std[j] += float64(d * d)
		}
	}
	for j := range s.Std {
		s.Std[j] = math.Sqrt(s.Std[j] / n)
		if constant[j] {
			s.Mean[j], s.Std[j] = data[j], 0
		}
	}
	return nil
}

func (s *StandardScaler) sigma(j int) float64 {
	if s.Std[j] == 0 {
		return 1
	}
	return s.Std[j]
}

func (s *StandardScaler) check(n int) {
	if len(s.Mean) != n || len(s.Std) != n {
		panic(fmt.Sprintf("nn: StandardScaler fitted on %d columns used on %d", len(s.Mean), n))
	}
}

// TransformRow sets dst to the scaled row x.
func (s *StandardScaler) TransformRow(dst, x []float64) {
	s.check(len(x))
	dst = dst[:len(x)]
	for j, v := range x {
		dst[j] = (v - s.Mean[j]) / s.sigma(j)
	}
}

// InverseRow sets dst to the unscaled row t.
func (s *StandardScaler) InverseRow(dst, t []float64) {
	s.check(len(t))
	dst = dst[:len(t)]
	for j, v := range t {
		dst[j] = s.Mean[j] + float64(v*s.sigma(j))
	}
}

// Transform sets the rows of dst to the scaled rows of x.
func (s *StandardScaler) Transform(dst *mat.Dense, x mat.Matrix) { applyRows(dst, x, s.TransformRow) }

// Inverse sets the rows of dst to the unscaled rows of x.
func (s *StandardScaler) Inverse(dst *mat.Dense, x mat.Matrix) { applyRows(dst, x, s.InverseRow) }

// fitData returns the rows of x for Fit, checking that there is at least
// one row and that all values are finite.
func fitData(x mat.Matrix) (data []float64, stride, rows, cols int, err error) {
	rows, cols = x.Dims()
	if rows == 0 || cols == 0 {
		return nil, 0, 0, 0, errors.New("nn: cannot fit a scaler to an empty matrix")
	}
	data, stride = rawRows(x)
	if err := checkFinite(data, stride, rows, cols, "scaler data"); err != nil {
		return nil, 0, 0, 0, err
	}
	return data, stride, rows, cols, nil
}

// applyRows sets each row of dst to f of the row of x.
func applyRows(dst *mat.Dense, x mat.Matrix, f func(dst, x []float64)) {
	rows, cols := x.Dims()
	if dst.IsEmpty() {
		dst.ReuseAs(rows, cols)
	}
	if r, c := dst.Dims(); r != rows || c != cols {
		panic(fmt.Sprintf("nn: scaler: dst is %d×%d, x is %d×%d", r, c, rows, cols))
	}
	xd, xs := rawRows(x)
	out := dst.RawMatrix()
	for r := 0; r < rows; r++ {
		f(out.Data[r*out.Stride:r*out.Stride+cols], xd[r*xs:r*xs+cols])
	}
}
