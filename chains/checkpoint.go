package chains

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"slices"
	"strings"
)

// CheckpointFormat names the layout of a checkpoint's envelope; the state
// inside has its own format, owned by the sampler.
const CheckpointFormat = "cosmoemu-checkpoint/1"

// maxCheckpoint bounds the size of a checkpoint read (1 GiB): it holds the
// state of a sampler (for nested sampling every dead point), never the
// chains themselves.
const maxCheckpoint = 1 << 30

// checksumPrefix starts the last line of a checkpoint: the SHA-256 of
// everything before that line.
const checksumPrefix = "\nsha256 "

// Header is the part of a checkpoint the storage layer reads: what run the
// root holds and the integrity of the files the state refers to.
type Header struct {
	// Kind is the sampler ("ensemble", "metropolis-hastings", "nested"):
	// a run of another kind refuses to resume it or, without Overwrite,
	// to replace it.
	Kind string `json:"kind"`
	// Status describes the run in words for error messages ("a finished
	// ensemble run of 30 steps").
	Status string `json:"status"`
	// Chains is the number of text chains ROOT_1.txt … ROOT_Chains.txt;
	// 0 means one weighted chain ROOT.txt.
	Chains int `json:"chains"`
	// Fingerprint identifies the problem (see FingerprintDiff).
	Fingerprint string `json:"fingerprint"`
	// Files are the files beside the checkpoint that a resume reads,
	// with the size and CRC-32C of the part the state describes.
	Files []FileSum `json:"files,omitempty"`
}

// FileSum is the integrity record of the first Size bytes of a file that
// grows (a text chain), or of the first Size bytes of the data of a .npy
// file (after its header, whose shape changes as the run grows): a file
// written after the checkpoint still matches in that prefix, and anything
// else changed in it (one flipped bit, a row of another run) does not.
// CRC-32C detects every error of up to 3 bits and every burst of up to 32
// bits, and costs nothing next to the writing.
type FileSum struct {
	Name string `json:"name"` // base name, e.g. run_3.txt
	Size int64  `json:"size"`
	CRC  uint32 `json:"crc32c"`
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

type envelope struct {
	Format string          `json:"format"`
	Header *Header         `json:"header"`
	State  json.RawMessage `json:"state"`
}

// EncodeCheckpoint returns the bytes of a checkpoint: the JSON object
// {"format", "header", "state"} with state encoded by encoding/json, then
// a last line "sha256 HEX" with the SHA-256 of everything before it.
func EncodeCheckpoint(h *Header, state any) ([]byte, error) {
	st, err := json.Marshal(state)
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(envelope{Format: CheckpointFormat, Header: h, State: st})
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(b)
	return append(b, checksumPrefix+hex.EncodeToString(sum[:])+"\n"...), nil
}

// DecodeCheckpoint verifies the checksum line of a checkpoint and returns
// its header and the undecoded state. A truncated, edited or corrupted file
// is an error; so is a header that is not consistent in itself.
func DecodeCheckpoint(b []byte) (*Header, json.RawMessage, error) {
	i := bytes.LastIndex(b, []byte(checksumPrefix))
	if i < 0 {
		return nil, nil, errors.New("not a complete checkpoint (no checksum line: truncated, or not a checkpoint)")
	}
	payload, tail := b[:i], b[i+len(checksumPrefix):]
	if len(tail) == 0 || tail[len(tail)-1] != '\n' {
		return nil, nil, errors.New("malformed checksum line (truncated?)")
	}
	want := string(tail[:len(tail)-1])
	if len(want) != 2*sha256.Size {
		return nil, nil, errors.New("malformed checksum line")
	}
	if sum := sha256.Sum256(payload); hex.EncodeToString(sum[:]) != want {
		return nil, nil, errors.New("checksum mismatch: the file is corrupted or was edited")
	}
	var env envelope
	if err := json.Unmarshal(payload, &env); err != nil {
		return nil, nil, fmt.Errorf("not a checkpoint: %w", err)
	}
	if env.Format != CheckpointFormat {
		return nil, nil, fmt.Errorf("checkpoint format %q, want %q (written by another version: start a new run)", env.Format, CheckpointFormat)
	}
	h := env.Header
	switch {
	case h == nil || h.Kind == "":
		return nil, nil, errors.New("corrupt checkpoint: no kind of run")
	case h.Chains < 0 || h.Chains > maxChains:
		return nil, nil, fmt.Errorf("corrupt checkpoint: %d text chains", h.Chains)
	case len(env.State) == 0:
		return nil, nil, errors.New("corrupt checkpoint: no state")
	}
	for k, f := range h.Files {
		if f.Name == "" || strings.ContainsAny(f.Name, `/\`) || f.Size < 0 || slices.IndexFunc(h.Files[:k], func(g FileSum) bool { return g.Name == f.Name }) >= 0 {
			return nil, nil, fmt.Errorf("corrupt checkpoint: file record %q of %d bytes", f.Name, f.Size)
		}
	}
	return h, env.State, nil
}

// maxChains bounds the text chains of a run (one per walker).
const maxChains = 1 << 20

// File returns the record of the file called name (a base name), or false.
func (h *Header) File(name string) (FileSum, bool) {
	for _, f := range h.Files {
		if f.Name == name {
			return f, true
		}
	}
	return FileSum{}, false
}

// FingerprintDiff describes how the fingerprint old of a checkpoint
// differs from the current one, or returns "" if they are equal. When both
// are lines KEY=VALUE (as fit writes them) it names every key that changed,
// with both values; otherwise it shows both whole.
func FingerprintDiff(old, cur string) string {
	if old == cur {
		return ""
	}
	a, okA := fingerprintFields(old)
	b, okB := fingerprintFields(cur)
	if !okA || !okB {
		return fmt.Sprintf("the inputs changed since the run started (fingerprint %q, now %q)", old, cur)
	}
	var keys []string
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			keys = append(keys, k)
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s was %q, now %q", k, a[k], b[k])
	}
	return "the inputs changed since the run started: " + strings.Join(parts, ", ")
}

func fingerprintFields(s string) (map[string]string, bool) {
	m := map[string]string{}
	if s == "" {
		return m, true
	}
	for line := range strings.SplitSeq(strings.TrimRight(s, "\n"), "\n") {
		k, v, ok := strings.Cut(line, "=")
		if !ok || k == "" {
			return nil, false
		}
		m[k] = v
	}
	return m, true
}
