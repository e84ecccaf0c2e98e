package emulator

import (
	"errors"
	"fmt"
	"math"

	"github.com/cosmoemu/cosmoemu/internal/modelfile"
	"github.com/cosmoemu/cosmoemu/internal/netfile"
)

// WriteFile writes the emulator to path atomically, in the model file
// format: a reader sees the old file or the complete new one.
func (m *Friedmann) WriteFile(path string) error { return writeFile(m, path) }

// MarshalBinary returns the model file bytes.
func (m *Friedmann) MarshalBinary() ([]byte, error) {
	if m == nil || m.kind == nil {
		return nil, errNoModel
	}
	var e modelfile.Encoder
	h := &friedmannHeader{
		Format:      friedmannFormat,
		Recipe:      m.kind.recipe(),
		Description: m.desc,
		OmegaR0:     m.or0,
		Domain:      m.domain,
		Networks:    map[string]modelfile.Network{},
		Training:    m.training,
		Validation:  m.validation,
	}
	m.kind.encode(&e, h)
	return e.Encode(h)
}

// errNoModel reports an unusable Model value.
var errNoModel = errors.New("emulator: model not trained or loaded")

// recipeDecoders read the recipes' networks from a model file, each into
// its field of Parts.
var recipeDecoders = map[string]func(f *modelfile.File, h *friedmannHeader, p *FriedmannParts) error{
	RecipeDefault: func(f *modelfile.File, h *friedmannHeader, p *FriedmannParts) (err error) {
		p.Curves, err = decodeCurves(f, h)
		return err
	},
	RecipePaper: func(f *modelfile.File, h *friedmannHeader, p *FriedmannParts) (err error) {
		p.Point, err = decodePoint(f, h)
		return err
	},
}

// decodeFriedmann reads a Friedmann emulator from a checked model file.
func decodeFriedmann(f *modelfile.File) (*Friedmann, error) {
	bad := func(err error) error {
		return fmt.Errorf("emulator: %w", f.Errorf("%w", err))
	}
	h := &friedmannHeader{}
	if err := f.DecodeHeader(h); err != nil {
		return nil, fmt.Errorf("emulator: %w", err)
	}
	if h.Format != friedmannFormat {
		return nil, bad(fmt.Errorf("format %q, want %q", h.Format, friedmannFormat))
	}
	if err := checkFriedmannDomain(h.Domain, h.OmegaR0); err != nil {
		return nil, bad(err)
	}
	read, ok := recipeDecoders[h.Recipe]
	if !ok {
		return nil, bad(fmt.Errorf("unknown recipe %q (this cosmoemu knows %q and %q)", h.Recipe, RecipeDefault, RecipePaper))
	}
	p := FriedmannParts{Description: h.Description, OmegaR0: h.OmegaR0, Domain: h.Domain, Training: h.Training, Validation: h.Validation}
	if err := read(f, h, &p); err != nil {
		return nil, bad(err)
	}
	m, err := assembleFriedmann(p)
	if err != nil {
		return nil, bad(err)
	}
	return m, nil
}

// decodeFriedmannNet reads the network called name, with its scalers, checking its
// numbers of inputs and outputs.
func decodeFriedmannNet(f *modelfile.File, h *friedmannHeader, name string, inputs, outputs int) (FriedmannNet, error) {
	nj, ok := h.Networks[name]
	if !ok {
		return FriedmannNet{}, fmt.Errorf("network %q missing", name)
	}
	net, in, out, err := netfile.Decode(f, nj, name, inputs, outputs)
	if err != nil {
		return FriedmannNet{}, err
	}
	return FriedmannNet{Net: net, In: in, Out: out}, nil
}

// uniformSplineOn checks that nodes (named what in errors) are at least 4
// evenly spaced increasing values and returns their spline.
func uniformSplineOn(nodes []float64, what string) (*uniformSpline, error) {
	k := len(nodes)
	if k < 4 {
		return nil, fmt.Errorf("%d %s, need at least 4", k, what)
	}
	h := (nodes[k-1] - nodes[0]) / float64(k-1)
	if !(h > 0) {
		return nil, fmt.Errorf("%s are not increasing", what)
	}
	for i, n := range nodes {
		if want := nodes[0] + float64(i)*h; math.Abs(n-want) > 1e-9*math.Max(1, math.Abs(n)) {
			return nil, fmt.Errorf("%s are not evenly spaced: node %d is %v, want %v", what, i, n, want)
		}
	}
	return newUniformSpline(nodes[0], h, k)
}

func checkFriedmannDomain(d FriedmannDomain, or0 float64) error {
	if !(or0 >= 0 && or0 < 1) {
		return fmt.Errorf("Or0 = %v outside [0, 1)", or0)
	}
	for _, a := range []struct {
		name string
		r    [2]float64
	}{{"Om0", d.Om0}, {"H0", d.H0}, {"N", d.N}} {
		if !(a.r[0] <= a.r[1]) || math.IsInf(a.r[0], 0) || math.IsInf(a.r[1], 0) {
			return fmt.Errorf("domain %s = %v is not an interval", a.name, a.r)
		}
	}
	if !(d.Om0[0] > 0 && d.Om0[1] < 1-or0) {
		return fmt.Errorf("domain Om0 = %v outside (0, %v)", d.Om0, 1-or0)
	}
	if !(d.H0[0] > 0) {
		return fmt.Errorf("domain H0 = %v is not positive", d.H0)
	}
	return nil
}
