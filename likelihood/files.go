package likelihood

import (
	"os"
	"strings"

	"github.com/cosmoemu/cosmoemu/data"
)

// Files returns the files of the file system that Open(spec, o) reads: the
// table and covariance of a FORMAT:TABLE[:COV] spec, the covariance of a
// SET:COVFILE spec, a bare FILE, and the cached covariance of a built-in
// set that fetches one (unless o.DiagOnly). The embedded tables of the
// built-in sets are not files. A command checks its outputs against these,
// so that no output overwrites the data it was computed from. A spec that
// Open would refuse gives what it names, or nothing.
func Files(spec string, o *Options) []string {
	var opt Options
	if o != nil {
		opt = *o
	}
	if s := lookup(spec); s != nil {
		if s.Cov != nil && !opt.DiagOnly {
			return []string{data.CachePath(s.Cov, opt.CacheDir)}
		}
		return nil
	}
	_, rest, hasColon := strings.Cut(spec, ":")
	if !hasColon {
		if _, err := os.Stat(spec); err == nil {
			return []string{spec}
		}
		return nil
	}
	var out []string
	for _, p := range strings.Split(rest, ":") {
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}
