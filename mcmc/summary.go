package mcmc

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

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
	IgnoreRows int    // GetDist ignore_rows for each ROOT_i.txt: Burn·Walkers/Groups
	// Acceptance is the fraction of moves accepted after the burn-in;
	// AcceptanceAll over the whole run.
	Acceptance, AcceptanceAll float64
	RMinus1                   float64 // maximum over parameters of R̂−1
	// TauWarning is set when the post-burn-in chain is shorter than
	// AutocorrTol·τ for some parameter (or τ is not finite); Warning
	// says so in words, with any other caveat.
	TauWarning  bool
	Warning     string
	BestLogProb float64 // highest ln p of any sample, burn-in included
	Stop        string  // StopSteps or StopConverged
	NonFinite   int64   // NaN or +Inf values of ln p, treated as −Inf
	Params      []ParamSummary
}

// ParamSummary describes the marginal posterior of one parameter.
type ParamSummary struct {
	Name, Label string
	Mean, Std   float64
	MCError     float64 // Monte Carlo error of Mean: Std/√ESS
	Median      float64
	Lo68, Hi68  float64
	Lo95, Hi95  float64
	Best        float64 // the parameter at the highest-ln p sample
	Tau         float64 // integrated autocorrelation time in steps
	ESS         float64 // (Steps − Burn)·Walkers/Tau
	RMinus1     float64
}

type summaryConfig struct {
	sampler       string
	names, labels []string
	groups        int
	burn, adapt   int
	accepted      int64
	nonFinite     int64
	stop          string
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
	t0 := min(cfg.adapt, n-1)
	switch {
	case cfg.burn > 0:
		s.Burn = min(max(cfg.burn, t0), n-1)
		s.BurnRule = "fixed (Settings.Burn)"
		if cfg.adapt > cfg.burn {
			s.BurnRule = "the adaptation phase (Adapt > Settings.Burn)"
		}
	default:
		extra := (n - t0) / 2
		tau := IntegratedTime(c, t0+extra)
		if mt := maxFinite(tau); !math.IsNaN(mt) {
			extra = min(extra, int(math.Ceil(2*mt)))
		}
		s.Burn = t0 + extra
		s.BurnRule = "auto: 2·max τ (τ from the second half), at most half the chain"
		if cfg.adapt > 0 {
			s.BurnRule = "auto: the adaptation phase + 2·max τ (τ from the second half after it), at most half the rest"
		}
	}
	post := n - s.Burn
	s.Samples = post * k
	s.IgnoreRows = s.Burn * k / cfg.groups

	tau := IntegratedTime(c, s.Burn)
	s.TauWarning = TauTooShort(tau, post)
	rm := make([]float64, c.Dim)
	if post*k/cfg.groups >= 2 {
		rm = GelmanRubin(c, s.Burn, cfg.groups)
	} else {
		for i := range rm {
			rm[i] = math.NaN()
		}
	}
	s.RMinus1 = maxFinite(rm)
	s.Acceptance = acceptance(c, s.Burn)

	best := 0
	for i, v := range c.LnP {
		if v > c.LnP[best] {
			best = i
		}
	}
	s.BestLogProb = c.LnP[best]
	bestX := c.X[best*c.Dim : (best+1)*c.Dim]

	vals := make([]float64, post*k)
	for i := range c.Dim {
		for j := range vals {
			vals[j] = c.X[(s.Burn*k+j)*c.Dim+i]
		}
		mean, std := stat.MeanStdDev(vals, nil)
		slices.Sort(vals)
		q := func(p float64) float64 { return stat.Quantile(p, stat.LinInterp, vals, nil) }
		ess := float64(post*k) / tau[i]
		s.Params = append(s.Params, ParamSummary{
			Name: cfg.names[i], Label: cfg.labels[i],
			Mean: mean, Std: std, MCError: std / math.Sqrt(ess),
			Median: q(0.5),
			Lo68:   q(0.16), Hi68: q(0.84),
			Lo95: q(0.025), Hi95: q(0.975),
			Best:    bestX[i],
			Tau:     tau[i],
			ESS:     ess,
			RMinus1: rm[i],
		})
	}

	var warn []string
	if s.TauWarning {
		warn = append(warn, fmt.Sprintf("WARNING: the chain after burn-in (%d steps) is shorter than %g autocorrelation times (max τ = %.4g): τ, ESS and Monte Carlo errors are unreliable; run longer", post, AutocorrTol, maxFinite(tau)))
	}
	if math.IsNaN(s.RMinus1) || hasNaN(rm) {
		warn = append(warn, "WARNING: R−1 could not be computed for some parameter (no spread within groups)")
	}
	if s.NonFinite > 0 {
		warn = append(warn, fmt.Sprintf("WARNING: the target returned NaN or +Inf %d times (treated as −Inf)", s.NonFinite))
	}
	s.Warning = strings.Join(warn, "\n")
	return s, nil
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

// jsonFloat encodes non-finite values as null, which JSON can represent.
type jsonFloat float64

func (f jsonFloat) MarshalJSON() ([]byte, error) {
	v := float64(f)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, v, 'g', -1, 64), nil
}

