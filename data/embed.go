package data

import _ "embed"

// The files of the built-in sets, copied byte for byte from the releases
// (see README.md in this directory for their provenance).
var (
	//go:embed hz/cc31.txt
	cc31File []byte
	//go:embed hz/simulated20.csv
	simulated20File []byte

	//go:embed bao/desi_dr1/desi_2024_gaussian_bao_ALL_GCcomb_mean.txt
	desiDR1Mean []byte
	//go:embed bao/desi_dr1/desi_2024_gaussian_bao_ALL_GCcomb_cov.txt
	desiDR1Cov []byte
	//go:embed bao/desi_dr1/desi_2024_eboss_gaussian_bao_Lya_GCcomb_mean.txt
	desiDR1EBOSSLyaMean []byte
	//go:embed bao/desi_dr1/desi_2024_eboss_gaussian_bao_Lya_GCcomb_cov.txt
	desiDR1EBOSSLyaCov []byte
	//go:embed bao/desi_dr2/desi_gaussian_bao_ALL_GCcomb_mean.txt
	desiDR2Mean []byte
	//go:embed bao/desi_dr2/desi_gaussian_bao_ALL_GCcomb_cov.txt
	desiDR2Cov []byte
	//go:embed bao/sdss_dr12/sdss_DR12Consensus_bao.dat
	sdssDR12Mean []byte
	//go:embed bao/sdss_dr12/BAO_consensus_covtot_dM_Hz.txt
	sdssDR12Cov []byte

	//go:embed sn/union3/lcparam_full.txt
	union3Table []byte
	//go:embed sn/union3/mag_covmat.txt
	union3Cov []byte
	//go:embed sn/union3/LICENSE_union3_release
	union3License string
	//go:embed sn/pantheonplus/Pantheon+SH0ES.dat
	pantheonPlusTable []byte
	//go:embed sn/des_sn5yr/DES-SN5YR_HD.csv
	desY5Table []byte

	//go:embed cmb/chw2019_planck2018_TTTEEE_lowE_distance_priors.txt
	planck18DistanceFile []byte
)
