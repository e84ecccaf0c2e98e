package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// ErrTooLarge is matched (errors.Is) by the error of ReadRegular for a file
// longer than its limit.
var ErrTooLarge = errors.New("file too large")

// ErrNotRegular is matched (errors.Is) by the error of OpenRegular,
// ReadRegular and OpenInput for a path that is not a regular file.
var ErrNotRegular = errors.New("not a regular file")

// MaxInput is the size limit of OpenInput's callers: every data table,
// covariance, model file and CSV a user names. It is far above the
// largest such file (a supernova covariance of 30 MB), and low enough that
// a mistaken path (a disk image, a core dump) is refused at once.
const MaxInput int64 = 1 << 30

// notRegularError is the error for a path that is not a regular file.
type notRegularError struct {
	path, kind string
}

func (e *notRegularError) Error() string {
	return fmt.Sprintf("%s is %s, not a regular file; refusing to read it", e.path, e.kind)
}

func (e *notRegularError) Is(target error) bool { return target == ErrNotRegular }

// OpenRegular opens path for reading, or for reading and writing with
// write, only if it is a regular file (a symbolic link is followed to what
// it names). A named pipe, device, socket or directory is refused with an
// error naming the path and what it is, without blocking: the file is
// opened with O_NONBLOCK, so that opening a FIFO nobody writes to returns
// at once instead of waiting for a writer (which no signal handled by the
// Go runtime interrupts), and then checked with fstat on the open
// descriptor, so that nothing can be swapped in between a check and the
// open. O_NONBLOCK has no effect on the reads and writes of a regular
// file. A missing file gives an error matching fs.ErrNotExist.
func OpenRegular(path string, write bool) (*os.File, fs.FileInfo, error) {
	flag := os.O_RDONLY
	if write {
		flag = os.O_RDWR
	}
	f, err := os.OpenFile(path, flag|oNonblock, 0)
	if err != nil {
		return nil, nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, nil, &notRegularError{path, kind(fi.Mode())}
	}
	return f, fi, nil
}

// ReadRegular returns the contents of the regular file at path (see
// OpenRegular), refusing a file of more than limit bytes with an error
// matching ErrTooLarge before reading it, and reading at most limit+1 bytes
// in any case (a file that grows while it is read is refused too). It is
// the reader for every file a user names or a run resumes from: a FIFO, a
// device such as /dev/zero or a link to one never blocks it or fills the
// memory.
func ReadRegular(path string, limit int64) ([]byte, error) {
	f, fi, err := OpenRegular(path, false)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi.Size() > limit {
		return nil, fmt.Errorf("%s has %d bytes, more than the %d allowed: %w", path, fi.Size(), limit, ErrTooLarge)
	}
	b := make([]byte, 0, fi.Size()+1)
	b, err = readAtMost(f, b, limit+1)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s has more than the %d bytes allowed: %w", path, limit, ErrTooLarge)
	}
	return b, nil
}

// readAtMost appends to b what r yields until EOF or n bytes in all.
func readAtMost(r io.Reader, b []byte, n int64) ([]byte, error) {
	lr := io.LimitReader(r, n)
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		m, err := lr.Read(b[len(b):cap(b)])
		b = b[:len(b)+m]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
	}
}

// Input is a file opened by OpenInput: a regular file whose reads stop with
// an error matching ErrTooLarge past the limit it was opened with.
type Input struct {
	f     *os.File
	size  int64
	limit int64
	n     int64 // bytes read so far
}

// OpenInput opens the file a user named at path for reading: the rules of
// OpenRegular (a FIFO, a device, a socket or a directory is refused at
// once, also through a link), and a file of more than limit bytes is
// refused before anything is read, with an error matching ErrTooLarge.
// Every reader of a user-named file goes through it (or ReadRegular, which
// reads the whole file).
func OpenInput(path string, limit int64) (*Input, error) {
	f, fi, err := OpenRegular(path, false)
	if err != nil {
		return nil, err
	}
	if fi.Size() > limit {
		f.Close()
		return nil, fmt.Errorf("%s has %d bytes, more than the %d allowed: %w", path, fi.Size(), limit, ErrTooLarge)
	}
	return &Input{f: f, size: fi.Size(), limit: limit}, nil
}

// Read reads from the file; past the limit it fails with an error matching
// ErrTooLarge.
func (in *Input) Read(p []byte) (int, error) {
	if in.n >= in.limit {
		var one [1]byte
		if k, _ := in.f.Read(one[:]); k == 0 {
			return 0, io.EOF
		}
		return 0, fmt.Errorf("%s has more than the %d bytes allowed: %w", in.f.Name(), in.limit, ErrTooLarge)
	}
	if rest := in.limit - in.n; int64(len(p)) > rest {
		p = p[:rest]
	}
	k, err := in.f.Read(p)
	in.n += int64(k)
	return k, err
}

// ReadAt reads at an offset within the limit (for archives).
func (in *Input) ReadAt(p []byte, off int64) (int, error) {
	if off+int64(len(p)) > in.limit {
		return 0, fmt.Errorf("%s: read past the %d bytes allowed: %w", in.f.Name(), in.limit, ErrTooLarge)
	}
	return in.f.ReadAt(p, off)
}

// Size is the size of the file when it was opened.
func (in *Input) Size() int64 { return in.size }

// Name is the path the file was opened with.
func (in *Input) Name() string { return in.f.Name() }

// Close closes the file.
func (in *Input) Close() error { return in.f.Close() }

// LimitReader returns a reader of r, named name in errors, that fails with
// an error matching ErrTooLarge after limit bytes: the bound of a stream a
// user pipes in (standard input), where no size is known in advance.
func LimitReader(r io.Reader, name string, limit int64) io.Reader {
	return &limitReader{r: r, name: name, left: limit, limit: limit}
}

type limitReader struct {
	r           io.Reader
	name        string
	left, limit int64
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.left <= 0 {
		var one [1]byte
		for {
			k, err := l.r.Read(one[:])
			if k > 0 {
				return 0, fmt.Errorf("%s has more than the %d bytes allowed: %w", l.name, l.limit, ErrTooLarge)
			}
			if err != nil {
				return 0, err
			}
		}
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	k, err := l.r.Read(p)
	l.left -= int64(k)
	return k, err
}
