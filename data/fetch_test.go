package data

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
)

// TestBlobSHA1 checks the git blob hash against values `git hash-object`
// printed for the same bytes.
func TestBlobSHA1(t *testing.T) {
	for _, tc := range []struct {
		b    []byte
		want string
	}{
		{[]byte("hello\n"), "ce013625030ba8dba906f756967f9e9ca394464a"},
		{nil, "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"},
		{embedded(t, "sn/pantheonplus/Pantheon+SH0ES.dat"), "cce857db0c15e9ce7a0e0ce77452b6ff62af969a"},
		{embedded(t, "sn/des_sn5yr/DES-SN5YR_HD.csv"), "15ea34bd50958cb628e38072076d43d2545f46f5"},
	} {
		if got := blobSHA1(tc.b); got != tc.want {
			t.Errorf("blob of %d bytes: %s, want %s", len(tc.b), got, tc.want)
		}
	}
	path := filepath.Join(t.TempDir(), "f")
	writeFile(t, path, "hello\n")
	if err := Verify(&Remote{BlobSHA1: "ce013625030ba8dba906f756967f9e9ca394464a"}, path); err != nil {
		t.Error(err)
	}
	if err := Verify(&Remote{BlobSHA1: "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"}, path); err == nil {
		t.Error("wrong hash accepted")
	}
}

// server serves content at /f and counts requests.
func server(t *testing.T, content []byte) (*httptest.Server, *atomic.Int32) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.URL.Path != "/f" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(content)))
		w.Write(content)
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

// dirEntries lists dir, to check that no temporary file is left.
func dirEntries(t *testing.T, dir string) []string {
	es, err := os.ReadDir(dir)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func TestFetch(t *testing.T) {
	content := []byte(strings.Repeat("0.001\n", 200000)) // 1.2 MB
	srv, hits := server(t, content)
	dir := filepath.Join(t.TempDir(), "cache") // created by Fetch
	r := &Remote{Name: "x-cov", Set: "x", URL: srv.URL + "/f", BlobSHA1: blobSHA1(content), File: "x.cov"}
	var last, total int64
	calls := 0
	path, err := Fetch(context.Background(), srv.Client(), r, dir, func(done, tot int64) {
		calls++
		if done < last {
			t.Errorf("progress went back from %d to %d", last, done)
		}
		last, total = done, tot
	})
	if err != nil {
		t.Fatal(err)
	}
	if path != CachePath(r, dir) || path != filepath.Join(dir, "x.cov") {
		t.Errorf("path %s, CachePath %s", path, CachePath(r, dir))
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != string(content) {
		t.Fatalf("saved %d bytes, %v", len(got), err)
	}
	if last != int64(len(content)) || total != int64(len(content)) || calls < 2 {
		t.Errorf("progress: %d calls, last %d of %d; want several, ending at %d", calls, last, total, len(content))
	}
	// Already there with the right hash: no request.
	if _, err := Fetch(context.Background(), srv.Client(), r, dir, nil); err != nil || hits.Load() != 1 {
		t.Errorf("second fetch: %v, %d requests; want 1", err, hits.Load())
	}
	// A damaged copy is replaced.
	writeFile(t, path, "junk")
	if _, err := Fetch(context.Background(), srv.Client(), r, dir, nil); err != nil || hits.Load() != 2 {
		t.Errorf("repair: %v, %d requests", err, hits.Load())
	}
	if err := Verify(r, path); err != nil {
		t.Error(err)
	}
	if names := dirEntries(t, dir); len(names) != 1 {
		t.Errorf("cache holds %v, want only x.cov", names)
	}
}

func TestFetchWrongHash(t *testing.T) {
	srv, _ := server(t, []byte("not the release\n"))
	dir := t.TempDir()
	r := &Remote{Name: "x-cov", Set: "x", URL: srv.URL + "/f", BlobSHA1: "ce013625030ba8dba906f756967f9e9ca394464a", File: "x.cov"}
	_, err := Fetch(context.Background(), srv.Client(), r, dir, nil)
	if err == nil || !strings.Contains(err.Error(), "want ce013625030ba8dba906f756967f9e9ca394464a: not saved") {
		t.Errorf("got %v", err)
	}
	if names := dirEntries(t, dir); len(names) != 0 {
		t.Errorf("left %v behind", names)
	}
}

func TestFetchHTTPError(t *testing.T) {
	srv, _ := server(t, nil)
	dir := t.TempDir()
	r := &Remote{Name: "x-cov", Set: "x", URL: srv.URL + "/missing", BlobSHA1: "0", File: "x.cov"}
	_, err := Fetch(context.Background(), srv.Client(), r, dir, nil)
	for _, want := range []string{"404 Not Found", r.URL, filepath.Join(dir, "x.cov"), "data spec x:FILE"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("got %v, want it to say %q", err, want)
		}
	}
	if names := dirEntries(t, dir); len(names) != 0 {
		t.Errorf("left %v behind", names)
	}
}

// TestFetchUnreachable: with no server to talk to, the error says where
// to fetch the file by hand and where to put it.
func TestFetchUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL + "/f"
	srv.Close() // nothing listens there any more
	dir := t.TempDir()
	r := &Remote{Name: "pantheonplus-cov", Set: "pantheonplus", URL: url, BlobSHA1: "0", File: "p.cov"}
	_, err := Fetch(context.Background(), nil, r, dir, nil)
	for _, want := range []string{"Without network", "download " + url + " by hand", "save it as " + filepath.Join(dir, "p.cov"), "data spec pantheonplus:FILE"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("got %v, want it to say %q", err, want)
		}
	}
}

func TestFetchCancel(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "2000000")
		w.Write(make([]byte, 1000))
		w.(http.Flusher).Flush()
		select { // stall until the client gives up
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release)
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r := &Remote{Name: "x-cov", Set: "x", URL: srv.URL, BlobSHA1: "0", File: "x.cov"}
	_, err := Fetch(ctx, srv.Client(), r, dir, func(done, total int64) {
		if done > 0 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
	if names := dirEntries(t, dir); len(names) != 0 {
		t.Errorf("left %v behind", names)
	}
}

func TestFetchNotRegular(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "x.cov"), 0o755); err != nil {
		t.Fatal(err)
	}
	r := &Remote{Name: "x-cov", URL: "http://127.0.0.1:1/", BlobSHA1: "0", File: "x.cov"}
	if _, err := Fetch(context.Background(), nil, r, dir, nil); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("got %v", err)
	}
}

func TestDefaultCacheDir(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", "/xdg")
	t.Setenv("HOME", "/home/u")
	if d := DefaultCacheDir(); d != filepath.Join("/xdg", "cosmoemu") {
		t.Errorf("DefaultCacheDir = %s", d)
	}
	r := &Remote{File: "f"}
	if p := CachePath(r, ""); p != filepath.Join("/xdg", "cosmoemu", "f") {
		t.Errorf("CachePath = %s", p)
	}
	t.Setenv("XDG_CACHE_HOME", "")
	t.Setenv("HOME", "")
	if d := DefaultCacheDir(); d != filepath.Join(os.TempDir(), "cosmoemu-cache") {
		t.Errorf("without a home: %s", d)
	}
}

// embedded returns the embedded file at path.
func embedded(t *testing.T, path string) []byte {
	t.Helper()
	b, err := Files.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
