package grid

import (
	"archive/zip"
	"bytes"
	"testing"

	"github.com/cosmoemu/cosmoemu/internal/npyfile"
)

// fuzzDecode checks that decode returns a grid or an error, never panics,
// and that a grid it returns has the shape the file's size allows.
func fuzzDecode(t *testing.T, data []byte, npz bool) {
	g, err := decode(bytes.NewReader(data), int64(len(data)), npz)
	if err != nil {
		return
	}
	r, c := g.Dims()
	if c != NumCols || r < 1 || (!npz && 8*r*c > len(data)) {
		t.Fatalf("a %d×%d grid from %d bytes", r, c, len(data))
	}
}

var fuzzRow = []float64{-1, 0.3, 70, 1e-4, 0.3, 0.7, 70}

// FuzzDecodeNPY feeds arbitrary bytes to the .npy grid reader; the seed is
// a one-row grid of 120 bytes.
func FuzzDecodeNPY(f *testing.F) {
	var npy bytes.Buffer
	npyfile.Write(&npy, []int{1, NumCols}, fuzzRow)
	f.Add(npy.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) { fuzzDecode(t, data, false) })
}

// FuzzDecodeNPZ feeds arbitrary bytes to the .npz grid reader. A full .npz
// of seven members is a kilobyte, which the fuzzer would spend its time
// minimising; the seed, an archive of one member, exercises the archive and
// member checks in 200 bytes.
func FuzzDecodeNPZ(f *testing.F) {
	var npz bytes.Buffer
	zw := zip.NewWriter(&npz)
	w, _ := zw.Create("N")
	npyfile.Write(w, []int{1}, fuzzRow[:1])
	zw.Close()
	f.Add(npz.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) { fuzzDecode(t, data, true) })
}
