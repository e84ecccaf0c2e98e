package atomicfile

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"testing/iotest"
)

// FuzzLimitReader: whatever the content, the limit and the sizes of the
// reads, LimitReader yields exactly the first min(len, limit) bytes, then
// io.EOF if the content fits the limit and an error matching ErrTooLarge
// if it does not.
func FuzzLimitReader(f *testing.F) {
	f.Add([]byte("hello"), uint16(5), uint8(1))
	f.Add([]byte("hello, world"), uint16(5), uint8(3))
	f.Add([]byte{}, uint16(0), uint8(0))
	f.Fuzz(func(t *testing.T, content []byte, limit uint16, chunk uint8) {
		var src io.Reader = bytes.NewReader(content)
		if chunk%2 == 1 {
			src = iotest.OneByteReader(src)
		}
		r := LimitReader(src, "input", int64(limit))
		buf := make([]byte, int(chunk)+1)
		var got []byte
		var err error
		for range len(content) + 3 {
			var k int
			k, err = r.Read(buf)
			got = append(got, buf[:k]...)
			if err != nil {
				break
			}
		}
		n := min(len(content), int(limit))
		if !bytes.Equal(got, content[:n]) {
			t.Fatalf("read %q, want %q", got, content[:n])
		}
		if len(content) > int(limit) {
			if !errors.Is(err, ErrTooLarge) {
				t.Fatalf("%d bytes over a limit of %d: %v", len(content), limit, err)
			}
		} else if err != io.EOF {
			t.Fatalf("%d bytes within a limit of %d: %v", len(content), limit, err)
		}
	})
}
