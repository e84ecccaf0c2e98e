package data

import (
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/cosmoemu/cosmoemu/internal/atomicfile"
)

// Remote is a file that is not shipped but fetched on demand (Fetch) into
// the cache directory: the covariances of pantheonplus and desy5, which
// package likelihood declares with their sets.
type Remote struct {
	Name string // "pantheonplus-cov", "desy5-cov"
	Set  string // the data set that uses it: "pantheonplus", "desy5"
	// URL is the public address of the file.
	URL string
	// BlobSHA1 is the git blob SHA-1 of the file, in hex:
	// sha1("blob <size>\x00" + content), what `git hash-object FILE` prints.
	BlobSHA1 string
	File     string // the file name in the cache directory
	Gzip     bool   // the file is gzip-compressed
}

// DefaultCacheDir returns the directory fetched files go to by default:
// os.UserCacheDir()/cosmoemu, or os.TempDir()/cosmoemu-cache when the
// system has no user cache directory (neither $XDG_CACHE_HOME nor $HOME).
func DefaultCacheDir() string {
	if dir, err := os.UserCacheDir(); err == nil {
		return filepath.Join(dir, "cosmoemu")
	}
	return filepath.Join(os.TempDir(), "cosmoemu-cache")
}

func resolveCacheDir(dir string) (string, error) {
	if dir == "" {
		return DefaultCacheDir(), nil
	}
	return dir, nil
}

// CachePath returns where r is kept in cacheDir ("" means DefaultCacheDir()).
func CachePath(r *Remote, cacheDir string) string {
	dir, _ := resolveCacheDir(cacheDir)
	return filepath.Join(dir, r.File)
}

// maxRemoteSize bounds a download, far above the releases' 30 MB.
const maxRemoteSize = 512 << 20

// FetchOptions are the settings of FetchWith; the zero value (or nil)
// gives the defaults.
type FetchOptions struct {
	// Client does the requests; nil means a client whose connections time
	// out after ConnectTimeout (a client given here keeps its own dialer).
	Client *http.Client
	// ConnectTimeout bounds the connection and TLS handshake of the
	// default client; 0 means 30 s.
	ConnectTimeout time.Duration
	// IdleTimeout ends an attempt that receives nothing (no headers, no
	// byte of the body) for this long: a server that stalls, or that sent
	// a short body and keeps the connection open. 0 means 60 s.
	IdleTimeout time.Duration
	// TotalTimeout bounds the whole download, retries included, against a
	// server that trickles a byte now and then; 0 means 30 minutes.
	TotalTimeout time.Duration
	// Retries is how many more attempts follow one that failed in a way a
	// new attempt may not repeat (a stall, a connection cut, a short body,
	// a 5xx or 429 status); 0 means 4, < 0 none. An attempt after a
	// partial body asks for the rest (a Range request) where the server
	// said it accepts ranges, and starts over otherwise.
	Retries int
	// RetryDelay is the wait before the first retry, doubled before each
	// further one; 0 means 1 s.
	RetryDelay time.Duration
	// Progress, if not nil, is called with the bytes received so far and
	// the total (-1 if the server does not say).
	Progress func(done, total int64)
}

func (o *FetchOptions) withDefaults() FetchOptions {
	var d FetchOptions
	if o != nil {
		d = *o
	}
	def := func(v *time.Duration, x time.Duration) {
		if *v <= 0 {
			*v = x
		}
	}
	def(&d.ConnectTimeout, 30*time.Second)
	def(&d.IdleTimeout, 60*time.Second)
	def(&d.TotalTimeout, 30*time.Minute)
	def(&d.RetryDelay, time.Second)
	switch {
	case d.Retries == 0:
		d.Retries = 4
	case d.Retries < 0:
		d.Retries = 0
	}
	if d.Client == nil {
		dialer := &net.Dialer{Timeout: d.ConnectTimeout}
		d.Client = &http.Client{Transport: &http.Transport{
			Proxy:               http.ProxyFromEnvironment,
			DialContext:         dialer.DialContext,
			TLSHandshakeTimeout: d.ConnectTimeout,
		}}
	}
	return d
}

// Fetch is FetchWith with the given client (nil: the default one) and
// progress function, and the default timeouts and retries.
func Fetch(ctx context.Context, client *http.Client, r *Remote, cacheDir string, progress func(done, total int64)) (string, error) {
	return FetchWith(ctx, r, cacheDir, &FetchOptions{Client: client, Progress: progress})
}

