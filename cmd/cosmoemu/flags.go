package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/cosmoemu/cosmoemu/chains"
	"github.com/cosmoemu/cosmoemu/cosmo"
	"github.com/cosmoemu/cosmoemu/internal/atomicfile"
)

// Flags that check their own values. The flag package reports a bad value of
// one of these as "invalid value "X" for flag -NAME: <why>", which
// parseFlags turns into one line and exit status 2; the range is part of the
// message so that the user knows what to type instead.

// maxSize bounds the sizes (points, steps, walkers, members, …) a user may
// ask for: every such size is a slice length somewhere, and a bound far below
// what makeslice accepts turns "out of memory" into a clear error. A
// command with a tighter bound (because its size multiplies with another)
// passes its own.
const maxSize = 10_000_000

// intValue is an int flag restricted to [min, max].
type intValue struct {
	p        *int
	min, max int
}

func (v *intValue) String() string {
	if v == nil || v.p == nil {
		return "0"
	}
	return strconv.Itoa(*v.p)
}

func (v *intValue) Set(s string) error {
	n, err := strconv.ParseInt(s, 0, 64)
	if err != nil || n < int64(v.min) || n > int64(v.max) {
		return fmt.Errorf("must be an integer in [%d, %d]", v.min, v.max)
	}
	*v.p = int(n)
	return nil
}

// intVar defines an int flag whose value must lie in [min, max].
func intVar(fs *flag.FlagSet, p *int, name string, def, min, max int, usage string) {
	if def < min || def > max {
		panic(fmt.Sprintf("cosmoemu: default %d of -%s outside [%d, %d]", def, name, min, max))
	}
	*p = def
	fs.Var(&intValue{p: p, min: min, max: max}, name, usage)
}

// intFlag is intVar returning the pointer.
func intFlag(fs *flag.FlagSet, name string, def, min, max int, usage string) *int {
	p := new(int)
	intVar(fs, p, name, def, min, max, usage)
	return p
}

// floatValue is a float64 flag restricted to a finite interval. The bounds
// are closed unless openMin/openMax is set.
type floatValue struct {
	p                *float64
	min, max         float64
	openMin, openMax bool
}

func (v *floatValue) String() string {
	if v == nil || v.p == nil {
		return "0"
	}
	return strconv.FormatFloat(*v.p, 'g', -1, 64)
}

func (v *floatValue) interval() string {
	lb, rb := "[", "]"
	if v.openMin {
		lb = "("
	}
	if v.openMax {
		rb = ")"
	}
	return fmt.Sprintf("%s%g, %g%s", lb, v.min, v.max, rb)
}

func (v *floatValue) Set(s string) error {
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) ||
		x < v.min || x > v.max || (v.openMin && x == v.min) || (v.openMax && x == v.max) {
		return fmt.Errorf("must be a finite number in %s", v.interval())
	}
	*v.p = x
	return nil
}

// floatVar defines a float64 flag whose value must be finite and lie in
// [min, max]; open makes both ends open ("(min, max)").
func floatVar(fs *flag.FlagSet, p *float64, name string, def, min, max float64, open bool, usage string) {
	floatVarEnds(fs, p, name, def, min, max, open, open, usage)
}

// floatFlag is floatVar returning the pointer.
func floatFlag(fs *flag.FlagSet, name string, def, min, max float64, open bool, usage string) *float64 {
	p := new(float64)
	floatVar(fs, p, name, def, min, max, open, usage)
	return p
}

// floatVarEnds is floatVar with each end open or closed on its own, as in
// (0, 1e4] or [-300, 0).
func floatVarEnds(fs *flag.FlagSet, p *float64, name string, def, min, max float64, openMin, openMax bool, usage string) {
	v := &floatValue{p: p, min: min, max: max, openMin: openMin, openMax: openMax}
	if v.Set(strconv.FormatFloat(def, 'g', -1, 64)) != nil {
		panic(fmt.Sprintf("cosmoemu: default %g of -%s outside %s", def, name, v.interval()))
	}
	fs.Var(v, name, usage)
}

// floatFlagEnds is floatVarEnds returning the pointer.
func floatFlagEnds(fs *flag.FlagSet, name string, def, min, max float64, openMin, openMax bool, usage string) *float64 {
	p := new(float64)
	floatVarEnds(fs, p, name, def, min, max, openMin, openMax, usage)
	return p
}

// workersFlag defines the -workers flag every parallel command shares:
// 0 means all cores, otherwise a positive count.
func workersFlag(fs *flag.FlagSet, p *int) {
	intVar(fs, p, "workers", 0, 0, 1024, "goroutines to use; 0 means one per core (results do not depend on it)")
}

// splitNames returns the items of a comma-separated list of names (-data,
// -models), spaces around them trimmed and empty ones left out.
func splitNames(s string) []string {
	var out []string
	for _, it := range strings.Split(s, ",") {
		if it = strings.TrimSpace(it); it != "" {
			out = append(out, it)
		}
	}
	return out
}

// parseFlags parses args and turns flag errors into usage errors of one
// line naming the flag and what it accepts; only -h prints the whole usage.
// Positional arguments are refused: every input is a named flag.
func parseFlags(fs *flag.FlagSet, args []string) error {
	out, usage := fs.Output(), fs.Usage
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	err := fs.Parse(args)
	fs.SetOutput(out)
	fs.Usage = usage
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.Usage()
			return errHelp
		}
		return usagef("%s: %v", fs.Name(), err)
	}
	if fs.NArg() > 0 {
		return usagef("%s: unexpected argument %q (every input is a named flag)", fs.Name(), fs.Arg(0))
	}
	return nil
}

// fileFlag is a file named by a flag: an output, or an input that no
// output may overwrite.
type fileFlag struct {
	flag, path string // path "" means not asked for
	input      bool
	run        bool // a file of the command's own run root (checked by its run)
}

// outFile and inFile name the file of a flag for checkFiles.
func outFile(flag, path string) fileFlag { return fileFlag{flag: flag, path: path} }
func inFile(flag, path string) fileFlag  { return fileFlag{flag: flag, path: path, input: true} }

// checkFiles refuses, before any work, an output that names the same file
// as another output or an input, and an output that cannot be written (a
// missing directory, no permission, a device or directory in the way),
// with a usage error naming the flags.
func checkFiles(files ...fileFlag) error {
	for i, a := range files {
		for _, b := range files[i+1:] {
			if a.input && b.input || a.path == "" || b.path == "" {
				continue
			}
			if atomicfile.Distinct(a.path, b.path) != nil {
				what := "output"
				if a.input || b.input {
					what = "input and output"
				}
				return usagef("-%s and -%s both name %s: give each %s its own file", a.flag, b.flag, b.path, what)
			}
		}
	}
	for _, f := range files {
		if f.input || f.path == "" {
			continue
		}
		if err := atomicfile.CheckWritable(f.path); err != nil {
			return usagef("-%s: %v", f.flag, err)
		}
		// No output replaces a file of a run at another root (its chain,
		// its .ranges, its corner plot …): runs are replaced only by runs,
		// with -force.
		if owner := chains.RunOf(f.path); owner != "" && !f.run {
			return usagef("-%s %s is a file of the run at %s: choose another file", f.flag, f.path, owner)
		}
	}
	return nil
}

// modelList names the built-in models (cosmo.Models) for help texts,
// joined by sep and the last by last: "lcdm, olcdm, … or quintessence".
func modelList(sep, last string) string {
	var names []string
	for _, m := range cosmo.Models() {
		names = append(names, m.Name())
	}
	return strings.Join(names[:len(names)-1], sep) + last + names[len(names)-1]
}
