package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"

	"github.com/cosmoemu/cosmoemu/emulator"
	"github.com/cosmoemu/cosmoemu/internal/atomicfile"
	"github.com/cosmoemu/cosmoemu/paper/friedmann"
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
		return badInput("predict", "model", err)
	}
	if *fallback {
		m = m.WithFallback(nil)
	}
	var r io.Reader = atomicfile.LimitReader(e.stdin, "standard input", atomicfile.MaxInput)
	name := "standard input"
	if *in != "-" {
		f, err := atomicfile.OpenInput(*in, atomicfile.MaxInput)
		if err != nil {
			return badInput("predict", "in", err)
		}
		defer f.Close()
		r, name = f, *in
	}
	points, err := friedmann.ReadPoints(r, name)
	if err != nil {
		return badInput("predict", "in", err)
	}
	ns, oms, h0s := points.N, points.Om0, points.H0
	pts := make([]emulator.Point, len(ns))
	if err := m.PredictPoints(pts, ns, oms, h0s); err != nil {
		var pe *emulator.FriedmannPointError
		if errors.As(err, &pe) {
			return usagef("predict: %s:%d: %v", name, points.Lines[pe.Index], pe.Err)
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
