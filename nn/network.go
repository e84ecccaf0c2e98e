package nn

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// Layer is a dense layer: for an input row a (length In) its output is
// f(a·W + b), with
//
//	W[i*Out+j]  the weight from input i to output j (In×Out, row-major:
//	            the layout of a Keras Dense kernel and of mat.NewDense(In, Out, W)),
//	B[j]        the bias of output j.
//
// The fields are exported so that other packages can serialize a network;
// a Network built by hand or read from a file should be checked with
// Network.Validate before use.
type Layer struct {
	In, Out int
	Act     Activation
	W       []float64
	B       []float64
}

// Weights returns W as an In×Out matrix sharing the layer's storage.
func (l *Layer) Weights() *mat.Dense { return mat.NewDense(l.In, l.Out, l.W) }

// Network is a multilayer perceptron: Layers[0] reads the input, each
// following layer reads the output of the previous one.
//
// A Network is safe for concurrent reads (Predict, Forward with one
// Workspace per goroutine) but not for concurrent training.
type Network struct {
	Layers []Layer
}

// New returns a network with the given layer sizes (sizes[0] inputs,
// sizes[len(sizes)-1] outputs) and activations (acts[l] for the layer from
// sizes[l] to sizes[l+1]), with all weights and biases zero: call Init to
// randomize them.
func New(sizes []int, acts []Activation) (*Network, error) {
	if len(sizes) < 2 {
		return nil, fmt.Errorf("nn: need at least 2 layer sizes (inputs and outputs), got %d", len(sizes))
	}
	if len(acts) != len(sizes)-1 {
		return nil, fmt.Errorf("nn: %d layer sizes need %d activations, got %d", len(sizes), len(sizes)-1, len(acts))
	}
	n := 0
	for i, s := range sizes {
		if s < 1 {
			return nil, fmt.Errorf("nn: layer size %d is %d, want ≥ 1", i, s)
		}
		if i > 0 {
			n += (sizes[i-1] + 1) * s
		}
	}
	// One backing array, W then B per layer, the order of Params.
	p := make([]float64, n)
	net := &Network{Layers: make([]Layer, len(acts))}
	for l, act := range acts {
		in, out := sizes[l], sizes[l+1]
		net.Layers[l] = Layer{In: in, Out: out, Act: act,
			W: p[: in*out : in*out], B: p[in*out : (in+1)*out : (in+1)*out]}
		p = p[(in+1)*out:]
	}
	if err := net.Validate(); err != nil {
		return nil, err
	}
	return net, nil
}

// Validate reports whether the network is usable: at least one layer,
// consecutive sizes that match, weight and bias slices of the stated sizes,
// valid activations, Softmax only in the last layer, and finite parameters.
// The other methods panic on a network that fails Validate.
func (net *Network) Validate() error {
	if len(net.Layers) == 0 {
		return errors.New("nn: network has no layers")
	}
	for l := range net.Layers {
		ly := &net.Layers[l]
		switch {
		case ly.In < 1 || ly.Out < 1:
			return fmt.Errorf("nn: layer %d has size %d→%d, want ≥ 1", l, ly.In, ly.Out)
		case l > 0 && ly.In != net.Layers[l-1].Out:
			return fmt.Errorf("nn: layer %d has %d inputs, but layer %d has %d outputs", l, ly.In, l-1, net.Layers[l-1].Out)
		case len(ly.W) != ly.In*ly.Out:
			return fmt.Errorf("nn: layer %d has %d weights, want In·Out = %d", l, len(ly.W), ly.In*ly.Out)
		case len(ly.B) != ly.Out:
			return fmt.Errorf("nn: layer %d has %d biases, want Out = %d", l, len(ly.B), ly.Out)
		case !ly.Act.valid():
			return fmt.Errorf("nn: layer %d has invalid activation %v", l, ly.Act)
		case ly.Act == Softmax && l != len(net.Layers)-1:
			return fmt.Errorf("nn: layer %d: softmax is allowed only in the output layer", l)
		}
		for i, v := range ly.W {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("nn: layer %d: weight W[%d,%d] is %v", l, i/ly.Out, i%ly.Out, v)
			}
		}
		for j, v := range ly.B {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("nn: layer %d: bias B[%d] is %v", l, j, v)
			}
		}
	}
	return nil
}

// mustBeValid panics with the Validate error: using an invalid network is a
// programming error.
func (net *Network) mustBeValid() {
	if err := net.shapeError(); err != nil {
		panic(err)
	}
}

// shapeError is Validate without the scan of the parameter values.
func (net *Network) shapeError() error {
	if len(net.Layers) == 0 {
		return errors.New("nn: network has no layers")
	}
	for l := range net.Layers {
		ly := &net.Layers[l]
		if ly.In < 1 || ly.Out < 1 || (l > 0 && ly.In != net.Layers[l-1].Out) ||
			len(ly.W) != ly.In*ly.Out || len(ly.B) != ly.Out || !ly.Act.valid() ||
			(ly.Act == Softmax && l != len(net.Layers)-1) {
			return net.Validate()
		}
	}
	return nil
}

