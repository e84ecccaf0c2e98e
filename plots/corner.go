// Package plots draws the figures of cosmoemu with gonum.org/v1/plot.
package plots

import (
	"cmp"
	"errors"
	"fmt"
	"image/color"
	"math"
	"math/bits"
	"slices"
	"sort"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Samples is one set of posterior samples in a corner plot.
type Samples struct {
	Name    string      // legend entry; "" leaves the set out of the legend
	X       *mat.Dense  // one sample per row, one parameter per column
	Weights []float64   // optional weight of each row (nil: all 1)
	Color   color.Color // nil: the next colour of DefaultColors
}

// CornerOptions tune Corner; a nil pointer means the defaults.
type CornerOptions struct {
	// Labels are the axis labels in a small subset of LaTeX without
	// dollars (e.g. `\Omega_{m0}`): Greek letters, _ and ^ with one
	// character or a {group}, \mathrm{…}; default the parameter names, as
	// plain text.
	Labels []string
	// Size is the width and height of the image in pixels, at most
	// MaxPixels and at least 50 per parameter; default max(600, 320 per
	// parameter).
	Size int
	// DPI is the resolution used to size the text, in [10, 1200]; default
	// 120.
	DPI int
	// Bins is the number of histogram bins per axis, in [4, 1000] and at
	// most Size; default 40.
	Bins int
	// Smooth is the standard deviation, in bins, of the Gaussian that
	// smooths the histograms, at most Bins; 0 means the default 1, a
	// negative value turns smoothing off.
	Smooth float64
	// Levels are the credible masses of the 2-D contours, at most 10;
	// default 0.68 and 0.95. The contour of mass m encloses the smallest
	// (densest) set of bins holding a fraction m of the weight.
	Levels []float64
	// Ranges fix the axis range of parameter i when Ranges[i][0] <
	// Ranges[i][1] (then both must be finite and at least minSpan apart);
	// otherwise it spans the 0.1–99.9% quantiles of all sets, padded by
	// 5% (and any truth). A parameter whose samples spread over less than
	// a billionth of their magnitude gets a range of ±0.5% around them,
	// where its marginal is drawn as a spike: finer bins would fall below
	// the resolution of float64, where the contouring breaks down.
	Ranges [][2]float64
	// Truths marks true or best-fit values (NaN for none) with dashed
	// lines, labelled TruthLabel in the legend.
	Truths     []float64
	TruthLabel string
	// Points draws up to MaxPoints samples of each set (default 2000, at
	// most 100,000, evenly thinned) behind the contours.
	Points    bool
	MaxPoints int
	// Title is written at the top right.
	Title string
}

// DefaultColors are the colours of the sample sets, in order.
var DefaultColors = []color.Color{
	color.RGBA{R: 0x00, G: 0x4c, B: 0x99, A: 0xff}, // dark blue
	color.RGBA{R: 0xd6, G: 0x27, B: 0x28, A: 0xff}, // red
	color.RGBA{R: 0x2c, G: 0xa0, B: 0x2c, A: 0xff}, // green
	color.RGBA{R: 0xff, G: 0x7f, B: 0x0e, A: 0xff}, // orange
	color.RGBA{R: 0x94, G: 0x67, B: 0xbd, A: 0xff}, // purple
}

// Corner draws a corner plot of the sample sets as a PNG at path: the 1-D
// marginal densities on the diagonal (smoothed histograms scaled to a peak
// of 1), the 2-D credible contours below it, optional samples and truth
// markers, and a legend in the top right corner. The file is written
// atomically (temporary file, then rename). names label the parameters,
// one per column of every set.
func Corner(path string, sets []Samples, names []string, opt *CornerOptions) (err error) {
	o, err := cornerDefaults(sets, names, opt)
	if err != nil {
		return err
	}
	n := len(names)
	ranges, err := cornerRanges(sets, names, o)
	if err != nil {
		return err
	}
	colors := make([]color.Color, len(sets))
	next := 0
	for k, s := range sets {
		colors[k] = s.Color
		if colors[k] == nil {
			colors[k] = DefaultColors[next%len(DefaultColors)]
			next++
		}
	}

	canvas := newCanvas(o.Size, o.Size, o.DPI)
	// The text handlers may panic on a label they cannot parse: report
	// that as an error, not a crash.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("plots: drawing the corner plot: %v", r)
		}
	}()
	plots := make([][]*plot.Plot, n)
	for i := range n {
		plots[i] = make([]*plot.Plot, n)
		for j := 0; j <= i; j++ {
			p, err := cornerPanel(i, j, sets, colors, ranges, o)
			if err != nil {
				return err
			}
			plots[i][j] = p
		}
	}
	dc := draw.New(canvas)
	pad := vg.Length(o.Size) / vg.Length(o.DPI) * vg.Inch / 80
	tiles := draw.Tiles{Rows: n, Cols: n, PadX: pad, PadY: pad, PadTop: pad, PadBottom: pad, PadLeft: pad, PadRight: 2 * pad}
	cells := plot.Align(plots, tiles, dc)
	for i := range n {
		for j := 0; j <= i; j++ {
			plots[i][j].Draw(cells[i][j])
		}
	}
	if err := cornerLegend(dc, cells, sets, colors, o, n); err != nil {
		return err
	}
	return writePNG(path, canvas)
}

