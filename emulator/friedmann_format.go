package emulator

import (
	"github.com/cosmoemu/cosmoemu/internal/modelfile"
)

// A model is saved in the cosmoemu model file (package internal/modelfile,
// docs/model-format.md) with this header.
type friedmannHeader struct {
	Format      string                       `json:"format"` // "cosmoemu-friedmann"
	Recipe      string                       `json:"recipe"`
	Description string                       `json:"description"`
	OmegaR0     float64                      `json:"Or0"`
	Domain      FriedmannDomain              `json:"domain"`
	Nodes       *modelfile.Tensor            `json:"nodes,omitempty"`      // N nodes of the curve networks (default recipe)
	LateNodes   *modelfile.Tensor            `json:"late_nodes,omitempty"` // N nodes of the network E_late, if any
	Networks    map[string]modelfile.Network `json:"networks"`
	Training    FriedmannTraining            `json:"training"`
	Validation  *FriedmannReport             `json:"validation,omitempty"`
}

const friedmannFormat = "cosmoemu-friedmann"

// FriedmannFormatVersion is the version of the model file this package writes and
// the newest it reads.
const FriedmannFormatVersion = modelfile.Version

// ErrNewerVersion is wrapped by the error for a file of a newer format.
var ErrNewerVersion = modelfile.ErrNewerVersion

// FormatError reports a model file that cannot be read.
type FormatError = modelfile.FormatError
