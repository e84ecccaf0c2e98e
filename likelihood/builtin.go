package likelihood

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"gonum.org/v1/gonum/mat"

	"github.com/cosmoemu/cosmoemu/cosmo"
	"github.com/cosmoemu/cosmoemu/data"
)

// The catalogue: every built-in data set, declared once. data/README.md
// gives the provenance of the files.
var sets = []Set{
	{
		Name: "cc31", Measures: "hz",
		Doc: "31 cosmic-chronometer (differential-age) H(z) measurements, 0.07 ≤ z ≤ 1.965, " +
			"with diagonal errors: the compilation cited by Magaña et al. 2018 (also SimpleMC's \"HD\" set).",
		Citation: "Magaña et al. 2018, arXiv:1802.01505; measurements: Jimenez et al. 2003, Simon et al. 2005, " +
			"Stern et al. 2010, Moresco et al. 2012, 2015, 2016, Zhang et al. 2014, Ratsimbazafy et al. 2017.",
		Load: func(*Options) (Likelihood, string, error) {
			return newHz(data.ParseHz(embedded("hz/cc31.txt"), "cc31"))
		},
	},
	{
		Name: "simulated20", Measures: "hz",
		Doc: "The 20 simulated H(z) points of Rojas Olvera, Gómez-Vargas & Vázquez 2022 (Section 4), " +
			"at z = linspace(0, 3, 20), σ/H ≈ 0.21.",
		Citation: "Rojas Olvera, Gómez-Vargas & Vázquez 2022, Universe 8(2), 120.",
		Load: func(*Options) (Likelihood, string, error) {
			// The paper's code puts the points at z = linspace(0, 3, 20).
			return newHz(data.ParseHSigma(embedded("hz/simulated20.csv"), "simulated20", 3))
		},
	},
	{
		Name: "desi-dr1", Measures: "bao",
		Doc: "DESI DR1 BAO, all tracers (desi_2024_gaussian_bao_ALL_GCcomb): 12 measurements of D_V/r_d, D_M/r_d " +
			"and D_H/r_d at 0.295 ≤ z ≤ 2.33 with their covariance. Never combine with desi-dr2, which supersedes it.",
		Citation: "DESI Collaboration 2024, arXiv:2404.03000, arXiv:2404.03001, arXiv:2404.03002.",
		Excludes: []Exclusion{
			{"desi-dr1-eboss-lya", "both hold DESI DR1's ten galaxy and quasar measurements"},
			{"desi-dr2", "DESI DR2 supersedes DR1, never combine them"},
		},
		Load: func(*Options) (Likelihood, string, error) {
			return newBAO(desiDR1())
		},
	},
	{
		Name: "desi-dr1-eboss-lya", Measures: "bao",
		Doc: "desi-dr1 with its Lyα pair (z = 2.33) replaced by the combined DESI+eBOSS Lyα measurement " +
			"(desi_2024_eboss_gaussian_bao_Lya_GCcomb), as the DR1 release offers as an alternative.",
		Citation: "DESI Collaboration 2024, arXiv:2404.03001, arXiv:2404.03002; " +
			"eBOSS DR16 Lyα: du Mas des Bourboux et al. 2020, arXiv:2007.08995.",
		Excludes: []Exclusion{{"desi-dr2", "DESI DR2 supersedes DR1, never combine them"}},
		Load: func(*Options) (Likelihood, string, error) {
			dr1, err := desiDR1()
			if err != nil {
				return nil, "", err
			}
			alt, err := embeddedBAO("desi-dr1-eboss-lya", "bao/desi_dr1/desi_2024_eboss_gaussian_bao_Lya_GCcomb")
			if err != nil {
				return nil, "", err
			}
			d, err := replaceLya(dr1, alt)
			if err == nil {
				d.Name = "desi-dr1-eboss-lya"
			}
			return newBAO(d, err)
		},
	},
	{
		Name: "desi-dr2", Measures: "bao",
		Doc: "DESI DR2 BAO, all tracers (desi_gaussian_bao_ALL_GCcomb): 13 measurements of D_V/r_d, D_M/r_d " +
			"and D_H/r_d at 0.295 ≤ z ≤ 2.33 with their covariance.",
		Citation: "DESI Collaboration 2025, arXiv:2503.14738, arXiv:2503.14739.",
		Load: func(*Options) (Likelihood, string, error) {
			return newBAO(embeddedBAO("desi-dr2", "bao/desi_dr2/desi_gaussian_bao_ALL_GCcomb"))
		},
	},
	{
		Name: "sdss-dr12", Measures: "bao",
		Doc: "BOSS DR12 consensus BAO: D_M·r_d,fid/r_d [Mpc] and H·r_d/r_d,fid [km/s/Mpc] at z = 0.38, 0.51, 0.61, " +
			"r_d,fid = 147.78 Mpc, with their covariance. Do not combine with DESI bins at the same redshifts.",
		Citation: "Alam et al. 2017, MNRAS 470, 2617, arXiv:1607.03155.",
		Excludes: []Exclusion{
			{"desi-dr1", overlapSDSS},
			{"desi-dr1-eboss-lya", overlapSDSS},
			{"desi-dr2", overlapSDSS},
		},
		Load: func(*Options) (Likelihood, string, error) {
			d, err := data.ParseBAOScaled(embedded("bao/sdss_dr12/sdss_DR12Consensus_bao.dat"), "sdss-dr12", sdssDR12RdFid)
			if err == nil {
				err = d.AttachCov(embedded("bao/sdss_dr12/BAO_consensus_covtot_dM_Hz.txt"), "sdss-dr12 covariance")
			}
			return newBAO(d, err)
		},
	},
	{
		Name: "sdss-dr12-fs", Measures: "bao+fsigma8",
		Doc: "BOSS DR12 final consensus (BAO and full shape): D_M·r_d,fid/r_d [Mpc], H·r_d/r_d,fid [km/s/Mpc] and fσ8 " +
			"at z = 0.38, 0.51, 0.61 (9 numbers), r_d,fid = 147.78 Mpc, with their 9×9 covariance. fσ8 needs sigma8, " +
			"sampled with it. Never with sdss-dr12 (its BAO part) or sdss-dr16-lrg-fs (which holds its two lower bins and " +
			"CMASS galaxies of the third), nor with DESI (overlapping redshifts).",
		Citation: "Alam et al. 2017, MNRAS 470, 2617, arXiv:1607.03155 (Table 8).",
		Excludes: []Exclusion{
			{"sdss-dr12", "sdss-dr12 is the BAO part of the same BOSS DR12 consensus"},
			{"sdss-dr16-lrg-fs", "eBOSS DR16 LRG holds BOSS DR12's two lower bins, and CMASS galaxies of its third: use DR12-final or DR16-LRG, never both"},
			{"desi-dr1", overlapSDSS},
			{"desi-dr1-eboss-lya", overlapSDSS},
			{"desi-dr2", overlapSDSS},
		},
		Load: func(*Options) (Likelihood, string, error) {
			d, err := data.ParseBAOScaled(embedded("rsd/sdss_DR12Consensus_final.dat"), "sdss-dr12-fs", sdssDR12RdFid)
			if err == nil {
				err = d.AttachCov(embedded("rsd/final_consensus_covtot_dM_Hz_fsig.txt"), "sdss-dr12-fs covariance")
			}
			return newBAO(d, err)
		},
	},
	{
		Name: "sdss-dr16-lrg-fs", Measures: "bao+fsigma8",
		Doc: "eBOSS DR16 LRG \"BAOplus\" (BOSS DR12's bins at z = 0.38, 0.51 and eBOSS LRG with BOSS CMASS at z = 0.698): " +
			"D_M/r_d, D_H/r_d and fσ8 (9 numbers) with their covariance. fσ8 needs sigma8, sampled with it. Combines with " +
			"sdss-dr16-qso-fs (the eBOSS 2021 convention); never with sdss-dr12 or sdss-dr12-fs, nor with DESI.",
		Citation: "Alam et al. 2021, PRD 103, 083533, arXiv:2007.08991; Bautista et al. 2021, arXiv:2007.08993; " +
			"Gil-Marín et al. 2020, arXiv:2007.08994.",
		Excludes: []Exclusion{
			{"sdss-dr12", "eBOSS DR16 LRG holds BOSS DR12's two lower bins"},
			{"desi-dr1", overlapEBOSS},
			{"desi-dr1-eboss-lya", overlapEBOSS},
			{"desi-dr2", overlapEBOSS},
		},
		Load: func(*Options) (Likelihood, string, error) {
			return newBAO(embeddedRSD("sdss-dr16-lrg-fs", "rsd/sdss_DR16_BAOplus_LRG_FSBAO_DMDHfs8"))
		},
	},
	{
		Name: "sdss-dr16-qso-fs", Measures: "bao+fsigma8",
		Doc: "eBOSS DR16 quasars at z = 1.48: D_M/r_d, D_H/r_d and fσ8 with their covariance. fσ8 needs sigma8, " +
			"sampled with it. Never with DESI (its quasars and ELGs overlap in redshift).",
		Citation: "Alam et al. 2021, PRD 103, 083533, arXiv:2007.08991; Hou et al. 2021, arXiv:2007.08998; " +
			"Neveux et al. 2020, arXiv:2007.08999.",
		Excludes: []Exclusion{
			{"desi-dr1", overlapEBOSS},
			{"desi-dr1-eboss-lya", overlapEBOSS},
			{"desi-dr2", overlapEBOSS},
		},
		Load: func(*Options) (Likelihood, string, error) {
			return newBAO(embeddedRSD("sdss-dr16-qso-fs", "rsd/sdss_DR16_BAOplus_QSO_FSBAO_DMDHfs8"))
		},
	},
	{
		Name: "union3", Measures: "sn",
		Doc: "Union3/UNITY1.5 supernova distance moduli binned in 22 redshift nodes (lcparam_full.txt, mb) with their " +
			"22×22 covariance (mag_covmat.txt); mb is a distance modulus up to an additive constant.",
		Citation: "Rubin et al. 2023, arXiv:2311.12098.",
		License:  string(embeddedBytes("sn/union3/LICENSE_union3_release")),
		Load: func(o *Options) (Likelihood, string, error) {
			d, err := data.ParseSN(embedded("sn/union3/lcparam_full.txt"), "union3")
			if err != nil {
				return nil, "", err
			}
			const name = "union3 mag_covmat.txt"
			cov, err := data.ParseSNCov(embedded("sn/union3/mag_covmat.txt"), name, d.Len())
			if err != nil {
				return nil, "", err
			}
			if err := d.SetCov(cov, name, "embedded"); err != nil {
				return nil, "", err
			}
			return newSN(d, o)
		},
	},
	{
		Name: "pantheonplus", Measures: "sn",
		Doc: "Pantheon+ supernovae (Pantheon+SH0ES.dat), the 1590 of 1701 rows with zHD > 0.01 (the " +
			"\"Pantheon+ only\" cut; the 10 Cepheid-calibrator rows above it stay, as in Cobaya), Mag = m_b_corr. " +
			"The STAT+SYS covariance (30 MB) is not shipped: `cosmoemu data get pantheonplus-cov` fetches it.",
		Citation: "Brout et al. 2022, ApJ 938, 110, arXiv:2202.04077; Scolnic et al. 2022, ApJ 938, 113, arXiv:2112.03863.",
		Cov:      &pantheonPlusCov,
		Load: fetchedSN{
			remote: &pantheonPlusCov,
			table: func() (*data.SN, []int, error) {
				d, err := data.ParseSN(embedded("sn/pantheonplus/Pantheon+SH0ES.dat"), "pantheonplus")
				if err != nil {
					return nil, nil, err
				}
				// The "Pantheon+ only" fit keeps zHD > 0.01, as Cobaya's
				// PantheonPlus does (no calibrator term).
				var keep []int
				for i, z := range d.Z {
					if z > 0.01 {
						keep = append(keep, i)
					}
				}
				return d, keep, nil
			},
		}.load,
	},
	{
		Name: "desy5", Measures: "sn",
		Doc: "DES-SN5YR supernovae (DES-SN5YR_HD.csv, 1829 rows), Mag = MU (distance modulus for H0 = 70); " +
			"covariance = STAT+SYS + diag(MUERR_FINAL²). The STAT+SYS file is not shipped: " +
			"`cosmoemu data get desy5-cov` fetches it.",
		Citation: "DES Collaboration 2024, ApJL 973, L14, arXiv:2401.02929; Vincenzi et al. 2024, arXiv:2401.02945.",
		Cov:      &desY5Cov,
		Load: fetchedSN{
			remote: &desY5Cov,
			table: func() (*data.SN, []int, error) {
				d, err := data.ParseSN(embedded("sn/des_sn5yr/DES-SN5YR_HD.csv"), "desy5")
				return d, nil, err
			},
			// STAT+SYS holds only the systematic part; the statistical
			// errors are MUERR_FINAL (the release README, and Cobaya's
			// desy5).
			addErrors: true,
		}.load,
	},
	{
		Name: "planck18-distance", Measures: "cmb",
		Doc: "Planck 2018 (TT,TE,EE+lowE) CMB distance priors on (R, l_A, ω_b) from Chen, Huang & Wang 2019, " +
			"in their conventions, which reproduce their numbers and are not CAMB's: z* from Hu & Sugiyama 1996, " +
			"radiation Ω_r = Ωm/(1 + z_eq) with z_eq = 2.5e4 Ωm h² (T_CMB/2.7 K)⁻⁴ (neutrino masses in Ωm), " +
			"baryon loading R_b = 3e4 ω_b a (likelihood.ShiftCHW). For standard N_eff only: N_eff does not enter. " +
			"The three CMB sets (planck18-distance, theta-star, cmb-compressed) never combine.",
		Citation: "Chen, Huang & Wang 2019, JCAP 02, 028, arXiv:1808.05724; Planck Collaboration 2020, A&A 641, A6, arXiv:1807.06209.",
		Load: func(*Options) (Likelihood, string, error) {
			c, err := data.ParseCMB(embedded("cmb/chw2019_planck2018_TTTEEE_lowE_distance_priors.txt"), "planck18-distance")
			if err == nil {
				err = c.Validate()
			}
			if err != nil {
				return nil, "", err
			}
			l, err := NewCMB(c, ShiftCHW)
			return l, "", err
		},
	},
	{
		Name: "theta-star", Measures: "cmb",
		Doc: "The CMB acoustic angular scale: 100θ* = 1.04110 ± 0.00053, Planck 2018's θ* with its error widened " +
			"by about 75% so that it holds beyond ΛCDM, the θ* prior of DESI DR2 (used with BAO and BBN). " +
			"θ* = r_s(z*)/D_M(z*) comes from the fit's early universe (the exact route: CAMB's z*, r_s and D_M). " +
			"It needs ω_b and measures H0. Never with planck18-distance or cmb-compressed: the same CMB acoustic scale.",
		Citation: "Planck Collaboration 2020, A&A 641, A6, arXiv:1807.06209; DESI Collaboration 2025, arXiv:2503.14738 (Sec. IV.A).",
		Excludes: []Exclusion{
			{"planck18-distance", sameAcousticScale},
			{"cmb-compressed", sameAcousticScale},
		},
		Load: func(*Options) (Likelihood, string, error) {
			g, err := priorRow("theta-star", "100*theta_*")
			if err != nil {
				return nil, "", err
			}
			cov := mat.NewSymDense(1, []float64{g.Sigma * g.Sigma})
			l, err := NewCompressedCMB("theta-star", []CMBQuantity{ThetaStar100}, []float64{g.Mean}, cov)
			return l, "", err
		},
	},
	{
		Name: "cmb-compressed", Measures: "cmb",
		Doc: "DESI DR2's compressed CMB likelihood: a Gaussian in (θ*, ω_b, ω_bc) from Planck PR4 (CamSpec), " +
			"compressed as Lemos & Lewis 2023: θ* = r_s(z*)/D_M(z*) in radians from the fit's early universe " +
			"(the exact route: CAMB's definitions), ω_bc = ω_b + ω_c = Ωm h² − ω_ν without the massive neutrinos. " +
			"Valid for models that change the late universe only (it fixes the early one to ΛCDM's). " +
			"Never with planck18-distance or theta-star: the same CMB acoustic scale.",
		Citation: "DESI Collaboration 2025, arXiv:2503.14738 (Appendix A, eqs. 35-36); Lemos & Lewis 2023, arXiv:2302.12911; " +
			"Planck PR4 CamSpec: Rosenberg, Gratton & Efstathiou 2022, arXiv:2205.10869.",
		Excludes: []Exclusion{{"planck18-distance", sameAcousticScale}},
		Load: func(*Options) (Likelihood, string, error) {
			const file = "cmb/desi_dr2_cmb_compressed_theta_ombh2_ombch2.txt"
			g, err := data.ParseGaussianVector(embedded(file), file, 3)
			if err != nil {
				return nil, "", err
			}
			l, err := NewCompressedCMB("cmb-compressed", []CMBQuantity{ThetaStar, OmegaB, OmegaBC}, g.Mean, g.Cov)
			return l, "", err
		},
	},
	{
		Name: "sh0es", Measures: "h0",
		Doc:      "The SH0ES Cepheid–supernova distance ladder: H0 = 73.04 ± 1.04 km/s/Mpc.",
		Citation: "Riess et al. 2022, ApJL 934, L7, arXiv:2112.04510.",
		Load: func(*Options) (Likelihood, string, error) {
			l, err := NewH0(&data.H0{Name: "sh0es", Mean: 73.04, Sigma: 1.04})
			return l, "", err
		},
	},
	{
		Name: "bbn", Measures: "ombh2",
		Doc: "Big-bang nucleosynthesis: ω_b = 0.02218 ± 0.00055 from the primordial deuterium and helium abundances " +
			"(PRyMordial, marginalised over the nuclear rates), the BBN prior of DESI DR2; a likelihood on the parameter " +
			"ombh2, which it makes sampled (with BAO, r_d then comes from ω_b and H0 is measured). It combines with the CMB sets: " +
			"they measure ω_b too, but from independent data (the acoustic peaks, not the light elements), so the product is a joint " +
			"measurement, not a double count (the CMB's σ is 0.00015); DESI DR2 uses BBN in place of the CMB, not with it.",
		Citation: "Schöneberg 2024, arXiv:2401.15054 (eq. 5.1), as used by DESI Collaboration 2025, arXiv:2503.14738 (eq. 14).",
		Load: func(*Options) (Likelihood, string, error) {
			g, err := priorRow("bbn", "omega_b")
			if err != nil {
				return nil, "", err
			}
			l, err := NewParamGauss(&data.Gaussian{Name: "bbn", Param: cosmo.NameOmbh2, Mean: g.Mean, Sigma: g.Sigma, Source: g.Source})
			return l, "", err
		},
	},
}

