package likelihood

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/cosmoemu/cosmoemu/cosmo"
	"github.com/cosmoemu/cosmoemu/data"
)

// syntheticSN returns n supernovae on a flat ΛCDM Hubble diagram with a
// Pantheon+-like covariance: diagonal errors of 0.1–0.2 mag plus 20 random
// systematic modes, positive definite by construction.
func syntheticSN(n int, seed uint64) *data.SN {
	rng := rand.New(rand.NewPCG(seed, 1))
	d := &data.SN{Name: "synthetic", Z: make([]float64, n), ZHel: make([]float64, n), Mag: make([]float64, n)}
	for i := range n {
		z := math.Exp(math.Log(0.01) + (math.Log(2.3)-math.Log(0.01))*rng.Float64())
		d.Z[i], d.ZHel[i] = z, z*(1+0.001*rng.NormFloat64())
		d.Mag[i] = 5*math.Log10((1+d.ZHel[i])*referenceDM(z)) + 25 - 19.3 + 0.15*rng.NormFloat64()
	}
	v := mat.NewDense(n, 20, nil)
	for i := range n {
		for j := range 20 {
			v.Set(i, j, 0.02*rng.NormFloat64())
		}
	}
	c := mat.NewSymDense(n, nil)
	c.SymOuterK(1, v)
	for i := range n {
		s := 0.1 + 0.1*rng.Float64()
		c.SetSym(i, i, c.At(i, i)+s*s)
	}
	d.Cov = c
	return d
}

// nodeTheory returns 5 log10 D_M at the nodes for a flat wCDM-like
// perturbation of the reference, and the matching Result; the requirements
// sample M as θ[0] if sampleM.
func nodeTheory(l *SN, om, w float64, sampleM bool) ([]float64, *cosmo.Result, *Requirements) {
	req := NewRequirements(func(name string) int {
		if name == "M" && sampleM {
			return 0
		}
		return -1
	})
	for _, z := range l.nodes {
		req.At(z)
	}
	res := &cosmo.Result{H0: 70, DM: make([]float64, len(req.Z)), E: make([]float64, len(req.Z))}
	f := make([]float64, l.k)
	for j, z := range l.nodes {
		dm := referenceDM(z) * (1 + (om-0.3)*z/(1+z) + (w+1)*0.1*z)
		res.DM[j] = dm
		f[j] = 5 * math.Log10(dm)
	}
	return f, res, req
}

// TestSNQuadraticForm checks the O(K²) quadratic form against the direct
// O(n²) χ² of the same interpolated theory, marginalised and with M
// sampled, for theories far from the reference: within 1e-6 absolute
// (measured about 1e-9, rounding in χ² of order 10³).
func TestSNQuadraticForm(t *testing.T) {
	d := syntheticSN(600, 1)
	l, err := NewSN(d, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, sampleM := range []bool{false, true} {
		worst := 0.0
		for _, c := range [][3]float64{{0.3, -1, -19.3}, {0.1, -0.6, -19.0}, {0.6, -1.5, -19.6}, {0.3, -1, 0}} {
			f, res, req := nodeTheory(l, c[0], c[1], sampleM)
			term, err := l.Bind(req)
			if err != nil {
				t.Fatal(err)
			}
			th := &Theory{Res: res, Theta: []float64{c[2]}, Work: make([]float64, term.WorkLen())}
			got := term.Chi2(th)
			want := l.DirectChi2(f, sampleM, c[2])
			worst = math.Max(worst, math.Abs(got-want))
			if math.Abs(got-want) > 1e-6 {
				t.Errorf("sampleM %v, %v: quadratic form %.10g, direct %.10g", sampleM, c, got, want)
			}
		}
		t.Logf("sampleM %v: max |Δχ²| = %.2e", sampleM, worst)
	}
}

// TestSNMarginal checks the analytic marginalisation over M: the
// marginalised χ² is the minimum over M of the sampled χ², and the
// normalisations differ by ½ ln(2π/1ᵀC⁻¹1).
func TestSNMarginal(t *testing.T) {
	d := syntheticSN(200, 2)
	l, _ := NewSN(d, nil)
	f, _, marg := nodeTheory(l, 0.32, -0.9, false)
	_, _, samp := nodeTheory(l, 0.32, -0.9, true)
	// χ²(M) is a parabola: its minimum by three points.
	c0, c1, c2 := l.DirectChi2(f, true, -1), l.DirectChi2(f, true, 0), l.DirectChi2(f, true, 1)
	a := (c0 + c2 - 2*c1) / 2
	b := (c2 - c0) / 2
	minChi2 := c1 - b*b/(4*a)
	if got := l.DirectChi2(f, false, 0); math.Abs(got-minChi2) > 1e-8*math.Abs(minChi2) {
		t.Errorf("marginalised χ² %.10g, minimum over M %.10g", got, minChi2)
	}
	// χ²(M) = χ²_min + a(M − M̂)², so ∫ exp(−χ²(M)/2) dM =
	// exp(−χ²_min/2) √(2π/a), and a = 1ᵀC⁻¹1.
	tm, _ := l.Bind(marg)
	ts, _ := l.Bind(samp)
	if d := tm.LogNorm() - ts.LogNorm() - 0.5*math.Log(2*math.Pi/a); math.Abs(d) > 1e-9 {
		t.Errorf("normalisations differ by %g from the Gaussian integral over M", d)
	}
}

func BenchmarkSNChi2(b *testing.B) {
	d := syntheticSN(1701, 3)
	l, err := NewSN(d, nil)
	if err != nil {
		b.Fatal(err)
	}
	_, res, req := nodeTheory(l, 0.3, -1, false)
	term, _ := l.Bind(req)
	th := &Theory{Res: res, Work: make([]float64, term.WorkLen())}
	b.ReportAllocs()
	b.ResetTimer()
	s := 0.0
	for range b.N {
		s += term.Chi2(th)
	}
	_ = s
}

func BenchmarkSNDirect(b *testing.B) {
	d := syntheticSN(1701, 3)
	l, _ := NewSN(d, nil)
	f, _, _ := nodeTheory(l, 0.3, -1, false)
	b.ResetTimer()
	for range b.N {
		l.DirectChi2(f, false, 0)
	}
}
