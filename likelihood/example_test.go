package likelihood_test

import (
	"fmt"
	"log"

	"github.com/cosmoemu/cosmoemu/backend"
	"github.com/cosmoemu/cosmoemu/cosmo"
	"github.com/cosmoemu/cosmoemu/likelihood"
	"github.com/cosmoemu/cosmoemu/param"
)

func ExampleOpen() {
	// DESI DR2 BAO by name, and its χ² in flat ΛCDM at DESI's best fit
	// (BAO alone measure Ωm and h·r_d, the nuisance parameter hrd).
	l, _, err := likelihood.Open("desi-dr2", nil)
	if err != nil {
		log.Fatal(err)
	}
	om, _ := cosmo.LCDM.Param("Om")
	space, err := param.NewSpace([]param.Param{om, likelihood.HRd}, []param.Prior{om.DefaultPrior(), likelihood.HRd.DefaultPrior()})
	if err != nil {
		log.Fatal(err)
	}
	// H0 enters only through the radiation density: fix it.
	post, err := likelihood.NewPosterior(cosmo.LCDM, backend.Analytic{}, []likelihood.Likelihood{l}, space, map[string]float64{"H0": 70})
	if err != nil {
		log.Fatal(err)
	}
	chi2, _, err := post.Chi2([]float64{0.2975, 101.54})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s: %d measurements, χ² = %.2f\n", l.Name(), l.Len(), chi2)
	// Output:
	// desi-dr2: 13 measurements, χ² = 10.29
}

func ExampleOpen_diagOnly() {
	// Without its covariance file Pantheon+ opens only on request, with
	// the diagonal errors the release warns against fitting with.
	l, warn, err := likelihood.Open("pantheonplus", &likelihood.Options{DiagOnly: true})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(l.Name(), l.Len())
	fmt.Println(warn)
	// Output:
	// pantheonplus 1590
	// pantheonplus: diagonal errors only (m_b_corr_err_DIAG), not the full covariance: the fit is not the published one
}

func ExampleSets() {
	for _, s := range likelihood.Sets() {
		fetch := ""
		if s.Cov != nil {
			fetch = " (covariance: cosmoemu data get " + s.Cov.Name + ")"
		}
		fmt.Printf("%-18s %s%s\n", s.Name, s.Measures, fetch)
	}
	// Output:
	// cc31               hz
	// simulated20        hz
	// desi-dr1           bao
	// desi-dr1-eboss-lya bao
	// desi-dr2           bao
	// sdss-dr12          bao
	// sdss-dr12-fs       bao+fsigma8
	// sdss-dr16-lrg-fs   bao+fsigma8
	// sdss-dr16-qso-fs   bao+fsigma8
	// union3             sn
	// pantheonplus       sn (covariance: cosmoemu data get pantheonplus-cov)
	// desy5              sn (covariance: cosmoemu data get desy5-cov)
	// planck18-distance  cmb
	// theta-star         cmb
	// cmb-compressed     cmb
	// sh0es              h0
	// bbn                ombh2
}
