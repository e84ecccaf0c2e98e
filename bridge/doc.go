// Package bridge is what cosmoemu offers a foreign caller in its own
// process (the C ABI of ./capi, and through it the Python package in
// ./python): the objects behind the handles, each a thin layer over the
// packages that `cosmoemu` itself runs, so that the numbers are the
// command line's bit for bit.
//
//   - Background: `cosmoemu background` for many points at once, on all
//     the runtime's threads (the observables of ZColumns at each redshift,
//     the scalars of ScalarColumns at each point).
//   - Likelihood: the posterior of `cosmoemu fit` (fit.Build) for batches
//     of points: ln P with the derived parameters, χ² by data set, the
//     prior and its unit-cube transform.
//   - FitJob: `cosmoemu fit` itself, running in a goroutine that the
//     caller waits for in slices, follows and may cancel.
//   - Table: the handles, integers that never point into Go memory and
//     are never reused, so that one used after Close is an error.
//
// Input is checked where a caller could get it wrong (names, sizes, NaN,
// redshifts, the unit cube), every error is a message, and a panic is
// recovered into an error (Guard), also one on a goroutine of the
// samplers' worker pools, which internal/pool raises on the caller. The
// threads that share a batch are runtime.GOMAXPROCS, which the caller
// sets.
package bridge
