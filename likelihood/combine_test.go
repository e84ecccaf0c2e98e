package likelihood

import (
	"io"
	"math"
	"strings"
	"testing"

	"github.com/cosmoemu/cosmoemu/backend"
	"github.com/cosmoemu/cosmoemu/cosmo"
	"github.com/cosmoemu/cosmoemu/param"
)

// fake is a likelihood with the needs of its fields: χ² = Σ θ_nuisance²,
// or NaN if nan.
type fake struct {
	name  string
	needs Needs
	data  float64
	nan   bool
}

func (f *fake) Name() string             { return f.name }
func (f *fake) Len() int                 { return 1 }
func (f *fake) Needs() Needs             { return f.needs }
func (f *fake) WriteContent(w io.Writer) { WriteFloats(w, []float64{f.data}) }
func (f *fake) Bind(r *Requirements) (Term, error) {
	t := &fakeTerm{nan: f.nan}
	for _, n := range f.needs.Nuisance {
		if i := r.Nuisance(n.Name); i >= 0 {
			t.idx = append(t.idx, i)
		}
	}
	return t, nil
}

type fakeTerm struct {
	idx []int
	nan bool
}

func (t *fakeTerm) WorkLen() int     { return 0 }
func (t *fakeTerm) LogNorm() float64 { return 0 }
func (t *fakeTerm) Chi2(th *Theory) float64 {
	if t.nan {
		return math.NaN()
	}
	s := 0.0
	for _, i := range t.idx {
		s += th.Theta[i] * th.Theta[i]
	}
	return s
}

func TestCombineNuisanceNames(t *testing.T) {
	m := Nuisance{Param: param.Param{Name: "M", Label: "M", Min: -1, Max: 1, Lo: -10, Hi: 10}, Optional: true}
	a := Nuisance{Param: param.Param{Name: "A", Label: "A", Min: 0, Max: 2, Lo: 0, Hi: 10}}
	likes := []Likelihood{
		&fake{name: "union3", needs: Needs{Nuisance: []Nuisance{m}}, data: 1},
		&fake{name: "/data/my-sn.txt", needs: Needs{Nuisance: []Nuisance{m, a}, Rd: true}, data: 2},
		&fake{name: "other/my-sn.csv", needs: Needs{Nuisance: []Nuisance{m}, H0: true}, data: 3},
	}
	n, err := Combine(likes)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range n.Nuisance {
		got = append(got, p.Name+"("+p.Declared+" of "+p.Data+")")
	}
	want := "M_union3(M of union3) M_my_sn(M of /data/my-sn.txt) A(A of /data/my-sn.txt) M_my_sn_2(M of other/my-sn.csv)"
	if strings.Join(got, " ") != want || !n.Rd || !n.H0 || n.Ombh2 {
		t.Errorf("got %s, %+v; want %s, Rd and H0", strings.Join(got, " "), n, want)
	}
	for _, tc := range []struct {
		likes []Likelihood
		want  string
	}{
		{nil, "no data"},
		{[]Likelihood{&fake{name: "a", data: 1}, &fake{name: "a", data: 2}}, "two different data sets are named a"},
		{[]Likelihood{&fake{name: "a", data: 1}, &fake{name: "b", data: 1}}, "data sets a and b hold the same data"},
		{[]Likelihood{&fake{name: "a", needs: Needs{Nuisance: []Nuisance{{Param: HRd}}}}}, "reserved"},
		{[]Likelihood{&fake{name: "a", needs: Needs{Nuisance: []Nuisance{a, a}}}}, "declares the nuisance parameter A twice"},
		{[]Likelihood{&fake{name: "a", needs: Needs{Nuisance: []Nuisance{{Param: param.Param{Name: "x y"}}}}}}, "invalid name"},
	} {
		if _, err := Combine(tc.likes); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%d likelihoods: error %v, want %q", len(tc.likes), err, tc.want)
		}
	}
}

