package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/cosmoemu/cosmoemu/backend"
	"github.com/cosmoemu/cosmoemu/emulator"
	"github.com/cosmoemu/cosmoemu/likelihood"
	"github.com/cosmoemu/cosmoemu/mcmc"
	"github.com/cosmoemu/cosmoemu/plots"
	"github.com/cosmoemu/cosmoemu/solver"
)

func init() {
	register(command{
		name:    "sample",
		summary: "sample the posterior of (Ω_m0, H0) from H(z) data with MCMC, using the analytic, solver or emulator backend",
		run:     runSample,
	})
}

// sampleFlags are the flags shared by sample and compare.
type sampleFlags struct {
	backend, model, data, cov, sampler string
	walkers, steps, chains, workers    int
	seed                               uint64
	out, corner                        string
	resume, asJSON, converge, batch    bool
	rtol                               float64
}

func (f *sampleFlags) register(fs *flag.FlagSet, withBackend bool) {
	if withBackend {
		fs.StringVar(&f.backend, "backend", "emulator", "H(z) `backend`: analytic (closed form), solver (RK45) or emulator")
	}
	fs.StringVar(&f.model, "model", "default", "emulator: `default` (embedded) or a model file")
	fs.StringVar(&f.data, "data", "cc31", "H(z) data: cc31 (embedded), simulated20 (embedded) or a `file` of columns z H sigma_H")
	fs.StringVar(&f.cov, "cov", "", "covariance `file` of the data (N×N, whitespace); default: diagonal sigma_H²")
	fs.StringVar(&f.sampler, "sampler", "ensemble", "`sampler`: ensemble (affine-invariant stretch move) or mh (adaptive Metropolis–Hastings)")
	fs.IntVar(&f.walkers, "walkers", 32, "walkers of the ensemble sampler")
	fs.IntVar(&f.chains, "chains", 4, "chains of the MH sampler")
	fs.IntVar(&f.steps, "steps", 5000, "steps per walker or chain (the maximum with -converge)")
	fs.Uint64Var(&f.seed, "seed", 1, "random `seed`: the same seed gives the same chains")
	fs.StringVar(&f.out, "out", "", "output `root`: GetDist chains ROOT_1.txt…, ROOT.paramnames, ROOT.chain.npy, ROOT.summary.json, ROOT.corner.png")
	fs.BoolVar(&f.resume, "resume", false, "continue the interrupted run recorded under -out")
	fs.BoolVar(&f.asJSON, "json", false, "print one JSON object instead of a table")
	fs.BoolVar(&f.converge, "converge", false, "stop early once the Gelman–Rubin R−1 < 0.01 (checked every 100 steps)")
	fs.BoolVar(&f.batch, "batch", false, "evaluate the proposals of each half-ensemble step as one batch")
	fs.Float64Var(&f.rtol, "rtol", 1e-8, "relative tolerance of the solver backend")
	fs.IntVar(&f.workers, "workers", 0, "goroutines evaluating proposals (0: one per CPU); chains do not depend on it")
	fs.StringVar(&f.corner, "corner", "", "corner-plot PNG `file` (default ROOT.corner.png with -out)")
}

func (f *sampleFlags) check(cmd string) error {
	switch {
	case f.sampler != "ensemble" && f.sampler != "mh":
		return usagef("%s: -sampler %q: want ensemble or mh", cmd, f.sampler)
	case f.steps < 1:
		return usagef("%s: -steps %d: need at least 1", cmd, f.steps)
	case f.walkers < 4 || f.walkers%2 != 0:
		return usagef("%s: -walkers %d: need an even number ≥ 4", cmd, f.walkers)
	case f.chains < 2:
		return usagef("%s: -chains %d: need at least 2", cmd, f.chains)
	case !(f.rtol > 0 && f.rtol < 1):
		return usagef("%s: -rtol %v must be in (0, 1)", cmd, f.rtol)
	case f.resume && f.out == "":
		return usagef("%s: -resume needs -out, the root of the run to continue", cmd)
	}
	return nil
}

