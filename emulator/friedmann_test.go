package emulator

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cosmoemu/cosmoemu/friedmann"
	"github.com/cosmoemu/cosmoemu/internal/modelfile"
)

func defaultModelT(t testing.TB) *Friedmann {
	t.Helper()
	m, err := DefaultFriedmann()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// The embedded default model must meet the accuracy it promises, on 1,000
// random points over its whole domain and 1,000 with z in [0, 3], against
// the closed form. The points are fixed by the seed, so the errors change
// only with the model or the emulator's arithmetic; measured (maximum,
// median): |ΔH|/H 4.70e-5, 3.09e-6 for z ≤ 3 and 4.17e-5, 3.55e-6 over all
// N; |ΔΩ_i| 1.90e-5 for z ≤ 3 and 2.64e-5 over all N. The bounds are 20%
// above: room for a retrained model as good, not for one much worse.
func TestDefaultModelAccuracy(t *testing.T) {
	m := defaultModelT(t)
	d := m.Domain()
	if d.Om0[0] > 0.1 || d.Om0[1] < 0.5 || d.H0[0] > 50 || d.H0[1] < 90 || d.N[0] > -12 || d.N[1] < 0 {
		t.Fatalf("domain %+v does not cover Ω_m0 ∈ [0.1, 0.5], H0 ∈ [50, 90], N ∈ [−12, 0]", d)
	}
	r, err := ValidateFriedmann(m, 1000, rand.New(rand.NewPCG(2026, 11)))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v", *r)
	for _, c := range []struct {
		what       string
		got, bound float64
	}{
		{"max |ΔH|/H, z in [0, 3]", r.MaxRelErrHZ03, 5.6e-5},
		{"median |ΔH|/H, z in [0, 3]", r.MedianRelErrHZ03, 3.7e-6},
		{"max |ΔH|/H, N in [−12, 0]", r.MaxRelErrHAll, 5.0e-5},
		{"median |ΔH|/H, N in [−12, 0]", r.MedianRelErrHAll, 4.3e-6},
		{"max |ΔΩ_i|, z in [0, 3]", r.MaxAbsErrOmegaZ3, 2.3e-5},
		{"max |ΔΩ_i|, N in [−12, 0]", r.MaxAbsErrOmega, 3.2e-5},
	} {
		if !(c.got <= c.bound) {
			t.Errorf("%s = %.3g > %.2g", c.what, c.got, c.bound)
		}
	}
}

// The folded query path must agree with the general curve path.
func TestQueryMatchesCurve(t *testing.T) {
	m := defaultModelT(t)
	z := []float64{1.965, 0, 0.07, 0.48, 0.48, 3, 150}
	q, err := m.NewQuery(z)
	if err != nil {
		t.Fatal(err)
	}
	ns := make([]float64, len(z))
	for i, v := range z {
		ns[i] = friedmann.NOfZ(v)
	}
	h := make([]float64, len(z))
	pts := make([]Point, len(z))
	evals := make([]Point, len(z))
	for _, theta := range [][]float64{{0.3, 70}, {0.1, 50}, {0.5, 90}, {0.2718, 64.2}} {
		if err := q.Eval(evals, theta[0], theta[1]); err != nil {
			t.Fatal(err)
		}
		if err := q.Hubble(h, theta); err != nil {
			t.Fatal(err)
		}
		if err := m.Curve(pts, ns, theta[0], theta[1]); err != nil {
			t.Fatal(err)
		}
		for i := range z {
			if rel := math.Abs(h[i]/pts[i].H - 1); rel > 1e-12 {
				t.Errorf("θ = %v, z = %g: query %v, curve %v", theta, z[i], h[i], pts[i].H)
			}
			e, p := evals[i], pts[i]
			if math.Abs(e.H/p.H-1) > 1e-12 || math.Abs(e.OmegaR-p.OmegaR) > 1e-12 || math.Abs(e.OmegaM-p.OmegaM) > 1e-12 || math.Abs(e.OmegaL-p.OmegaL) > 1e-12 {
				t.Errorf("θ = %v, z = %g: Eval %+v, Curve %+v", theta, z[i], e, p)
			}
			if s := pts[i].OmegaR + pts[i].OmegaM + pts[i].OmegaL; math.Abs(s-1) > 1e-15 || pts[i].OmegaL < 0 {
				t.Errorf("θ = %v, z = %g: Ω %+v", theta, z[i], pts[i])
			}
		}
	}
	theta := []float64{0.3, 70}
	if a := testing.AllocsPerRun(100, func() { q.Hubble(h, theta) }); a != 0 {
		t.Errorf("Query.Hubble allocates %v times", a)
	}
}

func TestDomainAndFallback(t *testing.T) {
	m := defaultModelT(t)
	for _, tc := range []struct {
		n, om0, h0 float64
		param      string
	}{
		{-1, 0.05, 70, "Om0"},
		{-1, 0.3, 95, "H0"},
		{-13, 0.3, 70, "N"},
		{0.5, 0.3, 70, "N"},
		{-1, math.NaN(), 70, "Om0"},
	} {
		_, err := m.Predict(tc.n, tc.om0, tc.h0)
		var de *DomainError
		if !errors.As(err, &de) || de.Param != tc.param {
			t.Errorf("Predict(%v, %v, %v): got %v, want a *DomainError for %s", tc.n, tc.om0, tc.h0, err, tc.param)
			continue
		}
		if !strings.Contains(err.Error(), tc.param) || !strings.Contains(err.Error(), "training domain") {
			t.Errorf("message %q does not name the parameter and the domain", err)
		}
	}
	if _, err := m.NewQuery([]float64{0.5, 1e6}); err == nil || !strings.Contains(err.Error(), "z = 1e+06") {
		t.Errorf("query beyond the domain: got %v", err)
	}
	q, _ := m.NewQuery([]float64{0.5})
	if err := q.Hubble(make([]float64, 1), []float64{0.6, 70}); !errors.As(err, new(*DomainError)) {
		t.Errorf("query at Ω_m0 = 0.6: got %v", err)
	}

	// With the fallback the solver answers outside the domain.
	fb := m.WithFallback(nil)
	for _, tc := range [][3]float64{{-1, 0.05, 70}, {-1, 0.3, 95}, {-13, 0.3, 70}, {0.5, 0.3, 70}} {
		p, err := fb.Predict(tc[0], tc[1], tc[2])
		if err != nil {
			t.Fatalf("fallback %v: %v", tc, err)
		}
		ref, _ := friedmann.LCDM(tc[1], tc[2])
		if rel := math.Abs(p.H/ref.H(tc[0]) - 1); rel > 1e-8 {
			t.Errorf("fallback %v: H = %v, closed form %v", tc, p.H, ref.H(tc[0]))
		}
	}
	qf, err := fb.NewQuery([]float64{0.5, 1e6})
	if err != nil {
		t.Fatal(err)
	}
	h := make([]float64, 2)
	if err := qf.Hubble(h, []float64{0.3, 70}); err != nil {
		t.Fatal(err)
	}
	ref, _ := friedmann.LCDM(0.3, 70)
	if rel := math.Abs(h[1]/ref.HZ(1e6) - 1); rel > 1e-7 {
		t.Errorf("fallback query at z = 1e6: %v, closed form %v", h[1], ref.HZ(1e6))
	}
	// The fallback does not make invalid physics valid.
	if _, err := fb.Predict(-1, 1.5, 70); err == nil {
		t.Error("fallback accepted Ω_m0 = 1.5")
	}
	// The original model is unchanged.
	if _, err := m.Predict(-1, 0.05, 70); err == nil {
		t.Error("WithFallback changed the original model")
	}
}

func TestSaveLoadRoundTrip(t *testing.T) {
	m := defaultModelT(t)
	b, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, friedmannBytes(t)) {
		t.Error("re-encoding the embedded model changes its bytes")
	}
	path := filepath.Join(t.TempDir(), "m.bin")
	if err := m.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	back, err := LoadFriedmann(path)
	if err != nil {
		t.Fatal(err)
	}
	p1, _ := m.Predict(-2.5, 0.31, 68)
	p2, _ := back.Predict(-2.5, 0.31, 68)
	if p1 != p2 {
		t.Errorf("loaded model predicts %+v, original %+v", p2, p1)
	}
	if back.Recipe() != RecipeDefault || back.Training().Seed != m.Training().Seed {
		t.Error("metadata lost in the round trip")
	}
}