// TestPosteriorNeeds: NewPosterior binds each likelihood's nuisance
// parameters under the posterior's names, samples the optional ones only
// when the space has them, and names the data set that lacks something.
func TestPosteriorNeeds(t *testing.T) {
	m := Nuisance{Param: param.Param{Name: "M", Min: -1, Max: 1, Lo: -10, Hi: 10}, Optional: true}
	a := Nuisance{Param: param.Param{Name: "A", Min: -1, Max: 1, Lo: -10, Hi: 10}}
	likes := []Likelihood{
		&fake{name: "s1", needs: Needs{Nuisance: []Nuisance{m}}, data: 1},
		&fake{name: "s2", needs: Needs{Nuisance: []Nuisance{m, a}}, data: 2},
	}
	om, _ := cosmo.LCDM.Param("Om")
	space := func(extra ...string) *param.Space {
		ps := []param.Param{om}
		prs := []param.Prior{param.Uniform(0.1, 0.5)}
		for _, n := range extra {
			ps = append(ps, param.Param{Name: n, Min: -1, Max: 1, Lo: -10, Hi: 10})
			prs = append(prs, param.Uniform(-1, 1))
		}
		s, err := param.NewSpace(ps, prs)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	fixed := map[string]float64{"H0": 70}
	// A is required; M_s1 and M_s2 are optional.
	post, err := NewPosterior(cosmo.LCDM, backend.Analytic{}, likes, space("A", "M_s2"), fixed)
	if err != nil {
		t.Fatal(err)
	}
	if got := post.Marginalised(); len(got) != 1 || got[0] != "M_s1" {
		t.Errorf("marginalised %v, want [M_s1]", got)
	}
	c, by, err := post.Chi2([]float64{0.3, 0.5, 0.25})
	if err != nil || c != 0.25+0.0625 || by[0] != 0 {
		t.Errorf("χ² %v %v %v: want s1 0 (M_s1 not sampled), s2 0.5² + 0.25²", c, by, err)
	}
	for _, tc := range []struct {
		space *param.Space
		fixed map[string]float64
		want  string
	}{
		{space("M_s1"), fixed, "s2 needs its nuisance parameter A: sample it"},
		{space("A", "M"), fixed, `does not take parameter "M"`},
		{space("A"), map[string]float64{"H0": 70, "M_s1": 0}, "nuisance parameter M_s1 cannot be fixed"},
		{space("A", "hrd"), fixed, "hrd is sampled but no data set uses r_d"},
	} {
		if _, err := NewPosterior(cosmo.LCDM, backend.Analytic{}, likes, tc.space, tc.fixed); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: error %v, want %q", tc.space.Names(), err, tc.want)
		}
	}
	rd := []Likelihood{&fake{name: "bao", needs: Needs{Rd: true}}}
	if _, err := NewPosterior(cosmo.LCDM, backend.Analytic{}, rd, space(), fixed); err == nil || !strings.Contains(err.Error(), "bao needs r_d: sample hrd") {
		t.Errorf("r_d without a source: %v", err)
	}
	bad := []Likelihood{&fake{name: "fine", data: 1}, &fake{name: "broken", nan: true}}
	post, err = NewPosterior(cosmo.LCDM, backend.Analytic{}, bad, space(), fixed)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := post.Chi2([]float64{0.3}); err == nil || !strings.Contains(err.Error(), "non-finite χ² NaN of data set broken") {
		t.Errorf("a NaN χ²: %v", err)
	}
	wb := []Likelihood{&fake{name: "bbn", needs: Needs{Ombh2: true}}}
	if _, err := NewPosterior(cosmo.LCDM, backend.Analytic{}, wb, space(), fixed); err == nil || !strings.Contains(err.Error(), "bbn needs ombh2: sample it or fix it") {
		t.Errorf("ω_b missing: %v", err)
	}
}

func TestSuffix(t *testing.T) {
	for in, want := range map[string]string{"union3": "union3", "desi-dr2": "desi_dr2", "/a/b/Pantheon+SH0ES.dat": "Pantheon_SH0ES", "": "data"} {
		if got := suffix(in); got != want {
			t.Errorf("suffix(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestCatalogue: names are unique, and every exclusion names another set
// of the catalogue and gives a reason.
func TestCatalogue(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range Sets() {
		if seen[s.Name] || s.Name == "" || strings.ContainsAny(s.Name, ":, \t") {
			t.Errorf("set name %q repeated or invalid", s.Name)
		}
		seen[s.Name] = true
		for _, x := range s.Excludes {
			if _, err := Lookup(x.Set); err != nil || x.Set == s.Name || x.Reason == "" {
				t.Errorf("%s excludes %q (%q): %v", s.Name, x.Set, x.Reason, err)
			}
			if why, ok := excluded(x.Set, s.Name); !ok || why != x.Reason {
				t.Errorf("%s and %s: the rule does not hold both ways", s.Name, x.Set)
			}
		}
	}
}