// cornerOptions are CornerOptions with defaults filled in.
type cornerOptions struct {
	CornerOptions
	latex bool
}

func cornerDefaults(sets []Samples, names []string, opt *CornerOptions) (*cornerOptions, error) {
	n := len(names)
	if n == 0 {
		return nil, errors.New("plots: corner plot without parameters")
	}
	if len(sets) == 0 {
		return nil, errors.New("plots: corner plot without sample sets")
	}
	for k, s := range sets {
		if err := checkSamples(k, s, names); err != nil {
			return nil, err
		}
	}
	o := &cornerOptions{}
	if opt != nil {
		o.CornerOptions = *opt
	}
	if o.Labels == nil {
		o.Labels = names
	} else {
		o.latex = true
	}
	if len(o.Labels) != n {
		return nil, fmt.Errorf("plots: %d labels for %d parameters", len(o.Labels), n)
	}
	if o.Size == 0 {
		o.Size = max(600, 320*n)
	}
	if o.DPI == 0 {
		o.DPI = 120
	}
	if o.Size < 100 || o.Size > MaxPixels || o.Size < 50*n {
		return nil, fmt.Errorf("plots: image size %d px: want at least 100, at least 50 per parameter (%d) and at most %d", o.Size, 50*n, MaxPixels)
	}
	if o.DPI < 10 || o.DPI > 1200 {
		return nil, fmt.Errorf("plots: DPI %d: want 10 to 1200", o.DPI)
	}
	if o.Bins == 0 {
		o.Bins = 40
	}
	if o.Bins < 4 || o.Bins > 1000 || o.Bins > o.Size {
		return nil, fmt.Errorf("plots: %d bins: want 4 to 1000, and no more than the %d px of the image", o.Bins, o.Size)
	}
	switch {
	case o.Smooth == 0:
		o.Smooth = 1
	case o.Smooth < 0:
		o.Smooth = 0
	case !(o.Smooth <= float64(o.Bins)):
		return nil, fmt.Errorf("plots: smoothing of %g bins: want at most the %d bins", o.Smooth, o.Bins)
	}
	if o.Levels == nil {
		o.Levels = []float64{0.68, 0.95}
	}
	if len(o.Levels) > 10 {
		return nil, fmt.Errorf("plots: %d credible levels, at most 10", len(o.Levels))
	}
	for _, l := range o.Levels {
		if !(l > 0 && l < 1) {
			return nil, fmt.Errorf("plots: credible level %g must be in (0, 1)", l)
		}
	}
	if o.Ranges != nil && len(o.Ranges) != n {
		return nil, fmt.Errorf("plots: %d ranges for %d parameters", len(o.Ranges), n)
	}
	if o.Truths != nil && len(o.Truths) != n {
		return nil, fmt.Errorf("plots: %d truths for %d parameters", len(o.Truths), n)
	}
	for i, v := range o.Truths {
		if math.IsInf(v, 0) {
			return nil, fmt.Errorf("plots: truth of %s is %g: want a finite value, or NaN for none", names[i], v)
		}
	}
	if o.MaxPoints == 0 {
		o.MaxPoints = 2000
	}
	if o.MaxPoints < 1 || o.MaxPoints > 100_000 {
		return nil, fmt.Errorf("plots: MaxPoints = %d: want 1 to 100000", o.MaxPoints)
	}
	return o, nil
}

