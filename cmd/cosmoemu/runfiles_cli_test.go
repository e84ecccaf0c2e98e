package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cosmoemu/cosmoemu/chains"
	"github.com/cosmoemu/cosmoemu/emulator"
)

// TestOutputsNeverOverwriteInputs: no output of fit, sample, compare or
// evidence overwrites a file the run reads — a data table, a covariance,
// the -emulator or -growth-emulator file — whether the output is named by -corner or derived
// from -out (every file a run at its root may write), and whether the
// input is the output's own name, a symbolic link or a hard link to it;
// not even with -force. The input is left byte for byte, the exit status is
// 2 and the message names both.
func TestOutputsNeverOverwriteInputs(t *testing.T) {
	table := []byte("0.1 70 5\n0.2 72 5\n0.3 75 5\n0.5 80 6\n0.7 88 7\n0.9 95 8\n")
	cov := []byte("25 0 0 0 0 0\n0 25 0 0 0 0\n0 0 25 0 0 0\n0 0 0 36 0 0\n0 0 0 0 49 0\n0 0 0 0 0 64\n")
	// The root each command writes under -out r.
	commands := []struct {
		name string
		root string
		args []string
	}{
		{"fit", "r", []string{"fit", "-steps", "20"}},
		{"fit nested", "r", []string{"fit", "-sampler", "nested", "-live", "20"}},
		{"sample", "r", []string{"sample", "-steps", "20"}},
		{"compare", "r_analytic", []string{"compare", "-steps", "20"}},
		{"evidence", "r_lcdm", []string{"evidence", "-models", "lcdm", "-live", "20"}},
	}
	suffixes := []string{".txt", "_1.txt", "_17.txt", ".paramnames", ".ranges", ".properties.ini", ".checkpoint",
		".chain.npy", ".lnprob.npy", ".derived.npy", ".samples.npy", ".summary.json", ".summary.txt", ".corner.png", ".lock"}
	for _, c := range commands {
		for _, input := range []string{"table", "cov", "emulator", "growth"} {
			for _, suffix := range suffixes {
				for _, link := range []string{"same", "symlink", "hardlink"} {
					dir := t.TempDir()
					out := filepath.Join(dir, "r")
					target := filepath.Join(dir, c.root+suffix) // the output
					// The input file, under its own name or the output's.
					inPath := target
					if link != "same" {
						inPath = filepath.Join(dir, "input.dat")
					}
					content := table
					if input == "cov" {
						content = cov
					}
					if err := os.WriteFile(inPath, content, 0o644); err != nil {
						t.Fatal(err)
					}
					switch link {
					case "symlink":
						os.Symlink(inPath, target)
					case "hardlink":
						os.Link(inPath, target)
					}
					// The run names the input by the output's name for
					// "same" and by its own for the links.
					var flags []string
					switch input {
					case "table":
						flags = []string{"-data", "hz:" + inPath}
					case "cov":
						other := filepath.Join(dir, "table.txt")
						os.WriteFile(other, table, 0o644)
						flags = []string{"-data", "hz:" + other + ":" + inPath}
					case "emulator":
						flags = []string{"-data", "cc31", "-backend", "emulator", "-emulator", inPath}
					case "growth":
						flags = []string{"-data", "sdss-dr16-lrg-fs", "-growth-emulator", inPath}
					}
					if c.name == "compare" && input == "emulator" {
						flags = flags[:2] // compare runs every backend; -emulator applies to one
						flags = append(flags, "-emulator", inPath)
					}
					for _, force := range []bool{false, true} {
						args := append(append(append([]string{}, c.args...), flags...), "-out", out)
						if force {
							args = append(args, "-force")
						}
						code, _, stderr := runCLI(t, args...)
						what := c.name + " " + input + " " + suffix + " " + link
						if code != 2 || !strings.Contains(stderr, "-out") {
							t.Errorf("%s: exit %d, %q; want exit 2 naming -out", what, code, stderr)
						}
						if b, _ := os.ReadFile(inPath); string(b) != string(content) {
							t.Fatalf("%s: the input %s was overwritten", what, inPath)
						}
					}
				}
			}
			// -corner naming the input.
			dir := t.TempDir()
			in := filepath.Join(dir, "d.txt")
			os.WriteFile(in, table, 0o644)
			link := filepath.Join(dir, "plot.png")
			os.Symlink(in, link)
			args := append(append([]string{}, c.args...), "-data", "hz:"+in, "-corner", link)
			if c.name == "evidence" {
				continue // evidence draws no corner plot
			}
			if code, _, stderr := runCLI(t, args...); code != 2 || !strings.Contains(stderr, "-corner") {
				t.Errorf("%s -corner on a link to the data: exit %d, %q", c.name, code, stderr)
			}
			if b, _ := os.ReadFile(in); string(b) != string(table) {
				t.Fatalf("%s: -corner overwrote the data", c.name)
			}
		}
	}
}

