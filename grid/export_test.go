package grid_test

import (
	"io"

	"codeberg.org/sbinet/npyio/npy"
	"gonum.org/v1/gonum/mat"
)

func writeNPY(w io.Writer, m *mat.Dense) error { return npy.Write(w, m) }
