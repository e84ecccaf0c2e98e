package data

import (
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/cosmoemu/cosmoemu/internal/atomicfile"

	"gonum.org/v1/gonum/mat"
)

// SN is a supernova Hubble diagram: per supernova (or per redshift node
// for Union3) a magnitude, and the covariance of the magnitudes. The
// magnitude is a distance modulus up to an additive constant (the absolute
// magnitude, or the H0 = 70 offset of DES-SN5YR), which the likelihood
// marginalises: μ(z) = 5 log10[(1+ZHel)·D_M(Z)/Mpc] + 25.
type SN struct {
	Name string
	// Z is the cosmological (theory) redshift: zHD if the table has it,
	// else zcmb. ZHel is the heliocentric redshift (zhel, zHEL).
	Z, ZHel []float64
	// Mag is the column MagColumn of the table: m_b_corr (Pantheon+), MU
	// (DES-SN5YR) or mb (Union3), spelled as in the file.
	Mag       []float64
	MagColumn string
	// MagErr is the table's per-row error of Mag, the column ErrColumn
	// (m_b_corr_err_DIAG, MUERR_FINAL, MUERR or dmb); nil if there is none.
	MagErr    []float64
	ErrColumn string
	// Line is the 1-based line of each row in the file it was read from
	// (ParseSN sets it); nil if unknown.
	Line []int
	// Cov is the N×N covariance of Mag in mag² (ParseSN leaves it nil:
	// see SetCov and SetDiagonal).
	Cov *mat.SymDense
	// Chol is the Cholesky factorization of Cov made while validating it.
	Chol *mat.Cholesky
	// DiagOnly is set when Cov is only diag(MagErr²) because the full
	// covariance was not given: a fit with it is not the published one,
	// and the caller should say so.
	DiagOnly bool
	// CovSource says where Cov came from: "embedded", a file path, or
	// "diagonal (ErrColumn²)".
	CovSource string
}

// Len returns the number of rows.
func (d *SN) Len() int { return len(d.Z) }

// Validate checks equal non-zero lengths, finite values, 0 < Z, ZHel ≤ MaxZ,
// MagErr (if set) ≥ 0 and, if Cov is set, its size.
func (d *SN) Validate() error {
	n := len(d.Z)
	if n == 0 {
		return fmt.Errorf("data: %s: no supernovae", d.Name)
	}
	if len(d.ZHel) != n || len(d.Mag) != n || (d.MagErr != nil && len(d.MagErr) != n) {
		return fmt.Errorf("data: %s: column lengths differ (z %d, zhel %d, mag %d, error %d)", d.Name, n, len(d.ZHel), len(d.Mag), len(d.MagErr))
	}
	for i := range n {
		z, zh, m := d.Z[i], d.ZHel[i], d.Mag[i]
		switch {
		case !isFinite(z) || !isFinite(zh) || !isFinite(m):
			return fmt.Errorf("data: %s: row %d (z=%g, zhel=%g, mag=%g) is not finite", d.Name, i+1, z, zh, m)
		case z <= 0 || zh <= 0:
			return fmt.Errorf("data: %s: row %d: redshifts z=%g, zhel=%g must be > 0", d.Name, i+1, z, zh)
		case z > MaxZ || zh > MaxZ:
			return fmt.Errorf("data: %s: row %d: %s", d.Name, i+1, tooFar(max(z, zh)))
		case d.MagErr != nil && !(d.MagErr[i] >= 0 && isFinite(d.MagErr[i])):
			return fmt.Errorf("data: %s: row %d: error %g must be finite and ≥ 0", d.Name, i+1, d.MagErr[i])
		}
	}
	if d.Cov != nil && d.Cov.SymmetricDim() != n {
		return fmt.Errorf("data: %s: covariance is %d×%d, want %d×%d", d.Name, d.Cov.SymmetricDim(), d.Cov.SymmetricDim(), n, n)
	}
	return nil
}

// ReadSN reads a supernova table (see ParseSN).
func ReadSN(path string) (*SN, error) {
	f, err := atomicfile.OpenInput(path, atomicfile.MaxInput)
	if err != nil {
		return nil, fmt.Errorf("data: %w", err)
	}
	defer f.Close()
	return ParseSN(f, path)
}

