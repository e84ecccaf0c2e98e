package emulator

import (
	"fmt"

	"github.com/cosmoemu/cosmoemu/internal/modelfile"
	"github.com/cosmoemu/cosmoemu/internal/netfile"
	"github.com/cosmoemu/cosmoemu/nn"
)

// friedmannPoint is the runtime of the paper recipe: one network (N, Ω_m0, H0) →
// (Ω_m, Ω_r, Ω_Λ, H).
type friedmannPoint struct{ net FriedmannNet }

func newPoint(n FriedmannNet) (*friedmannPoint, error) {
	switch {
	case n.Net == nil:
		return nil, fmt.Errorf("network point missing")
	case n.Net.Inputs() != 3 || n.Net.Outputs() != 4:
		return nil, fmt.Errorf("network point: %d inputs and %d outputs, want 3 and 4", n.Net.Inputs(), n.Net.Outputs())
	case n.Out == nil:
		return nil, fmt.Errorf("network point: needs an output scaler")
	}
	return &friedmannPoint{net: n}, nil
}

func (p *friedmannPoint) recipe() string { return RecipePaper }

func (p *friedmannPoint) nets() []namedNet {
	return []namedNet{{"point", &p.net, []string{"N", "Om0", "H0"}, []string{"Omega_m", "Omega_r", "Omega_L", "H"}}}
}

func (p *friedmannPoint) encode(e *modelfile.Encoder, h *friedmannHeader) {
	n := p.nets()[0]
	h.Networks[n.name] = netfile.Encode(e, n.net.Net, n.net.In, n.net.Out, n.inputs, n.outputs)
}

func decodePoint(f *modelfile.File, h *friedmannHeader) (*FriedmannNet, error) {
	n, err := decodeFriedmannNet(f, h, "point", 3, 4)
	return &n, err
}

type pointEval struct {
	p   *friedmannPoint
	ws  *nn.Workspace
	x   [3]float64
	out [4]float64
}

func (p *friedmannPoint) newEvaluator() evaluator {
	return &pointEval{p: p, ws: p.net.Net.NewWorkspace()}
}

func (ev *pointEval) eval(n, om0, h0 float64) Point {
	ev.x = [3]float64{n, om0, h0}
	x, out := ev.x[:], ev.out[:]
	net := &ev.p.net
	if net.In != nil {
		net.In.TransformRow(x, x)
	}
	ev.ws.Forward(out, x)
	net.Out.InverseRow(out, out)
	// The paper's output order is Ω_m, Ω_r, Ω_Λ, H.
	return normalized(out[1], out[0], out[2], out[3])
}
