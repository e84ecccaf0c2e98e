package main

import (
	"bufio"
	"fmt"
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

// fetchRetryDelay is the wait before the first retry of data get (0: the
// library's 1 s); tests shorten it.
var fetchRetryDelay time.Duration

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
	connect := fs.Duration("connect-timeout", 30*time.Second, "give up a connection not made within this `duration`")
	idle := fs.Duration("idle-timeout", time.Minute, "give up an attempt that receives nothing for this `duration` (then retry)")
	total := fs.Duration("timeout", 30*time.Minute, "give up the whole download, retries included, after this `duration`")
	retries := intFlag(fs, "retries", 4, 0, 100, "attempts after one that stalled, was cut short or met a server error; each asks for the rest where the server accepts ranges")
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
	for _, d := range []struct {
		flag string
		v    time.Duration
	}{{"connect-timeout", *connect}, {"idle-timeout", *idle}, {"timeout", *total}} {
		if d.v <= 0 {
			return usagef("data get: -%s %v: want a positive duration such as 30s or 5m", d.flag, d.v)
		}
	}
	r, err := likelihood.LookupRemote(name)
	if err != nil {
		return usagef("data get: %v", err)
	}
	if *url != "" {
		r.URL = *url
	}
	bar := newProgress(e, -1, "download "+r.Name)
	retry := *retries
	if retry == 0 {
		retry = -1 // FetchOptions: none
	}
	path, err := data.FetchWith(e.ctx, &r, *cache, &data.FetchOptions{
		ConnectTimeout: *connect, IdleTimeout: *idle, TotalTimeout: *total, Retries: retry, RetryDelay: fetchRetryDelay,
		Progress: func(done, total int64) {
			if total > 0 {
				bar.SetMax(total)
			}
			bar.Set(done)
		},
	})
	bar.Finish()
	if err != nil {
		return interrupted(fmt.Errorf("data get: %w", err), "nothing was saved; run it again to start over")
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
