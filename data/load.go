package data

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
)

// Dataset is one loaded data set: Kind says which one of the pointers is
// set.
type Dataset struct {
	Kind Kind
	Hz   *Hz
	BAO  *BAO
	SN   *SN
	CMB  *CMB
	H0   *H0
	// Warning, if not empty, is one line the caller should print: a local
	// file named like the built-in set that was loaded instead, or a
	// diagonal-only supernova covariance.
	Warning string
}

// Name returns the name of the loaded set.
func (d *Dataset) Name() string {
	switch d.Kind {
	case KindHz:
		return d.Hz.Name
	case KindBAO:
		return d.BAO.Name
	case KindSN:
		return d.SN.Name
	case KindCMB:
		return d.CMB.Name
	case KindH0:
		return d.H0.Name
	}
	return ""
}

// Options tunes Load. A nil *Options means the zero value.
type Options struct {
	// DiagOnly lets pantheonplus and desy5 load without their covariance
	// file, with the diagonal errors of their tables (m_b_corr_err_DIAG²
	// and MUERR_FINAL²) instead; SN.DiagOnly is then set. A covariance in
	// the cache directory is not used. Pantheon+ forbids fits with its
	// diagonal errors: use it for quick looks only. Other sets ignore it.
	DiagOnly bool
	// CacheDir is where fetched covariances are (see Fetch); "" means
	// DefaultCacheDir().
	CacheDir string
}

// SDSSDR12RdFid is the fiducial sound horizon r_d,fid = 147.78 Mpc of the
// SDSS DR12 consensus BAO values.
const SDSSDR12RdFid = 147.78

// pantheonPlusZMin is the lower redshift cut of the "Pantheon+ only" fit.
const pantheonPlusZMin = 0.01

// Load loads a data set. spec is one of
//
//	NAME                  a built-in set (Sets): cc31, simulated20, desi-dr1,
//	                      desi-dr1-eboss-lya, desi-dr2, sdss-dr12, union3,
//	                      pantheonplus, desy5, planck18-distance, sh0es
//	pantheonplus:COVFILE  Pantheon+ with its STAT+SYS covariance file
//	desy5:COVFILE         DES-SN5YR with its STAT+SYS covariance file
//	hz:TABLE[:COV]        H(z) data (ParseHz), optional covariance (ParseCov)
//	bao:MEAN[:COV]        BAO data (ParseBAO) and covariance (ParseCov); the
//	                      covariance may be left out if MEAN has an error column
//	sn:TABLE[:COV]        a supernova table (ParseSN) and covariance in the
//	                      releases' format (ParseSNCov), used as the full
//	                      covariance; without COV, diag(error²) of the table's
//	                      error column, with SN.DiagOnly set
//	FILE                  any other string without ':' is read as hz:FILE
//
// File names are split at ':', so they cannot contain one. Built-in names
// win over files: if a file of that name exists in the working directory,
// it is not read and Dataset.Warning says so (hz:./NAME reads it).
//
// pantheonplus and desy5 need their covariance file: given in the spec, or
// found in the cache directory (checked against its git blob SHA-1), or
// else Load fails saying how to get it, unless opt.DiagOnly is set.
//
// Every loaded set is validated, and covariances are Cholesky-factorized
// (Hz.Chol, BAO.Chol, SN.Chol), so that a bad matrix is refused here with
// an error naming its file.
func Load(spec string, opt *Options) (*Dataset, error) {
	if opt == nil {
		opt = &Options{}
	}
	if load, ok := builtin[spec]; ok {
		d, err := load(opt)
		if err != nil {
			return nil, err
		}
		if fi, err := os.Stat(spec); err == nil && fi.Mode().IsRegular() {
			d.Warning = joinWarning(fmt.Sprintf("%q is the built-in data set; the file %s in the working directory is not read (use hz:./%s, bao:./%s or sn:./%s to read it)", spec, spec, spec, spec, spec), d.Warning)
		}
		return d, nil
	}
	prefix, rest, hasColon := strings.Cut(spec, ":")
	if !hasColon {
		if spec == "" {
			return nil, fmt.Errorf("data: empty data set name; built-in sets: %s", strings.Join(setNames(), ", "))
		}
		if _, err := os.Stat(spec); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("data: unknown data set %q: not a built-in set (%s) nor a file; files are given as hz:FILE, bao:MEAN[:COV], sn:TABLE[:COV]", spec, strings.Join(setNames(), ", "))
		}
		return loadHzFiles(spec, "")
	}
	parts := strings.Split(rest, ":")
	if len(parts) > 2 || parts[0] == "" || (len(parts) == 2 && parts[1] == "") {
		return nil, fmt.Errorf("data: bad data spec %q: want %s:FILE[:COV] (file names cannot contain ':')", spec, prefix)
	}
	file, cov := parts[0], ""
	if len(parts) == 2 {
		cov = parts[1]
	}
	switch prefix {
	case "hz":
		return loadHzFiles(file, cov)
	case "bao":
		return loadBAOFiles(file, cov)
	case "sn":
		return loadSNFiles(file, cov)
	case "pantheonplus", "desy5":
		if cov != "" {
			return nil, fmt.Errorf("data: bad data spec %q: want %s:COVFILE", spec, prefix)
		}
		if opt.DiagOnly {
			return nil, fmt.Errorf("data: %s: both a covariance file and the diagonal-only option: choose one", spec)
		}
		return loadRemoteSN(prefix, file)
	}
	return nil, fmt.Errorf("data: bad data spec %q: unknown prefix %q; want hz:, bao:, sn:, pantheonplus: or desy5:, or a built-in set (%s)", spec, prefix, strings.Join(setNames(), ", "))
}

