// Package cosmoemu solves the background expansion of the Universe,
// emulates it with neural networks and puts either inside Bayesian
// parameter inference. The work is done by the sub-packages:
//
//	param       named parameters, normalized priors, parameter spaces
//	cosmo       the models (lcdm, olcdm, wcdm, w0wacdm, quintessence), their
//	            conventions and observables, the Backend interface
//	friedmann   the Ω_i dynamical system of the paper, generalised
//	solver      an adaptive Dormand–Prince 5(4) integrator with dense output
//	backend     observables from the closed form with quadrature, or the solver
//	data        the data sets that ship with the module, their formats, fetching
//	likelihood  BAO, supernova, CMB distance-prior and H(z) likelihoods; the posterior
//	fit         the inference pipeline: data → model → backend → posterior → sampler
//	mcmc        ensemble and Metropolis–Hastings samplers with diagnostics
//	nested      nested sampling: evidences and weighted posterior samples
//	nn          multilayer perceptrons, backpropagation, optimizers, scalers
//	emulator    the paper's Friedmann emulator and its model file
//	grid        the paper's Cartesian training grid, exported as .npy/.npz
//	reconstruct model-independent H(z) reconstruction with a network
//	sdss        the SDSS star/galaxy/quasar classifier
//	plots       PNG figures
//
// This package holds only the module's documentation and its cross-package
// benchmarks.
package cosmoemu
