package bridge

import (
	"math/rand/v2"
	"testing"
)

// flagship is the likelihood of the README's main job.
func flagship(tb testing.TB) *Likelihood {
	tb.Helper()
	l, err := NewLikelihood(LikelihoodConfig{Model: "w0wacdm", Data: []string{"desi-dr2", "union3", "planck18-distance"}})
	if err != nil {
		tb.Fatal(err)
	}
	return l
}

var flagshipPoint = []float64{0.32, -0.7, -1, 66.5, 0.0224}

// BenchmarkLogPostOne is the Go side of one Python logpost call: what the
// call overhead is measured against (python -m cosmoemu.bench).
func BenchmarkLogPostOne(b *testing.B) {
	l := flagship(b)
	out := make([]float64, 1)
	for b.Loop() {
		if err := l.LogPost(flagshipPoint, 1, out, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLogPost16 is an emcee round of 32 walkers (half the ensemble).
func BenchmarkLogPost16(b *testing.B) {
	l := flagship(b)
	th := make([]float64, 0, 16*5)
	for range 16 {
		th = append(th, flagshipPoint...)
	}
	out := make([]float64, 16)
	for b.Loop() {
		if err := l.LogPost(th, 16, out, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBackground10k is background() for 10,000 w0waCDM points at 30
// redshifts with the closed form.
func BenchmarkBackground10k(b *testing.B) {
	bg, err := NewBackground(BackgroundConfig{Model: "w0wacdm", Params: []string{"Om", "w0", "wa", "H0"}})
	if err != nil {
		b.Fatal(err)
	}
	const n, nz = 10000, 30
	r := rand.New(rand.NewPCG(1, 2))
	params := make([]float64, 0, 4*n)
	for range n {
		params = append(params, 0.25+0.1*r.Float64(), -1.1+0.5*r.Float64(), -1.5+1.8*r.Float64(), 60+15*r.Float64())
	}
	z := make([]float64, nz)
	for j := range z {
		z[j] = 0.05 + 2.95*float64(j)/(nz-1)
	}
	perZ, sc, st := outputs(bg, n, nz)
	for b.Loop() {
		if failed, first, err := bg.Eval(params, n, z, nil, perZ, sc, st); err != nil || failed > 0 {
			b.Fatal(err, first)
		}
	}
}

// BenchmarkPosteriorOne is the posterior's LogProb itself, for comparison
// with BenchmarkLogPostOne.
func BenchmarkPosteriorOne(b *testing.B) {
	l := flagship(b)
	for b.Loop() {
		l.post.LogProb(flagshipPoint)
	}
}
