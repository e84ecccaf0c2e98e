package emulator

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"strings"
	"sync"

	"github.com/cosmoemu/cosmoemu/cosmo"
	"github.com/cosmoemu/cosmoemu/internal/modelfile"
)

// An Emulator is a trained emulator in a model file: the emulator of a
// cosmological model's late universe (*Model), of the early universe
// (*Early), of a model's linear growth (*GrowthModel) or the paper's
// Friedmann emulator of Ω_i(N) and H (*Friedmann).
// All are stored in the same container (docs/model-format.md), told apart
// by their header's format.
type Emulator interface {
	// Kind returns the header's format: "cosmoemu-emulator" for a *Model,
	// "cosmoemu-early" for an *Early, "cosmoemu-growth" for a
	// *GrowthModel, "cosmoemu-friedmann" for a *Friedmann.
	Kind() string
	// MarshalBinary returns the model file's bytes.
	MarshalBinary() ([]byte, error)
	// WriteFile writes the model file atomically.
	WriteFile(path string) error
}

// writeFile writes the bytes of e's file to path atomically (modelfile.Write,
// which replaces only a regular file): a reader sees the old file or the
// complete new one, never a partial write.
func writeFile(e Emulator, path string) error {
	b, err := e.MarshalBinary()
	if err != nil {
		return err
	}
	if err := modelfile.Write(path, b); err != nil {
		return fmt.Errorf("emulator: %w", err)
	}
	return nil
}

// Kind returns "cosmoemu-emulator".
func (e *Model) Kind() string { return modelFormat }

// Kind returns "cosmoemu-friedmann".
func (m *Friedmann) Kind() string { return friedmannFormat }

// Load reads a model file of either kind: a missing, truncated, corrupted,
// foreign or newer-version file gives an error naming the file.
//
//	e, err := emulator.Load("friedmann.bin")
//	f, ok := e.(*emulator.Friedmann)
func Load(path string) (Emulator, error) {
	b, err := modelfile.Read(path)
	if err != nil {
		return nil, fmt.Errorf("emulator: %w", err)
	}
	return Decode(b, path)
}

// LoadModel returns the emulator of model m in the file at path, or the
// embedded one if path is "": Load and ForModel.
func LoadModel(path string, m *cosmo.Model) (*Model, error) {
	if path == "" {
		return DefaultModel(m)
	}
	return loadFor(path, m, ForModel)
}

// loadFor returns the emulator in the file at path as model m's by as
// (ForModel, ForGrowth), its error naming the file.
func loadFor[T any](path string, m *cosmo.Model, as func(Emulator, *cosmo.Model) (T, error)) (T, error) {
	var zero T
	e, err := Load(path)
	if err != nil {
		return zero, err
	}
	t, err := as(e, m)
	if err != nil {
		return zero, fmt.Errorf("%s: %w", path, err)
	}
	return t, nil
}

// LoadEarly returns the early-universe emulator in the file at path.
func LoadEarly(path string) (*Early, error) {
	return loadKind[*Early](path, "the early-universe emulator")
}

// LoadFriedmann returns the Friedmann emulator in the file at path.
func LoadFriedmann(path string) (*Friedmann, error) {
	return loadKind[*Friedmann](path, "the paper's Friedmann emulator")
}

// loadKind returns the emulator in the file at path as a T, or an error
// saying that the file is of another kind than what.
func loadKind[T Emulator](path, what string) (T, error) {
	var zero T
	e, err := Load(path)
	if err != nil {
		return zero, err
	}
	t, ok := e.(T)
	if !ok {
		return zero, fmt.Errorf("emulator: %s is a %s file, not %s", path, e.Kind(), what)
	}
	return t, nil
}

