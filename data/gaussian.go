package data

import (
	"fmt"
	"io"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// Gaussian is a Gaussian measurement of one parameter, Mean ± Sigma: a
// row of a table of priors such as DESI DR2's BBN and θ* priors.
type Gaussian struct {
	Name   string // the row's name, e.g. "bbn"
	Param  string // the parameter, as the file names it ("omega_b")
	Mean   float64
	Sigma  float64 // > 0
	Source string  // the rest of the row: where the numbers come from
}

// Validate checks a finite mean and a finite σ > 0.
func (g *Gaussian) Validate() error {
	if !isFinite(g.Mean) || !(g.Sigma > 0) || !isFinite(g.Sigma) {
		return fmt.Errorf("data: %s: %s = %g ± %g: the mean must be finite and σ finite and > 0", g.Name, g.Param, g.Mean, g.Sigma)
	}
	return nil
}

// ParseGaussians parses a table of Gaussian priors: '#' comments, then one
// prior per line, `name parameter mean sigma [source …]`, separated by
// blanks, the source running to the end of the line (the format of DESI
// DR2's desi_dr2_priors_bbn_thetastar.txt). name labels errors. Refused,
// each with a *ParseError naming the line and column: fewer than four
// fields, non-numbers, NaN/Inf, σ ≤ 0, a name given twice and a file
// without rows.
func ParseGaussians(r io.Reader, name string) ([]Gaussian, error) {
	var out []Gaussian
	seen := make(map[string]int)
	err := scanFields(r, name, func(line int, fields []field) error {
		if len(fields) < 4 {
			return &ParseError{File: name, Line: line, Msg: fmt.Sprintf("got %d fields, want name parameter mean sigma [source]", len(fields))}
		}
		g := Gaussian{Name: fields[0].text, Param: fields[1].text}
		if j, ok := seen[g.Name]; ok {
			return &ParseError{File: name, Line: line, Column: fields[0].col, Msg: fmt.Sprintf("%q repeats line %d", g.Name, j)}
		}
		seen[g.Name] = line
		for i, p := range []*float64{&g.Mean, &g.Sigma} {
			f := fields[2+i]
			v, err := parseNumber(f.text)
			if err != nil {
				return &ParseError{File: name, Line: line, Column: f.col, Msg: fmt.Sprintf("column %d (%s): %v", 3+i, [2]string{"mean", "sigma"}[i], err)}
			}
			*p = v
		}
		if !(g.Sigma > 0) {
			return &ParseError{File: name, Line: line, Column: fields[3].col, Msg: fmt.Sprintf("column 4 (sigma): %g is not > 0", g.Sigma)}
		}
		var src []string
		for _, f := range fields[4:] {
			src = append(src, f.text)
		}
		g.Source = strings.Join(src, " ")
		out = append(out, g)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, &ParseError{File: name, Msg: "no data lines"}
	}
	return out, nil
}

// GaussianVector is a Gaussian measurement of several quantities at once:
// their mean and covariance, such as DESI DR2's compressed CMB likelihood
// in (θ*, ω_b, ω_bc). The file says what the quantities are; the
// likelihood that reads it declares their order.
type GaussianVector struct {
	Name string
	Mean []float64
	Cov  *mat.SymDense // len(Mean)×len(Mean), positive definite
	Chol *mat.Cholesky // of Cov
}

// ParseGaussianVector parses a Gaussian in n quantities: '#' comments,
// then the mean on the first line with fields (n numbers), then the n×n
// covariance, one row per line (the format of DESI DR2's
// desi_dr2_cmb_compressed_theta_ombh2_ombch2.txt). name labels errors.
// Refused, each with a *ParseError naming the line (and column): a mean
// line without n numbers, NaN/Inf, and every mistake ParseCov refuses in
// the covariance (its line numbers are those of the file).
func ParseGaussianVector(r io.Reader, name string, n int) (*GaussianVector, error) {
	if n <= 0 {
		return nil, &ParseError{File: name, Msg: fmt.Sprintf("size %d must be > 0", n)}
	}
	// The mean is the first line with fields; the covariance is read from
	// the rest, with the lines before it blanked so that its errors keep
	// the file's line numbers.
	var rest strings.Builder
	var mean []float64
	err := scanLines(r, name, func(line int, text string) error {
		if mean != nil {
			rest.WriteString(text)
			rest.WriteByte('\n')
			return nil
		}
		rest.WriteByte('\n')
		body := text
		if i := strings.IndexByte(body, '#'); i >= 0 {
			body = body[:i]
		}
		fields := splitFields(nil, body)
		if len(fields) == 0 {
			return nil
		}
		if len(fields) != n {
			return &ParseError{File: name, Line: line, Msg: fmt.Sprintf("the mean has %d values, want %d", len(fields), n)}
		}
		mean = make([]float64, n)
		for i, f := range fields {
			v, err := parseNumber(f.text)
			if err != nil {
				return &ParseError{File: name, Line: line, Column: f.col, Msg: fmt.Sprintf("mean value %d: %v", i+1, err)}
			}
			mean[i] = v
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if mean == nil {
		return nil, &ParseError{File: name, Msg: "no data lines"}
	}
	cov, chol, err := parseCov(strings.NewReader(rest.String()), name, n)
	if err != nil {
		return nil, err
	}
	return &GaussianVector{Name: name, Mean: mean, Cov: cov, Chol: chol}, nil
}
