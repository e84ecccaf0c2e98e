package data

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// flaky serves content at any path; each request is handled by the next
// of the behaviours, the last repeating: "full" sends it all, "short"
// announces it all, sends half and closes, "stall" sends half and waits
// on the open socket, "trickle" sends a byte every 5 ms, "500" fails.
// With ranges, a Range request gets a 206 with the rest.
type flaky struct {
	content []byte
	ranges  bool
	mu      sync.Mutex
	plan    []string
	seen    []string // the Range header of each request
}

func (f *flaky) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	how := f.plan[min(len(f.seen), len(f.plan)-1)]
	f.seen = append(f.seen, r.Header.Get("Range"))
	f.mu.Unlock()
	body := f.content
	if f.ranges {
		w.Header().Set("Accept-Ranges", "bytes")
		var from int
		if _, err := fmt.Sscanf(r.Header.Get("Range"), "bytes=%d-", &from); err == nil {
			w.Header().Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", from, len(body)-1, len(body)))
			body = body[from:]
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			w.WriteHeader(http.StatusPartialContent)
			w.Write(body)
			return
		}
	}
	if how == "500" {
		http.Error(w, "busy", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	switch how {
	case "full":
		w.Write(body)
	case "short":
		w.Write(body[:len(body)/2])
	case "stall":
		w.Write(body[:len(body)/2])
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	case "trickle":
		for i := range body {
			w.Write(body[i : i+1])
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}
}

func (f *flaky) requests() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.seen...)
}

func fastOptions() *FetchOptions {
	return &FetchOptions{IdleTimeout: 300 * time.Millisecond, RetryDelay: time.Millisecond}
}

// TestFetchRetries: a body cut short (closed, or stalled on an open
// socket) is completed by a Range request where the server accepts
// ranges, and downloaded again where it does not; a 503 is retried; the
// file is saved only whole and verified.
func TestFetchRetries(t *testing.T) {
	content := []byte(strings.Repeat("0.5 1.25 3\n", 1000))
	for _, tc := range []struct {
		plan   []string
		ranges bool
		want   []string // the Range header of each request
	}{
		{[]string{"short"}, true, []string{"", "bytes=5500-"}},
		{[]string{"stall"}, true, []string{"", "bytes=5500-"}},
		{[]string{"short", "full"}, false, []string{"", ""}},
		{[]string{"stall", "full"}, false, []string{"", ""}},
		{[]string{"500", "500", "full"}, false, []string{"", "", ""}},
	} {
		f := &flaky{content: content, ranges: tc.ranges, plan: tc.plan}
		srv := httptest.NewServer(f)
		dir := t.TempDir()
		r := &Remote{Name: "x-cov", Set: "x", URL: srv.URL + "/f", BlobSHA1: blobSHA1(content), File: "x.cov"}
		path, err := FetchWith(context.Background(), r, dir, fastOptions())
		srv.Close()
		if err != nil {
			t.Errorf("%v: %v", tc.plan, err)
			continue
		}
		if b, _ := os.ReadFile(path); string(b) != string(content) {
			t.Errorf("%v: the file differs", tc.plan)
		}
		if got := f.requests(); strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("%v: requests with Range %q, want %q", tc.plan, got, tc.want)
		}
	}
}

// TestFetchGivesUp: a server that stalls every time, trickles, or cuts
// every body short ends in a clear error naming the limit, the bytes and
// the attempts, with nothing saved.
func TestFetchGivesUp(t *testing.T) {
	content := []byte(strings.Repeat("x", 4000))
	for _, tc := range []struct {
		plan []string
		opt  *FetchOptions
		want string
	}{
		{[]string{"stall"}, &FetchOptions{IdleTimeout: 100 * time.Millisecond, Retries: 2, RetryDelay: time.Millisecond},
			"nothing received for 100ms (the idle timeout) (2000 of 4000 bytes received, 3 attempts)"},
		{[]string{"trickle"}, &FetchOptions{IdleTimeout: time.Minute, TotalTimeout: 200 * time.Millisecond},
			"not complete after the total timeout of 200ms"},
		{[]string{"short"}, &FetchOptions{Retries: -1}, "the body ended early"},
		{[]string{"500"}, &FetchOptions{Retries: 1, RetryDelay: time.Millisecond}, "503 Service Unavailable (0 bytes received, 2 attempts)"},
	} {
		srv := httptest.NewServer(&flaky{content: content, plan: tc.plan})
		dir := t.TempDir()
		r := &Remote{Name: "x-cov", Set: "x", URL: srv.URL + "/f", BlobSHA1: blobSHA1(content), File: "x.cov"}
		_, err := FetchWith(context.Background(), r, dir, tc.opt)
		srv.Close()
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "by hand") {
			t.Errorf("%v: %v, want %q", tc.plan, err, tc.want)
		}
		if _, err := os.Stat(filepath.Join(dir, "x.cov")); err == nil {
			t.Errorf("%v: a file was saved", tc.plan)
		}
	}
}
