package chains

import (
	"bufio"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"

	"github.com/cosmoemu/cosmoemu/internal/atomicfile"
)

// ChainFile returns ROOT_i.txt, the text chain i (1-based) of root.
func ChainFile(root string, i int) string {
	return root + "_" + strconv.Itoa(i) + ".txt"
}

// Text is the set of growing text chains ROOT_1.txt … ROOT_n.txt of a run,
// one per walker or MCMC chain: GetDist takes each file for one chain, so
// that its autocorrelation (and the effective sample size it derives) is
// that of one walker. Rows are appended through buffers and reach the files
// at Flush; Sums then records each file's length and CRC-32C for the
// checkpoint. A Text is not safe for concurrent use.
type Text struct {
	names []string
	files []*os.File
	bufs  []*bufio.Writer
	sums  []FileSum
	// The last row of each chain, as values and as text: a walker that
	// stays put repeats its row (about half the steps of an ensemble),
	// and formatting the floats is most of the cost of writing a row
	// (BenchmarkWriteStep/half-move in package mcmc: 15.1 → 11.7 µs a
	// step of 32 walkers; the flagship fit with -out 0.95–1.05 → 0.94–0.98
	// s wall, five runs each).
	last     [][]float64
	lastLine [][]byte
}

// textBuffer is the buffer of each text chain: 16 KiB, so that a run of
// 100 walkers holds 1.6 MB of buffers.
const textBuffer = 16 << 10

func newText(n int) *Text {
	return &Text{names: make([]string, 0, n), sums: make([]FileSum, 0, n)}
}

// createText creates (truncating) the n text chains of root.
func createText(root string, n int) (*Text, error) {
	t := newText(n)
	for i := 1; i <= n; i++ {
		name := ChainFile(root, i)
		f, err := atomicfile.CreateRegular(name)
		if err != nil {
			t.Close()
			return nil, err
		}
		t.add(f, name, FileSum{Name: filepath.Base(name)})
	}
	return t, nil
}

func (t *Text) add(f *os.File, name string, sum FileSum) {
	t.names = append(t.names, name)
	t.files = append(t.files, f)
	t.bufs = append(t.bufs, bufio.NewWriterSize(f, textBuffer))
	t.sums = append(t.sums, sum)
	t.last = append(t.last, nil)
	t.lastLine = append(t.lastLine, nil)
}

// resumeText opens the n text chains of root for appending after checking
// each against its record in h: a regular file, at least as long as
// recorded, and with the recorded CRC-32C over that length. Anything after
// it (rows written after the checkpoint, half a line from a killed
// process) is cut off.
func resumeText(root string, n int, h *Header) (*Text, error) {
	t := newText(n)
	for i := 1; i <= n; i++ {
		name := ChainFile(root, i)
		sum, ok := h.File(filepath.Base(name))
		if !ok {
			t.Close()
			return nil, fmt.Errorf("the checkpoint has no record of %s", name)
		}
		f, fi, err := atomicfile.OpenRegular(name, true)
		if err != nil {
			t.Close()
			return nil, err
		}
		t.add(f, name, sum)
		if fi.Size() < sum.Size {
			t.Close()
			return nil, fmt.Errorf("%s has %d bytes, fewer than the %d recorded in the checkpoint", name, fi.Size(), sum.Size)
		}
		c := crc32.New(castagnoli)
		if _, err := io.Copy(c, io.NewSectionReader(f, 0, sum.Size)); err != nil {
			t.Close()
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
		if c.Sum32() != sum.CRC {
			t.Close()
			return nil, fmt.Errorf("%s does not match its checkpoint (CRC-32C of its first %d bytes %08x, recorded %08x): it was changed or overwritten since", name, sum.Size, c.Sum32(), sum.CRC)
		}
		if err := f.Truncate(sum.Size); err != nil {
			t.Close()
			return nil, err
		}
		if _, err := f.Seek(sum.Size, io.SeekStart); err != nil {
			t.Close()
			return nil, err
		}
	}
	return t, nil
}

// Append adds a row (see AppendRow) to chain i (0-based).
func (t *Text) Append(i int, weight, minusLogLike float64, x, derived []float64) error {
	line := t.row(i, weight, minusLogLike, x, derived)
	n, err := t.bufs[i].Write(line)
	s := &t.sums[i]
	s.CRC = crc32.Update(s.CRC, castagnoli, line[:n])
	s.Size += int64(n)
	if err != nil {
		return fmt.Errorf("writing %s: %w", t.names[i], err)
	}
	return nil
}

// row returns the text of a row of chain i: the last one's if every value
// is the same float64 (bit for bit, so that −0 and NaN payloads are
// written as they are), else the row formatted anew.
func (t *Text) row(i int, weight, minusLogLike float64, x, derived []float64) []byte {
	v := t.last[i]
	if len(v) == 2+len(x)+len(derived) && sameBits(v[0], weight) && sameBits(v[1], minusLogLike) &&
		sameRow(v[2:2+len(x)], x) && sameRow(v[2+len(x):], derived) {
		return t.lastLine[i]
	}
	v = append(append(append(v[:0], weight, minusLogLike), x...), derived...)
	t.last[i] = v
	t.lastLine[i] = AppendRow(t.lastLine[i][:0], weight, minusLogLike, x, derived)
	return t.lastLine[i]
}

func sameBits(a, b float64) bool { return math.Float64bits(a) == math.Float64bits(b) }

func sameRow(a, b []float64) bool {
	for k, v := range b {
		if !sameBits(a[k], v) {
			return false
		}
	}
	return true
}

// Flush writes the buffered rows to the files.
func (t *Text) Flush() error {
	for i, b := range t.bufs {
		if err := b.Flush(); err != nil {
			return fmt.Errorf("writing %s: %w", t.names[i], err)
		}
	}
	return nil
}

// Sums returns the records of the rows appended so far (flushed or not):
// Flush first for them to describe the files.
func (t *Text) Sums() []FileSum { return append([]FileSum(nil), t.sums...) }

// Len returns the number of chains.
func (t *Text) Len() int { return len(t.files) }

// rename records that the files now live under root (the descriptors stay
// valid across a rename).
func (t *Text) rename(root string) {
	for i := range t.names {
		t.names[i] = ChainFile(root, i+1)
		t.sums[i].Name = filepath.Base(t.names[i])
	}
}

// Close closes the files without flushing them.
func (t *Text) Close() error {
	var errs []error
	for _, f := range t.files {
		errs = append(errs, f.Close())
	}
	t.files, t.bufs = nil, nil
	return errors.Join(errs...)
}