// checkSamples refuses sample set k (from 0) of a corner plot of the
// parameters names if it has the wrong shape, a non-finite value, or
// weights that are negative, non-finite or sum to zero.
func checkSamples(k int, s Samples, names []string) error {
	n := len(names)
	if s.X == nil {
		return fmt.Errorf("plots: sample set %d (%q) has no samples", k+1, s.Name)
	}
	r, c := s.X.Dims()
	if c != n {
		return fmt.Errorf("plots: sample set %d (%q) has %d columns for %d parameters", k+1, s.Name, c, n)
	}
	if r < 2 {
		return fmt.Errorf("plots: sample set %d (%q) has %d samples, need at least 2", k+1, s.Name, r)
	}
	if s.Weights != nil && len(s.Weights) != r {
		return fmt.Errorf("plots: sample set %d (%q) has %d weights for %d samples", k+1, s.Name, len(s.Weights), r)
	}
	var sum float64
	for i := range r {
		for j := range c {
			if v := s.X.At(i, j); math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("plots: sample set %d (%q), sample %d, parameter %s: %g is not finite", k+1, s.Name, i+1, names[j], v)
			}
		}
		if s.Weights != nil {
			w := s.Weights[i]
			if !(w >= 0) || math.IsInf(w, 0) {
				return fmt.Errorf("plots: sample set %d (%q): weight %d = %g must be finite and ≥ 0", k+1, s.Name, i+1, w)
			}
			sum += w
		}
	}
	if s.Weights != nil && !(sum > 0) {
		return fmt.Errorf("plots: sample set %d (%q): the weights sum to %g", k+1, s.Name, sum)
	}
	return nil
}

// minRelSpan is the narrowest range drawn, relative to the magnitude of
// its ends; minAbsSpan the narrowest at all. Contouring 40 bins across a
// range of a few ulps of its values made gonum's contour tracer grow
// without bound (24 GB for samples spread over 1e-17 at 0.3); at a
// billionth of the magnitude each bin is still some 10⁵ ulps wide.
const (
	minRelSpan = 1e-9
	minAbsSpan = 1e-300
)

// minSpan returns the narrowest range drawn around values up to scale.
func minSpan(scale float64) float64 { return max(minRelSpan*scale, minAbsSpan) }

