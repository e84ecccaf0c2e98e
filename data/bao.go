package data

import (
	"fmt"
	"io"
	"strings"

	"github.com/cosmoemu/cosmoemu/internal/atomicfile"

	"gonum.org/v1/gonum/mat"
)

// Quantity is what a BAO measurement measures. D_M is the comoving
// transverse distance, D_H = c/H(z) the Hubble distance,
// D_V = (z D_M² D_H)^{1/3} the volume-averaged distance and r_d the
// comoving sound horizon at the drag epoch.
type Quantity int

const (
	// DVOverRd is D_V/r_d (Cobaya's DV_over_rs).
	DVOverRd Quantity = iota + 1
	// DMOverRd is D_M/r_d (Cobaya's DM_over_rs without a fiducial r_d).
	DMOverRd
	// DHOverRd is D_H/r_d = c/(H r_d) (Cobaya's DH_over_rs).
	DHOverRd
	// DMScaled is D_M·r_d,fid/r_d in Mpc (SDSS DR12's DM_over_rs, with
	// r_d,fid = BAO.RdFid).
	DMScaled
	// HScaled is H·r_d/r_d,fid in km/s/Mpc (SDSS DR12's bao_Hz_rs, with
	// r_d,fid = BAO.RdFid).
	HScaled
	// FSigma8 is fσ8(z), the growth rate f = dln D/dln a times σ8(z), as
	// redshift-space distortions measure it (Cobaya's f_sigma8).
	FSigma8
)

func (q Quantity) String() string {
	switch q {
	case DVOverRd:
		return "DV/rd"
	case DMOverRd:
		return "DM/rd"
	case DHOverRd:
		return "DH/rd"
	case DMScaled:
		return "DM*rdfid/rd"
	case HScaled:
		return "H*rd/rdfid"
	case FSigma8:
		return "fsigma8"
	}
	return fmt.Sprintf("Quantity(%d)", int(q))
}

// BAO is a set of BAO measurements with their covariance.
type BAO struct {
	Name     string
	Z        []float64 // effective redshifts, > 0
	Value    []float64 // measured values, > 0
	Quantity []Quantity
	// Line is the 1-based line of each measurement in the file it was
	// read from (ParseBAO sets it); nil if unknown.
	Line []int
	// RdFid is the fiducial sound horizon r_d,fid in Mpc of DMScaled and
	// HScaled rows; 0 when there are none.
	RdFid float64
	// Cov is the N×N covariance of Value, in the rows' units.
	Cov *mat.SymDense
	// Chol is the Cholesky factorization of Cov made while validating it.
	Chol *mat.Cholesky
}

// Len returns the number of measurements.
func (d *BAO) Len() int { return len(d.Z) }

// Validate checks equal non-zero lengths, finite values, 0 < z ≤ MaxZ, value > 0,
// known quantities, RdFid > 0 if a row needs it, no repeated
// (z, quantity) pair and, if Cov is set, its size.
func (d *BAO) Validate() error {
	n := len(d.Z)
	if n == 0 {
		return fmt.Errorf("data: %s: no measurements", d.Name)
	}
	if len(d.Value) != n || len(d.Quantity) != n {
		return fmt.Errorf("data: %s: column lengths differ (z %d, value %d, quantity %d)", d.Name, n, len(d.Value), len(d.Quantity))
	}
	type key struct {
		z float64
		q Quantity
	}
	seen := make(map[key]int, n)
	for i := range n {
		z, v, q := d.Z[i], d.Value[i], d.Quantity[i]
		switch {
		case !isFinite(z) || !isFinite(v):
			return fmt.Errorf("data: %s: row %d (z=%g, value=%g) is not finite", d.Name, i+1, z, v)
		case z <= 0:
			return fmt.Errorf("data: %s: row %d: redshift z=%g must be > 0", d.Name, i+1, z)
		case z > MaxZ:
			return fmt.Errorf("data: %s: row %d: %s", d.Name, i+1, tooFar(z))
		case v <= 0:
			return fmt.Errorf("data: %s: row %d: value %g must be > 0", d.Name, i+1, v)
		case q < DVOverRd || q > FSigma8:
			return fmt.Errorf("data: %s: row %d: unknown quantity %v", d.Name, i+1, q)
		case (q == DMScaled || q == HScaled) && !(d.RdFid > 0 && isFinite(d.RdFid)):
			return fmt.Errorf("data: %s: row %d: quantity %v needs RdFid > 0, have %g", d.Name, i+1, q, d.RdFid)
		}
		if j, ok := seen[key{z, q}]; ok {
			return fmt.Errorf("data: %s: rows %d and %d both measure %v at z=%g", d.Name, j+1, i+1, q, z)
		}
		seen[key{z, q}] = i
	}
	if d.Cov != nil && d.Cov.SymmetricDim() != n {
		return fmt.Errorf("data: %s: covariance is %d×%d, want %d×%d", d.Name, d.Cov.SymmetricDim(), d.Cov.SymmetricDim(), n, n)
	}
	return nil
}