// priorRow returns the row name of DESI DR2's table of Gaussian priors,
// which must be on the parameter param (as the file names it).
func priorRow(name, param string) (*data.Gaussian, error) {
	const file = "cmb/desi_dr2_priors_bbn_thetastar.txt"
	rows, err := data.ParseGaussians(embedded(file), file)
	if err != nil {
		return nil, err
	}
	for i := range rows {
		if rows[i].Name == name && rows[i].Param == param {
			return &rows[i], nil
		}
	}
	return nil, fmt.Errorf("likelihood: %s has no row %s for %s", file, name, param)
}

// sameAcousticScale is why the CMB sets do not combine.
const sameAcousticScale = "both measure the CMB acoustic scale θ* from Planck's temperature and polarization maps: combining them counts that measurement twice"

// overlapSDSS is why BOSS DR12 and DESI do not combine.
const overlapSDSS = "BOSS DR12 and DESI measure BAO at overlapping redshifts; combining them double-counts the overlapping volume"

// overlapEBOSS is why eBOSS DR16 and DESI do not combine.
const overlapEBOSS = "eBOSS DR16 and DESI measure BAO at overlapping redshifts on overlapping skies, with no joint covariance; combining them double-counts the overlapping volume"

// sdssDR12RdFid is the fiducial sound horizon r_d,fid = 147.78 Mpc of the
// SDSS DR12 consensus values.
const sdssDR12RdFid = 147.78