// cornerRanges returns the axis range of every parameter (see
// CornerOptions.Ranges).
func cornerRanges(sets []Samples, names []string, o *cornerOptions) ([][2]float64, error) {
	n := len(names)
	out := make([][2]float64, n)
	for i := range n {
		if o.Ranges != nil {
			lo, hi := o.Ranges[i][0], o.Ranges[i][1]
			if math.IsNaN(lo) || math.IsNaN(hi) {
				return nil, fmt.Errorf("plots: range of %s is [%g, %g]", names[i], lo, hi)
			}
			if lo < hi {
				if math.IsInf(lo, 0) || math.IsInf(hi, 0) || math.IsInf(hi-lo, 0) || hi-lo < minSpan(max(math.Abs(lo), math.Abs(hi))) {
					return nil, fmt.Errorf("plots: range of %s is [%g, %g]: want finite ends at least %g apart", names[i], lo, hi, minSpan(max(math.Abs(lo), math.Abs(hi))))
				}
				out[i] = o.Ranges[i]
				continue
			}
		}
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, s := range sets {
			a, b := weightedQuantiles(s, i, 0.001, 0.999)
			lo, hi = math.Min(lo, a), math.Max(hi, b)
		}
		if o.Truths != nil && !math.IsNaN(o.Truths[i]) {
			lo, hi = math.Min(lo, o.Truths[i]), math.Max(hi, o.Truths[i])
		}
		span := hi - lo
		if scale := max(math.Abs(lo), math.Abs(hi)); span < minSpan(scale) {
			// (Almost) no spread: a spike in a range of ±0.5% around it.
			c := lo + 0.5*span
			span = 0.01 * math.Abs(c)
			if span < minSpan(math.Abs(c)) {
				span = 0.01
			}
			lo, hi = c-0.5*span, c+0.5*span
		}
		r := [2]float64{lo - 0.05*span, hi + 0.05*span}
		if math.IsInf(r[0], 0) || math.IsInf(r[1], 0) || math.IsInf(r[1]-r[0], 0) {
			return nil, fmt.Errorf("plots: %s spans [%g, %g], too wide a range to draw", names[i], lo, hi)
		}
		out[i] = r
	}
	return out, nil
}

// weightedQuantiles returns the qa and qb quantiles of column col, with
// the samples' weights (gonum's empirical quantile: the smallest value whose
// cumulative weight reaches the fraction).
func weightedQuantiles(s Samples, col int, qa, qb float64) (float64, float64) {
	// A column copied out, not sort.Slice over row indices through
	// mat.Dense.At, which took 190 ms of the 360 ms corner plot of the
	// flagship fit (160,000 samples × 5 columns; pprof of `cosmoemu fit
	// -out`); unweighted, two selections instead of a sort
	// (BenchmarkWeightedQuantiles, one column: 35.7 ms sort.Slice, 16.5 ms
	// slices.Sort, 2.7 ms selection).
	x := mat.Col(nil, col, s.X)
	if s.Weights == nil {
		if floats.HasNaN(x) {
			return math.NaN(), math.NaN()
		}
		return selectKth(x, empiricalIndex(qa, len(x))), selectKth(x, empiricalIndex(qb, len(x)))
	}
	type pair struct{ x, w float64 }
	p := make([]pair, len(x))
	for i, v := range x {
		p[i] = pair{v, s.Weights[i]}
	}
	slices.SortFunc(p, func(a, b pair) int { return cmp.Compare(a.x, b.x) })
	w := make([]float64, len(p))
	for i, v := range p {
		x[i], w[i] = v.x, v.w
	}
	return stat.Quantile(qa, stat.Empirical, x, w), stat.Quantile(qb, stat.Empirical, x, w)
}

// empiricalIndex is the index in n sorted values of the q quantile as
// gonum's stat.Empirical has it without weights: the first i with
// i+1 ≥ q·n.
func empiricalIndex(q float64, n int) int {
	return min(max(int(math.Ceil(q*float64(n)))-1, 0), n-1)
}

// selectKth returns the value that sorting x would put at index k,
// reordering x (quickselect with median-of-three pivots; what is left
// after 2·log₂ n rounds is sorted, so it is never quadratic). x holds no
// NaN.
func selectKth(x []float64, k int) float64 {
	lo, hi := 0, len(x)-1
	for budget := 2 * bits.Len(uint(len(x))); hi > lo; budget-- {
		if budget == 0 {
			slices.Sort(x[lo : hi+1])
			break
		}
		mid := lo + (hi-lo)/2
		if x[mid] < x[lo] {
			x[mid], x[lo] = x[lo], x[mid]
		}
		if x[hi] < x[lo] {
			x[hi], x[lo] = x[lo], x[hi]
		}
		if x[hi] < x[mid] {
			x[hi], x[mid] = x[mid], x[hi]
		}
		pivot := x[mid]
		i, j := lo, hi
		for i <= j {
			for x[i] < pivot {
				i++
			}
			for x[j] > pivot {
				j--
			}
			if i <= j {
				x[i], x[j] = x[j], x[i]
				i++
				j--
			}
		}
		// x[lo..j] ≤ pivot ≤ x[i..hi], and x[j+1..i-1] == pivot.
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return x[k]
		}
	}
	return x[k]
}

