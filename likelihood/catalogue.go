package likelihood

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"

	"github.com/cosmoemu/cosmoemu/data"
	"github.com/cosmoemu/cosmoemu/internal/atomicfile"
)

// A Set is a built-in data set, declared once as a value: its name, what it
// is, whom to cite, the covariance it may have to fetch, the sets it must
// never be combined with, and the code that makes its likelihood (a
// likelihood component, in Cobaya's sense: code and metadata together).
// Sets and Lookup give the catalogue; adding a data set is adding one Set
// to it (builtin.go).
type Set struct {
	Name string // what Open and Lookup accept, e.g. "desi-dr2"
	// Measures says what the set measures, for listings only ("hz",
	// "bao", "bao+fsigma8", "sn", "cmb", "h0", "ombh2"): nothing decides
	// on it.
	Measures string
	Doc      string // what the set is, one paragraph
	Citation string // the papers to cite when using it
	License  string // the licence text the release carries; "" if it states none
	// Cov is the covariance file that is too large to ship and is fetched
	// on demand (data.Fetch), nil for the other sets. A set with one is
	// also opened by the spec NAME:FILE with the file at hand.
	Cov *data.Remote
	// Excludes lists the sets this one must never be combined with, and
	// why. A rule holds both ways: it needs declaring on one side only.
	Excludes []Exclusion
	// Load makes the set's likelihood with the options o (never nil); the
	// warning, if not empty, is one line the user should read (a
	// covariance reduced to its diagonal).
	Load func(o *Options) (l Likelihood, warning string, err error) `json:"-"`
}

// An Exclusion is a set that another set must never be combined with.
type Exclusion struct {
	Set    string // the other set's name
	Reason string // why, one clause, e.g. "DESI DR2 supersedes DR1"
}

// Options tune how data sets are opened; a nil *Options means the zero
// value.
type Options struct {
	// DiagOnly lets a set whose covariance is fetched (pantheonplus,
	// desy5) load without it, with the diagonal errors of its table
	// instead; a warning says so. A covariance in the cache directory is
	// then not used. Pantheon+ forbids fits with its diagonal errors:
	// use it for quick looks only. Other sets ignore it.
	DiagOnly bool
	// CacheDir is where fetched covariances are (data.Fetch); "" means
	// data.DefaultCacheDir().
	CacheDir string
	// CovFile is the covariance file of a set that fetches its
	// covariance, instead of the one in CacheDir (Open sets it from the
	// spec NAME:FILE).
	CovFile string
	// SN configures the supernova likelihoods.
	SN SNSettings
}

// Sets returns the catalogue of built-in data sets, in a fixed order. The
// values are copies: changing them does not change the catalogue.
func Sets() []Set {
	out := make([]Set, len(sets))
	for i := range sets {
		out[i] = copySet(&sets[i])
	}
	return out
}

// Lookup returns the built-in set called name (a copy).
func Lookup(name string) (Set, error) {
	if s := lookup(name); s != nil {
		return copySet(s), nil
	}
	return Set{}, fmt.Errorf("likelihood: unknown data set %q; built-in sets: %s", name, strings.Join(setNames(), ", "))
}

// Remotes returns the files data.Fetch can download for the built-in sets
// (copies).
func Remotes() []data.Remote {
	var out []data.Remote
	for i := range sets {
		if sets[i].Cov != nil {
			out = append(out, *sets[i].Cov)
		}
	}
	return out
}

// LookupRemote returns the remote file called name ("pantheonplus-cov"), a
// copy.
func LookupRemote(name string) (data.Remote, error) {
	var names []string
	for _, r := range Remotes() {
		if r.Name == name {
			return r, nil
		}
		names = append(names, r.Name)
	}
	return data.Remote{}, fmt.Errorf("likelihood: unknown remote file %q; known: %s", name, strings.Join(names, ", "))
}

func lookup(name string) *Set {
	for i := range sets {
		if sets[i].Name == name {
			return &sets[i]
		}
	}
	return nil
}

