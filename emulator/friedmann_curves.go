package emulator

import (
	"fmt"
	"math"

	"github.com/cosmoemu/cosmoemu/internal/modelfile"
	"github.com/cosmoemu/cosmoemu/internal/netfile"
	"github.com/cosmoemu/cosmoemu/nn"
)

// friedmannCurves is the runtime of the default recipe (see Curves).
type friedmannCurves struct {
	nodes  []float64
	spline *uniformSpline
	lnE    FriedmannNet // Ω_m0 → ln E(N_k)
	omega  FriedmannNet // Ω_m0 → (Ω_r(N_k), Ω_m(N_k))
	// late times, z ≤ LateZ: Ω_m0 → E(N_k) itself at the nodes lateNodes,
	// so that H = H0·E there needs no exponential (nil in files without it)
	late       *FriedmannNet
	lateNodes  []float64
	lateSpline *uniformSpline
}

// newCurves checks c against the domain d and makes its splines.
func newCurves(c FriedmannCurves, d FriedmannDomain) (*friedmannCurves, error) {
	k := len(c.Nodes)
	s, err := uniformSplineOn(c.Nodes, "nodes")
	if err != nil {
		return nil, err
	}
	if c.Nodes[0] > d.N[0] || c.Nodes[k-1] < d.N[1] {
		return nil, fmt.Errorf("nodes [%v, %v] do not cover the domain's N range %v", c.Nodes[0], c.Nodes[k-1], d.N)
	}
	for _, n := range []struct {
		name string
		net  FriedmannNet
		outs int
	}{{"lnE", c.LnE, k}, {"omega", c.Omega, 2 * k}} {
		if err := checkCurveNet(n.name, n.net, n.outs); err != nil {
			return nil, err
		}
	}
	cv := &friedmannCurves{nodes: append([]float64(nil), c.Nodes...), spline: s, lnE: c.LnE, omega: c.Omega}
	if (c.Late == nil) != (c.LateNodes == nil) {
		return nil, fmt.Errorf("network E_late and late_nodes come together")
	}
	if c.Late == nil {
		return cv, nil
	}
	ls, err := uniformSplineOn(c.LateNodes, "late nodes")
	if err != nil {
		return nil, err
	}
	if kl := len(c.LateNodes); c.LateNodes[0] < d.N[0] || c.LateNodes[kl-1] != d.N[1] {
		return nil, fmt.Errorf("late nodes [%v, %v] must end at the domain's N = %v and stay inside it", c.LateNodes[0], c.LateNodes[kl-1], d.N[1])
	}
	if err := checkCurveNet("E_late", *c.Late, len(c.LateNodes)); err != nil {
		return nil, err
	}
	late := *c.Late
	cv.late, cv.lateNodes, cv.lateSpline = &late, append([]float64(nil), c.LateNodes...), ls
	return cv, nil
}

// checkCurveNet checks that a curve network maps Ω_m0 to outs values and
// has both scalers.
func checkCurveNet(name string, n FriedmannNet, outs int) error {
	switch {
	case n.Net == nil:
		return fmt.Errorf("network %s missing", name)
	case n.Net.Inputs() != 1 || n.Net.Outputs() != outs:
		return fmt.Errorf("network %s: %d inputs and %d outputs, want 1 and %d", name, n.Net.Inputs(), n.Net.Outputs(), outs)
	case n.In == nil || n.Out == nil:
		return fmt.Errorf("network %s: needs input and output scalers", name)
	}
	return nil
}

func (c *friedmannCurves) recipe() string { return RecipeDefault }

func (c *friedmannCurves) nets() []namedNet {
	nets := []namedNet{
		{"lnE", &c.lnE, []string{"Om0"}, []string{"lnE(N_k)"}},
		{"omega", &c.omega, []string{"Om0"}, []string{"Omega_r(N_k)", "Omega_m(N_k)"}},
	}
	if c.late != nil {
		nets = append(nets, namedNet{"E_late", c.late, []string{"Om0"}, []string{"E(N_k), late nodes"}})
	}
	return nets
}

// encode writes the nodes before the networks and the late nodes before
// the late network: the order of the arrays in the file.
func (c *friedmannCurves) encode(e *modelfile.Encoder, h *friedmannHeader) {
	h.Nodes = e.PutVector(c.nodes)
	for _, n := range c.nets() {
		if n.name == "E_late" {
			h.LateNodes = e.PutVector(c.lateNodes)
		}
		h.Networks[n.name] = netfile.Encode(e, n.net.Net, n.net.In, n.net.Out, n.inputs, n.outputs)
	}
}