// TestCornerNotARunFile: -corner naming a file of the run's own root
// (its .ranges, a chain, its checkpoint, also through another spelling of
// the directory) is refused before the run, which would draw the plot over
// it.
func TestCornerNotARunFile(t *testing.T) {
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "sub"), 0o755)
	os.Symlink(dir, filepath.Join(dir, "link"))
	out := filepath.Join(dir, "r")
	for _, c := range []struct{ cmd, root string }{{"fit", "r"}, {"compare", "r_solver"}} {
		for _, file := range []string{
			filepath.Join(dir, c.root+".ranges"), filepath.Join(dir, c.root+"_1.txt"), filepath.Join(dir, c.root+".checkpoint"),
			filepath.Join(dir, c.root+".txt"), filepath.Join(dir, "sub", "..", c.root+".paramnames"), filepath.Join(dir, "link", c.root+".summary.json"),
		} {
			args := []string{c.cmd, "-data", "cc31", "-steps", "20", "-out", out, "-corner", file}
			if code, _, stderr := runCLI(t, args...); code != 2 || !strings.Contains(stderr, "-corner") {
				t.Errorf("cosmoemu %s: exit %d, %q", strings.Join(args, " "), code, stderr)
			}
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("files written: %v", entries)
	}
}

// TestRunFilesKnown: every file that runs of each kind leave under their
// roots is one chains.IsRunFile knows, so that the check of outputs
// against inputs covers all of them.
func TestRunFilesKnown(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"fit", "-data", "desi-dr2", "-steps", "30", "-walkers", "8", "-out", filepath.Join(dir, "mcmc")},
		{"fit", "-data", "desi-dr2", "-sampler", "mh", "-steps", "30", "-out", filepath.Join(dir, "mh")},
		{"fit", "-data", "desi-dr2", "-sampler", "nested", "-live", "30", "-out", filepath.Join(dir, "nested")},
		{"evidence", "-data", "desi-dr2", "-models", "lcdm,wcdm", "-live", "30", "-out", filepath.Join(dir, "ev")},
		{"compare", "-steps", "30", "-walkers", "8", "-out", filepath.Join(dir, "cmp")},
	} {
		if code, _, stderr := runCLI(t, args...); code != 0 {
			t.Fatalf("%v: %s", args, stderr)
		}
	}
	roots := []string{"mcmc", "mh", "nested", "ev_lcdm", "ev_wcdm", "cmp_analytic", "cmp_solver", "cmp_emulator", "cmp"}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		known := false
		for _, r := range roots {
			known = known || chains.IsRunFile(r, e.Name())
		}
		if !known {
			t.Errorf("%s is written by a run but not known to chains.IsRunFile", e.Name())
		}
	}
	for _, name := range []string{"mcmc.txt.bak", "mcmc_x.txt", "mcmc.dat", "other.txt"} {
		if chains.IsRunFile("mcmc", name) {
			t.Errorf("IsRunFile(mcmc, %s)", name)
		}
	}
}

