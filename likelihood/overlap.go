package likelihood

import (
	"fmt"
	"math"
	"slices"
)

// A measurement is one row of a data set, for checkOverlap: what it
// measures (kind), at which redshift, its value, and where it is (row,
// 1-based, and line in its file, 0 if unknown).
type measurement struct {
	kind      string
	z, v      float64
	row, line int
}

// A measurer is a likelihood whose rows checkOverlap compares: Hz, BAO
// (and fσ8) and SN.
type measurer interface {
	measurements() []measurement
}

func (l *Hz) measurements() []measurement {
	return measured(func(int) string { return "H(z)" }, l.d.Z, l.d.H, l.d.Line)
}

func (l *BAO) measurements() []measurement {
	return measured(func(i int) string { return l.d.Quantity[i].String() }, l.d.Z, l.d.Value, l.d.Line)
}

func (l *SN) measurements() []measurement {
	return measured(func(int) string { return "supernova magnitude" }, l.d.Z, l.d.Mag, l.d.Line)
}

// measured returns the measurements of kind(i) at redshifts z with values
// v, from the lines line of their file (nil if unknown).
func measured(kind func(i int) string, z, v []float64, line []int) []measurement {
	out := make([]measurement, len(z))
	for i := range z {
		out[i] = measurement{kind: kind(i), z: z[i], v: v[i], row: i + 1, line: lineOf(line, i)}
	}
	return out
}

// lineOf returns line[i], or 0 if the lines are unknown.
func lineOf(line []int, i int) int {
	if len(line) <= i {
		return 0
	}
	return line[i]
}

// sameNumber reports whether a and b agree to overlapTol relative.
func sameNumber(a, b float64) bool {
	return math.Abs(a-b) <= overlapTol*max(math.Abs(a), math.Abs(b))
}

// overlapTol is the relative tolerance within which checkOverlap takes
// two redshifts, and two values, for the same.
const overlapTol = 1e-9

// checkOverlap refuses a measurement that two data sets both hold: the
// same kind of observable (H(z), D_M/r_d, fσ8, a supernova magnitude, …)
// at the same redshift with the same value, to overlapTol relative — a
// subset of one set given as a file beside it (DESI DR2's single-tracer
// files with desi-dr2, some rows of cc31 with cc31), which the
// fingerprints of whole sets do not see. Supernova magnitudes compare
// whatever their column's name (MU, mb, m_b_corr).
func checkOverlap(likes []Likelihood) error {
	rows := make([][]measurement, len(likes))
	for i, l := range likes {
		m, ok := l.(measurer)
		if !ok {
			continue
		}
		rows[i] = m.measurements()
		slices.SortFunc(rows[i], func(a, b measurement) int { return compareFloat(a.z, b.z) })
	}
	for i := range likes {
		for j := range i {
			if a, b, ok := shared(rows[j], rows[i]); ok {
				return fmt.Errorf("likelihood: data sets %s and %s both hold the measurement %s = %g at z = %g (%s, %s): a measurement counts once in a fit; remove it from one of them",
					likes[j].Name(), likes[i].Name(), a.kind, a.v, a.z, where(likes[j], a), where(likes[i], b))
			}
		}
	}
	return nil
}

func compareFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// shared returns the first measurement of a (sorted by z) that b (sorted
// by z) holds too, and b's.
func shared(a, b []measurement) (measurement, measurement, bool) {
	k := 0
	for _, x := range a {
		for k < len(b) && b[k].z < x.z && !sameNumber(b[k].z, x.z) {
			k++
		}
		for _, y := range b[k:] {
			if y.z > x.z && !sameNumber(y.z, x.z) {
				break
			}
			if y.kind == x.kind && sameNumber(y.v, x.v) {
				return x, y, true
			}
		}
	}
	return measurement{}, measurement{}, false
}

// where names a measurement's place: "FILE:LINE" for a file's row, "row N
// of SET" for a built-in set's (or without a line).
func where(l Likelihood, m measurement) string {
	if m.line > 0 && lookup(l.Name()) == nil {
		return fmt.Sprintf("%s:%d", l.Name(), m.line)
	}
	return fmt.Sprintf("row %d of %s", m.row, l.Name())
}