// ReadBAO reads a BAO mean file (see ParseBAO).
func ReadBAO(path string) (*BAO, error) {
	f, err := atomicfile.OpenInput(path, atomicfile.MaxInput)
	if err != nil {
		return nil, fmt.Errorf("data: %w", err)
	}
	defer f.Close()
	return ParseBAO(f, path)
}

// ParseBAO parses a BAO mean file in Cobaya's format: one measurement per
// line, columns `z value quantity` or `z value error quantity`, separated by
// blanks, '#' comments. quantity is DV_over_rs, DM_over_rs or DH_over_rs
// (plain ratios to r_d; a "bao_" prefix is ignored, as in Cobaya), or
// f_sigma8 (fσ8(z) of redshift-space distortions, as in the BOSS and
// eBOSS full-shape files; it needs the growth and σ8); the row
// order is free, so the quantity column is always read. With an error
// column the result's Cov is diag(error²); without, Cov is nil and the
// caller must read a covariance (ParseCov) in the same row order.
//
// Refused, each with a *ParseError naming line and column: a wrong number
// of columns, non-numbers, NaN/Inf, z ≤ 0 or z > MaxZ, a value or error ≤ 0, an
// unknown quantity, a repeated (z, quantity) pair (for instance a
// per-tracer file pasted after the combined one), mixed 3- and 4-column
// rows and an empty file.
func ParseBAO(r io.Reader, name string) (*BAO, error) {
	return parseBAO(r, name, 0)
}

// ParseBAOScaled parses a BAO mean file in the convention of the SDSS
// DR12 consensus, relative to a fiducial sound horizon rdFid > 0 (Mpc):
// DM_over_rs is D_M·r_d,fid/r_d in Mpc (DMScaled) and bao_Hz_rs is
// H·r_d/r_d,fid in km/s/Mpc (HScaled); f_sigma8 (the final consensus's
// fσ8) is read as in ParseBAO; no other quantity is. The rest is as in
// ParseBAO. It panics if rdFid is not finite and > 0.
func ParseBAOScaled(r io.Reader, name string, rdFid float64) (*BAO, error) {
	if !(rdFid > 0) || !isFinite(rdFid) {
		panic("data: ParseBAOScaled: the fiducial r_d must be finite and > 0")
	}
	return parseBAO(r, name, rdFid)
}

// cobayaQuantities maps Cobaya's names to quantities for files without a
// fiducial r_d (rdFid == 0) and with one.
var (
	plainQuantities  = map[string]Quantity{"DV_over_rs": DVOverRd, "DM_over_rs": DMOverRd, "DH_over_rs": DHOverRd, "f_sigma8": FSigma8}
	scaledQuantities = map[string]Quantity{"DM_over_rs": DMScaled, "Hz_rs": HScaled, "f_sigma8": FSigma8}
)

