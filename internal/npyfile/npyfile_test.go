package npyfile

import (
	"bytes"
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"codeberg.org/sbinet/npyio"

	"github.com/cosmoemu/cosmoemu/internal/numpytest"
)

func TestWriteHeader(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, []int{3}, []float64{1, 2, 3}); err != nil {
		t.Fatal(err)
	}
	hdr := b.Bytes()
	if hl := int(hdr[8]) | int(hdr[9])<<8; (10+hl)%64 != 0 || hdr[10+hl-1] != '\n' {
		t.Errorf("header length %d not aligned to 64 bytes", hl)
	}
	if !bytes.Contains(hdr, []byte("'shape': (3,)")) {
		t.Errorf("1-D shape not written as a tuple: %q", hdr[:64])
	}
	// npyio, an independent reader, agrees.
	var got []float64
	if err := npyio.Read(bytes.NewReader(b.Bytes()), &got); err != nil || !slices.Equal(got, []float64{1, 2, 3}) {
		t.Errorf("npyio reads back %v, %v", got, err)
	}
}

func TestRoundTrip(t *testing.T) {
	for _, shape := range [][]int{{0}, {5}, {2, 3}, {2, 0, 4}, {3, 2, 2}, {}} {
		n := 1
		for _, s := range shape {
			n *= s
		}
		data := make([]float64, n)
		for i := range data {
			data[i] = float64(i) - 0.5
		}
		if n > 1 {
			data[1] = math.Inf(-1)
		}
		var b bytes.Buffer
		if err := Write(&b, shape, data); err != nil {
			t.Fatal(err)
		}
		h, got, err := Read(bytes.NewReader(b.Bytes()), int64(b.Len()))
		if err != nil {
			t.Fatalf("shape %v: %v", shape, err)
		}
		if !slices.Equal(h.Shape, shape) || h.Fortran || h.Len != n || !slices.Equal(got, data) {
			t.Errorf("shape %v: read %+v, %v", shape, h, got)
		}
	}
}

