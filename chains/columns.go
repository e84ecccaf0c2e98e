package chains

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/cosmoemu/cosmoemu/internal/atomicfile"
)

// Columns name the columns of a run's samples that follow the weight and
// −ln L: the sampled parameters, then the derived ones (quantities computed
// at each sample, such as r_d or the χ² of one data set, that GetDist
// plots and summarizes like parameters but knows were not sampled).
type Columns struct {
	// Names and Labels of the sampled parameters; Labels (LaTeX without
	// dollars) default to the names.
	Names, Labels []string
	// Ranges, if set, are the prior ranges [lo, hi] of the sampled
	// parameters, written to ROOT.ranges for GetDist's bounded kernels;
	// ±Inf marks an unbounded side.
	Ranges [][2]float64
	// Derived and DerivedLabels name the derived columns; DerivedLabels
	// default to the names.
	Derived, DerivedLabels []string
}

// Normalize returns a copy of c with default labels for dim sampled
// parameters (names x1, x2, … if c.Names is nil), or an error naming what
// is wrong: a count that does not match, an empty name or one with blanks
// (a .paramnames line is NAME, blank, LABEL), a name given twice, a label
// on several lines, a range with lo > hi or NaN.
func (c Columns) Normalize(dim int) (Columns, error) {
	if c.Names == nil {
		c.Names = make([]string, dim)
		for i := range c.Names {
			c.Names[i] = "x" + strconv.Itoa(i+1)
		}
	}
	if len(c.Names) != dim {
		return c, fmt.Errorf("%d names for %d parameters", len(c.Names), dim)
	}
	if c.Labels == nil {
		c.Labels = c.Names
	}
	if len(c.Labels) != dim {
		return c, fmt.Errorf("%d labels for %d parameters", len(c.Labels), dim)
	}
	if c.DerivedLabels == nil {
		c.DerivedLabels = c.Derived
	}
	if len(c.DerivedLabels) != len(c.Derived) {
		return c, fmt.Errorf("%d labels for %d derived parameters", len(c.DerivedLabels), len(c.Derived))
	}
	all := append(slices.Clip(c.Names), c.Derived...)
	labels := append(slices.Clip(c.Labels), c.DerivedLabels...)
	for i, n := range all {
		what := "parameter"
		if i >= dim {
			what = "derived parameter"
		}
		if n == "" || strings.ContainsAny(n, " \t\r\n") || strings.HasSuffix(n, "*") {
			return c, fmt.Errorf("%s name %q must be non-empty, without blanks or a trailing * (GetDist .paramnames)", what, n)
		}
		if slices.Index(all, n) != i {
			return c, fmt.Errorf("%s name %q is given twice", what, n)
		}
		if strings.ContainsAny(labels[i], "\r\n") {
			return c, fmt.Errorf("the label of %s is not one line: %q", n, labels[i])
		}
	}
	if c.Ranges != nil {
		if len(c.Ranges) != dim {
			return c, fmt.Errorf("%d ranges for %d parameters", len(c.Ranges), dim)
		}
		for i, r := range c.Ranges {
			if math.IsNaN(r[0]) || math.IsNaN(r[1]) || r[0] > r[1] || math.IsInf(r[0], 1) || math.IsInf(r[1], -1) {
				return c, fmt.Errorf("range %d of %s is [%g, %g]: want lo ≤ hi, ±Inf for an unbounded side", i+1, c.Names[i], r[0], r[1])
			}
		}
	}
	return c, nil
}

// writeParamNames writes ROOT.paramnames: one line per column, name, tab,
// label; derived columns get GetDist's trailing * after the name.
func writeParamNames(path string, c Columns) error {
	var b strings.Builder
	for i, n := range c.Names {
		fmt.Fprintf(&b, "%s\t%s\n", n, c.Labels[i])
	}
	for i, n := range c.Derived {
		fmt.Fprintf(&b, "%s*\t%s\n", n, c.DerivedLabels[i])
	}
	return atomicfile.WriteBytes(path, []byte(b.String()))
}

// writeRanges writes ROOT.ranges: name, lower and upper bound, N for an
// unbounded side, as GetDist reads it.
func writeRanges(path string, c Columns) error {
	bound := func(v float64) string {
		if math.IsInf(v, 0) {
			return "N"
		}
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	return atomicfile.Write(path, func(w io.Writer) error {
		for i, n := range c.Names {
			if _, err := fmt.Fprintf(w, "%s\t%s\t%s\n", n, bound(c.Ranges[i][0]), bound(c.Ranges[i][1])); err != nil {
				return err
			}
		}
		return nil
	})
}

// Properties are what ROOT.properties.ini tells GetDist about a run;
// GetDist's loadMCSamples reads them, and they override the analysis
// settings passed to it for this root.
type Properties struct {
	// Sampler is "mcmc" or "nested" (GetDist refuses to remove burn-in
	// from nested samples).
	Sampler string
	// IgnoreRows is the burn-in: the number of rows GetDist drops at the
	// start of each text chain.
	IgnoreRows int
}

// WriteProperties writes ROOT.properties.ini atomically.
func WriteProperties(root string, p Properties) error {
	s := fmt.Sprintf("sampler = %s\nignore_rows = %d\n", p.Sampler, p.IgnoreRows)
	return atomicfile.WriteBytes(root+PropertiesSuffix, []byte(s))
}

// AppendRow appends one row of a GetDist text chain to dst: the weight,
// −ln L, the parameters x and the derived values, each the shortest
// decimal that reads back to the same float64, separated by blanks, and a
// newline. A weight of exactly 1 is written as "1".
func AppendRow(dst []byte, weight, minusLogLike float64, x, derived []float64) []byte {
	if weight == 1 {
		dst = append(dst, '1')
	} else {
		dst = strconv.AppendFloat(dst, weight, 'g', -1, 64)
	}
	dst = append(dst, ' ')
	dst = strconv.AppendFloat(dst, minusLogLike, 'g', -1, 64)
	for _, v := range x {
		dst = append(dst, ' ')
		dst = strconv.AppendFloat(dst, v, 'g', -1, 64)
	}
	for _, v := range derived {
		dst = append(dst, ' ')
		dst = strconv.AppendFloat(dst, v, 'g', -1, 64)
	}
	return append(dst, '\n')
}
