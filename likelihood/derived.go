package likelihood

import (
	"math"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// DerivedNames returns the names and LaTeX labels of the derived
// parameters that LogProbDerived computes with ln P, in order: the total
// χ² (chi2), the χ² of each data set in the order of Likelihoods
// (chi2_NAME, the name with every character but letters, digits, '-' and
// '_' replaced by '_'), the drag-epoch sound horizon r_d in Mpc
// (rdrag) when the data need it, and S8 = σ8 (Ωm/0.3)^{1/2} when σ8 is a
// parameter of the posterior (sampled or fixed).
func (p *Posterior) DerivedNames() (names, labels []string) {
	names, labels = []string{"chi2"}, []string{`\chi^2`}
	for _, l := range p.likes {
		n := sanitize(l.Name())
		names = append(names, "chi2_"+n)
		labels = append(labels, `\chi^2_{\rm `+strings.ReplaceAll(n, "_", `\_`)+`}`)
	}
	if p.rdFrom != rdNone {
		names = append(names, "rdrag")
		labels = append(labels, `r_{\rm drag}`)
	}
	if p.s8 {
		names = append(names, "S8")
		labels = append(labels, `S_8`)
	}
	return names, labels
}

// sanitize returns name with every character but ASCII letters, digits,
// '-' and '_' replaced by '_': a column name GetDist and numpy take.
func sanitize(name string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			return r
		}
		return '_'
	}, name)
}

// LogProbDerived is LogProb that also stores the derived parameters of
// DerivedNames in derived, from the same evaluation (they are undefined
// where ln P is −Inf). It panics if derived is not of their number.
func (p *Posterior) LogProbDerived(theta, derived []float64) float64 {
	p.checkDerived(len(derived))
	e, err := p.get()
	if err != nil {
		p.fail(theta, err)
		return math.Inf(-1)
	}
	defer p.pool.Put(e)
	return p.logProbDerived(e, theta, derived)
}

// LogProbBatchDerived is LogProbBatch that also stores each row's derived
// parameters in the rows of derived (mcmc.BatchDerived), with one
// evaluator for all the rows. It panics on sizes that do not fit.
func (p *Posterior) LogProbBatchDerived(dst []float64, thetas, derived *mat.Dense) {
	r, c := thetas.Dims()
	dr, dc := derived.Dims()
	if len(dst) != r || c != p.space.Dim() || dr != r {
		panic("likelihood: LogProbBatchDerived: dst, thetas or derived of the wrong size")
	}
	p.checkDerived(dc)
	e, err := p.get()
	if err != nil {
		for i := range r {
			p.fail(thetas.RawRowView(i), err)
			dst[i] = math.Inf(-1)
		}
		return
	}
	defer p.pool.Put(e)
	for i := range r {
		dst[i] = p.logProbDerived(e, thetas.RawRowView(i), derived.RawRowView(i))
	}
}

// checkDerived panics unless n is the number of derived parameters.
func (p *Posterior) checkDerived(n int) {
	want := 1 + len(p.likes)
	if p.rdFrom != rdNone {
		want++
	}
	if p.s8 {
		want++
	}
	if n != want {
		panic("likelihood: derived parameters of the wrong number")
	}
}

// logProbDerived is logProb with the evaluator e, filling derived.
func (p *Posterior) logProbDerived(e *evaluator, theta, derived []float64) float64 {
	lp := p.space.LogPrior(theta)
	if math.IsInf(lp, -1) {
		return lp
	}
	c, err := p.compute(e, theta, derived[1:1+len(p.likes)])
	if err != nil {
		p.fail(theta, err)
		return math.Inf(-1)
	}
	derived[0] = c
	k := 1 + len(p.likes)
	if p.rdFrom != rdNone {
		derived[k] = e.th.Rd
		k++
	}
	if p.s8 {
		derived[k] = e.p.S8()
	}
	return lp - 0.5*c
}
