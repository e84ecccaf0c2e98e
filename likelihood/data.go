package likelihood

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/cosmoemu/cosmoemu"
)

// Data is a set of H(z) measurements.
type Data struct {
	Name  string    // file name or built-in name, used in messages
	Z     []float64 // redshifts, z ≥ 0
	H     []float64 // H(z) in km/s/Mpc
	Sigma []float64 // 1σ errors of H in km/s/Mpc, > 0
	// Cov is the full N×N covariance of H; nil means diag(Sigma²).
	// When Cov is set, Sigma is kept for plots and tables only.
	Cov *mat.SymDense
}

// Len returns the number of measurements.
func (d *Data) Len() int { return len(d.Z) }

// Validate checks that the columns have equal, non-zero lengths, that every
// value is finite, z ≥ 0, σ > 0 and that Cov, if set, is N×N.
func (d *Data) Validate() error {
	n := len(d.Z)
	if n == 0 {
		return fmt.Errorf("likelihood: data %q: no measurements", d.Name)
	}
	if len(d.H) != n || len(d.Sigma) != n {
		return fmt.Errorf("likelihood: data %q: column lengths differ (z %d, H %d, sigma %d)", d.Name, n, len(d.H), len(d.Sigma))
	}
	for i := range n {
		z, h, s := d.Z[i], d.H[i], d.Sigma[i]
		switch {
		case !isFinite(z) || !isFinite(h) || !isFinite(s):
			return fmt.Errorf("likelihood: data %q: point %d (z=%g, H=%g, sigma=%g) is not finite", d.Name, i+1, z, h, s)
		case z < 0:
			return fmt.Errorf("likelihood: data %q: point %d: negative redshift z=%g", d.Name, i+1, z)
		case s <= 0:
			return fmt.Errorf("likelihood: data %q: point %d: sigma_H=%g must be > 0", d.Name, i+1, s)
		}
	}
	if d.Cov != nil && d.Cov.SymmetricDim() != n {
		return fmt.Errorf("likelihood: data %q: covariance is %d×%d, want %d×%d", d.Name, d.Cov.SymmetricDim(), d.Cov.SymmetricDim(), n, n)
	}
	return nil
}

// ParseError reports a problem in a data or covariance file.
type ParseError struct {
	File   string // file or data-set name
	Line   int    // 1-based line number; 0 if the problem is the whole file
	Column int    // 1-based byte column of the offending field; 0 if none
	Msg    string
}

func (e *ParseError) Error() string {
	switch {
	case e.Line == 0:
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	case e.Column == 0:
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	default:
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Msg)
	}
}

// Built-in data sets accepted by LoadData.
const (
	// CC31 is the 31-point cosmic-chronometer compilation (cosmoemu.CC31).
	CC31 = "cc31"
	// Simulated20 is the paper's 20 simulated points (cosmoemu.Simulated20)
	// at z = 0, 3/19, …, 3.
	Simulated20 = "simulated20"
)

// LoadData returns a built-in data set by name (CC31 or Simulated20) or,
// for any other string, reads the file at that path with ReadData.
// Built-in names take precedence over files of the same name.
func LoadData(nameOrPath string) (*Data, error) {
	switch nameOrPath {
	case CC31:
		return ParseData(bytes.NewReader(cosmoemu.CC31), CC31)
	case Simulated20:
		return parseSimulated20(bytes.NewReader(cosmoemu.Simulated20), Simulated20)
	}
	return ReadData(nameOrPath)
}

// ReadData reads a whitespace-separated z, H, sigma_H file (see ParseData).
func ReadData(path string) (*Data, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("likelihood: %w", err)
	}
	defer f.Close()
	return ParseData(f, path)
}

