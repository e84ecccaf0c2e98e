package nested

import (
	"encoding/json"
	"errors"
	"fmt"
	"github.com/cosmoemu/cosmoemu/internal/npyfile"
	"io"
	"strconv"
	"strings"
)

// File name suffixes after ROOT written by WriteGetDist.
const (
	textSuffix       = ".txt"
	paramNamesSuffix = ".paramnames"
	samplesSuffix    = ".samples.npy"
	weightsSuffix    = ".weights.npy"
	logLSuffix       = ".logl.npy"
	evidenceSuffix   = ".evidence.json"
)

// Evidence is the summary WriteGetDist stores in ROOT.evidence.json.
type Evidence struct {
	LogZ             float64 `json:"logz"`
	LogZErr          float64 `json:"logz_err"`
	Information      float64 `json:"information"`
	ESS              float64 `json:"ess"`
	Live             int     `json:"live"`
	Iterations       int     `json:"iterations"`
	Calls            int64   `json:"calls"`
	Stop             string  `json:"stop"`
	LogPriorFraction float64 `json:"log_prior_fraction"`
	Samples          int     `json:"samples"`
}

// WriteGetDist writes the weighted samples under the path prefix root,
// each file atomically:
//
//	ROOT.txt            GetDist/CosmoMC chain: weight (normalized, Σ = 1),
//	                    −ln L, then the parameters; one row per sample
//	ROOT.paramnames     one line per parameter: name, tab, LaTeX label
//	ROOT.samples.npy    float64 array (samples, Dim) of θ
//	ROOT.weights.npy    float64 array (samples,) of the weights
//	ROOT.logl.npy       float64 array (samples,) of ln L
//	ROOT.evidence.json  ln Z, its error, H, ESS, calls, … (Evidence)
//
// names must be non-empty without blanks; labels (LaTeX without dollars)
// default to the names.
func (r *Result) WriteGetDist(root string, names, labels []string) error {
	rows, d := r.Samples.Dims()
	if len(names) != d {
		return fmt.Errorf("nested: %d parameter names for %d parameters", len(names), d)
	}
	if labels == nil {
		labels = names
	}
	if len(labels) != d {
		return fmt.Errorf("nested: %d labels for %d parameters", len(labels), d)
	}
	for i, n := range names {
		if n == "" || strings.ContainsAny(n, " \t\r\n") {
			return fmt.Errorf("nested: parameter name %d %q must be non-empty without blanks (GetDist .paramnames)", i+1, n)
		}
		if strings.ContainsAny(labels[i], "\r\n") {
			return fmt.Errorf("nested: label %d %q must be one line", i+1, labels[i])
		}
	}
	if root == "" {
		return errors.New("nested: empty output path prefix")
	}
	w := r.Weights()
	raw := r.Samples.RawMatrix()
	err := writeAtomic(root+textSuffix, func(out io.Writer) error {
		var line []byte
		for i := range rows {
			line = strconv.AppendFloat(line[:0], w[i], 'g', -1, 64)
			line = append(line, ' ')
			line = strconv.AppendFloat(line, -r.LogL[i], 'g', -1, 64)
			for _, v := range raw.Data[i*raw.Stride : i*raw.Stride+d] {
				line = append(line, ' ')
				line = strconv.AppendFloat(line, v, 'g', -1, 64)
			}
			line = append(line, '\n')
			if _, err := out.Write(line); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = writeAtomic(root+paramNamesSuffix, func(out io.Writer) error {
		for i, n := range names {
			if _, err := fmt.Fprintf(out, "%s\t%s\n", n, labels[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	theta := raw.Data
	if raw.Stride != d {
		theta = make([]float64, 0, rows*d)
		for i := range rows {
			theta = append(theta, raw.Data[i*raw.Stride:i*raw.Stride+d]...)
		}
	}
	if err := writeNpyFile(root+samplesSuffix, []int{rows, d}, theta); err != nil {
		return err
	}
	if err := writeNpyFile(root+weightsSuffix, []int{rows}, w); err != nil {
		return err
	}
	if err := writeNpyFile(root+logLSuffix, []int{rows}, r.LogL); err != nil {
		return err
	}
	ev := Evidence{
		LogZ: r.LogZ, LogZErr: r.LogZErr, Information: r.Information, ESS: r.ESS,
		Live: r.Live, Iterations: r.Iterations, Calls: r.Calls, Stop: r.Stop,
		LogPriorFraction: r.LogPriorFraction, Samples: rows,
	}
	return writeAtomic(root+evidenceSuffix, func(out io.Writer) error {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(ev)
	})
}

// writeNpyFile writes data as a little-endian float64 NumPy array (.npy
// format 1.0, C order) of the given shape. It is the writer of mcmc's
// output.go (unexported there): npyio encodes N-dimensional data element by
// element through reflection, about 100 times slower.
func writeNpyFile(path string, shape []int, data []float64) error {
	return writeAtomic(path, func(w io.Writer) error { return npyfile.Write(w, shape, data) })
}
