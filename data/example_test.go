package data_test

import (
	"fmt"
	"log"

	"github.com/cosmoemu/cosmoemu/data"
)

func ExampleLoad() {
	ds, err := data.Load("desi-dr2", nil)
	if err != nil {
		log.Fatal(err)
	}
	b := ds.BAO
	for i := range b.Len() {
		if b.Z[i] > 2 {
			fmt.Printf("z=%.2f %-5v = %.3f\n", b.Z[i], b.Quantity[i], b.Value[i])
		}
	}
	// Output:
	// z=2.33 DH/rd = 8.632
	// z=2.33 DM/rd = 38.989
}

func ExampleLoad_diagOnly() {
	// Without its covariance file Pantheon+ loads only on request, with
	// the diagonal errors the release warns against fitting with.
	ds, err := data.Load("pantheonplus", &data.Options{DiagOnly: true})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(ds.SN.Len(), ds.SN.MagColumn, ds.SN.DiagOnly)
	fmt.Println(ds.Warning)
	// Output:
	// 1590 m_b_corr true
	// pantheonplus: diagonal errors only (m_b_corr_err_DIAG), not the full covariance: the fit is not the published one
}

func ExampleSets() {
	for _, s := range data.Sets() {
		fetch := ""
		if s.Cov != nil {
			fetch = " (covariance: cosmoemu data get " + s.Cov.Name + ")"
		}
		fmt.Printf("%-18s %s%s\n", s.Name, s.Kind, fetch)
	}
	// Output:
	// cc31               hz
	// simulated20        hz
	// desi-dr1           bao
	// desi-dr1-eboss-lya bao
	// desi-dr2           bao
	// sdss-dr12          bao
	// union3             sn
	// pantheonplus       sn (covariance: cosmoemu data get pantheonplus-cov)
	// desy5              sn (covariance: cosmoemu data get desy5-cov)
	// planck18-distance  cmb
	// sh0es              h0
}
