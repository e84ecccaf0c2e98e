package neutrino

import (
	"math"
	"testing"
)

// The numbers quoted below were measured with
//
//	go test -run XXX -bench . -benchmem -count 5 ./neutrino
//
// on the project's 2-core AMD EPYC machine (GOAMD64=v1), shared with other
// jobs: the lowest of five runs; no benchmark allocates.

var sinkF float64

// benchYs returns n values of y, log-uniform over [1e-2, 1e3] (the table),
// in a scrambled order.
func benchYs(n int) []float64 {
	ys := make([]float64, n)
	for i := range ys {
		ys[i] = math.Pow(10, -2+5*float64((i*7919)%n)/float64(n))
	}
	return ys
}

// BenchmarkDensityPressure is the throughput of independent calls, as in a
// loop over redshifts: 5.7 ns/op.
func BenchmarkDensityPressure(b *testing.B) {
	ys := benchYs(1024)
	Density(1)
	s := 0.0
	for i := 0; b.Loop(); i++ {
		r, p := DensityPressure(ys[i&1023])
		s += r + p
	}
	sinkF = s
}

// BenchmarkDensityPressureLatency chains the calls, each argument waiting
// for the previous result, as in an ODE step: 16 ns/op, of which about 3
// are the chaining arithmetic.
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

// BenchmarkDensityPressureEnds is the throughput over 1e-6 ≤ y ≤ 1e6, a
// third of the calls outside the table (series, expansions): 6.3 ns/op.
func BenchmarkDensityPressureEnds(b *testing.B) {
	ys := make([]float64, 1024)
	for i := range ys {
		ys[i] = math.Pow(10, -6+12*float64((i*7919)%1024)/1024)
	}
	Density(1)
	s := 0.0
	for i := 0; b.Loop(); i++ {
		r, p := DensityPressure(ys[i&1023])
		s += r + p
	}
	sinkF = s
}

// BenchmarkMassiveDensity is Species.MassiveDensity: 5.2 ns/op.
func BenchmarkMassiveDensity(b *testing.B) {
	s, err := New(0.06, 3.046, TCMB)
	if err != nil {
		b.Fatal(err)
	}
	as := benchYs(1024)
	for i := range as {
		as[i] /= 400
	}
	sum := 0.0
	for i := 0; b.Loop(); i++ {
		sum += s.MassiveDensity(as[i&1023])
	}
	sinkF = sum
}

// BenchmarkNew: 12 ns/op.
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
// use: 2.6 ms.
func BenchmarkBuildTable(b *testing.B) {
	for b.Loop() {
		buildTable()
	}
}