func copySet(s *Set) Set {
	c := *s
	if s.Cov != nil {
		r := *s.Cov
		c.Cov = &r
	}
	c.Excludes = slices.Clone(s.Excludes)
	return c
}

func setNames() []string {
	names := make([]string, len(sets))
	for i := range sets {
		names[i] = sets[i].Name
	}
	return names
}

// fileFormats open the files of the specs FORMAT:TABLE[:COV] (see Open),
// in the order error messages list them.
var fileFormats = []struct {
	prefix string
	open   func(table, cov string, o *Options) (Likelihood, string, error)
}{
	{"hz", openHzFiles},
	{"bao", openBAOFiles},
	{"sn", openSNFiles},
}

// Open returns the likelihood of the data set named by spec, and a warning
// the user should read ("" if none). spec is one of
//
//	NAME             a built-in set (Sets): cc31, desi-dr2, union3, …
//	NAME:COVFILE     a built-in set whose covariance is fetched (pantheonplus,
//	                 desy5) with that covariance file
//	hz:TABLE[:COV]   H(z) data (data.ParseHz), optional covariance (data.ParseCov)
//	bao:MEAN[:COV]   BAO data (data.ParseBAO) and covariance (data.ParseCov);
//	                 the covariance may be left out if MEAN has an error column
//	sn:TABLE[:COV]   a supernova table (data.ParseSN) and covariance in the
//	                 releases' format (data.ParseSNCov), used as the full
//	                 covariance; without COV, diag(error²) of the table's
//	                 error column, with a warning
//	FILE             any other string without ':' is read as hz:FILE
//
// File names are split at ':', so they cannot contain one. Built-in names
// win over files: if a file of that name exists in the working directory,
// it is not read and the warning says so (hz:./NAME reads it).
//
// A set whose covariance is fetched needs it: given in the spec, or found
// in the cache directory (checked against its git blob SHA-1), or else Open
// fails saying how to get it, unless o.DiagOnly is set.
//
// Every data set is validated and its covariance Cholesky-factorized, so
// that bad data are refused here with an error naming the file.
func Open(spec string, o *Options) (Likelihood, string, error) {
	var opt Options
	if o != nil {
		opt = *o
	}
	if s := lookup(spec); s != nil {
		l, warn, err := s.Load(&opt)
		if err != nil {
			return nil, "", err
		}
		if fi, err := os.Stat(spec); err == nil && fi.Mode().IsRegular() {
			warn = joinWarning(fmt.Sprintf("%q is the built-in data set; the file %s in the working directory is not read (use hz:./%s, bao:./%s or sn:./%s to read it)", spec, spec, spec, spec, spec), warn)
		}
		return l, warn, nil
	}
	prefix, rest, hasColon := strings.Cut(spec, ":")
	if !hasColon {
		if spec == "" {
			return nil, "", fmt.Errorf("likelihood: empty data set name; built-in sets: %s", strings.Join(setNames(), ", "))
		}
		if _, err := os.Stat(spec); errors.Is(err, fs.ErrNotExist) {
			return nil, "", fmt.Errorf("likelihood: unknown data set %q: not a built-in set (%s) nor a file; files are given as hz:FILE, bao:MEAN[:COV], sn:TABLE[:COV]", spec, strings.Join(setNames(), ", "))
		}
		return openHzFiles(spec, "", &opt)
	}
	parts := strings.Split(rest, ":")
	if len(parts) > 2 || parts[0] == "" || (len(parts) == 2 && parts[1] == "") {
		return nil, "", fmt.Errorf("likelihood: bad data spec %q: want %s:FILE[:COV] (file names cannot contain ':')", spec, prefix)
	}
	file, cov := parts[0], ""
	if len(parts) == 2 {
		cov = parts[1]
	}
	for _, f := range fileFormats {
		if f.prefix == prefix {
			return f.open(file, cov, &opt)
		}
	}
	if s := lookup(prefix); s != nil && s.Cov != nil {
		if cov != "" {
			return nil, "", fmt.Errorf("likelihood: bad data spec %q: want %s:COVFILE", spec, prefix)
		}
		if opt.DiagOnly {
			return nil, "", fmt.Errorf("likelihood: %s: both a covariance file and the diagonal-only option: choose one", spec)
		}
		opt.CovFile = file
		return s.Load(&opt)
	}
	var want []string
	for _, f := range fileFormats {
		want = append(want, f.prefix+":")
	}
	for i := range sets {
		if sets[i].Cov != nil {
			want = append(want, sets[i].Name+":")
		}
	}
	return nil, "", fmt.Errorf("likelihood: bad data spec %q: unknown prefix %q; want %s, or a built-in set (%s)", spec, prefix, strings.Join(want, ", "), strings.Join(setNames(), ", "))
}

