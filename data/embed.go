package data

import "embed"

// Files holds the files of the built-in data sets, copied byte for byte
// from the releases (README.md in this directory gives their provenance),
// at their paths under this directory, e.g.
// "bao/desi_dr2/desi_gaussian_bao_ALL_GCcomb_mean.txt". Package likelihood
// declares which files make which data set.
//
//go:embed hz/cc31.txt hz/simulated20.csv
//go:embed bao/desi_dr1/desi_2024_gaussian_bao_ALL_GCcomb_mean.txt bao/desi_dr1/desi_2024_gaussian_bao_ALL_GCcomb_cov.txt
//go:embed bao/desi_dr1/desi_2024_eboss_gaussian_bao_Lya_GCcomb_mean.txt bao/desi_dr1/desi_2024_eboss_gaussian_bao_Lya_GCcomb_cov.txt
//go:embed bao/desi_dr2/desi_gaussian_bao_ALL_GCcomb_mean.txt bao/desi_dr2/desi_gaussian_bao_ALL_GCcomb_cov.txt
//go:embed bao/sdss_dr12/sdss_DR12Consensus_bao.dat bao/sdss_dr12/BAO_consensus_covtot_dM_Hz.txt
//go:embed rsd/sdss_DR12Consensus_final.dat rsd/final_consensus_covtot_dM_Hz_fsig.txt
//go:embed rsd/sdss_DR16_BAOplus_LRG_FSBAO_DMDHfs8.dat rsd/sdss_DR16_BAOplus_LRG_FSBAO_DMDHfs8_covtot.txt
//go:embed rsd/sdss_DR16_BAOplus_QSO_FSBAO_DMDHfs8.dat rsd/sdss_DR16_BAOplus_QSO_FSBAO_DMDHfs8_covtot.txt
//go:embed sn/union3/lcparam_full.txt sn/union3/mag_covmat.txt sn/union3/LICENSE_union3_release
//go:embed sn/pantheonplus/Pantheon+SH0ES.dat sn/des_sn5yr/DES-SN5YR_HD.csv
//go:embed cmb/chw2019_planck2018_TTTEEE_lowE_distance_priors.txt cmb/desi_dr2_priors_bbn_thetastar.txt
//go:embed cmb/desi_dr2_cmb_compressed_theta_ombh2_ombch2.txt
var Files embed.FS
