package emulator

import (
	"fmt"

	"github.com/cosmoemu/cosmoemu/nn"
)

// Net is a trained network with its input and output maps. For physical
// inputs x (Inputs, e.g. ln Ωm) and the radiation coordinate u,
//
//	t = a + (x − Min)·(b − a)/(Max − Min)          (In: min-max to [a, b] = [−1, 1])
//	h = the hidden layers of Net at t                (tanh)
//	y = W h + c + Sᵀ q(t)                            (the linear output layer and the skip)
//	v = Mean + Std ∘ y
//	value_j = Σ_{p=0}^{UDegree} u^p v[p·len(Outputs) + j]
//
// where q(t) = (t_1, …, t_d, t_1t_1, t_1t_2, …, t_dt_d) holds the inputs and
// their products i ≤ j: a quadratic in the inputs that the training solves
// jointly with W and c, so that the hidden layers learn only what a
// quadratic cannot. With UDegree = 2 the values are quadratics in u: the
// network then predicts, for each output, its value and its first two
// derivatives in the radiation density, on which the late-time quantities
// depend weakly and smoothly (docs/emulators.md).
type Net struct {
	Inputs  []string // names of the physical inputs x
	Outputs []string // names of the values (per power of u)
	// Net holds the hidden layers (tanh) and a linear output layer with
	// len(Outputs)·(UDegree+1) outputs.
	Net       *nn.Network
	In        *nn.MinMaxScaler // to [−1, 1]
	Mean, Std []float64        // per output column
	// Skip is the len(q)×columns matrix S, row-major.
	Skip    []float64
	UDegree int
}

// SkipLen returns the number of skip features of d inputs: d + d(d+1)/2.
func SkipLen(d int) int { return d + d*(d+1)/2 }

// SkipFeatures writes q(t) to dst (length SkipLen(len(t))).
func SkipFeatures(dst, t []float64) {
	d := len(t)
	copy(dst, t)
	k := d
	for i := range d {
		for j := i; j < d; j++ {
			dst[k] = t[i] * t[j]
			k++
		}
	}
}

// columns returns the number of output columns.
func (n *Net) columns() int { return len(n.Outputs) * (n.UDegree + 1) }

// check reports a network whose parts do not fit together.
func (n *Net) check(name string) error {
	d := len(n.Inputs)
	if d == 0 || len(n.Outputs) == 0 {
		return fmt.Errorf("network %s: no inputs or outputs", name)
	}
	if n.UDegree < 0 || n.UDegree > 2 {
		return fmt.Errorf("network %s: radiation degree %d, want 0, 1 or 2", name, n.UDegree)
	}
	if err := n.Net.Validate(); err != nil {
		return fmt.Errorf("network %s: %w", name, err)
	}
	layers := n.Net.Layers
	if len(layers) < 2 {
		return fmt.Errorf("network %s: %d layers, want hidden layers and an output layer", name, len(layers))
	}
	for l, ly := range layers[:len(layers)-1] {
		if ly.Act != nn.Tanh {
			return fmt.Errorf("network %s: hidden layer %d has activation %v, want tanh", name, l, ly.Act)
		}
	}
	if last := layers[len(layers)-1]; last.Act != nn.Linear {
		return fmt.Errorf("network %s: output layer has activation %v, want linear", name, last.Act)
	}
	cols := n.columns()
	switch {
	case n.Net.Inputs() != d:
		return fmt.Errorf("network %s: %d inputs, want %d (%v)", name, n.Net.Inputs(), d, n.Inputs)
	case n.Net.Outputs() != cols:
		return fmt.Errorf("network %s: %d outputs, want %d", name, n.Net.Outputs(), cols)
	case n.In == nil || len(n.In.Min) != d || len(n.In.Max) != d || n.In.Low != -1 || n.In.High != 1:
		return fmt.Errorf("network %s: the input scaler must map %d columns to [−1, 1]", name, d)
	case len(n.Mean) != cols || len(n.Std) != cols:
		return fmt.Errorf("network %s: output scaling has %d means and %d scales, want %d", name, len(n.Mean), len(n.Std), cols)
	case len(n.Skip) != SkipLen(d)*cols:
		return fmt.Errorf("network %s: skip matrix has %d elements, want %d", name, len(n.Skip), SkipLen(d)*cols)
	}
	for j := range d {
		if !(n.In.Max[j] > n.In.Min[j]) {
			return fmt.Errorf("network %s: input %s has range [%v, %v]", name, n.Inputs[j], n.In.Min[j], n.In.Max[j])
		}
	}
	for j, s := range n.Std {
		if !(s > 0) {
			return fmt.Errorf("network %s: output column %d has scale %v, want > 0", name, j, s)
		}
	}
	return nil
}