// decodeCurves reads the default recipe's arrays and networks.
func decodeCurves(f *modelfile.File, h *friedmannHeader) (*FriedmannCurves, error) {
	nodes, err := f.Tensor(h.Nodes, "nodes", -1)
	if err != nil {
		return nil, err
	}
	c := &FriedmannCurves{Nodes: nodes}
	k := len(nodes)
	for _, n := range []struct {
		name string
		dst  *FriedmannNet
		outs int
	}{{"lnE", &c.LnE, k}, {"omega", &c.Omega, 2 * k}} {
		if *n.dst, err = decodeFriedmannNet(f, h, n.name, 1, n.outs); err != nil {
			return nil, err
		}
	}
	if _, ok := h.Networks["E_late"]; ok || h.LateNodes != nil {
		if !ok || h.LateNodes == nil {
			return nil, fmt.Errorf("network E_late and late_nodes come together")
		}
		if c.LateNodes, err = f.Tensor(h.LateNodes, "late_nodes", -1); err != nil {
			return nil, err
		}
		late, err := decodeFriedmannNet(f, h, "E_late", 1, len(c.LateNodes))
		if err != nil {
			return nil, err
		}
		c.Late = &late
	}
	return c, nil
}

// isLate reports whether H at N comes from the late-time network.
func (c *friedmannCurves) isLate(n float64) bool {
	return c.late != nil && n >= c.lateNodes[0]
}

// curveEval holds the node values of one Ω_m0 and their splines.
type curveEval struct {
	c            *friedmannCurves
	x            [1]float64
	lnEWS, omWS  *nn.Workspace
	lnE, omega   []float64 // physical node values: K, 2K
	mLnE, mR, mM []float64 // spline second derivatives
	lateWS       *nn.Workspace
	late, mLate  []float64 // E at the late nodes and its spline
	lastOm0      float64   // Ω_m0 of the node values held, NaN if none
}

func (c *friedmannCurves) newEvaluator() evaluator {
	k := len(c.nodes)
	ev := &curveEval{
		c:       c,
		lastOm0: math.NaN(),
		lnEWS:   c.lnE.Net.NewWorkspace(),
		omWS:    c.omega.Net.NewWorkspace(),
		lnE:     make([]float64, k),
		omega:   make([]float64, 2*k),
		mLnE:    make([]float64, k),
		mR:      make([]float64, k),
		mM:      make([]float64, k),
	}
	if c.late != nil {
		ev.lateWS = c.late.Net.NewWorkspace()
		ev.late = make([]float64, len(c.lateNodes))
		ev.mLate = make([]float64, len(c.lateNodes))
	}
	return ev
}

// forward sets dst to the physical outputs of n at Ω_m0.
func (ev *curveEval) forward(dst []float64, n *FriedmannNet, ws *nn.Workspace, om0 float64) {
	x := ev.x[:]
	x[0] = om0
	n.In.TransformRow(x, x)
	ws.Forward(dst, x)
	n.Out.InverseRow(dst, dst)
}

// nodesFor evaluates the networks at Ω_m0 and fits the splines, unless they
// already hold that Ω_m0.
func (ev *curveEval) nodesFor(om0 float64) {
	if om0 == ev.lastOm0 {
		return
	}
	c := ev.c
	k := len(c.nodes)
	ev.forward(ev.lnE, &c.lnE, ev.lnEWS, om0)
	ev.forward(ev.omega, &c.omega, ev.omWS, om0)
	c.spline.fit(ev.mLnE, ev.lnE)
	c.spline.fit(ev.mR, ev.omega[:k])
	c.spline.fit(ev.mM, ev.omega[k:])
	if c.late != nil {
		ev.forward(ev.late, c.late, ev.lateWS, om0)
		c.lateSpline.fit(ev.mLate, ev.late)
	}
	ev.lastOm0 = om0
}

func (ev *curveEval) eval(n, om0, h0 float64) Point {
	ev.nodesFor(om0)
	c := ev.c
	k := len(c.nodes)
	s := c.spline
	or := s.eval(ev.omega[:k], ev.mR, n)
	om := s.eval(ev.omega[k:], ev.mM, n)
	var h float64
	if c.isLate(n) {
		h = h0 * c.lateSpline.eval(ev.late, ev.mLate, n)
	} else {
		h = h0 * math.Exp(s.eval(ev.lnE, ev.mLnE, n))
	}
	return normalized(or, om, 1-or-om, h)
}