// rechecksum recomputes the SHA-256 trailer after an edit.
func rechecksum(b []byte) []byte {
	sum := sha256.Sum256(b[:len(b)-32])
	copy(b[len(b)-32:], sum[:])
	return b
}

func TestLoadErrors(t *testing.T) {
	good := friedmannBytes(t)
	dir := t.TempDir()
	corrupt := append([]byte(nil), good...)
	corrupt[len(corrupt)/2] ^= 0x40
	newer := append([]byte(nil), good...)
	binary.LittleEndian.PutUint32(newer[8:], FriedmannFormatVersion+1)
	newer = rechecksum(newer)
	badJSON := append([]byte(nil), good...)
	copy(badJSON[24:], "{\"format\": oops")
	badJSON = rechecksum(badJSON)
	hugeHeader := append([]byte(nil), good...)
	binary.LittleEndian.PutUint64(hugeHeader[16:], 1<<40)
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"empty.bin", nil, "not a cosmoemu model file"},
		{"png.bin", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "not a cosmoemu model file"},
		{"truncated.bin", good[:len(good)/3], "checksum mismatch"},
		{"short.bin", good[:30], "truncated"},
		{"corrupt.bin", corrupt, "checksum mismatch"},
		{"newer.bin", newer, "newer than this cosmoemu"},
		{"badjson.bin", badJSON, "bad header"},
		{"huge.bin", hugeHeader, "header length"},
	} {
		path := filepath.Join(dir, tc.name)
		if err := os.WriteFile(path, tc.data, 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := LoadFriedmann(path)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.name) {
			t.Errorf("%s: got %v, want an error naming the file and containing %q", tc.name, err, tc.want)
		}
	}
	if _, err := LoadFriedmann(filepath.Join(dir, "absent.bin")); err == nil || !strings.Contains(err.Error(), "absent.bin") {
		t.Errorf("missing file: %v", err)
	}
	if _, err := LoadFriedmann(filepath.Join(dir, "newer.bin")); !errors.Is(err, ErrNewerVersion) {
		t.Errorf("newer version: %v does not wrap ErrNewerVersion", err)
	}
}

