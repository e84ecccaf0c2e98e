package data

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"

	"gonum.org/v1/gonum/mat"
)

func TestParseCov(t *testing.T) {
	in := "# 3x3 covariance\n" +
		"4 1 0.5\n" +
		"1\t9 0 # row 2\r\n" +
		"\n" +
		"0.5 0.0000001 16\n" // asymmetry 1e-7 < 1e-6·sqrt(9·16)
	c, err := ParseCov(strings.NewReader(in), "cov.txt", 3)
	if err != nil {
		t.Fatal(err)
	}
	if c.At(0, 1) != 1 || c.At(2, 2) != 16 || c.At(1, 2) != 0.5e-7 {
		t.Errorf("got C01=%g C22=%g C12=%g, want 1, 16, 5e-8 (symmetrized)", c.At(0, 1), c.At(2, 2), c.At(1, 2))
	}
}

func TestParseCovErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		n    int
		want string
		msg  string
	}{
		{"row too short", "1 0\n0\n", 2, "cov.txt:2: ", "row 2 has 1 columns, want 2"},
		{"row too long", "1 0 0\n", 2, "cov.txt:1: ", "row 1 has 3 columns, want 2"},
		{"too few rows", "# c\n1 0\n", 2, "cov.txt: ", "1 rows, want 2"},
		{"too many rows", "1 0\n0 1\n0 0\n", 2, "cov.txt:3: ", "more than 2 rows"},
		{"size mismatch with data", "1 0 0\n0 1 0\n0 0 1\n", 2, "cov.txt:1: ", "want 2 (the data have 2 points)"},
		{"empty", "# nothing\n", 2, "cov.txt: ", "no data lines"},
		{"not a number", "1 0\n0 x\n", 2, "cov.txt:2:3: ", `row 2, column 2: "x" is not a number`},
		{"NaN", "1 NaN\nNaN 1\n", 2, "cov.txt:1:3: ", "not finite"},
		{"not symmetric", "4 1\n1.1 9\n", 2, "cov.txt:2: ", "not symmetric: element (2,1) = 1.1 but (1,2) = 1"},
		{"zero diagonal", "1 0\n0 0\n", 2, "cov.txt:2: ", "diagonal element (2,2) = 0"},
		{"not positive definite", "1 2\n2 1\n", 2, "cov.txt: ", "not positive definite"},
		{"bad size", "1\n", 0, "cov.txt: ", "size 0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseCov(strings.NewReader(tc.in), "cov.txt", tc.n)
			if err == nil {
				t.Fatalf("accepted %q", tc.in)
			}
			if !strings.HasPrefix(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("got %q, want prefix %q and fragment %q", err, tc.want, tc.msg)
			}
		})
	}
}

func TestReadCovFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cov.txt")
	writeFile(t, path, "2 0\n0 3\n")
	c, err := ReadCov(path, 2)
	if err != nil {
		t.Fatal(err)
	}
	if c.At(1, 1) != 3 {
		t.Errorf("C11 = %g, want 3", c.At(1, 1))
	}
	if _, err := ReadCov(path, 3); err == nil || !strings.HasPrefix(err.Error(), path+":1: ") {
		t.Errorf("size mismatch: got %v, want an error naming %s line 1", err, path)
	}
}

