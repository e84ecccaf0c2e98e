package emulator

import (
	_ "embed"
	"sync"
)

// defaultModel is the trained default-recipe model, rebuilt byte for byte by
//
//	cosmoemu train -recipe default -out emulator/models/friedmann.bin
//
//go:embed models/friedmann.bin
var defaultModel []byte

var (
	defaultOnce sync.Once
	defaultM    *Model
	defaultErr  error
)

// Default returns the trained default model embedded in the package, so that
// nothing has to be trained before first use. The Model is shared: it is
// immutable and safe for concurrent use.
func Default() (*Model, error) {
	defaultOnce.Do(func() {
		defaultM, defaultErr = decode(defaultModel, "embedded friedmann.bin")
	})
	return defaultM, defaultErr
}

// DefaultBytes returns a copy of the embedded model file.
func DefaultBytes() []byte { return append([]byte(nil), defaultModel...) }