// rawFile assembles a model file by hand, as docs/model-format.md
// describes it: arrays appended with tensor, then the header.
type rawFile struct{ data []float64 }

// tensor appends v with the given shape (default: a vector) and returns
// its JSON reference.
func (r *rawFile) tensor(v []float64, shape ...int) string {
	if shape == nil {
		shape = []int{len(v)}
	}
	dims, _ := json.Marshal(shape)
	ref := fmt.Sprintf(`{"dtype":"<f8","offset":%d,"shape":%s}`, 8*len(r.data), dims)
	r.data = append(r.data, v...)
	return ref
}

// bytes returns the file of the JSON header and the arrays.
func (r *rawFile) bytes(header string) []byte {
	for (modelfile.PrefixLen+len(header))%8 != 0 {
		header += " "
	}
	b := []byte(modelfile.Magic)
	b = binary.LittleEndian.AppendUint32(b, modelfile.Version)
	b = binary.LittleEndian.AppendUint32(b, 0)
	b = binary.LittleEndian.AppendUint64(b, uint64(len(header)))
	b = append(b, header...)
	for _, v := range r.data {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
	}
	return rechecksum(append(b, make([]byte, modelfile.ChecksumLen)...))
}

// tinyHeader returns the header of a hand-made model file of the recipe
// whose arrays are in r, in three parts: the object up to the networks, and
// the first and second (or empty) members of the networks object. Its
// networks have one layer, the default recipe four nodes, and no optional
// field is set: the file is the smallest that reaches every check of
// Decode, a few hundred bytes.
func tinyHeader(r *rawFile, recipe string) (head, net1, net2 string) {
	const domain = `"domain":{"Om0":[0.2,0.4],"H0":[60,80],"N":[-1,0]}`
	ramp := func(n int) []float64 {
		v := make([]float64, n)
		for i := range v {
			v[i] = 0.1 * float64(i+1)
		}
		return v
	}
	layer := func(in, out int) string {
		w := r.tensor(ramp(in*out), in, out)
		return fmt.Sprintf(`"layers":[{"in":%d,"out":%d,"activation":"linear","weight":%s,"bias":%s}]`, in, out, w, r.tensor(ramp(out)))
	}
	if recipe == RecipePaper {
		net := layer(3, 4)
		lo := r.tensor([]float64{0, 0, 0, 50})
		out := fmt.Sprintf(`{"kind":"minmax","low":0,"high":1,"min":%s,"max":%s}`, lo, r.tensor([]float64{1, 1, 1, 500}))
		return `{"format":"cosmoemu-friedmann","recipe":"paper",` + domain,
			fmt.Sprintf(`"point":{%s,"input_scaler":{"kind":"identity"},"output_scaler":%s}`, net, out), ""
	}
	nodes := r.tensor([]float64{-1, -2.0 / 3, -1.0 / 3, 0})
	curve := func(name string, outs int) string {
		net := layer(1, outs)
		lo := r.tensor([]float64{0.2})
		in := fmt.Sprintf(`{"kind":"minmax","low":-1,"high":1,"min":%s,"max":%s}`, lo, r.tensor([]float64{0.4}))
		mean := r.tensor(make([]float64, outs))
		out := fmt.Sprintf(`{"kind":"standard","mean":%s,"std":%s}`, mean, r.tensor(ramp(outs)))
		return fmt.Sprintf(`%q:{%s,"input_scaler":%s,"output_scaler":%s}`, name, net, in, out)
	}
	head = fmt.Sprintf(`{"format":"cosmoemu-friedmann","recipe":"default",%s,"nodes":%s`, domain, nodes)
	return head, curve("lnE", 4), curve("omega", 8)
}

