package chains

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cosmoemu/cosmoemu/internal/atomicfile"
)

func TestColumnsNormalize(t *testing.T) {
	c, err := Columns{Derived: []string{"chi2"}}.Normalize(2)
	if err != nil || strings.Join(c.Names, ",") != "x1,x2" || c.Labels[1] != "x2" || c.DerivedLabels[0] != "chi2" {
		t.Errorf("defaults: %+v, %v", c, err)
	}
	for _, tc := range []struct {
		c    Columns
		want string
	}{
		{Columns{Names: []string{"a"}}, "1 names for 2 parameters"},
		{Columns{Names: []string{"a", "b c"}}, `"b c"`},
		{Columns{Names: []string{"a", "b*"}}, "trailing *"},
		{Columns{Names: []string{"a", "b"}, Derived: []string{"a"}}, `"a" is given twice`},
		{Columns{Names: []string{"a", "b"}, Labels: []string{"a", "x\ny"}}, "not one line"},
		{Columns{Names: []string{"a", "b"}, Ranges: [][2]float64{{0, 1}, {2, 1}}}, "range 2 of b"},
		{Columns{Names: []string{"a", "b"}, Ranges: [][2]float64{{0, 1}, {math.NaN(), 1}}}, "range 2 of b"},
	} {
		if _, err := tc.c.Normalize(2); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want %q", tc.c, err, tc.want)
		}
	}
}

func TestCheckpointRoundTrip(t *testing.T) {
	h := &Header{Kind: "ensemble", Status: "a run", Chains: 2, Fingerprint: "seed=1", Files: []FileSum{{Name: "r_1.txt", Size: 10, CRC: 7}}}
	b, err := EncodeCheckpoint(h, map[string]int{"step": 3})
	if err != nil {
		t.Fatal(err)
	}
	got, st, err := DecodeCheckpoint(b)
	if err != nil || got.Kind != "ensemble" || got.Files[0] != h.Files[0] || string(st) != `{"step":3}` {
		t.Fatalf("%+v %s %v", got, st, err)
	}
	for i := range len(b) * 8 {
		c := append([]byte(nil), b...)
		c[i/8] ^= 1 << (i % 8)
		if _, _, err := DecodeCheckpoint(c); err == nil {
			t.Fatalf("bit %d flipped: accepted", i)
		}
	}
}

func TestFingerprintDiff(t *testing.T) {
	if d := FingerprintDiff("a=1\nb=2\n", "a=1\nb=2\n"); d != "" {
		t.Errorf("equal: %q", d)
	}
	if d := FingerprintDiff("a=1\nb=2\n", "a=1\nb=3\nc=4\n"); !strings.Contains(d, `b was "2", now "3", c was "", now "4"`) || strings.Contains(d, "a was") {
		t.Errorf("fields: %q", d)
	}
	if d := FingerprintDiff("opaque", "other"); !strings.Contains(d, `fingerprint "opaque", now "other"`) {
		t.Errorf("opaque: %q", d)
	}
}

func TestFloatJSON(t *testing.T) {
	b, err := json.Marshal([]Float{1.5, Float(math.NaN()), Float(math.Inf(-1))})
	if err != nil || string(b) != "[1.5,null,null]" {
		t.Errorf("%s %v", b, err)
	}
	var f []Float
	if err := json.Unmarshal(b, &f); err != nil || f[0] != 1.5 || !math.IsNaN(float64(f[1])) {
		t.Errorf("%v %v", f, err)
	}
}

// TestNpyPrefix: the record of a .npy file holds for a later, longer file
// (rows appended after the checkpoint) and fails for a changed one.
func TestNpyPrefix(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.npy")
	sum, err := WriteNpy(path, []int{2, 2}, []float64{1, 2, 3, 4})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := WriteNpy(path, []int{3, 2}, []float64{1, 2, 3, 4, 5, 6}); err != nil {
		t.Fatal(err)
	}
	if v, err := ReadNpy(path, []int{2, 2}, sum); err != nil || v[3] != 4 {
		t.Errorf("longer file: %v, %v", v, err)
	}
	if _, err := WriteNpy(path, []int{2, 2}, []float64{1, 2, 3, 4.5}); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadNpy(path, []int{2, 2}, sum); err == nil || !strings.Contains(err.Error(), "does not match its checkpoint") {
		t.Errorf("changed file: %v", err)
	}
}

