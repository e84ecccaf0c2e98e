package mcmc

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/cosmoemu/cosmoemu/chains"

	"github.com/cosmoemu/cosmoemu/internal/stats"
	"gonum.org/v1/gonum/stat"
)

// Summary describes a finished run. Intervals are equal-tailed: 68% is
// the 16th–84th percentile, 95% the 2.5th–97.5th, of the post-burn-in
// samples of all walkers.
type Summary struct {
	Sampler    string // "ensemble" or "metropolis-hastings"
	Steps      int    // steps done
	Walkers    int    // walkers, or MH chains
	Groups     int    // text chains (walker groups, or MH chains)
	Burn       int    // steps discarded
	BurnRule   string // how Burn was chosen
	Samples    int    // (Steps − Burn)·Walkers
	IgnoreRows int    // GetDist ignore_rows for each ROOT_i.txt (one per walker): Burn
	// Acceptance is the fraction of moves accepted after the burn-in;
	// AcceptanceAll over the whole run.
	Acceptance, AcceptanceAll float64
	// RMinus1 is the maximum over parameters of max(0, R̂−1) (GelmanRubin);
	// NaN if it cannot be computed.
	RMinus1 float64
	// RMinus1Eigen is the multivariate R−1 GetDist reports
	// (GelmanRubinEigen): the largest eigenvalue of W⁻¹B.
	RMinus1Eigen float64
	// TauWarning is set when the post-burn-in chain is shorter than
	// AutocorrTol·τ for some parameter (or τ is not finite); Warning
	// says so in words, with any other caveat.
	TauWarning bool
	// Converged reports whether the diagnostics support convergence: the
	// chain after burn-in is longer than AutocorrTol·τ for every
	// parameter (no TauWarning), RMinus1 is below ConvergedRMinus1 (or
	// Converge.RMinus1 if set), and every walker or chain moved after
	// the burn-in. Warning says why when it is false.
	Converged bool
	Warning   string
	// MaxLogProb is the highest ln p of any sample, burn-in included: the
	// highest-posterior sample, whose parameters are ParamSummary.MaxPost.
	// It is a sample, not an optimum (see BestFit).
	MaxLogProb float64
	// MinMinusLogLike is the smallest −ln L (the text chains' second
	// column) of the samples after burn-in: what GetDist reports as the
	// −log(Like) of its best-fit sample.
	MinMinusLogLike float64
	Stop            string // StopSteps or StopConverged
	NonFinite       int64  // NaN or +Inf values of ln p, treated as −Inf
	Params          []ParamSummary
}

// ParamSummary describes the marginal posterior of one parameter.
type ParamSummary struct {
	Name, Label string
	Mean, Std   float64
	MCError     float64 // Monte Carlo error of Mean: Std/√ESS
	Median      float64
	Lo68, Hi68  float64
	Lo95, Hi95  float64
	MaxPost     float64 // the parameter at the highest-posterior sample (Summary.MaxLogProb)
	Tau         float64 // integrated autocorrelation time in steps
	ESS         float64 // (Steps − Burn)·Walkers/Tau
	RMinus1     float64
}

// ConvergedRMinus1 is the R−1 below which Summary.Converged may be set
// when the run has no Converge setting.
const ConvergedRMinus1 = 0.01

type summaryConfig struct {
	sampler       string
	names, labels []string
	groups        int
	burn, adapt   int
	accepted      int64
	nonFinite     int64
	stop          string
	rMinus1       float64 // threshold for Converged
	logPrior      LogProb // for −ln L; nil: −ln L = −ln p
}

