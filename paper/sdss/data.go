package sdss

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/cosmoemu/cosmoemu/internal/atomicfile"
	"gonum.org/v1/gonum/mat"
)

// Classes are the spectroscopic classes, in the order of the network's
// outputs and of the confusion matrix (alphabetical, as pandas' get_dummies
// and scikit-learn's LabelEncoder order them).
var Classes = []string{"GALAXY", "QSO", "STAR"}

// ClassColumn is the name of the label column.
const ClassColumn = "class"

// PaperFeatures are the paper's 15 inputs: every column of the SDSS DR14
// table except objid (one constant value), rerun (always 301) and class.
var PaperFeatures = []string{
	"ra", "dec", "u", "g", "r", "i", "z", "run", "camcol", "field",
	"specobjid", "redshift", "plate", "mjd", "fiberid",
}

// IdentifierColumns are the columns that identify an observation rather than
// measure the object: the photometric run (run, rerun, camcol, field), the
// object id and the spectroscopic set-up (specobjid, plate, mjd, fiberid).
// Plates are drilled for one target programme, so plate, mjd and specobjid
// (which encodes plate and mjd) tell a star plate from a galaxy or quasar
// plate: they carry class information that says nothing about the object.
var IdentifierColumns = []string{
	"objid", "run", "rerun", "camcol", "field", "specobjid", "plate", "mjd", "fiberid",
}

// PhysicalFeatures are PaperFeatures without IdentifierColumns: position,
// the five ugriz magnitudes and the spectroscopic redshift.
var PhysicalFeatures = []string{"ra", "dec", "u", "g", "r", "i", "z", "redshift"}

// Table is a set of objects read from a CSV file: the requested feature
// columns and, if present, the class.
type Table struct {
	Name     string     // file name, for messages
	Features []string   // column names of X
	X        *mat.Dense // one row per object, one column per feature
	// Class holds the index in Classes of each row's label; nil if the file
	// has no class column.
	Class []int
	// Line is the 1-based line of each row in the file, for messages.
	Line []int
}

// Rows returns the number of objects.
func (t *Table) Rows() int { return len(t.Line) }

// ParseError reports a problem in a CSV file, naming the line and the
// column.
type ParseError struct {
	File   string
	Line   int    // 1-based; 1 is the header
	Column string // column name; "" if the problem is the whole line
	Msg    string
}

