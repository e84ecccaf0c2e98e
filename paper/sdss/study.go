package sdss

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/cosmoemu/cosmoemu/nn"
)

// StudySettings choose what Study does beyond training the classifier.
// A nil *StudySettings means none of it.
type StudySettings struct {
	// Physical also trains the same recipe on PhysicalFeatures alone (no
	// identifier columns), unless those are the features already.
	Physical bool
	// Importance is the number of shuffles per feature of the permutation
	// importance on the test set; 0 skips it.
	Importance int
	// Progress, if set, is called after each epoch of each training with
	// the training's number (from 0) and the number of trainings.
	Progress func(run, runs int, e nn.Epoch)
}

// StudyResult is the outcome of Study.
type StudyResult struct {
	Classifier *Classifier
	Report     *Report
	Table      *Table // the rows read, with the classifier's and the physical features
	Counts     []int  // rows of each class in the table

	// Physical is the report of the recipe trained on PhysicalFeatures
	// (nil if not asked for, or if the features are those).
	Physical *Report
	// Importance holds the permutation importance of each of the
	// classifier's features on the test set (nil if not asked for).
	Importance []float64
}

// Study is the paper's Section 6 experiment on the labelled CSV table at
// path: it trains a classifier with s, then, as st asks, the same recipe
// on the physical features alone and the permutation importance of the
// features on the test set (seeded by s.Seed). Both classifiers use the
// same split.
func Study(ctx context.Context, path string, s *Settings, st *StudySettings) (*StudyResult, error) {
	c, err := s.withDefaults()
	if err != nil {
		return nil, err
	}
	var opt StudySettings
	if st != nil {
		opt = *st
	}
	if opt.Importance < 0 {
		return nil, fmt.Errorf("sdss: %d permutation repeats, want 0 (none) or more", opt.Importance)
	}
	physical := opt.Physical && !slices.Equal(c.Features, PhysicalFeatures)
	features, runs := c.Features, 1
	if physical {
		features, runs = union(c.Features, PhysicalFeatures), 2
	}
	t, err := ReadFile(path, features, true)
	if err != nil {
		return nil, err
	}
	r := &StudyResult{Table: t, Counts: make([]int, len(Classes))}
	for _, k := range t.Class {
		r.Counts[k]++
	}
	progress := func(run int, s *Settings) {
		cb := s.Callback
		s.Callback = func(e nn.Epoch) error {
			if opt.Progress != nil {
				opt.Progress(run, runs, e)
			}
			if cb != nil {
				return cb(e)
			}
			return nil
		}
	}
	main := *c
	progress(0, &main)
	if r.Classifier, r.Report, err = Train(ctx, t, &main); err != nil {
		return nil, err
	}
	if opt.Importance > 0 {
		test, err := t.Columns(r.Classifier.Features)
		if err != nil {
			return nil, err
		}
		r.Importance, err = Importance(r.Classifier, test.Subset(r.Report.Split.Test), opt.Importance, rand.New(rand.NewPCG(c.Seed, 0x1b9)))
		if err != nil {
			return nil, err
		}
	}
	if physical {
		p := *c
		p.Features = PhysicalFeatures
		progress(1, &p)
		if _, r.Physical, err = Train(ctx, t, &p); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// union returns a followed by the elements of b not in a.
func union(a, b []string) []string {
	out := slices.Clone(a)
	for _, x := range b {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// ParseFeatures returns the feature columns named by spec: "paper"
// (PaperFeatures), "physical" (PhysicalFeatures) or a comma-separated list
// of columns, each once.
func ParseFeatures(spec string) ([]string, error) {
	switch spec {
	case "paper":
		return PaperFeatures, nil
	case "physical":
		return PhysicalFeatures, nil
	}
	f := strings.Split(spec, ",")
	for i := range f {
		f[i] = strings.TrimSpace(f[i])
		if f[i] == "" || slices.Contains(f[:i], f[i]) {
			return nil, fmt.Errorf("sdss: features %q: empty or repeated column", spec)
		}
	}
	return f, nil
}

// WriteLabels writes one CSV line per row of t to w: its line in t's file,
// the most probable class, the class probabilities and, if t has one, the
// given class. A header line names the columns.
func (c *Classifier) WriteLabels(w io.Writer, t *Table) error {
	var p mat.Dense
	if err := c.Probabilities(&p, t); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	header := []string{"line", "predicted"}
	for _, name := range c.Classes {
		header = append(header, "p_"+name)
	}
	if t.Class != nil {
		header = append(header, "class")
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	best := argmaxRows(&p)
	rec := make([]string, 0, len(header))
	for r := range t.Rows() {
		rec = append(rec[:0], strconv.Itoa(t.Line[r]), c.Classes[best[r]])
		for _, v := range p.RawRowView(r) {
			rec = append(rec, strconv.FormatFloat(v, 'g', 6, 64))
		}
		if t.Class != nil {
			rec = append(rec, c.Classes[t.Class[r]])
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