// joinHeader joins the parts of tinyHeader.
func joinHeader(head, net1, net2 string) string {
	nets := net1
	if net2 != "" {
		nets += "," + net2
	}
	return head + `,"networks":{` + nets + `}}`
}

// tinyFile returns the hand-made model file of the recipe.
func tinyFile(recipe string) []byte {
	var r rawFile
	return r.bytes(joinHeader(tinyHeader(&r, recipe)))
}

// The hand-made files follow the documented format, so they must load.
func TestTinyFiles(t *testing.T) {
	for _, recipe := range []string{RecipeDefault, RecipePaper} {
		b := tinyFile(recipe)
		m, err := decodeFriedmannT(b)
		if err != nil {
			t.Fatalf("%s: %v", recipe, err)
		}
		if m.Recipe() != recipe {
			t.Errorf("recipe %q, want %q", m.Recipe(), recipe)
		}
		if _, err := m.Predict(-0.5, 0.3, 70); err != nil {
			t.Errorf("%s: %v", recipe, err)
		}
		t.Logf("%s: %d bytes", recipe, len(b))
	}
}

// FuzzLoad feeds Decode model files whose header is arbitrary, starting
// from the headers of the tiny hand-made files of both recipes. The header
// comes in three parts (see tinyHeader), each a few hundred bytes, so that
// the fuzzer spends its time mutating rather than minimizing what it
// found. The arrays are those of the seeds, and the container around them
// (magic, lengths, checksum) is fuzzed in internal/modelfile: every input
// here reaches the header, tensor and recipe checks.
func FuzzLoad(f *testing.F) {
	var pool rawFile
	for _, recipe := range []string{RecipeDefault, RecipePaper} {
		head, net1, net2 := tinyHeader(&pool, recipe)
		f.Add(head, net1, net2)
	}
	f.Fuzz(func(t *testing.T, head, net1, net2 string) {
		m, err := decodeFriedmannT(pool.bytes(joinHeader(head, net1, net2)))
		if err != nil {
			if m != nil {
				t.Fatal("a model and an error")
			}
			return
		}
		// Whatever loads must predict without panicking, and save to a
		// file that loads to the same predictions.
		d := m.Domain()
		n, om0, h0 := (d.N[0]+d.N[1])/2, (d.Om0[0]+d.Om0[1])/2, (d.H0[0]+d.H0[1])/2
		p, _ := m.Predict(n, om0, h0)
		if q, err := m.NewQuery([]float64{0.5, 1}); err == nil {
			q.Hubble(make([]float64, 2), []float64{om0, h0})
		}
		b, err := m.MarshalBinary()
		if err != nil {
			t.Fatalf("a loaded model does not encode: %v", err)
		}
		back, err := decodeFriedmannT(b)
		if err != nil {
			t.Fatalf("a saved model does not load: %v", err)
		}
		if p2, _ := back.Predict(n, om0, h0); p2 != p && !math.IsNaN(p.H) {
			t.Fatalf("the reloaded model predicts %+v, the loaded one %+v", p2, p)
		}
	})
}

