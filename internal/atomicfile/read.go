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
		return nil, nil, fmt.Errorf("%s is %s, not a regular file; refusing to read it", path, kind(fi.Mode()))
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