func sampleWeight(s Samples, i int) float64 {
	if s.Weights == nil {
		return 1
	}
	return s.Weights[i]
}

// smooth1D convolves h with a Gaussian of standard deviation sigma bins,
// truncated at 4σ, treating the outside as empty.
func smooth1D(h []float64, sigma float64) []float64 {
	if sigma == 0 {
		return h
	}
	half := int(math.Ceil(4 * sigma))
	k := make([]float64, 2*half+1)
	for i := range k {
		d := float64(i-half) / sigma
		k[i] = math.Exp(-0.5 * d * d)
	}
	out := make([]float64, len(h))
	for i := range h {
		for j, kv := range k {
			if m := i + j - half; m >= 0 && m < len(h) {
				out[i] += kv * h[m]
			}
		}
	}
	return out
}

// grid is a smoothed 2-D histogram, a plotter.GridXYZ.
type grid struct {
	n      int
	z      []float64 // z[row·n + col], row along y
	x0, dx float64
	y0, dy float64
}

func (g *grid) Dims() (c, r int)         { return g.n, g.n }
func (g *grid) Z(c, r int) float64       { return g.z[r*g.n+c] }
func (g *grid) X(c int) float64          { return g.x0 + (float64(c)+0.5)*g.dx }
func (g *grid) Y(r int) float64          { return g.y0 + (float64(r)+0.5)*g.dy }
func (g *grid) Min() float64             { return 0 }
func (g *grid) Max() float64             { return maxOf(g.z) }
func (g *grid) bin(v, lo, d float64) int { return int(math.Floor((v - lo) / d)) }

func maxOf(v []float64) float64 {
	m := math.Inf(-1)
	for _, x := range v {
		m = math.Max(m, x)
	}
	return m
}

func hist2D(s Samples, cx, cy int, rx, ry [2]float64, bins int, sigma float64) *grid {
	g := &grid{n: bins, z: make([]float64, bins*bins),
		x0: rx[0], dx: (rx[1] - rx[0]) / float64(bins),
		y0: ry[0], dy: (ry[1] - ry[0]) / float64(bins)}
	r, _ := s.X.Dims()
	for i := range r {
		c, rr := g.bin(s.X.At(i, cx), g.x0, g.dx), g.bin(s.X.At(i, cy), g.y0, g.dy)
		if c >= 0 && c < bins && rr >= 0 && rr < bins {
			g.z[rr*bins+c] += sampleWeight(s, i)
		}
	}
	if sigma > 0 {
		row := make([]float64, bins)
		for rr := range bins { // along x
			copy(row, g.z[rr*bins:(rr+1)*bins])
			copy(g.z[rr*bins:], smooth1D(row, sigma))
		}
		for c := range bins { // along y
			for rr := range bins {
				row[rr] = g.z[rr*bins+c]
			}
			for rr, v := range smooth1D(row, sigma) {
				g.z[rr*bins+c] = v
			}
		}
	}
	return g
}

// credibleThresholds returns, for each mass m, the density above which the
// bins hold a fraction m of the total.
func credibleThresholds(z []float64, masses []float64) []float64 {
	v := append([]float64(nil), z...)
	sort.Sort(sort.Reverse(sort.Float64Slice(v)))
	var total float64
	for _, x := range v {
		total += x
	}
	out := make([]float64, len(masses))
	for k, m := range masses {
		var cum float64
		out[k] = v[len(v)-1]
		for _, x := range v {
			cum += x
			if cum >= m*total {
				out[k] = x
				break
			}
		}
	}
	return out
}

