package likelihood

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/cosmoemu/cosmoemu/backend"
	"github.com/cosmoemu/cosmoemu/cosmo"
	"github.com/cosmoemu/cosmoemu/param"
)

// LogProbBatch gives LogProb's value for every row: inside the prior,
// outside it (−Inf without a backend call) and where the model is
// unphysical (−Inf, counted).
func TestLogProbBatch(t *testing.T) {
	l, _, err := Open("desi-dr2", nil)
	if err != nil {
		t.Fatal(err)
	}
	var params []param.Param
	for _, n := range []string{"Om", "w0", "wa", "H0"} {
		p, _ := cosmo.W0WaCDM.Param(n)
		params = append(params, p)
	}
	space, err := param.NewSpace(params, []param.Prior{param.Uniform(0.1, 0.5), param.Uniform(-3, 1), param.Uniform(-3, 2), param.Uniform(50, 90)})
	if err != nil {
		t.Fatal(err)
	}
	post, err := NewPosterior(cosmo.W0WaCDM, backend.Analytic{}, []Likelihood{l}, space, map[string]float64{"ombh2": 0.0224})
	if err != nil {
		t.Fatal(err)
	}
	rows := mat.NewDense(4, 4, []float64{
		0.3, -0.9, -0.3, 68, // inside
		0.7, -0.9, -0.3, 68, // outside the prior
		0.3, 0.5, 0.5, 68, // w0 + wa ≥ 0: unphysical
		0.31, -0.7, -1, 66, // inside
	})
	got := make([]float64, 4)
	post.LogProbBatch(got, rows)
	for i := range 4 {
		want := post.LogProb(rows.RawRowView(i))
		if got[i] != want && !(math.IsInf(got[i], -1) && math.IsInf(want, -1)) {
			t.Errorf("row %d: batch %v, one by one %v", i, got[i], want)
		}
	}
	if !(got[0] > math.Inf(-1)) || !math.IsInf(got[1], -1) || !math.IsInf(got[2], -1) || !(got[3] > math.Inf(-1)) {
		t.Errorf("batch %v: want finite, −Inf, −Inf, finite", got)
	}
	if n := post.Unphysical(); n != 2 { // the unphysical row, once per call
		t.Errorf("%d unphysical points counted, want 2", n)
	}
}
