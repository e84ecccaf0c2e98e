package chains

import (
	"os"
	"path/filepath"
	"testing"
)

// TestRunOf: the files of an existing run (a checkpoint or a .paramnames
// at its root) name it; files of no run, or of a root without one, do not.
func TestRunOf(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a")
	os.WriteFile(a+ParamNamesSuffix, []byte("x\tx\n"), 0o644)
	b := filepath.Join(dir, "b_2") // a root that ends in _N
	os.WriteFile(b+CheckpointSuffix, []byte("x"), 0o644)
	for _, tc := range []struct{ path, want string }{
		{a + "_1.txt", a}, {a + "_17.txt", a}, {a + ".txt", a}, {a + ".ranges", a}, {a + ".corner.png", a},
		{a + ".lock", a}, {a + ".chain.npy", a}, {filepath.Join(dir, ".a.new_3.txt"), a}, {filepath.Join(dir, ".a.new.ranges"), a},
		{b + "_1.txt", b}, {b + ".txt", b}, {b + ".summary.json", b},
		{a + ".png", ""}, {a + "x.txt", ""}, {filepath.Join(dir, "c_1.txt"), ""}, {filepath.Join(dir, "other.ranges"), ""},
	} {
		if got := RunOf(tc.path); got != tc.want {
			t.Errorf("RunOf(%s) = %q, want %q", tc.path, got, tc.want)
		}
	}
}

// TestChainFiles: the chains of a root are ROOT.txt and ROOT_N.txt, in
// order, with the root's name taken literally (regexp metacharacters and
// all), and only in the root's directory.
func TestChainFiles(t *testing.T) {
	dir := t.TempDir()
	root := filepath.Join(dir, "r.un+1")
	for _, name := range []string{"r.un+1.txt", "r.un+1_2.txt", "r.un+1_10.txt", "rxun+1_1.txt", "r.un+1_x.txt", "r.un+1_1.txt.bak", "r.un+1.ranges", "r.un+11.txt"} {
		os.WriteFile(filepath.Join(dir, name), nil, 0o644)
	}
	got := chainFiles(root)
	want := []string{root + ".txt", root + "_10.txt", root + "_2.txt"}
	if len(got) != len(want) {
		t.Fatalf("chainFiles = %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("chainFiles = %q, want %q", got, want)
		}
	}
}