// Decode is Load from the bytes of a model file; name is used in errors.
func Decode(b []byte, name string) (Emulator, error) {
	f, err := openFile(b, name)
	if err != nil {
		return nil, err
	}
	var probe struct {
		Format string `json:"format"`
	}
	if err := json.Unmarshal(f.Header, &probe); err != nil {
		return nil, fmt.Errorf("emulator: %w", f.Errorf("bad header: %w", err))
	}
	switch probe.Format {
	case modelFormat:
		return asEmulator(decodeModel(f))
	case earlyFormat:
		return asEmulator(decodeEarly(f))
	case friedmannFormat:
		return asEmulator(decodeFriedmann(f))
	case growthFormat:
		return asEmulator(decodeGrowth(f))
	}
	return nil, fmt.Errorf("emulator: %w", f.Errorf("not an emulator file (format %q, want %q, %q, %q or %q)", probe.Format, modelFormat, earlyFormat, growthFormat, friedmannFormat))
}

// asEmulator returns e as an Emulator, or a nil one with err: a nil *Model
// (say) in the interface would not compare equal to nil.
func asEmulator[E Emulator](e E, err error) (Emulator, error) {
	if err != nil {
		return nil, err
	}
	return e, nil
}

// embedded holds the trained default emulators, one file per model and the
// Friedmann emulator (models/README.md says how each is made).
//
//go:embed models
var embedded embed.FS

var defaults sync.Map // file name → *defaultEntry

type defaultEntry struct {
	once sync.Once
	e    Emulator
	err  error
}

// Default returns the embedded emulator called name: a built-in model's
// name ("w0wacdm", …) or "friedmann". It is shared: emulators are
// immutable and safe for concurrent use.
func Default(name string) (Emulator, error) {
	v, _ := defaults.LoadOrStore(name, &defaultEntry{})
	d := v.(*defaultEntry)
	d.once.Do(func() {
		b, err := DefaultBytes(name)
		if err != nil {
			d.err = err
			return
		}
		d.e, d.err = Decode(b, "embedded "+name+".bin")
	})
	return d.e, d.err
}

// DefaultModel returns the embedded emulator of the model m: for a model
// with a closed form, the closed form (it needs no file).
func DefaultModel(m *cosmo.Model) (*Model, error) {
	if m.ClosedForm() {
		return closedModel(m), nil
	}
	e, err := Default(m.Name())
	if err != nil {
		return nil, err
	}
	return ForModel(e, m)
}

// ForModel returns e as the emulator of model m, or an error saying what
// e is instead: the Friedmann emulator, or another model's emulator.
func ForModel(e Emulator, m *cosmo.Model) (*Model, error) {
	me, ok := e.(*Model)
	switch {
	case !ok && m.ClosedForm():
		return nil, fmt.Errorf("emulator: a %s file is not an emulator of model %s, whose emulator is its closed form (it reads no file)", e.Kind(), m.Name())
	case !ok:
		return nil, fmt.Errorf("emulator: a %s file is not the emulator of model %s (train one for it)", e.Kind(), m.Name())
	case me.model != m:
		return nil, fmt.Errorf("emulator: this emulator was trained for model %s, not %s", me.model.Name(), m.Name())
	}
	return me, nil
}

// DefaultEarly returns the embedded early-universe emulator.
func DefaultEarly() (*Early, error) {
	e, err := Default(earlyModel)
	if err != nil {
		return nil, err
	}
	return e.(*Early), nil
}

// DefaultFriedmann returns the embedded Friedmann emulator of the paper.
func DefaultFriedmann() (*Friedmann, error) {
	e, err := Default(friedmannModel)
	if err != nil {
		return nil, err
	}
	return e.(*Friedmann), nil
}

// DefaultBytes returns a copy of the embedded file called name.
func DefaultBytes(name string) ([]byte, error) {
	b, err := fs.ReadFile(embedded, "models/"+name+".bin")
	if err != nil {
		var names []string
		ents, _ := fs.ReadDir(embedded, "models")
		for _, e := range ents {
			if n, ok := strings.CutSuffix(e.Name(), ".bin"); ok {
				names = append(names, n)
			}
		}
		return nil, fmt.Errorf("emulator: no embedded emulator %q (embedded: %s)", name, strings.Join(names, ", "))
	}
	return b, nil
}
