package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"

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
	// ModelFormatVersion is the version of the header this package writes and
	// the newest it reads.
	ModelFormatVersion = 1
)

// Observables lists what an emulator file predicts, in its header.
var observables = []string{"E", "DC", "DM", "z_star", "rs_star", "DM_star", "w", "age", "lookback"}

type modelHeader struct {
	Format        string          `json:"format"`
	FormatVersion int             `json:"format_version"`
	Model         string          `json:"model"`
	Params        []string        `json:"params"`
	Observables   []string        `json:"observables"`
	Domain        domainJSON      `json:"domain"`
	Radiation     [2]float64      `json:"omega_r_range"`
	Late          *lateJSON       `json:"late,omitempty"`
	CMB           *netJSON        `json:"cmb,omitempty"`
	Region        Region          `json:"cmb_region"`
	Training      json.RawMessage `json:"training,omitempty"`
	Validation    json.RawMessage `json:"validation,omitempty"`
}

type domainJSON struct {
	Params []string   `json:"params"`
	Min    []float64  `json:"min"`
	Max    []float64  `json:"max"`
	MinE2  float64    `json:"min_E2,omitempty"`
	Limit  *limitJSON `json:"limit,omitempty"`
	// LambdaMax is the limit of files written before the limit was
	// generic: on the parameter "lambda", its table under that name.
	LambdaMax *lambdaMaxJSON `json:"lambda_max,omitempty"`
}

type limitJSON struct {
	Param  string           `json:"param"`
	LnOm   modelfile.Tensor `json:"ln_Om"`
	Max    modelfile.Tensor `json:"max"`
	Margin float64          `json:"margin"`
}

type lambdaMaxJSON struct {
	LnOm   modelfile.Tensor `json:"ln_Om"`
	Lambda modelfile.Tensor `json:"lambda"`
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

// Region is stored with these names.
func (r Region) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		MaxRatio3 float64 `json:"max_ratio_z3"`
		MaxWInf   float64 `json:"max_w_early"`
		MinE2     float64 `json:"min_E2"`
	}{r.MaxRatio3, r.MaxWInf, r.MinE2})
}

// UnmarshalJSON reads a Region.
func (r *Region) UnmarshalJSON(b []byte) error {
	var v struct {
		MaxRatio3 *float64 `json:"max_ratio_z3"`
		MaxWInf   *float64 `json:"max_w_early"`
		MinE2     *float64 `json:"min_E2"`
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		return err
	}
	if v.MaxRatio3 == nil || v.MaxWInf == nil || v.MinE2 == nil {
		return fmt.Errorf("cmb_region needs max_ratio_z3, max_w_early and min_E2")
	}
	*r = Region{*v.MaxRatio3, *v.MaxWInf, *v.MinE2}
	return nil
}

// MarshalBinary returns the model file bytes.
func (e *Model) MarshalBinary() ([]byte, error) {
	var enc modelfile.Encoder
	d := &e.domain
	h := &modelHeader{
		Format: modelFormat, FormatVersion: ModelFormatVersion,
		Model: e.model.Name(), Params: d.Params, Observables: observables,
		Domain:    domainJSON{Params: d.Params, Min: d.Min, Max: d.Max, MinE2: d.MinE2},
		Radiation: e.radiation,
		Region:    e.region,
		Training:  e.training, Validation: e.valid,
	}
	if e.cmb != nil {
		c := encodeNet(&enc, e.cmb)
		h.CMB = &c
	}
	if l := d.Limit; l != nil {
		h.Domain.Limit = &limitJSON{Param: l.Param, LnOm: enc.Put(l.LnOm, len(l.LnOm)), Max: enc.Put(l.Max, len(l.Max)), Margin: l.Margin}
	}
	if l := e.late; l != nil {
		h.Late = &lateJSON{ZMax: l.ZMax, Panels: l.Panels, PerPanel: l.PerPanel, Net: encodeNet(&enc, l.Net)}
		if l.Extra != nil {
			w := encodeNet(&enc, l.Extra)
			h.Late.Extra = &w
		}
	}
	return enc.Encode(h)
}