// Solve is the solution the model emulates: the closed form to the
// solver's tolerance, inside and outside the domain.
func TestSolve(t *testing.T) {
	m := defaultModelT(t)
	ns := []float64{0, -0.5, -3, -12, -20}
	pts := make([]Point, len(ns))
	for _, theta := range [][2]float64{{0.3, 70}, {0.05, 120}} {
		if err := m.Solve(pts, ns, theta[0], theta[1]); err != nil {
			t.Fatal(err)
		}
		ref, err := friedmann.LCDMRadiation(theta[0], m.OmegaR0(), theta[1])
		if err != nil {
			t.Fatal(err)
		}
		var om [3]float64
		for i, n := range ns {
			ref.Omegas(om[:], n)
			p := pts[i]
			// Measured: |ΔH|/H up to 6.8e-10 (N = −20), |ΔΩ_i| up to
			// 2.7e-11; the bounds are 1.5 and 4 times those.
			if math.Abs(p.H/ref.H(n)-1) > 1e-9 || math.Abs(p.OmegaR-om[0]) > 1e-10 || math.Abs(p.OmegaM-om[1]) > 1e-10 || math.Abs(p.OmegaL-om[2]) > 1e-10 {
				t.Errorf("θ = %v, N = %v: Solve %+v, closed form Ω %v, H %v", theta, n, p, om, ref.H(n))
			}
		}
	}
	if err := m.Solve(pts, ns, 1.2, 70); err == nil {
		t.Error("Solve accepted Ω_m0 = 1.2")
	}
}

// An H that overflows is an error, not +Inf.
func TestOverflowIsAnError(t *testing.T) {
	fb := defaultModelT(t).WithFallback(nil)
	if _, err := fb.Predict(-12, 0.3, 1e308); err == nil || !strings.Contains(err.Error(), "not a finite positive number") {
		t.Errorf("H0 = 1e308 at N = −12: %v", err)
	}
	pts := make([]Point, 1)
	if err := fb.Solve(pts, []float64{-12}, 0.3, 1e308); err == nil {
		t.Error("Solve: no error for an infinite H")
	}
}

// friedmannBytes returns the embedded Friedmann emulator's file.
func friedmannBytes(t testing.TB) []byte {
	t.Helper()
	b, err := DefaultBytes(friedmannModel)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func decodeFriedmannT(b []byte) (*Friedmann, error) {
	f, err := openFile(b, "")
	if err != nil {
		return nil, err
	}
	return decodeFriedmann(f)
}
