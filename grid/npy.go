package grid

import (
	"archive/zip"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/cosmoemu/cosmoemu/internal/atomicfile"
	"github.com/cosmoemu/cosmoemu/internal/npyfile"
)

// Write writes the grid matrix g to path, atomically, in the format named by
// the extension: ".npy" for one (rows, 7) float64 matrix, ".npz" for one
// float64 array per column named as in Columns.
func Write(path string, g *mat.Dense) error {
	r, c := g.Dims()
	if c != NumCols {
		panic(fmt.Sprintf("grid: matrix has %d columns, want %d", c, NumCols))
	}
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".npy":
		return atomicfile.Write(path, func(w io.Writer) error {
			raw := g.RawMatrix()
			if raw.Stride != NumCols {
				raw = mat.DenseCopyOf(g).RawMatrix()
			}
			return npyfile.Write(w, []int{r, NumCols}, raw.Data[:r*NumCols])
		})
	case ".npz":
		return atomicfile.Write(path, func(w io.Writer) error {
			zw := zip.NewWriter(w)
			col := make([]float64, r)
			for j, name := range Columns {
				mat.Col(col, j, g)
				mw, err := zw.Create(name)
				if err != nil {
					return err
				}
				if err := npyfile.Write(mw, []int{r}, col); err != nil {
					return err
				}
			}
			return zw.Close()
		})
	default:
		return fmt.Errorf("grid: cannot write %s: unknown extension %q (want .npy or .npz)", path, ext)
	}
}

// maxFileRows bounds the rows of a grid file Read accepts; MaxRows bounds a
// grid built here.
const maxFileRows = MaxRows

// Read reads a grid written by Write (or by numpy in the same layout) from a
// .npy or .npz file. It returns an error naming the file for a missing or
// malformed file, a wrong shape or type, or missing columns. The shape in a
// header is checked against the size of the file (or of the archive member)
// before anything is allocated for the data.
func Read(path string) (*mat.Dense, error) {
	ext := strings.ToLower(filepath.Ext(path))
	if ext != ".npy" && ext != ".npz" {
		return nil, fmt.Errorf("grid: cannot read %s: unknown extension %q (want .npy or .npz)", path, ext)
	}
	// Opened without blocking on a FIFO; a device or a directory is
	// refused. The header's shape is checked against the size below.
	f, fi, err := atomicfile.OpenRegular(path, false)
	if err != nil {
		return nil, fmt.Errorf("grid: %w", err)
	}
	defer f.Close()
	g, err := decode(f, fi.Size(), ext == ".npz")
	if err != nil {
		return nil, fmt.Errorf("grid: %s: %w", path, err)
	}
	return g, nil
}

// file is what decode reads: an *os.File or a *bytes.Reader.
type file interface {
	io.Reader
	io.ReaderAt
	io.Seeker
}

// decode reads a grid from the size bytes of f, an .npz archive if npz is
// set, else a .npy file.
func decode(f file, size int64, npz bool) (*mat.Dense, error) {
	if npz {
		return decodeNPZ(f, size)
	}
	return decodeNPY(f, size)
}

func decodeNPY(f file, size int64) (*mat.Dense, error) {
	h, err := npyfile.ReadHeader(f, size)
	if err != nil {
		return nil, err
	}
	shape := h.Shape
	if len(shape) != 2 || shape[1] != NumCols || shape[0] < 1 || shape[0] > maxFileRows {
		return nil, fmt.Errorf("shape %v, want (rows, %d) with 1 ≤ rows ≤ %d and columns %s", shape, NumCols, maxFileRows, strings.Join(Columns[:], ", "))
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	_, vals, err := npyfile.Read(f, size)
	if err != nil {
		return nil, err
	}
	if h.Fortran {
		m := mat.NewDense(shape[1], shape[0], vals)
		return mat.DenseCopyOf(m.T()), nil
	}
	return mat.NewDense(shape[0], NumCols, vals), nil
}

func decodeNPZ(f file, size int64) (*mat.Dense, error) {
	zr, err := zip.NewReader(f, size)
	if err != nil {
		return nil, fmt.Errorf("not an .npz archive: %w", err)
	}
	members := make(map[string]*zip.File, len(zr.File))
	for _, m := range zr.File {
		members[m.Name] = m
	}
	var g *mat.Dense
	for j, name := range Columns {
		m := members[name]
		if m == nil {
			m = members[name+".npy"] // numpy's savez names the members so
		}
		if m == nil {
			return nil, fmt.Errorf("column %q missing (want %s)", name, strings.Join(Columns[:], ", "))
		}
		col, err := readMember(m, maxFileRows)
		if err != nil {
			return nil, fmt.Errorf("column %q: %w", name, err)
		}
		if g == nil {
			if len(col) == 0 {
				return nil, fmt.Errorf("column %q is empty", name)
			}
			g = mat.NewDense(len(col), NumCols, nil)
		}
		if r, _ := g.Dims(); len(col) != r {
			return nil, fmt.Errorf("column %q has %d values, column %q has %d", name, len(col), Columns[0], r)
		}
		g.SetCol(j, col)
	}
	return g, nil
}

// maxDeflateRatio bounds the ratio of sizes before and after deflate
// compression (1032:1 for long runs of one byte), so that an archive member
// cannot declare more data than its compressed bytes can hold.
const maxDeflateRatio = 1032

// readMember reads a one-dimensional float64 array of at most maxLen values
// from an archive member. The member's declared size, bounded by its
// compressed size, bounds the header's shape; the archive's checksum is
// verified.
func readMember(m *zip.File, maxLen int) ([]float64, error) {
	size := m.UncompressedSize64
	if size > uint64(8*maxLen+1<<16) {
		return nil, fmt.Errorf("member of %d bytes, more than a grid of %d rows", size, maxLen)
	}
	if (m.Method == zip.Store && size != m.CompressedSize64) || size > maxDeflateRatio*m.CompressedSize64+1<<10 {
		return nil, fmt.Errorf("member declares %d bytes from %d compressed bytes", size, m.CompressedSize64)
	}
	rc, err := m.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	h, data, err := npyfile.Read(rc, int64(size))
	if err != nil {
		return nil, err
	}
	if len(h.Shape) != 1 {
		return nil, fmt.Errorf("shape %v, want (rows,)", h.Shape)
	}
	return data, nil
}
