package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/cosmoemu/cosmoemu/cosmo"
	"github.com/cosmoemu/cosmoemu/internal/modelfile"
	"github.com/cosmoemu/cosmoemu/internal/netfile"
	"github.com/cosmoemu/cosmoemu/nn"
)

// The model file is the container of internal/modelfile (magic, container
// version, JSON header, float64 arrays, SHA-256) with the header below;
// docs/emulators.md documents it and docs/read_emu.py reads it with numpy.
const (
	modelFormat = "cosmoemu-emulator"
	earlyFormat = "cosmoemu-early"
	// ModelFormatVersion is the version of the headers this package writes
	// (models' and the early universe's) and the only one it reads: 2
	// (massive neutrinos, the early universe apart); version 1's files
	// were made for massless neutrinos and the fitting formulas of the
	// early universe, and are refused with a message saying so.
	ModelFormatVersion = 2
)

// Observables lists what an emulator file predicts, in its header.
var observables = []string{"E", "DC", "DM", "DM_star", "w", "age", "lookback"}

type modelHeader struct {
	Format        string          `json:"format"`
	FormatVersion int             `json:"format_version"`
	Model         string          `json:"model"`
	Params        []string        `json:"params"`
	Observables   []string        `json:"observables"`
	Domain        domainJSON      `json:"domain"`
	Radiation     [2]float64      `json:"omega_r_range"`
	Late          *lateJSON       `json:"late,omitempty"`
	Training      json.RawMessage `json:"training,omitempty"`
	Validation    json.RawMessage `json:"validation,omitempty"`
}

type domainJSON struct {
	Params []string   `json:"params"`
	Min    []float64  `json:"min"`
	Max    []float64  `json:"max"`
	MinE2  float64    `json:"min_E2,omitempty"`
	Limit  *limitJSON `json:"limit,omitempty"`
}

type limitJSON struct {
	Param  string           `json:"param"`
	LnOm   modelfile.Tensor `json:"ln_Om"`
	Max    modelfile.Tensor `json:"max"`
	Margin float64          `json:"margin"`
}

type lateJSON struct {
	ZMax     float64  `json:"zmax"`
	Panels   int      `json:"panels"`
	PerPanel int      `json:"per_panel"`
	Net      netJSON  `json:"net"`
	Extra    *netJSON `json:"extra,omitempty"`
}

type netJSON struct {
	modelfile.Network
	Skip    modelfile.Tensor `json:"skip"`
	UDegree int              `json:"u_degree"`
}

// MarshalBinary returns the model file bytes.
func (e *Model) MarshalBinary() ([]byte, error) {
	if e.late == nil {
		return nil, fmt.Errorf("emulator: %s has a closed form: its emulator has no file", e.model.Name())
	}
	var enc modelfile.Encoder
	h := &modelHeader{
		Format: modelFormat, FormatVersion: ModelFormatVersion,
		Model: e.model.Name(), Params: e.domain.Params, Observables: observables,
		Domain:    encodeDomain(&enc, &e.domain),
		Radiation: e.radiation,
		Training:  e.training, Validation: e.valid,
	}
	l := e.late
	h.Late = &lateJSON{ZMax: l.ZMax, Panels: l.Panels, PerPanel: l.PerPanel, Net: encodeNet(&enc, l.Net)}
	if l.Extra != nil {
		w := encodeNet(&enc, l.Extra)
		h.Late.Extra = &w
	}
	return enc.Encode(h)
}

// encodeDomain records the domain d, the arrays of its limit in enc.
func encodeDomain(enc *modelfile.Encoder, d *Domain) domainJSON {
	dj := domainJSON{Params: d.Params, Min: d.Min, Max: d.Max, MinE2: d.MinE2}
	if l := d.Limit; l != nil {
		dj.Limit = &limitJSON{Param: l.Param, LnOm: enc.Put(l.LnOm, len(l.LnOm)), Max: enc.Put(l.Max, len(l.Max)), Margin: l.Margin}
	}
	return dj
}

// decodeDomain rebuilds the domain of the record dj in f.
func decodeDomain(f *modelfile.File, dj *domainJSON) (Domain, error) {
	d := Domain{Params: dj.Params, Min: dj.Min, Max: dj.Max, MinE2: dj.MinE2}
	lj := dj.Limit
	if lj == nil {
		return d, nil
	}
	l := &Limit{Param: lj.Param, Margin: lj.Margin}
	var err error
	if l.LnOm, err = f.Tensor(&lj.LnOm, "domain limit ln Om", -1); err != nil {
		return d, err
	}
	if l.Max, err = f.Tensor(&lj.Max, "domain limit", len(l.LnOm)); err != nil {
		return d, err
	}
	d.Limit = l
	return d, nil
}

