package emu

import (
	"embed"
	"fmt"
	"io/fs"
	"sync"
)

// models holds the trained default emulators, one file per model
// (emu/models/README.md says how each is made).
//
//go:embed models
var models embed.FS

var defaults sync.Map // model name → *defaultEntry

type defaultEntry struct {
	once sync.Once
	e    *Emulator
	err  error
}

// Default returns the trained emulator of a model embedded in the package.
// It is shared: an Emulator is immutable and safe for concurrent use.
func Default(model string) (*Emulator, error) {
	v, _ := defaults.LoadOrStore(model, &defaultEntry{})
	d := v.(*defaultEntry)
	d.once.Do(func() {
		b, err := DefaultBytes(model)
		if err != nil {
			d.err = err
			return
		}
		d.e, d.err = Decode(b, "embedded "+model+".bin")
	})
	return d.e, d.err
}

// DefaultBytes returns a copy of the embedded file of a model.
func DefaultBytes(model string) ([]byte, error) {
	b, err := fs.ReadFile(models, "models/"+model+".bin")
	if err != nil {
		return nil, fmt.Errorf("emu: no embedded emulator for model %q", model)
	}
	return b, nil
}
