package main

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"
)

type jsonInner struct {
	A float64 `json:"a"`
}

type jsonOuter struct {
	jsonInner
	X      float64            `json:"x"`
	P      *float64           `json:"p,omitempty"`
	S      []float64          `json:"s"`
	M      map[string]float64 `json:"m"`
	Empty  []int              `json:"empty,omitempty"`
	Hidden float64            `json:"-"`
	N      int                `json:"n"`
	Name   string
}

// TestWriteJSONNonFinite: whatever a command prints with -json is valid
// JSON: a NaN or an infinity anywhere (a field, a pointer, a slice, a map,
// an embedded struct) is null, and everything else is as encoding/json
// writes it.
func TestWriteJSONNonFinite(t *testing.T) {
	inf, nan := math.Inf(1), math.NaN()
	v := jsonOuter{jsonInner: jsonInner{A: nan}, X: 1.5, P: &inf, S: []float64{1, nan, -inf}, M: map[string]float64{"k": nan, "j": 2},
		Empty: []int{}, Hidden: nan, N: 3, Name: "n"}
	var b bytes.Buffer
	if err := writeJSON(&b, v); err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatalf("%v: %s", err, b.String())
	}
	want := `{"Name":"n","a":null,"m":{"j":2,"k":null},"n":3,"p":null,"s":[1,null,null],"x":1.5}`
	if c, _ := json.Marshal(got); string(c) != want {
		t.Errorf("got %s\nwant %s", c, want)
	}
	// Finite values: the bytes of encoding/json.
	f := jsonOuter{jsonInner: jsonInner{A: 1}, S: []float64{2}, Name: "n"}
	var direct, ours bytes.Buffer
	enc := json.NewEncoder(&direct)
	enc.SetIndent("", "  ")
	enc.Encode(f)
	writeJSON(&ours, f)
	if direct.String() != ours.String() {
		t.Errorf("finite: %s, want %s", ours.String(), direct.String())
	}
}
