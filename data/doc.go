// Package data holds the files of the observational data sets cosmoemu
// ships, reads them and the files users give, and fetches the large
// supernova covariances that are not shipped. It knows formats, not data
// sets: no cosmology, no likelihood, and no catalogue. Package likelihood
// declares the built-in data sets (which files, which cuts, how the
// covariance is made) with the helpers of this package.
//
// Files holds the embedded files. The parsers read H(z) tables (ParseHz,
// ParseHSigma), BAO mean vectors (ParseBAO, ParseBAOScaled), supernova
// tables (ParseSN), covariances in rows (ParseCov) and in the supernova
// releases' format (ParseSNCov), and CMB distance priors (ParseCMB); the
// Read functions read files by path. Every parser reports bad input as one
// *ParseError naming the file, line and column, and never panics on its
// input. Covariances are checked and Cholesky-factorized (Factorize), so
// that a bad matrix is refused with an error naming its file; the SN
// methods Keep, SubMatrix, AddErrorVariances, SetCov and SetDiagonal build
// a supernova covariance from a release's parts. Fetch downloads a Remote
// file into the cache directory and checks its git blob SHA-1.
//
// README.md in this directory gives the provenance, citations, licences and
// formats of the files.
package data