// The covariances of the supernova sets, too large to ship.
var (
	pantheonPlusCov = data.Remote{
		Name: "pantheonplus-cov",
		Set:  "pantheonplus",
		URL:  "https://raw.githubusercontent.com/PantheonPlusSH0ES/DataRelease/main/Pantheon%2B_Data/4_DISTANCES_AND_COVAR/Pantheon%2BSH0ES_STAT%2BSYS.cov",
		// From the shared data README (git hash-object of the release file).
		BlobSHA1: "d1a1498154e7ba826df14bdbef35ebcb7f5efba1",
		File:     "Pantheon+SH0ES_STAT+SYS.cov",
	}
	// The repository's main branch now holds the later DES-Dovekie
	// recalibration (.npz precision matrices); tag 1.3 is the DES-SN5YR
	// release (Vincenzi et al. 2024) that DES-SN5YR_HD.csv belongs to.
	desY5Cov = data.Remote{
		Name:     "desy5-cov",
		Set:      "desy5",
		URL:      "https://raw.githubusercontent.com/des-science/DES-SN5YR/1.3/4_DISTANCES_COVMAT/STAT%2BSYS.txt.gz",
		BlobSHA1: "d5aa174d198cf24cfa749b49be288041e5d4721f",
		File:     "DES-SN5YR_STAT+SYS.txt.gz",
		Gzip:     true,
	}
)

