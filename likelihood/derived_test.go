package likelihood

import (
	"math"
	"slices"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/cosmoemu/cosmoemu/backend"
	"github.com/cosmoemu/cosmoemu/cosmo"
	"github.com/cosmoemu/cosmoemu/param"
)

// The derived parameters are the χ² of Chi2, bit for bit, and r_d of the
// backend, one by one and in batches; LogProbDerived's ln P is LogProb's.
func TestDerived(t *testing.T) {
	var likes []Likelihood
	for _, name := range []string{"desi-dr2", "union3"} {
		l, _, err := Open(name, nil)
		if err != nil {
			t.Fatal(err)
		}
		likes = append(likes, l)
	}
	var params []param.Param
	for _, n := range []string{"Om", "H0", "ombh2"} {
		p, _ := cosmo.LCDM.Param(n)
		params = append(params, p)
	}
	space, err := param.NewSpace(params, []param.Prior{param.Uniform(0.1, 0.5), param.Uniform(50, 90), param.Uniform(0.02, 0.025)})
	if err != nil {
		t.Fatal(err)
	}
	post, err := NewPosterior(cosmo.LCDM, backend.Analytic{Early: cosmo.EarlyFitting}, likes, space, nil)
	if err != nil {
		t.Fatal(err)
	}
	names, labels := post.DerivedNames()
	if !slices.Equal(names, []string{"chi2", "chi2_desi-dr2", "chi2_union3", "rdrag"}) || len(labels) != len(names) {
		t.Fatalf("derived %v %v", names, labels)
	}
	rows := mat.NewDense(3, 3, []float64{0.3, 68, 0.0224, 0.7, 68, 0.0224, 0.31, 66, 0.0221})
	der := mat.NewDense(3, len(names), nil)
	dst := make([]float64, 3)
	post.LogProbBatchDerived(dst, rows, der)
	for i := range 3 {
		theta := rows.RawRowView(i)
		one := make([]float64, len(names))
		lp := post.LogProbDerived(theta, one)
		if want := post.LogProb(theta); lp != want && !(math.IsInf(lp, -1) && math.IsInf(want, -1)) || dst[i] != lp && !math.IsInf(lp, -1) {
			t.Errorf("row %d: ln P %v (batch %v), LogProb %v", i, lp, dst[i], want)
		}
		if math.IsInf(lp, -1) {
			continue
		}
		total, byData, err := post.Chi2(theta)
		if err != nil {
			t.Fatal(err)
		}
		want := append([]float64{total}, byData...)
		if !slices.Equal(one[:3], want) || !slices.Equal(der.RawRowView(i)[:3], want) {
			t.Errorf("row %d: derived %v (batch %v), want χ² %v", i, one, der.RawRowView(i), want)
		}
		if !(one[3] > 140 && one[3] < 160) || one[3] != der.At(i, 3) {
			t.Errorf("row %d: r_d %v (batch %v)", i, one[3], der.At(i, 3))
		}
	}
}
