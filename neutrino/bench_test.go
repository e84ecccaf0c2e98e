package neutrino

import (
	"math"
	"testing"
)

// The numbers quoted below were measured on the project's 2-core AMD EPYC
// (GOAMD64=v1) while other jobs kept its load average between 3.6 and 5.7:
// the lowest of eight runs of
//
//	go test -run XXX -bench . -benchmem ./neutrino
//
// and, in brackets, the thread CPU time per call of the same loops
// (getrusage, lowest of seven, load average 6.4–6.8), which the other jobs
// inflate less. No evaluation allocates (0 B/op, 0 allocs/op).

var sinkF float64

// benchYs returns n values of y, log-uniform over [10^lo, 10^hi], in a
// scrambled order.
func benchYs(n, lo, hi int) []float64 {
	ys := make([]float64, n)
	for i := range ys {
		ys[i] = math.Pow(10, float64(lo)+float64(hi-lo)*float64((i*7919)%n)/float64(n))
	}
	return ys
}

// benchThroughput times independent calls of DensityPressure over ys
// (1024 values).
func benchThroughput(b *testing.B, ys []float64) {
	Density(1)
	s := 0.0
	for i := 0; b.Loop(); i++ {
		r, p := DensityPressure(ys[i&1023])
		s += r + p
	}
	sinkF = s
}

// BenchmarkDensityPressure is the throughput of independent calls in the
// table, as in a loop over redshifts: 8.4 ns/op (5.9 ns CPU).
func BenchmarkDensityPressure(b *testing.B) {
	benchThroughput(b, benchYs(1024, -2, 3)) // all but 8 % in the table
}

// BenchmarkDensityPressureLatency chains the calls, each argument waiting
// for the previous result, as in an ODE step: 23.7 ns/op (18.2 ns CPU),
// the chaining arithmetic included.
func BenchmarkDensityPressureLatency(b *testing.B) {
	Density(1)
	y := 3.0
	for b.Loop() {
		r, p := DensityPressure(y)
		y = 0.1 + 1e-9*(r+p) + y*0.999
		if y < 0.2 {
			y = 300
		}
	}
	sinkF = y
}

// BenchmarkDensityPressureEnds is the throughput over 1e-6 ≤ y ≤ 1e6, 43 %
// of the calls outside the table (series, expansions, which are cheaper):
// 7.1 ns/op (5.3 ns CPU).
func BenchmarkDensityPressureEnds(b *testing.B) {
	benchThroughput(b, benchYs(1024, -6, 6))
}

// BenchmarkMassiveDensity is Species.MassiveDensity: 9.5 ns/op (7.9 ns CPU).
func BenchmarkMassiveDensity(b *testing.B) {
	s, err := New(0.06, 3.046, TCMB)
	if err != nil {
		b.Fatal(err)
	}
	as := benchYs(1024, -2, 3)
	for i := range as {
		as[i] /= 400
	}
	sum := 0.0
	for i := 0; b.Loop(); i++ {
		sum += s.MassiveDensity(as[i&1023])
	}
	sinkF = sum
}

// BenchmarkNew: 29.6 ns/op.
func BenchmarkNew(b *testing.B) {
	Density(1)
	for b.Loop() {
		s, err := New(0.06, 3.046, TCMB)
		if err != nil {
			b.Fatal(err)
		}
		sinkF = s.OmegaNuH2()
	}
}

// BenchmarkBuildTable is the one-off construction of the table on first
// use: 2.4 ms/op (44 kB in 27 allocations: the quadrature rule and the
// table).
func BenchmarkBuildTable(b *testing.B) {
	for b.Loop() {
		buildTable()
	}
}
