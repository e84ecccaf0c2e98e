package main

import (
	"os"
	"strings"

	"github.com/cosmoemu/cosmoemu/fit"
	"github.com/cosmoemu/cosmoemu/likelihood"
)

func init() {
	register(command{
		name:    "sample",
		summary: "the paper's job: sample (Ωm, H0) of flat ΛCDM from H(z) data with one backend (fit with the cc31 defaults)",
		run:     runSample,
	})
}

func runSample(e *env, args []string) error {
	var f fitFlags
	fs := newFlagSet(e, "sample", "[-backend analytic|solver] [-data cc31|simulated20|FILE] [-cov FILE] [-sampler ensemble|mh] [-walkers 32] [-steps 5000] [-seed S] [-out ROOT] [-resume] [-json]")
	f.register(fs, "lcdm", "cc31", true)
	cov := fs.String("cov", "", "covariance `file` of an H(z) data file (N×N, whitespace); default: diagonal sigma_H²")
	if err := f.parse(fs, args); err != nil {
		return err
	}
	if *cov != "" && dataSpec(f.data) {
		return usagef("sample: -cov gives the covariance of an H(z) data file; %s brings its own (use hz:FILE:COV)", f.data)
	}
	f.data = hzSpec(f.data, *cov)
	cfg, err := f.config("sample")
	if err != nil {
		return err
	}
	fit.DefaultPriors(cfg.Priors, fit.PaperHzPriors())
	return fitAndReport(e, "sample", &f, cfg)
}

// dataSpec reports whether -data names a built-in data set or is a spec
// such as hz:FILE:COV, rather than a file.
func dataSpec(data string) bool {
	if strings.Contains(data, ":") {
		return true
	}
	_, err := likelihood.Lookup(data)
	return err == nil
}

// hzSpec turns sample's -data FILE [-cov FILE] into the data spec
// hz:FILE[:COV]; names of built-in sets and specs pass through.
func hzSpec(data, cov string) string {
	if dataSpec(data) {
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
