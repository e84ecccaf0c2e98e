package sdss

import (
	"crypto/sha256"
	"encoding/binary"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/cosmoemu/cosmoemu/internal/modelfile"
)

// FuzzRead feeds Read arbitrary CSV text, from seeds of a few lines: it
// returns a table whose shapes agree, or a *ParseError naming the file,
// never panics.
func FuzzRead(f *testing.F) {
	for _, s := range []string{
		"ra,redshift,class\n180,0.0001,STAR\n181,0.08,galaxy\n",
		"\ufeff redshift ,ra\n\"1.5\",  183\r\n",
		"ra,redshift,class\n180,n/a,STAR\n",
		"ra,ra\n1,2\n",
	} {
		f.Add(s)
	}
	features := []string{"ra", "redshift"}
	f.Fuzz(func(t *testing.T, s string) {
		tb, err := Read(strings.NewReader(s), "fuzz.csv", features, false)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.csv") && !strings.HasPrefix(err.Error(), "sdss: fuzz.csv") {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		r, c := tb.X.Dims()
		if r != tb.Rows() || c != len(features) || (tb.Class != nil && len(tb.Class) != r) {
			t.Fatalf("X %d×%d, %d lines, %d classes", r, c, tb.Rows(), len(tb.Class))
		}
		for _, v := range tb.X.RawMatrix().Data {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("value %v", v)
			}
		}
	})
}

// tinyClassifier is the header of a hand-made classifier file (one feature,
// a single softmax layer) and its arrays: a seed of a few hundred bytes.
const tinyClassifier = `{"format":"cosmoemu-classifier","classes":["GALAXY","QSO","STAR"],"features":["redshift"],"asinh":[{"feature":"redshift","scale":0.001}],` +
	`"network":{"layers":[{"in":1,"out":3,"activation":"softmax","weight":{"dtype":"<f8","offset":0,"shape":[1,3]},"bias":{"dtype":"<f8","offset":24,"shape":[3]}}],` +
	`"input_scaler":{"kind":"standard","mean":{"dtype":"<f8","offset":48,"shape":[1]},"std":{"dtype":"<f8","offset":56,"shape":[1]}},"output_scaler":{"kind":"identity"}}}`

var tinyArrays = []float64{1, 2, -3, 0.1, 0.2, 0.3, 5, 2}

// classifierFile returns the model file of a header and arrays.
func classifierFile(header string, data []float64) []byte {
	for (modelfile.PrefixLen+len(header))%8 != 0 {
		header += " "
	}
	b := []byte(modelfile.Magic)
	b = binary.LittleEndian.AppendUint32(b, modelfile.Version)
	b = binary.LittleEndian.AppendUint32(b, 0)
	b = binary.LittleEndian.AppendUint64(b, uint64(len(header)))
	b = append(b, header...)
	for _, v := range data {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
	}
	sum := sha256.Sum256(b)
	return append(b, sum[:]...)
}

// FuzzDecode feeds Decode classifier files whose header is arbitrary (the
// container is fuzzed in internal/modelfile): whatever loads labels rows
// without panicking.
func FuzzDecode(f *testing.F) {
	f.Add(tinyClassifier)
	f.Fuzz(func(t *testing.T, header string) {
		c, err := Decode(classifierFile(header, tinyArrays))
		if err != nil {
			if c != nil {
				t.Fatal("a classifier and an error")
			}
			return
		}
		x := mat.NewDense(2, len(c.Features), nil)
		x.Set(1, 0, 1.5)
		var p mat.Dense
		if err := c.Probabilities(&p, &Table{Name: "rows", Features: c.Features, X: x, Line: []int{2, 3}}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.MarshalBinary(); err != nil {
			t.Fatalf("a loaded classifier does not encode: %v", err)
		}
	})
}

func TestTinyClassifier(t *testing.T) {
	c, err := Decode(classifierFile(tinyClassifier, tinyArrays))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Features) != 1 || len(c.Asinh) != 1 {
		t.Errorf("%+v", c)
	}
}
