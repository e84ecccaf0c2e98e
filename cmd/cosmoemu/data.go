package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/cosmoemu/cosmoemu/data"
	"github.com/cosmoemu/cosmoemu/likelihood"
)

func init() {
	register(command{
		name:    "data",
		summary: "list the built-in data sets with their citations; `data get NAME` downloads a covariance too large to ship",
		run:     runData,
	})
}

// httpClient is the client data get uses; tests replace it.
var httpClient = &http.Client{Timeout: 30 * time.Minute}

func runData(e *env, args []string) error {
	if len(args) > 0 && args[0] == "get" {
		return runDataGet(e, args[1:])
	}
	fs := newFlagSet(e, "data", "[-json] | data get NAME [-cache DIR]")
	asJSON := fs.Bool("json", false, "print the registry as JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	sets := likelihood.Sets()
	if *asJSON {
		return writeJSON(e.stdout, sets)
	}
	w := bufio.NewWriter(e.stdout)
	for _, s := range sets {
		fmt.Fprintf(w, "%-18s %-4s %s\n", s.Name, s.Measures, oneLine(s.Doc))
		fmt.Fprintf(w, "%-18s      cite: %s\n", "", oneLine(s.Citation))
		for _, x := range s.Excludes {
			fmt.Fprintf(w, "%-18s      never with %s: %s\n", "", x.Set, x.Reason)
		}
		if s.Cov != nil {
			path := data.CachePath(s.Cov, "")
			fmt.Fprintf(w, "%-18s      covariance: `cosmoemu data get %s` (into %s), or -data %s:FILE\n", "", s.Cov.Name, path, s.Name)
		}
	}
	fmt.Fprintln(w, "\nfiles of your own: -data bao:MEAN[:COV], sn:TABLE[:COV], hz:TABLE[:COV]")
	return w.Flush()
}

func runDataGet(e *env, args []string) error {
	fs := newFlagSet(e, "data get", "NAME [-cache DIR]   (NAME: "+remoteNames()+")")
	cache := fs.String("cache", "", "cache `directory` (default: the user cache directory)")
	url := fs.String("url", "", "fetch from this `address` instead (a mirror); the file must still have the registry's git blob SHA-1")
	var name string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if name == "" {
		return usagef("data get: which file? (%s)", remoteNames())
	}
	r, err := likelihood.LookupRemote(name)
	if err != nil {
		return usagef("data get: %v", err)
	}
	if *url != "" {
		r.URL = *url
	}
	bar := newProgress(e, -1, "download "+r.Name)
	ctx, cancel := context.WithCancel(e.ctx)
	defer cancel()
	path, err := data.Fetch(ctx, httpClient, &r, *cache, func(done, total int64) {
		if total > 0 {
			bar.SetMax(total)
		}
		bar.Set(done)
	})
	bar.Finish()
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return fmt.Errorf("data get: interrupted; run it again to start over")
		}
		return fmt.Errorf("data get: %w", err)
	}
	fmt.Fprintf(e.stdout, "%s verified (git blob %s) and stored in %s; -data %s now finds it\n", r.Name, r.BlobSHA1, path, r.Set)
	return nil
}

func remoteNames() string {
	var n []string
	for _, r := range likelihood.Remotes() {
		n = append(n, r.Name)
	}
	return strings.Join(n, ", ")
}