// embeddedBytes returns the embedded file at path (data.Files); a missing
// file is a mistake in this file's declarations.
func embeddedBytes(path string) []byte {
	b, err := data.Files.ReadFile(path)
	if err != nil {
		panic("likelihood: " + err.Error())
	}
	return b
}

func embedded(path string) *bytes.Reader { return bytes.NewReader(embeddedBytes(path)) }

// embeddedBAO reads the BAO files prefix+"_mean.txt" and prefix+"_cov.txt".
func embeddedBAO(name, prefix string) (*data.BAO, error) {
	return embeddedBAOCov(name, prefix+"_mean.txt", prefix+"_cov.txt")
}

// embeddedRSD reads the eBOSS DR16 files prefix+".dat" (D_M/r_d, D_H/r_d,
// fσ8) and prefix+"_covtot.txt".
func embeddedRSD(name, prefix string) (*data.BAO, error) {
	return embeddedBAOCov(name, prefix+".dat", prefix+"_covtot.txt")
}

// embeddedBAOCov reads the embedded BAO table mean and its covariance cov.
func embeddedBAOCov(name, mean, cov string) (*data.BAO, error) {
	d, err := data.ParseBAO(embedded(mean), name)
	if err != nil {
		return nil, err
	}
	if err := d.AttachCov(embedded(cov), name+" covariance"); err != nil {
		return nil, err
	}
	return d, nil
}

