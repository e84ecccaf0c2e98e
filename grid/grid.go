// Package grid builds the Cartesian-product training grid of the Friedmann
// emulator and reads and writes it as NumPy files.
//
// The grid is every combination of Ω_m0, H0 and e-fold time N on three
// evenly spaced axes, the paper's default being 41 Ω_m0 ∈ [0.1, 0.5] × 15
// H0 ∈ [66, 80] × 50 N ∈ [−12, 0] = 30,750 rows. For each (Ω_m0, H0) pair one
// RK45 solve of the flat ΛCDM model (radiation Ω_r0 = 1e-4, matter, Λ) gives
// the solution at all N nodes through dense output.
//
// A grid is a matrix with one row per point and the columns
//
//	N, Om0, H0, Omega_r, Omega_m, Omega_L, H
//
// (H in km/s/Mpc), rows ordered with Ω_m0 slowest and N fastest, each axis
// ascending. It is written either as one .npy file holding that float64
// matrix, or as an .npz archive with one float64 array per column, named as
// above. In Python:
//
//	g = numpy.load("grid.npy")           # shape (rows, 7)
//	z = numpy.load("grid.npz"); z["H"]   # shape (rows,)
package grid

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"gonum.org/v1/gonum/mat"

	"github.com/cosmoemu/cosmoemu/friedmann"
	"github.com/cosmoemu/cosmoemu/solver"
)

// Column indices of a grid matrix.
const (
	ColN = iota
	ColOm0
	ColH0
	ColOmegaR
	ColOmegaM
	ColOmegaL
	ColH
	NumCols
)

// Columns are the names of the grid columns, in order.
var Columns = [NumCols]string{"N", "Om0", "H0", "Omega_r", "Omega_m", "Omega_L", "H"}

// MaxRows bounds the size of a grid, to refuse a mistyped axis that would
// exhaust memory (each row takes 56 bytes).
const MaxRows = 50_000_000

// An Axis is Count evenly spaced values from Min to Max inclusive, like
// numpy.linspace(Min, Max, Count). An axis of one value has Min = Max.
type Axis struct {
	Min, Max float64
	Count    int
}

// Values returns the points of the axis.
func (a Axis) Values() []float64 {
	v := make([]float64, a.Count)
	if a.Count == 1 {
		v[0] = a.Min
		return v
	}
	step := (a.Max - a.Min) / float64(a.Count-1)
	for i := range v {
		v[i] = a.Min + float64(i)*step
	}
	v[a.Count-1] = a.Max
	return v
}

// String formats the axis as min:max:count, the form ParseAxis reads.
func (a Axis) String() string {
	return fmt.Sprintf("%s:%s:%d", strconv.FormatFloat(a.Min, 'g', -1, 64), strconv.FormatFloat(a.Max, 'g', -1, 64), a.Count)
}

// ParseAxis reads an axis written min:max:count, for example "0.1:0.5:41".
// name is the axis' name for error messages.
func ParseAxis(name, s string) (Axis, error) {
	parts := strings.Split(s, ":")
	if len(parts) != 3 {
		return Axis{}, fmt.Errorf("grid: axis %s = %q: want min:max:count, e.g. 0.1:0.5:41", name, s)
	}
	var a Axis
	var err error
	if a.Min, err = strconv.ParseFloat(strings.TrimSpace(parts[0]), 64); err != nil {
		return Axis{}, fmt.Errorf("grid: axis %s = %q: min %q is not a number", name, s, parts[0])
	}
	if a.Max, err = strconv.ParseFloat(strings.TrimSpace(parts[1]), 64); err != nil {
		return Axis{}, fmt.Errorf("grid: axis %s = %q: max %q is not a number", name, s, parts[1])
	}
	if a.Count, err = strconv.Atoi(strings.TrimSpace(parts[2])); err != nil {
		return Axis{}, fmt.Errorf("grid: axis %s = %q: count %q is not an integer", name, s, parts[2])
	}
	return a, a.validate(name)
}

func (a Axis) validate(name string) error {
	switch {
	case math.IsNaN(a.Min) || math.IsInf(a.Min, 0) || math.IsNaN(a.Max) || math.IsInf(a.Max, 0):
		return fmt.Errorf("grid: axis %s = %v: min and max must be finite", name, a)
	case a.Count < 1:
		return fmt.Errorf("grid: axis %s = %v: count must be at least 1", name, a)
	case a.Min > a.Max:
		return fmt.Errorf("grid: axis %s = %v: min > max", name, a)
	case a.Count == 1 && a.Min != a.Max:
		return fmt.Errorf("grid: axis %s = %v: an axis of one point needs min = max", name, a)
	case a.Count > 1 && a.Min == a.Max:
		return fmt.Errorf("grid: axis %s = %v: %d points need min < max", name, a, a.Count)
	}
	return nil
}

// Spec describes a grid.
type Spec struct {
	Om0 Axis // present matter density Ω_m0
	H0  Axis // Hubble constant in km/s/Mpc
	N   Axis // e-fold time N = ln a

	RTol float64 // relative tolerance of the solver; 0 means 1e-10
	ATol float64 // absolute tolerance of the solver; 0 means 1e-12
}

// PaperSpec returns the grid of the paper: 41 Ω_m0 ∈ [0.1, 0.5] × 15
// H0 ∈ [66, 80] × 50 N ∈ [−12, 0] = 30,750 rows.
func PaperSpec() Spec {
	return Spec{
		Om0: Axis{Min: 0.1, Max: 0.5, Count: 41},
		H0:  Axis{Min: 66, Max: 80, Count: 15},
		N:   Axis{Min: -12, Max: 0, Count: 50},
	}
}

