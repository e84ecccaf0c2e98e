package chains

import (
	"encoding/json"
	"io"
	"math"
	"strconv"

	"github.com/cosmoemu/cosmoemu/internal/atomicfile"
)

// Float is a float64 whose JSON form is null when it is NaN or ±Inf (τ of
// a chain that never moved, R−1 of one step), so that a summary is always
// valid JSON; null decodes back as NaN.
type Float float64

// MarshalJSON writes the shortest decimal that reads back exactly, or null.
func (f Float) MarshalJSON() ([]byte, error) {
	v := float64(f)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, v, 'g', -1, 64), nil
}

// UnmarshalJSON reads a number, or null as NaN.
func (f *Float) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*f = Float(math.NaN())
		return nil
	}
	var v float64
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*f = Float(v)
	return nil
}

// Floats converts a slice for JSON (see Float).
func Floats(v []float64) []Float {
	out := make([]Float, len(v))
	for i, x := range v {
		out[i] = Float(x)
	}
	return out
}

// WriteSummary writes ROOT.summary.json (v, indented JSON) and, if text is
// not nil, ROOT.summary.txt, each atomically.
func WriteSummary(root string, v any, text func(io.Writer) error) error {
	js, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	if err := atomicfile.WriteBytes(root+SummaryJSONSuffix, append(js, '\n')); err != nil {
		return err
	}
	if text == nil {
		return nil
	}
	return atomicfile.Write(root+SummaryTextSuffix, text)
}
