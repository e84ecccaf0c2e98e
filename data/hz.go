package data

import (
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/cosmoemu/cosmoemu/internal/atomicfile"

	"gonum.org/v1/gonum/mat"
)

// Hz is a set of H(z) measurements.
type Hz struct {
	Name  string    // file or built-in name, used in messages
	Z     []float64 // redshifts, z ≥ 0
	H     []float64 // H(z) in km/s/Mpc, > 0
	Sigma []float64 // 1σ errors of H in km/s/Mpc, > 0
	// Line is the 1-based line of each measurement in the file it was
	// read from (ParseHz, ParseHSigma set it); nil if unknown.
	Line []int
	// Cov is the full N×N covariance of H in (km/s/Mpc)²; nil means
	// diag(Sigma²). When Cov is set, Sigma is kept for plots and tables.
	Cov *mat.SymDense
	// Chol is the Cholesky factorization of Cov made while validating it;
	// nil when Cov is nil.
	Chol *mat.Cholesky
}

// Len returns the number of measurements.
func (d *Hz) Len() int { return len(d.Z) }

// Validate checks that the columns have equal, non-zero lengths, that every
// value is finite, 0 ≤ z ≤ MaxZ, H > 0, σ > 0 and that Cov, if set, is
// N×N.
func (d *Hz) Validate() error {
	n := len(d.Z)
	if n == 0 {
		return fmt.Errorf("data: %s: no measurements", d.Name)
	}
	if len(d.H) != n || len(d.Sigma) != n {
		return fmt.Errorf("data: %s: column lengths differ (z %d, H %d, sigma %d)", d.Name, n, len(d.H), len(d.Sigma))
	}
	for i := range n {
		z, h, s := d.Z[i], d.H[i], d.Sigma[i]
		switch {
		case !isFinite(z) || !isFinite(h) || !isFinite(s):
			return fmt.Errorf("data: %s: point %d (z=%g, H=%g, sigma=%g) is not finite", d.Name, i+1, z, h, s)
		case z < 0:
			return fmt.Errorf("data: %s: point %d: negative redshift z=%g", d.Name, i+1, z)
		case z > MaxZ:
			return fmt.Errorf("data: %s: point %d: %s", d.Name, i+1, tooFar(z))
		case h <= 0:
			return fmt.Errorf("data: %s: point %d: H=%g must be > 0", d.Name, i+1, h)
		case s <= 0:
			return fmt.Errorf("data: %s: point %d: sigma_H=%g must be > 0", d.Name, i+1, s)
		}
	}
	if d.Cov != nil && d.Cov.SymmetricDim() != n {
		return fmt.Errorf("data: %s: covariance is %d×%d, want %d×%d", d.Name, d.Cov.SymmetricDim(), d.Cov.SymmetricDim(), n, n)
	}
	return nil
}

// AttachCov reads the row-format covariance of d's points from r (see
// ParseCov; name labels errors) and sets Cov and its factorization Chol.
func (d *Hz) AttachCov(r io.Reader, name string) error {
	cov, chol, err := parseCov(r, name, d.Len())
	if err != nil {
		return err
	}
	d.Cov, d.Chol = cov, chol
	return nil
}

// ReadHz reads a whitespace-separated z, H, sigma_H file (see ParseHz).
func ReadHz(path string) (*Hz, error) {
	f, err := atomicfile.OpenInput(path, atomicfile.MaxInput)
	if err != nil {
		return nil, fmt.Errorf("data: %w", err)
	}
	defer f.Close()
	return ParseHz(f, path)
}

// ParseHz parses H(z) data from r: one measurement per line, three columns
// z, H, sigma_H (km/s/Mpc) separated by spaces or tabs. '#' starts a
// comment that runs to the end of the line; blank lines, trailing blanks,
// CRLF line ends and a byte-order mark are accepted. name labels errors,
// which are *ParseError values naming the line and column. Refused: a
// wrong number of columns, a field that is not a number, NaN or ±Inf,
// z < 0 or z > MaxZ, H ≤ 0, sigma_H ≤ 0, and a file without data lines.
func ParseHz(r io.Reader, name string) (*Hz, error) {
	d := &Hz{Name: name}
	colNames := [3]string{"z", "H", "sigma_H"}
	var vals [3]float64
	err := scanFields(r, name, func(line int, fields []field) error {
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
		if vals[0] > MaxZ {
			return &ParseError{File: name, Line: line, Column: fields[0].col, Msg: "column 1 (z): " + tooFar(vals[0])}
		}
		if vals[1] <= 0 {
			return &ParseError{File: name, Line: line, Column: fields[1].col, Msg: fmt.Sprintf("column 2 (H): %g is not > 0", vals[1])}
		}
		if vals[2] <= 0 {
			return &ParseError{File: name, Line: line, Column: fields[2].col, Msg: fmt.Sprintf("column 3 (sigma_H): %g is not > 0", vals[2])}
		}
		d.Z = append(d.Z, vals[0])
		d.H = append(d.H, vals[1])
		d.Sigma = append(d.Sigma, vals[2])
		d.Line = append(d.Line, line)
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

// ParseHSigma reads H(z) data without redshifts: one comma-separated pair
// H,sigma_H (km/s/Mpc) per line, '#' comments, at the redshifts
// linspace(0, zmax, n) of the n lines, the format of the paper's simulated
// points (simulated20, zmax = 3). Refused, each with a *ParseError naming
// the line and column: a line that is not one pair, non-numbers, NaN/Inf,
// H ≤ 0, sigma_H ≤ 0 and fewer than 2 lines. It panics if zmax is not
// finite and > 0.
func ParseHSigma(r io.Reader, name string, zmax float64) (*Hz, error) {
	if !(zmax > 0) || math.IsInf(zmax, 1) {
		panic("data: ParseHSigma: zmax must be finite and > 0")
	}
	d := &Hz{Name: name}
	err := scanFields(r, name, func(line int, fields []field) error {
		if len(fields) != 1 {
			return &ParseError{File: name, Line: line, Msg: "want one comma-separated field pair H,sigma_H"}
		}
		parts := strings.Split(fields[0].text, ",")
		if len(parts) != 2 {
			return &ParseError{File: name, Line: line, Msg: fmt.Sprintf("got %d comma-separated columns, want 2 (H,sigma_H)", len(parts))}
		}
		h, err := parseNumber(parts[0])
		if err == nil && h <= 0 {
			err = fmt.Errorf("%g is not > 0", h)
		}
		if err != nil {
			return &ParseError{File: name, Line: line, Column: fields[0].col, Msg: fmt.Sprintf("column 1 (H): %v", err)}
		}
		s, err := parseNumber(parts[1])
		if err == nil && s <= 0 {
			err = fmt.Errorf("%g is not > 0", s)
		}
		if err != nil {
			return &ParseError{File: name, Line: line, Column: fields[0].col + len(parts[0]) + 1, Msg: fmt.Sprintf("column 2 (sigma_H): %v", err)}
		}
		d.H = append(d.H, h)
		d.Sigma = append(d.Sigma, s)
		d.Line = append(d.Line, line)
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
		d.Z[i] = zmax * float64(i) / float64(n-1)
	}
	return d, nil
}
