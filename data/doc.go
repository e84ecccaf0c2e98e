// Package data holds the observational data sets cosmoemu ships, reads
// them and the files users give, and fetches the large supernova
// covariances that are not shipped. It does input and validation only: no
// cosmology and no likelihood (package likelihood builds those on it).
//
// The built-in sets (Sets, Lookup) are embedded in the binary: cosmic
// chronometers (cc31) and the paper's simulated H(z) points (simulated20);
// BAO from DESI DR1 (desi-dr1, or desi-dr1-eboss-lya with the DESI+eBOSS
// Lyα pair), DESI DR2 (desi-dr2) and BOSS DR12 (sdss-dr12); supernovae from
// Union3 (union3), Pantheon+ (pantheonplus) and DES-SN5YR (desy5); the
// Planck 2018 CMB distance priors (planck18-distance) and the SH0ES H0
// (sh0es). The covariances of pantheonplus and desy5 (30 MB and more) are
// fetched once into a cache directory (Fetch, Remotes).
//
// Load takes a name or a file spec such as bao:mean.txt:cov.txt and returns
// a Dataset holding one of Hz, BAO, SN, CMB or H0, validated, with its
// covariance Cholesky-factorized. Every parser reports bad input as one
// *ParseError naming the file, line and column, and never panics.
//
// README.md in this directory gives the provenance, citations, licences and
// formats of the files.
package data
