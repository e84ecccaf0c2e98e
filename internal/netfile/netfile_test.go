package netfile

import (
	"crypto/sha256"
	"testing"

	"github.com/cosmoemu/cosmoemu/internal/modelfile"
	"github.com/cosmoemu/cosmoemu/nn"
)

type header struct {
	Nets map[string]modelfile.Network `json:"nets"`
}

// TestRoundTrip: a network and its scalers come back from a model file
// as they went in; wrong shapes are errors.
func TestRoundTrip(t *testing.T) {
	net, err := nn.New([]int{2, 3, 1}, []nn.Activation{nn.Tanh, nn.Linear})
	if err != nil {
		t.Fatal(err)
	}
	for i := range net.Layers {
		for j := range net.Layers[i].W {
			net.Layers[i].W[j] = float64(i+1) * 0.1 * float64(j-2)
		}
	}
	in := &nn.StandardScaler{Mean: []float64{1, 2}, Std: []float64{3, 0}}
	out := &nn.MinMaxScaler{Low: -1, High: 1, Min: []float64{5}, Max: []float64{7}}
	var e modelfile.Encoder
	h := header{Nets: map[string]modelfile.Network{"n": Encode(&e, net, in, out, []string{"a", "b"}, []string{"y"})}}
	b, err := e.Encode(&h)
	if err != nil {
		t.Fatal(err)
	}
	f, err := modelfile.Decode(b, "x.bin")
	if err != nil {
		t.Fatal(err)
	}
	var back header
	if err := f.DecodeHeader(&back); err != nil {
		t.Fatal(err)
	}
	got, gin, gout, err := Decode(f, back.Nets["n"], "n", 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	x := []float64{0.3, -0.7}
	want := net.NewWorkspace().Forward(nil, x)[0]
	if v := got.NewWorkspace().Forward(nil, x)[0]; v != want {
		t.Errorf("decoded network gives %v, want %v", v, want)
	}
	if s := gin.(*nn.StandardScaler); s.Std[1] != 0 || s.Mean[0] != 1 {
		t.Errorf("input scaler %+v", s)
	}
	if s := gout.(*nn.MinMaxScaler); s.Low != -1 || s.Max[0] != 7 {
		t.Errorf("output scaler %+v", s)
	}
	if _, _, _, err := Decode(f, back.Nets["n"], "n", 3, 1); err == nil {
		t.Error("no error for a wrong number of inputs")
	}
}

// FuzzDecode feeds the network reader whatever decodes, from a seed of a
// file holding a 1→1 network. Random mutations rarely survive the
// checksum, so each input is also tried with its checksum recomputed.
func FuzzDecode(f *testing.F) {
	net, err := nn.New([]int{1, 1}, []nn.Activation{nn.Tanh})
	if err != nil {
		f.Fatal(err)
	}
	var e modelfile.Encoder
	b, err := e.Encode(header{Nets: map[string]modelfile.Network{"n": Encode(&e, net, &nn.MinMaxScaler{Min: []float64{0}, Max: []float64{1}}, nil, nil, nil)}})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Fuzz(func(t *testing.T, b []byte) {
		try := func(b []byte) {
			file, err := modelfile.Decode(b, "fuzz.bin")
			if err != nil {
				return
			}
			var h header
			if file.DecodeHeader(&h) != nil {
				return
			}
			for name, nj := range h.Nets {
				Decode(file, nj, name, 1, -1)
			}
		}
		try(b)
		if len(b) >= modelfile.PrefixLen+modelfile.ChecksumLen {
			c := append([]byte(nil), b...)
			sum := sha256.Sum256(c[:len(c)-modelfile.ChecksumLen])
			copy(c[len(c)-modelfile.ChecksumLen:], sum[:])
			try(c)
		}
	})
}