func encodeNet(enc *modelfile.Encoder, n *Net) netJSON {
	out := &nn.StandardScaler{Mean: n.Mean, Std: n.Std}
	nj := netJSON{Network: netfile.Encode(enc, n.Net, n.In, out, n.Inputs, n.Outputs), UDegree: n.UDegree}
	nj.Skip = enc.Put(n.Skip, SkipLen(len(n.Inputs)), n.columns())
	return nj
}

// WriteFile writes the emulator to path atomically: a reader sees the old
// file or the complete new one, never a partial write.
func (e *Model) WriteFile(path string) error {
	b, err := e.MarshalBinary()
	if err != nil {
		return err
	}
	// modelfile.Write replaces only a regular file.
	if err := modelfile.Write(path, b); err != nil {
		return fmt.Errorf("emulator: %w", err)
	}
	return nil
}

// decodeModel reads an emulator from the bytes of a model file; name labels
// the errors. A file that is not an emulator, is corrupted or truncated,
// is of a newer format, or whose parts do not fit together gives a clear
// error.
func decodeModel(b []byte, name string) (*Model, error) {
	f, err := modelfile.Decode(b, name)
	if err != nil {
		return nil, fmt.Errorf("emulator: %w", err)
	}
	var probe struct {
		Format        string `json:"format"`
		FormatVersion int    `json:"format_version"`
	}
	if err := json.Unmarshal(f.Header, &probe); err != nil {
		return nil, fmt.Errorf("emulator: %w", f.Errorf("bad header: %v", err))
	}
	if probe.Format != modelFormat {
		return nil, fmt.Errorf("emulator: %w", f.Errorf("not an emulator file (format %q, want %q)", probe.Format, modelFormat))
	}
	if probe.FormatVersion > ModelFormatVersion {
		return nil, fmt.Errorf("emulator: %s: emulator format version %d: %w (reads up to %d); upgrade cosmoemu", nameOr(name), probe.FormatVersion, modelfile.ErrNewerVersion, ModelFormatVersion)
	}
	if probe.FormatVersion < 1 {
		return nil, fmt.Errorf("emulator: %w", f.Errorf("emulator format version %d is invalid", probe.FormatVersion))
	}
	var h modelHeader
	dec := json.NewDecoder(bytes.NewReader(f.Header))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&h); err != nil {
		return nil, fmt.Errorf("emulator: %w", f.Errorf("bad header: %v", err))
	}
	bad := func(err error) error { return fmt.Errorf("emulator: %w", f.Errorf("%v", err)) }
	m, err := cosmo.Lookup(h.Model)
	if err != nil {
		return nil, bad(err)
	}
	s := ModelSpec{Model: m.Name(), Region: h.Region, Training: h.Training, Validation: h.Validation}
	s.Domain = Domain{Params: h.Domain.Params, Min: h.Domain.Min, Max: h.Domain.Max, MinE2: h.Domain.MinE2}
	lj := h.Domain.Limit
	if lm := h.Domain.LambdaMax; lm != nil {
		if lj != nil {
			return nil, bad(fmt.Errorf("domain has both limit and lambda_max"))
		}
		lj = &limitJSON{Param: "lambda", LnOm: lm.LnOm, Max: lm.Lambda, Margin: lm.Margin}
	}
	if lj != nil {
		l := &Limit{Param: lj.Param, Margin: lj.Margin}
		if l.LnOm, err = f.Tensor(&lj.LnOm, "domain limit ln Om", -1); err != nil {
			return nil, bad(err)
		}
		if l.Max, err = f.Tensor(&lj.Max, "domain limit", len(l.LnOm)); err != nil {
			return nil, bad(err)
		}
		s.Domain.Limit = l
	}
	if h.CMB != nil {
		if s.CMB, err = decodeModelNet(f, h.CMB, "cmb"); err != nil {
			return nil, bad(err)
		}
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
		return nil, fmt.Errorf("%s: %w", nameOr(name), err)
	}
	if h.Radiation != e.radiation {
		return nil, bad(fmt.Errorf("the Ω_r range %v does not match the H0 range and this cosmoemu's radiation density (%v)", h.Radiation, e.radiation))
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
