package modelfile

import (
	"crypto/sha256"
	"errors"
	"strings"
	"testing"

	"github.com/cosmoemu/cosmoemu/nn"
)

type header struct {
	Format string             `json:"format"`
	Nets   map[string]Network `json:"nets"`
	Extra  *Tensor            `json:"extra"`
}

func TestRoundTrip(t *testing.T) {
	net, err := nn.New([]int{2, 3, 1}, []nn.Activation{nn.Tanh, nn.Linear})
	if err != nil {
		t.Fatal(err)
	}
	for i := range net.Layers {
		for j := range net.Layers[i].W {
			net.Layers[i].W[j] = float64(i+1) * 0.1 * float64(j-2)
		}
	}
	in := &nn.StandardScaler{Mean: []float64{1, 2}, Std: []float64{3, 0}}
	out := &nn.MinMaxScaler{Low: -1, High: 1, Min: []float64{5}, Max: []float64{7}}
	var e Encoder
	h := header{Format: "test", Nets: map[string]Network{"n": e.Network(net, in, out, []string{"a", "b"}, []string{"y"})}}
	h.Extra = e.PutVector([]float64{9, 8, 7})
	b, err := e.Encode(&h)
	if err != nil {
		t.Fatal(err)
	}
	f, err := Decode(b, "x.bin")
	if err != nil {
		t.Fatal(err)
	}
	var back header
	if err := f.DecodeHeader(&back); err != nil {
		t.Fatal(err)
	}
	got, gin, gout, err := f.Network(back.Nets["n"], "n", 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	x := []float64{0.3, -0.7}
	want := net.NewWorkspace().Forward(nil, x)[0]
	if v := got.NewWorkspace().Forward(nil, x)[0]; v != want {
		t.Errorf("decoded network gives %v, want %v", v, want)
	}
	if s := gin.(*nn.StandardScaler); s.Std[1] != 0 || s.Mean[0] != 1 {
		t.Errorf("input scaler %+v", s)
	}
	if s := gout.(*nn.MinMaxScaler); s.Low != -1 || s.Max[0] != 7 {
		t.Errorf("output scaler %+v", s)
	}
	if v, err := f.Tensor(back.Extra, "extra", 3); err != nil || v[2] != 7 {
		t.Errorf("extra %v, %v", v, err)
	}
	// Wrong shapes and references are errors, not panics.
	if _, err := f.Tensor(back.Extra, "extra", 4); err == nil {
		t.Error("no error for a wrong shape")
	}
	if _, err := f.Tensor(&Tensor{DType: "<f8", Offset: 8 << 20, Shape: []int{2}}, "far", 2); err == nil || !strings.Contains(err.Error(), "outside") {
		t.Errorf("out-of-range tensor: %v", err)
	}
	if _, _, _, err := f.Network(back.Nets["n"], "n", 3, 1); err == nil {
		t.Error("no error for a wrong number of inputs")
	}
	b[len(b)-40] ^= 1
	if _, err := Decode(b, "x.bin"); err == nil || !strings.Contains(err.Error(), "x.bin: checksum mismatch") {
		t.Errorf("corrupted: %v", err)
	}
	b[9] = 7 // version 7·256+1
	var fe *FormatError
	if _, err := Decode(b, "x.bin"); !errors.Is(err, ErrNewerVersion) && !errors.As(err, &fe) {
		t.Errorf("newer version: %v", err)
	}
}

// rechecksum recomputes the SHA-256 trailer of b after an edit.
func rechecksum(b []byte) []byte {
	sum := sha256.Sum256(b[:len(b)-ChecksumLen])
	copy(b[len(b)-ChecksumLen:], sum[:])
	return b
}

// FuzzDecode feeds Decode arbitrary bytes and the header readers whatever
// decodes, from two seeds of less than 400 bytes: a file holding one
// vector, and one holding a 1→1 network. Random mutations rarely survive
// the checksum, so each input is also tried with its checksum recomputed.
func FuzzDecode(f *testing.F) {
	var e Encoder
	b, err := e.Encode(header{Format: "v", Extra: e.PutVector([]float64{1, 2})})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	net, err := nn.New([]int{1, 1}, []nn.Activation{nn.Tanh})
	if err != nil {
		f.Fatal(err)
	}
	e = Encoder{}
	b, err = e.Encode(header{Nets: map[string]Network{"n": e.Network(net, &nn.MinMaxScaler{Min: []float64{0}, Max: []float64{1}}, nil, nil, nil)}})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Fuzz(func(t *testing.T, b []byte) {
		try := func(b []byte) {
			file, err := Decode(b, "fuzz.bin")
			if err != nil {
				if file != nil {
					t.Fatal("a file and an error")
				}
				return
			}
			var h header
			if file.DecodeHeader(&h) != nil {
				return
			}
			file.Tensor(h.Extra, "extra", -1)
			for name, nj := range h.Nets {
				file.Network(nj, name, 1, -1)
			}
		}
		try(b)
		if len(b) >= PrefixLen+ChecksumLen {
			try(rechecksum(append([]byte(nil), b...)))
		}
	})
}
