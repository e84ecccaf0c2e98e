package emulator

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cosmoemu/cosmoemu/cosmo"
	"github.com/cosmoemu/cosmoemu/internal/modelfile"
)

func defaultBytes(t testing.TB, model string) []byte {
	t.Helper()
	b, err := DefaultBytes(model)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Decoding and encoding again gives the same bytes, for every model.
func TestRoundTrip(t *testing.T) {
	for _, m := range cosmo.Models() {
		b := defaultBytes(t, m.Name())
		e, err := decodeModel(b, m.Name())
		if err != nil {
			t.Fatal(err)
		}
		if e.Model() != m {
			t.Errorf("%s: model %s", m.Name(), e.Model().Name())
		}
		again, err := e.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(again, b) {
			t.Errorf("%s: encoding the decoded emulator changes the bytes", m.Name())
		}
	}
}

// WriteFile and Load: atomic, refusing a path that is not a regular file.
func TestWriteLoad(t *testing.T) {
	e := defaultOf(t, cosmo.WCDM)
	dir := t.TempDir()
	path := filepath.Join(dir, "w.bin")
	if err := e.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	back, err := LoadModel(path, cosmo.WCDM)
	if err != nil {
		t.Fatal(err)
	}
	if back.Model() != cosmo.WCDM {
		t.Error("wrong model after Load")
	}
	if err := e.WriteFile(dir); err == nil {
		t.Error("WriteFile over a directory succeeded")
	}
	if _, err := Load(filepath.Join(dir, "missing.bin")); err == nil {
		t.Error("Load of a missing file succeeded")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("%d files in the directory, want 1 (no temporary file left)", len(entries))
	}
}

// rewrite returns b with its header changed by edit, re-encoded with a
// valid checksum (the data section is kept).
func rewrite(t *testing.T, b []byte, edit func(h map[string]any)) []byte {
	t.Helper()
	hlen := binary.LittleEndian.Uint64(b[16:24])
	var h map[string]any
	if err := json.Unmarshal(b[24:24+hlen], &h); err != nil {
		t.Fatal(err)
	}
	data := b[24+hlen : len(b)-32]
	edit(h)
	js, err := json.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	for (24+len(js))%8 != 0 {
		js = append(js, ' ')
	}
	var out bytes.Buffer
	out.Write(b[:16])
	binary.Write(&out, binary.LittleEndian, uint64(len(js)))
	out.Write(js)
	out.Write(data)
	sum := sha256.Sum256(out.Bytes())
	out.Write(sum[:])
	return out.Bytes()
}

// Corrupted, foreign, newer and inconsistent files give one clear error.
func TestDecodeErrors(t *testing.T) {
	b := defaultBytes(t, "lcdm")
	flip := append([]byte(nil), b...)
	flip[len(flip)-100] ^= 1
	newer := append([]byte(nil), b...)
	binary.LittleEndian.PutUint32(newer[8:12], modelfile.Version+1)
	cases := []struct {
		name string
		file []byte
		want string
	}{
		{"empty", nil, "not a cosmoemu model file"},
		{"text", []byte("hello, world"), "not a cosmoemu model file"},
		{"truncated", b[:len(b)/2], "checksum mismatch"},
		{"flipped bit", flip, "checksum mismatch"},
		{"newer container", newer, "newer"},
		{"friedmann file", rewrite(t, b, func(h map[string]any) { h["format"] = "cosmoemu-friedmann" }), "not an emulator file"},
		{"newer format", rewrite(t, b, func(h map[string]any) { h["format_version"] = 2 }), "newer"},
		{"format version 0", rewrite(t, b, func(h map[string]any) { h["format_version"] = 0 }), "invalid"},
		{"unknown model", rewrite(t, b, func(h map[string]any) { h["model"] = "cdm" }), "unknown model"},
		{"another model", rewrite(t, b, func(h map[string]any) { h["model"] = "wcdm" }), "want [Om w H0 ombh2]"},
		{"unknown field", rewrite(t, b, func(h map[string]any) { h["colour"] = "blue" }), "unknown field"},
		{"empty domain", rewrite(t, b, func(h map[string]any) {
			h["domain"].(map[string]any)["max"].([]any)[0] = 0.01
		}), "not an interval"},
		{"radiation", rewrite(t, b, func(h map[string]any) { h["omega_r_range"] = []any{1e-4, 2e-4} }), "radiation density"},
		{"inputs", rewrite(t, b, func(h map[string]any) {
			h["cmb"].(map[string]any)["inputs"] = []any{"Om", "u", "ln(1+z*)"}
		}), "network cmb has inputs"},
		{"skip shape", rewrite(t, b, func(h map[string]any) {
			h["cmb"].(map[string]any)["skip"].(map[string]any)["shape"] = []any{3, 2}
		}), "skip"},
		{"offset", rewrite(t, b, func(h map[string]any) {
			h["cmb"].(map[string]any)["skip"].(map[string]any)["offset"] = 1 << 40
		}), "outside"},
		{"activation", rewrite(t, b, func(h map[string]any) {
			h["cmb"].(map[string]any)["layers"].([]any)[0].(map[string]any)["activation"] = "relu"
		}), "want tanh"},
		{"region", rewrite(t, b, func(h map[string]any) { h["cmb_region"] = map[string]any{"min_E2": 0.5} }), "cmb_region"},
	}
	for _, c := range cases {
		_, err := decodeModel(c.file, "f.bin")
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %q does not say %q", c.name, err, c.want)
		}
		if strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error spans lines: %q", c.name, err)
		}
		if c.name == "newer format" || c.name == "newer container" {
			if !errors.Is(err, modelfile.ErrNewerVersion) {
				t.Errorf("%s: error does not wrap ErrNewerVersion", c.name)
			}
		}
	}
}

// A NaN weight is refused.
func TestDecodeNaN(t *testing.T) {
	b := append([]byte(nil), defaultBytes(t, "lcdm")...)
	hlen := binary.LittleEndian.Uint64(b[16:24])
	binary.LittleEndian.PutUint64(b[24+hlen:], math.Float64bits(math.NaN()))
	sum := sha256.Sum256(b[:len(b)-32])
	copy(b[len(b)-32:], sum[:])
	if _, err := decodeModel(b, "nan.bin"); err == nil || !strings.Contains(err.Error(), "NaN") {
		t.Errorf("error %v, want one naming the NaN", err)
	}
}

// FuzzDecode: no input makes Decode panic, and what it accepts encodes
// back to something it accepts. The seeds are small (the magic, the start
// of a file): with a whole file as seed the engine spends its time
// minimizing 14 kB inputs.
//
//	go test -run xxx -fuzz FuzzDecode -fuzztime 60s ./emu
func FuzzDecode(f *testing.F) {
	b, err := DefaultBytes("lcdm")
	if err != nil {
		f.Fatal(err)
	}
	f.Add([]byte("COSMOEMU"))
	f.Add(b[:64])
	f.Add(b[:300])
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := decodeModel(data, "fuzz")
		if err != nil {
			return
		}
		again, err := e.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := decodeModel(again, "again"); err != nil {
			t.Fatalf("re-encoded file refused: %v", err)
		}
	})
}