// makeOutDir creates the directory of the -out root, so that -out
// chains/cc31 works in a fresh clone.
func (f *sampleFlags) makeOutDir() error {
	if f.out == "" {
		return nil
	}
	if dir := filepath.Dir(f.out); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	return nil
}

// sampleRun is the result of one sampling run, as sample -json prints it.
type sampleRun struct {
	Backend     string    `json:"backend"`
	Params      []string  `json:"params"`
	Mean        []float64 `json:"mean"`
	Std         []float64 `json:"std"`
	Lo68        []float64 `json:"lo68"`
	Hi68        []float64 `json:"hi68"`
	Lo95        []float64 `json:"lo95"`
	Hi95        []float64 `json:"hi95"`
	BestFit     []float64 `json:"best_fit"`
	Tau         []float64 `json:"tau"`
	ESS         []float64 `json:"ess"`
	RMinus1     float64   `json:"r_minus_1"`
	Acceptance  float64   `json:"acceptance"`
	Evaluations int64     `json:"evaluations"`
	WallS       float64   `json:"wall_s"`      // the whole run: best fit, sampling, summary, files
	SamplingS   float64   `json:"sampling_s"`  // from the first to the last step
	EvalsPerS   float64   `json:"evals_per_s"` // evaluations during sampling / sampling_s
	Converged   bool      `json:"converged"`   // the chain is longer than 50τ
	Warning     string    `json:"warning,omitempty"`
	Sampler     string    `json:"sampler"`
	Walkers     int       `json:"walkers"`
	Steps       int       `json:"steps"`
	Burn        int       `json:"burn"`
	Seed        uint64    `json:"seed"`
	Data        string    `json:"data"`
	Root        string    `json:"root,omitempty"`
	MinChi2     float64   `json:"min_chi2"`

	samples *mat.Dense // post-burn-in samples, for the corner plot
}

