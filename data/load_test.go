package data

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSets(t *testing.T) {
	want := []string{"cc31", "simulated20", "desi-dr1", "desi-dr1-eboss-lya", "desi-dr2", "sdss-dr12",
		"union3", "pantheonplus", "desy5", "planck18-distance", "sh0es"}
	got := Sets()
	if len(got) != len(want) {
		t.Fatalf("%d sets, want %d", len(got), len(want))
	}
	for i, s := range got {
		if s.Name != want[i] {
			t.Errorf("set %d is %q, want %q", i, s.Name, want[i])
		}
		if s.Doc == "" || s.Citation == "" {
			t.Errorf("%s: missing doc or citation", s.Name)
		}
		if _, ok := builtin[s.Name]; !ok {
			t.Errorf("%s has no loader", s.Name)
		}
		if (s.Cov != nil) != (s.Name == "pantheonplus" || s.Name == "desy5") {
			t.Errorf("%s: Cov = %v", s.Name, s.Cov)
		}
		opt := &Options{DiagOnly: s.Cov != nil}
		ds, err := Load(s.Name, opt)
		if err != nil {
			t.Errorf("%s: %v", s.Name, err)
			continue
		}
		if ds.Kind != s.Kind || ds.Name() != s.Name {
			t.Errorf("%s: loaded kind %s named %q, registry says %s", s.Name, ds.Kind, ds.Name(), s.Kind)
		}
	}
	if len(builtin) != len(want) {
		t.Errorf("%d loaders for %d sets", len(builtin), len(want))
	}
	// Copies: editing one does not change the registry.
	got[0].Name = "x"
	got[7].Cov.URL = "x"
	if s, err := Lookup("pantheonplus"); err != nil || s.Cov.URL == "x" || Sets()[0].Name != "cc31" {
		t.Error("Sets returned the registry itself")
	}
	u, _ := Lookup("union3")
	if !strings.Contains(u.License, "MIT License") || !strings.Contains(u.License, "David Rubin") {
		t.Errorf("union3 licence: %q", u.License)
	}
	_, err := Lookup("pantheon")
	if err == nil || !strings.Contains(err.Error(), `unknown data set "pantheon"`) || !strings.Contains(err.Error(), "pantheonplus, desy5") {
		t.Errorf("unknown set: got %v", err)
	}
}

func TestRemotes(t *testing.T) {
	rs := Remotes()
	if len(rs) != 2 {
		t.Fatalf("%d remotes, want 2", len(rs))
	}
	// The hashes of the shared data README, verbatim.
	want := map[string]string{
		"pantheonplus-cov": "d1a1498154e7ba826df14bdbef35ebcb7f5efba1",
		"desy5-cov":        "d5aa174d198cf24cfa749b49be288041e5d4721f",
	}
	for _, r := range rs {
		if r.BlobSHA1 != want[r.Name] {
			t.Errorf("%s: hash %s, want %s", r.Name, r.BlobSHA1, want[r.Name])
		}
		if !strings.HasPrefix(r.URL, "https://raw.githubusercontent.com/") || strings.Contains(r.URL, "+") || r.File == "" || r.Set == "" {
			t.Errorf("%s: URL %q (no '+': it is %%2B in URLs), file %q, set %q", r.Name, r.URL, r.File, r.Set)
		}
		if got, err := LookupRemote(r.Name); err != nil || *got != *r {
			t.Errorf("LookupRemote(%q) = %v, %v", r.Name, got, err)
		}
	}
	if !rs[1].Gzip || rs[0].Gzip {
		t.Error("only the DES file is gzip-compressed")
	}
	if _, err := LookupRemote("x"); err == nil || !strings.Contains(err.Error(), "pantheonplus-cov, desy5-cov") {
		t.Errorf("unknown remote: got %v", err)
	}
}

func TestLoadSpecs(t *testing.T) {
	for _, tc := range []struct{ spec, want string }{
		{"", "empty data set name"},
		{"nonexistent-set", `unknown data set "nonexistent-set": not a built-in set (cc31, simulated20`},
		{"xy:file", `unknown prefix "xy"`},
		{"hz:", "want hz:FILE[:COV]"},
		{"hz:a:", "want hz:FILE[:COV]"},
		{"bao:a:b:c", "file names cannot contain ':'"},
		{"pantheonplus:a:b", "want pantheonplus:COVFILE"},
		{"sn:/nonexistent/t.txt", "no such file"},
	} {
		if _, err := Load(tc.spec, nil); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: got %v, want %q", tc.spec, err, tc.want)
		}
	}
}

// TestBuiltinShadowsFile: a file named like a built-in set is not read,
// and the caller is told.
func TestBuiltinShadowsFile(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if ds, err := Load("cc31", nil); err != nil || ds.Warning != "" {
		t.Fatalf("no local file: %v, warning %q", err, ds.Warning)
	}
	writeFile(t, filepath.Join(dir, "cc31"), "0.1 70 5\n")
	ds, err := Load("cc31", nil)
	if err != nil {
		t.Fatal(err)
	}
	if ds.Hz.Len() != 31 || !strings.Contains(ds.Warning, "hz:./cc31") {
		t.Errorf("got %d points, warning %q; want the built-in 31 and a warning", ds.Hz.Len(), ds.Warning)
	}
	if ds, err := Load("hz:./cc31", nil); err != nil || ds.Hz.Len() != 1 {
		t.Errorf("hz:./cc31: %v", err)
	}
	// A directory of that name is not a file to warn about.
	if err := os.Mkdir("sh0es", 0o755); err != nil {
		t.Fatal(err)
	}
	if ds, err := Load("sh0es", nil); err != nil || ds.Warning != "" {
		t.Errorf("sh0es: %v, warning %q", err, ds.Warning)
	}
}
