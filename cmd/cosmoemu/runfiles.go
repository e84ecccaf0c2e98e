package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/cosmoemu/cosmoemu/chains"
	"github.com/cosmoemu/cosmoemu/fit"
	"github.com/cosmoemu/cosmoemu/internal/atomicfile"
	"github.com/cosmoemu/cosmoemu/likelihood"
)

// inputs returns the files a fit with these flags reads: the tables and
// covariances of -data, the -emulator and the -growth-emulator file.
func (f *fitFlags) inputs() []fileFlag {
	var in []fileFlag
	for _, d := range splitNames(f.data) {
		for _, p := range likelihood.Files(d, &likelihood.Options{DiagOnly: f.diagOnly}) {
			in = append(in, inFile("data", p))
		}
	}
	return append(in, inFile("emulator", f.emuFile), inFile("growth-emulator", f.growthFile))
}

// checkRunFiles creates the -out directory and refuses, before any work,
// an output that would overwrite an input or another output, and outputs
// that cannot be written: -corner and the files of each root against
// every file of -data and -emulator, after links (symbolic or hard) are
// resolved; every file a run at a root may write (chains.IsRunFile), not
// only those named here.
func checkRunFiles(f *fitFlags, corner string, roots ...string) error {
	if err := makeOutDir(f.out); err != nil {
		return err
	}
	in := f.inputs()
	cornerFlag := "corner"
	if f.corner == "" {
		cornerFlag = "out" // ROOT.corner.png
	}
	cornerFile := outFile(cornerFlag, corner)
	cornerFile.run = true // checked below against the roots
	files := append(in, cornerFile)
	for _, r := range roots {
		if r == "" {
			continue
		}
		for _, suffix := range []string{"_1.txt", ".paramnames", ".chain.npy", ".summary.json"} {
			o := outFile("out", r+suffix)
			o.run = true
			files = append(files, o)
		}
	}
	if err := checkFiles(files...); err != nil {
		return err
	}
	if owner := chains.RunOf(corner); owner != "" && !slices.Contains(roots, owner) {
		return usagef("-%s %s is a file of the run at %s: choose another file", cornerFlag, corner, owner)
	}
	if f.corner == "" && corner != "" && !slices.Contains(roots, f.out) {
		// compare draws ROOT.corner.png beside runs at ROOT_CASE: a run
		// at ROOT itself would get another run's plot.
		if other := otherRunFile(f.out, filepath.Base(corner)); other != "" {
			return usagef("-out %s holds %s of another run, whose corner plot %s this would replace: choose another -out, or name the plot with -corner", f.out, other, corner)
		}
	}
	for _, r := range roots {
		if r == "" {
			continue
		}
		if file, runs := besideRuns(r); file != "" && !f.force && !f.resume {
			return usagef("-out %s: %s belongs to the runs at %s, drawn beside them, and a run at %s would replace it: choose another -out, or -force to replace it",
				f.out, file, strings.Join(runs, ", "), r)
		}
		if f.corner != "" && isRunPath(r, f.corner) && atomicfile.Distinct(f.corner, r+chains.CornerSuffix) == nil {
			return usagef("-corner %s is a file of the run at -out %s: name the plot otherwise (the default is %s)", f.corner, r, r+chains.CornerSuffix)
		}
		for _, i := range in {
			if i.path == "" {
				continue
			}
			if name := chains.RunFileOf(r, i.path); name != "" {
				return usagef("-out %s would write %s, which is the input -%s %s: choose another -out", f.out, name, i.flag, i.path)
			}
		}
	}
	return nil
}

// checkApplies refuses flags that would change nothing in the problems a
// command built (fit builds one, compare one per case, evidence one per
// model), among those the command line gives (fitFlags.parse):
// -no-fallback without an emulator (package fit refuses the model files no
// backend reads), -diag-only without a set whose covariance is fetched,
// -early where no problem needs the early universe, -rtol where no solver
// runs, a sampler's flags with another sampler (samplerFlags), and
// sampler sizes too small for the parameters.
func checkApplies(cmd string, f *fitFlags, probs ...*fit.Problem) error {
	for _, s := range samplerFlags {
		if f.set[s.flag] && !slices.Contains(s.samplers, f.sampler) {
			return usagef("%s: -%s applies to -sampler %s, not %s", cmd, s.flag, strings.Join(s.samplers, " or "), f.sampler)
		}
	}
	if f.noFallback && !slices.ContainsFunc(probs, (*fit.Problem).Emulated) {
		return usagef("%s: -no-fallback: no emulator answers this fit (backend %s, early universe %s): leave it out", cmd, probs[0].Config.Backend, earlyOf(probs[0]))
	}
	if f.diagOnly && !anyFetchedCov(f.data) {
		var names []string
		for _, r := range likelihood.Remotes() {
			names = append(names, r.Set)
		}
		return usagef("%s: -diag-only applies to the sets whose covariance is fetched (%s), and -data %s has none", cmd, strings.Join(names, ", "), f.data)
	}
	if f.set["early"] && !slices.ContainsFunc(probs, func(p *fit.Problem) bool { return p.EarlyUniverse() != "" }) {
		return usagef("%s: -early %s: the data %s need no early universe (z*, r_d): leave it out", cmd, f.early, f.data)
	}
	if f.set["rtol"] && !slices.ContainsFunc(probs, (*fit.Problem).SolverAnswers) {
		b := probs[0].Config.Backend
		if b == "emulator" {
			b += " with -no-fallback"
		}
		return usagef("%s: -rtol is the solver's tolerance, and no solver runs in this fit (backend %s): leave it out", cmd, b)
	}
	for _, p := range probs {
		d := p.Space.Dim()
		switch s := p.Config.Sampler; {
		case s.Kind == "nested" && s.Live != 0 && s.Live < max(d+1, 2):
			return usagef("%s: -live %d: nested sampling of %d parameters needs at least %d live points", cmd, s.Live, d, max(d+1, 2))
		case s.Kind == "ensemble" && s.Walkers != 0 && s.Walkers < 2*d:
			return usagef("%s: -walkers %d: the ensemble of %d parameters needs at least %d walkers (an even number)", cmd, s.Walkers, d, 2*d+2*d%2)
		}
	}
	return nil
}

