// Command cosmoemu solves, emulates and fits the background expansion of the
// Universe: ΛCDM with or without curvature, constant w, CPL w0–wa and a
// thawing scalar field, against BAO, supernovae, CMB distance priors and
// H(z) data. It only parses flags, calls the library and prints: every
// result and JSON report it prints comes from a library package (fit,
// emulator, paper/…), and every figure from plots or paper/….
//
// Usage:
//
//	cosmoemu <command> [flags]
//
// Run "cosmoemu help" for the list of commands and "cosmoemu <command> -h"
// for the flags of one command.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"

	"github.com/cosmoemu/cosmoemu/fit"
	"github.com/cosmoemu/cosmoemu/mcmc"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	e := &env{
		ctx:      ctx,
		stdin:    os.Stdin,
		stdout:   os.Stdout,
		stderr:   os.Stderr,
		terminal: stderrIsTerminal(),
	}
	os.Exit(exitCode(run(e, os.Args[1:]), e.stderr))
}

// env is what a command may touch of the outside world, so that tests can run
// commands in-process with buffers in place of the standard streams.
type env struct {
	ctx      context.Context
	stdin    io.Reader
	stdout   io.Writer
	stderr   io.Writer
	terminal bool // stderr is a terminal: show progress bars
	// onProgress, if not nil, is called with each progress report of a
	// fit (tests interrupt a run at a chosen step with it).
	onProgress func(fit.Progress)
}

// A command is one subcommand: it parses its own flags from args.
type command struct {
	name    string
	summary string
	run     func(e *env, args []string) error
}

// commands is filled by the init functions of the files that define them.
var commands = map[string]command{}

func register(c command) {
	if _, dup := commands[c.name]; dup {
		panic("cosmoemu: command registered twice: " + c.name)
	}
	commands[c.name] = c
}

// usageError marks a mistake in the command line: exit status 2.
type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg }

func usagef(format string, args ...any) error {
	return usageError{fmt.Sprintf(format, args...)}
}

// errHelp reports that help was asked for and printed: exit status 0.
var errHelp = flag.ErrHelp

func run(e *env, args []string) error {
	if len(args) == 0 {
		printCommands(e.stderr)
		return usagef("no command given")
	}
	name := args[0]
	switch name {
	case "help", "-h", "-help", "--help":
		if len(args) > 1 {
			if c, ok := commands[args[1]]; ok {
				return c.run(e, []string{"-h"})
			}
			return usagef("unknown command %q (run \"cosmoemu help\")", args[1])
		}
		printCommands(e.stdout)
		return nil
	}
	c, ok := commands[name]
	if !ok {
		return usagef("unknown command %q (run \"cosmoemu help\")", name)
	}
	return c.run(e, args[1:])
}

func printCommands(w io.Writer) {
	fmt.Fprintln(w, "usage: cosmoemu <command> [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "commands:")
	for _, n := range slices.Sorted(maps.Keys(commands)) {
		fmt.Fprintf(w, "  %-12s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, `run "cosmoemu <command> -h" for the flags of a command`)
}

// newFlagSet returns a FlagSet for a subcommand whose usage message starts
// with the given synopsis.
func newFlagSet(e *env, name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "usage: cosmoemu %s %s\n\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// interruptedError is what a command returns when Ctrl-C or SIGTERM
// stopped it (its error matches context.Canceled): hint says what was kept
// and how to go on.
type interruptedError struct {
	hint string
	err  error
}

func (e *interruptedError) Error() string { return "interrupted; " + e.hint }
func (e *interruptedError) Unwrap() error { return e.err }

// interrupted adds hint to err if err is a cancellation, and returns err
// unchanged otherwise.
func interrupted(err error, hint string) error {
	if hint != "" && errors.Is(err, context.Canceled) {
		return &interruptedError{hint: hint, err: err}
	}
	return err
}

// exitInterrupted is the exit status of a run stopped by a signal, as a
// shell reports a process killed by SIGINT (128 + 2).
const exitInterrupted = 130

// exitCode prints err on one line and maps it to the process exit status:
// 0 for success or help, 2 for usage errors, 130 for an interruption, 1
// for anything else.
func exitCode(err error, stderr io.Writer) int {
	switch {
	case err == nil, errors.Is(err, errHelp):
		return 0
	case errors.As(err, new(usageError)):
		fmt.Fprintf(stderr, "cosmoemu: %s\n", oneLine(err.Error()))
		return 2
	case errors.Is(err, context.Canceled):
		fmt.Fprintf(stderr, "cosmoemu: %s\n", oneLine(interruptMessage(err)))
		return exitInterrupted
	default:
		fmt.Fprintf(stderr, "cosmoemu: %s\n", oneLine(err.Error()))
		return 1
	}
}

// interruptMessage says what a cancellation stopped and how to go on,
// instead of "context canceled".
func interruptMessage(err error) string {
	var ie *interruptedError
	var me *mcmc.InterruptedError
	var fe *fit.InterruptedError
	switch {
	case errors.As(err, &ie):
		return ie.Error()
	case errors.As(err, &me):
		switch {
		case me.Saved:
			return fmt.Sprintf("interrupted at step %d of %d; the chains so far are saved in %s: continue with -resume", me.Step, me.Steps, me.Root)
		case me.Root != "" && me.Step == 0:
			return fmt.Sprintf("interrupted before the first step; %s is unchanged", me.Root)
		}
		return fmt.Sprintf("interrupted at step %d of %d; nothing was saved", me.Step, me.Steps)
	case errors.As(err, &fe):
		// Nested sampling: what the command added before the library's
		// account, then how to go on.
		prefix := strings.TrimSuffix(err.Error(), fe.Error())
		if fe.Root == "" {
			return fmt.Sprintf("%sfit: nested sampling interrupted after %d calls; nothing was saved", prefix, fe.Calls)
		}
		return fmt.Sprintf("%sfit: nested sampling interrupted after %d calls; the run so far is saved in %s: continue it with -resume", prefix, fe.Calls, fe.Root)
	}
	return "interrupted"
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
