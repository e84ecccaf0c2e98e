// Package sdss classifies SDSS DR14 spectroscopic objects into galaxies,
// quasars and stars with a feed-forward network, as in Section 6 of Rojas
// Olvera, Gómez-Vargas & Vázquez (2022), "Observational cosmology with
// Artificial Neural Networks", and measures what the network learns.
//
// # Data
//
// Read takes a CSV table with a header (the SkyServer query of the DR14
// classification set: objid, ra, dec, u, g, r, i, z, run, rerun, camcol,
// field, specobjid, class, redshift, plate, mjd, fiberid; Abolfathi et al.
// 2018, ApJS 235, 42). The paper keeps PaperFeatures, the 15 columns other
// than objid, rerun and class; PhysicalFeatures drops the identifier-like
// columns as well (IdentifierColumns), leaving position, magnitudes and
// redshift. Errors name the file, the line and the column.
//
// # Model
//
// For features x (one row), the classifier computes
//
//	x'_j = asinh(x_j/s)           for the stretched feature (redshift, s = 0.001), else x_j
//	t_j  = (x'_j − μ_j)/σ_j       (z-score fitted on the training rows)
//	p    = softmax(W_L·f(…f(W_1·t + b_1)…) + b_L)
//
// and predicts argmax_k p_k. Training minimizes the cross-entropy
// −(1/N) Σ_r Σ_k y_rk ln p_rk with one-hot targets y.
//
// The split is stratified: StratifiedSplit holds out Settings.Test rows
// (2,000 by default) with the class proportions of the table, then a
// fraction of the rest (20%) for validation.
//
// Paper() reproduces the paper's recipe (plain z-scores, 4×150 sigmoid,
// RMSprop at 1e-3, 80 epochs). Default() differs in the redshift stretch,
// which separates stars (|z| ≲ 0.001) from galaxies (z ≳ 0.005) on the
// scale of the other inputs, tanh units, Adam with a cosine-annealed rate and
// the weights of the best validation epoch. docs/sdss.md compares the two.
//
// # Files
//
// Save and Load use the cosmoemu model file (internal/modelfile) with the
// header format "cosmoemu-classifier" described in docs/model-format.md.
package sdss