// FetchWith downloads r into cacheDir ("" means DefaultCacheDir()), checks
// its git blob SHA-1 and returns its path. The file appears complete or
// not at all: it is written to a temporary file that is renamed into place
// only after the hash matches. A file already there with the right hash is
// not downloaded again; one with a wrong hash is replaced.
//
// A download that stalls, is cut or trickles is retried and bounded in
// time (see FetchOptions); its error says which limit it reached after how
// many bytes and attempts. Cancelling ctx stops the download with an error
// that wraps ctx.Err(). When the download fails, the error says where to
// get the file by hand and where to put it.
func FetchWith(ctx context.Context, r *Remote, cacheDir string, o *FetchOptions) (string, error) {
	opt := o.withDefaults()
	dir, _ := resolveCacheDir(cacheDir)
	path := filepath.Join(dir, r.File)
	if fi, err := os.Lstat(path); err == nil {
		if !fi.Mode().IsRegular() {
			return "", fmt.Errorf("data: fetch %s: %s exists and is not a regular file; not replacing it", r.Name, path)
		}
		if Verify(r, path) == nil {
			return path, nil
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("data: fetch %s: %w", r.Name, err)
	}
	tctx, cancel := context.WithTimeout(ctx, opt.TotalTimeout)
	defer cancel()
	d := &download{opt: &opt, url: r.URL, total: -1}
	err := d.run(ctx, tctx)
	switch {
	case ctx.Err() != nil:
		return "", fmt.Errorf("data: fetch %s: %w", r.Name, ctx.Err())
	case err != nil:
		return "", fmt.Errorf("data: fetch %s: %w. Without network: download %s by hand and save it as %s, or use the file where it is with the data spec %s:FILE", r.Name, err, r.URL, path, r.Set)
	}
	if got := blobSHA1(d.buf.Bytes()); got != r.BlobSHA1 {
		return "", fmt.Errorf("data: fetch %s: the %d bytes from %s have git blob SHA-1 %s, want %s: not saved", r.Name, d.buf.Len(), r.URL, got, r.BlobSHA1)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("data: fetch %s: %w", r.Name, err)
	}
	if err := atomicfile.WriteBytes(path, d.buf.Bytes()); err != nil {
		return "", fmt.Errorf("data: fetch %s: %w", r.Name, err)
	}
	return path, nil
}

// download is one download with its attempts.
type download struct {
	opt      *FetchOptions
	url      string
	buf      bytes.Buffer
	total    int64 // the size the server announced, -1 if unknown
	ranges   bool  // the server accepts Range requests
	attempts int
}

// retryable marks an attempt's failure that another attempt may not repeat.
type retryable struct{ err error }

func (e *retryable) Error() string { return e.err.Error() }
func (e *retryable) Unwrap() error { return e.err }

// run makes attempts until one completes, one fails for good, the retries
// are spent or tctx (the total timeout, under ctx) ends.
func (d *download) run(ctx, tctx context.Context) error {
	delay := d.opt.RetryDelay
	for {
		d.attempts++
		err := d.attempt(tctx)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if tctx.Err() != nil {
			return fmt.Errorf("GET %s: not complete after the total timeout of %v (%s, %s)", d.url, d.opt.TotalTimeout, d.received(), plural(d.attempts, "attempt"))
		}
		var re *retryable
		if !errors.As(err, &re) {
			return err
		}
		if d.attempts > d.opt.Retries {
			return fmt.Errorf("%w (%s, %s)", err, d.received(), plural(d.attempts, "attempt"))
		}
		select {
		case <-time.After(delay):
		case <-tctx.Done():
		}
		delay *= 2
	}
}

func (d *download) received() string {
	if d.total >= 0 {
		return fmt.Sprintf("%d of %d bytes received", d.buf.Len(), d.total)
	}
	return fmt.Sprintf("%d bytes received", d.buf.Len())
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// attempt makes one request, for the rest of the file if part of it is
// there and the server accepts ranges, and appends what it receives.
func (d *download) attempt(ctx context.Context) error {
	actx, cancel := context.WithCancel(ctx)
	defer cancel()
	var idle atomic.Bool
	watchdog := time.AfterFunc(d.opt.IdleTimeout, func() { idle.Store(true); cancel() })
	defer watchdog.Stop()
	stalled := func(err error) error {
		if idle.Load() {
			return &retryable{fmt.Errorf("GET %s: nothing received for %v (the idle timeout)", d.url, d.opt.IdleTimeout)}
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return err
	}
	req, err := http.NewRequestWithContext(actx, http.MethodGet, d.url, nil)
	if err != nil {
		return err
	}
	from := int64(d.buf.Len())
	if from > 0 && d.ranges {
		req.Header.Set("Range", fmt.Sprintf("bytes=%d-", from))
	}
	resp, err := d.opt.Client.Do(req)
	if err != nil {
		var op *net.OpError
		if errors.As(err, &op) && op.Op == "dial" && !op.Timeout() {
			return stalled(err) // nothing listens there: no retry helps soon
		}
		return stalled(&retryable{err})
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusPartialContent && from > 0 && d.ranges:
		var start, end, size int64
		if _, err := fmt.Sscanf(resp.Header.Get("Content-Range"), "bytes %d-%d/%d", &start, &end, &size); err != nil || start != from {
			d.ranges = false // a range we did not ask for: start over
			d.buf.Reset()
			return &retryable{fmt.Errorf("GET %s: the server answered the range from byte %d with %q", d.url, from, resp.Header.Get("Content-Range"))}
		}
		d.total = size
	case resp.StatusCode == http.StatusOK:
		d.buf.Reset() // the whole file: anything received before is dropped
		d.total = resp.ContentLength
		d.ranges = resp.Header.Get("Accept-Ranges") == "bytes"
	case resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests:
		return &retryable{fmt.Errorf("GET %s: %s", d.url, resp.Status)}
	default:
		return fmt.Errorf("GET %s: %s", d.url, resp.Status)
	}
	if d.total > maxRemoteSize {
		return fmt.Errorf("GET %s: %d bytes announced, more than %d", d.url, d.total, maxRemoteSize)
	}
	if n := d.total; n > 0 && int64(d.buf.Cap()) < n {
		d.buf.Grow(int(n) - d.buf.Len())
	}
	chunk := make([]byte, 256<<10)
	for {
		k, err := resp.Body.Read(chunk)
		if k > 0 {
			watchdog.Reset(d.opt.IdleTimeout)
			d.buf.Write(chunk[:k])
			if d.buf.Len() > maxRemoteSize {
				return fmt.Errorf("GET %s: more than %d bytes", d.url, maxRemoteSize)
			}
			if d.opt.Progress != nil {
				d.opt.Progress(int64(d.buf.Len()), d.total)
			}
		}
		switch {
		case err == io.EOF && d.total >= 0 && int64(d.buf.Len()) < d.total,
			errors.Is(err, io.ErrUnexpectedEOF) && !idle.Load():
			return &retryable{fmt.Errorf("GET %s: the body ended early (the connection closed before the announced size)", d.url)}
		case err == io.EOF:
			return nil
		case err != nil:
			return stalled(&retryable{fmt.Errorf("GET %s: %w", d.url, err)})
		}
	}
}

// Verify checks that the file at path has r's git blob SHA-1.
func Verify(r *Remote, path string) error {
	f, fi, err := atomicfile.OpenRegular(path, false)
	if err != nil {
		return err
	}
	defer f.Close()
	if fi.Size() > maxRemoteSize {
		return fmt.Errorf("%s has %d bytes, more than the %d of any release: %w", path, fi.Size(), maxRemoteSize, atomicfile.ErrTooLarge)
	}
	h := newBlobHash(fi.Size())
	n, err := io.Copy(h, f)
	if err != nil {
		return err
	}
	if n != fi.Size() {
		return fmt.Errorf("%s changed while being read", path)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != r.BlobSHA1 {
		return fmt.Errorf("%s has git blob SHA-1 %s, want %s", path, got, r.BlobSHA1)
	}
	return nil
}

// newBlobHash starts the git blob hash of content of the given size:
// sha1("blob <size>\x00" + content).
func newBlobHash(size int64) hash.Hash {
	h := sha1.New()
	h.Write([]byte("blob " + strconv.FormatInt(size, 10) + "\x00"))
	return h
}

// blobSHA1 returns the git blob SHA-1 of b in hex, as `git hash-object`.
func blobSHA1(b []byte) string {
	h := newBlobHash(int64(len(b)))
	h.Write(b)
	return hex.EncodeToString(h.Sum(nil))
}