func joinWarning(a, b string) string {
	if b == "" {
		return a
	}
	return a + "; " + b
}

// builtin loads the built-in sets by name.
var builtin = map[string]func(*Options) (*Dataset, error){
	"cc31": func(*Options) (*Dataset, error) {
		return hzDataset(ParseHz(bytes.NewReader(cc31File), "cc31"))
	},
	"simulated20": func(*Options) (*Dataset, error) {
		return hzDataset(parseSimulated20(bytes.NewReader(simulated20File), "simulated20"))
	},
	"desi-dr1": func(*Options) (*Dataset, error) {
		return baoDataset(builtinBAO("desi-dr1", desiDR1Mean, desiDR1Cov, 0))
	},
	"desi-dr1-eboss-lya": func(*Options) (*Dataset, error) {
		dr1, err := builtinBAO("desi-dr1", desiDR1Mean, desiDR1Cov, 0)
		if err != nil {
			return nil, err
		}
		alt, err := builtinBAO("desi-dr1-eboss-lya", desiDR1EBOSSLyaMean, desiDR1EBOSSLyaCov, 0)
		if err != nil {
			return nil, err
		}
		d, err := replaceLya(dr1, alt)
		if err == nil {
			d.Name = "desi-dr1-eboss-lya"
		}
		return baoDataset(d, err)
	},
	"desi-dr2": func(*Options) (*Dataset, error) {
		return baoDataset(builtinBAO("desi-dr2", desiDR2Mean, desiDR2Cov, 0))
	},
	"sdss-dr12": func(*Options) (*Dataset, error) {
		return baoDataset(builtinBAO("sdss-dr12", sdssDR12Mean, sdssDR12Cov, SDSSDR12RdFid))
	},
	"union3": func(*Options) (*Dataset, error) {
		d, err := ParseSN(bytes.NewReader(union3Table), "union3")
		if err != nil {
			return nil, err
		}
		cov, err := ParseSNCov(bytes.NewReader(union3Cov), "union3 mag_covmat.txt", d.Len())
		if err != nil {
			return nil, err
		}
		if err := d.setCov(cov, nil, false, "union3 mag_covmat.txt", "embedded"); err != nil {
			return nil, err
		}
		return snDataset(d, nil)
	},
	"pantheonplus": func(opt *Options) (*Dataset, error) { return loadCachedSN("pantheonplus", opt) },
	"desy5":        func(opt *Options) (*Dataset, error) { return loadCachedSN("desy5", opt) },
	"planck18-distance": func(*Options) (*Dataset, error) {
		c, err := ParseCMB(bytes.NewReader(planck18DistanceFile), "planck18-distance")
		if err != nil {
			return nil, err
		}
		if err := c.Validate(); err != nil {
			return nil, err
		}
		return &Dataset{Kind: KindCMB, CMB: c}, nil
	},
	"sh0es": func(*Options) (*Dataset, error) {
		return &Dataset{Kind: KindH0, H0: &H0{Name: "sh0es", Mean: 73.04, Sigma: 1.04}}, nil
	},
}

func builtinBAO(name string, mean, cov []byte, rdFid float64) (*BAO, error) {
	d, err := parseBAO(bytes.NewReader(mean), name, rdFid)
	if err != nil {
		return nil, err
	}
	if err := d.withCov(bytes.NewReader(cov), name+" covariance"); err != nil {
		return nil, err
	}
	return d, nil
}

func hzDataset(d *Hz, err error) (*Dataset, error) {
	if err != nil {
		return nil, err
	}
	if err := d.Validate(); err != nil {
		return nil, err
	}
	return &Dataset{Kind: KindHz, Hz: d}, nil
}

func baoDataset(d *BAO, err error) (*Dataset, error) {
	if err != nil {
		return nil, err
	}
	if err := d.Validate(); err != nil {
		return nil, err
	}
	return &Dataset{Kind: KindBAO, BAO: d}, nil
}

func snDataset(d *SN, err error) (*Dataset, error) {
	if err != nil {
		return nil, err
	}
	if err := d.Validate(); err != nil {
		return nil, err
	}
	ds := &Dataset{Kind: KindSN, SN: d}
	if d.DiagOnly {
		ds.Warning = fmt.Sprintf("%s: diagonal errors only (%s), not the full covariance: the fit is not the published one", d.Name, d.ErrColumn)
	}
	return ds, nil
}