func encodeNet(enc *modelfile.Encoder, n *Net) netJSON {
	out := &nn.StandardScaler{Mean: n.Mean, Std: n.Std}
	nj := netJSON{Network: netfile.Encode(enc, n.Net, n.In, out, n.Inputs, n.Outputs), UDegree: n.UDegree}
	nj.Skip = enc.Put(n.Skip, SkipLen(len(n.Inputs)), n.columns())
	return nj
}

// WriteFile writes the emulator to path atomically: a reader sees the old
// file or the complete new one, never a partial write.
func (e *Model) WriteFile(path string) error { return writeFile(e, path) }

// openFile checks the container of the bytes of a model file (magic,
// version, checksum) and splits it; name labels the errors.
func openFile(b []byte, name string) (*modelfile.File, error) {
	f, err := modelfile.Decode(b, name)
	if err != nil {
		return nil, fmt.Errorf("emulator: %w", err)
	}
	return f, nil
}

// decodeModel reads an emulator from a checked model file. A file that is
// not an emulator, is of a newer format, or whose parts do not fit
// together gives a clear error.
func decodeModel(f *modelfile.File) (*Model, error) {
	var h modelHeader
	if err := decodeHeader(f, modelFormat, &h); err != nil {
		return nil, err
	}
	bad := func(err error) error { return fmt.Errorf("emulator: %w", f.Errorf("%w", err)) }
	m, err := cosmo.Lookup(h.Model)
	if err != nil {
		return nil, bad(err)
	}
	s := ModelSpec{Model: m.Name(), Training: h.Training, Validation: h.Validation}
	if s.Domain, err = decodeDomain(f, &h.Domain); err != nil {
		return nil, bad(err)
	}
	if l := h.Late; l != nil {
		s.Late = &Late{ZMax: l.ZMax, Panels: l.Panels, PerPanel: l.PerPanel}
		if s.Late.Net, err = decodeModelNet(f, &l.Net, "late"); err != nil {
			return nil, bad(err)
		}
		if l.Extra != nil {
			if s.Late.Extra, err = decodeModelNet(f, l.Extra, "extra"); err != nil {
				return nil, bad(err)
			}
		}
	}
	e, err := NewModel(s)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", nameOr(f.Name), err)
	}
	if h.Radiation != e.radiation {
		return nil, bad(fmt.Errorf("the Ω_r range %v does not match the domain's H0 and N_eff and this cosmoemu's radiation density (%v)", h.Radiation, e.radiation))
	}
	return e, nil
}

// decodeHeader checks the header's format and version (checkVersion), then
// decodes it into h, refusing unknown fields.
func decodeHeader(f *modelfile.File, format string, h any) error {
	if err := checkVersion(f, format); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(f.Header))
	dec.DisallowUnknownFields()
	if err := dec.Decode(h); err != nil {
		return fmt.Errorf("emulator: %w", f.Errorf("bad header: %w", err))
	}
	return nil
}

// checkVersion checks the header's format and version.
func checkVersion(f *modelfile.File, format string) error {
	var probe struct {
		Format        string `json:"format"`
		FormatVersion int    `json:"format_version"`
	}
	if err := json.Unmarshal(f.Header, &probe); err != nil {
		return fmt.Errorf("emulator: %w", f.Errorf("bad header: %w", err))
	}
	switch {
	case probe.Format != format:
		return fmt.Errorf("emulator: %w", f.Errorf("format %q, want %q", probe.Format, format))
	case probe.FormatVersion > ModelFormatVersion:
		return fmt.Errorf("emulator: %s: format version %d: %w (reads %d); upgrade cosmoemu", nameOr(f.Name), probe.FormatVersion, modelfile.ErrNewerVersion, ModelFormatVersion)
	case probe.FormatVersion == 1:
		return fmt.Errorf("emulator: %w", f.Errorf("format version 1 was made for massless neutrinos and the fitting formulas of the early universe; train it again (cosmoemu train)"))
	case probe.FormatVersion != ModelFormatVersion:
		return fmt.Errorf("emulator: %w", f.Errorf("format version %d is invalid", probe.FormatVersion))
	}
	return nil
}

// earlyHeader is the header of the early-universe emulator's file.
type earlyHeader struct {
	Format        string          `json:"format"`
	FormatVersion int             `json:"format_version"`
	Inputs        []string        `json:"inputs"`
	Min           [5]float64      `json:"min"`
	Max           [5]float64      `json:"max"`
	Net           netJSON         `json:"net"`
	Wide          *earlyWideJSON  `json:"wide,omitempty"`
	DE            *earlyDEJSON    `json:"dark_energy,omitempty"`
	Training      json.RawMessage `json:"training,omitempty"`
	Validation    json.RawMessage `json:"validation,omitempty"`
}

// earlyWideJSON is the outer tier of the early-universe emulator: its box
// (in ω_b, ω_c, N_eff, Σmν, ω_k) and its network (of ln ω_b, ln ω_c, …).
type earlyWideJSON struct {
	Inputs []string   `json:"inputs"`
	Min    [5]float64 `json:"min"`
	Max    [5]float64 `json:"max"`
	Net    netJSON    `json:"net"`
}

