package emulator

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cosmoemu/cosmoemu/friedmann"
	"github.com/cosmoemu/cosmoemu/grid"
	"github.com/cosmoemu/cosmoemu/internal/modelfile"
)

func defaultModelT(t testing.TB) *Model {
	t.Helper()
	m, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// The embedded default model must meet the accuracy it promises, on 1,000
// random points over its whole domain and 1,000 with z in [0, 3], against
// the closed form.
func TestDefaultModelAccuracy(t *testing.T) {
	m := defaultModelT(t)
	d := m.Domain()
	if d.Om0[0] > 0.1 || d.Om0[1] < 0.5 || d.H0[0] > 50 || d.H0[1] < 90 || d.N[0] > -12 || d.N[1] < 0 {
		t.Fatalf("domain %+v does not cover Ω_m0 ∈ [0.1, 0.5], H0 ∈ [50, 90], N ∈ [−12, 0]", d)
	}
	r, err := Validate(m, 1000, rand.New(rand.NewPCG(2026, 11)))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v", *r)
	if r.MaxRelErrHZ03 > 1e-4 {
		t.Errorf("max relative error of H for z in [0, 3] = %.3g > 1e-4", r.MaxRelErrHZ03)
	}
	if r.MaxRelErrHAll > 1e-3 {
		t.Errorf("max relative error of H over N in [−12, 0] = %.3g > 1e-3", r.MaxRelErrHAll)
	}
	if r.MaxAbsErrOmega > 1e-4 || r.MaxAbsErrOmegaZ3 > 1e-4 {
		t.Errorf("max absolute error of Ω_i = %.3g / %.3g > 1e-4", r.MaxAbsErrOmega, r.MaxAbsErrOmegaZ3)
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
	if !bytes.Equal(b, DefaultBytes()) {
		t.Error("re-encoding the embedded model changes its bytes")
	}
	path := filepath.Join(t.TempDir(), "m.bin")
	if err := m.Save(path); err != nil {
		t.Fatal(err)
	}
	back, err := Load(path)
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
	good := DefaultBytes()
	dir := t.TempDir()
	corrupt := append([]byte(nil), good...)
	corrupt[len(corrupt)/2] ^= 0x40
	newer := append([]byte(nil), good...)
	binary.LittleEndian.PutUint32(newer[8:], FormatVersion+1)
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
		_, err := Load(path)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.name) {
			t.Errorf("%s: got %v, want an error naming the file and containing %q", tc.name, err, tc.want)
		}
	}
	if _, err := Load(filepath.Join(dir, "absent.bin")); err == nil || !strings.Contains(err.Error(), "absent.bin") {
		t.Errorf("missing file: %v", err)
	}
	if _, err := Load(filepath.Join(dir, "newer.bin")); !errors.Is(err, ErrNewerVersion) {
		t.Errorf("newer version: %v does not wrap ErrNewerVersion", err)
	}
}

func TestTrainDefaultDeterministic(t *testing.T) {
	spec := grid.Spec{
		Om0: grid.Axis{Min: 0.2, Max: 0.4, Count: 21},
		H0:  grid.Axis{Min: 60, Max: 75, Count: 2},
		N:   grid.Axis{Min: -4, Max: 0, Count: 21},
	}
	g, err := grid.Build(context.Background(), spec, nil)
	if err != nil {
		t.Fatal(err)
	}
	set := &TrainSettings{Seed: 5, Epochs: 60, LBFGSIters: 60, Hidden: 6, OmegaWidth: 8}
	var models [][]byte
	for _, workers := range []int{1, 2} {
		s := *set
		s.Workers = workers
		m, h, err := Train(context.Background(), RecipeDefault, g, &s)
		if err != nil {
			t.Fatal(err)
		}
		if len(h.Loss) != 3 || len(h.Loss[0]) != 120 { // ln E, Ω and the late E
			t.Fatalf("history has %d networks, %d entries", len(h.Loss), len(h.Loss[0]))
		}
		b, err := m.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		models = append(models, b)
		d := m.Domain()
		if d.Om0 != [2]float64{0.2, 0.4} || d.H0 != [2]float64{60, 75} || d.N != [2]float64{-4, 0} {
			t.Errorf("domain %+v", d)
		}
		// A short training is rough, but it is a fit.
		r, err := Validate(m, 200, rand.New(rand.NewPCG(1, 1)))
		if err != nil {
			t.Fatal(err)
		}
		if r.MaxRelErrHAll > 0.05 || r.MaxAbsErrOmega > 0.05 {
			t.Errorf("tiny model: %+v", *r)
		}
	}
	if !bytes.Equal(models[0], models[1]) {
		t.Error("training with 1 and 2 workers gives different model bytes")
	}
}

func TestTrainPaperRecipe(t *testing.T) {
	spec := grid.Spec{
		Om0: grid.Axis{Min: 0.2, Max: 0.4, Count: 5},
		H0:  grid.Axis{Min: 66, Max: 80, Count: 3},
		N:   grid.Axis{Min: -12, Max: 0, Count: 10},
	}
	g, err := grid.Build(context.Background(), spec, nil)
	if err != nil {
		t.Fatal(err)
	}
	var prev []byte
	for range 2 {
		m, h, err := Train(context.Background(), RecipePaper, g, &TrainSettings{Epochs: 3, Seed: 9})
		if err != nil {
			t.Fatal(err)
		}
		if got := m.NumParams()["point"]; got != 69154 {
			t.Errorf("paper network has %d parameters, want 69,154", got)
		}
		if len(h.Loss[0]) != 3 || math.IsNaN(h.Final[0].Validation) {
			t.Errorf("history %+v", h.Final)
		}
		p, err := m.Predict(-1, 0.3, 70)
		if err != nil || p.H <= 0 {
			t.Errorf("Predict: %+v, %v", p, err)
		}
		b, _ := m.MarshalBinary()
		back, err := UnmarshalBinary(b)
		if err != nil {
			t.Fatal(err)
		}
		if p2, _ := back.Predict(-1, 0.3, 70); p2 != p {
			t.Error("paper model changes in a save/load round trip")
		}
		if prev != nil && !bytes.Equal(prev, b) {
			t.Error("the same seed gives different paper models")
		}
		prev = b
	}
	if _, _, err := Train(context.Background(), "fancy", g, nil); err == nil || !strings.Contains(err.Error(), "fancy") {
		t.Errorf("unknown recipe: %v", err)
	}
}

// FuzzLoad feeds Load arbitrary bytes, from the seed corpus in
// testdata/fuzz/FuzzLoad. Random mutations rarely survive the checksum, so
// each input is also tried with its checksum recomputed, which sends it on
// to the header and tensor checks.
func FuzzLoad(f *testing.F) {
	f.Add(DefaultBytes())
	f.Fuzz(func(t *testing.T, b []byte) {
		try := func(b []byte) {
			m, err := UnmarshalBinary(b)
			if err != nil {
				if m != nil {
					t.Fatal("a model and an error")
				}
				return
			}
			// Whatever loads must predict without panicking.
			d := m.Domain()
			m.Predict((d.N[0]+d.N[1])/2, (d.Om0[0]+d.Om0[1])/2, (d.H0[0]+d.H0[1])/2)
			if q, err := m.NewQuery([]float64{0.5, 1}); err == nil {
				q.Hubble(make([]float64, 2), []float64{(d.Om0[0] + d.Om0[1]) / 2, (d.H0[0] + d.H0[1]) / 2})
			}
		}
		try(b)
		if len(b) >= modelfile.PrefixLen+modelfile.ChecksumLen {
			try(rechecksum(append([]byte(nil), b...)))
		}
	})
}
