package modelfile

import (
	"crypto/sha256"
	"errors"
	"strings"
	"testing"
)

type header struct {
	Format string  `json:"format"`
	Extra  *Tensor `json:"extra"`
}

func TestRoundTrip(t *testing.T) {
	var e Encoder
	h := header{Format: "test"}
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
	if back.Format != "test" {
		t.Errorf("header %+v", back)
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
// decodes, from a seed of less than 400 bytes: a file holding one vector
// (internal/netfile fuzzes a file holding a network). Random mutations rarely survive
// the checksum, so each input is also tried with its checksum recomputed.
func FuzzDecode(f *testing.F) {
	var e Encoder
	b, err := e.Encode(header{Format: "v", Extra: e.PutVector([]float64{1, 2})})
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
		}
		try(b)
		if len(b) >= PrefixLen+ChecksumLen {
			try(rechecksum(append([]byte(nil), b...)))
		}
	})
}
