package data

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/cosmoemu/cosmoemu/internal/atomicfile"

	"gonum.org/v1/gonum/mat"
)

// CovSymmetryTol is the tolerance of the symmetry test of every covariance
// reader: entries must satisfy |C_ij − C_ji| ≤ CovSymmetryTol·sqrt(|C_ii·C_jj|),
// a tolerance relative to the scale of the pair's variances, so that
// rounding in a printed matrix passes and a transposition error does not.
// The stored matrix is the symmetrized (C + Cᵀ)/2.
const CovSymmetryTol = 1e-6

// ReadCov reads an n×n covariance matrix from a whitespace-separated text
// file, one row per line (the format of H(z) and BAO covariances), with the
// comment and blank-line rules of ParseHz. See ParseCov.
func ReadCov(path string, n int) (*mat.SymDense, error) {
	f, err := atomicfile.OpenInput(path, atomicfile.MaxInput)
	if err != nil {
		return nil, fmt.Errorf("data: %w", err)
	}
	defer f.Close()
	return ParseCov(f, path, n)
}

// ParseCov is ReadCov reading from r; name labels errors. It refuses rows
// of the wrong length, non-numbers, NaN/Inf, a number of rows other than
// n, a matrix that is not symmetric within CovSymmetryTol, a diagonal
// element ≤ 0 and a matrix that is not positive definite (its Cholesky
// factorization fails).
func ParseCov(r io.Reader, name string, n int) (*mat.SymDense, error) {
	cov, _, err := parseCov(r, name, n)
	return cov, err
}

