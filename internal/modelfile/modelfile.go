// Package modelfile is the container of cosmoemu's trained models: a
// versioned, checksummed binary file with a JSON header and little-endian
// float64 arrays, readable from any language (docs/model-format.md).
// Packages that save models (the Friedmann emulator, the SDSS classifier)
// define their own header, which refers to arrays with Tensor and embeds the
// Network and Scaler records defined here. The container knows nothing of
// package nn: internal/netfile converts its networks and scalers to and
// from these records.
//
//	[0, 8)          magic "COSMOEMU"
//	[8, 12)         format version, uint32 little-endian (Version)
//	[12, 16)        reserved, zero
//	[16, 24)        length H of the header, uint64 little-endian
//	[24, 24+H)      header: a UTF-8 JSON object, space-padded so that the
//	                data starts 8-byte aligned
//	[24+H, L−32)    data: little-endian float64 arrays that the header
//	                refers to by byte offset (from the start of the data)
//	                and shape, row-major
//	[L−32, L)       SHA-256 of bytes [0, L−32)
package modelfile

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/cosmoemu/cosmoemu/internal/atomicfile"
)

const (
	// Magic starts every model file.
	Magic = "COSMOEMU"
	// Version is the format version this package writes and the newest it
	// reads.
	Version = 1

	prefixLen = 24
	// ChecksumLen is the length of the SHA-256 trailer.
	ChecksumLen = sha256.Size
	// PrefixLen is the length of the fixed prefix before the header.
	PrefixLen = prefixLen
	// maxHeader bounds the JSON header, so that a corrupted length cannot
	// make a reader allocate without limit.
	maxHeader = 1 << 24
)

// Tensor locates a float64 array in the data section.
type Tensor struct {
	DType  string `json:"dtype"` // always "<f8"
	Offset int64  `json:"offset"`
	Shape  []int  `json:"shape"`
}

// Layer is a dense layer: output_j = act(Σ_i input_i W[i, j] + bias_j).
type Layer struct {
	In         int    `json:"in"`
	Out        int    `json:"out"`
	Activation string `json:"activation"`
	Weight     Tensor `json:"weight"` // shape [in, out]
	Bias       Tensor `json:"bias"`   // shape [out]
}

// Scaler is an affine map per column between physical values x and network
// values t: kind "minmax" (t = low + (x − min)(high − low)/(max − min), a
// constant column using (high − low) as the factor), "standard"
// (t = (x − mean)/std, a zero std counting as 1) or "identity".
type Scaler struct {
	Kind string  `json:"kind"`
	Low  float64 `json:"low,omitempty"`
	High float64 `json:"high,omitempty"`
	Min  *Tensor `json:"min,omitempty"`
	Max  *Tensor `json:"max,omitempty"`
	Mean *Tensor `json:"mean,omitempty"`
	Std  *Tensor `json:"std,omitempty"`
}

// Network is a multilayer perceptron with its input and output scaling.
type Network struct {
	Inputs       []string `json:"inputs"`
	Outputs      []string `json:"outputs"`
	Layers       []Layer  `json:"layers"`
	InputScaler  Scaler   `json:"input_scaler"`
	OutputScaler Scaler   `json:"output_scaler"`
}

// Encoder collects the float64 arrays of the data section while a header is
// built.
type Encoder struct {
	data []float64
}

// Put appends v to the data and returns its reference.
func (e *Encoder) Put(v []float64, shape ...int) Tensor {
	ref := Tensor{DType: "<f8", Offset: int64(8 * len(e.data)), Shape: shape}
	e.data = append(e.data, v...)
	return ref
}

// PutVector appends the vector v and returns a pointer to its reference.
func (e *Encoder) PutVector(v []float64) *Tensor {
	r := e.Put(v, len(v))
	return &r
}

// Encode returns the file bytes for header (marshalled as JSON) and the data
// collected by e.
func (e *Encoder) Encode(header any) ([]byte, error) {
	js, err := json.MarshalIndent(header, "", " ")
	if err != nil {
		return nil, fmt.Errorf("modelfile: encoding the header: %w", err)
	}
	for (prefixLen+len(js))%8 != 0 {
		js = append(js, ' ')
	}
	var b bytes.Buffer
	b.WriteString(Magic)
	binary.Write(&b, binary.LittleEndian, uint32(Version))
	binary.Write(&b, binary.LittleEndian, uint32(0))
	binary.Write(&b, binary.LittleEndian, uint64(len(js)))
	b.Write(js)
	buf := make([]byte, 8)
	for _, v := range e.data {
		binary.LittleEndian.PutUint64(buf, math.Float64bits(v))
		b.Write(buf)
	}
	sum := sha256.Sum256(b.Bytes())
	b.Write(sum[:])
	return b.Bytes(), nil
}

// FormatError reports a model file that cannot be read.
type FormatError struct {
	File   string // the file name, or "" for bytes
	Reason string
	err    error // the reason as an error, wrapping the errors it quotes
}

func (e *FormatError) Error() string {
	return fmt.Sprintf("%s: %s", nameOr(e.File), e.Reason)
}

// Unwrap returns the errors the reason wraps (%w in Errorf), so that
// callers can test for them.
func (e *FormatError) Unwrap() error { return e.err }

