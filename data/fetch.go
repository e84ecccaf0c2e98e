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
	"net/http"
	"os"
	"path/filepath"
	"strconv"

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

// Fetch downloads r into cacheDir ("" means DefaultCacheDir()), checks its
// git blob SHA-1 and returns its path. The file appears complete or not at
// all: it is written to a temporary file that is renamed into place only
// after the hash matches. A file already there with the right hash is not
// downloaded again; one with a wrong hash is replaced. progress, if not
// nil, is called with the bytes received so far and the total (-1 if the
// server does not say). client nil means http.DefaultClient. Cancelling
// ctx stops the download with an error that wraps ctx.Err().
//
// When the download fails, the error says where to get the file by hand
// and where to put it.
func Fetch(ctx context.Context, client *http.Client, r *Remote, cacheDir string, progress func(done, total int64)) (string, error) {
	if client == nil {
		client = http.DefaultClient
	}
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
	fail := func(err error) error {
		if ctx.Err() != nil {
			return fmt.Errorf("data: fetch %s: %w", r.Name, ctx.Err())
		}
		return fmt.Errorf("data: fetch %s: %w. Without network: download %s by hand and save it as %s, or use the file where it is with the data spec %s:FILE", r.Name, err, r.URL, path, r.Set)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.URL, nil)
	if err != nil {
		return "", fmt.Errorf("data: fetch %s: %w", r.Name, err)
	}
	resp, err := client.Do(req)
	if err != nil {
		return "", fail(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fail(fmt.Errorf("GET %s: %s", r.URL, resp.Status))
	}
	var buf bytes.Buffer
	if n := resp.ContentLength; n > 0 && n <= maxRemoteSize {
		buf.Grow(int(n))
	}
	chunk := make([]byte, 256<<10)
	for {
		k, err := resp.Body.Read(chunk)
		buf.Write(chunk[:k])
		if buf.Len() > maxRemoteSize {
			return "", fail(fmt.Errorf("GET %s: more than %d bytes", r.URL, maxRemoteSize))
		}
		if k > 0 && progress != nil {
			progress(int64(buf.Len()), resp.ContentLength)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", fail(fmt.Errorf("GET %s: %w", r.URL, err))
		}
	}
	if got := blobSHA1(buf.Bytes()); got != r.BlobSHA1 {
		return "", fmt.Errorf("data: fetch %s: the %d bytes from %s have git blob SHA-1 %s, want %s: not saved", r.Name, buf.Len(), r.URL, got, r.BlobSHA1)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("data: fetch %s: %w", r.Name, err)
	}
	if err := atomicfile.WriteBytes(path, buf.Bytes()); err != nil {
		return "", fmt.Errorf("data: fetch %s: %w", r.Name, err)
	}
	return path, nil
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
