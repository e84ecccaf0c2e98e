package fit

import (
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/cosmoemu/cosmoemu/likelihood"
	"github.com/cosmoemu/cosmoemu/mcmc"
)

// derivedPosterior is what a posterior offers that computes derived
// parameters along with ln P: the χ² of each data set, r_d, …, whatever it
// computes anyway, named by DerivedNames (labels in LaTeX without
// dollars). LogProbDerived is LogProb that also stores them in derived
// (len(names)); LogProbBatchDerived is its mcmc.BatchDerived form, one
// evaluator for all the rows. A row of derived may hold anything where
// ln P is −Inf. *likelihood.Posterior has these methods (likelihood/
// derived.go), so samplerTarget always takes them; its χ²-only target is
// kept for a posterior without them and is not reached today.
type derivedPosterior interface {
	DerivedNames() (names, labels []string)
	LogProbDerived(theta, derived []float64) float64
	LogProbBatchDerived(dst []float64, thetas, derived *mat.Dense)
}

// chi2Name and chi2Label name the derived column χ² = 2(ln π − ln P) of
// each sample, as CosmoMC does.
const (
	chi2Name  = "chi2"
	chi2Label = `\chi^2`
)

// samplerTarget returns the target the MCMC samplers draw from, with its
// derived columns (names and labels) evaluated in batches: one evaluator
// per block of proposals, as likelihood.Posterior.LogProbBatch does.
func samplerTarget(post *likelihood.Posterior) (t mcmc.Target, names, labels []string) {
	t = mcmc.Target{LogProb: post.LogProb, LogPrior: post.LogPrior}
	if dp, ok := any(post).(derivedPosterior); ok {
		names, labels = dp.DerivedNames()
		t.Derived, t.BatchDerived = dp.LogProbDerived, dp.LogProbBatchDerived
		return t, names, labels
	}
	// χ² alone, from ln P and the prior: χ² = 2(ln π − ln P).
	t.Derived = func(x, der []float64) float64 {
		lp := post.LogProb(x)
		if !math.IsInf(lp, -1) {
			der[0] = 2 * (post.LogPrior(x) - lp)
		}
		return lp
	}
	t.BatchDerived = func(dst []float64, xs, der *mat.Dense) {
		post.LogProbBatch(dst, xs)
		for i, lp := range dst {
			if !math.IsInf(lp, -1) {
				der.Set(i, 0, 2*(post.LogPrior(xs.RawRowView(i))-lp))
			}
		}
	}
	return t, []string{chi2Name}, []string{chi2Label}
}
