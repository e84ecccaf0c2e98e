// Package chains stores the samples of a run: the files GetDist, numpy and
// a resumed run read, written the same way for every sampler (package mcmc
// and package nested only sample and hand rows and state to it).
//
// # Layout
//
// A run writes under a path prefix ROOT:
//
//	ROOT_1.txt … ROOT_K.txt  MCMC: one GetDist/CosmoMC text chain per walker
//	                         (ensemble) or chain (Metropolis–Hastings), one
//	                         row per step, burn-in included
//	ROOT.txt                 nested sampling: one weighted chain
//	ROOT.paramnames          NAME<tab>LABEL per column; derived columns as
//	                         NAME*, as GetDist expects
//	ROOT.ranges              NAME LO HI (N for an unbounded side): the prior
//	                         ranges, for GetDist's bounded kernels
//	ROOT.properties.ini      sampler = mcmc|nested, ignore_rows = burn-in
//	                         steps (rows per file); GetDist's loadMCSamples
//	                         reads it and removes the burn-in itself
//	ROOT.checkpoint          the state a run resumes from (below)
//	ROOT.summary.json, .txt  the sampler's summary (WriteSummary); JSON
//	                         with non-finite numbers as null (Float)
//	ROOT.lock                while a run holds the root
//
// plus the samplers' .npy arrays (mcmc: ROOT.chain.npy, ROOT.lnprob.npy,
// ROOT.derived.npy; nested: ROOT.samples.npy, ROOT.weights.npy,
// ROOT.logl.npy, ROOT.evidence.json) and the command line's
// ROOT.corner.png.
//
// A row of a text chain (AppendRow) is: weight, −ln L, the parameters, the
// derived parameters, each the shortest decimal that reads back to the
// same float64. −ln L is the likelihood without constants that do not
// depend on the parameters, so that GetDist's "best fit sample" −log(Like)
// is χ²/2 for Gaussian data. One file per walker is what GetDist needs to
// estimate autocorrelations: it concatenates the files of a root and
// computes the correlation length along the rows, so walkers interleaved in
// one file look independent from row to row (a correlation length of 1 row
// and an effective sample size as large as the number of rows).
//
// Reading them:
//
//	from getdist import loadMCSamples
//	s = loadMCSamples("chains/run")        # burn-in from run.properties.ini
//	import numpy as np
//	x = np.load("chains/run.chain.npy")    # (steps, walkers, parameters)
//
// # Checkpoints and integrity
//
// ROOT.checkpoint is one JSON object {"format", "header", "state"} followed
// by a line "sha256 HEX" with the SHA-256 of everything before it
// (EncodeCheckpoint, DecodeCheckpoint): a truncated, edited or corrupted
// checkpoint is refused, never resumed. The Header says which kind of run
// the root holds (the sampler), describes it for error messages, carries
// the caller's fingerprint of the problem (FingerprintDiff names the fields
// that changed) and records the length and CRC-32C of every data file the
// state refers to: the prefix of each text chain and of the data of each
// .npy file that the checkpoint describes. A resume checks them all (Text,
// ReadNpy) and cuts the text chains back to the recorded lengths, so that
// a file changed or damaged since — one flipped bit, the rows of another
// run — is refused, while rows written after the checkpoint by a process
// that was then killed are dropped.
//
// Every file a resume reads is opened by atomicfile.OpenRegular or
// ReadRegular: only regular files, opened without blocking (a FIFO is
// refused at once, not waited on) and read within a bound (a link to
// /dev/zero cannot fill the memory). Every file is written atomically
// (atomicfile.Write) and only over a regular file, except the text chains,
// which grow by appends and are protected by their records.
//
// # Roots and runs
//
// Open takes a root for a run. It locks ROOT.lock for the run's duration,
// so that two runs on one root fail fast instead of interleaving. A fresh
// run refuses a root that holds a run of any kind (ErrRunExists) unless
// Options.Overwrite; then the old run stays in place until the new one has
// something to replace it with: the new text chains, .paramnames and
// .ranges are written under the hidden staging root .ROOT.new, and Commit
// (which the samplers call at their first checkpoint with samples) removes
// the old run's files, checkpoint first, and renames the staged ones into
// place. A replacement that fails or stops before that leaves the old run
// byte for byte as it was; staged files left by a killed process are
// removed by the next Open. A resume refuses a checkpoint of another kind
// of run.
//
// Roots collide when their GetDist chains would mix: GetDist reads ROOT.txt
// and every ROOT_N.txt as chains of ROOT, so the nested chain of a root A_1
// is chain 1 of an MCMC run at A. Open refuses such a root (ErrCollision),
// fresh unless Overwrite, and always on resume.
package chains
