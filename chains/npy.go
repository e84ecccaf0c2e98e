package chains

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"path/filepath"

	"github.com/cosmoemu/cosmoemu/internal/atomicfile"
	"github.com/cosmoemu/cosmoemu/internal/npyfile"
)

// WriteNpy writes data as a little-endian float64 NumPy array (.npy format
// 1.0, C order) of the given shape, atomically, and returns the record of
// its data (FileSum: the bytes after the header).
func WriteNpy(path string, shape []int, data []float64) (FileSum, error) {
	sum := FileSum{Name: filepath.Base(path), Size: int64(8 * len(data)), CRC: crcFloats(data)}
	err := atomicfile.Write(path, func(w io.Writer) error { return npyfile.Write(w, shape, data) })
	return sum, err
}

// crcFloats returns the CRC-32C of data as little-endian float64 bytes,
// the data of a .npy file.
func crcFloats(data []float64) uint32 {
	var buf [8 * 1024]byte
	var c uint32
	for len(data) > 0 {
		m := min(len(data), 1024)
		for i, v := range data[:m] {
			binary.LittleEndian.PutUint64(buf[8*i:], math.Float64bits(v))
		}
		c = crc32.Update(c, castagnoli, buf[:8*m])
		data = data[m:]
	}
	return c
}

// ReadNpy reads the first sum.Size bytes of data of the float64 .npy file
// at path, which must be a regular file holding a C-order little-endian
// array whose shape equals shape except for the first axis, which may be
// longer (a file written after the checkpoint that describes it). It checks
// the CRC-32C of that prefix against sum and returns it as prod(shape)
// values. Only the header and the prefix are read.
func ReadNpy(path string, shape []int, sum FileSum) ([]float64, error) {
	n := 1
	for _, s := range shape {
		n *= s
	}
	if int64(8*n) != sum.Size {
		return nil, fmt.Errorf("%s: the checkpoint records %d bytes of data, the shape %v needs %d", path, sum.Size, shape, 8*n)
	}
	f, fi, err := atomicfile.OpenRegular(path, false)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<16)
	h, err := npyfile.ReadHeader(br, fi.Size())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	ok := len(h.Shape) == len(shape) && h.Shape[0] >= shape[0] && !h.Fortran && h.Order == binary.LittleEndian
	for i := 1; ok && i < len(shape); i++ {
		ok = h.Shape[i] == shape[i]
	}
	if !ok {
		return nil, fmt.Errorf("%s holds an array of shape %v, want little-endian float64 %v (or more rows) in C order", path, h.Shape, shape)
	}
	raw := make([]byte, 8*n)
	if _, err := io.ReadFull(br, raw); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if c := crc32.Checksum(raw, castagnoli); c != sum.CRC {
		return nil, fmt.Errorf("%s does not match its checkpoint (CRC-32C %08x of the first %d bytes of data, recorded %08x): the file was changed or damaged", path, c, len(raw), sum.CRC)
	}
	out := make([]float64, n)
	for i := range out {
		out[i] = math.Float64frombits(binary.LittleEndian.Uint64(raw[8*i:]))
	}
	return out, nil
}
