package growth

import "testing"

// Benchmarks of one evaluation at the 10 redshifts of testZ (0 … 3), with
// go test -bench . -benchmem ./growth (Go 1.26.8, 2 cores of an AMD
// "Turin" virtual machine shared with other jobs: the times vary with their
// load; the counts do not):
//
//	                          load 2.5–3.5   load 11–14     steps  E² evals  allocs
//	BenchmarkEvalLCDM-2        43–72 µs/op   133–180 µs/op    180     1102       0
//	BenchmarkEvalW0Wa-2        78–104 µs/op  159–330 µs/op    177     1084       0
//	BenchmarkEvalLCDMFast-2    19–27 µs/op    62–105 µs/op     73      458       0
//	BenchmarkHeath-2          1.4–1.6 µs/op  2.7–4.1 µs/op    208 nodes          0
//
// LCDMFast is RTol 1e-7 (errors 5.3e-8, TestAccuracyVsTolerance); the
// default RTol 1e-9 gives 4.6e-10.

func benchEval(b *testing.B, set *Settings, bg Background) {
	ev, err := NewEvaluator(testZ, set)
	if err != nil {
		b.Fatal(err)
	}
	res := NewResult(len(testZ))
	b.ReportAllocs()
	for b.Loop() {
		if err := ev.Eval(res, bg); err != nil {
			b.Fatal(err)
		}
	}
	st := ev.sol.Stats()
	b.ReportMetric(float64(st.Accepted+st.Rejected), "steps/op")
	b.ReportMetric(float64(st.Evaluations), "E²-evals/op")
}

// The standalone ODE for flat ΛCDM with radiation, default settings.
func BenchmarkEvalLCDM(b *testing.B) {
	benchEval(b, nil, &CPL{Om: 0.31, Or: 9.139e-5, W0: -1})
}

// The same for w0waCDM (one more exponential per evaluation of E²).
func BenchmarkEvalW0Wa(b *testing.B) {
	benchEval(b, nil, &CPL{Om: 0.31, Or: 9.048e-5, W0: -0.7, Wa: -1})
}

// ΛCDM with RTol 1e-7, ATol 1e-9: accurate to 5.3e-8 (TestAccuracyVsTolerance).
func BenchmarkEvalLCDMFast(b *testing.B) {
	benchEval(b, &Settings{RTol: 1e-7, ATol: 1e-9}, &CPL{Om: 0.31, Or: 9.139e-5, W0: -1})
}

// Heath's integral for oΛCDM without radiation.
func BenchmarkHeath(b *testing.B) {
	h, err := NewHeath(testZ)
	if err != nil {
		b.Fatal(err)
	}
	res := NewResult(len(testZ))
	b.ReportAllocs()
	for b.Loop() {
		if err := h.Eval(res, 0.31, 0.05); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(h.u)), "nodes")
}
