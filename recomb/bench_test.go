package recomb

import (
	"math"
	"syscall"
	"testing"

	"github.com/cosmoemu/cosmoemu/solver"
)

// BenchmarkSolve is one full evaluation, as an emulator's training set
// needs it: Y_He from BBN, the recombination history, z*, z_drag, r* and
// r_drag, for the first CAMB point (Σm_ν = 0.06 eV, the test's tabulated
// Fermi–Dirac neutrinos in H(z)), at three tolerances.
//
// Measured on the 2-core development machine (go test -bench Solve
// -benchmem -count 5), while it was shared with other jobs (load average
// 7–9): CPU time per evaluation (cpu-ns/op, the process's user+system
// time; ns/op, the wall clock, was up to 2.5 times more under that load),
// 0 B/op and 0 allocs/op:
//
//	RTol 1e-4 (default)  174 steps  185–198 µs
//	RTol 1e-5            335 steps  336–340 µs
//	RTol 1e-6            710 steps  685–708 µs
//
// The default takes 681 evaluations of the equations and 773 calls of
// Hubble. CAMB 2.0.3's get_background with its thermal history takes
// 3.4–3.9 ms.
func BenchmarkSolve(b *testing.B) {
	pts := loadCAMBPoints(b)
	p := &pts[0]
	bg := newBackground(p)
	c := Cosmology{OmegaBH2: p.Inputs.Ombh2, TCMB: p.TCMB, NEff: p.Inputs.Nnu, Hubble: bg.Hubble}
	for _, rtol := range []float64{1e-4, 1e-5, 1e-6} {
		b.Run(fmtRTol(rtol), func(b *testing.B) { benchSolve(b, &c, &Settings{RTol: rtol}) })
	}
}

func BenchmarkHubble(b *testing.B) {
	pts := loadCAMBPoints(b)
	bg := newBackground(&pts[0])
	s := 0.0
	z := 1000.0
	for b.Loop() {
		s += bg.Hubble(z)
		z += 1e-3
	}
	_ = s
}

func fmtRTol(r float64) string {
	switch r {
	case 1e-4:
		return "rtol=1e-4"
	case 1e-5:
		return "rtol=1e-5"
	}
	return "rtol=1e-6"
}

// lcdmMassless is a cheap H(z): flat ΛCDM with photons and 3.046 massless
// neutrinos.
func lcdmMassless(h0, ob, oc float64) func(float64) float64 {
	h2 := h0 * h0 / 1e4
	og := omegaGammaPerT4 * TCMBDefault * TCMBDefault * TCMBDefault * TCMBDefault / h2
	or := og * (1 + 3.046*7.0/8*math.Pow(4.0/11, 4.0/3))
	om := (ob + oc) / h2
	ol := 1 - om - or
	return func(z float64) float64 {
		a := 1 + z
		a2 := a * a
		return h0 * math.Sqrt(or*a2*a2+om*a2*a+ol)
	}
}

// BenchmarkSolveCheapHubble is BenchmarkSolve at the default tolerance
// with an H(z) that costs almost nothing (flat ΛCDM, massless neutrinos):
// the cost of the package itself. Measured as above: 153–179 µs of CPU
// time per evaluation, 0 allocations.
func BenchmarkSolveCheapHubble(b *testing.B) {
	c := Cosmology{OmegaBH2: 0.02237, NEff: 3.046, Hubble: lcdmMassless(67.36, 0.02237, 0.12)}
	benchSolve(b, &c, nil)
}

// benchSolve times Solve of c with s on one History, after a first Solve
// has grown its buffers, and reports the CPU time, steps and evaluations
// of the equations per Solve.
func benchSolve(b *testing.B, c *Cosmology, s *Settings) {
	var h History
	if err := Solve(&h, c, s); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	cpu := cpuTime()
	for b.Loop() {
		if err := Solve(&h, c, s); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
	b.ReportMetric(float64(h.Stats().Steps), "steps")
	b.ReportMetric(float64(h.Stats().Evaluations), "evals")
}

// cpuTime returns the user and system CPU time of the process in ns: the
// machine is shared, so wall-clock ns/op can exceed the work done.
func cpuTime() int64 {
	var r syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &r); err != nil {
		return 0
	}
	return r.Utime.Nano() + r.Stime.Nano()
}

// BenchmarkIntegrators compares ROS4 with the module's explicit
// Dormand–Prince solver on the same equations (helium kept live throughout,
// Planck 2018 cosmology, relative tolerance 1e-4, from the start of the
// equations to z = 0): the numbers behind the choice in rosenbrock.go.
// Measured (load average 7–9): ROS4 174 steps, 681 evaluations, 155–209 µs
// of CPU time (the whole Solve); Dormand–Prince 594,411 steps, 3,862,724
// evaluations, 0.92–0.98 s.
func BenchmarkIntegrators(b *testing.B) {
	c := planck18()
	var h History
	if err := Solve(&h, &c, nil); err != nil {
		b.Fatal(err)
	}
	b.Run("ROS4", func(b *testing.B) { benchSolve(b, &c, nil) })
	b.Run("DormandPrince", func(b *testing.B) {
		m := h.m
		m.heLive = true
		m.eValid, m.rValid = false, false
		s, err := solver.New(nState, &solver.Settings{RTol: 1e-4, ATol: 1e-10, MaxSteps: 1 << 26})
		if err != nil {
			b.Fatal(err)
		}
		y0 := []float64{1, 1, h.xHe0, 0, 0}
		out := make([]float64, nState)
		var ya, fa [nState]float64
		f := func(dst []float64, t float64, y []float64) {
			copy(ya[:], y)
			m.rhs(&fa, t, &ya)
			copy(dst, fa[:])
		}
		var st solver.Stats
		cpu := cpuTime()
		for b.Loop() {
			if st, err = s.Solve(out, f, h.nStart, y0, []float64{0}); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
		b.ReportMetric(float64(st.Accepted), "steps")
		b.ReportMetric(float64(st.Evaluations), "evals")
	})
}