func cornerPanel(i, j int, sets []Samples, colors []color.Color, ranges [][2]float64, o *cornerOptions) (*plot.Plot, error) {
	n := len(ranges)
	p := plot.New()
	p.X.Min, p.X.Max = ranges[j][0], ranges[j][1]
	fontSize := font.Length(float64(o.Size) / float64(n) / float64(o.DPI) * 72 / 16)
	fontSize = max(min(fontSize, 14), 7)
	for _, ax := range []*plot.Axis{&p.X, &p.Y} {
		ax.Tick.Label.Font.Size = fontSize
		ax.Label.TextStyle.Font.Size = fontSize * 1.2
		if o.latex {
			ax.Label.TextStyle.Handler = mathText{fonts: font.DefaultCache}
		}
	}
	label := func(k int) string { return o.Labels[k] }
	if i == n-1 {
		p.X.Label.Text = label(j)
	} else {
		p.X.Tick.Marker = blankTicks{}
	}
	if i == j {
		p.Y.Min, p.Y.Max = 0, 1.1
		p.Y.Tick.Marker = plot.ConstantTicks(nil)
		p.Y.LineStyle.Width = 0
		for k, s := range sets {
			line, err := marginal(s, j, ranges[j], o)
			if err != nil {
				return nil, err
			}
			line.Color = colors[k]
			line.Width = vg.Points(1.5)
			p.Add(line)
		}
		if t := truth(o, j); !math.IsNaN(t) {
			if err := addLine(p, t, 0, t, 1.1); err != nil {
				return nil, err
			}
		}
		return p, nil
	}
	p.Y.Min, p.Y.Max = ranges[i][0], ranges[i][1]
	if j == 0 {
		p.Y.Label.Text = label(i)
	} else {
		p.Y.Tick.Marker = blankTicks{}
	}
	if o.Points {
		for k, s := range sets {
			sc, err := thinnedScatter(s, j, i, o.MaxPoints)
			if err != nil {
				return nil, err
			}
			c := color.NRGBAModel.Convert(colors[k]).(color.NRGBA)
			c.A = 0x50
			sc.GlyphStyle.Color = c
			sc.GlyphStyle.Radius = vg.Points(0.8)
			sc.GlyphStyle.Shape = draw.CircleGlyph{}
			p.Add(sc)
		}
	}
	levels := append([]float64(nil), o.Levels...)
	sort.Sort(sort.Reverse(sort.Float64Slice(levels))) // widest region first
	for k, s := range sets {
		g := hist2D(s, j, i, ranges[j], ranges[i], o.Bins, o.Smooth)
		if g.Max() <= 0 {
			continue
		}
		heights := credibleThresholds(g.z, levels) // ascending for descending masses
		styles := make([]draw.LineStyle, len(heights))
		for l := range styles {
			styles[l] = draw.LineStyle{Color: colors[k], Width: vg.Points(0.8 + 0.7*float64(l)/math.Max(1, float64(len(styles)-1)))}
		}
		c := plotter.NewContour(g, heights, nil)
		c.LineStyles = styles
		p.Add(c)
	}
	if tx, ty := truth(o, j), truth(o, i); !math.IsNaN(tx) || !math.IsNaN(ty) {
		if !math.IsNaN(tx) {
			if err := addLine(p, tx, ranges[i][0], tx, ranges[i][1]); err != nil {
				return nil, err
			}
		}
		if !math.IsNaN(ty) {
			if err := addLine(p, ranges[j][0], ty, ranges[j][1], ty); err != nil {
				return nil, err
			}
		}
		if !math.IsNaN(tx) && !math.IsNaN(ty) {
			sc, err := plotter.NewScatter(plotter.XYs{{X: tx, Y: ty}})
			if err != nil {
				return nil, err
			}
			sc.GlyphStyle = draw.GlyphStyle{Color: color.Black, Radius: vg.Points(3), Shape: draw.CrossGlyph{}}
			p.Add(sc)
		}
	}
	return p, nil
}

func truth(o *cornerOptions, i int) float64 {
	if o.Truths == nil {
		return math.NaN()
	}
	return o.Truths[i]
}

