package data

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

// TestParseFloat compares parseFloat with strconv.ParseFloat, bit for bit,
// on hand-picked and on random inputs in the formats files use.
func TestParseFloat(t *testing.T) {
	cases := []string{
		"0", "-0", "+0", "0.0", "-0.0", "00012", "1.", ".5", "-.5", "1e5", "1E-5", "1e+05",
		"0.000123", "123.456e-7", "9007199254740992", "9007199254740993", "1e22", "1e23",
		"1e-22", "1e-23", "12345678901234567890", "1234567890123456789", "0.1", "0.3",
		"2.2250738585072014e-308", "4.9e-324", "1.7976931348623157e308", "1e309", "1e-400",
		"", "-", "+", ".", "e5", "1e", "1e+", "1e-", "1.2.3", "1e5e5", "1x", "0x1p-2", "1_0",
		"inf", "-Inf", "NaN", "nan", "١", "1e00000005", "00000000000000000000001",
		"0.00000000000000000000000000001", "100000000000000000000000", "-1.23456789e-03",
	}
	rng := rand.New(rand.NewPCG(7, 7))
	for range 50000 {
		v := math.Float64frombits(rng.Uint64())
		if rng.IntN(2) == 0 {
			v = rng.NormFloat64() * math.Pow(10, float64(rng.IntN(40)-20))
		}
		if math.IsNaN(v) {
			continue
		}
		fmts := []byte{'e', 'f', 'g'}
		cases = append(cases, strconv.FormatFloat(v, fmts[rng.IntN(3)], rng.IntN(20)-1, 64))
	}
	for _, s := range cases {
		want, werr := strconv.ParseFloat(s, 64)
		got, gerr := parseFloat([]byte(s))
		if (werr == nil) != (gerr == nil) || math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
			t.Errorf("parseFloat(%q) = %v, %v; strconv: %v, %v", s, got, gerr, want, werr)
		}
	}
}

func FuzzParseFloat(f *testing.F) {
	for _, s := range []string{"1.5e-3", "-0", "9007199254740993", "1e23", ".e1", "0x1p3", "1_0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, werr := strconv.ParseFloat(s, 64)
		got, gerr := parseFloat([]byte(s))
		if (werr == nil) != (gerr == nil) || math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
			t.Fatalf("parseFloat(%q) = %v, %v; strconv: %v, %v", s, got, gerr, want, werr)
		}
	})
}

var sinkFloat float64

func BenchmarkParseFloat(b *testing.B) {
	tok := []byte("-1.23456789e-03")
	b.Run("parseFloat", func(b *testing.B) {
		for b.Loop() {
			v, _ := parseFloat(tok)
			sinkFloat += v
		}
	})
	b.Run("strconv", func(b *testing.B) {
		for b.Loop() {
			v, _ := strconv.ParseFloat(string(tok), 64)
			sinkFloat += v
		}
	})
}
