package likelihood

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// lcdm is the closed-form flat ΛCDM expansion rate with radiation,
// H(z) = H0 sqrt(Ωm(1+z)³ + Ωr(1+z)⁴ + 1 − Ωm − Ωr), Ωr = 1e-4.
func lcdm(z float64, theta []float64) float64 {
	const omR = 1e-4
	om, h0 := theta[0], theta[1]
	a := 1 + z
	return h0 * math.Sqrt(om*a*a*a+omR*a*a*a*a+1-om-omR)
}

var lcdmBackend = FuncBackend{ID: "lcdm", H: lcdm}

// countingBackend makes models that count their evaluations and can be
// told to fail, return NaN, or evaluate in batches.
type countingBackend struct {
	calls    atomic.Int64 // Hubble calls
	batches  atomic.Int64 // HubbleBatch calls
	rows     atomic.Int64 // rows passed to HubbleBatch
	failAt   float64      // Hubble fails when Om0 == failAt
	nanAt    float64      // returns NaN when Om0 == nanAt
	batch    bool         // models implement BatchModel
	newErr   error        // NewModel fails with this
	domainLo []float64    // if set, the backend is Bounded
	domainHi []float64
}

func (b *countingBackend) Name() string { return "counting" }

func (b *countingBackend) NewModel(z []float64) (Model, error) {
	if b.newErr != nil {
		return nil, b.newErr
	}
	m := &countingModel{b: b, z: z}
	if b.batch {
		return &countingBatchModel{m}, nil
	}
	return m, nil
}

type boundedBackend struct{ *countingBackend }

func (b boundedBackend) Domain() (lo, hi []float64) { return b.domainLo, b.domainHi }

type countingModel struct {
	b *countingBackend
	z []float64
}

func (m *countingModel) Hubble(dst, theta []float64) error {
	m.b.calls.Add(1)
	if theta[0] == m.b.failAt {
		return errors.New("model blew up")
	}
	for i, z := range m.z {
		dst[i] = lcdm(z, theta)
	}
	if theta[0] == m.b.nanAt {
		dst[len(dst)-1] = math.NaN()
	}
	return nil
}

type countingBatchModel struct{ *countingModel }

func (m *countingBatchModel) HubbleBatch(dst, thetas *mat.Dense) error {
	m.b.batches.Add(1)
	r, _ := thetas.Dims()
	m.b.rows.Add(int64(r))
	for i := range r {
		theta := thetas.RawRowView(i)
		if theta[0] == m.b.failAt {
			return errors.New("batch blew up")
		}
		h := dst.RawRowView(i)
		for j, z := range m.z {
			h[j] = lcdm(z, theta)
		}
		if theta[0] == m.b.nanAt {
			h[0] = math.Inf(1)
		}
	}
	return nil
}

