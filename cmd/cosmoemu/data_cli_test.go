package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDataList(t *testing.T) {
	code, stdout, stderr := runCLI(t, "data")
	if code != 0 {
		t.Fatal(stderr)
	}
	for _, want := range []string{"desi-dr2", "union3", "pantheonplus", "planck18-distance", "sh0es", "arXiv:2503.14738", "data get pantheonplus-cov",
		"never with desi-dr2: DESI DR2 supersedes DR1"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("cosmoemu data does not mention %q", want)
		}
	}
	// -json prints the catalogue (without the loaders).
	code, stdout, stderr = runCLI(t, "data", "-json")
	if code != 0 {
		t.Fatal(stderr)
	}
	var sets []struct {
		Name, Measures, Citation string
		Cov                      *struct{ Name, URL, BlobSHA1 string }
		Excludes                 []struct{ Set, Reason string }
	}
	if err := json.Unmarshal([]byte(stdout), &sets); err != nil {
		t.Fatal(err)
	}
	byName := map[string]int{}
	for i, s := range sets {
		byName[s.Name] = i
	}
	if p := sets[byName["pantheonplus"]]; p.Measures != "sn" || p.Cov == nil || p.Cov.Name != "pantheonplus-cov" || p.Citation == "" {
		t.Errorf("pantheonplus in -json: %+v", p)
	}
	if d := sets[byName["desi-dr1"]]; len(d.Excludes) == 0 {
		t.Errorf("desi-dr1 in -json has no exclusions: %+v", d)
	}
}

// TestDataGet fetches from a local server (these machines have no
// internet): a file whose git blob hash is not the registry's is refused
// and nothing is left in the cache; a server that is down gives the
// address to fetch by hand.
func TestDataGet(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("1\n1.0\n"))
	}))
	defer srv.Close()
	cache := t.TempDir()
	code, _, stderr := runCLI(t, "data", "get", "pantheonplus-cov", "-url", srv.URL+"/cov", "-cache", cache)
	if code != 1 || !strings.Contains(stderr, "git blob SHA-1") || !strings.Contains(stderr, "not saved") {
		t.Errorf("wrong hash: exit %d, %q", code, stderr)
	}
	if entries, _ := os.ReadDir(cache); len(entries) != 0 {
		t.Errorf("the cache holds %v after a refused download", entries)
	}
	srv.Close()
	code, _, stderr = runCLI(t, "data", "get", "desy5-cov", "-url", srv.URL+"/cov", "-cache", cache)
	if code != 1 || !strings.Contains(stderr, "by hand") || !strings.Contains(stderr, filepath.Join(cache, "")) {
		t.Errorf("no server: exit %d, %q", code, stderr)
	}
	if code, _, stderr := runCLI(t, "data", "get", "union3-cov"); code != 2 || !strings.Contains(stderr, "union3-cov") {
		t.Errorf("unknown file: exit %d, %q", code, stderr)
	}
	if code, _, stderr := runCLI(t, "data", "get"); code != 2 || !strings.Contains(stderr, "pantheonplus-cov") {
		t.Errorf("no name: exit %d, %q", code, stderr)
	}
}

// TestFitNeedsCov: without its covariance, pantheonplus fails saying, in
// the command line's terms, how to get it.
func TestFitNeedsCov(t *testing.T) {
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	t.Setenv("HOME", cache)
	code, _, stderr := runCLI(t, "fit", "-data", "pantheonplus")
	for _, want := range []string{"fit: pantheonplus needs its covariance", "cosmoemu data get pantheonplus-cov", "-data pantheonplus:FILE", "-diag-only", "https://raw.githubusercontent.com/"} {
		if code != 2 || !strings.Contains(stderr, want) {
			t.Errorf("exit %d, %q: want exit 2 and %q", code, stderr, want)
		}
	}
}
