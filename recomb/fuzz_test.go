package recomb

import (
	"errors"
	"math"
	"testing"
)

// FuzzSolve checks that Solve never panics and never returns NaN without
// an error, for any parameters of a ΛCDM-like background (H scaled by a
// factor, which also probes backgrounds without recombination).
func FuzzSolve(f *testing.F) {
	f.Add(0.02237, 0.12, 67.36, 0.0, 3.046, 0.0, 1.0)
	f.Add(0.005, 0.3, 90.0, 0.3, 2.0, 2.9, 1.0)
	f.Add(0.04, 0.05, 50.0, 0.2, 10.0, 2.5, 30.0)
	f.Add(1e-5, 0.12, 67.0, 0.24, 3.0, 0.0, 1e3)
	f.Fuzz(func(t *testing.T, ob, oc, h0, yhe, neff, tcmb, scale float64) {
		if !(h0 > 1 && h0 < 1000) || !(oc >= 0 && oc < 10) || !(scale > 1e-3 && scale < 1e6) {
			t.Skip()
		}
		base := lcdmMassless(h0, math.Abs(ob), oc)
		c := Cosmology{OmegaBH2: ob, YHe: yhe, TCMB: tcmb, NEff: neff, Hubble: func(z float64) float64 { return scale * base(z) }}
		var h History
		err := Solve(&h, &c, nil)
		if err != nil {
			var pe *ParamError
			var ee *EpochError
			if !errors.As(err, &pe) && !errors.As(err, &ee) && c.Hubble != nil {
				t.Fatalf("unexpected error type %T: %v", err, err)
			}
			return
		}
		e := h.Epochs()
		for _, v := range []float64{e.ZStar, e.ZDrag, e.RStar, e.RDrag, h.Xe(e.ZStar), h.YHe()} {
			if math.IsNaN(v) || math.IsInf(v, 0) || v <= 0 {
				t.Fatalf("%+v: non-finite or non-positive result %v without an error: %+v", c, v, e)
			}
		}
	})
}

// FuzzParsePRIMAT checks that the BBN table parser rejects what is not a
// table instead of panicking.
func FuzzParsePRIMAT(f *testing.F) {
	f.Add(primatTable)
	f.Add([]byte("# ombh2 DeltaN Yp^BBN\n0.01 0 0.2\n0.02 0 0.21\n"))
	f.Add([]byte("# ombh2 DeltaN Yp^BBN\nNaN 0 0.2\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		g, err := parsePRIMAT(b)
		if err != nil {
			return
		}
		if len(g.omegaB) < 4 || len(g.deltaN) < 4 {
			t.Fatalf("accepted a %d×%d grid", len(g.omegaB), len(g.deltaN))
		}
	})
}
