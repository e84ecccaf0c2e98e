// Package netfile converts the networks and scalers of package nn to and
// from the network records of the model-file container (internal/modelfile):
// the container knows nothing of networks, and nn nothing of files.
//
// A network is recorded as its layers (in, out, activation, weight [in,
// out] and bias [out] arrays) and its input and output scalers (minmax,
// standard or identity), as docs/model-format.md describes.
package netfile

import (
	"fmt"
	"math"

	"github.com/cosmoemu/cosmoemu/internal/modelfile"
	"github.com/cosmoemu/cosmoemu/nn"
)

// Encode records net with its scalers (nil means identity) and the names
// of its inputs and outputs, its arrays in e.
func Encode(e *modelfile.Encoder, net *nn.Network, in, out nn.Scaler, inputs, outputs []string) modelfile.Network {
	nj := modelfile.Network{Inputs: inputs, Outputs: outputs, InputScaler: encodeScaler(e, in), OutputScaler: encodeScaler(e, out)}
	for _, l := range net.Layers {
		nj.Layers = append(nj.Layers, modelfile.Layer{
			In: l.In, Out: l.Out, Activation: l.Act.String(),
			Weight: e.Put(l.W, l.In, l.Out),
			Bias:   e.Put(l.B, l.Out),
		})
	}
	return nj
}

// encodeScaler records s (nil: identity), its arrays in e; it panics for a
// scaler type it does not know.
func encodeScaler(e *modelfile.Encoder, s nn.Scaler) modelfile.Scaler {
	switch s := s.(type) {
	case nil:
		return modelfile.Scaler{Kind: "identity"}
	case *nn.MinMaxScaler:
		lo, hi := s.Low, s.High
		if lo == 0 && hi == 0 {
			hi = 1
		}
		return modelfile.Scaler{Kind: "minmax", Low: lo, High: hi, Min: e.PutVector(s.Min), Max: e.PutVector(s.Max)}
	case *nn.StandardScaler:
		return modelfile.Scaler{Kind: "standard", Mean: e.PutVector(s.Mean), Std: e.PutVector(s.Std)}
	}
	panic(fmt.Sprintf("netfile: cannot encode scaler %T", s))
}

// Decode rebuilds the network of the record nj in f and its scalers (nil
// for identity), checking that it has the given numbers of inputs and
// outputs (outputs < 0: any). name names the network in errors.
func Decode(f *modelfile.File, nj modelfile.Network, name string, inputs, outputs int) (*nn.Network, nn.Scaler, nn.Scaler, error) {
	if len(nj.Layers) == 0 {
		return nil, nil, nil, fmt.Errorf("network %s: no layers", name)
	}
	net := &nn.Network{}
	for i, lj := range nj.Layers {
		what := fmt.Sprintf("network %s layer %d", name, i)
		act, err := nn.ParseActivation(lj.Activation)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("%s: %w", what, err)
		}
		if lj.In < 1 || lj.Out < 1 || lj.In > 1<<20 || lj.Out > 1<<20 {
			return nil, nil, nil, fmt.Errorf("%s: bad shape %d×%d", what, lj.In, lj.Out)
		}
		w, err := f.Tensor(&lj.Weight, what+" weight", lj.In, lj.Out)
		if err != nil {
			return nil, nil, nil, err
		}
		b, err := f.Tensor(&lj.Bias, what+" bias", lj.Out)
		if err != nil {
			return nil, nil, nil, err
		}
		net.Layers = append(net.Layers, nn.Layer{In: lj.In, Out: lj.Out, Act: act, W: w, B: b})
	}
	if err := net.Validate(); err != nil {
		return nil, nil, nil, fmt.Errorf("network %s: %w", name, err)
	}
	if net.Inputs() != inputs || (outputs >= 0 && net.Outputs() != outputs) {
		return nil, nil, nil, fmt.Errorf("network %s: %d inputs and %d outputs, want %d and %d", name, net.Inputs(), net.Outputs(), inputs, outputs)
	}
	in, err := decodeScaler(f, nj.InputScaler, name+" input scaler", net.Inputs())
	if err != nil {
		return nil, nil, nil, err
	}
	out, err := decodeScaler(f, nj.OutputScaler, name+" output scaler", net.Outputs())
	if err != nil {
		return nil, nil, nil, err
	}
	return net, in, out, nil
}

// decodeScaler rebuilds the scaler of cols columns of the record sj in f;
// identity gives nil. what names it in errors.
func decodeScaler(f *modelfile.File, sj modelfile.Scaler, what string, cols int) (nn.Scaler, error) {
	switch sj.Kind {
	case "identity":
		return nil, nil
	case "minmax":
		lo, err := f.Tensor(sj.Min, what+" min", cols)
		if err != nil {
			return nil, err
		}
		hi, err := f.Tensor(sj.Max, what+" max", cols)
		if err != nil {
			return nil, err
		}
		if !(sj.Low < sj.High) || math.IsInf(sj.Low, 0) || math.IsInf(sj.High, 0) {
			return nil, fmt.Errorf("%s: range [%v, %v] is not an interval", what, sj.Low, sj.High)
		}
		for j := range lo {
			if !(lo[j] <= hi[j]) {
				return nil, fmt.Errorf("%s: column %d has min %v > max %v", what, j, lo[j], hi[j])
			}
		}
		return &nn.MinMaxScaler{Low: sj.Low, High: sj.High, Min: lo, Max: hi}, nil
	case "standard":
		mean, err := f.Tensor(sj.Mean, what+" mean", cols)
		if err != nil {
			return nil, err
		}
		std, err := f.Tensor(sj.Std, what+" std", cols)
		if err != nil {
			return nil, err
		}
		for j, s := range std {
			if s < 0 {
				return nil, fmt.Errorf("%s: column %d has negative std %v", what, j, s)
			}
		}
		return &nn.StandardScaler{Mean: mean, Std: std}, nil
	}
	return nil, fmt.Errorf("%s: unknown kind %q", what, sj.Kind)
}