// TestOpenPolicy: a root that holds a run is refused without Overwrite,
// staged with it; the collisions of A_1 and A are refused both ways.
func TestOpenPolicy(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a")
	r, err := Open(a, Options{Kind: "ensemble", Chains: 3})
	if err != nil {
		t.Fatal(err)
	}
	txt, _ := r.CreateText()
	txt.Append(0, 1, 2, []float64{3}, nil)
	txt.Flush()
	if err := r.WriteCheckpoint(&Header{Status: "a test run", Files: txt.Sums()}, struct{}{}); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(a, Options{Kind: "nested"}); !errors.Is(err, atomicfile.ErrLocked) {
		t.Errorf("second Open while held: %v", err)
	}
	r.Close()
	if _, err := Open(a, Options{Kind: "nested"}); !errors.Is(err, ErrRunExists) || !strings.Contains(err.Error(), "a test run") {
		t.Errorf("fresh over a run: %v", err)
	}
	if _, err := Open(a+"_2", Options{Kind: "nested"}); !errors.Is(err, ErrCollision) || !strings.Contains(err.Error(), "a_2.txt is chain 2 of the run at") {
		t.Errorf("A_2 under A: %v", err)
	}
	if _, err := Open(a+"_7", Options{Kind: "ensemble", Chains: 4}); err != nil {
		t.Errorf("MCMC at A_7 shares no file with A: %v", err)
	}
	os.Remove(a + "_7.lock")
	r, err = Open(a, Options{Kind: "ensemble", Chains: 3, Overwrite: true})
	if err != nil || !r.Staged() {
		t.Fatalf("Overwrite: staged %v, %v", r != nil && r.Staged(), err)
	}
	r.Close()
	if _, err := os.Stat(a + CheckpointSuffix); err != nil {
		t.Error("a replacement closed before Commit removed the old run")
	}
}

// FuzzDecodeCheckpoint: no input makes the envelope decoder panic.
func FuzzDecodeCheckpoint(f *testing.F) {
	b, _ := EncodeCheckpoint(&Header{Kind: "nested", Files: []FileSum{{Name: "a", Size: 1}}}, []int{1})
	f.Add(b)
	f.Add(b[:len(b)/2])
	f.Fuzz(func(t *testing.T, b []byte) { DecodeCheckpoint(b) })
}

// TestChainSymlinkNotFollowed: a symbolic link where a chain goes is never
// written through; the file it names keeps its content.
func TestChainSymlinkNotFollowed(t *testing.T) {
	for _, overwrite := range []bool{false, true} {
		dir := t.TempDir()
		outside := filepath.Join(dir, "precious.txt")
		if err := os.WriteFile(outside, []byte("keep me\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		a := filepath.Join(dir, "a")
		if err := os.Symlink(outside, a+"_1.txt"); err != nil {
			t.Skip("no symbolic links here:", err)
		}
		r, err := Open(a, Options{Kind: "ensemble", Chains: 1, Overwrite: overwrite})
		if err == nil {
			var txt *Text
			txt, err = r.CreateText()
			if err == nil {
				txt.Append(0, 1, 2, []float64{3}, nil)
				txt.Flush()
				if err = r.Commit(); err == nil {
					err = r.WriteCheckpoint(&Header{Status: "test", Files: txt.Sums()}, struct{}{})
				}
			}
			r.Close()
		}
		if b, _ := os.ReadFile(outside); string(b) != "keep me\n" {
			t.Errorf("overwrite=%v: the link's target was written: %q (err %v)", overwrite, b, err)
		}
		if !overwrite && (err == nil || !strings.Contains(err.Error(), "a_1.txt")) {
			t.Errorf("overwrite=false: want an error naming a_1.txt, got %v", err)
		}
	}
}

// TestTextRepeatedRows: a row equal to the chain's last one is written
// from its cached text, bit for bit: −0 and NaN are told apart from 0 and
// from each other's neighbours, and another chain's rows do not mix in.
func TestTextRepeatedRows(t *testing.T) {
	root := filepath.Join(t.TempDir(), "r")
	r, err := Open(root, Options{Kind: "ensemble", Chains: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	txt, err := r.CreateText()
	if err != nil {
		t.Fatal(err)
	}
	nan := math.NaN()
	rows := []struct {
		i       int
		w, like float64
		x, der  []float64
	}{
		{0, 1, 2, []float64{0.5, 0}, []float64{7}},
		{1, 1, 2, []float64{0.5, 0}, []float64{8}},
		{0, 1, 2, []float64{0.5, 0}, []float64{7}},
		{0, 1, 2, []float64{0.5, math.Copysign(0, -1)}, []float64{7}},
		{0, 1, 2, []float64{0.5, math.Copysign(0, -1)}, []float64{nan}},
		{0, 1, 2, []float64{0.5, math.Copysign(0, -1)}, []float64{nan}},
		{0, 2, 2, []float64{0.5, math.Copysign(0, -1)}, []float64{nan}},
		{0, 2, 2, []float64{0.5}, []float64{0, nan}},
	}
	var want [2]string
	for _, row := range rows {
		if err := txt.Append(row.i, row.w, row.like, row.x, row.der); err != nil {
			t.Fatal(err)
		}
		want[row.i] += string(AppendRow(nil, row.w, row.like, row.x, row.der))
	}
	if err := txt.Flush(); err != nil {
		t.Fatal(err)
	}
	for i, w := range want {
		b, err := os.ReadFile(ChainFile(root, i+1))
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != w {
			t.Errorf("chain %d:\n%s\nwant\n%s", i+1, b, w)
		}
	}
}