// formatError is the FormatError of file whose reason is
// fmt.Errorf(format, args...), wrapping its %w arguments.
func formatError(file, format string, args ...any) error {
	err := fmt.Errorf(format, args...)
	return &FormatError{File: file, Reason: err.Error(), err: err}
}

// ErrNewerVersion is wrapped by the error for a file of a newer format.
var ErrNewerVersion = errors.New("model file format is newer than this cosmoemu")

// File is a checked model file: its header, still as JSON, and its data.
type File struct {
	Name   string          // for errors
	Header json.RawMessage // decode it into the model's own header type
	data   []float64
}

// Decode checks the magic, version and checksum of b and splits it. file
// names the file in errors.
func Decode(b []byte, file string) (*File, error) {
	bad := func(format string, args ...any) error { return formatError(file, format, args...) }
	if len(b) < len(Magic) || string(b[:len(Magic)]) != Magic {
		return nil, bad("not a cosmoemu model file (no %q magic bytes)", Magic)
	}
	if len(b) < prefixLen+ChecksumLen {
		return nil, bad("truncated: %d bytes", len(b))
	}
	version := binary.LittleEndian.Uint32(b[8:12])
	if version > Version {
		return nil, fmt.Errorf("%s: format version %d: %w (reads up to %d); upgrade cosmoemu", nameOr(file), version, ErrNewerVersion, Version)
	}
	if version == 0 {
		return nil, bad("format version 0 is invalid")
	}
	hlen := binary.LittleEndian.Uint64(b[16:24])
	if hlen > maxHeader || hlen > uint64(len(b)-prefixLen-ChecksumLen) {
		return nil, bad("truncated or corrupted: header length %d does not fit in %d bytes", hlen, len(b))
	}
	body := b[:len(b)-ChecksumLen]
	sum := sha256.Sum256(body)
	if !bytes.Equal(sum[:], b[len(b)-ChecksumLen:]) {
		return nil, bad("checksum mismatch: the file is corrupted or truncated")
	}
	header := b[prefixLen : prefixLen+int(hlen)]
	if !json.Valid(header) {
		return nil, bad("bad header: not valid JSON")
	}
	raw := body[prefixLen+int(hlen):]
	if len(raw)%8 != 0 {
		return nil, bad("data section of %d bytes is not a whole number of float64", len(raw))
	}
	data := make([]float64, len(raw)/8)
	for i := range data {
		data[i] = math.Float64frombits(binary.LittleEndian.Uint64(raw[8*i:]))
	}
	return &File{Name: file, Header: append(json.RawMessage(nil), header...), data: data}, nil
}

// DecodeHeader unmarshals the header into dst, refusing unknown fields'
// type errors with a FormatError.
func (f *File) DecodeHeader(dst any) error {
	if err := json.Unmarshal(f.Header, dst); err != nil {
		return f.Errorf("bad header: %w", err)
	}
	return nil
}

// Errorf returns a FormatError for the file, as fmt.Errorf formats and
// wraps (%w).
func (f *File) Errorf(format string, args ...any) error {
	return formatError(f.Name, format, args...)
}

func nameOr(file string) string {
	if file == "" {
		return "model"
	}
	return file
}

// Tensor returns the array ref points to, checking that it has the given
// shape (−1 matches any size), lies inside the data and is finite.
func (f *File) Tensor(ref *Tensor, what string, shape ...int) ([]float64, error) {
	if ref == nil {
		return nil, fmt.Errorf("%s: missing", what)
	}
	if ref.DType != "<f8" {
		return nil, fmt.Errorf("%s: dtype %q, want \"<f8\"", what, ref.DType)
	}
	if len(ref.Shape) != len(shape) {
		return nil, fmt.Errorf("%s: shape %v, want %d dimensions", what, ref.Shape, len(shape))
	}
	n := 1
	for i, s := range ref.Shape {
		if s < 0 || (shape[i] >= 0 && s != shape[i]) {
			return nil, fmt.Errorf("%s: shape %v, want %v", what, ref.Shape, shape)
		}
		if s > 0 && n > math.MaxInt32/s {
			return nil, fmt.Errorf("%s: shape %v is too large", what, ref.Shape)
		}
		n *= s
	}
	if ref.Offset < 0 || ref.Offset%8 != 0 || ref.Offset/8 > int64(len(f.data)) || int64(n) > int64(len(f.data))-ref.Offset/8 {
		return nil, fmt.Errorf("%s: offset %d and shape %v lie outside the %d-byte data section", what, ref.Offset, ref.Shape, 8*len(f.data))
	}
	v := f.data[ref.Offset/8 : ref.Offset/8+int64(n)]
	for i, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, fmt.Errorf("%s: element %d is %v", what, i, x)
		}
	}
	return append([]float64(nil), v...), nil
}

// Read reads a whole model file, naming it in errors.
func Read(path string) ([]byte, error) {
	b, err := atomicfile.ReadRegular(path, atomicfile.MaxInput)
	if err != nil {
		return nil, err
	}
	return b, nil
}

// Write writes model bytes to path atomically.
func Write(path string, b []byte) error {
	return atomicfile.Write(path, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
}
