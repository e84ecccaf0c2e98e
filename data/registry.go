package data

import (
	"fmt"
	"strings"
)

// Kind is the kind of observable a data set constrains.
type Kind string

// The kinds of data sets.
const (
	KindHz  Kind = "hz"  // H(z) measurements (Hz)
	KindBAO Kind = "bao" // BAO distance ratios (BAO)
	KindSN  Kind = "sn"  // supernova magnitudes (SN)
	KindCMB Kind = "cmb" // CMB distance priors (CMB)
	KindH0  Kind = "h0"  // a prior on H0 (H0)
)

// Set describes a built-in data set.
type Set struct {
	Name     string // the name Load and Lookup accept
	Kind     Kind
	Doc      string // what the set is, one paragraph
	Citation string // the papers to cite when using it
	License  string // licence text the release carries; "" if it states none
	// Cov is the covariance to fetch for sets whose covariance is too large
	// to ship (pantheonplus, desy5); nil for the others.
	Cov *Remote
}

// Remote is a file that is not shipped but fetched on demand (Fetch) into
// the cache directory.
type Remote struct {
	Name string // "pantheonplus-cov", "desy5-cov"
	Set  string // the set that uses it: "pantheonplus", "desy5"
	// URL is the public address of the file.
	URL string
	// BlobSHA1 is the git blob SHA-1 of the file, in hex:
	// sha1("blob <size>\x00" + content), what `git hash-object FILE` prints.
	BlobSHA1 string
	File     string // the file name in the cache directory
	Gzip     bool   // the file is gzip-compressed
}

