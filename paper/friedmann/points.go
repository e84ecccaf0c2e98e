package friedmann

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// Points are parameter points (N, Ω_m0, H0) of the Friedmann emulator
// read from a file, with the line of each.
type Points struct {
	N, Om0, H0 []float64
	Lines      []int
}

// ReadPoints reads a CSV with the columns N, Om0 and H0 (in any order, named
// in a header line; other columns are ignored; # starts a comment). Errors
// name the file (name), line and column.
func ReadPoints(r io.Reader, name string) (*Points, error) {
	fail := func(format string, args ...any) (*Points, error) {
		return nil, fmt.Errorf(format, args...)
	}
	cr := csv.NewReader(r)
	cr.TrimLeadingSpace = true
	cr.Comment = '#'
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err == io.EOF {
		return fail("%s: empty file: want a header line N,Om0,H0", name)
	}
	if err != nil {
		return fail("%s", csvMessage(name, err))
	}
	idx, err := pointColumns(header, name)
	if err != nil {
		return nil, err
	}
	p := &Points{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fail("%s", csvMessage(name, err))
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(header) {
			return fail("%s:%d: %d fields, the header has %d", name, line, len(rec), len(header))
		}
		var v [3]float64
		for k, c := range []string{"N", "Om0", "H0"} {
			s := strings.TrimSpace(rec[idx[k]])
			x, err := strconv.ParseFloat(s, 64)
			if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
				return fail("%s:%d: column %s: %q is not a finite number", name, line, c, s)
			}
			v[k] = x
		}
		p.N, p.Om0, p.H0, p.Lines = append(p.N, v[0]), append(p.Om0, v[1]), append(p.H0, v[2]), append(p.Lines, line)
	}
	if len(p.N) == 0 {
		return fail("%s: no points after the header", name)
	}
	return p, nil
}

// pointColumns returns the positions of the columns N, Om0 and H0 in the
// header line.
func pointColumns(header []string, name string) ([3]int, error) {
	var idx [3]int
	fail := func(format string, args ...any) ([3]int, error) {
		return idx, fmt.Errorf(format, args...)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(h)
		if i == 0 {
			h = strings.TrimPrefix(h, "\ufeff") // a byte-order mark from spreadsheet exports
		}
		if _, dup := col[h]; dup {
			return fail("%s:1: column %q appears twice in the header", name, h)
		}
		col[h] = i
	}
	for k, want := range []string{"N", "Om0", "H0"} {
		i, ok := col[want]
		if !ok {
			return fail("%s:1: header %q has no column %s (want N,Om0,H0)", name, strings.Join(header, ","), want)
		}
		idx[k] = i
	}
	return idx, nil
}

// csvMessage turns an encoding/csv error into "file:line: problem".
func csvMessage(name string, err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Sprintf("%s:%d: %v", name, pe.Line, pe.Err)
	}
	return fmt.Sprintf("%s: %v", name, err)
}