func desiDR1() (*data.BAO, error) {
	return embeddedBAO("desi-dr1", "bao/desi_dr1/desi_2024_gaussian_bao_ALL_GCcomb")
}

// replaceLya returns DESI DR1 with its Lyα rows (z = 2.33) replaced by the
// DESI+eBOSS Lyα pair alt. The Lyα block of DR1's covariance must be
// uncorrelated with the other rows, as it is in the release; otherwise
// dropping it would change the remaining likelihood.
func replaceLya(dr1, alt *data.BAO) (*data.BAO, error) {
	const zLya = 2.33
	var keep []int
	for i, z := range dr1.Z {
		if z != zLya {
			keep = append(keep, i)
		}
	}
	if len(keep) == dr1.Len() {
		return nil, fmt.Errorf("likelihood: %s: no Lyα rows at z=%g", dr1.Name, zLya)
	}
	for i := range dr1.Len() {
		for _, j := range keep {
			if dr1.Z[i] == zLya && dr1.Cov.At(i, j) != 0 {
				return nil, fmt.Errorf("likelihood: %s: Lyα row %d is correlated with row %d", dr1.Name, i+1, j+1)
			}
		}
	}
	for _, z := range alt.Z {
		if z != zLya {
			return nil, fmt.Errorf("likelihood: %s: row at z=%g, want only Lyα rows at z=%g", alt.Name, z, zLya)
		}
	}
	n := len(keep) + alt.Len()
	out := &data.BAO{Name: dr1.Name + "+" + alt.Name, Cov: mat.NewSymDense(n, nil)}
	for a, i := range keep {
		out.Z = append(out.Z, dr1.Z[i])
		out.Value = append(out.Value, dr1.Value[i])
		out.Quantity = append(out.Quantity, dr1.Quantity[i])
		for b, j := range keep[a:] {
			out.Cov.SetSym(a, a+b, dr1.Cov.At(i, j))
		}
	}
	m := len(keep)
	for i := range alt.Len() {
		out.Z = append(out.Z, alt.Z[i])
		out.Value = append(out.Value, alt.Value[i])
		out.Quantity = append(out.Quantity, alt.Quantity[i])
		for j := i; j < alt.Len(); j++ {
			out.Cov.SetSym(m+i, m+j, alt.Cov.At(i, j))
		}
	}
	var err error
	if out.Chol, err = data.Factorize(out.Name, out.Cov); err != nil {
		return nil, err
	}
	return out, nil
}

