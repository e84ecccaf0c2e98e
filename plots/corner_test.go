package plots

import (
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// gaussSamples draws n samples of a correlated 2-D Gaussian around
// (0.3, 70), like an (Ωm0, H0) posterior.
func gaussSamples(n int, shift float64, seed uint64) *mat.Dense {
	rng := rand.New(rand.NewPCG(seed, 1))
	x := mat.NewDense(n, 2, nil)
	for i := range n {
		a, b := rng.NormFloat64(), rng.NormFloat64()
		x.Set(i, 0, 0.3+0.05*a)
		x.Set(i, 1, 70+shift+3*(-0.7*a+0.71*b))
	}
	return x
}

func decodePNG(t *testing.T, path string) (w, h int) {
	t.Helper()
	b := readPNG(t, path).Bounds()
	return b.Dx(), b.Dy()
}

func TestCorner(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "corner.png")
	sets := []Samples{
		{Name: "analytic", X: gaussSamples(20000, 0, 1)},
		{Name: "emulator", X: gaussSamples(5000, 1, 2), Weights: func() []float64 {
			w := make([]float64, 5000)
			for i := range w {
				w[i] = 1 + float64(i%3)
			}
			return w
		}()},
	}
	err := Corner(path, sets, []string{"Om0", "H0"}, &CornerOptions{
		Labels:     []string{`\Omega_{m0}`, `H_0`},
		Size:       640,
		Truths:     []float64{0.3, math.NaN()},
		TruthLabel: "truth",
		Points:     true,
		Title:      "cc31",
	})
	if err != nil {
		t.Fatal(err)
	}
	if w, h := decodePNG(t, path); w != 640 || h != 640 {
		t.Errorf("image is %d×%d, want 640×640", w, h)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("%d files in the directory, want only corner.png", len(entries))
	}

	// One parameter, defaults.
	one := filepath.Join(dir, "one.png")
	x := mat.NewDense(1000, 1, nil)
	rng := rand.New(rand.NewPCG(3, 3))
	for i := range 1000 {
		x.Set(i, 0, rng.NormFloat64())
	}
	if err := Corner(one, []Samples{{Name: "N(0,1)", X: x}}, []string{"x"}, nil); err != nil {
		t.Fatal(err)
	}
	if w, h := decodePNG(t, one); w != 600 || h != 600 {
		t.Errorf("default one-parameter image is %d×%d, want 600×600", w, h)
	}

	// Three parameters, one of them constant.
	three := filepath.Join(dir, "three.png")
	x3 := mat.NewDense(2000, 3, nil)
	for i := range 2000 {
		x3.Set(i, 0, rng.NormFloat64())
		x3.Set(i, 1, rng.ExpFloat64())
		x3.Set(i, 2, 5)
	}
	if err := Corner(three, []Samples{{X: x3}}, []string{"a", "b", "c"}, &CornerOptions{Size: 960, Smooth: -1, Bins: 30}); err != nil {
		t.Fatal(err)
	}
	if w, h := decodePNG(t, three); w != 960 || h != 960 {
		t.Errorf("three-parameter image is %d×%d", w, h)
	}
}

func TestCornerErrors(t *testing.T) {
	dir := t.TempDir()
	good := gaussSamples(100, 0, 1)
	bad := gaussSamples(100, 0, 1)
	bad.Set(7, 1, math.NaN())
	for _, tc := range []struct {
		name  string
		sets  []Samples
		names []string
		opt   *CornerOptions
		msg   string
	}{
		{"no sets", nil, []string{"a", "b"}, nil, "without sample sets"},
		{"no names", []Samples{{X: good}}, nil, nil, "without parameters"},
		{"columns", []Samples{{Name: "s", X: good}}, []string{"a"}, nil, `set 1 ("s") has 2 columns for 1 parameters`},
		{"NaN", []Samples{{X: good}, {Name: "b", X: bad}}, []string{"a", "H0"}, nil, "sample set 2 (\"b\"), sample 8, parameter H0: NaN is not finite"},
		{"weights", []Samples{{X: good, Weights: []float64{1}}}, []string{"a", "b"}, nil, "1 weights for 100 samples"},
		{"negative weight", []Samples{{X: good, Weights: make([]float64, 100)}}, []string{"a", "b"}, nil, "weights sum to 0"},
		{"labels", []Samples{{X: good}}, []string{"a", "b"}, &CornerOptions{Labels: []string{"a"}}, "1 labels"},
		{"levels", []Samples{{X: good}}, []string{"a", "b"}, &CornerOptions{Levels: []float64{1.2}}, "credible level 1.2"},
		{"truths", []Samples{{X: good}}, []string{"a", "b"}, &CornerOptions{Truths: []float64{1}}, "1 truths"},
	} {
		err := Corner(filepath.Join(dir, "x.png"), tc.sets, tc.names, tc.opt)
		if err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: got %v, want an error containing %q", tc.name, err, tc.msg)
		}
	}
	if err := Corner(filepath.Join(dir, "missing", "x.png"), []Samples{{X: good}}, []string{"a", "b"}, nil); err == nil {
		t.Error("writing into a missing directory did not fail")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("failed calls left %d files", len(entries))
	}
}

func TestCredibleThresholds(t *testing.T) {
	z := []float64{5, 1, 3, 1} // total 10
	got := credibleThresholds(z, []float64{0.5, 0.8, 0.95})
	want := []float64{5, 3, 1} // 5 holds 50%, 5+3 = 80%, all for 95%
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("threshold for %v: got %v, want %v", []float64{0.5, 0.8, 0.95}[i], got[i], want[i])
		}
	}
}