func summarize(c *Chain, cfg summaryConfig) (*Summary, error) {
	n := c.Steps()
	if n == 0 {
		return nil, fmt.Errorf("mcmc: no steps to summarize")
	}
	k := c.Walkers
	s := &Summary{
		Sampler:       cfg.sampler,
		Steps:         n,
		Walkers:       k,
		Groups:        cfg.groups,
		AcceptanceAll: float64(cfg.accepted) / float64(n*k),
		Stop:          cfg.stop,
		NonFinite:     cfg.nonFinite,
	}
	s.Burn, s.BurnRule = burnIn(c, cfg)
	post := n - s.Burn
	s.Samples = post * k
	s.IgnoreRows = s.Burn

	tau := IntegratedTime(c, s.Burn)
	s.TauWarning = TauTooShort(tau, post)
	rm := s.gelmanRubin(c, cfg.groups)
	s.Acceptance = acceptance(c, s.Burn)
	stuck := stuckWalkers(c, s.Burn)
	still := stillParams(c, s.Burn)

	bestX := s.best(c, cfg.logPrior)

	vals := make([]float64, post*k)
	q := make([]float64, len(summaryProbs))
	for i := range c.Dim {
		for j := range vals {
			vals[j] = c.X[(s.Burn*k+j)*c.Dim+i]
		}
		mean, std := stat.MeanStdDev(vals, nil)
		// gonum's LinInterp quantiles, without sorting the samples.
		stats.LinInterpQuantiles(q, vals, summaryProbs)
		ess := float64(post*k) / tau[i]
		s.Params = append(s.Params, ParamSummary{
			Name: cfg.names[i], Label: cfg.labels[i],
			Mean: mean, Std: std, MCError: std / math.Sqrt(ess),
			Median: q[0],
			Lo68:   q[1], Hi68: q[2],
			Lo95: q[3], Hi95: q[4],
			MaxPost: bestX[i],
			Tau:     tau[i],
			ESS:     ess,
			RMinus1: rm[i],
		})
	}

	s.Converged, s.Warning = s.diagnose(cfg, tau, stuck, still)
	return s, nil
}

// burnIn returns the steps discarded from the summary and the rule that
// chose them: Settings.Burn (at least the adaptation phase), or the
// adaptation phase and 2·max τ of the rest, at most half of it.
func burnIn(c *Chain, cfg summaryConfig) (burn int, rule string) {
	n := c.Steps()
	t0 := min(cfg.adapt, n-1)
	if cfg.burn > 0 {
		rule = "fixed (Settings.Burn)"
		if cfg.adapt > cfg.burn {
			rule = "the adaptation phase (Adapt > Settings.Burn)"
		}
		return min(max(cfg.burn, t0), n-1), rule
	}
	extra := (n - t0) / 2
	tau := IntegratedTime(c, t0+extra)
	if mt := maxFinite(tau); !math.IsNaN(mt) {
		extra = min(extra, int(math.Ceil(2*mt)))
	}
	rule = "auto: 2·max τ (τ from the second half), at most half the chain"
	if cfg.adapt > 0 {
		rule = "auto: the adaptation phase + 2·max τ (τ from the second half after it), at most half the rest"
	}
	return t0 + extra, rule
}

// gelmanRubin sets RMinus1 and RMinus1Eigen of the samples after s.Burn
// and returns R−1 of each parameter (≥ 0, NaN where undefined).
func (s *Summary) gelmanRubin(c *Chain, groups int) []float64 {
	rm := make([]float64, c.Dim)
	s.RMinus1Eigen = math.NaN()
	if (c.Steps()-s.Burn)*c.Walkers/groups >= 2 {
		rm = GelmanRubin(c, s.Burn, groups)
		s.RMinus1Eigen = GelmanRubinEigen(c, s.Burn, groups)
	} else {
		for i := range rm {
			rm[i] = math.NaN()
		}
	}
	for i, v := range rm {
		rm[i] = math.Max(v, 0) // NaN stays NaN
	}
	s.RMinus1 = maxFinite(rm)
	if hasNaN(rm) {
		s.RMinus1 = math.NaN()
	}
	return rm
}

// best sets MaxLogProb, the highest ln p of any sample, and
// MinMinusLogLike, the smallest −ln L after s.Burn (−ln p + ln π with
// logPrior), and returns the highest-posterior sample.
func (s *Summary) best(c *Chain, logPrior LogProb) []float64 {
	best := 0
	for i, v := range c.LnP {
		if v > c.LnP[best] {
			best = i
		}
	}
	s.MaxLogProb = c.LnP[best]
	s.MinMinusLogLike = math.Inf(1)
	for i := s.Burn * c.Walkers; i < c.Steps()*c.Walkers; i++ {
		like := -c.LnP[i]
		if logPrior != nil {
			like += logPrior(c.X[i*c.Dim : (i+1)*c.Dim])
		}
		s.MinMinusLogLike = math.Min(s.MinMinusLogLike, like)
	}
	return c.X[best*c.Dim : (best+1)*c.Dim]
}

