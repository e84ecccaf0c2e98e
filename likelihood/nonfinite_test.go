package likelihood

import (
	"errors"
	"io"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/cosmoemu/cosmoemu/backend"
	"github.com/cosmoemu/cosmoemu/cosmo"
	"github.com/cosmoemu/cosmoemu/param"
)

// constLike is a likelihood whose χ² is a constant, counting its calls.
type constLike struct {
	name  string
	chi2  float64
	calls atomic.Int64
}

func (c *constLike) Name() string                     { return c.name }
func (c *constLike) Len() int                         { return 1 }
func (c *constLike) Needs() Needs                     { return Needs{} }
func (c *constLike) WriteContent(w io.Writer)         { io.WriteString(w, c.name) }
func (c *constLike) Bind(*Requirements) (Term, error) { return constTerm{c}, nil }

type constTerm struct{ c *constLike }

func (constTerm) WorkLen() int     { return 0 }
func (constTerm) LogNorm() float64 { return 0 }
func (t constTerm) Chi2(*Theory) float64 {
	t.c.calls.Add(1)
	return t.c.chi2
}

// TestNonFiniteChi2: the first term (in order) with a non-finite χ² names
// the failure, +Inf as an impossible point (a cosmo.PointError), NaN or
// −Inf as a failure of that data set; finite terms whose sum overflows
// give a non-finite total. Each term is evaluated once per point.
func TestNonFiniteChi2(t *testing.T) {
	om, _ := cosmo.LCDM.Param("Om")
	space, err := param.NewSpace([]param.Param{om}, []param.Prior{param.Uniform(0.1, 0.5)})
	if err != nil {
		t.Fatal(err)
	}
	inf, nan := 1/zero, zero/zero
	for _, tc := range []struct {
		chi2  []float64
		want  string
		point bool
	}{
		{[]float64{1, inf}, "the data set b finds the point impossible", true},
		{[]float64{inf, nan}, "the data set a finds the point impossible", true},
		{[]float64{nan, inf}, "non-finite χ² NaN of data set a", false},
		{[]float64{1, -inf}, "non-finite χ² -Inf of data set b", false},
		{[]float64{1e308, 1e308}, "non-finite χ² +Inf", false},
	} {
		likes := make([]Likelihood, len(tc.chi2))
		for i, c := range tc.chi2 {
			likes[i] = &constLike{name: string(rune('a' + i)), chi2: c}
		}
		post, err := NewPosterior(cosmo.LCDM, backend.Analytic{}, likes, space, map[string]float64{"H0": 70})
		if err != nil {
			t.Fatal(err)
		}
		_, _, err = post.Chi2([]float64{0.3})
		var pe *cosmo.PointError
		if err == nil || !strings.Contains(err.Error(), tc.want) || errors.As(err, &pe) != tc.point {
			t.Errorf("χ² %v: error %v, want %q (a point error: %v)", tc.chi2, err, tc.want, tc.point)
		}
		for _, l := range likes {
			if n := l.(*constLike).calls.Load(); n > 1 {
				t.Errorf("χ² %v: %s evaluated %d times for one point", tc.chi2, l.Name(), n)
			}
		}
	}
}

var zero = 0.0