// Inputs returns the number of inputs of the network.
func (net *Network) Inputs() int { return net.Layers[0].In }

// Outputs returns the number of outputs of the network.
func (net *Network) Outputs() int { return net.Layers[len(net.Layers)-1].Out }

// NumParams returns the number of weights and biases, Σ (In+1)·Out.
func (net *Network) NumParams() int {
	n := 0
	for l := range net.Layers {
		n += (net.Layers[l].In + 1) * net.Layers[l].Out
	}
	return n
}

// Params copies the parameters into dst and returns it, allocating dst if
// it is nil. The order is, layer by layer, W (row-major In×Out) then B, so
// that the block of layer l is the row-major (In+1)×Out matrix [W; B].
// Params panics if dst is not nil and len(dst) != NumParams().
func (net *Network) Params(dst []float64) []float64 {
	net.mustBeValid()
	if dst == nil {
		dst = make([]float64, net.NumParams())
	}
	if len(dst) != net.NumParams() {
		panic(fmt.Sprintf("nn: Params: len(dst) = %d, want %d", len(dst), net.NumParams()))
	}
	p := dst
	for l := range net.Layers {
		ly := &net.Layers[l]
		p = p[copy(p, ly.W):]
		p = p[copy(p, ly.B):]
	}
	return dst
}

// SetParams copies p, in the order of Params, into the weights and biases.
// It panics if len(p) != NumParams().
func (net *Network) SetParams(p []float64) {
	net.mustBeValid()
	if len(p) != net.NumParams() {
		panic(fmt.Sprintf("nn: SetParams: len(p) = %d, want %d", len(p), net.NumParams()))
	}
	for l := range net.Layers {
		ly := &net.Layers[l]
		p = p[copy(ly.W, p):]
		p = p[copy(ly.B, p):]
	}
}

// Clone returns a deep copy of the network.
func (net *Network) Clone() *Network {
	net.mustBeValid()
	sizes := make([]int, len(net.Layers)+1)
	acts := make([]Activation, len(net.Layers))
	sizes[0] = net.Layers[0].In
	for l := range net.Layers {
		sizes[l+1] = net.Layers[l].Out
		acts[l] = net.Layers[l].Act
	}
	c, err := New(sizes, acts)
	if err != nil {
		panic(err)
	}
	c.SetParams(net.Params(nil))
	return c
}

// An Initializer fills the weights w of a layer with fanIn inputs and
// fanOut outputs from rnd. Biases are set to zero by Network.Init.
type Initializer func(w []float64, fanIn, fanOut int, rnd *rand.Rand)

// Normal returns the initializer w ~ N(0, std²), the paper's choice and
// Keras' RandomNormal(mean=0, stddev=std).
func Normal(std float64) Initializer {
	return func(w []float64, _, _ int, rnd *rand.Rand) {
		for i := range w {
			w[i] = std * rnd.NormFloat64()
		}
	}
}

// GlorotUniform draws w ~ U(−s, s) with s = √(6/(fanIn+fanOut)) (Glorot &
// Bengio 2010; the Keras default).
func GlorotUniform(w []float64, fanIn, fanOut int, rnd *rand.Rand) {
	uniform(w, math.Sqrt(6/float64(fanIn+fanOut)), rnd)
}

// GlorotNormal draws w ~ N(0, 2/(fanIn+fanOut)) (untruncated).
func GlorotNormal(w []float64, fanIn, fanOut int, rnd *rand.Rand) {
	Normal(math.Sqrt(2/float64(fanIn+fanOut)))(w, fanIn, fanOut, rnd)
}

// HeNormal draws w ~ N(0, 2/fanIn) (He et al. 2015, for ReLU; untruncated).
func HeNormal(w []float64, fanIn, fanOut int, rnd *rand.Rand) {
	Normal(math.Sqrt(2/float64(fanIn)))(w, fanIn, fanOut, rnd)
}

// HeUniform draws w ~ U(−s, s) with s = √(6/fanIn).
func HeUniform(w []float64, fanIn, fanOut int, rnd *rand.Rand) {
	uniform(w, math.Sqrt(6/float64(fanIn)), rnd)
}

func uniform(w []float64, s float64, rnd *rand.Rand) {
	for i := range w {
		w[i] = s * (2*rnd.Float64() - 1)
	}
}

// Init sets every layer's weights with init (layer by layer, in row-major
// order, so that the same rnd state gives the same network) and its biases
// to zero.
func (net *Network) Init(init Initializer, rnd *rand.Rand) {
	net.mustBeValid()
	for l := range net.Layers {
		ly := &net.Layers[l]
		init(ly.W, ly.In, ly.Out, rnd)
		clear(ly.B)
	}
}