// TestFlagsThatDoNotApply: a flag that would change nothing is refused,
// naming it, before any work: -emulator (even a corrupt file) and
// -no-fallback where no emulator answers, -growth-emulator without growth
// data, with a backend other than the emulator or for a model not fitted, -diag-only without a set whose
// covariance is fetched, a model given twice to evidence, sampler
// sizes the parameters do not allow, a sampler's flags with another
// sampler, -early where no early universe is needed, -rtol where no solver
// runs, and evidence -corner.
func TestFlagsThatDoNotApply(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.bin")
	os.WriteFile(garbage, []byte("not a model"), 0o644)
	growth := filepath.Join(dir, "growth.bin")
	if b, err := emulator.DefaultBytes("growth_quintessence"); err != nil {
		t.Fatal(err)
	} else {
		os.WriteFile(growth, b, 0o644)
	}
	quint := filepath.Join(dir, "quintessence.bin")
	if b, err := emulator.DefaultBytes("quintessence"); err != nil {
		t.Fatal(err)
	} else {
		os.WriteFile(quint, b, 0o644)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"fit", "-data", "cc31", "-emulator", garbage}, "fit: -emulator: emulator: " + garbage + ": not a cosmoemu model file"},
		{[]string{"fit", "-data", "cc31", "-emulator", growth}, "fit: -emulator: " + growth + ": emulator: a cosmoemu-growth file is not an emulator of model lcdm, whose emulator is its closed form"},
		{[]string{"fit", "-data", "desi-dr2", "-model", "quintessence", "-emulator", growth}, "a cosmoemu-growth file is not the emulator of model quintessence (train one for it)"},
		{[]string{"fit", "-data", "cc31", "-emulator", garbage, "-backend", "solver"}, "fit: -emulator: emulator " + garbage + ": the solver backend does not read it; the emulator backend does"},
		{[]string{"compare", "-what", "early", "-data", "desi-dr2", "-emulator", garbage, "-backend", "analytic"}, "compare: -emulator: emulator " + garbage + ": the analytic backend does not read it"},
		{[]string{"compare", "-what", "early", "-data", "sdss-dr16-lrg-fs", "-growth-emulator", growth, "-backend", "analytic"}, "compare: -growth-emulator: growth emulator " + growth + ": the analytic backend does not read it"},
		{[]string{"evidence", "-models", "lcdm,wcdm", "-data", "cc31", "-emulator", growth}, "evidence: -emulator " + growth + ": a cosmoemu-growth file, not a model's emulator (cosmoemu train -model NAME makes one)"},
		{[]string{"evidence", "-models", "lcdm,wcdm", "-data", "cc31", "-emulator", quint}, "evidence: -emulator " + quint + " is the emulator of quintessence, which -models does not name"},
		{[]string{"evidence", "-models", "lcdm,wcdm", "-data", "cc31", "-emulator", garbage}, "-emulator"},
		{[]string{"fit", "-data", "cc31", "-no-fallback"}, "-no-fallback: no emulator answers this fit"},
		{[]string{"fit", "-data", "desi-dr2", "-growth-emulator", garbage}, "-growth-emulator: growth emulator " + garbage + ": the data measure no growth of structure"},
		{[]string{"fit", "-data", "sdss-dr16-lrg-fs", "-backend", "analytic", "-growth-emulator", garbage}, "the analytic backend does not read it"},
		{[]string{"fit", "-data", "desi-dr2", "-growth-emulator", garbage, "-model", "quintessence"}, "-growth-emulator: growth emulator " + garbage + ": the data measure no growth"},
		{[]string{"evidence", "-models", "lcdm", "-data", "desi-dr2", "-growth-emulator", garbage}, "-growth-emulator"},
		{[]string{"evidence", "-models", "lcdm,wcdm", "-data", "sdss-dr16-lrg-fs", "-growth-emulator", growth}, "-growth-emulator " + growth + " is the growth emulator of quintessence, which -models does not name"},
		{[]string{"fit", "-data", "desi-dr2", "-early", "exact", "-prior", "ombh2=0.02:0.025", "-no-fallback"}, "-no-fallback"},
		{[]string{"compare", "-no-fallback", "-what", "backends", "-data", "cc31", "-model", "lcdm", "-steps", "1", "-emulator", garbage}, "not a cosmoemu model file"},
		{[]string{"fit", "-data", "cc31", "-diag-only"}, "-diag-only applies to the sets whose covariance is fetched (pantheonplus, desy5)"},
		{[]string{"evidence", "-models", "lcdm,wcdm,lcdm", "-data", "cc31"}, "-models names lcdm twice"},
		{[]string{"background", "-p", "Om=0.3,H0=70", "-emulator", garbage}, "background: -emulator: emulator " + garbage + ": the analytic backend does not read it"},
		{[]string{"background", "-p", "Om=0.3,H0=70", "-no-fallback"}, "-no-fallback: no emulator answers"},
		{[]string{"background", "-p", "Om=0.3,H0=70,ombh2=0.022", "-no-fallback"}, "-no-fallback"},
		{[]string{"fit", "-data", "cc31", "-sampler", "nested", "-live", "1"}, "-live 1: nested sampling of 2 parameters needs at least 3 live points"},
		{[]string{"fit", "-data", "cc31", "-model", "wcdm", "-walkers", "4"}, "-walkers 4: the ensemble of 3 parameters needs at least 6 walkers"},
		// A sampler's flags with another sampler.
		{[]string{"fit", "-data", "cc31", "-sampler", "nested", "-steps", "20"}, "fit: -steps applies to -sampler ensemble or mh, not nested"},
		{[]string{"fit", "-data", "cc31", "-sampler", "nested", "-walkers", "8"}, "fit: -walkers applies to -sampler ensemble, not nested"},
		{[]string{"fit", "-data", "cc31", "-sampler", "nested", "-chains", "3"}, "fit: -chains applies to -sampler mh, not nested"},
		{[]string{"fit", "-data", "cc31", "-sampler", "nested", "-converge"}, "fit: -converge applies to -sampler ensemble or mh, not nested"},
		{[]string{"fit", "-data", "cc31", "-live", "40"}, "fit: -live applies to -sampler nested, not ensemble"},
		{[]string{"fit", "-data", "cc31", "-sampler", "ensemble", "-dlogz", "0.5"}, "fit: -dlogz applies to -sampler nested, not ensemble"},
		{[]string{"fit", "-data", "cc31", "-chains", "3"}, "fit: -chains applies to -sampler mh, not ensemble"},
		{[]string{"fit", "-data", "cc31", "-sampler", "mh", "-walkers", "40"}, "fit: -walkers applies to -sampler ensemble, not mh"},
		{[]string{"fit", "-data", "cc31", "-sampler", "mh", "-live", "40"}, "fit: -live applies to -sampler nested, not mh"},
		{[]string{"sample", "-sampler", "mh", "-walkers", "40"}, "sample: -walkers applies to -sampler ensemble, not mh"},
		{[]string{"compare", "-steps", "20", "-dlogz", "0.5"}, "compare: -dlogz applies to -sampler nested, not ensemble"},
		// -early where no early universe is needed, or with compare
		// -what early, which runs both.
		{[]string{"fit", "-data", "cc31", "-early", "exact"}, "fit: -early exact: the data cc31 need no early universe (z*, r_d): leave it out"},
		{[]string{"fit", "-data", "desi-dr2", "-early", "fitting"}, "fit: -early fitting: the data desi-dr2 need no early universe"},
		{[]string{"sample", "-early", "emulator"}, "sample: -early emulator: the data cc31 need no early universe"},
		{[]string{"compare", "-early", "exact"}, "compare: -early exact: the data cc31 need no early universe"},
		{[]string{"compare", "-what", "early", "-data", "desi-dr2", "-prior", "ombh2=0.02:0.025", "-early", "exact"}, "compare: -early: -what early runs both the exact and the emulated early universe"},
		{[]string{"evidence", "-models", "lcdm,wcdm", "-data", "cc31", "-early", "exact"}, "evidence: -early exact: the data cc31 need no early universe"},
		// -rtol where no solver runs.
		{[]string{"fit", "-data", "cc31", "-rtol", "1e-6"}, "fit: -rtol is the solver's tolerance, and no solver runs in this fit (backend analytic): leave it out"},
		{[]string{"fit", "-data", "cc31", "-backend", "emulator", "-no-fallback", "-rtol", "1e-6"}, "fit: -rtol is the solver's tolerance, and no solver runs in this fit (backend emulator with -no-fallback)"},
		{[]string{"sample", "-backend", "analytic", "-rtol", "1e-6"}, "sample: -rtol is the solver's tolerance, and no solver runs"},
		{[]string{"compare", "-what", "early", "-data", "desi-dr2", "-prior", "ombh2=0.02:0.025", "-backend", "analytic", "-rtol", "1e-6"}, "compare: -rtol is the solver's tolerance, and no solver runs"},
		{[]string{"evidence", "-models", "lcdm,wcdm", "-data", "cc31", "-rtol", "1e-6"}, "evidence: -rtol is the solver's tolerance, and no solver runs in this fit (backend analytic)"},
		// evidence draws no corner plot.
		{[]string{"evidence", "-models", "lcdm", "-data", "cc31", "-corner", filepath.Join(dir, "c.png")}, "evidence: flag provided but not defined: -corner"},
	} {
		code, _, stderr := runCLI(t, tc.args...)
		if code != 2 || !strings.Contains(stderr, tc.want) || strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
			t.Errorf("cosmoemu %s: exit %d, %q; want exit 2 and %q", strings.Join(tc.args, " "), code, stderr, tc.want)
		}
	}
	// Where they apply, they are taken.
	for _, args := range [][]string{
		{"fit", "-data", "cc31", "-backend", "emulator", "-no-fallback", "-steps", "20", "-walkers", "8"},
		{"fit", "-data", "desi-dr2", "-prior", "ombh2=0.02:0.025", "-no-fallback", "-steps", "20", "-walkers", "8"},
		{"fit", "-data", "union3,pantheonplus", "-diag-only", "-steps", "20", "-walkers", "8"},
		{"background", "-p", "Om=0.3,H0=70", "-backend", "emulator", "-no-fallback"},
		{"background", "-p", "Om=0.3,H0=70,ombh2=0.022", "-early", "emulator", "-no-fallback"},
		// A growth emulator goes to the runs that read it: compare's
		// emulator run, evidence's model of the file.
		{"compare", "-model", "quintessence", "-data", "sdss-dr16-lrg-fs", "-growth-emulator", growth, "-steps", "10", "-walkers", "8"},
		{"evidence", "-models", "lcdm,quintessence", "-data", "sdss-dr16-lrg-fs", "-growth-emulator", growth, "-live", "10"},
		// An emulator likewise.
		{"compare", "-model", "quintessence", "-data", "desi-dr2", "-emulator", quint, "-steps", "10", "-walkers", "8"},
		{"evidence", "-models", "lcdm,quintessence", "-data", "desi-dr2", "-emulator", quint, "-live", "10"},
		// Each sampler's flags with it; -early where a problem needs the
		// early universe (evidence: one model's), -rtol where the solver
		// may run (the solver, the emulator's fallback, compare's solver run).
		{"fit", "-data", "cc31", "-sampler", "mh", "-chains", "3", "-steps", "20", "-converge"},
		{"fit", "-data", "cc31", "-sampler", "nested", "-live", "20", "-dlogz", "0.5"},
		{"fit", "-data", "cc31", "-walkers", "8", "-steps", "20", "-converge"},
		{"fit", "-data", "desi-dr2", "-prior", "ombh2=0.02:0.025", "-early", "fitting", "-steps", "10", "-walkers", "8"},
		{"evidence", "-models", "lcdm,quintessence", "-data", "desi-dr2", "-prior", "ombh2=0.02:0.025", "-early", "fitting", "-live", "10"},
		{"fit", "-data", "cc31", "-backend", "solver", "-rtol", "1e-6", "-steps", "10", "-walkers", "8"},
		{"fit", "-data", "cc31", "-backend", "emulator", "-rtol", "1e-6", "-steps", "10", "-walkers", "8"},
		{"compare", "-rtol", "1e-6", "-steps", "10", "-walkers", "8"},
		{"evidence", "-models", "lcdm,quintessence", "-data", "cc31", "-rtol", "1e-6", "-live", "10"},
	} {
		if code, _, stderr := runCLI(t, args...); code != 0 {
			t.Errorf("cosmoemu %s: exit %d, %q", strings.Join(args, " "), code, stderr)
		}
	}
}

