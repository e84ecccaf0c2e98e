package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestDataGetTimeouts: data get against a local server that stalls,
// trickles, or sends a short body on an open socket ends with exit 1 and
// one line naming the limit, the bytes and the attempts, instead of
// hanging; a cut body is completed by a Range request; Ctrl-C during a
// stall exits 130 saying that nothing was saved.
func TestDataGetTimeouts(t *testing.T) {
	fetchRetryDelay = time.Millisecond
	defer func() { fetchRetryDelay = 0 }()
	body := bytes.Repeat([]byte("1 "), 5000)
	var requests atomic.Int32
	var rangeAsked atomic.Bool
	started := make(chan struct{}, 100)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		started <- struct{}{}
		w.Header().Set("Accept-Ranges", "bytes")
		switch r.URL.Path {
		case "/stall": // half the body, then silence on an open socket
			w.Header().Set("Content-Length", "10000")
			w.Write(body[:5000])
			w.(http.Flusher).Flush()
			<-r.Context().Done()
		case "/trickle":
			w.Header().Set("Content-Length", "10000")
			for i := 0; ; i++ {
				w.Write(body[i : i+1])
				w.(http.Flusher).Flush()
				select {
				case <-r.Context().Done():
					return
				case <-time.After(5 * time.Millisecond):
				}
			}
		case "/short": // half the body and close; the rest on request
			if rg := r.Header.Get("Range"); rg == "bytes=5000-" {
				rangeAsked.Store(true)
				w.Header().Set("Content-Range", "bytes 5000-9999/10000")
				w.Header().Set("Content-Length", "5000")
				w.WriteHeader(http.StatusPartialContent)
				w.Write(body[5000:])
				return
			}
			w.Header().Set("Content-Length", "10000")
			w.Write(body[:5000])
		}
	}))
	defer srv.Close()
	cache := t.TempDir()
	get := func(path string, flags ...string) []string {
		return append([]string{"data", "get", "pantheonplus-cov", "-url", srv.URL + path, "-cache", cache}, flags...)
	}
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{get("/stall", "-idle-timeout", "200ms", "-retries", "2"), []string{"nothing received for 200ms (the idle timeout)", "5000 of 10000 bytes received, 3 attempts", "by hand"}},
		{get("/trickle", "-timeout", "300ms"), []string{"not complete after the total timeout of 300ms", "by hand"}},
	} {
		requests.Store(0)
		code, stderr := runGuarded(t, tc.args...)
		for _, w := range tc.want {
			if code != 1 || !strings.Contains(stderr, w) || strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
				t.Errorf("cosmoemu %s: exit %d, %q; want exit 1 and %q", strings.Join(tc.args, " "), code, stderr, w)
			}
		}
	}
	// A short body is completed with a Range request; the whole file then
	// fails the hash (it is not the release), which proves it was read.
	code, stderr := runGuarded(t, get("/short")...)
	if code != 1 || !rangeAsked.Load() || !strings.Contains(stderr, "the 10000 bytes from") || !strings.Contains(stderr, "not saved") {
		t.Errorf("short body: exit %d, %q, Range asked %v", code, stderr, rangeAsked.Load())
	}
	if entries, _ := os.ReadDir(cache); len(entries) != 0 {
		t.Errorf("the cache holds %v", entries)
	}
	// Ctrl-C while the server stalls: exit 130.
	for len(started) > 0 {
		<-started
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-started
		cancel()
	}()
	var out, errb bytes.Buffer
	e := &env{ctx: ctx, stdin: strings.NewReader(""), stdout: &out, stderr: &errb}
	code = exitCode(run(e, get("/stall")), &errb)
	if code != exitInterrupted || !strings.Contains(errb.String(), "interrupted; nothing was saved") {
		t.Errorf("Ctrl-C: exit %d, %q", code, errb.String())
	}
	// Bad durations are usage errors.
	if code, _, stderr := runCLI(t, get("/short", "-idle-timeout", "0s")...); code != 2 || !strings.Contains(stderr, "-idle-timeout 0s") {
		t.Errorf("-idle-timeout 0: exit %d, %q", code, stderr)
	}
}