func TestParseMath(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []mathSegment
	}{
		{`\Omega_{m0}`, []mathSegment{{"Ω", 0}, {"m0", -1}}},
		{`H_0`, []mathSegment{{"H", 0}, {"0", -1}}},
		{`\Omega_\Lambda h^2`, []mathSegment{{"Ω", 0}, {"Λ", -1}, {" h", 0}, {"2", 1}}},
		{`w_{\rm a}`, []mathSegment{{"w", 0}, {"a", -1}}},
		{`\mathrm{km\,s^{-1}}`, []mathSegment{{"km s", 0}, {"-1", 1}}},
		{`x_`, []mathSegment{{"x", 0}}},
		{`\unknown{x}`, []mathSegment{{"unknownx", 0}}},
		{`a_{b_{c}}`, []mathSegment{{"a", 0}, {"b", -1}, {"c", -2}}},
	} {
		got := parseMath(tc.in)
		if len(got) != len(tc.want) {
			t.Errorf("parseMath(%q) = %v, want %v", tc.in, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("parseMath(%q) = %v, want %v", tc.in, got, tc.want)
				break
			}
		}
	}
}

// TestWeightedQuantiles: the quantiles are the smallest values whose
// cumulative weight reaches the fractions, with and without weights, ties
// included.
func TestWeightedQuantiles(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const n = 1001
	x := mat.NewDense(n, 2, nil)
	w := make([]float64, n)
	for i := range n {
		x.Set(i, 0, rng.NormFloat64())
		x.Set(i, 1, float64(rng.IntN(7))) // ties
		w[i] = rng.Float64()
	}
	for _, weights := range [][]float64{nil, w} {
		for col := range 2 {
			for _, q := range [][2]float64{{0.001, 0.999}, {0.16, 0.84}, {0.5, 0.5}} {
				a, b := weightedQuantiles(Samples{X: x, Weights: weights}, col, q[0], q[1])
				if ra, rb := naiveQuantile(x, weights, col, q[0]), naiveQuantile(x, weights, col, q[1]); a != ra || b != rb {
					t.Errorf("weights %v col %d q %v: got %g, %g, want %g, %g", weights != nil, col, q, a, b, ra, rb)
				}
			}
		}
	}
}

// naiveQuantile scans the values in increasing order until the cumulative
// weight reaches q of the total.
func naiveQuantile(x *mat.Dense, w []float64, col int, q float64) float64 {
	r, _ := x.Dims()
	vals := mat.Col(nil, col, x)
	uniq := slices.Clone(vals)
	slices.Sort(uniq)
	uniq = slices.Compact(uniq)
	weight := func(i int) float64 {
		if w == nil {
			return 1
		}
		return w[i]
	}
	var total float64
	for i := range r {
		total += weight(i)
	}
	var cum float64
	for _, u := range uniq {
		for i, v := range vals {
			if v == u {
				cum += weight(i)
			}
		}
		if cum >= q*total {
			return u
		}
	}
	return uniq[len(uniq)-1]
}

// BenchmarkWeightedQuantiles: one column of the flagship fit's 160,000
// samples.
func BenchmarkWeightedQuantiles(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	const n = 160000
	x := mat.NewDense(n, 5, nil)
	for i := range n {
		for j := range 5 {
			x.Set(i, j, rng.NormFloat64())
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		weightedQuantiles(Samples{X: x}, 2, 0.001, 0.999)
	}
}

// TestSelectKth: every index of arrays with and without ties, sorted,
// reversed and random, gives what sorting gives.
func TestSelectKth(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{1, 2, 3, 5, 17, 200} {
		for kind := range 4 {
			base := make([]float64, n)
			for i := range base {
				switch kind {
				case 0:
					base[i] = rng.NormFloat64()
				case 1:
					base[i] = float64(rng.IntN(3))
				case 2:
					base[i] = float64(i)
				case 3:
					base[i] = float64(n - i)
				}
			}
			sorted := slices.Clone(base)
			slices.Sort(sorted)
			for k := range n {
				if got := selectKth(slices.Clone(base), k); got != sorted[k] {
					t.Fatalf("n %d kind %d k %d: got %g, want %g", n, kind, k, got, sorted[k])
				}
			}
		}
	}
}

// BenchmarkCornerFlagship: the corner plot of the flagship fit (160,000
// correlated samples of 5 parameters, LaTeX labels, best-fit truths; the
// default 1600×1600 pixels).
func BenchmarkCornerFlagship(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	const n, p = 160000, 5
	x := mat.NewDense(n, p, nil)
	for i := range n {
		a := rng.NormFloat64()
		for j := range p {
			x.Set(i, j, float64(j+1)*(0.6*a+0.8*rng.NormFloat64()))
		}
	}
	path := filepath.Join(b.TempDir(), "corner.png")
	opt := &CornerOptions{
		Labels: []string{`\Omega_m`, `H_0 r_d`, `w_0`, `w_a`, `\omega_b`},
		Truths: []float64{0, 0, 0, 0, 0}, TruthLabel: "best fit",
		Title: "w0wacdm: desi-dr2 + union3 + planck18-distance",
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := Corner(path, []Samples{{Name: "analytic", X: x}}, []string{"Om", "H0rd", "w0", "wa", "ombh2"}, opt); err != nil {
			b.Fatal(err)
		}
	}
}
