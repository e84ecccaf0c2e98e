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

// Decoding and encoding again gives the same bytes, for every embedded
// file.
func TestRoundTrip(t *testing.T) {
	for _, name := range []string{"quintessence", earlyModel, friedmannModel} {
		b := defaultBytes(t, name)
		e, err := Decode(b, name)
		if err != nil {
			t.Fatal(err)
		}
		again, err := e.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(again, b) {
			t.Errorf("%s: encoding the decoded emulator changes the bytes", name)
		}
	}
	// The closed-form models have no file.
	if e, err := DefaultModel(cosmo.LCDM); err != nil || e.late != nil {
		t.Errorf("lcdm: %v", err)
	} else if _, err := e.MarshalBinary(); err == nil {
		t.Error("the closed form's emulator was written")
	}
}

// WriteFile and Load: atomic, refusing a path that is not a regular file;
// each kind refused by the consumers of another.
func TestWriteLoad(t *testing.T) {
	e := defaultOf(t, cosmo.Quintessence)
	dir := t.TempDir()
	path := filepath.Join(dir, "w.bin")
	if err := e.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	back, err := LoadModel(path, cosmo.Quintessence)
	if err != nil {
		t.Fatal(err)
	}
	if back.Model() != cosmo.Quintessence {
		t.Error("wrong model after Load")
	}
	if _, err := LoadModel(path, cosmo.WCDM); err == nil || !strings.Contains(err.Error(), "trained for model quintessence") {
		t.Errorf("LoadModel for another model: %v", err)
	}
	if _, err := LoadEarly(path); err == nil || !strings.Contains(err.Error(), "not the early-universe emulator") {
		t.Errorf("LoadEarly of a model's emulator: %v", err)
	}
	if _, err := LoadFriedmann(path); err == nil || !strings.Contains(err.Error(), "not the paper's Friedmann emulator") {
		t.Errorf("LoadFriedmann of a model's emulator: %v", err)
	}
	os.Remove(path)
	if err := e.WriteFile(dir); err == nil {
		t.Error("WriteFile over a directory succeeded")
	}
	if _, err := Load(filepath.Join(dir, "missing.bin")); err == nil {
		t.Error("Load of a missing file succeeded")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 0 {
		t.Errorf("%d files in the directory, want none (no temporary file left)", len(entries))
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
	b := defaultBytes(t, "quintessence")
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
		{"friedmann file", rewrite(t, b, func(h map[string]any) { h["format"] = "cosmoemu-friedmann" }), `format "cosmoemu-friedmann"`},
		{"newer format", rewrite(t, b, func(h map[string]any) { h["format_version"] = 3 }), "newer"},
		{"format version 1", rewrite(t, b, func(h map[string]any) { h["format_version"] = 1 }), "massless neutrinos"},
		{"format version 0", rewrite(t, b, func(h map[string]any) { h["format_version"] = 0 }), "invalid"},
		{"unknown model", rewrite(t, b, func(h map[string]any) { h["model"] = "cdm" }), "unknown model"},
		{"another model", rewrite(t, b, func(h map[string]any) { h["model"] = "wcdm" }), "has a closed form"},
		{"unknown field", rewrite(t, b, func(h map[string]any) { h["colour"] = "blue" }), "unknown field"},
		{"empty domain", rewrite(t, b, func(h map[string]any) {
			h["domain"].(map[string]any)["max"].([]any)[0] = 0.01
		}), "not an interval"},
		{"radiation", rewrite(t, b, func(h map[string]any) { h["omega_r_range"] = []any{1e-4, 2e-4} }), "radiation density"},
		{"inputs", rewrite(t, b, func(h map[string]any) {
			h["late"].(map[string]any)["net"].(map[string]any)["inputs"] = []any{"Om", "w", "mnu"}
		}), "network late has inputs"},
		{"skip shape", rewrite(t, b, func(h map[string]any) {
			h["late"].(map[string]any)["net"].(map[string]any)["skip"].(map[string]any)["shape"] = []any{3, 2}
		}), "skip"},
		{"offset", rewrite(t, b, func(h map[string]any) {
			h["late"].(map[string]any)["net"].(map[string]any)["skip"].(map[string]any)["offset"] = 1 << 40
		}), "outside"},
		{"activation", rewrite(t, b, func(h map[string]any) {
			h["late"].(map[string]any)["net"].(map[string]any)["layers"].([]any)[0].(map[string]any)["activation"] = "relu"
		}), "want tanh"},
		{"cmb network", rewrite(t, b, func(h map[string]any) { h["cmb"] = map[string]any{} }), "unknown field"},
	}
	for _, c := range cases {
		_, err := decodeModelBytes(c.file, "f.bin")
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
	b := append([]byte(nil), defaultBytes(t, "quintessence")...)
	hlen := binary.LittleEndian.Uint64(b[16:24])
	binary.LittleEndian.PutUint64(b[24+hlen:], math.Float64bits(math.NaN()))
	sum := sha256.Sum256(b[:len(b)-32])
	copy(b[len(b)-32:], sum[:])
	if _, err := decodeModelBytes(b, "nan.bin"); err == nil || !strings.Contains(err.Error(), "NaN") {
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
	b, err := DefaultBytes("early")
	if err != nil {
		f.Fatal(err)
	}
	f.Add([]byte("COSMOEMU"))
	f.Add(b[:64])
	f.Add(b[:300])
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := Decode(data, "fuzz")
		if err != nil {
			return
		}
		again, err := e.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Decode(again, "again"); err != nil {
			t.Fatalf("re-encoded file refused: %v", err)
		}
	})
}

// decodeModelBytes is decodeModel of the bytes of a file, whatever its
// format says (Decode would dispatch on it).
func decodeModelBytes(b []byte, name string) (*Model, error) {
	f, err := openFile(b, name)
	if err != nil {
		return nil, err
	}
	return decodeModel(f)
}