func joinWarning(a, b string) string {
	if b == "" {
		return a
	}
	return a + "; " + b
}

func openHzFiles(table, cov string, _ *Options) (Likelihood, string, error) {
	d, err := data.ReadHz(table)
	if err == nil && cov != "" {
		err = attachCovFile(d, cov)
	}
	return newHz(d, err)
}

func openBAOFiles(mean, cov string, _ *Options) (Likelihood, string, error) {
	d, err := data.ReadBAO(mean)
	if err != nil {
		return nil, "", err
	}
	if cov == "" {
		if d.Cov == nil {
			return nil, "", fmt.Errorf("likelihood: %s: no covariance: give bao:%s:COVFILE or a column of errors (z value error quantity)", mean, mean)
		}
		return newBAO(d, nil)
	}
	return newBAO(d, attachCovFile(d, cov))
}

// attachCovFile reads the row-format covariance in the file cov into d
// (data.Hz or data.BAO).
func attachCovFile(d interface{ AttachCov(io.Reader, string) error }, cov string) error {
	f, err := atomicfile.OpenInput(cov, atomicfile.MaxInput)
	if err != nil {
		return fmt.Errorf("likelihood: %w", err)
	}
	defer f.Close()
	return d.AttachCov(f, cov)
}

func openSNFiles(table, cov string, o *Options) (Likelihood, string, error) {
	d, err := data.ReadSN(table)
	if err != nil {
		return nil, "", err
	}
	if cov == "" {
		if d.MagErr == nil {
			return nil, "", fmt.Errorf("likelihood: %s: no covariance: give sn:%s:COVFILE or an error column (m_b_corr_err_DIAG, MUERR_FINAL, MUERR or dmb)", table, table)
		}
		if err := d.SetDiagonal(); err != nil {
			return nil, "", err
		}
		return newSN(d, o)
	}
	c, err := data.ReadSNCov(cov, d.Len())
	if err != nil {
		return nil, "", err
	}
	if err := d.SetCov(c, cov, cov); err != nil {
		return nil, "", err
	}
	return newSN(d, o)
}

// newHz, newBAO and newSN validate loaded data and make their likelihood;
// err is the loader's, passed through.
func newHz(d *data.Hz, err error) (Likelihood, string, error) {
	if err == nil {
		err = d.Validate()
	}
	if err != nil {
		return nil, "", err
	}
	l, err := NewHz(d)
	return l, "", err
}

func newBAO(d *data.BAO, err error) (Likelihood, string, error) {
	if err == nil {
		err = d.Validate()
	}
	if err != nil {
		return nil, "", err
	}
	l, err := NewBAO(d)
	return l, "", err
}

func newSN(d *data.SN, o *Options) (Likelihood, string, error) {
	if err := d.Validate(); err != nil {
		return nil, "", err
	}
	l, err := NewSN(d, &o.SN)
	if err != nil {
		return nil, "", err
	}
	var warn string
	if d.DiagOnly {
		warn = fmt.Sprintf("%s: diagonal errors only (%s), not the full covariance: the fit is not the published one", d.Name, d.ErrColumn)
	}
	return l, warn, nil
}