// hidden returns the network of the hidden layers (sharing the weights).
func (n *Net) hidden() *nn.Network {
	return &nn.Network{Layers: n.Net.Layers[:len(n.Net.Layers)-1]}
}

// width returns the number of units of the last hidden layer.
func (n *Net) width() int { return n.Net.Layers[len(n.Net.Layers)-1].In }

// folded returns the affine map from the feature vector
//
//	z = (h, q(t), 1, u·h, u·q(t), u, u²·h, …)    (blocks of width(h)+len(q)+1, one per power of u)
//
// to the values of the outputs selected by rows: rows[r] lists
// (output index, weight) pairs and value r = Σ weight·value_output. The
// result is a linear layer with len(rows) outputs (the combined weights
// of the output layer, the skip, the output scaling and the rows), so that
// evaluating any fixed linear combination of outputs, such as the
// interpolation of node values at the redshifts of a Request, costs one
// matrix–vector product on the nn package's kernels.
func (n *Net) folded(rows [][]weighted) nn.Layer {
	last := n.Net.Layers[len(n.Net.Layers)-1]
	w := last.In
	nq := SkipLen(len(n.Inputs))
	block := w + nq + 1
	nb := n.UDegree + 1
	in := nb * block
	out := len(rows)
	cols := n.columns()
	no := len(n.Outputs)
	ly := nn.Layer{In: in, Out: out, Act: nn.Linear, W: make([]float64, in*out), B: make([]float64, out)}
	for r, terms := range rows {
		for _, tw := range terms {
			for p := range nb {
				c := p*no + tw.index
				g := tw.weight * n.Std[c]
				base := p * block
				for j := range w {
					ly.W[(base+j)*out+r] += g * last.W[j*cols+c]
				}
				for f := range nq {
					ly.W[(base+w+f)*out+r] += g * n.Skip[f*cols+c]
				}
				// The constant of block p: the mean and the bias.
				k := (base + w + nq) * out
				ly.W[k+r] += tw.weight*n.Mean[c] + g*last.B[c]
			}
		}
	}
	return ly
}

// weighted is one term of a linear combination of outputs.
type weighted struct {
	index  int
	weight float64
}

// netEval evaluates a Net without allocating: the hidden layers, then the
// feature vector z of folded, then any number of folded layers.
type netEval struct {
	n      *Net
	t, q   []float64
	hidden *nn.Workspace
	z      []float64
}

func newNetEval(n *Net) *netEval {
	d := len(n.Inputs)
	nq := SkipLen(d)
	return &netEval{n: n, t: make([]float64, d), q: make([]float64, nq),
		hidden: n.hidden().NewWorkspace(),
		z:      make([]float64, (n.UDegree+1)*(n.width()+nq+1))}
}

// features fills e.z for physical inputs x and radiation coordinate u and
// returns it.
func (e *netEval) features(x []float64, u float64) []float64 {
	e.n.In.TransformRow(e.t, x)
	SkipFeatures(e.q, e.t)
	w := e.n.width()
	nq := len(e.q)
	block := w + nq + 1
	z := e.z
	e.hidden.Forward(z[:w], e.t)
	copy(z[w:w+nq], e.q)
	z[w+nq] = 1
	up := u
	for p := 1; p <= e.n.UDegree; p++ {
		dst := z[p*block : (p+1)*block]
		for j, v := range z[:block] {
			dst[j] = up * v
		}
		up *= u
	}
	return z
}
