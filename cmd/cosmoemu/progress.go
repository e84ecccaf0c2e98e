package main

import (
	"io"
	"os"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

func stderrIsTerminal() bool {
	return term.IsTerminal(int(os.Stderr.Fd()))
}

// progress is a progress bar on a terminal and nothing when stderr is piped,
// so that logs and CI output stay clean.
type progress struct {
	bar *progressbar.ProgressBar
}

// newProgress starts a bar of max steps described by desc. It draws only when
// e.terminal is set.
func newProgress(e *env, max int64, desc string) *progress {
	if !e.terminal {
		return &progress{}
	}
	bar := progressbar.NewOptions64(max,
		progressbar.OptionSetWriter(e.stderr),
		progressbar.OptionSetDescription(desc),
		progressbar.OptionShowCount(),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(100_000_000),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionOnCompletion(func() { io.WriteString(e.stderr, "\n") }),
	)
	return &progress{bar: bar}
}

// Set moves the bar to n steps done.
func (p *progress) Set(n int64) {
	if p.bar != nil {
		_ = p.bar.Set64(n)
	}
}

// Describe changes the text beside the bar (for example the current loss).
func (p *progress) Describe(s string) {
	if p.bar != nil {
		p.bar.Describe(s)
	}
}

// Finish completes and clears the bar.
func (p *progress) Finish() {
	if p.bar != nil {
		_ = p.bar.Finish()
	}
}

// SetMax changes the bar's total (for example once a download's size is
// known).
func (p *progress) SetMax(n int64) {
	if p.bar != nil {
		p.bar.ChangeMax64(n)
	}
}
