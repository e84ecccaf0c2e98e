package bridge

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/cosmoemu/cosmoemu/chains"
	"github.com/cosmoemu/cosmoemu/fit"
)

// FitConfig is a LikelihoodConfig with the sampler of fit.Sampler.
type FitConfig struct {
	LikelihoodConfig
	Sampler  string  `json:"sampler"`  // ensemble (default), mh or nested
	Steps    int     `json:"steps"`    // steps per walker or chain; 0: 5000
	Walkers  int     `json:"walkers"`  // 0: max(32, 4·dim)
	Chains   int     `json:"chains"`   // MH chains; 0: 4
	Live     int     `json:"live"`     // nested live points; 0: the default
	DLogZ    float64 `json:"dlogz"`    // nested stopping Δln Z; 0: 0.1
	Seed     uint64  `json:"seed"`     // 0 means 1, the seed of `cosmoemu fit`
	Workers  int     `json:"workers"`  // goroutines; 0 chooses
	Converge bool    `json:"converge"` // stop once R−1 < 0.01
	Out      string  `json:"out"`      // output root; "": no files
	Resume   bool    `json:"resume"`
	Force    bool    `json:"force"`
}

// A FitJob is a fit running in its own goroutine, so that a foreign
// caller can wait for it in short slices (and stay responsive to an
// interrupt), follow its progress and cancel it.
type FitJob struct {
	cancel context.CancelFunc
	done   chan struct{}

	mu       sync.Mutex
	progress fit.Progress
	result   []byte
	err      error
}

// StartFit builds the problem (a configuration mistake is returned at
// once) and starts the run.
func StartFit(cfg FitConfig) (*FitJob, error) {
	fc, err := cfg.fitConfig()
	if err != nil {
		return nil, err
	}
	seed := cfg.Seed
	if seed == 0 {
		seed = 1
	}
	dlogz := cfg.DLogZ
	if dlogz == 0 {
		dlogz = 0.1
	}
	chains := cfg.Chains
	if chains == 0 {
		chains = 4
	}
	kind := cfg.Sampler
	if kind == "" {
		kind = "ensemble"
	}
	if kind != "ensemble" && kind != "mh" && kind != "nested" {
		return nil, fmt.Errorf("sampler %q: want ensemble, mh or nested", kind)
	}
	if cfg.Walkers != 0 && (cfg.Walkers < 4 || cfg.Walkers%2 != 0) {
		return nil, fmt.Errorf("walkers %d: need an even number ≥ 4 (0 chooses)", cfg.Walkers)
	}
	if cfg.Resume && cfg.Out == "" {
		return nil, errors.New("resume needs out, the root of the run to continue")
	}
	if cfg.Resume && cfg.Force {
		return nil, errors.New("resume continues a run, force replaces it: choose one")
	}
	fc.Sampler = fit.Sampler{Kind: kind, Steps: cfg.Steps, Walkers: cfg.Walkers, Chains: chains, Live: cfg.Live, DLogZ: dlogz,
		Seed: seed, Workers: cfg.Workers, Converge: cfg.Converge, Out: cfg.Out, Resume: cfg.Resume, Force: cfg.Force}
	if fc.Sampler.Steps == 0 {
		fc.Sampler.Steps = 5000
	}
	p, err := fit.Build(fc)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	j := &FitJob{cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(j.done)
		var res *fit.Result
		err := guard(func() error {
			var err error
			res, err = p.Run(ctx, func(pr fit.Progress) {
				j.mu.Lock()
				j.progress = pr
				j.mu.Unlock()
			})
			return err
		})
		var out []byte
		if err == nil {
			out, err = json.Marshal(res)
		}
		err = runFailure(err)
		j.mu.Lock()
		j.result, j.err = out, err
		j.mu.Unlock()
	}()
	return j, nil
}

// runFailure words the errors about the output root in the terms of the
// Python package (resume, force), as the command line does in its own.
func runFailure(err error) error {
	var ee *chains.ExistsError
	var ce *chains.CollisionError
	switch {
	case errors.As(err, &ee):
		return fmt.Errorf("fit: %s holds %s: continue it with resume=True, or replace it with force=True", ee.Root, ee.Holds)
	case errors.As(err, &ce) && !ce.Resume:
		return fmt.Errorf("fit: out=%s: %s: choose another out, or force=True to write over them", ce.Root, ce.Detail)
	}
	return err
}

// Wait waits at most timeout for the run to end and reports whether it
// has.
func (j *FitJob) Wait(timeout time.Duration) bool {
	select {
	case <-j.done:
		return true
	case <-time.After(timeout):
		return false
	}
}

// Progress returns the last progress report as JSON.
func (j *FitJob) Progress() ([]byte, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	return json.Marshal(map[string]any{"stage": j.progress.Stage, "step": j.progress.Step, "steps": j.progress.Steps,
		"acceptance": j.progress.Acceptance, "dlogz": j.progress.DLogZ, "calls": j.progress.Calls})
}

// Result waits for the run and returns its fit.Result as the JSON of
// `cosmoemu fit -json`, or the run's error.
func (j *FitJob) Result() ([]byte, error) {
	<-j.done
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.result, j.err
}

// Cancel asks the run to stop; Result then returns its error.
func (j *FitJob) Cancel() { j.cancel() }

// Close cancels the run (Table.Close calls it).
func (j *FitJob) Close() { j.cancel() }