// fetchedSN declares how a supernova set whose covariance is fetched loads:
// table parses its shipped table and returns the rows to keep (nil: all);
// addErrors adds diag(error²) to the covariance file, which then holds
// only the systematic part.
type fetchedSN struct {
	remote    *data.Remote
	table     func() (*data.SN, []int, error)
	addErrors bool
}

func (f fetchedSN) load(o *Options) (Likelihood, string, error) {
	name, r := f.remote.Set, f.remote
	if o.DiagOnly && o.CovFile != "" {
		return nil, "", fmt.Errorf("likelihood: %s: both a covariance file (%s) and the diagonal-only option: choose one", name, o.CovFile)
	}
	d, keep, err := f.table()
	if err != nil {
		return nil, "", err
	}
	if o.DiagOnly {
		if keep != nil {
			d.Keep(keep)
		}
		if err := d.SetDiagonal(); err != nil {
			return nil, "", err
		}
		return newSN(d, o)
	}
	path := o.CovFile
	if path == "" {
		if path, err = cachedCov(r, o.CacheDir); err != nil {
			return nil, "", err
		}
	}
	cov, err := data.ReadSNCov(path, d.Len())
	if err != nil {
		return nil, "", err
	}
	if keep != nil {
		cov = data.SubMatrix(cov, keep)
		d.Keep(keep)
	}
	if f.addErrors {
		if err := d.AddErrorVariances(cov); err != nil {
			return nil, "", err
		}
	}
	if err := d.SetCov(cov, path, path); err != nil {
		return nil, "", err
	}
	return newSN(d, o)
}

