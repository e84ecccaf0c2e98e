// Package numpytest runs Python with numpy from tests, to check that files
// written in Go load in Python as documented.
//
// Tests skip when no Python with numpy is found, except when the environment
// variable COSMOEMU_REQUIRE_NUMPY is set (as .ci/run does): then they fail,
// so that the check can never be skipped silently in CI.
package numpytest

import (
	"bytes"
	"os"
	"os/exec"
	"sync"
	"testing"
)

var (
	once   sync.Once
	python string
)

// find returns a Python interpreter that imports numpy, or "".
func find() string {
	once.Do(func() {
		candidates := []string{"/usr/bin/python3"}
		if p, err := exec.LookPath("python3"); err == nil {
			candidates = append(candidates, p)
		}
		for _, c := range candidates {
			if exec.Command(c, "-c", "import numpy").Run() == nil {
				python = c
				return
			}
		}
	})
	return python
}

// Python returns the path of a Python with numpy, skipping (or, under
// COSMOEMU_REQUIRE_NUMPY, failing) the test if there is none.
func Python(t testing.TB) string {
	t.Helper()
	p := find()
	if p == "" {
		if os.Getenv("COSMOEMU_REQUIRE_NUMPY") != "" {
			t.Fatal("no python3 with numpy found, and COSMOEMU_REQUIRE_NUMPY is set (install python3-numpy)")
		}
		t.Skip("no python3 with numpy found (install python3-numpy)")
	}
	return p
}

// Modules returns the path of a Python with numpy that also imports the
// given modules (e.g. "astropy"), with the skip-or-fail rule of Python: the
// Debian packages are python3-<module>.
func Modules(t testing.TB, modules ...string) string {
	t.Helper()
	p := Python(t)
	for _, m := range modules {
		if exec.Command(p, "-c", "import "+m).Run() != nil {
			if os.Getenv("COSMOEMU_REQUIRE_NUMPY") != "" {
				t.Fatalf("python3 cannot import %s, and COSMOEMU_REQUIRE_NUMPY is set (install python3-%s)", m, m)
			}
			t.Skipf("python3 cannot import %s (install python3-%s)", m, m)
		}
	}
	return p
}

// Run runs the Python program src with args and returns its standard output,
// failing the test with its standard error if it fails.
func Run(t testing.TB, src string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(Python(t), append([]string{"-c", src}, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("python failed: %v\n%s", err, stderr.String())
	}
	return stdout.Bytes()
}