func runSample(e *env, args []string) error {
	var f sampleFlags
	fs := newFlagSet(e, "sample", "[-backend analytic|solver|emulator] [-model default|FILE] [-data cc31|FILE] [-cov FILE] [-sampler ensemble|mh] [-walkers 32] [-steps 5000] [-seed S] [-out ROOT] [-resume] [-json]")
	f.register(fs, true)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := f.check("sample"); err != nil {
		return err
	}
	if err := f.makeOutDir(); err != nil {
		return err
	}
	run, err := sampleWith(e, &f, f.backend, f.out)
	if err != nil {
		return err
	}
	corner := f.corner
	if corner == "" && f.out != "" {
		corner = f.out + ".corner.png"
	}
	if corner != "" {
		if err := plots.Corner(corner, []plots.Samples{{Name: run.Backend, X: run.samples}}, run.Params, &plots.CornerOptions{
			Labels: []string{`\Omega_{m0}`, `H_0`}, Truths: run.BestFit, TruthLabel: "best fit",
			Title: fmt.Sprintf("%s, %s backend", f.data, run.Backend),
		}); err != nil {
			return err
		}
	}
	if f.asJSON {
		return writeJSON(e.stdout, run)
	}
	printRuns(e.stdout, []*sampleRun{run})
	if corner != "" {
		fmt.Fprintf(e.stdout, "wrote %s\n", corner)
	}
	return nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// sampleWith runs one chain with the named backend, writing files under root
// if it is not empty.
func sampleWith(e *env, f *sampleFlags, backendName, root string) (*sampleRun, error) {
	data, err := likelihood.LoadData(f.data)
	if err != nil {
		return nil, err
	}
	if f.cov != "" {
		cov, err := likelihood.ReadCov(f.cov, data.Len())
		if err != nil {
			return nil, err
		}
		data.Cov = cov
	}
	var model *emulator.Model
	if backendName == "emulator" {
		if model, err = loadModel(f.model); err != nil {
			return nil, err
		}
	}
	b, err := backend.New(backendName, &solver.Settings{RTol: f.rtol, ATol: 1e-10}, model)
	if err != nil {
		return nil, usageError{err.Error()}
	}
	post, err := likelihood.NewPosterior(b, data, nil)
	if err != nil {
		return nil, err
	}
	prior := post.Prior()
	lo, hi := prior.Bounds()
	scale := make([]float64, len(lo))
	for i := range scale {
		scale[i] = hi[i] - lo[i]
	}

	start := time.Now()
	opt, err := mcmc.BestFit(post.LogProb, prior.Center(nil), &mcmc.BestFitSettings{Scale: scale})
	var startCov mat.Symmetric
	switch {
	case errors.Is(err, mcmc.ErrNoCovariance):
		// The posterior peaks on the edge of the prior: start the walkers
		// in a small ball there instead of from the Gaussian approximation.
		fmt.Fprintf(e.stderr, "%s: the best fit %.4g lies on the edge of the prior; starting from a ball of 1%% of the prior widths\n", backendName, opt.X)
		c := mat.NewSymDense(len(scale), nil)
		for i, w := range scale {
			c.SetSym(i, i, (0.01*w)*(0.01*w))
		}
		startCov = c
	case err != nil:
		return nil, fmt.Errorf("%s: finding the best fit: %w", backendName, err)
	default:
		startCov = opt.Cov
	}
	bar := newProgress(e, int64(f.steps), backendName)
	evalsBefore := post.Evaluations()
	var samplingStart, lastStep time.Time
	common := mcmc.Settings{
		Steps: f.steps, Start: opt.X, StartCov: startCov, Workers: f.workers,
		Root: root, Names: prior.Names(), Labels: prior.Labels(), Resume: f.resume,
		Progress: func(p mcmc.Progress) {
			lastStep = time.Now()
			bar.Set(int64(p.Step))
			if p.Step%100 == 0 {
				bar.Describe(fmt.Sprintf("%s acc %.2f", backendName, p.Acceptance))
			}
		},
	}
	if f.converge {
		common.Converge = &mcmc.Convergence{RMinus1: 0.01}
	}
	target := mcmc.Target{LogProb: post.LogProb, LogPrior: prior.LogPrior}
	if f.batch {
		target.Batch = post.LogProbBatch
	}
	rnd := rand.New(rand.NewPCG(f.seed, 0x73616d706c65))
	var res *mcmc.Result
	samplingStart = time.Now()
	if f.sampler == "ensemble" {
		res, err = mcmc.RunEnsemble(e.ctx, target, &mcmc.EnsembleSettings{Settings: common, Walkers: f.walkers}, rnd)
	} else {
		res, err = mcmc.RunMH(e.ctx, target, &mcmc.MHSettings{Settings: common, Chains: f.chains}, rnd)
	}
	bar.Finish()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", backendName, err)
	}
	wall := time.Since(start).Seconds()
	if n := post.Failures(); n > 0 {
		return nil, fmt.Errorf("%s: %d likelihood evaluations failed; the first: %v", backendName, n, post.FirstFailure())
	}
	s := res.Summary
	if s == nil {
		return nil, fmt.Errorf("%s: the run stopped before it finished (%s); continue it with -resume", backendName, res.Stop)
	}
	run := &sampleRun{
		Backend: backendName, Params: prior.Names(), RMinus1: s.RMinus1, Acceptance: s.Acceptance,
		Evaluations: post.Evaluations(), WallS: wall, Converged: !s.TauWarning, Warning: s.Warning,
		Sampler: s.Sampler, Walkers: s.Walkers, Steps: s.Steps, Burn: s.Burn, Seed: f.seed, Data: data.Name, Root: root,
	}
	// Throughput over the sampling phase: the best fit before it and the
	// summary (autocorrelation FFTs, quantiles) and files after it cost the
	// same whatever the backend.
	run.SamplingS = lastStep.Sub(samplingStart).Seconds()
	if run.SamplingS > 0 {
		run.EvalsPerS = float64(run.Evaluations-evalsBefore) / run.SamplingS
	}
	best := opt.X
	if s.BestLogProb > opt.LogProb {
		best = make([]float64, len(s.Params))
		for i, p := range s.Params {
			best[i] = p.Best
		}
	}
	run.BestFit = best
	if chi2, err := post.ChiSquare(best); err == nil {
		run.MinChi2 = chi2
	}
	for _, p := range s.Params {
		run.Mean = append(run.Mean, p.Mean)
		run.Std = append(run.Std, p.Std)
		run.Lo68, run.Hi68 = append(run.Lo68, p.Lo68), append(run.Hi68, p.Hi68)
		run.Lo95, run.Hi95 = append(run.Lo95, p.Lo95), append(run.Hi95, p.Hi95)
		run.Tau = append(run.Tau, p.Tau)
		run.ESS = append(run.ESS, p.ESS)
	}
	run.samples = res.Chain.Flat(s.Burn)
	return run, nil
}