// ParseData parses H(z) data from r: one measurement per line, three
// columns z, H, sigma_H separated by spaces or tabs. '#' starts a comment
// that runs to the end of the line; blank lines, trailing blanks and CRLF
// line ends are accepted. name labels errors, which are *ParseError values
// naming the line and column. Refused: a wrong number of columns, a field
// that is not a number, NaN or ±Inf, z < 0, sigma_H ≤ 0, and a file
// without data lines.
func ParseData(r io.Reader, name string) (*Data, error) {
	d := &Data{Name: name}
	colNames := [3]string{"z", "H", "sigma_H"}
	var vals [3]float64
	err := scanLines(r, name, func(line int, fields []field) error {
		if len(fields) != 3 {
			return &ParseError{File: name, Line: line, Msg: fmt.Sprintf("got %d columns, want 3 (z H sigma_H)", len(fields))}
		}
		for i, f := range fields {
			v, err := parseNumber(f.text)
			if err != nil {
				return &ParseError{File: name, Line: line, Column: f.col, Msg: fmt.Sprintf("column %d (%s): %v", i+1, colNames[i], err)}
			}
			vals[i] = v
		}
		if vals[0] < 0 {
			return &ParseError{File: name, Line: line, Column: fields[0].col, Msg: fmt.Sprintf("column 1 (z): negative redshift %g", vals[0])}
		}
		if vals[2] <= 0 {
			return &ParseError{File: name, Line: line, Column: fields[2].col, Msg: fmt.Sprintf("column 3 (sigma_H): %g is not > 0", vals[2])}
		}
		d.Z = append(d.Z, vals[0])
		d.H = append(d.H, vals[1])
		d.Sigma = append(d.Sigma, vals[2])
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(d.Z) == 0 {
		return nil, &ParseError{File: name, Msg: "no data lines"}
	}
	return d, nil
}

// parseSimulated20 reads the comma-separated H, sigma_H file of the paper's
// simulated points, whose redshifts are linspace(0, 3, n).
func parseSimulated20(r io.Reader, name string) (*Data, error) {
	d := &Data{Name: name}
	err := scanLines(r, name, func(line int, fields []field) error {
		if len(fields) != 1 {
			return &ParseError{File: name, Line: line, Msg: "want one comma-separated field pair H,sigma_H"}
		}
		parts := strings.Split(fields[0].text, ",")
		if len(parts) != 2 {
			return &ParseError{File: name, Line: line, Msg: fmt.Sprintf("got %d comma-separated columns, want 2 (H,sigma_H)", len(parts))}
		}
		h, err := parseNumber(parts[0])
		if err != nil {
			return &ParseError{File: name, Line: line, Column: fields[0].col, Msg: fmt.Sprintf("column 1 (H): %v", err)}
		}
		s, err := parseNumber(parts[1])
		if err != nil || s <= 0 {
			if err == nil {
				err = fmt.Errorf("%g is not > 0", s)
			}
			return &ParseError{File: name, Line: line, Column: fields[0].col + len(parts[0]) + 1, Msg: fmt.Sprintf("column 2 (sigma_H): %v", err)}
		}
		d.H = append(d.H, h)
		d.Sigma = append(d.Sigma, s)
		return nil
	})
	if err != nil {
		return nil, err
	}
	n := len(d.H)
	if n < 2 {
		return nil, &ParseError{File: name, Msg: "fewer than 2 data lines"}
	}
	d.Z = make([]float64, n)
	for i := range d.Z {
		d.Z[i] = 3 * float64(i) / float64(n-1)
	}
	return d, nil
}

// CovSymmetryTol is the tolerance of ReadCov's symmetry test: entries must
// satisfy |C_ij − C_ji| ≤ CovSymmetryTol·sqrt(|C_ii·C_jj|), a tolerance
// relative to the scale of the pair's variances, so that rounding in a
// printed matrix passes and a transposition error does not. The stored
// matrix is the symmetrized (C + Cᵀ)/2.
const CovSymmetryTol = 1e-6

// ReadCov reads an n×n covariance matrix of H (in (km/s/Mpc)²) from a
// whitespace-separated text file, one row per line, with the comment and
// blank-line rules of ParseData. It refuses rows of the wrong length,
// non-numbers, NaN/Inf, a number of rows other than n, a matrix that is not
// symmetric within CovSymmetryTol, and one that is not positive definite
// (its Cholesky factorization fails).
func ReadCov(path string, n int) (*mat.SymDense, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("likelihood: %w", err)
	}
	defer f.Close()
	return ParseCov(f, path, n)
}

// ParseCov is ReadCov reading from r; name labels errors.
func ParseCov(r io.Reader, name string, n int) (*mat.SymDense, error) {
	if n <= 0 {
		return nil, &ParseError{File: name, Msg: fmt.Sprintf("covariance size %d must be > 0", n)}
	}
	var rows [][]float64
	var rowLine []int
	err := scanLines(r, name, func(line int, fields []field) error {
		if len(rows) == n {
			return &ParseError{File: name, Line: line, Msg: fmt.Sprintf("more than %d rows: the covariance must be %d×%d to match the data", n, n, n)}
		}
		if len(fields) != n {
			return &ParseError{File: name, Line: line, Msg: fmt.Sprintf("row %d has %d columns, want %d (the data have %d points)", len(rows)+1, len(fields), n, n)}
		}
		row := make([]float64, n)
		for j, f := range fields {
			v, err := parseNumber(f.text)
			if err != nil {
				return &ParseError{File: name, Line: line, Column: f.col, Msg: fmt.Sprintf("row %d, column %d: %v", len(rows)+1, j+1, err)}
			}
			row[j] = v
		}
		rows = append(rows, row)
		rowLine = append(rowLine, line)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(rows) != n {
		if len(rows) == 0 {
			return nil, &ParseError{File: name, Msg: "no data lines"}
		}
		return nil, &ParseError{File: name, Msg: fmt.Sprintf("%d rows, want %d: the covariance must be %d×%d to match the data", len(rows), n, n, n)}
	}
	cov := mat.NewSymDense(n, nil)
	for i := range n {
		if !(rows[i][i] > 0) {
			return nil, &ParseError{File: name, Line: rowLine[i], Msg: fmt.Sprintf("diagonal element (%d,%d) = %g is not > 0", i+1, i+1, rows[i][i])}
		}
		for j := i; j < n; j++ {
			a, b := rows[i][j], rows[j][i]
			if math.Abs(a-b) > CovSymmetryTol*math.Sqrt(math.Abs(rows[i][i]*rows[j][j])) {
				return nil, &ParseError{File: name, Line: rowLine[j], Msg: fmt.Sprintf("not symmetric: element (%d,%d) = %g but (%d,%d) = %g", j+1, i+1, b, i+1, j+1, a)}
			}
			cov.SetSym(i, j, (a+b)/2)
		}
	}
	var chol mat.Cholesky
	if !chol.Factorize(cov) {
		return nil, &ParseError{File: name, Msg: fmt.Sprintf("the %d×%d covariance is not positive definite (Cholesky factorization failed)", n, n)}
	}
	return cov, nil
}

// field is one whitespace-separated token and its 1-based byte column.
type field struct {
	text string
	col  int
}

// maxLine bounds the length of one input line.
const maxLine = 1 << 20

// scanLines calls fn for every line of r that has fields once comments,
// CR and blanks are stripped. Line numbers are 1-based.
func scanLines(r io.Reader, name string, fn func(line int, fields []field) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), maxLine)
	var fields []field
	line := 0
	for sc.Scan() {
		line++
		text := sc.Text()
		if i := strings.IndexByte(text, '#'); i >= 0 {
			text = text[:i]
		}
		fields = splitFields(fields[:0], text)
		if len(fields) == 0 {
			continue
		}
		if err := fn(line, fields); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return &ParseError{File: name, Line: line + 1, Msg: fmt.Sprintf("line longer than %d bytes", maxLine)}
		}
		return &ParseError{File: name, Line: line + 1, Msg: err.Error()}
	}
	return nil
}

func isBlank(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'
}

func splitFields(dst []field, s string) []field {
	i := 0
	for i < len(s) {
		for i < len(s) && isBlank(s[i]) {
			i++
		}
		if i == len(s) {
			break
		}
		start := i
		for i < len(s) && !isBlank(s[i]) {
			i++
		}
		dst = append(dst, field{text: s[start:i], col: start + 1})
	}
	return dst
}

// parseNumber parses a finite float64.
func parseNumber(s string) (float64, error) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		var ne *strconv.NumError
		if errors.As(err, &ne) && errors.Is(ne.Err, strconv.ErrRange) {
			return 0, fmt.Errorf("%q is out of the float64 range", s)
		}
		return 0, fmt.Errorf("%q is not a number", s)
	}
	if !isFinite(v) {
		return 0, fmt.Errorf("%q is not finite", s)
	}
	return v, nil
}

func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
