package main

import (
	"os"
	"strings"

	"github.com/cosmoemu/cosmoemu/likelihood"
)

func init() {
	register(command{
		name:    "sample",
		summary: "the paper's job: sample (Ωm, H0) of flat ΛCDM from H(z) data with one backend (fit with the cc31 defaults)",
		run:     runSample,
	})
}

// sampleDefaults are the paper's priors for the H(z) fits: Ωm ∈ [0.1, 0.5],
// H0 ∈ [50, 90] km/s/Mpc.
var sampleDefaults = []string{"Om=0.1:0.5", "H0=50:90"}

func runSample(e *env, args []string) error {
	var f fitFlags
	fs := newFlagSet(e, "sample", "[-backend analytic|solver] [-data cc31|simulated20|FILE] [-cov FILE] [-sampler ensemble|mh] [-walkers 32] [-steps 5000] [-seed S] [-out ROOT] [-resume] [-json]")
	f.register(fs, "lcdm", "cc31", true)
	cov := fs.String("cov", "", "covariance `file` of an H(z) data file (N×N, whitespace); default: diagonal sigma_H²")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *cov != "" && (builtinSet(f.data) || strings.Contains(f.data, ":")) {
		return usagef("sample: -cov gives the covariance of an H(z) data file; %s brings its own (use hz:FILE:COV)", f.data)
	}
	f.data = hzSpec(f.data, *cov)
	withDefaultPriors(&f)
	cfg, err := f.config("sample")
	if err != nil {
		return err
	}
	return fitAndReport(e, "sample", &f, cfg)
}

// hzSpec turns sample's -data FILE [-cov FILE] into the data spec
// hz:FILE[:COV]; names of built-in sets and specs pass through.
func hzSpec(data, cov string) string {
	if strings.Contains(data, ":") || builtinSet(data) {
		return data
	}
	if _, err := os.Stat(data); err != nil {
		return data // let the data loader explain
	}
	if cov != "" {
		return "hz:" + data + ":" + cov
	}
	return "hz:" + data
}

// builtinSet reports whether name is a built-in data set.
func builtinSet(name string) bool {
	_, err := likelihood.Lookup(name)
	return err == nil
}

// withDefaultPriors adds the paper's priors for parameters the user did not
// give one.
func withDefaultPriors(f *fitFlags) {
	given := map[string]bool{}
	for _, it := range f.priors.items {
		name, _, _ := strings.Cut(it, "=")
		given[name] = true
	}
	for _, it := range sampleDefaults {
		name, _, _ := strings.Cut(it, "=")
		if !given[name] {
			f.priors.items = append(f.priors.items, it)
		}
	}
}
