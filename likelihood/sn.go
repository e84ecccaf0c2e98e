package likelihood

import (
	"fmt"
	"math"
	"sort"
	"sync"

	"gonum.org/v1/gonum/integrate/quad"
	"gonum.org/v1/gonum/interp"
	"gonum.org/v1/gonum/mat"

	"github.com/cosmoemu/cosmoemu/data"
)

// DefaultSNNodes is the number of nodes in ln z at which the theory of a
// supernova sample is computed. 40 nodes over Pantheon+'s 0.01 ≤ z ≤ 2.26
// interpolate 5 log10 D_M within 2e-6 mag (TestSNInterpolation), against
// errors of 0.1 mag and more.
const DefaultSNNodes = 40

// SNSettings configure NewSN; nil means the defaults.
type SNSettings struct {
	// Nodes is the number of interpolation nodes K; 0 means
	// DefaultSNNodes. A sample with no more distinct redshifts than that
	// (binned data like Union3) uses its own redshifts as nodes, exactly.
	Nodes int
}

// SN is the likelihood of a supernova sample, computed from the theory at
// K nodes (see the package documentation). Its nuisance parameter, the
// absolute magnitude M (AbsMag), is optional: sampled when the posterior
// samples it, marginalised analytically otherwise.
type SN struct {
	d     *data.SN
	n, k  int
	nodes []float64 // node redshifts, increasing
	exact bool      // the nodes are the data redshifts

	mprime []float64  // m − 5 log10(1 + z_hel) − 25
	a      *mat.Dense // n×K interpolation matrix
	chol   mat.Cholesky
	u      []float64 // C⁻¹1
	s      float64   // 1ᵀC⁻¹1
	f0     []float64 // the reference theory at the nodes

	marg    snForm // M marginalised, made by NewSN
	samp    snForm // M sampled, made on the first Bind that samples it
	sampled sync.Once
}

// snForm is the quadratic form of the χ² in the node values, for M
// marginalised or sampled.
type snForm struct {
	grad    []float64 // g = −AᵀP r0
	q       []float64 // K×K, row-major: Q = AᵀPA
	chi0    float64   // r0ᵀP r0
	logNorm float64
}

// NewSN prepares the likelihood of d; s may be nil.
func NewSN(d *data.SN, s *SNSettings) (*SN, error) {
	var set SNSettings
	if s != nil {
		set = *s
	}
	if set.Nodes == 0 {
		set.Nodes = DefaultSNNodes
	}
	if err := d.Validate(); err != nil {
		return nil, err
	}
	n := len(d.Z)
	if d.Cov == nil {
		return nil, fmt.Errorf("%s: a supernova sample needs its %d×%d covariance", d.Name, n, n)
	}
	if set.Nodes < 4 {
		return nil, fmt.Errorf("%s: %d interpolation nodes; at least 4 are needed", d.Name, set.Nodes)
	}
	l := &SN{d: d, n: n, mprime: make([]float64, n)}
	for i := range n {
		l.mprime[i] = d.Mag[i] - 5*math.Log10(1+d.ZHel[i]) - 25
	}
	if d.Chol != nil {
		l.chol.Clone(d.Chol) // factorized when the data were validated
	} else if !l.chol.Factorize(d.Cov) {
		return nil, fmt.Errorf("%s: the %d×%d covariance is not positive definite", d.Name, n, n)
	}
	var lower mat.TriDense
	l.chol.LTo(&lower)
	tri := lower.RawTriangular()
	if err := checkScale(d.Name, l.mprime, &tri, nil); err != nil {
		return nil, err
	}
	l.setNodes(set.Nodes)
	if err := l.interpolation(); err != nil {
		return nil, fmt.Errorf("%s: %w", d.Name, err)
	}
	l.reference()
	l.marg = l.form(false)
	return l, nil
}

// setNodes chooses the node redshifts.
func (l *SN) setNodes(k int) {
	zs := append([]float64(nil), l.d.Z...)
	sort.Float64s(zs)
	uniq := zs[:1]
	for _, z := range zs[1:] {
		if z != uniq[len(uniq)-1] {
			uniq = append(uniq, z)
		}
	}
	if len(uniq) <= k {
		l.nodes, l.exact = uniq, true
	} else {
		lo, hi := math.Log(zs[0]), math.Log(zs[len(zs)-1])
		l.nodes = make([]float64, k)
		for j := range k {
			l.nodes[j] = math.Exp(lo + (hi-lo)*float64(j)/float64(k-1))
		}
		l.nodes[0], l.nodes[k-1] = zs[0], zs[len(zs)-1]
	}
	l.k = len(l.nodes)
}

