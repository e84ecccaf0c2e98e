// Package cosmoemu holds the data sets that ship with the module.
//
// cosmoemu solves the background expansion of a flat universe of barotropic
// fluids, emulates it with neural networks and puts either inside Bayesian
// parameter inference. The work is done by the sub-packages:
//
//	friedmann   the physics: fluids, the Ω_i' system, the closed form
//	solver      an adaptive Dormand–Prince 5(4) integrator with dense output
//	grid        the Cartesian training grid, exported as .npy/.npz
//	nn          multilayer perceptrons, backpropagation, optimizers, scalers
//	emulator    the Friedmann emulator and its model file
//	likelihood  H(z) data, Gaussian likelihoods and priors
//	mcmc        ensemble and Metropolis–Hastings samplers with diagnostics
//
// This package itself only embeds the small data sets in testdata/ so that
// a binary built from the module works without the source tree.
package cosmoemu

import _ "embed"

// CC31 is the 31-point cosmic-chronometer H(z) compilation
// (testdata/cc31.txt): whitespace-separated columns z, H, sigma_H in km/s/Mpc,
// lines starting with '#' are comments. Cite Magaña et al. 2018
// (arXiv:1802.01505) and the original measurements listed in README.md.
//
//go:embed testdata/cc31.txt
var CC31 []byte

// Simulated20 holds the paper's 20 simulated H(z) points
// (testdata/simulated20.csv): comma-separated H, sigma_H without a header.
// Their redshifts are not in the file: they are z = linspace(0, 3, 20).
//
//go:embed testdata/simulated20.csv
var Simulated20 []byte