// Column names ParseSN recognises, lower case (names match without regard
// to case), in order of preference.
var (
	snZColumns   = []string{"zhd", "zcmb"}
	snMagColumns = []string{"m_b_corr", "mu", "mb"}
	snErrColumns = map[string][]string{
		"m_b_corr": {"m_b_corr_err_diag"},
		"mu":       {"muerr_final", "muerr"},
		"mb":       {"dmb"},
	}
)

// ParseSN parses a supernova table with a header line naming its columns,
// separated by blanks or, if the header has a comma, by commas: Pantheon+'s
// Pantheon+SH0ES.dat, DES-SN5YR's DES-SN5YR_HD.csv, Union3's
// lcparam_full.txt and tables like them. Names match without regard to
// case. Read are: Z from zHD, else zcmb; ZHel from zhel; Mag from m_b_corr,
// else MU, else mb (so Pantheon+'s uncorrected mB is never taken for
// Union3's mb), and MagErr from the matching error column if present
// (m_b_corr_err_DIAG; MUERR_FINAL or MUERR; dmb). Other columns are
// ignored and may hold text.
//
// Lines whose first non-blank byte is '#' are comments, except that the
// header may start with '#' (as Union3's does): the header is the first
// line that names a redshift column. A byte-order mark and CRLF line ends
// are accepted. Rows may have fewer fields than the header names (Union3's
// header has a trailing biascor column its rows lack) as long as they hold
// the columns read, but all rows must have the same number. Refused, each
// with a *ParseError naming line and column: data before the header,
// repeated column names, a missing required column, a row with more fields
// than the header or a different number than the first row, non-numbers,
// NaN/Inf, redshifts ≤ 0 or > MaxZ and a negative error.
//
// The result has no covariance (Cov is nil).
func ParseSN(r io.Reader, name string) (*SN, error) {
	ps := &snParser{d: &SN{Name: name}, name: name, allZero: true}
	err := scanLines(r, name, func(line int, text string) error {
		trimmed := strings.TrimLeft(text, " \t\r\v\f")
		if trimmed == "" || strings.Trim(trimmed, " \t\r\v\f,") == "" {
			return nil
		}
		isComment := trimmed[0] == '#'
		switch {
		case ps.header && isComment:
			return nil
		case ps.header:
			return ps.row(line, text)
		case isComment:
			// Blank out the '#' so that columns stay byte-exact.
			k := len(text) - len(trimmed)
			return ps.readHeader(line, text[:k]+" "+text[k+1:], true)
		}
		return ps.readHeader(line, text, false)
	})
	if err != nil {
		return nil, err
	}
	d := ps.d
	if !ps.header {
		return nil, &ParseError{File: name, Msg: "no header line naming the columns (zHD or zcmb, zhel, m_b_corr, MU or mb)"}
	}
	if len(d.Z) == 0 {
		return nil, &ParseError{File: name, Msg: "no data lines"}
	}
	if ps.allZero {
		// An error column of zeros (Union3's dmb) is a placeholder, not an
		// error bar.
		d.MagErr, d.ErrColumn = nil, ""
	}
	return d, nil
}

// snParser holds the state of ParseSN between lines.
type snParser struct {
	d               *SN
	name            string
	header          bool // the header has been read
	comma           bool // comma-separated, else whitespace
	ncol            int  // columns named by the header
	iz, izh, im, ie int  // columns of z, z_hel, the magnitude, its error (−1: none)
	zName, zhName   string
	fields          []field
	allZero         bool // every error so far is 0
	width, maxIndex int  // fields of the first data line; the largest column used
}