func (e *ParseError) Error() string {
	if e.Column == "" {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s:%d: column %s: %s", e.File, e.Line, e.Column, e.Msg)
}

// ReadFile reads the CSV file at path with Read.
func ReadFile(path string, features []string, needClass bool) (*Table, error) {
	f, err := atomicfile.OpenInput(path, atomicfile.MaxInput)
	if err != nil {
		return nil, fmt.Errorf("sdss: %w", err)
	}
	defer f.Close()
	return Read(f, path, features, needClass)
}

// Read reads a comma-separated table with a header line. It keeps the
// columns named in features, in that order, and the class column, which is
// required if needClass is set and read if present otherwise; other columns
// are ignored. Fields may be quoted and padded with spaces; class labels are
// matched to Classes ignoring case. name labels errors.
//
// Errors are *ParseError values naming the line and the column: a missing
// or duplicated column, a line with the wrong number of fields, a value that
// is not a finite number, an unknown class label, and a file without data
// lines.
func Read(r io.Reader, name string, features []string, needClass bool) (*Table, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // counted here, to name the line in our words
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, &ParseError{File: name, Line: 1, Msg: "empty file: want a header line naming the columns"}
	}
	if err != nil {
		return nil, csvError(name, err)
	}
	header = slices.Clone(header)
	index := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(h)
		if i == 0 {
			h = strings.TrimPrefix(h, "\ufeff") // a byte-order mark from spreadsheet exports
		}
		header[i] = h
		if _, dup := index[h]; dup {
			return nil, &ParseError{File: name, Line: 1, Column: h, Msg: "appears twice in the header"}
		}
		index[h] = i
	}
	cols := make([]int, len(features))
	for j, f := range features {
		i, ok := index[f]
		if !ok {
			return nil, &ParseError{File: name, Line: 1, Column: f, Msg: fmt.Sprintf("missing from the header (it has %s)", strings.Join(header, ","))}
		}
		cols[j] = i
	}
	classCol, hasClass := index[ClassColumn]
	if needClass && !hasClass {
		return nil, &ParseError{File: name, Line: 1, Column: ClassColumn, Msg: fmt.Sprintf("missing from the header (it has %s); the class labels are needed for training", strings.Join(header, ","))}
	}

	t := &Table{Name: name, Features: slices.Clone(features)}
	var data []float64
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvError(name, err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line with spaces
		}
		if len(rec) != len(header) {
			return nil, &ParseError{File: name, Line: line, Msg: fmt.Sprintf("%d fields, want %d as in the header", len(rec), len(header))}
		}
		for j, i := range cols {
			s := strings.TrimSpace(rec[i])
			v, err := strconv.ParseFloat(s, 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				msg := fmt.Sprintf("%q is not a number", s)
				if s == "" {
					msg = "empty value, want a number"
				} else if err == nil || errors.Is(err, strconv.ErrRange) {
					msg = fmt.Sprintf("%q is not a finite number", s)
				}
				return nil, &ParseError{File: name, Line: line, Column: features[j], Msg: msg}
			}
			data = append(data, v)
		}
		if hasClass {
			label := strings.TrimSpace(rec[classCol])
			k := slices.IndexFunc(Classes, func(c string) bool { return strings.EqualFold(c, label) })
			if k < 0 {
				return nil, &ParseError{File: name, Line: line, Column: ClassColumn, Msg: fmt.Sprintf("unknown class %q (want %s)", label, strings.Join(Classes, ", "))}
			}
			t.Class = append(t.Class, k)
		}
		t.Line = append(t.Line, line)
	}
	if len(t.Line) == 0 {
		return nil, &ParseError{File: name, Line: 2, Msg: "no data lines after the header"}
	}
	if len(features) > 0 {
		t.X = mat.NewDense(len(t.Line), len(features), data)
	}
	return t, nil
}

// csvError turns an encoding/csv error (bad quoting) into a ParseError.
func csvError(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &ParseError{File: name, Line: pe.Line, Msg: pe.Err.Error()}
	}
	return fmt.Errorf("sdss: %s: %w", name, err)
}

// Subset returns the rows idx of t, as a new table (with a nil X if idx is
// empty).
func (t *Table) Subset(idx []int) *Table {
	s := &Table{Name: t.Name, Features: t.Features, Line: make([]int, len(idx))}
	if len(idx) > 0 {
		s.X = mat.NewDense(len(idx), len(t.Features), nil)
	}
	if t.Class != nil {
		s.Class = make([]int, len(idx))
	}
	for r, i := range idx {
		s.X.SetRow(r, t.X.RawRowView(i))
		s.Line[r] = t.Line[i]
		if t.Class != nil {
			s.Class[r] = t.Class[i]
		}
	}
	return s
}

// Columns returns a table with the named feature columns of t, in that
// order; it fails if t lacks one.
func (t *Table) Columns(names []string) (*Table, error) {
	idx := make([]int, len(names))
	for j, n := range names {
		idx[j] = slices.Index(t.Features, n)
		if idx[j] < 0 {
			return nil, fmt.Errorf("sdss: %s: no feature column %q (have %s)", t.Name, n, strings.Join(t.Features, ","))
		}
	}
	s := &Table{Name: t.Name, Features: slices.Clone(names), Class: t.Class, Line: t.Line}
	if t.Rows() == 0 {
		return s, nil
	}
	s.X = mat.NewDense(t.Rows(), len(names), nil)
	for r := range t.Rows() {
		row := t.X.RawRowView(r)
		dst := s.X.RawRowView(r)
		for j, i := range idx {
			dst[j] = row[i]
		}
	}
	return s, nil
}