// interpolation builds A: column k is the not-a-knot cubic spline in ln z
// through the k-th unit vector, at the supernovae. Where nodes are the
// data redshifts it is a selection, exactly.
func (l *SN) interpolation() error {
	n, k := l.n, l.k
	l.a = mat.NewDense(n, k, nil)
	if l.exact {
		for i, z := range l.d.Z {
			l.a.Set(i, sort.SearchFloat64s(l.nodes, z), 1)
		}
		return nil
	}
	x := make([]float64, k)
	for j, z := range l.nodes {
		x[j] = math.Log(z)
	}
	y := make([]float64, k)
	var sp interp.NotAKnotCubic
	for j := range k {
		for i := range y {
			y[i] = 0
		}
		y[j] = 1
		if err := sp.Fit(x, y); err != nil {
			return fmt.Errorf("interpolation nodes: %w", err)
		}
		for i, z := range l.d.Z {
			l.a.Set(i, j, sp.Predict(math.Log(z)))
		}
	}
	return nil
}

// precision applies P = C⁻¹ − u uᵀ/s (or C⁻¹ when M is sampled) to the
// columns of b in place.
func (l *SN) precision(b *mat.Dense, sampleM bool) {
	var x mat.Dense
	if err := l.chol.SolveTo(&x, b); err != nil {
		panic(err) // the factorization succeeded: cannot happen
	}
	b.Copy(&x)
	if sampleM {
		return
	}
	_, c := b.Dims()
	for j := range c {
		dot := 0.0
		for i := range l.n {
			dot += b.At(i, j)
		}
		// 1ᵀC⁻¹b_j = uᵀb_j and C⁻¹ is symmetric: subtract u·(1ᵀC⁻¹b_j)/s.
		for i := range l.n {
			b.Set(i, j, b.At(i, j)-l.u[i]*dot/l.s)
		}
	}
}

// reference computes u, s and the reference theory.
func (l *SN) reference() {
	n, k := l.n, l.k
	ones := mat.NewVecDense(n, nil)
	for i := range n {
		ones.SetVec(i, 1)
	}
	var u mat.VecDense
	if err := l.chol.SolveVecTo(&u, ones); err != nil {
		panic(err)
	}
	l.u = u.RawVector().Data
	for _, v := range l.u {
		l.s += v
	}
	// Reference theory: flat ΛCDM, Ωm = 0.3, H0 = 70, no radiation. It
	// only centres the expansion, which keeps the constant χ²(f0) and the
	// corrections small and so the rounding of the quadratic form low.
	l.f0 = make([]float64, k)
	for j, z := range l.nodes {
		l.f0[j] = 5 * math.Log10(referenceDM(z))
	}
}

// form computes the quadratic form for M marginalised or sampled.
func (l *SN) form(sampleM bool) snForm {
	n, k := l.n, l.k
	var f snForm
	r0 := mat.NewDense(n, 1, nil)
	var af mat.VecDense
	af.MulVec(l.a, mat.NewVecDense(k, l.f0))
	for i := range n {
		r0.Set(i, 0, l.mprime[i]-af.AtVec(i))
	}
	pr0 := mat.DenseCopyOf(r0)
	l.precision(pr0, sampleM)
	for i := range n {
		f.chi0 += r0.At(i, 0) * pr0.At(i, 0)
	}
	var g mat.Dense
	g.Mul(l.a.T(), pr0)
	f.grad = make([]float64, k)
	for j := range k {
		f.grad[j] = -g.At(j, 0)
	}
	pa := mat.DenseCopyOf(l.a)
	l.precision(pa, sampleM)
	var q mat.Dense
	q.Mul(l.a.T(), pa)
	f.q = make([]float64, k*k)
	for i := range k {
		for j := range k {
			f.q[i*k+j] = 0.5 * (q.At(i, j) + q.At(j, i))
		}
	}
	f.logNorm = -0.5 * (float64(n)*ln2Pi + l.chol.LogDet())
	if !sampleM {
		f.logNorm += 0.5 * math.Log(2*math.Pi/l.s)
	}
	return f
}