// readHeader reads a line before the header: the header if it names a
// redshift column, else a comment (if comment) or an error.
func (ps *snParser) readHeader(line int, text string, comment bool) error {
	ps.comma = strings.IndexByte(text, ',') >= 0
	ps.fields = split(ps.fields[:0], text, ps.comma)
	isHeader := false
	for _, f := range ps.fields {
		for _, zc := range snZColumns {
			isHeader = isHeader || strings.EqualFold(f.text, zc)
		}
	}
	if !isHeader {
		if comment {
			return nil
		}
		return &ParseError{File: ps.name, Line: line, Msg: "want a header line naming the columns before the data, with a redshift column zHD or zcmb"}
	}
	fields := ps.fields
	cols := make(map[string]int, len(fields))
	for i, f := range fields {
		key := strings.ToLower(f.text)
		if j, dup := cols[key]; dup {
			return &ParseError{File: ps.name, Line: line, Column: f.col, Msg: fmt.Sprintf("column %d (%q) repeats the name of column %d (%q)", i+1, f.text, j+1, fields[j].text)}
		}
		cols[key] = i
	}
	d := ps.d
	ps.header, ps.ncol = true, len(fields)
	ps.iz, ps.zName = pick(cols, fields, snZColumns)
	ps.izh, ps.zhName = pick(cols, fields, []string{"zhel"})
	ps.ie = -1
	ps.im, d.MagColumn = pick(cols, fields, snMagColumns)
	if ps.im >= 0 {
		ps.ie, d.ErrColumn = pick(cols, fields, snErrColumns[strings.ToLower(d.MagColumn)])
	}
	switch {
	case ps.izh < 0:
		return &ParseError{File: ps.name, Line: line, Msg: "the header has no heliocentric redshift column (zhel or zHEL)"}
	case ps.im < 0:
		return &ParseError{File: ps.name, Line: line, Msg: "the header has no magnitude column (m_b_corr, MU or mb)"}
	}
	ps.maxIndex = max(ps.iz, ps.izh, ps.im, ps.ie)
	return nil
}

// row reads a data line.
func (ps *snParser) row(line int, text string) error {
	ps.fields = split(ps.fields[:0], text, ps.comma)
	fields := ps.fields
	if i := len(fields) - 1; ps.comma && i > 0 && fields[i].text == "" && len(fields) == ps.ncol+1 {
		fields = fields[:i] // a trailing comma
	}
	switch {
	case ps.width == 0 && len(fields) <= ps.ncol && len(fields) > ps.maxIndex:
		// Union3's header names 19 columns and its rows have 18: the
		// trailing names may lack data, but every row has the same width.
		ps.width = len(fields)
	case len(fields) > ps.ncol || ps.width == 0:
		return &ParseError{File: ps.name, Line: line, Msg: fmt.Sprintf("got %d fields, the header has %d", len(fields), ps.ncol)}
	case len(fields) != ps.width:
		return &ParseError{File: ps.name, Line: line, Msg: fmt.Sprintf("got %d fields, the first data line has %d", len(fields), ps.width)}
	}
	get := func(i int, col string) (float64, error) {
		v, err := parseNumber(fields[i].text)
		if err != nil {
			return 0, &ParseError{File: ps.name, Line: line, Column: fields[i].col, Msg: fmt.Sprintf("column %d (%s): %v", i+1, col, err)}
		}
		return v, nil
	}
	positive := func(i int, col string) (float64, error) {
		v, err := get(i, col)
		switch {
		case err != nil:
		case v <= 0:
			err = &ParseError{File: ps.name, Line: line, Column: fields[i].col, Msg: fmt.Sprintf("column %d (%s): redshift %g must be > 0", i+1, col, v)}
		case v > MaxZ:
			err = &ParseError{File: ps.name, Line: line, Column: fields[i].col, Msg: fmt.Sprintf("column %d (%s): %s", i+1, col, tooFar(v))}
		}
		return v, err
	}
	d := ps.d
	z, err := positive(ps.iz, ps.zName)
	if err != nil {
		return err
	}
	zh, err := positive(ps.izh, ps.zhName)
	if err != nil {
		return err
	}
	m, err := get(ps.im, d.MagColumn)
	if err != nil {
		return err
	}
	if ps.ie >= 0 {
		e, err := get(ps.ie, d.ErrColumn)
		if err != nil {
			return err
		}
		if e < 0 {
			return &ParseError{File: ps.name, Line: line, Column: fields[ps.ie].col, Msg: fmt.Sprintf("column %d (%s): error %g is negative", ps.ie+1, d.ErrColumn, e)}
		}
		ps.allZero = ps.allZero && e == 0
		d.MagErr = append(d.MagErr, e)
	}
	d.Z = append(d.Z, z)
	d.ZHel = append(d.ZHel, zh)
	d.Mag = append(d.Mag, m)
	d.Line = append(d.Line, line)
	return nil
}

func split(dst []field, s string, comma bool) []field {
	if comma {
		return splitComma(dst, s)
	}
	return splitFields(dst, s)
}

