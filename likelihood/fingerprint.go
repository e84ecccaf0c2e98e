package likelihood

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io"
	"math"

	"gonum.org/v1/gonum/mat"
)

// A ContentWriter is a Likelihood that writes the numbers its χ² depends
// on, with WriteFloats and WriteSym, so that Fingerprint knows its data by
// content. Every likelihood of this package is one.
type ContentWriter interface {
	WriteContent(w io.Writer)
}

// Fingerprint returns a hash of the data of l: the first 12 bytes of the
// SHA-256 of what l writes as a ContentWriter, in hex. It depends on the
// numbers only, not on the name, so that the same data given twice (a
// built-in set by name and its files by path) have the same fingerprint;
// fit refuses such a pair, and a resumed run compares fingerprints to
// know that its data did not change. A likelihood that is not a
// ContentWriter is known by its Go type and its name only.
func Fingerprint(l Likelihood) string {
	h := sha256.New()
	if c, ok := l.(ContentWriter); ok {
		c.WriteContent(h)
	} else {
		fmt.Fprintf(h, "%T\x00%s", l, l.Name())
	}
	return fmt.Sprintf("%x", h.Sum(nil)[:12])
}

// WriteFloats writes the length of v and its values to w, as 64-bit
// little-endian integers and IEEE 754 bits.
func WriteFloats(w io.Writer, v []float64) {
	var buf [8]byte
	binary.LittleEndian.PutUint64(buf[:], uint64(len(v)))
	w.Write(buf[:])
	for _, x := range v {
		binary.LittleEndian.PutUint64(buf[:], math.Float64bits(x))
		w.Write(buf[:])
	}
}

// WriteSym writes the rows of c with WriteFloats; a nil c (also a nil
// *mat.SymDense) is written as one empty row.
func WriteSym(w io.Writer, c mat.Symmetric) {
	if s, ok := c.(*mat.SymDense); c == nil || ok && s == nil {
		WriteFloats(w, nil)
		return
	}
	n := c.SymmetricDim()
	row := make([]float64, n)
	for i := range n {
		for j := range n {
			row[j] = c.At(i, j)
		}
		WriteFloats(w, row)
	}
}

// WriteContent writes z, H, σ and the covariance.
func (l *Hz) WriteContent(w io.Writer) {
	WriteFloats(w, l.d.Z)
	WriteFloats(w, l.d.H)
	WriteFloats(w, l.d.Sigma)
	WriteSym(w, l.d.Cov)
}

// WriteContent writes z, the values, the quantities, r_d,fid and the
// covariance.
func (l *BAO) WriteContent(w io.Writer) {
	d := l.d
	WriteFloats(w, d.Z)
	WriteFloats(w, d.Value)
	q := make([]float64, len(d.Quantity))
	for i, v := range d.Quantity {
		q[i] = float64(v)
	}
	WriteFloats(w, q)
	WriteFloats(w, []float64{d.RdFid})
	WriteSym(w, d.Cov)
}

// WriteContent writes z, z_hel, the magnitudes and the covariance.
func (l *SN) WriteContent(w io.Writer) {
	WriteFloats(w, l.d.Z)
	WriteFloats(w, l.d.ZHel)
	WriteFloats(w, l.d.Mag)
	WriteSym(w, l.d.Cov)
}

// WriteContent writes the mean and σ.
func (l *H0) WriteContent(w io.Writer) {
	WriteFloats(w, []float64{l.d.Mean, l.d.Sigma})
}
