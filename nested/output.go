package nested

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/cosmoemu/cosmoemu/chains"
	"github.com/cosmoemu/cosmoemu/internal/atomicfile"
)

// File name suffixes after ROOT of the arrays (package chains owns the
// rest of the layout).
const (
	samplesSuffix  = ".samples.npy"
	weightsSuffix  = ".weights.npy"
	logLSuffix     = ".logl.npy"
	evidenceSuffix = ".evidence.json"
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
	// LogLikeNorm is Settings.LogLikeNorm: ln L − LogLikeNorm is minus
	// the second column of ROOT.txt.
	LogLikeNorm float64 `json:"log_like_norm"`
	Samples     int     `json:"samples"`
}

// WriteGetDist writes the weighted samples under the path prefix root,
// each file atomically (without the lock and the checks of a run's root:
// Run with Settings.Root writes the same files there):
//
//	ROOT.txt            GetDist/CosmoMC chain: weight (normalized, Σ = 1),
//	                    −(ln L − LogLikeNorm), then the parameters; one row
//	                    per sample
//	ROOT.paramnames     one line per parameter: name, tab, LaTeX label
//	ROOT.properties.ini sampler = nested, ignore_rows = 0, for GetDist
//	ROOT.samples.npy    float64 array (samples, Dim) of θ
//	ROOT.weights.npy    float64 array (samples,) of the weights
//	ROOT.logl.npy       float64 array (samples,) of ln L
//	ROOT.evidence.json  ln Z, its error, H, ESS, calls, … (Evidence)
//
// names must be non-empty without blanks; labels (LaTeX without dollars)
// default to the names.
func (r *Result) WriteGetDist(root string, names, labels []string) error {
	_, d := r.Samples.Dims()
	cols, err := chains.Columns{Names: names, Labels: labels}.Normalize(d)
	if err != nil {
		return fmt.Errorf("nested: %w", err)
	}
	if names == nil {
		return errors.New("nested: no parameter names")
	}
	if root == "" {
		return errors.New("nested: empty output path prefix")
	}
	return r.write(root, cols)
}

// write writes the files of WriteGetDist, with .ranges if cols has ranges.
func (r *Result) write(root string, cols chains.Columns) error {
	rows, d := r.Samples.Dims()
	w := r.Weights()
	raw := r.Samples.RawMatrix()
	err := atomicfile.Write(root+chains.TextSuffix, func(out io.Writer) error {
		var line []byte
		for i := range rows {
			line = chains.AppendRow(line[:0], w[i], r.LogLikeNorm-r.LogL[i], raw.Data[i*raw.Stride:i*raw.Stride+d], nil)
			if _, err := out.Write(line); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("nested: %w", err)
	}
	if err := chains.WriteColumnFiles(root, cols); err != nil {
		return fmt.Errorf("nested: %w", err)
	}
	if err := chains.WriteProperties(root, chains.Properties{Sampler: "nested"}); err != nil {
		return fmt.Errorf("nested: %w", err)
	}
	theta := raw.Data
	if raw.Stride != d {
		theta = make([]float64, 0, rows*d)
		for i := range rows {
			theta = append(theta, raw.Data[i*raw.Stride:i*raw.Stride+d]...)
		}
	}
	for _, a := range []struct {
		suffix string
		shape  []int
		data   []float64
	}{{samplesSuffix, []int{rows, d}, theta}, {weightsSuffix, []int{rows}, w}, {logLSuffix, []int{rows}, r.LogL}} {
		if _, err := chains.WriteNpy(root+a.suffix, a.shape, a.data); err != nil {
			return fmt.Errorf("nested: %w", err)
		}
	}
	ev := Evidence{
		LogZ: r.LogZ, LogZErr: r.LogZErr, Information: r.Information, ESS: r.ESS,
		Live: r.Live, Iterations: r.Iterations, Calls: r.Calls, Stop: r.Stop,
		LogPriorFraction: r.LogPriorFraction, LogLikeNorm: r.LogLikeNorm, Samples: rows,
	}
	b, err := json.MarshalIndent(ev, "", "  ")
	if err != nil {
		return fmt.Errorf("nested: %w", err)
	}
	if err := atomicfile.WriteBytes(root+evidenceSuffix, append(b, '\n')); err != nil {
		return fmt.Errorf("nested: %w", err)
	}
	return nil
}
