package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOtherOutputsNeverOverwriteInputs: for every other command with both
// inputs and outputs, every output flag naming an input — by the same
// path, another spelling of it, a symbolic link or a hard link — is
// refused with exit 2 naming both flags, and the input is left byte for
// byte.
func TestOtherOutputsNeverOverwriteInputs(t *testing.T) {
	for _, tc := range []struct {
		in, out string // the flags
		args    func(in, out string) []string
	}{
		{"in", "out", func(in, out string) []string { return []string{"predict", "-in", in, "-out", out} }},
		{"model", "out", func(in, out string) []string { return []string{"predict", "-model", in, "-in", "-", "-out", out} }},
		{"data", "out", func(in, out string) []string { return []string{"reconstruct", "-data", in, "-out", out} }},
		{"data", "out", func(in, out string) []string { return []string{"reconstruct", "-data", "hz:" + in, "-out", out} }},
		{"model", "fig6", func(in, out string) []string { return []string{"validate", "-model", in, "-fig6", out} }},
		{"model", "fig7", func(in, out string) []string { return []string{"validate", "-model", in, "-fig7", out} }},
		{"emulator", "plot", func(in, out string) []string {
			return []string{"validate", "-model", "quintessence", "-emulator", in, "-plot", out}
		}},
		{"grid", "out", func(in, out string) []string { return []string{"train", "-grid", in, "-out", out} }},
		{"grid", "plot", func(in, out string) []string {
			return []string{"train", "-grid", in, "-out", out + ".bin", "-plot", out}
		}},
		{"data", "model-out", func(in, out string) []string { return []string{"classify", "-data", in, "-model-out", out} }},
		{"model", "out", func(in, out string) []string {
			return []string{"classify", "-model", in, "-predict", in + ".rows", "-out", out}
		}},
		{"predict", "out", func(in, out string) []string {
			return []string{"classify", "-model", in + ".m", "-predict", in, "-out", out}
		}},
	} {
		for _, link := range []string{"same", "spelling", "symlink", "hardlink"} {
			dir := t.TempDir()
			in := filepath.Join(dir, "input.npz") // .npz for train -grid
			content := []byte("0.1 70 5\n")
			os.WriteFile(in, content, 0o644)
			os.WriteFile(in+".rows", content, 0o644)
			os.WriteFile(in+".m", content, 0o644)
			out := in
			switch link {
			case "spelling":
				out = filepath.Join(dir, "sub", "..", "input.npz")
				os.Mkdir(filepath.Join(dir, "sub"), 0o755)
			case "symlink":
				out = filepath.Join(dir, "out.png")
				os.Symlink(in, out)
			case "hardlink":
				out = filepath.Join(dir, "out.png")
				os.Link(in, out)
			}
			args := tc.args(in, out)
			code, _, stderr := runCLI(t, args...)
			if code != 2 || !strings.Contains(stderr, "-"+tc.in) || !strings.Contains(stderr, "-"+tc.out) {
				t.Errorf("%s: cosmoemu %s: exit %d, %q; want exit 2 naming -%s and -%s", link, strings.Join(args, " "), code, stderr, tc.in, tc.out)
			}
			if b, _ := os.ReadFile(in); string(b) != string(content) {
				t.Fatalf("%s: cosmoemu %s overwrote its input", link, strings.Join(args, " "))
			}
		}
	}
}