func cc31(t testing.TB) *Data {
	d, err := LoadData(CC31)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// directLogProb is ln P computed without the package's machinery.
func directLogProb(d *Data, theta []float64) float64 {
	var chi2 float64
	for i, z := range d.Z {
		r := (lcdm(z, theta) - d.H[i]) / d.Sigma[i]
		chi2 += r * r
	}
	return -0.5 * chi2
}

func TestPosteriorMatchesDirect(t *testing.T) {
	d := cc31(t)
	post, err := NewPosterior(lcdmBackend, d, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, theta := range [][]float64{{0.3, 70}, {0.1, 50}, {0.5, 90}, {0.25, 68.2}} {
		got, want := post.LogProb(theta), directLogProb(d, theta)
		if math.Abs(got-want) > 1e-12*math.Abs(want) {
			t.Errorf("LogProb(%v) = %.15g, want %.15g", theta, got, want)
		}
		chi2, err := post.ChiSquare(theta)
		if err != nil || math.Abs(chi2+2*want) > 1e-12*math.Abs(want) {
			t.Errorf("ChiSquare(%v) = %g, %v; want %g", theta, chi2, err, -2*want)
		}
	}
	if post.Evaluations() != 8 || post.Failures() != 0 || post.FirstFailure() != nil {
		t.Errorf("evaluations %d, failures %d (%v); want 8 and 0", post.Evaluations(), post.Failures(), post.FirstFailure())
	}
}

func TestPosteriorOutsidePriorSkipsBackend(t *testing.T) {
	b := &countingBackend{failAt: -1, nanAt: -1}
	post, err := NewPosterior(b, cc31(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, theta := range [][]float64{
		{0.09, 70}, {0.51, 70}, {0.3, 49.9}, {0.3, 90.1}, {math.NaN(), 70}, {0.3, math.Inf(1)},
	} {
		if lp := post.LogProb(theta); !math.IsInf(lp, -1) {
			t.Errorf("LogProb(%v) = %g, want -Inf outside the prior", theta, lp)
		}
	}
	if n := b.calls.Load(); n != 0 {
		t.Errorf("backend called %d times for points outside the prior", n)
	}
	if post.Evaluations() != 0 || post.Failures() != 0 {
		t.Errorf("evaluations %d, failures %d; want 0, 0", post.Evaluations(), post.Failures())
	}
	// The box edges are inside.
	post.LogProb([]float64{0.1, 90})
	if n := b.calls.Load(); n != 1 {
		t.Errorf("backend called %d times for a point on the box edge, want 1", n)
	}
}

func TestPosteriorFailuresAreCounted(t *testing.T) {
	b := &countingBackend{failAt: 0.2, nanAt: 0.4}
	post, err := NewPosterior(b, cc31(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	if lp := post.LogProb([]float64{0.3, 70}); math.IsInf(lp, 0) || math.IsNaN(lp) {
		t.Fatalf("good point gave %g", lp)
	}
	if lp := post.LogProb([]float64{0.2, 70}); !math.IsInf(lp, -1) {
		t.Errorf("backend error gave %g, want -Inf", lp)
	}
	if lp := post.LogProb([]float64{0.4, 71}); !math.IsInf(lp, -1) {
		t.Errorf("NaN H(z) gave %g, want -Inf", lp)
	}
	if post.Failures() != 2 || post.Evaluations() != 3 {
		t.Errorf("failures %d, evaluations %d; want 2, 3", post.Failures(), post.Evaluations())
	}
	err = post.FirstFailure()
	if err == nil || !strings.Contains(err.Error(), "model blew up") || !strings.Contains(err.Error(), "Om0=0.2, H0=70") {
		t.Errorf("first failure %v, want the backend error with the parameter values", err)
	}
	if _, err := post.ChiSquare([]float64{0.4, 71}); err == nil || !strings.Contains(err.Error(), "non-finite H(z=1.965)") {
		t.Errorf("ChiSquare at a NaN point: got %v, want a non-finite H error", err)
	}
}

func TestPosteriorConstructionErrors(t *testing.T) {
	d := cc31(t)
	if _, err := NewPosterior(&countingBackend{newErr: errors.New("no weights")}, d, nil); err == nil || !strings.Contains(err.Error(), "no weights") {
		t.Errorf("NewModel failure: got %v", err)
	}
	bad := DefaultPrior()
	bad.Params[1].Max = 40
	if _, err := NewPosterior(lcdmBackend, d, bad); err == nil || !strings.Contains(err.Error(), "H0 [50, 40]") {
		t.Errorf("inverted prior box: got %v", err)
	}
	if _, err := NewPosterior(lcdmBackend, &Data{Name: "empty"}, nil); err == nil {
		t.Error("empty data accepted")
	}
	// A bounded backend refuses a prior box that sticks out of its domain.
	bb := boundedBackend{&countingBackend{domainLo: []float64{0.1, 66}, domainHi: []float64{0.5, 80}}}
	_, err := NewPosterior(bb, d, nil)
	if err == nil || !strings.Contains(err.Error(), "prior box of H0 [50, 90] is not inside the domain [66, 80] of backend counting") {
		t.Errorf("prior outside the domain: got %v", err)
	}
	narrow := DefaultPrior()
	narrow.Params[1].Min, narrow.Params[1].Max = 66, 80
	if _, err := NewPosterior(bb, d, narrow); err != nil {
		t.Errorf("prior inside the domain refused: %v", err)
	}
	bb.domainLo = []float64{0.1}
	if _, err := NewPosterior(bb, d, narrow); err == nil || !strings.Contains(err.Error(), "1-parameter domain") {
		t.Errorf("domain of the wrong dimension: got %v", err)
	}
}

func TestPriorLogPrior(t *testing.T) {
	p := DefaultPrior()
	if p.Names()[0] != "Om0" || p.Names()[1] != "H0" || p.Labels()[0] != `\Omega_{m0}` || p.Labels()[1] != "H_0" {
		t.Errorf("names %v labels %v", p.Names(), p.Labels())
	}
	if c := p.Center(nil); c[0] != 0.3 || c[1] != 70 {
		t.Errorf("centre %v, want [0.3 70]", c)
	}
	if lp := p.LogPrior([]float64{0.3, 70}); lp != 0 {
		t.Errorf("uniform prior inside: %g, want 0", lp)
	}
	i := p.Index("H0")
	p.Params[i].Mean, p.Params[i].Sigma = 73, 2
	if lp := p.LogPrior([]float64{0.3, 70}); math.Abs(lp-(-0.5*1.5*1.5)) > 1e-15 {
		t.Errorf("Gaussian H0 prior at 70: %g, want %g", lp, -0.5*1.5*1.5)
	}
	if lp := p.LogPrior([]float64{0.3, 95}); !math.IsInf(lp, -1) {
		t.Errorf("Gaussian prior outside the box: %g, want -Inf (truncated)", lp)
	}
	if p.Index("w") != -1 {
		t.Error("Index of a missing parameter is not -1")
	}
	for _, tc := range []struct {
		p   *Prior
		msg string
	}{
		{&Prior{}, "no parameters"},
		{&Prior{Params: []Param{{Name: "a", Min: 0, Max: 1}, {Name: "a", Min: 0, Max: 1}}}, "appears twice"},
		{&Prior{Params: []Param{{Min: 0, Max: 1}}}, "no name"},
		{&Prior{Params: []Param{{Name: "a", Min: 0, Max: math.Inf(1)}}}, "must be finite"},
		{&Prior{Params: []Param{{Name: "a", Min: 0, Max: 1, Sigma: -1}}}, "sigma ≥ 0"},
	} {
		if err := tc.p.Validate(); err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("Validate(%+v) = %v, want %q", tc.p, err, tc.msg)
		}
	}
}

func TestLogProbBatch(t *testing.T) {
	d := cc31(t)
	thetas := mat.NewDense(6, 2, []float64{
		0.3, 70,
		0.05, 70, // outside
		0.2, 66, // backend error in single mode; batch error in batch mode
		0.35, 71,
		0.4, 72, // NaN/Inf H
		0.3, 95, // outside
	})
	for _, batch := range []bool{false, true} {
		t.Run(fmt.Sprintf("batch=%v", batch), func(t *testing.T) {
			b := &countingBackend{failAt: -1, nanAt: 0.4, batch: batch}
			post, err := NewPosterior(b, d, nil)
			if err != nil {
				t.Fatal(err)
			}
			dst := make([]float64, 6)
			post.LogProbBatch(dst, thetas)
			for i := range 6 {
				theta := thetas.RawRowView(i)
				want := math.Inf(-1)
				if i == 0 || i == 2 || i == 3 {
					want = directLogProb(d, theta)
				}
				if !(dst[i] == want || math.Abs(dst[i]-want) < 1e-12*math.Abs(want)) {
					t.Errorf("row %d: %g, want %g", i, dst[i], want)
				}
			}
			if post.Evaluations() != 4 || post.Failures() != 1 {
				t.Errorf("evaluations %d failures %d, want 4 and 1", post.Evaluations(), post.Failures())
			}
			if batch && (b.batches.Load() != 1 || b.rows.Load() != 4 || b.calls.Load() != 0) {
				t.Errorf("batch calls %d rows %d single calls %d; want 1 call of 4 in-prior rows", b.batches.Load(), b.rows.Load(), b.calls.Load())
			}

			// A failing batch call fails all its rows, loudly.
			b.failAt = 0.2
			post.LogProbBatch(dst, thetas)
			nFail := int64(2) // row 2 fails and row 4 is non-finite
			if batch {
				nFail = 4
			}
			if got := post.Failures() - 1; got != nFail {
				t.Errorf("failures after a failing call: %d, want %d", got, nFail)
			}
			if !math.IsInf(dst[2], -1) {
				t.Errorf("failed row gave %g", dst[2])
			}
		})
	}
}

func TestPosteriorConcurrent(t *testing.T) {
	d := cc31(t)
	post, err := NewPosterior(lcdmBackend, d, nil)
	if err != nil {
		t.Fatal(err)
	}
	const goroutines, each = 8, 200
	var wg sync.WaitGroup
	errs := make(chan error, goroutines)
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(g), 1))
			theta := make([]float64, 2)
			for range each {
				theta[0] = 0.1 + 0.4*rng.Float64()
				theta[1] = 50 + 40*rng.Float64()
				if got, want := post.LogProb(theta), directLogProb(d, theta); math.Abs(got-want) > 1e-12*math.Abs(want) {
					errs <- fmt.Errorf("LogProb(%v) = %g, want %g", theta, got, want)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if post.Evaluations() != goroutines*each {
		t.Errorf("evaluations %d, want %d", post.Evaluations(), goroutines*each)
	}
}

func TestGaussianFullCovariance(t *testing.T) {
	d := cc31(t)
	n := d.Len()
	h := make([]float64, n)
	for i, z := range d.Z {
		h[i] = lcdm(z, []float64{0.3, 70})
	}
	diag, err := NewGaussian(d)
	if err != nil {
		t.Fatal(err)
	}
	if diag.WorkLen() != 0 {
		t.Errorf("diagonal WorkLen %d, want 0", diag.WorkLen())
	}

	// A diagonal matrix given as a full covariance gives the same χ² and norm.
	dc := *d
	dc.Cov = mat.NewSymDense(n, nil)
	for i, s := range d.Sigma {
		dc.Cov.SetSym(i, i, s*s)
	}
	full, err := NewGaussian(&dc)
	if err != nil {
		t.Fatal(err)
	}
	work := make([]float64, full.WorkLen())
	if a, b := diag.ChiSquare(nil, h), full.ChiSquare(work, h); math.Abs(a-b) > 1e-12*a {
		t.Errorf("diagonal χ² %g, same covariance as full matrix %g", a, b)
	}
	if a, b := diag.LogNorm(), full.LogNorm(); math.Abs(a-b) > 1e-12*math.Abs(a) {
		t.Errorf("LogNorm diagonal %g, full %g", a, b)
	}

	// A correlated covariance against an explicit inverse.
	rng := rand.New(rand.NewPCG(3, 4))
	a := mat.NewDense(n, n, nil)
	for i := range n {
		for j := range n {
			a.Set(i, j, rng.NormFloat64())
		}
	}
	cov := mat.NewSymDense(n, nil)
	cov.SymOuterK(1, a)
	for i, s := range d.Sigma {
		cov.SetSym(i, i, cov.At(i, i)+s*s)
	}
	dc.Cov = cov
	corr, err := NewGaussian(&dc)
	if err != nil {
		t.Fatal(err)
	}
	var inv mat.Dense
	if err := inv.Inverse(cov); err != nil {
		t.Fatal(err)
	}
	delta := mat.NewVecDense(n, nil)
	for i := range n {
		delta.SetVec(i, h[i]-d.H[i])
	}
	want := mat.Inner(delta, &inv, delta)
	if got := corr.ChiSquare(work, h); math.Abs(got-want) > 1e-9*want {
		t.Errorf("correlated χ² %g, want Δᵀ C⁻¹ Δ = %g", got, want)
	}
	wantNorm := -0.5 * (float64(n)*math.Log(2*math.Pi) + math.Log(mat.Det(cov)))
	if got := corr.LogNorm(); math.Abs(got-wantNorm) > 1e-9*math.Abs(wantNorm) {
		t.Errorf("LogNorm %g, want %g", got, wantNorm)
	}
	if allocs := testing.AllocsPerRun(100, func() { corr.ChiSquare(work, h) }); allocs != 0 {
		t.Errorf("full-covariance ChiSquare allocates %v times", allocs)
	}
	if allocs := testing.AllocsPerRun(100, func() { diag.LogLike(nil, h) }); allocs != 0 {
		t.Errorf("diagonal LogLike allocates %v times", allocs)
	}

	// A covariance that is not positive definite is refused.
	dc.Cov = mat.NewSymDense(n, nil)
	if _, err := NewGaussian(&dc); err == nil || !strings.Contains(err.Error(), "not positive definite") {
		t.Errorf("zero covariance: got %v", err)
	}
}

func TestLogProbDoesNotAllocate(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items at random under the race detector")
	}
	post, err := NewPosterior(lcdmBackend, cc31(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	theta := []float64{0.3, 70}
	if allocs := testing.AllocsPerRun(1000, func() { post.LogProb(theta) }); allocs != 0 {
		t.Errorf("LogProb allocates %v times per call", allocs)
	}
}

func benchPosterior(b *testing.B, backend Backend, fullCov bool) *Posterior {
	d := cc31(b)
	if fullCov {
		d.Cov = mat.NewSymDense(d.Len(), nil)
		for i, s := range d.Sigma {
			d.Cov.SetSym(i, i, s*s)
			if i > 0 {
				d.Cov.SetSym(i, i-1, 0.1*s*d.Sigma[i-1])
			}
		}
	}
	post, err := NewPosterior(backend, d, nil)
	if err != nil {
		b.Fatal(err)
	}
	return post
}

func BenchmarkLogProb(b *testing.B) {
	for _, full := range []bool{false, true} {
		b.Run(fmt.Sprintf("fullcov=%v", full), func(b *testing.B) {
			post := benchPosterior(b, lcdmBackend, full)
			theta := []float64{0.3, 70}
			b.ReportAllocs()
			for b.Loop() {
				post.LogProb(theta)
			}
		})
	}
}

// BenchmarkLogProbParallel measures the pool overhead under contention.
func BenchmarkLogProbParallel(b *testing.B) {
	post := benchPosterior(b, lcdmBackend, false)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		theta := []float64{0.3, 70}
		for pb.Next() {
			post.LogProb(theta)
		}
	})
}

// BenchmarkModelDirect is the backend and χ² alone, without the posterior:
// the difference to BenchmarkLogProb is the posterior's overhead.
func BenchmarkModelDirect(b *testing.B) {
	d := cc31(b)
	m, _ := lcdmBackend.NewModel(d.Z)
	g, _ := NewGaussian(d)
	h := make([]float64, d.Len())
	theta := []float64{0.3, 70}
	b.ReportAllocs()
	for b.Loop() {
		_ = m.Hubble(h, theta)
		g.ChiSquare(nil, h)
	}
}

func BenchmarkLogProbBatch(b *testing.B) {
	post := benchPosterior(b, &countingBackend{failAt: -1, nanAt: -1, batch: true}, false)
	const rows = 32
	thetas := mat.NewDense(rows, 2, nil)
	for i := range rows {
		thetas.Set(i, 0, 0.2+0.01*float64(i))
		thetas.Set(i, 1, 70)
	}
	dst := make([]float64, rows)
	b.ReportAllocs()
	for b.Loop() {
		post.LogProbBatch(dst, thetas)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*rows), "ns/point")
}