var truthStyle = draw.LineStyle{Color: color.Gray{Y: 0x30}, Width: vg.Points(0.8), Dashes: []vg.Length{vg.Points(3), vg.Points(2)}}

func addLine(p *plot.Plot, x0, y0, x1, y1 float64) error {
	l, err := plotter.NewLine(plotter.XYs{{X: x0, Y: y0}, {X: x1, Y: y1}})
	if err != nil {
		return err
	}
	l.LineStyle = truthStyle
	p.Add(l)
	return nil
}

// marginal returns the smoothed 1-D histogram of column col scaled to a
// peak of 1, as a line through the bin centres.
func marginal(s Samples, col int, rng [2]float64, o *cornerOptions) (*plotter.Line, error) {
	h := make([]float64, o.Bins)
	d := (rng[1] - rng[0]) / float64(o.Bins)
	r, _ := s.X.Dims()
	for i := range r {
		if b := int(math.Floor((s.X.At(i, col) - rng[0]) / d)); b >= 0 && b < o.Bins {
			h[b] += sampleWeight(s, i)
		}
	}
	h = smooth1D(h, o.Smooth)
	peak := maxOf(h)
	xy := make(plotter.XYs, o.Bins)
	for b := range xy {
		xy[b].X = rng[0] + (float64(b)+0.5)*d
		if peak > 0 {
			xy[b].Y = h[b] / peak
		}
	}
	return plotter.NewLine(xy)
}

func thinnedScatter(s Samples, cx, cy, maxPoints int) (*plotter.Scatter, error) {
	r, _ := s.X.Dims()
	step := max(1, (r+maxPoints-1)/maxPoints)
	var xy plotter.XYs
	for i := 0; i < r; i += step {
		xy = append(xy, plotter.XY{X: s.X.At(i, cx), Y: s.X.At(i, cy)})
	}
	return plotter.NewScatter(xy)
}

// blankTicks are the default ticks without labels, for inner panels.
type blankTicks struct{}

func (blankTicks) Ticks(min, max float64) []plot.Tick {
	t := plot.DefaultTicks{}.Ticks(min, max)
	for i := range t {
		t[i].Label = ""
	}
	return t
}

// cornerLegend draws the legend (and title) in the empty top right cell,
// or inside the single panel of a one-parameter plot.
func cornerLegend(dc draw.Canvas, cells [][]draw.Canvas, sets []Samples, colors []color.Color, o *cornerOptions, n int) error {
	leg := plot.NewLegend()
	leg.Top = true
	leg.TextStyle.Font.Size = font.Length(max(min(float64(o.Size)/float64(o.DPI)*72/40, 14), 8))
	entries := 0
	for k, s := range sets {
		if s.Name == "" {
			continue
		}
		l, err := plotter.NewLine(plotter.XYs{{}, {X: 1}})
		if err != nil {
			return err
		}
		l.Color, l.Width = colors[k], vg.Points(2)
		leg.Add(s.Name, l)
		entries++
	}
	if o.Truths != nil && o.TruthLabel != "" {
		l, err := plotter.NewLine(plotter.XYs{{}, {X: 1}})
		if err != nil {
			return err
		}
		l.LineStyle = truthStyle
		leg.Add(o.TruthLabel, l)
		entries++
	}
	cell := cells[0][n-1]
	if n == 1 {
		cell = dc
		leg.XOffs = -vg.Points(4)
	}
	leg.YOffs = -vg.Points(4)
	if o.Title != "" {
		sty := leg.TextStyle
		sty.XAlign, sty.YAlign = draw.XRight, draw.YTop
		sty.Font.Size *= 1.2
		dc.FillText(sty, vg.Point{X: dc.Max.X - vg.Points(6), Y: dc.Max.Y - vg.Points(4)}, o.Title)
		leg.YOffs -= sty.Height(o.Title) + vg.Points(6)
	}
	if entries > 0 {
		leg.Draw(cell)
	}
	return nil
}