// earlyDEJSON is the dark-energy tier of the early-universe emulator: its
// box (in ω_b, ω_c, N_eff, Σmν, the share and w of dark energy at z = 800)
// and its network (of ln ω_b, ln ω_c, N_eff, Σmν, ln share, w).
type earlyDEJSON struct {
	Inputs []string   `json:"inputs"`
	Min    [6]float64 `json:"min"`
	Max    [6]float64 `json:"max"`
	Net    netJSON    `json:"net"`
}

// MarshalBinary returns the early-universe emulator's file bytes.
func (e *Early) MarshalBinary() ([]byte, error) {
	var enc modelfile.Encoder
	h := &earlyHeader{Format: earlyFormat, FormatVersion: ModelFormatVersion, Inputs: earlyInputs,
		Min: e.domain.Min, Max: e.domain.Max, Net: encodeNet(&enc, e.net),
		Training: e.training, Validation: e.valid}
	if e.wide != nil {
		h.Wide = &earlyWideJSON{Inputs: earlyWideInputs, Min: e.wideDom.Min, Max: e.wideDom.Max, Net: encodeNet(&enc, e.wide)}
	}
	if e.de != nil {
		h.DE = &earlyDEJSON{Inputs: earlyDEInputs, Min: e.deDom.Min, Max: e.deDom.Max, Net: encodeNet(&enc, e.de)}
	}
	return enc.Encode(h)
}

// WriteFile writes the emulator to path atomically.
func (e *Early) WriteFile(path string) error { return writeFile(e, path) }

// decodeEarly reads an early-universe emulator from a checked model file.
func decodeEarly(f *modelfile.File) (*Early, error) {
	var h earlyHeader
	if err := decodeHeader(f, earlyFormat, &h); err != nil {
		return nil, err
	}
	bad := func(err error) error { return fmt.Errorf("emulator: %w", f.Errorf("%w", err)) }
	if !slices.Equal(h.Inputs, earlyInputs) {
		return nil, bad(fmt.Errorf("inputs %v, want %v", h.Inputs, earlyInputs))
	}
	net, err := decodeModelNet(f, &h.Net, "early")
	if err != nil {
		return nil, bad(err)
	}
	spec := EarlySpec{Net: net, Domain: EarlyDomain{Min: h.Min, Max: h.Max}, Training: h.Training, Validation: h.Validation}
	if w := h.Wide; w != nil {
		if !slices.Equal(w.Inputs, earlyWideInputs) {
			return nil, bad(fmt.Errorf("outer inputs %v, want %v", w.Inputs, earlyWideInputs))
		}
		if spec.Wide, err = decodeModelNet(f, &w.Net, "early wide"); err != nil {
			return nil, bad(err)
		}
		spec.WideDomain = EarlyDomain{Min: w.Min, Max: w.Max}
	}
	if d := h.DE; d != nil {
		if !slices.Equal(d.Inputs, earlyDEInputs) {
			return nil, bad(fmt.Errorf("dark-energy inputs %v, want %v", d.Inputs, earlyDEInputs))
		}
		if spec.DE, err = decodeModelNet(f, &d.Net, "early dark energy"); err != nil {
			return nil, bad(err)
		}
		spec.DEDomain = EarlyDEDomain{Min: d.Min, Max: d.Max}
	}
	e, err := NewEarly(spec)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", nameOr(f.Name), err)
	}
	return e, nil
}

func decodeModelNet(f *modelfile.File, nj *netJSON, name string) (*Net, error) {
	d := len(nj.Inputs)
	if d == 0 || d > 16 || len(nj.Outputs) == 0 || len(nj.Outputs) > 1<<16 || nj.UDegree < 0 || nj.UDegree > 2 {
		return nil, fmt.Errorf("network %s: %d inputs, %d outputs, degree %d", name, d, len(nj.Outputs), nj.UDegree)
	}
	cols := len(nj.Outputs) * (nj.UDegree + 1)
	net, in, out, err := netfile.Decode(f, nj.Network, name, d, cols)
	if err != nil {
		return nil, err
	}
	mm, ok := in.(*nn.MinMaxScaler)
	if !ok {
		return nil, fmt.Errorf("network %s: input scaler %q, want minmax", name, nj.InputScaler.Kind)
	}
	st, ok := out.(*nn.StandardScaler)
	if !ok {
		return nil, fmt.Errorf("network %s: output scaler %q, want standard", name, nj.OutputScaler.Kind)
	}
	skip, err := f.Tensor(&nj.Skip, "network "+name+" skip", SkipLen(d), cols)
	if err != nil {
		return nil, err
	}
	n := &Net{Inputs: nj.Inputs, Outputs: nj.Outputs, Net: net, In: mm, Mean: st.Mean, Std: st.Std, Skip: skip, UDegree: nj.UDegree}
	return n, n.check(name)
}

func nameOr(name string) string {
	if name == "" {
		return "emulator"
	}
	return name
}