// parseCov is ParseCov that also returns the Cholesky factorization.
func parseCov(r io.Reader, name string, n int) (*mat.SymDense, *mat.Cholesky, error) {
	if n <= 0 {
		return nil, nil, &ParseError{File: name, Msg: fmt.Sprintf("covariance size %d must be > 0", n)}
	}
	var rows [][]float64
	var rowLine []int
	err := scanFields(r, name, func(line int, fields []field) error {
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
		return nil, nil, err
	}
	if len(rows) != n {
		if len(rows) == 0 {
			return nil, nil, &ParseError{File: name, Msg: "no data lines"}
		}
		return nil, nil, &ParseError{File: name, Msg: fmt.Sprintf("%d rows, want %d: the covariance must be %d×%d to match the data", len(rows), n, n, n)}
	}
	cov := mat.NewSymDense(n, nil)
	for i := range n {
		if !(rows[i][i] > 0) {
			return nil, nil, &ParseError{File: name, Line: rowLine[i], Msg: fmt.Sprintf("diagonal element (%d,%d) = %g is not > 0", i+1, i+1, rows[i][i])}
		}
		for j := i; j < n; j++ {
			a, b := rows[i][j], rows[j][i]
			if math.Abs(a-b) > CovSymmetryTol*math.Sqrt(math.Abs(rows[i][i]*rows[j][j])) {
				return nil, nil, &ParseError{File: name, Line: rowLine[j], Msg: fmt.Sprintf("not symmetric: element (%d,%d) = %g but (%d,%d) = %g", j+1, i+1, b, i+1, j+1, a)}
			}
			cov.SetSym(i, j, (a+b)/2)
		}
	}
	chol, err := Factorize(name, cov)
	if err != nil {
		return nil, nil, err
	}
	return cov, chol, nil
}

// Factorize checks that cov is a usable covariance, every diagonal element
// > 0 and the matrix positive definite, and returns its Cholesky
// factorization C = UᵀU, which a Gaussian likelihood needs anyway
// (χ² = |U⁻ᵀ r|², log det C = 2 Σ log U_ii). name labels the error, a
// *ParseError without a line.
func Factorize(name string, cov *mat.SymDense) (*mat.Cholesky, error) {
	n := cov.SymmetricDim()
	for i := range n {
		if d := cov.At(i, i); !(d > 0) {
			return nil, &ParseError{File: name, Msg: fmt.Sprintf("diagonal element (%d,%d) = %g is not > 0", i+1, i+1, d)}
		}
	}
	var chol mat.Cholesky
	if !chol.Factorize(cov) {
		return nil, &ParseError{File: name, Msg: fmt.Sprintf("the %d×%d covariance is not positive definite (Cholesky factorization failed)", n, n)}
	}
	return &chol, nil
}

// ReadSNCov reads a covariance in the format of the supernova releases
// (Pantheon+, DES-SN5YR, Union3): see ParseSNCov.
func ReadSNCov(path string, n int) (*mat.SymDense, error) {
	f, err := atomicfile.OpenInput(path, atomicfile.MaxInput)
	if err != nil {
		return nil, fmt.Errorf("data: %w", err)
	}
	defer f.Close()
	return ParseSNCov(f, path, n)
}

// ParseSNCov parses a covariance in the format of the supernova releases:
// the size n, then the n² elements row by row, separated by any blanks and
// line ends (Pantheon+ has one value per line), optionally gzip-compressed
// (recognised by its magic bytes, not the file name). A UTF-8 byte-order
// mark at the start is skipped. name labels errors; n is the size the
// table needs.
//
// It refuses a size other than n, a count of values other than n², a field
// that is not a number, NaN/Inf and a matrix that is not symmetric within
// CovSymmetryTol, each with one *ParseError naming the file and, where it
// makes sense, the line. It returns the symmetrized matrix; it does not
// test the diagonal or positive definiteness, because a release may give
// only a part of the covariance (DES-SN5YR adds diag(σ²) to it): call
// Factorize on the final matrix.
//
// It reads n = 1829 (3.3 million values, 52 MB of text) in about 0.2 s
// (0.6 s gzip-compressed, bound by the decompression) with 7 allocations,
// the matrix being the only large one: see BenchmarkParseSNCov.
func ParseSNCov(r io.Reader, name string, n int) (*mat.SymDense, error) {
	if n <= 0 {
		return nil, &ParseError{File: name, Msg: fmt.Sprintf("covariance size %d must be > 0", n)}
	}
	br := bufio.NewReaderSize(r, 64*1024)
	var src io.Reader = br
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, &ParseError{File: name, Msg: fmt.Sprintf("gzip: %v", err)}
		}
		// Decompress in a second goroutine while this one parses: it
		// takes as long as the parsing (BenchmarkParseSNCov/gzip).
		pr, pw := io.Pipe()
		done := make(chan struct{})
		go func() {
			// A decompression bomb stops at the bound of a user's file.
			_, err := io.Copy(pw, atomicfile.LimitReader(zr, name+" (decompressed)", atomicfile.MaxInput))
			pw.CloseWithError(err) // nil: readers see io.EOF
			close(done)
		}()
		defer func() {
			pr.Close() // stops the copy if parsing ended early
			<-done
		}()
		src = pr
	}
	s := newNumScanner(src)
	tok, line, ok := s.next()
	if !ok {
		if s.err != nil {
			return nil, s.readError(name)
		}
		return nil, &ParseError{File: name, Msg: "empty file: want the size n, then n² values"}
	}
	size, err := strconv.Atoi(string(tok))
	if err != nil {
		return nil, &ParseError{File: name, Line: line, Msg: fmt.Sprintf("first value %q is not the matrix size (an integer)", truncate(tok))}
	}
	if size != n {
		return nil, &ParseError{File: name, Line: line, Msg: fmt.Sprintf("the covariance is %d×%d but the table has %d rows", size, size, n)}
	}
	nn := n * n
	if nn/n != n {
		return nil, &ParseError{File: name, Line: line, Msg: fmt.Sprintf("covariance size %d is too large", n)}
	}
	vals := make([]float64, nn)
	for k := 0; ; k++ {
		tok, line, ok := s.next()
		if !ok {
			if s.err != nil {
				return nil, s.readError(name)
			}
			if k != nn {
				return nil, &ParseError{File: name, Msg: fmt.Sprintf("%d values after the size, want %d² = %d", k, n, nn)}
			}
			break
		}
		if k == nn {
			return nil, &ParseError{File: name, Line: line, Msg: fmt.Sprintf("more than %d² = %d values after the size", n, nn)}
		}
		v, err := parseFloat(tok)
		if err != nil || !isFinite(v) {
			return nil, &ParseError{File: name, Line: line, Msg: fmt.Sprintf("element (%d,%d): %s", k/n+1, k%n+1, badNumber(tok))}
		}
		vals[k] = v
	}
	for i := range n {
		cii := vals[i*n+i]
		for j := i + 1; j < n; j++ {
			a, b := vals[i*n+j], vals[j*n+i]
			if math.Abs(a-b) > CovSymmetryTol*math.Sqrt(math.Abs(cii*vals[j*n+j])) {
				return nil, &ParseError{File: name, Msg: fmt.Sprintf("not symmetric: element (%d,%d) = %g but (%d,%d) = %g", j+1, i+1, b, i+1, j+1, a)}
			}
			m := (a + b) / 2
			vals[i*n+j], vals[j*n+i] = m, m
		}
	}
	return mat.NewSymDense(n, vals), nil
}