func gzipBytes(t testing.TB, b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestParseSNCov(t *testing.T) {
	want := [][]float64{{4, 1, 0.5}, {1, 9, 0}, {0.5, 0, 16}}
	for _, tc := range []struct{ name, in string }{
		{"one per line", "3\n4\n1\n0.5\n1\n9\n0\n0.5\n0\n16\n"},
		{"rows", "3\n4 1 0.5\n1 9 0\n0.5 0 16"},
		{"liberal blanks", bom + "  3\r\n\r\n4\t1  0.5 1 9\n0 0.5\n\n0\v16 \f\n\n"},
		{"symmetrized", "3\n4 1 0.5\n1 9 0.0000001\n0.5 -0.0000001 16\n"},
	} {
		for _, gz := range []bool{false, true} {
			in := []byte(tc.in)
			if gz {
				in = gzipBytes(t, in)
			}
			c, err := ParseSNCov(bytes.NewReader(in), "c", 3)
			if err != nil {
				t.Errorf("%s (gzip %v): %v", tc.name, gz, err)
				continue
			}
			for i := range 3 {
				for j := range 3 {
					if c.At(i, j) != want[i][j] && !(tc.name == "symmetrized" && (i+j == 3) && c.At(i, j) == 0) {
						t.Errorf("%s (gzip %v): C(%d,%d) = %g, want %g", tc.name, gz, i, j, c.At(i, j), want[i][j])
					}
				}
			}
		}
	}
}

// TestParseSNCovStraddle reads through readers that return one byte, or
// half the request, at a time, so that tokens straddle refills of the
// scanner's buffer, and a file larger than the buffer.
func TestParseSNCovStraddle(t *testing.T) {
	const n = 60 // 3600 values, ~80 kB: more than one 64 kB buffer
	var sb strings.Builder
	sb.WriteString(strconv.Itoa(n) + "\n")
	cov := mat.NewSymDense(n, nil)
	for i := range n {
		for j := range n {
			v := 1.0 / float64(1+i+j)
			if i == j {
				v += float64(n)
			}
			cov.SetSym(i, j, v)
			sb.WriteString(strconv.FormatFloat(v, 'e', -1, 64) + "\n")
		}
	}
	in := []byte(sb.String())
	if len(in) <= 64*1024 {
		t.Fatalf("test file has %d bytes, want more than the 64 kB buffer", len(in))
	}
	for name, r := range map[string]io.Reader{
		"plain":    bytes.NewReader(in),
		"one byte": iotest.OneByteReader(bytes.NewReader(in)),
		"half":     iotest.HalfReader(bytes.NewReader(in)),
		"gzip":     iotest.OneByteReader(bytes.NewReader(gzipBytes(t, in))),
		"data+err": iotest.DataErrReader(bytes.NewReader(in)),
	} {
		c, err := ParseSNCov(r, name, n)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if !mat.Equal(c, cov) {
			t.Errorf("%s: matrix differs from the one written", name)
		}
	}
}

func TestParseSNCovErrors(t *testing.T) {
	long := "2\n1 0 0 " + strings.Repeat("1", 70*1024) + "\n"
	for _, tc := range []struct {
		name string
		in   string
		n    int
		want string
	}{
		{"empty", "", 2, "c: empty file"},
		{"blank", " \n\n", 2, "c: empty file"},
		{"bad size", "2.0\n1 0 0 1\n", 2, `c:1: first value "2.0" is not the matrix size`},
		{"size mismatch", "\n3\n1 0 0 1\n", 2, "c:2: the covariance is 3×3 but the table has 2 rows"},
		{"too few", "2\n1 0\n0\n", 2, "c: 3 values after the size, want 2² = 4"},
		{"too many", "2\n1 0\n0 1\n\n7\n", 2, "c:5: more than 2² = 4 values"},
		{"not a number", "2\n1 0\n0 x\n", 2, `c:3: element (2,2): "x" is not a number`},
		{"NaN", "2\n1 NaN\n0 1\n", 2, `c:2: element (1,2): "NaN" is not finite`},
		{"Inf", "2\n1 0\n-Inf 1\n", 2, `c:3: element (2,1): "-Inf" is not finite`},
		{"overflow", "2\n1e999 0\n0 1\n", 2, "out of the float64 range"},
		{"asymmetric", "2\n4 1\n1.1 9\n", 2, "c: not symmetric: element (2,1) = 1.1 but (1,2) = 1"},
		{"long token", long, 2, "c:2: a field longer than 1024 bytes"},
		{"zero n", "0\n", 0, "size 0"},
	} {
		_, err := ParseSNCov(strings.NewReader(tc.in), "c", tc.n)
		var pe *ParseError
		if err == nil || !errors.As(err, &pe) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want a *ParseError containing %q", tc.name, err, tc.want)
		}
	}
	// Truncated gzip and a failing reader are read errors naming the file.
	gz := gzipBytes(t, []byte("2\n1 0\n0 1\n"))
	if _, err := ParseSNCov(bytes.NewReader(gz[:len(gz)-4]), "c.gz", 2); err == nil || !strings.Contains(err.Error(), "c.gz") {
		t.Errorf("truncated gzip: got %v", err)
	}
	if _, err := ParseSNCov(bytes.NewReader(gz[:5]), "c.gz", 2); err == nil || !strings.Contains(err.Error(), "c.gz: gzip") {
		t.Errorf("broken gzip header: got %v", err)
	}
	boom := errors.New("disk on fire")
	r := io.MultiReader(strings.NewReader("2\n1 0\n"), iotest.ErrReader(boom))
	if _, err := ParseSNCov(r, "c", 2); err == nil || !strings.Contains(err.Error(), "c:3: disk on fire") {
		t.Errorf("read error: got %v", err)
	}
}

