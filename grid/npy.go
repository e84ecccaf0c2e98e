package grid

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"codeberg.org/sbinet/npyio/npy"
	"codeberg.org/sbinet/npyio/npz"
	"gonum.org/v1/gonum/mat"

	"github.com/cosmoemu/cosmoemu/internal/atomicfile"
)

// Write writes the grid matrix g to path, atomically, in the format named by
// the extension: ".npy" for one (rows, 7) float64 matrix, ".npz" for one
// float64 array per column named as in Columns.
func Write(path string, g *mat.Dense) error {
	if _, c := g.Dims(); c != NumCols {
		panic(fmt.Sprintf("grid: matrix has %d columns, want %d", c, NumCols))
	}
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".npy":
		return atomicfile.Write(path, func(w io.Writer) error { return npy.Write(w, g) })
	case ".npz":
		return atomicfile.Write(path, func(w io.Writer) error {
			zw := npz.NewWriter(w)
			r, _ := g.Dims()
			col := make([]float64, r)
			for j, name := range Columns {
				mat.Col(col, j, g)
				if err := zw.Write(name, col); err != nil {
					return err
				}
			}
			return zw.Close()
		})
	default:
		return fmt.Errorf("grid: cannot write %s: unknown extension %q (want .npy or .npz)", path, ext)
	}
}

// Read reads a grid written by Write (or by numpy in the same layout) from a
// .npy or .npz file. It returns an error naming the file for a missing or
// malformed file, a wrong shape or type, or missing columns.
func Read(path string) (g *mat.Dense, err error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("grid: %w", err)
	}
	// The npy decoder was not written for hostile input: turn any panic on
	// a malformed file into an error.
	defer func() {
		if r := recover(); r != nil {
			g, err = nil, fmt.Errorf("grid: %s: malformed file: %v", path, r)
		}
	}()
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".npy":
		return readNPY(path, data)
	case ".npz":
		return readNPZ(path, data)
	default:
		return nil, fmt.Errorf("grid: cannot read %s: unknown extension %q (want .npy or .npz)", path, ext)
	}
}

func readNPY(path string, data []byte) (*mat.Dense, error) {
	r, err := npy.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("grid: %s: not a .npy file: %w", path, err)
	}
	if !isFloat64(r.Header.Descr.Type) {
		return nil, fmt.Errorf("grid: %s: dtype %s, want float64 (<f8)", path, r.Header.Descr.Type)
	}
	shape := r.Header.Descr.Shape
	if len(shape) != 2 || shape[1] != NumCols || shape[0] < 1 {
		return nil, fmt.Errorf("grid: %s: shape %v, want (rows, %d) with columns %s", path, shape, NumCols, strings.Join(Columns[:], ", "))
	}
	var vals []float64
	if err := r.Read(&vals); err != nil {
		return nil, fmt.Errorf("grid: %s: %w", path, err)
	}
	if len(vals) != shape[0]*NumCols {
		return nil, fmt.Errorf("grid: %s: %d values for shape %v", path, len(vals), shape)
	}
	if r.Header.Descr.Fortran {
		m := mat.NewDense(shape[1], shape[0], vals)
		return mat.DenseCopyOf(m.T()), nil
	}
	return mat.NewDense(shape[0], NumCols, vals), nil
}

func readNPZ(path string, data []byte) (*mat.Dense, error) {
	zr, err := npz.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("grid: %s: not an .npz archive: %w", path, err)
	}
	var g *mat.Dense
	for j, name := range Columns {
		key := name
		if zr.Header(key) == nil {
			key = name + ".npy" // numpy's savez names the members so
		}
		h := zr.Header(key)
		if h == nil {
			return nil, fmt.Errorf("grid: %s: column %q missing (want %s)", path, name, strings.Join(Columns[:], ", "))
		}
		if !isFloat64(h.Descr.Type) {
			return nil, fmt.Errorf("grid: %s: column %q has dtype %s, want float64 (<f8)", path, name, h.Descr.Type)
		}
		var col []float64
		if err := zr.Read(key, &col); err != nil {
			return nil, fmt.Errorf("grid: %s: column %q: %w", path, name, err)
		}
		if g == nil {
			if len(col) == 0 {
				return nil, fmt.Errorf("grid: %s: column %q is empty", path, name)
			}
			g = mat.NewDense(len(col), NumCols, nil)
		}
		if r, _ := g.Dims(); len(col) != r {
			return nil, fmt.Errorf("grid: %s: column %q has %d values, column %q has %d", path, name, len(col), Columns[0], r)
		}
		g.SetCol(j, col)
	}
	return g, nil
}

// isFloat64 reports whether a numpy dtype string, as npyio reports it (for
// example "'<f8'"), is little-endian float64.
func isFloat64(dtype string) bool {
	return strings.Trim(dtype, `'"`) == "<f8"
}
