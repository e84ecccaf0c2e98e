package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"

	"github.com/cosmoemu/cosmoemu/cosmo"
	"github.com/cosmoemu/cosmoemu/internal/modelfile"
)

// The growth emulator's file: the container of internal/modelfile with the
// header below (docs/emulators.md, docs/growth.md).
const growthFormat = "cosmoemu-growth"

type growthHeader struct {
	Format        string          `json:"format"`
	FormatVersion int             `json:"format_version"`
	Model         string          `json:"model"`
	Observables   []string        `json:"observables"`
	Domain        domainJSON      `json:"domain"`
	ZMax          float64         `json:"zmax"`
	Panels        int             `json:"panels"`
	PerPanel      int             `json:"per_panel"`
	Net           netJSON         `json:"net"`
	Training      json.RawMessage `json:"training,omitempty"`
	Validation    json.RawMessage `json:"validation,omitempty"`
}

// growthObservables lists what a growth file predicts, in its header.
var growthObservables = []string{"D_ratio", "f", "D0"}

// Kind returns "cosmoemu-growth".
func (g *GrowthModel) Kind() string { return growthFormat }

// MarshalBinary returns the model file bytes.
func (g *GrowthModel) MarshalBinary() ([]byte, error) {
	var enc modelfile.Encoder
	h := &growthHeader{Format: growthFormat, FormatVersion: ModelFormatVersion, Model: g.model.Name(),
		Observables: growthObservables,
		Domain:      encodeDomain(&enc, &g.domain),
		ZMax:        g.zmax, Panels: g.panels, PerPanel: g.perPanel,
		Training: g.training, Validation: g.valid}
	h.Net = encodeNet(&enc, g.net)
	return enc.Encode(h)
}

// WriteFile writes the growth emulator to path atomically.
func (g *GrowthModel) WriteFile(path string) error { return writeFile(g, path) }

// decodeGrowth reads a growth emulator from a checked model file.
func decodeGrowth(f *modelfile.File) (*GrowthModel, error) {
	var h growthHeader
	if err := decodeHeader(f, growthFormat, &h); err != nil {
		return nil, err
	}
	bad := func(err error) error { return fmt.Errorf("emulator: %w", f.Errorf("%w", err)) }
	m, err := cosmo.Lookup(h.Model)
	if err != nil {
		return nil, bad(err)
	}
	s := GrowthSpec{Model: m.Name(), ZMax: h.ZMax, Panels: h.Panels, PerPanel: h.PerPanel, Training: h.Training, Validation: h.Validation}
	if s.Domain, err = decodeDomain(f, &h.Domain); err != nil {
		return nil, bad(err)
	}
	if s.Net, err = decodeModelNet(f, &h.Net, "growth"); err != nil {
		return nil, bad(err)
	}
	g, err := NewGrowthModel(s)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", nameOr(f.Name), err)
	}
	return g, nil
}

// growthFile is the name of the embedded growth emulator of a model.
func growthFile(m *cosmo.Model) string { return "growth_" + m.Name() }

// DefaultGrowth returns the embedded growth emulator of model m, or nil
// if it has none (lcdm, olcdm, wcdm: the emulator backend runs their
// growth ODE; docs/growth.md says which models have one, and why).
func DefaultGrowth(m *cosmo.Model) (*GrowthModel, error) {
	if _, err := fs.Stat(embedded, "models/"+growthFile(m)+".bin"); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	e, err := Default(growthFile(m))
	if err != nil {
		return nil, err
	}
	return ForGrowth(e, m)
}

// LoadGrowth returns the growth emulator of model m in the file at path.
func LoadGrowth(path string, m *cosmo.Model) (*GrowthModel, error) {
	return loadFor(path, m, ForGrowth)
}

// ForGrowth returns e as the growth emulator of model m, or an error
// saying what e is instead.
func ForGrowth(e Emulator, m *cosmo.Model) (*GrowthModel, error) {
	g, ok := e.(*GrowthModel)
	switch {
	case !ok:
		return nil, fmt.Errorf("emulator: a %s file is not the growth emulator of model %s (train one for it)", e.Kind(), m.Name())
	case g.model != m:
		return nil, fmt.Errorf("emulator: this growth emulator was trained for model %s, not %s", g.model.Name(), m.Name())
	}
	return g, nil
}