// TestEvidenceResumeLaterModel: evidence interrupted after its first model
// and before the next one started resumes: the finished model is kept, the
// next one starts, as compare does.
func TestEvidenceResumeLaterModel(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "ev")
	args := []string{"evidence", "-models", "lcdm,wcdm", "-data", "desi-dr2", "-live", "40", "-out", out}
	if code, _, stderr := runCLI(t, args...); code != 0 {
		t.Fatal(stderr)
	}
	// As if interrupted between the models: wcdm never started.
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "ev_wcdm") {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
	before := filesOf(t, dir)
	code, stdout, stderr := runCLI(t, append(args, "-resume")...)
	if code != 0 || !strings.Contains(stdout, "wcdm") {
		t.Fatalf("resume: exit %d, %q %q", code, stdout, stderr)
	}
	after := filesOf(t, dir)
	for name, b := range before {
		if strings.HasPrefix(name, "ev_lcdm") && !strings.HasSuffix(name, ".lock") && after[name] != b {
			t.Errorf("%s changed on resume", name)
		}
	}
	if _, ok := after["ev_wcdm.txt"]; !ok {
		t.Error("wcdm was not run")
	}
}

// TestOutputsNeverTouchOtherRuns: no output flag of any command writes
// over a file of a finished run at another root (a chain, its .ranges,
// .paramnames, summary, corner plot, .npy, the nested chain), not even
// -corner of a fit with -force on its own root, nor a run at ROOT over the
// corner plot compare -out ROOT drew beside its runs (without -force): the
// directory is left byte for byte, with exit 2 naming the run.
func TestOutputsNeverTouchOtherRuns(t *testing.T) {
	dir := t.TempDir()
	a, n := filepath.Join(dir, "a"), filepath.Join(dir, "n")
	if code, _, stderr := runCLI(t, "fit", "-data", "desi-dr2", "-steps", "40", "-walkers", "8", "-out", a); code != 0 {
		t.Fatal(stderr)
	}
	if code, _, stderr := runCLI(t, "fit", "-data", "desi-dr2", "-sampler", "nested", "-live", "30", "-out", n); code != 0 {
		t.Fatal(stderr)
	}
	points := filepath.Join(t.TempDir(), "p.csv")
	os.WriteFile(points, []byte("N,Om0,H0\n-1,0.3,65\n"), 0o644)
	before := filesOf(t, dir)
	for _, target := range []string{a + "_1.txt", a + "_8.txt", a + ".ranges", a + ".paramnames", a + ".summary.json", a + ".corner.png", a + ".chain.npy", n + ".txt", n + ".checkpoint"} {
		cmds := [][]string{
			{"solve", "-out", target},
			{"predict", "-in", points, "-out", target},
			{"fit", "-data", "cc31", "-steps", "20", "-out", filepath.Join(dir, "b"), "-corner", target},
			{"fit", "-data", "cc31", "-steps", "20", "-out", filepath.Join(dir, "b"), "-force", "-corner", target},
			{"compare", "-steps", "20", "-corner", target},
			{"train", "-model", "early", "-out", target},
			{"validate", "-fig6", target},
			{"reconstruct", "-data", "cc31", "-out", target},
			{"classify", "-data", points, "-model-out", target},
		}
		if strings.HasSuffix(target, ".npy") { // grid writes .npy or .npz only
			cmds = append(cmds, []string{"grid", "-om", "0.3:0.3:1", "-h0", "70:70:1", "-N", "-1:0:2", "-out", target})
		}
		for _, args := range cmds {
			code, _, stderr := runCLI(t, args...)
			if code != 2 || !strings.Contains(stderr, "is a file of the run at") {
				t.Errorf("cosmoemu %s: exit %d, %q", strings.Join(args, " "), code, stderr)
			}
		}
	}
	after := filesOf(t, dir)
	delete(after, "b.lock")
	sameDir(t, "outputs on another run's files", before, after)

	// compare -out c draws c.corner.png beside its runs at c_BACKEND: a
	// run at c, of any kind and whatever its -corner, would replace or
	// remove it, and is refused without -force.
	c := filepath.Join(dir, "c")
	if code, _, stderr := runCLI(t, "compare", "-steps", "20", "-walkers", "8", "-out", c); code != 0 {
		t.Fatal(stderr)
	}
	before = filesOf(t, dir)
	for _, args := range [][]string{
		{"fit", "-model", "wcdm", "-data", "cc31", "-steps", "20", "-out", c},
		{"fit", "-data", "cc31", "-steps", "20", "-out", c, "-corner", filepath.Join(t.TempDir(), "p.png")},
		{"fit", "-data", "cc31", "-sampler", "nested", "-live", "20", "-out", c},
		{"sample", "-steps", "20", "-out", c},
	} {
		code, _, stderr := runCLI(t, args...)
		if code != 2 || !strings.Contains(stderr, "-out "+c+": "+c+".corner.png belongs to the runs at "+c+"_analytic, "+c+"_emulator, "+c+"_solver") ||
			!strings.Contains(stderr, "-force") {
			t.Errorf("cosmoemu %s: exit %d, %q", strings.Join(args, " "), code, stderr)
		}
	}
	after = filesOf(t, dir)
	delete(after, "c.lock")
	sameDir(t, "a run beside compare's", before, after)
	// With -force the fit replaces the plot.
	if code, _, stderr := runCLI(t, "fit", "-data", "cc31", "-steps", "20", "-walkers", "8", "-out", c, "-force"); code != 0 {
		t.Errorf("fit -force beside compare's runs: exit %d, %q", code, stderr)
	}
}