// MarshalJSON encodes the summary with snake_case keys and non-finite
// numbers as null.
func (s *Summary) MarshalJSON() ([]byte, error) {
	type param struct {
		Name    string    `json:"name"`
		Label   string    `json:"label"`
		Mean    jsonFloat `json:"mean"`
		Std     jsonFloat `json:"std"`
		MCError jsonFloat `json:"mc_error"`
		Median  jsonFloat `json:"median"`
		Lo68    jsonFloat `json:"lo68"`
		Hi68    jsonFloat `json:"hi68"`
		Lo95    jsonFloat `json:"lo95"`
		Hi95    jsonFloat `json:"hi95"`
		Best    jsonFloat `json:"best_fit"`
		Tau     jsonFloat `json:"tau"`
		ESS     jsonFloat `json:"ess"`
		RMinus1 jsonFloat `json:"r_minus_1"`
	}
	out := struct {
		Sampler       string    `json:"sampler"`
		Steps         int       `json:"steps"`
		Walkers       int       `json:"walkers"`
		Groups        int       `json:"groups"`
		Burn          int       `json:"burn_in_steps"`
		BurnRule      string    `json:"burn_in_rule"`
		Samples       int       `json:"samples"`
		IgnoreRows    int       `json:"getdist_ignore_rows"`
		Acceptance    jsonFloat `json:"acceptance"`
		AcceptanceAll jsonFloat `json:"acceptance_all_steps"`
		RMinus1       jsonFloat `json:"r_minus_1"`
		TauWarning    bool      `json:"tau_warning"`
		Warning       string    `json:"warning,omitempty"`
		BestLogProb   jsonFloat `json:"best_log_prob"`
		Stop          string    `json:"stop"`
		NonFinite     int64     `json:"non_finite_log_prob"`
		Params        []param   `json:"params"`
	}{
		s.Sampler, s.Steps, s.Walkers, s.Groups, s.Burn, s.BurnRule, s.Samples, s.IgnoreRows,
		jsonFloat(s.Acceptance), jsonFloat(s.AcceptanceAll), jsonFloat(s.RMinus1), s.TauWarning, s.Warning,
		jsonFloat(s.BestLogProb), s.Stop, s.NonFinite, nil,
	}
	for _, p := range s.Params {
		out.Params = append(out.Params, param{
			p.Name, p.Label, jsonFloat(p.Mean), jsonFloat(p.Std), jsonFloat(p.MCError), jsonFloat(p.Median),
			jsonFloat(p.Lo68), jsonFloat(p.Hi68), jsonFloat(p.Lo95), jsonFloat(p.Hi95), jsonFloat(p.Best),
			jsonFloat(p.Tau), jsonFloat(p.ESS), jsonFloat(p.RMinus1),
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
	fmt.Fprintf(&b, "samples after burn-in: %d; acceptance %.3f (whole run %.3f); R-1 = %.4g; best ln p = %.6g\n",
		s.Samples, s.Acceptance, s.AcceptanceAll, s.RMinus1, s.BestLogProb)
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "param\tmean\tsigma\tMC error\t68% lo\t68% hi\t95% lo\t95% hi\tbest fit\ttau\tESS\tR-1\t")
	for _, p := range s.Params {
		fmt.Fprintf(tw, "%s\t%.6g\t%.4g\t%.2g\t%.6g\t%.6g\t%.6g\t%.6g\t%.6g\t%.3g\t%.0f\t%.2g\t\n",
			p.Name, p.Mean, p.Std, p.MCError, p.Lo68, p.Hi68, p.Lo95, p.Hi95, p.Best, p.Tau, p.ESS, p.RMinus1)
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

func (s *Summary) writeFiles(root string) error {
	js, err := s.MarshalJSON()
	if err != nil {
		return err
	}
	js = append(js, '\n')
	if err := writeFileAtomic(root+summaryJSONSuffix, func(w io.Writer) error {
		_, err := w.Write(js)
		return err
	}); err != nil {
		return err
	}
	return writeFileAtomic(root+summaryTextSuffix, s.WriteText)
}
