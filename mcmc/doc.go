// Package mcmc samples posterior densities with an affine-invariant ensemble
// sampler and with adaptive Metropolis–Hastings, and diagnoses and writes
// the chains.
//
// # Samplers
//
// RunEnsemble implements the Goodman & Weare (2010) stretch move as in
// emcee: K walkers are split into two halves S0 = {0…K/2−1} and
// S1 = {K/2…K−1}; each half is updated against the other. For walker X_k of
// the active half a partner X_j is drawn from the other half and
//
//	Y = X_j + Z (X_k − X_j),   g(Z) ∝ 1/√Z on [1/a, a]  (a = 2),
//
// is accepted with probability min(1, Z^(d−1) p(Y)/p(X_k)). All random
// numbers of a half-step (Z, j, the acceptance uniform) are drawn
// sequentially from the sampler's generator before the proposals are
// evaluated in parallel, so a seed gives the same chain whatever the number
// of workers.
//
// RunMH runs several independent random-walk Metropolis–Hastings chains in
// parallel, each with its own generator derived from the seed. The
// proposal is N(x, Σ_p) with Σ_p = (2.38²/d)·Σ (Haario et al. 2001, Gelman
// et al. 1996; as in SimpleMC), where Σ starts as the supplied covariance
// and, during the first Adapt steps (the burn-in), is re-estimated every
// AdaptEvery steps from the second half of the chain so far. After Adapt
// steps the proposal is frozen, so the chain that is analysed is Markovian.
//
// Walkers (or chains) start from draws of N(Start, StartCov); draws where
// the target is −Inf are redrawn. BestFit finds a start point and its
// covariance (inverse Hessian of −ln p) with gonum's optimize and diff/fd.
//
// # Diagnostics
//
// IntegratedTime is emcee 3's estimator: the normalized autocorrelation
// function of each walker (by FFT, gonum dsp/fourier), averaged over
// walkers, τ(M) = 1 + 2 Σ_{t=1..M} ρ(t), with Sokal's automatic window: the
// smallest M with M ≥ c·τ(M), c = 5. A chain shorter than 50τ is flagged
// (Summary.TauWarning), never an error. The effective sample size is
// ESS = N·K/τ for N post-burn-in steps of K walkers. GelmanRubin returns
// R−1 = √(V̂/W) − 1 with V̂ = (n−1)/n·W + B/n over MH chains or over
// contiguous groups of walkers; reports show max(0, R−1). GelmanRubinEigen
// is GetDist's multivariate R−1, the largest eigenvalue of W⁻¹B.
//
// Summary.Converged is set only when the chain after burn-in is longer
// than 50τ for every parameter, R−1 is below the threshold, and every
// walker (or chain) and every parameter moved after the burn-in; a chain
// that never moved has no τ (NaN), and Summary.Warning says what is wrong.
//
// # Burn-in
//
// With Settings.Burn = 0 the burn-in is chosen after the run: for the
// ensemble 2τ_max (τ estimated on the second half of the chain, as emcee
// recommends discarding a few τ), at most half the chain; for MH the
// adaptation phase plus that amount. Settings.Burn > 0 fixes it (MH never
// discards less than Adapt). Convergence checks during a run (Converge) use
// the second half of the chain so far (after Adapt for MH).
//
// # Files
//
// With Settings.Root = ROOT the samplers write through package chains
// (which documents the layout, the checkpoint and the policy for roots),
// growing as they run:
//
//	ROOT_1.txt … ROOT_K.txt   GetDist/CosmoMC plain-text chains, one per
//	                          walker (or MH chain), one row per step, so that
//	                          GetDist measures each walker's autocorrelation.
//	                          Columns: weight (always 1), −ln L, the
//	                          parameters, the derived parameters. −ln L is
//	                          −(ln p − ln π) when Target.LogPrior is set,
//	                          otherwise −ln p. Every sample is written,
//	                          burn-in included.
//	ROOT.paramnames           name, tab, LaTeX label; derived names end in *
//	ROOT.ranges               with Settings.Ranges: name, lower, upper bound
//	                          (N for an unbounded side), as GetDist reads it
//	ROOT.properties.ini       at the end: sampler = mcmc, ignore_rows =
//	                          Summary.IgnoreRows (the burn-in in steps), which
//	                          GetDist's loadMCSamples applies
//	ROOT.chain.npy            float64 array (steps, walkers, dim), like emcee's
//	                          get_chain(); MH: (steps, chains, dim)
//	ROOT.lnprob.npy           float64 array (steps, walkers): ln p
//	ROOT.derived.npy          with derived parameters: (steps, walkers, nd)
//	ROOT.checkpoint           the sampler's state in the checksummed envelope
//	                          of package chains, with the length and CRC-32C
//	                          of every text chain and .npy file it describes
//	ROOT.summary.json         Summary as JSON (non-finite numbers as null)
//	ROOT.summary.txt          Summary as a text table
//	ROOT.lock                 while a run is going
//
// # Derived parameters
//
// Target.Derived is LogProb that also stores the derived parameters of the
// point (Settings.Derived names them) in a small vector, as emcee's blobs:
// quantities the target computes anyway, such as r_d or the χ² of each
// data set. The sampler keeps the vector of each walker's current point,
// copies the proposal's when it accepts it, and writes it beside the
// parameters; nothing is recomputed at write time. The samples themselves
// are those of LogProb: the same seed gives the same θ with or without.
// Target.BatchDerived is its batch form, as Batch is LogProb's: it fills a
// rows × derived matrix for a block of proposals, one block per worker, so
// that a target that pays a fixed cost per call (borrowing its scratch,
// say) pays it once per block.
//
// # Checkpoints and resuming
//
// The text chains are flushed every FlushEvery steps. Every
// CheckpointInterval of wall time (30 s by default; or every
// CheckpointEvery steps, if set), at the end and when the context is
// cancelled, the sampler flushes the text chains, rewrites the .npy files
// atomically and then the checkpoint atomically. With Settings.Resume a run
// restarts from the checkpoint: every file is checked against its record,
// the text chains are truncated to the recorded lengths (dropping anything
// written after the checkpoint, even a half-written line from a process
// killed with SIGKILL), the history is reloaded from the .npy files and the
// generators restored, so the files of an interrupted and resumed run are
// byte-identical to those of an uninterrupted one. The .npy files and the
// checkpoint are fsynced before they are renamed; the text chains are only
// flushed, so after a power failure (not a process crash) a chain file may
// be shorter than its checkpoint says, and Resume then refuses with an
// error naming the file.
//
// A resume is refused, with one error naming every difference, when a
// setting that shapes the chains (sampler, walkers, groups, parameters,
// derived parameters, stretch scale, adaptation) or Settings.Fingerprint
// (by field) differs from the checkpoint's, when the checkpoint or a file
// it records is corrupt, changed or not a regular file, when the root holds
// a run of another kind, or when the chains have no checkpoint. A cancelled
// run returns an *InterruptedError that says at which step it stopped and
// whether it can be resumed.
//
// # Protecting earlier runs
//
// A run (fresh or resumed) holds an exclusive lock on ROOT.lock for its
// whole duration. A fresh run refuses a root that holds a run of any kind
// (ErrRunExists) unless Settings.Overwrite is set, and a root whose GetDist
// chains would mix with another root's (chains.ErrCollision). With
// Overwrite the old run stays in place until the new one has something to
// replace it with: the new text chains, .paramnames and .ranges are staged
// under .ROOT.new, and at the new run's first checkpoint after at least one
// step the old run's files are removed (checkpoint first) and the staged
// files renamed into place. A replacement that fails or is stopped before
// that point leaves the old run byte for byte as it was.
package mcmc