func loadHzFiles(table, cov string) (*Dataset, error) {
	d, err := ReadHz(table)
	if err != nil {
		return nil, err
	}
	if cov != "" {
		f, err := os.Open(cov)
		if err != nil {
			return nil, fmt.Errorf("data: %w", err)
		}
		defer f.Close()
		if d.Cov, d.Chol, err = parseCov(f, cov, d.Len()); err != nil {
			return nil, err
		}
	}
	return hzDataset(d, nil)
}

func loadBAOFiles(mean, cov string) (*Dataset, error) {
	d, err := ReadBAO(mean)
	if err != nil {
		return nil, err
	}
	if cov == "" {
		if d.Cov == nil {
			return nil, fmt.Errorf("data: %s: no covariance: give bao:%s:COVFILE or a column of errors (z value error quantity)", mean, mean)
		}
		return baoDataset(d, nil)
	}
	f, err := os.Open(cov)
	if err != nil {
		return nil, fmt.Errorf("data: %w", err)
	}
	defer f.Close()
	if err := d.withCov(f, cov); err != nil {
		return nil, err
	}
	return baoDataset(d, nil)
}

func loadSNFiles(table, cov string) (*Dataset, error) {
	d, err := ReadSN(table)
	if err != nil {
		return nil, err
	}
	if cov == "" {
		if d.MagErr == nil {
			return nil, fmt.Errorf("data: %s: no covariance: give sn:%s:COVFILE or an error column (m_b_corr_err_DIAG, MUERR_FINAL, MUERR or dmb)", table, table)
		}
		if err := d.setDiagonal(); err != nil {
			return nil, err
		}
		return snDataset(d, nil)
	}
	c, err := ReadSNCov(cov, d.Len())
	if err != nil {
		return nil, err
	}
	if err := d.setCov(c, nil, false, cov, cov); err != nil {
		return nil, err
	}
	return snDataset(d, nil)
}

// loadCachedSN loads pantheonplus or desy5 with the covariance from the
// cache directory, or diagonal errors if opt.DiagOnly.
func loadCachedSN(name string, opt *Options) (*Dataset, error) {
	set, _ := Lookup(name)
	r := set.Cov
	if opt.DiagOnly {
		d, keep, err := remoteSNTable(name)
		if err != nil {
			return nil, err
		}
		if keep != nil {
			d.keepRows(keep)
		}
		if err := d.setDiagonal(); err != nil {
			return nil, err
		}
		return snDataset(d, nil)
	}
	dir, err := resolveCacheDir(opt.CacheDir)
	if err != nil {
		return nil, fmt.Errorf("data: %s needs its covariance %s, and there is no cache directory (%v): %s", name, r.File, err, howToGet(r, ""))
	}
	path := CachePath(r, dir)
	fi, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("data: %s needs its covariance %s, which is not in the cache (%s): %s", name, r.File, path, howToGet(r, path))
		}
		return nil, fmt.Errorf("data: %s: %w", name, err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("data: %s: the cached covariance %s is not a regular file", name, path)
	}
	if err := checkBlob(path, r.BlobSHA1); err != nil {
		return nil, fmt.Errorf("data: %s: the cached covariance is not the released file (%v): delete it and run `cosmoemu data get %s`", name, err, r.Name)
	}
	return loadRemoteSN(name, path)
}

// howToGet says how to obtain the covariance r.
func howToGet(r *Remote, path string) string {
	msg := fmt.Sprintf("run `cosmoemu data get %s`, or download %s by hand", r.Name, r.URL)
	if path != "" {
		msg += " to " + path
	}
	return msg + fmt.Sprintf(", or pass it with -data %s:FILE, or use -diag-only (diagonal errors, not the published fit)", r.Set)
}

// remoteSNTable parses the shipped table of pantheonplus or desy5 and
// returns the rows to keep (nil: all).
func remoteSNTable(name string) (*SN, []int, error) {
	switch name {
	case "pantheonplus":
		d, err := ParseSN(bytes.NewReader(pantheonPlusTable), "pantheonplus")
		if err != nil {
			return nil, nil, err
		}
		var keep []int
		for i, z := range d.Z {
			if z > pantheonPlusZMin {
				keep = append(keep, i)
			}
		}
		return d, keep, nil
	case "desy5":
		d, err := ParseSN(bytes.NewReader(desY5Table), "desy5")
		return d, nil, err
	}
	panic("data: no shipped table for " + name)
}

// loadRemoteSN loads pantheonplus or desy5 with the covariance file path.
func loadRemoteSN(name, path string) (*Dataset, error) {
	d, keep, err := remoteSNTable(name)
	if err != nil {
		return nil, err
	}
	cov, err := ReadSNCov(path, d.Len())
	if err != nil {
		return nil, err
	}
	// DES-SN5YR's STAT+SYS holds only the systematic part; the statistical
	// errors are MUERR_FINAL (its README, and Cobaya's desy5).
	if err := d.setCov(cov, keep, name == "desy5", path, path); err != nil {
		return nil, err
	}
	return snDataset(d, nil)
}