// The files numpy writes, in every format version, in both byte orders and
// in Fortran order, read back as numpy holds them.
func TestReadNumpyFiles(t *testing.T) {
	dir := t.TempDir()
	numpytest.Run(t, `
import sys, numpy as np
from numpy.lib import format as f
a = np.arange(6, dtype=np.float64).reshape(2, 3) / 4
for v in [(1, 0), (2, 0), (3, 0)]:
    with open(sys.argv[1] + "/v%d.npy" % v[0], "wb") as fh:
        f.write_array(fh, a, version=v)
np.save(sys.argv[1] + "/big.npy", a.astype(">f8"))
np.save(sys.argv[1] + "/fortran.npy", np.asfortranarray(a))
np.save(sys.argv[1] + "/int.npy", np.arange(3))
`, dir)
	want := []float64{0, 0.25, 0.5, 0.75, 1, 1.25}
	for _, name := range []string{"v1", "v2", "v3", "big", "fortran"} {
		path := filepath.Join(dir, name+".npy")
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		h, got, err := Read(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if name == "fortran" {
			if !h.Fortran || !slices.Equal(got, []float64{0, 0.75, 0.25, 1, 0.5, 1.25}) {
				t.Errorf("fortran: %+v %v", h, got)
			}
			continue
		}
		if !slices.Equal(h.Shape, []int{2, 3}) || !slices.Equal(got, want) {
			t.Errorf("%s: shape %v, data %v", name, h.Shape, got)
		}
	}
	b, _ := os.ReadFile(filepath.Join(dir, "int.npy"))
	if _, _, err := Read(bytes.NewReader(b), int64(len(b))); err == nil || !strings.Contains(err.Error(), "want float64") {
		t.Errorf("an int64 array: %v", err)
	}
}

// header builds a version 1.0 .npy file with the given header text and
// data bytes.
func header(dict string, data int) []byte {
	b := []byte{0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 0, 0}
	binary.LittleEndian.PutUint16(b[8:], uint16(len(dict)))
	b = append(b, dict...)
	return append(b, make([]byte, data)...)
}

func TestReadErrors(t *testing.T) {
	good := "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }\n"
	v2 := []byte{0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0, 0xff, 0xff, 0xff, 0x7f}
	for _, tc := range []struct {
		name string
		file []byte
		want string
	}{
		{"empty", nil, "preamble"},
		{"magic", []byte("hello, not numpy"), "magic"},
		{"version", append([]byte{0x93, 'N', 'U', 'M', 'P', 'Y', 9, 0, 0, 0}, 0), "version 9.0"},
		{"huge header", v2, "does not fit"},
		{"short header", header(good, 48)[:30], "does not fit"},
		{"huge shape", header("{'descr': '<f8', 'fortran_order': False, 'shape': (10000000000000, 1000000), }", 48), "far larger than"},
		{"overflowing shape", header("{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999,), }", 48), "too large"},
		{"negative shape", header("{'descr': '<f8', 'fortran_order': False, 'shape': (-2, 3), }", 48), "non-negative"},
		{"short data", header(good, 40), "needs 48 bytes of data, the file has 40"},
		{"long data", header(good, 56), "needs 48 bytes of data, the file has 56"},
		{"dtype", header("{'descr': '<i8', 'fortran_order': False, 'shape': (2, 3), }", 48), "want float64"},
		{"order", header("{'descr': '<f8', 'fortran_order': maybe, 'shape': (2, 3), }", 48), "fortran_order"},
		{"missing key", header("{'descr': '<f8', 'shape': (2, 3), }", 48), `no "fortran_order"`},
		{"unknown key", header("{'descr': '<f8', 'fortran_order': False, 'shape': (6,), 'x': 1}", 48), `unknown key "x"`},
		{"duplicate key", header("{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': (6,)}", 48), "twice"},
		{"no brace", header("'descr': '<f8'", 48), "does not start with {"},
		{"unterminated", header("{'descr: <f8, 'fortran_order': False, 'shape': (6,)}", 48), "no : after"},
		{"open tuple", header("{'descr': '<f8', 'fortran_order': False, 'shape': (6, }", 48), "non-negative"},
		{"trailing", header("{'descr': '<f8', 'fortran_order': False, 'shape': (6,)} x", 48), "text after"},
		{"many dims", header("{'descr': '<f8', 'fortran_order': False, 'shape': ("+strings.Repeat("1,", 70)+")}", 8), "more than 64 dimensions"},
	} {
		_, _, err := Read(bytes.NewReader(tc.file), int64(len(tc.file)))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want an error containing %q", tc.name, err, tc.want)
		}
	}
	// A declared size larger than the stream (a lying archive member).
	f := header(good, 48)
	if _, _, err := Read(bytes.NewReader(f[:len(f)-8]), int64(len(f))); err == nil || !strings.Contains(err.Error(), "of 6 values") {
		t.Errorf("truncated stream: %v", err)
	}
}

// FuzzRead checks that no input panics or allocates beyond its size, and
// that what Read accepts is consistent: its data fill the file and write
// back to a file that reads the same.
func FuzzRead(f *testing.F) {
	var b bytes.Buffer
	Write(&b, []int{2, 3}, []float64{1, 2, 3, 4, 5, 6})
	f.Add(b.Bytes())
	f.Add(header("{'descr': '>f8', 'fortran_order': True, 'shape': (1,), }", 8))
	f.Add(header("{'descr': '<f8', 'fortran_order': False, 'shape': (), }", 8))
	f.Add([]byte{0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0, 20, 0, 0, 0})
	f.Fuzz(func(t *testing.T, file []byte) {
		h, data, err := Read(bytes.NewReader(file), int64(len(file)))
		if err != nil {
			return
		}
		if len(data) != h.Len || 8*len(data) > len(file) {
			t.Fatalf("%d values from %d bytes (header says %d)", len(data), len(file), h.Len)
		}
		var out bytes.Buffer
		if err := Write(&out, h.Shape, data); err != nil {
			t.Fatal(err)
		}
		h2, data2, err := Read(bytes.NewReader(out.Bytes()), int64(out.Len()))
		if err != nil || !slices.Equal(h2.Shape, h.Shape) || len(data2) != len(data) {
			t.Fatalf("rewritten file reads back %v, %v", h2.Shape, err)
		}
		for i := range data {
			if math.Float64bits(data[i]) != math.Float64bits(data2[i]) {
				t.Fatalf("value %d: %v became %v", i, data[i], data2[i])
			}
		}
	})
}
