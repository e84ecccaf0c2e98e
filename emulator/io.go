package emulator

import (
	"fmt"
	"math"

	"github.com/cosmoemu/cosmoemu/internal/modelfile"
)

// Save writes the model to path atomically, in the model file format.
func (m *Model) Save(path string) error {
	b, err := m.MarshalBinary()
	if err != nil {
		return err
	}
	if err := modelfile.Write(path, b); err != nil {
		return fmt.Errorf("emulator: %w", err)
	}
	return nil
}

// MarshalBinary returns the model file bytes.
func (m *Model) MarshalBinary() ([]byte, error) {
	var e modelfile.Encoder
	h := &fileHeader{
		Format:      formatName,
		Recipe:      m.recipe,
		Description: m.desc,
		OmegaR0:     m.or0,
		Domain:      m.domain,
		Networks:    map[string]modelfile.Network{},
		Training:    m.training,
		Validation:  m.validation,
	}
	switch m.recipe {
	case RecipeDefault:
		h.Nodes = e.PutVector(m.nodes)
		h.Networks["lnE"] = e.Network(m.lnE.net, m.lnE.in, m.lnE.out, []string{"Om0"}, []string{"lnE(N_k)"})
		h.Networks["omega"] = e.Network(m.omega.net, m.omega.in, m.omega.out, []string{"Om0"}, []string{"Omega_r(N_k)", "Omega_m(N_k)"})
		if m.late != nil {
			h.LateNodes = e.PutVector(m.lateNodes)
			h.Networks["E_late"] = e.Network(m.late.net, m.late.in, m.late.out, []string{"Om0"}, []string{"E(N_k), late nodes"})
		}
	case RecipePaper:
		h.Networks["point"] = e.Network(m.point.net, m.point.in, m.point.out, []string{"N", "Om0", "H0"}, []string{"Omega_m", "Omega_r", "Omega_L", "H"})
	default:
		return nil, errNoModel
	}
	return e.Encode(h)
}

// Load reads a model file written by Save. A missing, truncated, corrupted,
// foreign or newer-version file gives an error naming the file.
func Load(path string) (*Model, error) {
	b, err := modelfile.Read(path)
	if err != nil {
		return nil, fmt.Errorf("emulator: %w", err)
	}
	return decodeModel(b, path)
}

// UnmarshalBinary is Load from bytes.
func UnmarshalBinary(b []byte) (*Model, error) {
	return decodeModel(b, "")
}

func decodeModel(b []byte, file string) (*Model, error) {
	d, err := modelfile.Decode(b, file)
	if err != nil {
		return nil, fmt.Errorf("emulator: %w", err)
	}
	bad := func(format string, args ...any) error {
		return fmt.Errorf("emulator: %w", d.Errorf(format, args...))
	}
	h := &fileHeader{}
	if err := d.DecodeHeader(h); err != nil {
		return nil, fmt.Errorf("emulator: %w", err)
	}
	if h.Format != formatName {
		return nil, bad("format %q, want %q", h.Format, formatName)
	}
	if err := checkDomain(h.Domain, h.OmegaR0); err != nil {
		return nil, bad("%v", err)
	}
	m := &Model{recipe: h.Recipe, desc: h.Description, or0: h.OmegaR0, domain: h.Domain, training: h.Training, validation: h.Validation}
	switch h.Recipe {
	case RecipeDefault:
		nodes, err := d.Tensor(h.Nodes, "nodes", -1)
		if err != nil {
			return nil, bad("%v", err)
		}
		if err := m.setNodes(nodes); err != nil {
			return nil, bad("%v", err)
		}
		k := len(nodes)
		for _, c := range []struct {
			name string
			dst  *curveNet
			outs int
		}{{"lnE", &m.lnE, k}, {"omega", &m.omega, 2 * k}} {
			nj, ok := h.Networks[c.name]
			if !ok {
				return nil, bad("network %q missing", c.name)
			}
			net, in, out, err := d.Network(nj, c.name, 1, c.outs)
			if err != nil {
				return nil, bad("%v", err)
			}
			if in == nil || out == nil {
				return nil, bad("network %s: needs input and output scalers", c.name)
			}
			*c.dst = curveNet{net: net, in: in, out: out}
		}
		if nj, ok := h.Networks["E_late"]; ok || h.LateNodes != nil {
			if !ok || h.LateNodes == nil {
				return nil, bad("network E_late and late_nodes come together")
			}
			late, err := d.Tensor(h.LateNodes, "late_nodes", -1)
			if err != nil {
				return nil, bad("%v", err)
			}
			net, in, out, err := d.Network(nj, "E_late", 1, len(late))
			if err != nil {
				return nil, bad("%v", err)
			}
			if in == nil || out == nil {
				return nil, bad("network E_late: needs input and output scalers")
			}
			if err := m.setLate(late, curveNet{net: net, in: in, out: out}); err != nil {
				return nil, bad("%v", err)
			}
		}
	case RecipePaper:
		nj, ok := h.Networks["point"]
		if !ok {
			return nil, bad("network \"point\" missing")
		}
		net, in, out, err := d.Network(nj, "point", 3, 4)
		if err != nil {
			return nil, bad("%v", err)
		}
		if out == nil {
			return nil, bad("network point: needs an output scaler")
		}
		m.point = curveNet{net: net, in: in, out: out}
	default:
		return nil, bad("unknown recipe %q (this cosmoemu knows %q and %q)", h.Recipe, RecipeDefault, RecipePaper)
	}
	return m, nil
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

// setNodes checks that the nodes are uniform and cover the domain, and
// makes their spline.
func (m *Model) setNodes(nodes []float64) error {
	s, err := uniformSplineOn(nodes, "nodes")
	if err != nil {
		return err
	}
	if k := len(nodes); nodes[0] > m.domain.N[0] || nodes[k-1] < m.domain.N[1] {
		return fmt.Errorf("nodes [%v, %v] do not cover the domain's N range %v", nodes[0], nodes[k-1], m.domain.N)
	}
	m.nodes = append([]float64(nil), nodes...)
	m.spline = s
	return nil
}

// setLate installs the late-time network on nodes that must be uniform, end
// at the domain's last N and lie inside the domain.
func (m *Model) setLate(nodes []float64, c curveNet) error {
	s, err := uniformSplineOn(nodes, "late nodes")
	if err != nil {
		return err
	}
	if k := len(nodes); nodes[0] < m.domain.N[0] || nodes[k-1] != m.domain.N[1] {
		return fmt.Errorf("late nodes [%v, %v] must end at the domain's N = %v and stay inside it", nodes[0], nodes[k-1], m.domain.N[1])
	}
	m.late, m.lateNodes, m.lateSpline = &c, append([]float64(nil), nodes...), s
	return nil
}

func checkDomain(d Domain, or0 float64) error {
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
