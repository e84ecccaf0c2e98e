package main

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/cosmoemu/cosmoemu/emulator"
	"github.com/cosmoemu/cosmoemu/internal/atomicfile"
)

func init() {
	register(command{
		name:    "predict",
		summary: "evaluate an emulator at the points (N, Om0, H0) of a CSV file",
		run:     runPredict,
	})
}

// loadModel returns the embedded default model for "default" and the model
// file at path otherwise.
func loadModel(spec string) (*emulator.Friedmann, error) {
	if spec == "" || spec == "default" {
		return emulator.DefaultFriedmann()
	}
	return emulator.LoadFriedmann(spec)
}

func runPredict(e *env, args []string) error {
	fs := newFlagSet(e, "predict", "[-model default|FILE] -in points.csv [-out pred.csv] [-fallback]")
	model := fs.String("model", "default", "emulator: `default` (embedded) or a model file")
	in := fs.String("in", "", "input CSV `file` with header N,Om0,H0 (- for standard input)")
	out := fs.String("out", "", "output CSV `file` (default: standard output)")
	fallback := fs.Bool("fallback", false, "answer points outside the training domain with the RK45 solver instead of failing")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *in == "" {
		return usagef("predict: -in is required (a CSV file with header N,Om0,H0)")
	}
	inPath, modelFile := *in, *model
	if inPath == "-" {
		inPath = ""
	}
	if modelFile == "default" {
		modelFile = ""
	}
	if err := checkFiles(inFile("in", inPath), inFile("model", modelFile), outFile("out", *out)); err != nil {
		return err
	}
	warnShadowed(e, "model", *model, "default")
	m, err := loadModel(*model)
	if err != nil {
		return err
	}
	if *fallback {
		m = m.WithFallback(nil)
	}
	var r io.Reader = e.stdin
	name := "standard input"
	if *in != "-" {
		f, err := os.Open(*in)
		if err != nil {
			return err
		}
		defer f.Close()
		r, name = f, *in
	}
	ns, oms, h0s, lines, err := readPoints(r, name)
	if err != nil {
		return err
	}
	pts := make([]emulator.Point, len(ns))
	if err := m.PredictPoints(pts, ns, oms, h0s); err != nil {
		var pe *emulator.FriedmannPointError
		if errors.As(err, &pe) {
			return fmt.Errorf("%s:%d: %w", name, lines[pe.Index], pe.Err)
		}
		return err
	}
	write := func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		fmt.Fprintln(bw, "N,Om0,H0,Omega_r,Omega_m,Omega_L,H")
		for i, p := range pts {
			fmt.Fprintf(bw, "%s,%s,%s,%s,%s,%s,%s\n", ff(ns[i]), ff(oms[i]), ff(h0s[i]), ff(p.OmegaR), ff(p.OmegaM), ff(p.OmegaL), ff(p.H))
		}
		return bw.Flush()
	}
	if *out == "" {
		return write(e.stdout)
	}
	return atomicfile.Write(*out, write)
}

// readPoints reads a CSV with the columns N, Om0 and H0 (in any order, named
// in a header line; other columns are ignored). Errors name the file, line
// and column.
func readPoints(r io.Reader, name string) (ns, oms, h0s []float64, lines []int, err error) {
	fail := func(format string, args ...any) ([]float64, []float64, []float64, []int, error) {
		return nil, nil, nil, nil, fmt.Errorf(format, args...)
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
	idx := [3]int{}
	for k, want := range []string{"N", "Om0", "H0"} {
		i, ok := col[want]
		if !ok {
			return fail("%s:1: header %q has no column %s (want N,Om0,H0)", name, strings.Join(header, ","), want)
		}
		idx[k] = i
	}
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
		ns, oms, h0s, lines = append(ns, v[0]), append(oms, v[1]), append(h0s, v[2]), append(lines, line)
	}
	if len(ns) == 0 {
		return fail("%s: no points after the header", name)
	}
	return ns, oms, h0s, lines, nil
}

// csvMessage turns an encoding/csv error into "file:line: problem".
func csvMessage(name string, err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Sprintf("%s:%d: %v", name, pe.Line, pe.Err)
	}
	return fmt.Sprintf("%s: %v", name, err)
}