// referenceDM returns D_M(z) in Mpc of flat ΛCDM with Ωm = 0.3, H0 = 70 and
// no radiation.
func referenceDM(z float64) float64 {
	f := func(x float64) float64 { return 1 / math.Sqrt(0.3*(1+x)*(1+x)*(1+x)+0.7) }
	return 299792.458 / 70 * quad.Fixed(f, 0, z, 40, nil, 0)
}

// Name returns the data set's name.
func (l *SN) Name() string { return l.d.Name }

// Len returns the number of supernovae.
func (l *SN) Len() int { return l.n }

// Nodes returns the node redshifts.
func (l *SN) Nodes() []float64 { return append([]float64(nil), l.nodes...) }

// Data returns the data.
func (l *SN) Data() *data.SN { return l.d }

// Needs declares the absolute magnitude M, optional: marginalised unless
// the posterior samples it.
func (l *SN) Needs() Needs {
	return Needs{Nuisance: []Nuisance{{Param: AbsMag, Optional: true}}}
}

// Bind registers D_M at the nodes and samples M if the posterior does
// (r.Nuisance), marginalising it otherwise.
func (l *SN) Bind(r *Requirements) (Term, error) {
	t := &snTerm{l: l, idx: r.indices(l.nodes), m: r.Nuisance(AbsMag.Name), f: &l.marg}
	r.Distances = true
	if t.m >= 0 {
		t.f = l.sampledForm()
	}
	return t, nil
}

// sampledForm returns the quadratic form with M sampled, made once.
func (l *SN) sampledForm() *snForm {
	l.sampled.Do(func() { l.samp = l.form(true) })
	return &l.samp
}

type snTerm struct {
	l   *SN
	idx []int
	m   int // position of M in θ, −1 if marginalised
	f   *snForm
}

func (t *snTerm) WorkLen() int { return t.l.k }

// LogNorm returns −½ ln det(2πC), plus ½ ln(2π/1ᵀC⁻¹1) when M is
// marginalised (a flat prior of unit density per magnitude).
func (t *snTerm) LogNorm() float64 { return t.f.logNorm }

// Chi2 evaluates the quadratic form: K logarithms and K²/2 products.
func (t *snTerm) Chi2(th *Theory) float64 {
	l := t.l
	k := l.k
	d := th.Work[:k]
	shift := 0.0
	if t.m >= 0 {
		shift = th.Theta[t.m]
	}
	const fiveOverLn10 = 2.1714724095162591 // 5/ln 10
	dm := th.Res.DM
	for j, i := range t.idx {
		d[j] = fiveOverLn10*math.Log(dm[i]) + shift - l.f0[j]
	}
	return t.f.chi2(d)
}

// chi2 returns χ²(f0 + δ) = χ²(f0) + 2gᵀδ + δᵀQδ.
func (f *snForm) chi2(d []float64) float64 {
	k := len(f.grad)
	lin, quadDiag, quadOff := 0.0, 0.0, 0.0
	for i := range k {
		di := d[i]
		row := f.q[i*k : (i+1)*k]
		lin += f.grad[i] * di
		quadDiag += row[i] * di * di
		s := 0.0
		for j := i + 1; j < k; j++ {
			s += row[j] * d[j]
		}
		quadOff += di * s
	}
	return f.chi0 + 2*lin + quadDiag + 2*quadOff
}

// DirectChi2 returns the same χ² computed the long way, O(n²): the theory
// μ = A f + M interpolated to every supernova and rᵀPr by a triangular
// solve. f holds 5 log10(D_M/Mpc) at the nodes; m is M when sampleM,
// ignored when M is marginalised. It is there to check the quadratic form.
func (l *SN) DirectChi2(f []float64, sampleM bool, m float64) float64 {
	if len(f) != l.k {
		panic("likelihood: DirectChi2 needs one value per node")
	}
	if !sampleM {
		m = 0
	}
	var af mat.VecDense
	af.MulVec(l.a, mat.NewVecDense(l.k, f))
	r := mat.NewVecDense(l.n, nil)
	for i := range l.n {
		r.SetVec(i, l.mprime[i]-af.AtVec(i)-m)
	}
	var x mat.VecDense
	if err := l.chol.SolveVecTo(&x, r); err != nil {
		panic(err)
	}
	chi2 := mat.Dot(r, &x)
	if !sampleM {
		dot := 0.0
		for i := range l.n {
			dot += x.AtVec(i)
		}
		chi2 -= dot * dot / l.s
	}
	return chi2
}