// pick returns the index and spelling of the first of names in cols, or -1.
func pick(cols map[string]int, fields []field, names []string) (int, string) {
	for _, n := range names {
		if i, ok := cols[n]; ok {
			return i, fields[i].text
		}
	}
	return -1, ""
}

// Keep restricts the columns of d to the rows (increasing indices into
// the current rows): a cut such as Pantheon+'s z > 0.01. Cov and Chol,
// which no longer match, are cleared: restrict the covariance with
// SubMatrix and set it with SetCov.
func (d *SN) Keep(rows []int) {
	sel := func(v []float64) []float64 {
		if v == nil {
			return nil
		}
		out := make([]float64, len(rows))
		for a, i := range rows {
			out[a] = v[i]
		}
		return out
	}
	d.Z, d.ZHel, d.Mag, d.MagErr = sel(d.Z), sel(d.ZHel), sel(d.Mag), sel(d.MagErr)
	if d.Line != nil {
		line := make([]int, len(rows))
		for a, i := range rows {
			line[a] = d.Line[i]
		}
		d.Line = line
	}
	d.Cov, d.Chol = nil, nil
}

// SubMatrix returns the rows and columns rows (increasing indices) of c.
func SubMatrix(c mat.Symmetric, rows []int) *mat.SymDense {
	out := mat.NewSymDense(len(rows), nil)
	for a, i := range rows {
		for b := a; b < len(rows); b++ {
			out.SetSym(a, b, c.At(i, rows[b]))
		}
	}
	return out
}

// SetDiagonal makes Cov = diag(MagErr²) and sets DiagOnly. The Cholesky
// factor of a diagonal matrix is written down rather than computed. It
// fails if there is no error column or an error is not > 0.
func (d *SN) SetDiagonal() error {
	if d.MagErr == nil {
		return fmt.Errorf("data: %s: no error column for a diagonal covariance (m_b_corr_err_DIAG, MUERR_FINAL, MUERR or dmb > 0)", d.Name)
	}
	if err := d.errorsPositive(); err != nil {
		return err
	}
	n := d.Len()
	d.Cov = mat.NewSymDense(n, nil)
	u := mat.NewTriDense(n, mat.Upper, nil)
	for i, e := range d.MagErr {
		d.Cov.SetSym(i, i, e*e)
		u.SetTri(i, i, math.Abs(e))
	}
	d.Chol = &mat.Cholesky{}
	d.Chol.SetFromU(u)
	d.DiagOnly = true
	d.CovSource = "diagonal (" + d.ErrColumn + "²)"
	return nil
}

// AddErrorVariances adds diag(MagErr²) to cov, an N×N matrix in d's row
// order: the statistical errors of a release whose covariance file holds
// only the systematic part (DES-SN5YR). It fails if there is no error
// column or an error is not > 0.
func (d *SN) AddErrorVariances(cov *mat.SymDense) error {
	if d.MagErr == nil {
		return fmt.Errorf("data: %s: no error column to add to the covariance", d.Name)
	}
	if n := cov.SymmetricDim(); n != d.Len() {
		return fmt.Errorf("data: %s: the covariance is %d×%d but the table has %d rows", d.Name, n, n, d.Len())
	}
	if err := d.errorsPositive(); err != nil {
		return err
	}
	for i, e := range d.MagErr {
		cov.SetSym(i, i, cov.At(i, i)+e*e)
	}
	return nil
}

// SetCov factorizes cov (N×N, in d's row order; name labels errors) and
// sets Cov, Chol and CovSource = source, clearing DiagOnly.
func (d *SN) SetCov(cov *mat.SymDense, name, source string) error {
	if n := cov.SymmetricDim(); n != d.Len() {
		return fmt.Errorf("data: %s: the covariance is %d×%d but the table has %d rows", name, n, n, d.Len())
	}
	chol, err := Factorize(name, cov)
	if err != nil {
		return err
	}
	d.Cov, d.Chol, d.CovSource, d.DiagOnly = cov, chol, source, false
	return nil
}

// errorsPositive checks that every MagErr is > 0 before it is used as an
// error bar.
func (d *SN) errorsPositive() error {
	for i, e := range d.MagErr {
		if !(e > 0) {
			return fmt.Errorf("data: %s: row %d: %s = %g must be > 0 to serve as an error bar", d.Name, i+1, d.ErrColumn, e)
		}
	}
	return nil
}
