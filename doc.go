// Package cosmoemu solves the background expansion of the Universe,
// emulates it with neural networks and puts either inside Bayesian
// parameter inference. The work is done by the sub-packages.
//
// The inference core:
//
//	param       named parameters, normalized priors, parameter spaces
//	cosmo       the models (lcdm, olcdm, wcdm, w0wacdm, quintessence) as
//	            values, their conventions and observables, the Backend interface
//	neutrino    massive neutrinos (Fermi–Dirac densities) in CAMB's convention
//	recomb      recombination (RECFAST as CAMB has it), BBN helium, z*, z_drag
//	friedmann   the Ω_i dynamical system of the paper, generalised
//	solver      an adaptive Dormand–Prince 5(4) integrator with dense output
//	growth      the linear growth D(z), f(z) of every model
//	backend     observables from the closed form with quadrature, or the solver
//	emulator    every emulator behind one file format and one Load: the early
//	            universe, the scalar field, the growth, the paper's Friedmann one
//	nn          multilayer perceptrons, backpropagation, optimizers, scalers
//	data        the data sets that ship with the module, their formats, fetching
//	likelihood  data sets as values (BAO, supernovae, CMB, BBN, θ*, H(z), fσ8);
//	            the posterior
//	fit         the inference pipeline: data → model → backend → posterior → sampler
//	mcmc        ensemble and Metropolis–Hastings samplers with diagnostics
//	nested      nested sampling: evidences and weighted posterior samples
//	chains      the files of a run (GetDist text, .npy, checkpoints), for every sampler
//	plots       PNG figures
//	bridge      what a foreign caller in the same process gets (capi: the C
//	            ABI; python/: the Python package, Cobaya theory and likelihoods)
//
// The paper's reproductions (Rojas Olvera, Gómez-Vargas & Vázquez 2022),
// apart from the core:
//
//	grid              the paper's Cartesian training grid, exported as .npy/.npz
//	paper/friedmann   training the paper's Friedmann emulator, its figures
//	paper/reconstruct model-independent H(z) reconstruction with a network
//	paper/sdss        the SDSS star/galaxy/quasar classifier
//	paper/speed       the emulator against the solver it replaces
//
// This package holds only the module's documentation and its cross-package
// benchmarks.
package cosmoemu
