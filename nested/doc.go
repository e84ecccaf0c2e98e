// Package nested computes Bayesian evidences and weighted posterior samples
// by nested sampling (Skilling 2004, 2006).
//
// # The integral
//
// The prior π is given by its transform from the unit hypercube: θ = T(u)
// with u uniform on (0,1)^d (Problem.Transform), so that
//
//	Z = ∫ L(θ) π(θ) dθ = ∫₀¹ L(T(u)) du = ∫₀¹ L(X) dX,
//
// X(λ) being the prior volume (in u) where L > λ. Nested sampling keeps
// Live points drawn from the prior; each iteration removes the point of
// lowest likelihood L* and replaces it by a draw from the prior restricted
// to L > L*. The volume inside the i-th removed ("dead") point's contour
// shrinks by a factor t ~ Beta(Live, 1) per iteration, so
// ln X_i ≈ ln X₀ − i/Live. The evidence is the sum of
//
//	w_i = ½ (L_{i−1} + L_i)(X_{i−1} − X_i)
//
// (trapezoid rule, L₀ = 0) and the posterior weight of dead point i is
// w_i/Z. When the run stops, the live points are added as the final
// iterations, by increasing L, with the expected volumes of Live uniform
// order statistics, X_n(1 − k/(Live+1)) for k = 1…Live (dynesty's
// "add_live"). X₀ = 1 unless the likelihood is zero (ln L = −Inf) on part of
// the prior: the first live points are drawn until Live have a finite ln L,
// and X₀ is estimated as Live/M from the M draws it took.
//
// # Error and information
//
// Result.Information is H = ∫ P ln(P/π) dθ = Σ p_i ln L_i − ln Z, the
// compression from prior to posterior in nats. The statistical error of
// ln Z comes from the random shrinkage factors: about H·Live iterations
// are needed to reach the posterior bulk, each shifting ln X by a random
// amount of variance 1/Live², so Var(ln Z) ≈ H/Live (Skilling 2006).
// Result.LogZErr is √(H/Live + (1 − X₀)/Live), the second term the variance
// of ln X₀ estimated from the prior draws. The tests check that it is
// honest: over many seeds, |ln Z − truth| < LogZErr about 68% of the time.
//
// # Drawing from the constrained prior
//
// Uniform sampling draws from bounding ellipsoids in the unit cube (Feroz &
// Hobson 2008; Feroz, Hobson & Bridges 2009, MultiNest; Speagle 2020,
// dynesty). Every UpdateEvery iterations the live points are bounded by an
// ellipsoid (their mean and covariance, scaled to contain them all) that is
// recursively split in two by k-means while the total volume shrinks by
// more than a Bayesian-information-criterion threshold; each ellipsoid is
// then
//
//   - scaled to the largest leave-one-out Mahalanobis distance of its points
//     (closed form by Sherman–Morrison; it grows as √(d/m) for m points in d
//     dimensions, where the sample covariance is noisy),
//   - multiplied in volume by Enlarge (default 1.25), and
//   - raised to at least the expected volume X·m/Live of its points' share
//     of the region.
//
// A proposal picks an ellipsoid with probability ∝ volume, draws uniformly
// in it and is kept with probability 1/q, q the number of ellipsoids that
// contain it, which makes it uniform on the union; points outside the cube
// are redrawn (without a likelihood call). While the ellipsoids are larger
// than the cube, proposals come from the cube. A proposal is accepted when
// ln L > ln L*: an exact draw as long as the ellipsoids enclose the
// constrained region, which the scalings above are there to ensure.
//
// Slice sampling (Neal 2003; Handley et al. 2015, PolyChord) evolves a
// randomly chosen live point by Repeats slice steps in the prior restricted
// to L > L*, each along a random direction whitened by a bounding
// ellipsoid (chosen with probability ∝ volume, never by where the point is,
// which would break detailed balance), with stepping out and shrinkage. The
// width adapts towards as many step-outs as shrinkages. The result is only
// approximately independent of the other live points; Repeats = 5·d keeps
// the ln Z scatter honest in the tests.
//
// Auto (the default) uses uniform sampling and switches to slice sampling
// for the rest of the run when uniform sampling costs more likelihood calls
// per point than slice sampling would (≈ 5·Repeats): in many dimensions or
// for shapes ellipsoids bound badly.
//
// # Parallelism and reproducibility
//
// Proposals are made in batches of Settings.Batch, evaluated in parallel by
// Workers goroutines, and consumed in a fixed order. Uniform proposals are
// drawn from the master generator before the batch is evaluated; each
// slice chain of a batch has its own PCG generator seeded from the master
// one. Each result goes to its own slot, so a seed gives bit-identical
// results and files whatever Workers is. Each uniform proposal is tested
// against the threshold at its turn, so batching costs nothing in
// exactness; a slice chain started at the batch's threshold is accepted if
// it is above the threshold at its turn (about (Batch−1)/(2·Live) of them
// are discarded). The bound is rebuilt between batches.
//
// # Stopping
//
// The run stops when the evidence the live points can still add is small,
// ln(Z + L_max·X_i) − ln Z < DLogZ (L_max the largest live likelihood),
// when every live point has the same likelihood (a plateau, whose
// contribution the final live points then give exactly), after MaxCalls
// likelihood calls, or when the context is cancelled.
//
// # Checkpoints and files
//
// With Settings.Root the run holds its root through package chains (lock,
// a fresh run refused on a root that holds a run unless Overwrite, roots
// whose GetDist chains would mix refused), and the whole state of the run
// — live points, dead points, the master generator, the bounding
// ellipsoids and the counters that decide the next rebuild and sampler — is
// written atomically to ROOT.checkpoint between batches: after the first
// live points, every CheckpointEvery iterations or CheckpointInterval, on
// cancellation and at the end. It is the checkpoint envelope of package
// chains, with floats stored as base64 of their IEEE bits, and ends with
// the SHA-256 of its content, so a truncated or edited file is refused.
// With Settings.Resume a run continues from it and gives the same bytes as
// an uninterrupted run; a batch interrupted by cancellation or a kill is
// redone from the checkpoint.
//
// A run that stops writes the weighted GetDist chain ROOT.txt (weight,
// −(ln L − LogLikeNorm), parameters), ROOT.paramnames, ROOT.ranges,
// ROOT.properties.ini, the samples, weights and ln L as .npy arrays and
// ROOT.evidence.json (Result.WriteGetDist writes the same anywhere;
// docs/nested.md shows how to load them).
package nested