// Rows returns the number of rows of the grid.
func (s Spec) Rows() int { return s.Om0.Count * s.H0.Count * s.N.Count }

// Validate checks the axes against the physics: Ω_m0 ∈ (0, 1 − Ω_r0),
// H0 > 0, and the size against MaxRows.
func (s Spec) Validate() error {
	for _, a := range []struct {
		name string
		axis Axis
	}{{"Om0", s.Om0}, {"H0", s.H0}, {"N", s.N}} {
		if err := a.axis.validate(a.name); err != nil {
			return err
		}
	}
	if hi := 1 - friedmann.DefaultOmegaR0; !(s.Om0.Min > 0 && s.Om0.Max < hi) {
		return fmt.Errorf("grid: axis Om0 = %v: values must lie in (0, %g)", s.Om0, hi)
	}
	if !(s.H0.Min > 0) {
		return fmt.Errorf("grid: axis H0 = %v: values must be positive", s.H0)
	}
	if s.RTol < 0 || s.ATol < 0 {
		return fmt.Errorf("grid: tolerances must be positive (RTol = %g, ATol = %g)", s.RTol, s.ATol)
	}
	if rows := float64(s.Om0.Count) * float64(s.H0.Count) * float64(s.N.Count); rows > MaxRows {
		return fmt.Errorf("grid: %.0f rows exceed the limit of %d", rows, MaxRows)
	}
	return nil
}

// Settings control Build. A nil *Settings means the defaults.
type Settings struct {
	// Workers is the number of goroutines solving in parallel; 0 means
	// GOMAXPROCS.
	Workers int
	// Progress, if not nil, is called from Build's goroutine after each
	// (Ω_m0, H0) pair with the number of pairs done and in all.
	Progress func(done, total int)
}

// Build solves the model at every (Ω_m0, H0) pair of the spec and returns
// the grid matrix. The rows do not depend on the number of workers. Build
// returns early with ctx.Err() if ctx is cancelled.
func Build(ctx context.Context, spec Spec, s *Settings) (*mat.Dense, error) {
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	var set Settings
	if s != nil {
		set = *s
	}
	workers := set.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	oms, h0s, ns := spec.Om0.Values(), spec.H0.Values(), spec.N.Values()
	pairs := len(oms) * len(h0s)
	workers = min(workers, pairs)
	// The order-5 interpolant makes the nodes as accurate as the steps.
	sset := &solver.Settings{RTol: spec.RTol, ATol: spec.ATol, Dense: solver.Order5}
	if sset.RTol == 0 {
		sset.RTol = 1e-10
	}
	if sset.ATol == 0 {
		sset.ATol = 1e-12
	}

	out := mat.NewDense(spec.Rows(), NumCols, nil)
	raw := out.RawMatrix().Data
	inner, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan int)
	done := make(chan error, pairs) // never blocks a worker
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var w worker
			for p := range jobs {
				om0, h0 := oms[p/len(h0s)], h0s[p%len(h0s)]
				rows := raw[p*len(ns)*NumCols : (p+1)*len(ns)*NumCols]
				done <- w.solve(rows, om0, h0, ns, sset)
			}
		}()
	}
	go func() {
		defer close(jobs)
		for p := range pairs {
			select {
			case jobs <- p:
			case <-inner.Done():
				return
			}
		}
	}()

	var firstErr error
wait:
	for completed := 0; completed < pairs; {
		select {
		case err := <-done:
			completed++
			if err != nil {
				firstErr = err
				break wait
			}
			if set.Progress != nil {
				set.Progress(completed, pairs)
			}
		case <-inner.Done():
			break wait
		}
	}
	cancel()
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// worker holds a solver and its buffers, reused across pairs.
type worker struct {
	sv      *solver.Solver
	buf, y0 []float64
}

// solve fills rows (len(ns) rows of NumCols) for one (Ω_m0, H0) pair,
// integrating from N = 0 to the nodes on either side.
func (w *worker) solve(rows []float64, om0, h0 float64, ns []float64, s *solver.Settings) error {
	m, err := friedmann.LCDM(om0, h0)
	if err != nil {
		return err
	}
	d := m.Dim()
	if w.sv == nil {
		if w.sv, err = solver.New(d, s); err != nil {
			return err
		}
		w.buf = make([]float64, len(ns)*d)
		w.y0 = make([]float64, d)
	}
	m.InitialState(w.y0)
	if _, err := w.sv.SolveAt(w.buf, m.Derivs, 0, w.y0, ns); err != nil {
		return fmt.Errorf("grid: solving Om0 = %g, H0 = %g: %w", om0, h0, err)
	}
	for j, n := range ns {
		y := w.buf[j*d : (j+1)*d]
		r := rows[j*NumCols : (j+1)*NumCols]
		r[ColN], r[ColOm0], r[ColH0] = n, om0, h0
		r[ColOmegaR], r[ColOmegaM], r[ColOmegaL] = y[friedmann.IndexRadiation], y[friedmann.IndexMatter], y[friedmann.IndexLambda]
		// H = H0 e^{ln H − ln H0} is exactly H0 at N = 0.
		r[ColH] = friedmann.LCDMHubble(y, w.y0, h0)
		for c, v := range r {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("grid: at Om0 = %g, H0 = %g, N = %g, %s = %g is not finite: the grid reaches beyond what float64 holds; narrow the N or H0 axis", om0, h0, n, Columns[c], v)
			}
		}
	}
	return nil
}
