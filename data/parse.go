package data

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

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

// bom is the UTF-8 byte-order mark some editors put at the start of a file.
const bom = "\xef\xbb\xbf"

// field is one token of a line and its 1-based byte column.
type field struct {
	text string
	col  int
}

// maxLine bounds the length of one input line.
const maxLine = 1 << 20

// scanLines calls fn for every line of r (without its line end), numbered
// from 1. A UTF-8 byte-order mark at the start of the file is replaced by
// blanks, so byte columns stay exact. Read errors and lines longer than
// maxLine are *ParseError values naming name.
func scanLines(r io.Reader, name string, fn func(line int, text string) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), maxLine)
	line := 0
	for sc.Scan() {
		line++
		text := sc.Text()
		if line == 1 && strings.HasPrefix(text, bom) {
			text = "   " + text[len(bom):]
		}
		if err := fn(line, text); err != nil {
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

// scanFields calls fn for every line of r that has fields once a '#'
// comment (to the end of the line), CR and blanks are stripped.
func scanFields(r io.Reader, name string, fn func(line int, fields []field) error) error {
	var fields []field
	return scanLines(r, name, func(line int, text string) error {
		if i := strings.IndexByte(text, '#'); i >= 0 {
			text = text[:i]
		}
		fields = splitFields(fields[:0], text)
		if len(fields) == 0 {
			return nil
		}
		return fn(line, fields)
	})
}

func isBlank(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'
}

// splitFields appends the blank-separated tokens of s to dst.
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

// splitComma appends the comma-separated fields of s to dst, each trimmed
// of blanks; an empty field has the column of its comma's successor.
func splitComma(dst []field, s string) []field {
	start := 0
	for {
		end := strings.IndexByte(s[start:], ',')
		if end < 0 {
			end = len(s)
		} else {
			end += start
		}
		a, b := start, end
		for a < b && isBlank(s[a]) {
			a++
		}
		for b > a && isBlank(s[b-1]) {
			b--
		}
		dst = append(dst, field{text: s[a:b], col: a + 1})
		if end == len(s) {
			return dst
		}
		start = end + 1
	}
}

// parseNumber parses a finite float64.
func parseNumber(s string) (float64, error) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		var ne *strconv.NumError
		if errors.As(err, &ne) && errors.Is(ne.Err, strconv.ErrRange) {
			return 0, fmt.Errorf("%q is out of the float64 range", s)
		}
		if s == "" {
			return 0, errors.New("empty field")
		}
		return 0, fmt.Errorf("%q is not a number", s)
	}
	if !isFinite(v) {
		return 0, fmt.Errorf("%q is not finite", s)
	}
	return v, nil
}

func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// MaxZ bounds the redshifts of late-time data (H(z), BAO, fσ8,
// supernovae), which lie below z ≈ 10: a redshift above recombination's
// (z ≈ 1100) is a mistake in the file, refused when it is read rather
// than left to make every point of a fit impossible.
const MaxZ = 1100

// tooFar is the message for a redshift z > MaxZ.
func tooFar(z float64) string {
	return fmt.Sprintf("redshift %g is above %g (recombination): late-time data (H(z), BAO, fσ8, supernovae) lie below z ≈ 10", z, float64(MaxZ))
}
