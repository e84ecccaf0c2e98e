package data

import (
	"fmt"
	"io"
	"math"

	"gonum.org/v1/gonum/mat"
)

// CMB is a Gaussian prior on the CMB distance parameters x = (R, l_A,
// ω_b = Ω_b h²): χ² = (x − Mean)ᵀ InvCov (x − Mean), with the shift
// parameter R = √(Ω_m) H0 D_M(z*)/c and the acoustic scale
// l_A = π D_M(z*)/r_s(z*) at the photon decoupling redshift z*.
type CMB struct {
	Name   string
	Mean   []float64     // R, l_A, ω_b; all > 0
	InvCov *mat.SymDense // 3×3 inverse covariance, positive definite
}

// Validate checks three finite positive means and a 3×3 inverse covariance.
func (d *CMB) Validate() error {
	if len(d.Mean) != 3 {
		return fmt.Errorf("data: %s: %d means, want 3 (R, l_A, omega_b)", d.Name, len(d.Mean))
	}
	for i, v := range d.Mean {
		if !(v > 0) || math.IsInf(v, 0) {
			return fmt.Errorf("data: %s: mean %d = %g must be finite and > 0", d.Name, i+1, v)
		}
	}
	if d.InvCov == nil || d.InvCov.SymmetricDim() != 3 {
		return fmt.Errorf("data: %s: want a 3×3 inverse covariance", d.Name)
	}
	return nil
}

// ParseCMB parses a distance-prior file: '#' comments, then keyword lines
//
//	MEAN   R l_A omega_b
//	INVCOV three values   (three lines: the rows of the inverse covariance)
//
// Lines with the keywords T1MEAN, T1SIGMA (4 values) and T1CORR (four lines
// of 4 values) carry the source paper's table for reference: they are
// checked to be numbers and otherwise ignored. Refused, each with a
// *ParseError naming the line and column: an unknown keyword, a wrong
// count of values, non-numbers, NaN/Inf, a mean ≤ 0, a missing or repeated
// block, an inverse covariance that is not symmetric within
// CovSymmetryTol or not positive definite.
func ParseCMB(r io.Reader, name string) (*CMB, error) {
	var (
		mean      []float64
		inv       [][]float64
		invLines  []int
		tableRows = map[string]int{}
	)
	err := scanFields(r, name, func(line int, fields []field) error {
		kw := fields[0].text
		var want, maxLines int
		switch kw {
		case "MEAN":
			want, maxLines = 3, 1
		case "INVCOV":
			want, maxLines = 3, 3
		case "T1MEAN", "T1SIGMA":
			want, maxLines = 4, 1
		case "T1CORR":
			want, maxLines = 4, 4
		default:
			return &ParseError{File: name, Line: line, Column: fields[0].col, Msg: fmt.Sprintf("unknown keyword %q: want MEAN, INVCOV, T1MEAN, T1SIGMA or T1CORR", kw)}
		}
		if len(fields)-1 != want {
			return &ParseError{File: name, Line: line, Msg: fmt.Sprintf("%s has %d values, want %d", kw, len(fields)-1, want)}
		}
		if tableRows[kw] == maxLines {
			return &ParseError{File: name, Line: line, Msg: fmt.Sprintf("more than %d %s line(s)", maxLines, kw)}
		}
		tableRows[kw]++
		vals := make([]float64, want)
		for i, f := range fields[1:] {
			v, err := parseNumber(f.text)
			if err != nil {
				return &ParseError{File: name, Line: line, Column: f.col, Msg: fmt.Sprintf("%s value %d: %v", kw, i+1, err)}
			}
			vals[i] = v
		}
		switch kw {
		case "MEAN":
			for i, v := range vals {
				if v <= 0 {
					return &ParseError{File: name, Line: line, Column: fields[i+1].col, Msg: fmt.Sprintf("MEAN value %d: %g is not > 0", i+1, v)}
				}
			}
			mean = vals
		case "INVCOV":
			inv = append(inv, vals)
			invLines = append(invLines, line)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	switch {
	case mean == nil:
		return nil, &ParseError{File: name, Msg: "no MEAN line"}
	case len(inv) != 3:
		return nil, &ParseError{File: name, Msg: fmt.Sprintf("%d INVCOV lines, want 3", len(inv))}
	}
	m := mat.NewSymDense(3, nil)
	for i := range 3 {
		for j := i; j < 3; j++ {
			a, b := inv[i][j], inv[j][i]
			if math.Abs(a-b) > CovSymmetryTol*math.Sqrt(math.Abs(inv[i][i]*inv[j][j])) {
				return nil, &ParseError{File: name, Line: invLines[j], Msg: fmt.Sprintf("INVCOV not symmetric: element (%d,%d) = %g but (%d,%d) = %g", j+1, i+1, b, i+1, j+1, a)}
			}
			m.SetSym(i, j, (a+b)/2)
		}
	}
	if _, err := Factorize(name+": INVCOV", m); err != nil {
		return nil, err
	}
	return &CMB{Name: name, Mean: mean, InvCov: m}, nil
}

// H0 is a Gaussian prior on the Hubble constant in km/s/Mpc.
type H0 struct {
	Name        string
	Mean, Sigma float64
}

// Validate checks a finite positive mean and σ.
func (d *H0) Validate() error {
	if !(d.Mean > 0) || !(d.Sigma > 0) || math.IsInf(d.Mean, 0) || math.IsInf(d.Sigma, 0) {
		return fmt.Errorf("data: %s: H0 = %g ± %g: both must be finite and > 0", d.Name, d.Mean, d.Sigma)
	}
	return nil
}
