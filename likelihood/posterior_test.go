package likelihood

import (
	"math"
	"strings"
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

// TestOmch2: the matter may be sampled as ω_c; the posterior derives Om
// at every point (cosmo.Params.Resolve), and its χ² is that of the same
// point given by Om. Om and omch2 together, and omch2 without ombh2, are
// refused.
func TestOmch2(t *testing.T) {
	likes := []Likelihood{openSet(t, "desi-dr2"), openSet(t, "bbn")}
	decl := func(names ...string) ([]param.Param, []param.Prior) {
		var ps []param.Param
		var prs []param.Prior
		for _, n := range names {
			p, err := cosmo.LCDM.Param(n)
			if err != nil {
				t.Fatal(err)
			}
			ps, prs = append(ps, p), append(prs, p.DefaultPrior())
		}
		return ps, prs
	}
	ps, prs := decl("omch2", "H0", "ombh2")
	space, err := param.NewSpace(ps, prs)
	if err != nil {
		t.Fatal(err)
	}
	post, err := NewPosterior(cosmo.LCDM, backend.Analytic{}, likes, space, nil)
	if err != nil {
		t.Fatal(err)
	}
	theta := []float64{0.118, 68.5, 0.0222}
	p := post.Params(theta)
	h := 0.685
	if want := (0.0222+0.118)/(h*h) + p.OmegaNu(); math.Abs(p.Om-want) > 1e-15 || !p.HasOmch2 {
		t.Errorf("Om = %.17g, want %.17g", p.Om, want)
	}
	c1, _, err := post.Chi2(theta)
	if err != nil {
		t.Fatal(err)
	}
	ps, prs = decl("Om", "H0", "ombh2")
	space2, _ := param.NewSpace(ps, prs)
	post2, err := NewPosterior(cosmo.LCDM, backend.Analytic{}, likes, space2, nil)
	if err != nil {
		t.Fatal(err)
	}
	c2, _, err := post2.Chi2([]float64{p.Om, 68.5, 0.0222})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(c1-c2) > 1e-9*c2 {
		t.Errorf("χ² sampling ω_c %.12g, sampling Om %.12g", c1, c2)
	}
	// ω_c so large that Om > 1: unphysical, counted, not a failure.
	if lp := post.LogProb([]float64{0.9, 60, 0.0222}); !math.IsInf(lp, -1) || post.Unphysical() != 1 || post.Failures() != 0 {
		t.Errorf("Om > 1: ln P = %v, %d unphysical, %d failures", lp, post.Unphysical(), post.Failures())
	}
	ps, prs = decl("Om", "omch2", "H0", "ombh2")
	space3, _ := param.NewSpace(ps, prs)
	if _, err := NewPosterior(cosmo.LCDM, backend.Analytic{}, likes, space3, nil); err == nil || !strings.Contains(err.Error(), "the matter is given twice, as Om and as omch2") {
		t.Errorf("Om and omch2: %v", err)
	}
	ps, prs = decl("omch2", "H0")
	space4, _ := param.NewSpace(ps, prs)
	if _, err := NewPosterior(cosmo.LCDM, backend.Analytic{}, []Likelihood{openSet(t, "cc31")}, space4, nil); err == nil || !strings.Contains(err.Error(), "omch2 gives the matter only with ombh2") {
		t.Errorf("omch2 without ombh2: %v", err)
	}
	if _, err := NewPosterior(cosmo.LCDM, backend.Analytic{}, []Likelihood{openSet(t, "cc31")}, space4, map[string]float64{"ombh2": 0.0224}); err != nil {
		t.Errorf("omch2 with ombh2 fixed: %v", err)
	}
}
