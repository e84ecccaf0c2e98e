// Package data: TEMPORARY stub of the types the data helper is writing
// (replaced at merge).
package data

import "gonum.org/v1/gonum/mat"

type Kind string

const (
	KindHz  Kind = "hz"
	KindBAO Kind = "bao"
	KindSN  Kind = "sn"
	KindCMB Kind = "cmb"
	KindH0  Kind = "h0"
)

type Hz struct {
	Name        string
	Z, H, Sigma []float64
	Cov         *mat.SymDense
}

type Quantity int

const (
	DVOverRd Quantity = iota
	DMOverRd
	DHOverRd
	DMScaled
	HScaled
)

type BAO struct {
	Name     string
	Z, Value []float64
	Quantity []Quantity
	Cov      *mat.SymDense
	RdFid    float64
}

type SN struct {
	Name         string
	Z, ZHel, Mag []float64
	Cov          *mat.SymDense
	DiagOnly     bool
}

type CMB struct {
	Name   string
	Mean   []float64
	InvCov *mat.SymDense
}

type H0 struct {
	Name        string
	Mean, Sigma float64
}

type Dataset struct {
	Kind    Kind
	Hz      *Hz
	BAO     *BAO
	SN      *SN
	CMB     *CMB
	H0      *H0
	Warning string
}

type Options struct {
	DiagOnly bool
	CacheDir string
}

func Load(spec string, opt *Options) (*Dataset, error) { panic("stub") }

func (d *Hz) Validate() error { return nil }
