package sdss

import (
	"fmt"
	"math"
	"slices"

	"github.com/cosmoemu/cosmoemu/internal/modelfile"
	"github.com/cosmoemu/cosmoemu/internal/netfile"
	"github.com/cosmoemu/cosmoemu/nn"
)

// FormatName is the "format" of a classifier's model-file header.
const FormatName = "cosmoemu-classifier"

// fileHeader is the JSON header of a classifier file (docs/model-format.md).
type fileHeader struct {
	Format      string            `json:"format"`
	Description string            `json:"description"`
	Classes     []string          `json:"classes"`
	Features    []string          `json:"features"`
	Asinh       []Asinh           `json:"asinh"`
	Network     modelfile.Network `json:"network"`
	Training    TrainingInfo      `json:"training"`
	Accuracy    Accuracy          `json:"accuracy"`
}

// Save writes the classifier to path atomically, in the cosmoemu model file
// format.
func (c *Classifier) Save(path string) error {
	b, err := c.MarshalBinary()
	if err != nil {
		return err
	}
	if err := modelfile.Write(path, b); err != nil {
		return fmt.Errorf("sdss: %w", err)
	}
	return nil
}

// MarshalBinary returns the model file bytes.
func (c *Classifier) MarshalBinary() ([]byte, error) {
	var e modelfile.Encoder
	h := &fileHeader{
		Format:      FormatName,
		Description: "SDSS star/galaxy/quasar classifier: features -> asinh stretch of the listed features -> input_scaler -> network -> softmax probabilities of classes",
		Classes:     c.Classes,
		Features:    c.Features,
		Asinh:       c.Asinh,
		Network:     netfile.Encode(&e, c.Net, c.Scaler, nil, c.Features, probNames(c.Classes)),
		Training:    c.Training,
		Accuracy:    c.Accuracy,
	}
	if h.Asinh == nil {
		h.Asinh = []Asinh{}
	}
	return e.Encode(h)
}

func probNames(classes []string) []string {
	out := make([]string, len(classes))
	for i, c := range classes {
		out[i] = "P(" + c + ")"
	}
	return out
}

// Load reads a classifier written by Save. A missing, truncated, corrupted,
// foreign or newer-version file gives an error naming the file.
func Load(path string) (*Classifier, error) {
	b, err := modelfile.Read(path)
	if err != nil {
		return nil, fmt.Errorf("sdss: %w", err)
	}
	return decode(b, path)
}

// Decode is Load from the bytes of a classifier file.
func Decode(b []byte) (*Classifier, error) {
	return decode(b, "")
}

func decode(b []byte, file string) (*Classifier, error) {
	f, err := modelfile.Decode(b, file)
	if err != nil {
		return nil, fmt.Errorf("sdss: %w", err)
	}
	bad := func(format string, args ...any) error {
		return fmt.Errorf("sdss: %w", f.Errorf(format, args...))
	}
	var h fileHeader
	if err := f.DecodeHeader(&h); err != nil {
		return nil, fmt.Errorf("sdss: %w", err)
	}
	if h.Format != FormatName {
		return nil, bad("format %q, want %q (is it a classifier file?)", h.Format, FormatName)
	}
	if !slices.Equal(h.Classes, Classes) {
		return nil, bad("classes %v, want %v", h.Classes, Classes)
	}
	if len(h.Features) == 0 {
		return nil, bad("no features")
	}
	for i, name := range h.Features {
		if slices.Contains(h.Features[:i], name) {
			return nil, bad("feature %q listed twice", name)
		}
	}
	for _, a := range h.Asinh {
		if !slices.Contains(h.Features, a.Feature) {
			return nil, bad("asinh stretch of %q, which is not a feature", a.Feature)
		}
		if !(a.Scale > 0) || math.IsInf(a.Scale, 0) {
			return nil, bad("asinh stretch of %q: scale %v must be a positive number", a.Feature, a.Scale)
		}
	}
	net, in, out, err := netfile.Decode(f, h.Network, "classifier", len(h.Features), len(h.Classes))
	if err != nil {
		return nil, bad("%v", err)
	}
	scaler, ok := in.(*nn.StandardScaler)
	if !ok || out != nil {
		return nil, bad("the network needs a standard input scaler and no output scaler")
	}
	if last := net.Layers[len(net.Layers)-1].Act; last != nn.Softmax {
		return nil, bad("the output layer is %s, want softmax", last)
	}
	return &Classifier{
		Classes: h.Classes, Features: h.Features, Asinh: h.Asinh, Scaler: scaler, Net: net,
		Training: h.Training, Accuracy: h.Accuracy,
	}, nil
}