// samplerFlags are the flags that only some samplers read (package fit:
// Problem.Run): the MCMC samplers read -steps and -converge, the ensemble
// -walkers, Metropolis–Hastings -chains, nested sampling -live and -dlogz.
var samplerFlags = []struct {
	flag     string
	samplers []string
}{
	{"steps", []string{"ensemble", "mh"}},
	{"converge", []string{"ensemble", "mh"}},
	{"walkers", []string{"ensemble"}},
	{"chains", []string{"mh"}},
	{"live", []string{"nested"}},
	{"dlogz", []string{"nested"}},
}

func earlyOf(p *fit.Problem) string {
	if e := p.EarlyUniverse(); e != "" {
		return e
	}
	return "not needed"
}

// anyFetchedCov reports whether the data specs name a built-in set whose
// covariance is fetched, without a file in its place.
func anyFetchedCov(specs string) bool {
	for _, d := range splitNames(specs) {
		if s, err := likelihood.Lookup(d); err == nil && s.Cov != nil {
			return true
		}
	}
	return false
}

// distinctModels refuses a model named twice in -models.
func distinctModels(cmd string, names []string) error {
	for i, n := range names {
		for _, m := range names[:i] {
			if m == n {
				return usagef("%s: -models names %s twice", cmd, n)
			}
		}
	}
	return nil
}

// besideRuns returns a file of root that no run at root owns, and which
// the runs at ROOT_CASE beside it own, with their roots: compare -out ROOT
// draws ROOT.corner.png beside its runs at ROOT_BACKEND. A run at root
// itself would remove it as an orphan (chains.Open) or draw over it. ""
// when root holds a run (Open refuses to replace it without -force) or
// no such file.
func besideRuns(root string) (file string, runs []string) {
	if chains.RunOf(root+chains.ParamNamesSuffix) != "" {
		return "", nil
	}
	for _, s := range []string{chains.CornerSuffix, chains.RangesSuffix, chains.PropertiesSuffix} {
		if _, err := os.Lstat(root + s); err == nil {
			file = root + s
			break
		}
	}
	if file == "" {
		return "", nil
	}
	dir, base, entries := dirOf(root)
	for _, e := range entries {
		owner := chains.RunOf(dir + e.Name())
		if strings.HasPrefix(filepath.Base(owner), base+"_") && !slices.Contains(runs, owner) {
			runs = append(runs, owner)
		}
	}
	if len(runs) == 0 {
		return "", nil
	}
	return file, runs
}

// dirOf splits root into its directory (with its separator, "" for the
// working directory) and base, and lists the directory (nothing if it
// cannot be read).
func dirOf(root string) (dir, base string, entries []os.DirEntry) {
	dir, base = filepath.Split(root)
	d := dir
	if d == "" {
		d = "."
	}
	entries, _ = os.ReadDir(d)
	return dir, base, entries
}

// otherRunFile returns an existing file of a run at root other than the
// one named except, or "".
func otherRunFile(root, except string) string {
	dir, base, entries := dirOf(root)
	for _, e := range entries {
		if e.Name() != except && chains.IsRunFile(base, e.Name()) {
			return dir + e.Name()
		}
	}
	return ""
}

// isRunPath reports whether path names a file a run at root may write:
// in root's directory (after links in the directories are resolved) with
// a name chains.IsRunFile gives to root, or the same file as one.
func isRunPath(root, path string) bool {
	if chains.RunFileOf(root, path) != "" {
		return true
	}
	real := func(p string) string {
		d, err := filepath.EvalSymlinks(filepath.Dir(p))
		if err != nil {
			d = filepath.Dir(p)
		}
		a, _ := filepath.Abs(d)
		return a
	}
	return real(root) == real(path) && chains.IsRunFile(filepath.Base(root), filepath.Base(path))
}
