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
