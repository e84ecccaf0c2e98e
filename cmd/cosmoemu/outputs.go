package main

import (
	"fmt"
	"os"
	"slices"
)

// warnShadowed warns on stderr when the value of -flag names one of the
// embedded data sets or models and a file of that name exists too: the
// embedded one is used, and the user may have meant the file.
func warnShadowed(e *env, flag, value string, embedded ...string) {
	if !slices.Contains(embedded, value) {
		return
	}
	if fi, err := os.Stat(value); err == nil && !fi.IsDir() {
		fmt.Fprintf(e.stderr, "cosmoemu: warning: -%s %s is the embedded one, not the file %s in this directory (give ./%s for the file)\n", flag, value, value, value)
	}
}