// cachedCov returns the path of r in the cache directory dir ("" the
// default), after checking its git blob SHA-1.
func cachedCov(r *data.Remote, dir string) (string, error) {
	path := data.CachePath(r, dir)
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "", &CovError{Set: r.Set, Remote: *r, Path: path}
	case err != nil:
		return "", fmt.Errorf("likelihood: %s: %w", r.Set, err)
	case !fi.Mode().IsRegular():
		return "", fmt.Errorf("likelihood: %s: the cached covariance %s is not a regular file", r.Set, path)
	}
	if err := data.Verify(r, path); err != nil {
		return "", &CovError{Set: r.Set, Remote: *r, Path: path, Err: err}
	}
	return path, nil
}

// A CovError reports that the covariance a set fetches (Set.Cov) is not in
// the cache directory, or is there but is not the released file.
type CovError struct {
	Set    string      // the data set, e.g. "pantheonplus"
	Remote data.Remote // the file to fetch
	Path   string      // where it was looked for
	Err    error       // nil if the file is not there; why it cannot be used otherwise
}

func (e *CovError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("likelihood: %s: the cached covariance is not the released file (%v): delete it and fetch the remote file %s again (data.Fetch)", e.Set, e.Err, e.Remote.Name)
	}
	return fmt.Sprintf("likelihood: %s needs its covariance %s, which is not in the cache (%s): fetch the remote file %s (data.Fetch), "+
		"or download %s by hand to %s, or give the file in the data spec %s:FILE, or open the set with diagonal errors only (Options.DiagOnly; not the published fit)",
		e.Set, e.Remote.File, e.Path, e.Remote.Name, e.Remote.URL, e.Path, e.Set)
}

func (e *CovError) Unwrap() error { return e.Err }