// truncate shortens a token quoted in an error message.
func truncate(tok []byte) string {
	const max = 40
	if len(tok) > max {
		return string(tok[:max]) + "…"
	}
	return string(tok)
}

// badNumber says why tok is not a finite number.
func badNumber(tok []byte) string {
	if len(tok) > 40 {
		return fmt.Sprintf("%q is not a number", truncate(tok))
	}
	if _, err := parseNumber(string(tok)); err != nil {
		return err.Error()
	}
	return fmt.Sprintf("%q is not a number", tok)
}

// maxToken bounds the length of one number in a covariance file.
const maxToken = 1024

// numScanner splits a stream into blank-separated tokens, counting lines,
// without allocating per token: a token is a slice of its buffer, or of a
// spill buffer when it straddles two reads.
type numScanner struct {
	r        io.Reader
	buf      []byte
	pos, end int
	line     int // line of buf[pos]
	spill    []byte
	started  bool // the byte-order-mark check is done
	err      error
	errLine  int
}

func newNumScanner(r io.Reader) *numScanner {
	return &numScanner{r: r, buf: make([]byte, 64*1024), line: 1}
}

// blank marks the bytes that separate tokens.
var blank = [256]bool{' ': true, '\t': true, '\n': true, '\r': true, '\v': true, '\f': true}

// fill reads the next chunk into buf; it reports false at the end of the
// input or on a read error (kept in s.err).
func (s *numScanner) fill() bool {
	if s.err != nil {
		return false
	}
	for {
		k, err := s.r.Read(s.buf)
		s.pos, s.end = 0, k
		if !s.started && k > 0 {
			s.started = true
			if k >= len(bom) && string(s.buf[:len(bom)]) == bom {
				s.pos = len(bom)
			}
		}
		if k > 0 {
			return true
		}
		if err == io.EOF {
			return false
		}
		if err != nil {
			s.err, s.errLine = err, s.line
			return false
		}
	}
}

// next returns the next token and its line; ok is false at the end of the
// input or on an error (then s.err is set).
func (s *numScanner) next() (tok []byte, line int, ok bool) {
	for {
		for s.pos < s.end {
			c := s.buf[s.pos]
			if !blank[c] {
				return s.token()
			}
			if c == '\n' {
				s.line++
			}
			s.pos++
		}
		if !s.fill() {
			return nil, 0, false
		}
	}
}

// token reads the token starting at buf[pos].
func (s *numScanner) token() ([]byte, int, bool) {
	start, line := s.pos, s.line
	for s.pos < s.end && !blank[s.buf[s.pos]] {
		s.pos++
	}
	if s.pos < s.end {
		return s.buf[start:s.pos], line, true
	}
	s.spill = append(s.spill[:0], s.buf[start:s.pos]...)
	for s.fill() {
		i := s.pos
		for i < s.end && !blank[s.buf[i]] {
			i++
		}
		s.spill = append(s.spill, s.buf[s.pos:i]...)
		s.pos = i
		if len(s.spill) > maxToken {
			s.err, s.errLine = fmt.Errorf("a field longer than %d bytes", maxToken), line
			return nil, 0, false
		}
		if i < s.end {
			break
		}
	}
	if s.err != nil {
		return nil, 0, false
	}
	return s.spill, line, true
}

// readError turns the scanner's error into a *ParseError.
func (s *numScanner) readError(name string) error {
	return &ParseError{File: name, Line: s.errLine, Msg: s.err.Error()}
}