var (
	pantheonPlusCov = Remote{
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
	desY5Cov = Remote{
		Name:     "desy5-cov",
		Set:      "desy5",
		URL:      "https://raw.githubusercontent.com/des-science/DES-SN5YR/1.3/4_DISTANCES_COVMAT/STAT%2BSYS.txt.gz",
		BlobSHA1: "d5aa174d198cf24cfa749b49be288041e5d4721f",
		File:     "DES-SN5YR_STAT+SYS.txt.gz",
		Gzip:     true,
	}
)

var sets = []Set{
	{
		Name: "cc31", Kind: KindHz,
		Doc: "31 cosmic-chronometer (differential-age) H(z) measurements, 0.07 ≤ z ≤ 1.965, " +
			"with diagonal errors: the compilation cited by Magaña et al. 2018 (also SimpleMC's \"HD\" set).",
		Citation: "Magaña et al. 2018, arXiv:1802.01505; measurements: Jimenez et al. 2003, Simon et al. 2005, " +
			"Stern et al. 2010, Moresco et al. 2012, 2015, 2016, Zhang et al. 2014, Ratsimbazafy et al. 2017.",
	},
	{
		Name: "simulated20", Kind: KindHz,
		Doc: "The 20 simulated H(z) points of Rojas Olvera, Gómez-Vargas & Vázquez 2022 (Section 4), " +
			"at z = linspace(0, 3, 20), σ/H ≈ 0.21.",
		Citation: "Rojas Olvera, Gómez-Vargas & Vázquez 2022, Universe 8(2), 120.",
	},
	{
		Name: "desi-dr1", Kind: KindBAO,
		Doc: "DESI DR1 BAO, all tracers (desi_2024_gaussian_bao_ALL_GCcomb): 12 measurements of D_V/r_d, D_M/r_d " +
			"and D_H/r_d at 0.295 ≤ z ≤ 2.33 with their covariance. Never combine with desi-dr2, which supersedes it.",
		Citation: "DESI Collaboration 2024, arXiv:2404.03000, arXiv:2404.03001, arXiv:2404.03002.",
	},
	{
		Name: "desi-dr1-eboss-lya", Kind: KindBAO,
		Doc: "desi-dr1 with its Lyα pair (z = 2.33) replaced by the combined DESI+eBOSS Lyα measurement " +
			"(desi_2024_eboss_gaussian_bao_Lya_GCcomb), as the DR1 release offers as an alternative.",
		Citation: "DESI Collaboration 2024, arXiv:2404.03001, arXiv:2404.03002; " +
			"eBOSS DR16 Lyα: du Mas des Bourboux et al. 2020, arXiv:2007.08995.",
	},
	{
		Name: "desi-dr2", Kind: KindBAO,
		Doc: "DESI DR2 BAO, all tracers (desi_gaussian_bao_ALL_GCcomb): 13 measurements of D_V/r_d, D_M/r_d " +
			"and D_H/r_d at 0.295 ≤ z ≤ 2.33 with their covariance.",
		Citation: "DESI Collaboration 2025, arXiv:2503.14738, arXiv:2503.14739.",
	},
	{
		Name: "sdss-dr12", Kind: KindBAO,
		Doc: "BOSS DR12 consensus BAO: D_M·r_d,fid/r_d [Mpc] and H·r_d/r_d,fid [km/s/Mpc] at z = 0.38, 0.51, 0.61, " +
			"r_d,fid = 147.78 Mpc, with their covariance. Do not combine with DESI bins at the same redshifts.",
		Citation: "Alam et al. 2017, MNRAS 470, 2617, arXiv:1607.03155.",
	},
	{
		Name: "union3", Kind: KindSN,
		Doc: "Union3/UNITY1.5 supernova distance moduli binned in 22 redshift nodes (lcparam_full.txt, mb) with their " +
			"22×22 covariance (mag_covmat.txt); mb is a distance modulus up to an additive constant.",
		Citation: "Rubin et al. 2023, arXiv:2311.12098.",
		License:  union3License,
	},
	{
		Name: "pantheonplus", Kind: KindSN,
		Doc: "Pantheon+ supernovae (Pantheon+SH0ES.dat), the 1590 of 1701 rows with zHD > 0.01 (the " +
			"\"Pantheon+ only\" cut; the 10 Cepheid-calibrator rows above it stay, as in Cobaya), Mag = m_b_corr. " +
			"The STAT+SYS covariance (30 MB) is not shipped: `cosmoemu data get pantheonplus-cov` fetches it.",
		Citation: "Brout et al. 2022, ApJ 938, 110, arXiv:2202.04077; Scolnic et al. 2022, ApJ 938, 113, arXiv:2112.03863.",
		Cov:      &pantheonPlusCov,
	},
	{
		Name: "desy5", Kind: KindSN,
		Doc: "DES-SN5YR supernovae (DES-SN5YR_HD.csv, 1829 rows), Mag = MU (distance modulus for H0 = 70); " +
			"covariance = STAT+SYS + diag(MUERR_FINAL²). The STAT+SYS file is not shipped: " +
			"`cosmoemu data get desy5-cov` fetches it.",
		Citation: "DES Collaboration 2024, ApJL 973, L14, arXiv:2401.02929; Vincenzi et al. 2024, arXiv:2401.02945.",
		Cov:      &desY5Cov,
	},
	{
		Name: "planck18-distance", Kind: KindCMB,
		Doc: "Planck 2018 (TT,TE,EE+lowE) CMB distance priors on (R, l_A, ω_b) from Chen, Huang & Wang 2019, " +
			"z* from Hu & Sugiyama 1996.",
		Citation: "Chen, Huang & Wang 2019, JCAP 02, 028, arXiv:1808.05724; Planck Collaboration 2020, A&A 641, A6, arXiv:1807.06209.",
	},
	{
		Name: "sh0es", Kind: KindH0,
		Doc:      "The SH0ES Cepheid–supernova distance ladder: H0 = 73.04 ± 1.04 km/s/Mpc.",
		Citation: "Riess et al. 2022, ApJL 934, L7, arXiv:2112.04510.",
	},
}

// Sets returns the built-in data sets, in a fixed order. The values are
// copies: changing them does not change the registry.
func Sets() []*Set {
	out := make([]*Set, len(sets))
	for i := range sets {
		out[i] = copySet(&sets[i])
	}
	return out
}

// Lookup returns the built-in set called name (a copy).
func Lookup(name string) (*Set, error) {
	for i := range sets {
		if sets[i].Name == name {
			return copySet(&sets[i]), nil
		}
	}
	return nil, fmt.Errorf("data: unknown data set %q; built-in sets: %s", name, strings.Join(setNames(), ", "))
}

// Remotes returns the files Fetch can download (copies).
func Remotes() []*Remote {
	var out []*Remote
	for i := range sets {
		if sets[i].Cov != nil {
			r := *sets[i].Cov
			out = append(out, &r)
		}
	}
	return out
}

// LookupRemote returns the remote file called name ("pantheonplus-cov").
func LookupRemote(name string) (*Remote, error) {
	var names []string
	for _, r := range Remotes() {
		if r.Name == name {
			return r, nil
		}
		names = append(names, r.Name)
	}
	return nil, fmt.Errorf("data: unknown remote file %q; known: %s", name, strings.Join(names, ", "))
}

func copySet(s *Set) *Set {
	c := *s
	if s.Cov != nil {
		r := *s.Cov
		c.Cov = &r
	}
	return &c
}

func setNames() []string {
	names := make([]string, len(sets))
	for i := range sets {
		names[i] = sets[i].Name
	}
	return names
}