// printRuns prints runs side by side.
func printRuns(w io.Writer, runs []*sampleRun) {
	r0 := runs[0]
	fmt.Fprintf(w, "data %s; %s sampler, %d walkers/chains × %d steps (burn-in %d), seed %d\n", r0.Data, r0.Sampler, r0.Walkers, r0.Steps, r0.Burn, r0.Seed)
	fmt.Fprintf(w, "%-22s", "")
	for _, r := range runs {
		fmt.Fprintf(w, " %22s", r.Backend)
	}
	fmt.Fprintln(w)
	for i, name := range r0.Params {
		fmt.Fprintf(w, "%-22s", name+" mean ± std")
		for _, r := range runs {
			fmt.Fprintf(w, " %22s", fmt.Sprintf("%.4f ± %.4f", r.Mean[i], r.Std[i]))
		}
		fmt.Fprintln(w)
		fmt.Fprintf(w, "%-22s", name+" 95% interval")
		for _, r := range runs {
			fmt.Fprintf(w, " %22s", fmt.Sprintf("[%.4f, %.4f]", r.Lo95[i], r.Hi95[i]))
		}
		fmt.Fprintln(w)
		fmt.Fprintf(w, "%-22s", name+" best fit, τ, ESS")
		for _, r := range runs {
			fmt.Fprintf(w, " %22s", fmt.Sprintf("%.4f %4.0f %6.0f", r.BestFit[i], r.Tau[i], r.ESS[i]))
		}
		fmt.Fprintln(w)
	}
	rows := []struct {
		name string
		f    func(r *sampleRun) string
	}{
		{"min χ²", func(r *sampleRun) string { return fmt.Sprintf("%.3f", r.MinChi2) }},
		{"acceptance", func(r *sampleRun) string { return fmt.Sprintf("%.3f", r.Acceptance) }},
		{"R−1", func(r *sampleRun) string { return fmt.Sprintf("%.2g", r.RMinus1) }},
		{"converged (≥ 50τ)", func(r *sampleRun) string { return fmt.Sprint(r.Converged) }},
		{"evaluations", func(r *sampleRun) string { return fmt.Sprint(r.Evaluations) }},
		{"wall time [s]", func(r *sampleRun) string { return fmt.Sprintf("%.3f", r.WallS) }},
		{"sampling time [s]", func(r *sampleRun) string { return fmt.Sprintf("%.3f", r.SamplingS) }},
		{"evaluations per s", func(r *sampleRun) string { return fmt.Sprintf("%.0f", r.EvalsPerS) }},
	}
	for _, row := range rows {
		fmt.Fprintf(w, "%-22s", row.name)
		for _, r := range runs {
			fmt.Fprintf(w, " %22s", row.f(r))
		}
		fmt.Fprintln(w)
	}
	for _, r := range runs {
		if r.Warning != "" {
			fmt.Fprintf(w, "%s: %s\n", r.Backend, r.Warning)
		}
	}
}