// parseBAO is ParseBAO; rdFid > 0 reads the SDSS DR12 convention, in which
// DM_over_rs is D_M·r_d,fid/r_d and bao_Hz_rs is H·r_d/r_d,fid.
func parseBAO(r io.Reader, name string, rdFid float64) (*BAO, error) {
	d := &BAO{Name: name}
	quantities := plainQuantities
	if rdFid > 0 {
		d.RdFid = rdFid
		quantities = scaledQuantities
	}
	var sigma []float64
	ncol := 0
	type key struct {
		z float64
		q Quantity
	}
	seen := make(map[key]int)
	colNames := [3]string{"z", "value", "error"}
	err := scanFields(r, name, func(line int, fields []field) error {
		if len(fields) != 3 && len(fields) != 4 {
			return &ParseError{File: name, Line: line, Msg: fmt.Sprintf("got %d columns, want 3 (z value quantity) or 4 (z value error quantity)", len(fields))}
		}
		if ncol == 0 {
			ncol = len(fields)
		} else if len(fields) != ncol {
			return &ParseError{File: name, Line: line, Msg: fmt.Sprintf("got %d columns, but the first data line has %d", len(fields), ncol)}
		}
		var vals [3]float64
		for i, f := range fields[:len(fields)-1] {
			v, err := parseNumber(f.text)
			if err != nil {
				return &ParseError{File: name, Line: line, Column: f.col, Msg: fmt.Sprintf("column %d (%s): %v", i+1, colNames[i], err)}
			}
			vals[i] = v
		}
		if vals[0] <= 0 {
			return &ParseError{File: name, Line: line, Column: fields[0].col, Msg: fmt.Sprintf("column 1 (z): redshift %g must be > 0", vals[0])}
		}
		if vals[0] > MaxZ {
			return &ParseError{File: name, Line: line, Column: fields[0].col, Msg: "column 1 (z): " + tooFar(vals[0])}
		}
		if vals[1] <= 0 {
			return &ParseError{File: name, Line: line, Column: fields[1].col, Msg: fmt.Sprintf("column 2 (value): %g is not > 0", vals[1])}
		}
		if ncol == 4 && vals[2] <= 0 {
			return &ParseError{File: name, Line: line, Column: fields[2].col, Msg: fmt.Sprintf("column 3 (error): %g is not > 0", vals[2])}
		}
		qf := fields[len(fields)-1]
		q, ok := quantities[strings.TrimPrefix(qf.text, "bao_")]
		if !ok {
			return &ParseError{File: name, Line: line, Column: qf.col, Msg: unknownQuantity(qf.text, rdFid)}
		}
		if j, dup := seen[key{vals[0], q}]; dup {
			return &ParseError{File: name, Line: line, Msg: fmt.Sprintf("%s at z=%g repeats line %d (use either the combined file or the per-tracer files, never both)", qf.text, vals[0], j)}
		}
		seen[key{vals[0], q}] = line
		d.Z = append(d.Z, vals[0])
		d.Value = append(d.Value, vals[1])
		d.Quantity = append(d.Quantity, q)
		d.Line = append(d.Line, line)
		if ncol == 4 {
			sigma = append(sigma, vals[2])
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(d.Z) == 0 {
		return nil, &ParseError{File: name, Msg: "no data lines"}
	}
	if sigma != nil {
		d.Cov = mat.NewSymDense(len(sigma), nil)
		for i, s := range sigma {
			d.Cov.SetSym(i, i, s*s)
		}
		if d.Chol, err = Factorize(name, d.Cov); err != nil {
			return nil, err
		}
	}
	return d, nil
}

func unknownQuantity(q string, rdFid float64) string {
	if rdFid > 0 {
		return fmt.Sprintf("unknown quantity %q: with a fiducial r_d only DM_over_rs, bao_Hz_rs and f_sigma8 are read", q)
	}
	msg := fmt.Sprintf("unknown quantity %q: want DV_over_rs, DM_over_rs, DH_over_rs or f_sigma8", q)
	if strings.TrimPrefix(q, "bao_") == "Hz_rs" {
		msg += " (H·r_d/r_d,fid needs a fiducial r_d: SDSS DR12 is built in as sdss-dr12)"
	}
	return msg
}

// AttachCov reads the row-format covariance of d's rows from r (see
// ParseCov; name labels errors) and sets Cov and its factorization Chol.
func (d *BAO) AttachCov(r io.Reader, name string) error {
	cov, chol, err := parseCov(r, name, d.Len())
	if err != nil {
		return err
	}
	d.Cov, d.Chol = cov, chol
	return nil
}