// diagnose returns whether the run converged and the warnings, one per
// line, from the summary so far, τ of each parameter, the walkers that
// never moved and the parameters that never moved.
func (s *Summary) diagnose(cfg summaryConfig, tau []float64, stuck int, still []int) (bool, string) {
	post, k := s.Steps-s.Burn, s.Walkers
	var warn []string
	what := "walkers"
	if cfg.sampler == samplerMH {
		what = "chains"
	}
	if cfg.rMinus1 == 0 {
		cfg.rMinus1 = ConvergedRMinus1
	}
	switch {
	case post < 2:
		warn = append(warn, fmt.Sprintf("WARNING: %d step after burn-in: too few for any diagnostic; run longer", post))
	case s.Acceptance == 0:
		warn = append(warn, fmt.Sprintf("WARNING: acceptance 0 after burn-in: the %s never moved, so the samples are the start points, not the posterior; τ, ESS, R−1 and the intervals mean nothing (move Start or shrink the proposal)", what))
	case stuck > 0:
		warn = append(warn, fmt.Sprintf("WARNING: %d of %d %s never moved after burn-in: they are stuck (for example in a region where ln p is −Inf around them) and bias the summary", stuck, k, what))
	}
	if len(still) > 0 && s.Acceptance > 0 {
		warn = append(warn, fmt.Sprintf("WARNING: parameter %s never moved after burn-in", strings.Join(stillNames(still, cfg.names), ", ")))
	}
	if s.TauWarning && s.Acceptance > 0 {
		if mt := maxFinite(tau); hasNaN(tau) || math.IsNaN(mt) {
			warn = append(warn, "WARNING: τ could not be computed for some parameter (a walker or chain that never moved): τ, ESS and Monte Carlo errors are unreliable")
		} else {
			warn = append(warn, fmt.Sprintf("WARNING: the chain after burn-in (%d steps) is shorter than %g autocorrelation times (max τ = %.4g): τ, ESS and Monte Carlo errors are unreliable; run longer", post, AutocorrTol, mt))
		}
	}
	if math.IsNaN(s.RMinus1) && s.Acceptance > 0 {
		warn = append(warn, "WARNING: R−1 could not be computed for some parameter (no spread within groups)")
	} else if s.RMinus1 >= cfg.rMinus1 {
		warn = append(warn, fmt.Sprintf("WARNING: R−1 = %.3g is not below %g: the %s disagree; run longer", s.RMinus1, cfg.rMinus1, what))
	}
	converged := !s.TauWarning && s.Acceptance > 0 && stuck == 0 && len(still) == 0 &&
		s.RMinus1 < cfg.rMinus1 // false for NaN
	if s.NonFinite > 0 {
		warn = append(warn, fmt.Sprintf("WARNING: the target returned NaN or +Inf %d times (treated as −Inf)", s.NonFinite))
	}
	return converged, strings.Join(warn, "\n")
}

// stuckWalkers returns how many walkers (or MH chains) did not move in
// steps from…Steps()−1.
func stuckWalkers(c *Chain, from int) int {
	n := 0
	for w := range c.Walkers {
		moved := false
		for s := from + 1; s < c.Steps() && !moved; s++ {
			moved = !slices.Equal(c.At(s, w), c.At(from, w))
		}
		if !moved {
			n++
		}
	}
	return n
}

// stillParams returns the parameters that kept one value in every walker
// through steps from…Steps()−1 (while others moved, a parameter the target
// does not depend on behaves so only if the proposals never change it).
func stillParams(c *Chain, from int) []int {
	var out []int
	for i := range c.Dim {
		moved := false
		for w := 0; w < c.Walkers && !moved; w++ {
			x0 := c.At(from, w)[i]
			for s := from + 1; s < c.Steps() && !moved; s++ {
				moved = c.At(s, w)[i] != x0
			}
		}
		if !moved {
			out = append(out, i)
		}
	}
	return out
}

func stillNames(idx []int, names []string) []string {
	out := make([]string, len(idx))
	for k, i := range idx {
		out[k] = names[i]
	}
	return out
}

func maxFinite(v []float64) float64 {
	m := math.NaN()
	for _, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			continue
		}
		if math.IsNaN(m) || x > m {
			m = x
		}
	}
	return m
}

func hasNaN(v []float64) bool {
	return slices.ContainsFunc(v, math.IsNaN)
}

