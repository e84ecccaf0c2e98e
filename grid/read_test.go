package grid_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/cosmoemu/cosmoemu/grid"
)

// npyWithHeader returns a version 1.0 .npy file with the header dict and
// data bytes of zeros.
func npyWithHeader(dict string, data int) []byte {
	b := []byte{0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 0, 0}
	binary.LittleEndian.PutUint16(b[8:], uint16(len(dict)))
	b = append(b, dict...)
	return append(b, make([]byte, data)...)
}

// allocated returns the bytes allocated while f runs.
func allocated(f func()) uint64 {
	var a, b runtime.MemStats
	runtime.ReadMemStats(&a)
	f()
	runtime.ReadMemStats(&b)
	return b.TotalAlloc - a.TotalAlloc
}

// A header whose shape is far larger than the file is refused before any
// memory is allocated for the data.
func TestReadHugeShape(t *testing.T) {
	dir := t.TempDir()
	huge := filepath.Join(dir, "huge.npy")
	// 40 million rows (2.2 GB of data) in a 120-byte file.
	if err := os.WriteFile(huge, npyWithHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (40000000, 7), }\n", 56), 0o644); err != nil {
		t.Fatal(err)
	}
	var err error
	n := allocated(func() { _, err = grid.Read(huge) })
	if err == nil || !strings.Contains(err.Error(), "needs 2240000000 bytes of data, the file has 56") {
		t.Errorf("got %v", err)
	}
	if n > 1<<20 {
		t.Errorf("reading a 120-byte file allocated %d bytes", n)
	}

	// An .npz member that declares far more data than it compresses to.
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	hdr := npyWithHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (40000000,), }\n", 0)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "N", Method: zip.Store, CompressedSize64: uint64(len(hdr)), UncompressedSize64: uint64(len(hdr)) + 320000000})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(hdr)
	zw.Close()
	bomb := filepath.Join(dir, "bomb.npz")
	if err := os.WriteFile(bomb, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	n = allocated(func() { _, err = grid.Read(bomb) })
	if err == nil || !strings.Contains(err.Error(), `column "N": member declares`) {
		t.Errorf("got %v", err)
	}
	if n > 1<<20 {
		t.Errorf("reading a small .npz allocated %d bytes", n)
	}
}

// numpy may write a grid in Fortran (column-major) order.
func TestReadFortranOrder(t *testing.T) {
	g := mat.NewDense(2, grid.NumCols, nil)
	for i := range 2 {
		for j := range grid.NumCols {
			g.Set(i, j, float64(10*i+j))
		}
	}
	data := npyWithHeader("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 7), }\n", 0)
	for j := range grid.NumCols {
		for i := range 2 {
			data = binary.LittleEndian.AppendUint64(data, math.Float64bits(g.At(i, j)))
		}
	}
	path := filepath.Join(t.TempDir(), "f.npy")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := grid.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if !mat.Equal(got, g) {
		t.Errorf("read\n%v\nwant\n%v", mat.Formatted(got), mat.Formatted(g))
	}
}

func TestReadNotRegular(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "d.npy"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := grid.Read(filepath.Join(dir, "d.npy")); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("a directory: %v", err)
	}
}

// A grid whose H overflows float64 is an error, not a file of +Inf.
func TestBuildNonFinite(t *testing.T) {
	spec := grid.Spec{
		Om0: grid.Axis{Min: 0.3, Max: 0.3, Count: 1},
		H0:  grid.Axis{Min: 70, Max: 70, Count: 1},
		N:   grid.Axis{Min: -400, Max: 0, Count: 3},
	}
	_, err := grid.Build(context.Background(), spec, nil)
	if err == nil || !strings.Contains(err.Error(), "H = +Inf is not finite") {
		t.Errorf("N down to −400: %v", err)
	}
}
