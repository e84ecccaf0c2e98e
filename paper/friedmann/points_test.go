package friedmann

import (
	"math"
	"strings"
	"testing"
)

// FuzzReadPoints feeds the CSV reader of cosmoemu predict arbitrary text: it returns
// points or an error naming the file, never panics, and what it returns
// is finite.
func FuzzReadPoints(f *testing.F) {
	for _, s := range []string{
		"N,Om0,H0\n-1,0.3,65\n0,0.25,61\n",
		"H0, N ,Om0,x\n65,-1,0.3,\"a,b\"\n# comment\n",
		"N,Om0,H0\n\"-1\"x,0.3,65\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ReadPoints(strings.NewReader(s), "fuzz.csv")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.csv") {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		ns, oms, h0s, lines := p.N, p.Om0, p.H0, p.Lines
		if len(ns) == 0 || len(oms) != len(ns) || len(h0s) != len(ns) || len(lines) != len(ns) {
			t.Fatalf("%d, %d, %d values and %d lines", len(ns), len(oms), len(h0s), len(lines))
		}
		for i := range ns {
			for _, v := range []float64{ns[i], oms[i], h0s[i]} {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					t.Fatalf("line %d: %v", lines[i], v)
				}
			}
		}
	})
}
