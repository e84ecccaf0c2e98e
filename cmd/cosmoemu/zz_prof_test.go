package main

import (
	"context"
	"io"
	"os"
	"testing"
)

func TestZZProf(t *testing.T) {
	root := os.Getenv("ZZROOT")
	if root == "" {
		t.Skip()
	}
	e := &env{ctx: context.Background(), stdin: os.Stdin, stdout: io.Discard, stderr: io.Discard}
	if err := run(e, []string{"fit", "-model", "w0wacdm", "-data", "desi-dr2,union3,planck18-distance", "-out", root, "-force"}); err != nil {
		t.Fatal(err)
	}
}
