package nn

import (
	"fmt"

	"gonum.org/v1/gonum/mat"
)

// Workspace holds the buffers of single-sample forward passes through one
// network, so that Forward does not allocate. A Workspace must not be used
// by two goroutines at once. It reads the network's current weights at each
// call; the layer sizes must not change after NewWorkspace.
type Workspace struct {
	net  *Network
	a, b []float64
}

// NewWorkspace returns a workspace for Forward passes through net.
func (net *Network) NewWorkspace() *Workspace {
	net.mustBeValid()
	w := 0
	for l := range net.Layers {
		w = max(w, net.Layers[l].Out)
	}
	return &Workspace{net: net, a: make([]float64, w), b: make([]float64, w)}
}

// Forward computes the network output for one input row x and returns it.
// If dst is not nil the output is written there (len(dst) must be the
// number of outputs); otherwise the returned slice belongs to the workspace
// and is overwritten by the next call. The result has the same bits as the
// corresponding row of Predict. Forward panics if len(x) is not the number
// of inputs.
func (ws *Workspace) Forward(dst, x []float64) []float64 {
	layers := ws.net.Layers
	if len(x) != layers[0].In {
		panic(fmt.Sprintf("nn: Forward: len(x) = %d, want %d inputs", len(x), layers[0].In))
	}
	in, out, spare := x, ws.a, ws.b
	for l := range layers {
		ly := &layers[l]
		z := out[:ly.Out]
		gemv(z, in, ly.W, ly.Out)
		biasActivate(ly.Act, z, ly.B)
		in, out, spare = z, spare, out
	}
	if dst == nil {
		return in
	}
	if len(dst) != len(in) {
		panic(fmt.Sprintf("nn: Forward: len(dst) = %d, want %d outputs", len(dst), len(in)))
	}
	copy(dst, in)
	return dst
}

// predictRows is the block size of batched evaluation.
const predictRows = 256

// Predict sets the rows of dst to the network outputs for the rows of x,
// using GOMAXPROCS goroutines. dst must be empty (it is then resized) or
// have x's rows and one column per output; x must have one column per
// input. Predict allocates its buffers at each call; loop over
// Workspace.Forward for allocation-free single rows.
func (net *Network) Predict(dst *mat.Dense, x mat.Matrix) {
	net.mustBeValid()
	rows, cols := x.Dims()
	if cols != net.Inputs() {
		panic(fmt.Sprintf("nn: Predict: x has %d columns, want %d inputs", cols, net.Inputs()))
	}
	if rows == 0 {
		return
	}
	if dst.IsEmpty() {
		dst.ReuseAs(rows, net.Outputs())
	}
	if r, c := dst.Dims(); r != rows || c != net.Outputs() {
		panic(fmt.Sprintf("nn: Predict: dst is %d×%d, want %d×%d", r, c, rows, net.Outputs()))
	}
	xd, xs := rawRows(x)
	e := newEngine(net, min(rows, predictRows), 0, MSE, false)
	defer e.close()
	out := dst.RawMatrix()
	nout := net.Outputs()
	for b0 := 0; b0 < rows; b0 += e.maxRows {
		n := min(e.maxRows, rows-b0)
		e.setBlock(n, xd[b0*xs:], xs, nil, 0)
		e.forward()
		res := e.outputs()
		for r := 0; r < n; r++ {
			copy(out.Data[(b0+r)*out.Stride:(b0+r)*out.Stride+nout], res[r*nout:(r+1)*nout])
		}
	}
}