// MarshalJSON encodes the summary with snake_case keys and non-finite
// numbers as null.
func (s *Summary) MarshalJSON() ([]byte, error) {
	type F = chains.Float
	type param struct {
		Name    string `json:"name"`
		Label   string `json:"label"`
		Mean    F      `json:"mean"`
		Std     F      `json:"std"`
		MCError F      `json:"mc_error"`
		Median  F      `json:"median"`
		Lo68    F      `json:"lo68"`
		Hi68    F      `json:"hi68"`
		Lo95    F      `json:"lo95"`
		Hi95    F      `json:"hi95"`
		MaxPost F      `json:"max_posterior_sample"`
		Tau     F      `json:"tau"`
		ESS     F      `json:"ess"`
		RMinus1 F      `json:"r_minus_1"`
	}
	out := struct {
		Sampler         string  `json:"sampler"`
		Steps           int     `json:"steps"`
		Walkers         int     `json:"walkers"`
		Groups          int     `json:"groups"`
		Burn            int     `json:"burn_in_steps"`
		BurnRule        string  `json:"burn_in_rule"`
		Samples         int     `json:"samples"`
		IgnoreRows      int     `json:"getdist_ignore_rows"`
		Acceptance      F       `json:"acceptance"`
		AcceptanceAll   F       `json:"acceptance_all_steps"`
		RMinus1         F       `json:"r_minus_1"`
		RMinus1Eigen    F       `json:"r_minus_1_eigen"`
		TauWarning      bool    `json:"tau_warning"`
		Converged       bool    `json:"converged"`
		Warning         string  `json:"warning,omitempty"`
		MaxLogProb      F       `json:"max_log_posterior"`
		MinMinusLogLike F       `json:"min_minus_log_like"`
		Stop            string  `json:"stop"`
		NonFinite       int64   `json:"non_finite_log_prob"`
		Params          []param `json:"params"`
	}{
		s.Sampler, s.Steps, s.Walkers, s.Groups, s.Burn, s.BurnRule, s.Samples, s.IgnoreRows,
		F(s.Acceptance), F(s.AcceptanceAll), F(s.RMinus1), F(s.RMinus1Eigen), s.TauWarning, s.Converged, s.Warning,
		F(s.MaxLogProb), F(s.MinMinusLogLike), s.Stop, s.NonFinite, nil,
	}
	for _, p := range s.Params {
		out.Params = append(out.Params, param{
			p.Name, p.Label, F(p.Mean), F(p.Std), F(p.MCError), F(p.Median),
			F(p.Lo68), F(p.Hi68), F(p.Lo95), F(p.Hi95), F(p.MaxPost),
			F(p.Tau), F(p.ESS), F(p.RMinus1),
		})
	}
	return json.MarshalIndent(out, "", "  ")
}

// WriteText writes the summary as a text table.
func (s *Summary) WriteText(w io.Writer) error {
	what := "walkers"
	if s.Sampler == samplerMH {
		what = "chains"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s sampler: %d %s, %d steps (stopped: %s), %d text chains\n", s.Sampler, s.Walkers, what, s.Steps, s.Stop, s.Groups)
	fmt.Fprintf(&b, "burn-in: %d steps, %s; GetDist ignore_rows = %d\n", s.Burn, s.BurnRule, s.IgnoreRows)
	fmt.Fprintf(&b, "samples after burn-in: %d; acceptance %.3f (whole run %.3f); R-1 = %.4g (GetDist eigenvalue %.4g); converged: %s\n",
		s.Samples, s.Acceptance, s.AcceptanceAll, s.RMinus1, s.RMinus1Eigen, yesNo(s.Converged))
	fmt.Fprintf(&b, "highest-posterior sample: ln p = %.6g; smallest -ln L after burn-in = %.6g\n", s.MaxLogProb, s.MinMinusLogLike)
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "param\tmean\tsigma\tMC error\t68% lo\t68% hi\t95% lo\t95% hi\tmax-post sample\ttau\tESS\tR-1\t")
	for _, p := range s.Params {
		fmt.Fprintf(tw, "%s\t%.6g\t%.4g\t%.2g\t%.6g\t%.6g\t%.6g\t%.6g\t%.6g\t%.3g\t%.0f\t%.2g\t\n",
			p.Name, p.Mean, p.Std, p.MCError, p.Lo68, p.Hi68, p.Lo95, p.Hi95, p.MaxPost, p.Tau, p.ESS, p.RMinus1)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if s.Warning != "" {
		b.WriteString(s.Warning)
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no (see the warnings)"
}

// writeFiles writes ROOT.summary.json, ROOT.summary.txt and
// ROOT.properties.ini (the burn-in, for GetDist).
func (s *Summary) writeFiles(root string) error {
	if err := chains.WriteSummary(root, s, s.WriteText); err != nil {
		return err
	}
	return chains.WriteProperties(root, chains.Properties{Sampler: "mcmc", IgnoreRows: s.IgnoreRows})
}

// summaryProbs are the quantiles of a summary: the median, the 68% and
// the 95% intervals.
var summaryProbs = []float64{0.5, 0.16, 0.84, 0.025, 0.975}