func TestFactorize(t *testing.T) {
	for _, tc := range []struct {
		data []float64
		msg  string
	}{
		{[]float64{1, 0, 0, 0}, "diagonal element (2,2) = 0 is not > 0"},
		{[]float64{1, 2, 2, 1}, "not positive definite"},
	} {
		_, err := Factorize("m", mat.NewSymDense(2, tc.data))
		if err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%v: got %v, want %q", tc.data, err, tc.msg)
		}
	}
	c := mat.NewSymDense(2, []float64{4, 2, 2, 5})
	chol, err := Factorize("m", c)
	if err != nil {
		t.Fatal(err)
	}
	// det = 4·5 − 2·2 = 16.
	if d := chol.Det(); d < 16-1e-12 || d > 16+1e-12 {
		t.Errorf("det = %g, want 16", d)
	}
}

// syntheticCov writes an n×n covariance in the releases' format: n, then
// one value per line in the %e precision of the Pantheon+ file, from a
// matrix with random correlations.
func syntheticCov(n int, seed uint64) []byte {
	rng := rand.New(rand.NewPCG(seed, 1))
	u := make([]float64, n)
	for i := range u {
		u[i] = 0.05 * rng.NormFloat64()
	}
	var b []byte
	b = strconv.AppendInt(b, int64(n), 10)
	b = append(b, '\n')
	for i := range n {
		for j := range n {
			v := u[i] * u[j]
			if i == j {
				v += 0.01 + 0.01*rng.Float64()
			}
			b = strconv.AppendFloat(b, v, 'e', 8, 64)
			b = append(b, '\n')
		}
	}
	return b
}

// BenchmarkParseSNCov reads a synthetic n = 1829 covariance (the size of
// DES-SN5YR's), plain and gzip-compressed, from memory.
func BenchmarkParseSNCov(b *testing.B) {
	const n = 1829
	plain := syntheticCov(n, 1)
	for _, bc := range []struct {
		name string
		in   []byte
	}{{"text", plain}, {"gzip", gzipBytes(b, plain)}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(plain)))
			for b.Loop() {
				if _, err := ParseSNCov(bytes.NewReader(bc.in), "bench", n); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkReadSNCovFile reads the synthetic covariance from a file, as
// Load does, and factorizes it.
func BenchmarkReadSNCovFile(b *testing.B) {
	const n = 1829
	path := filepath.Join(b.TempDir(), "cov.txt")
	if err := os.WriteFile(path, syntheticCov(n, 1), 0o644); err != nil {
		b.Fatal(err)
	}
	b.Run("read", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := ReadSNCov(path, n); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("read+factorize", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			c, err := ReadSNCov(path, n)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := Factorize("bench", c); err != nil {
				b.Fatal(err)
			}
		}
	})
}
