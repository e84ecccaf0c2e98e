package plots

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Series is one line (or set of markers) of a panel.
type Series struct {
	Label  string    // legend entry; "" leaves it out of the legend
	X, Y   []float64 // points; non-finite Y values (and ≤ 0 on a log axis) break the line
	Dashed bool
	Points bool        // markers instead of a line
	Color  color.Color // nil picks the next colour of the palette
}

// Panel is one set of axes.
type Panel struct {
	Title, XLabel, YLabel string
	LogX, LogY            bool
	Series                []Series
	// The legend sits top right unless moved.
	LegendLeft, LegendBottom bool
	// Labels are texts written at data coordinates, to name curves
	// directly instead of in a legend.
	Labels []Label
}

// Label is a text at a point of a panel.
type Label struct {
	X, Y  float64
	Text  string
	Color color.Color // nil is black
}

// Palette are the line colours, in order (colour-blind safe, Okabe–Ito).
var Palette = []color.Color{
	color.RGBA{0, 114, 178, 255},   // blue
	color.RGBA{213, 94, 0, 255},    // vermillion
	color.RGBA{0, 158, 115, 255},   // bluish green
	color.RGBA{204, 121, 167, 255}, // reddish purple
	color.RGBA{230, 159, 0, 255},   // orange
	color.RGBA{86, 180, 233, 255},  // sky blue
	color.RGBA{0, 0, 0, 255},       // black
}

// Lines draws panels in a grid of cols columns, each of width×height, and
// writes the PNG to path atomically.
func Lines(path string, panels []Panel, cols int, width, height vg.Length) error {
	if len(panels) == 0 {
		return fmt.Errorf("plots: no panels to draw")
	}
	cols = min(max(cols, 1), len(panels))
	rows := (len(panels) + cols - 1) / cols
	if err := checkCanvasDefault(width*vg.Length(cols), height*vg.Length(rows)); err != nil {
		return err
	}
	ps := make([][]*plot.Plot, rows)
	for r := range ps {
		ps[r] = make([]*plot.Plot, cols)
	}
	for i, pn := range panels {
		p, err := panelPlot(pn)
		if err != nil {
			return fmt.Errorf("plots: panel %d (%s): %w", i, pn.Title, err)
		}
		ps[i/cols][i%cols] = p
	}
	canvas := newCanvasWH(width*vg.Length(cols), height*vg.Length(rows))
	dc := draw.New(canvas)
	cells := plot.Align(ps, draw.Tiles{Rows: rows, Cols: cols, PadX: vg.Millimeter * 4, PadY: vg.Millimeter * 4,
		PadTop: vg.Millimeter * 2, PadBottom: vg.Millimeter * 2, PadLeft: vg.Millimeter * 2, PadRight: vg.Millimeter * 4}, dc)
	for r := range ps {
		for c := range ps[r] {
			if ps[r][c] != nil {
				ps[r][c].Draw(cells[r][c])
			}
		}
	}
	return writePNG(path, canvas)
}

func panelPlot(pn Panel) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = pn.Title
	p.X.Label.Text = pn.XLabel
	p.Y.Label.Text = pn.YLabel
	p.Legend.Top = !pn.LegendBottom
	p.Legend.Left = pn.LegendLeft
	// One significant digit: powers of ten computed in floating point
	// would otherwise print as 9.999999999999999e-06.
	if pn.LogX {
		p.X.Scale = plot.LogScale{}
		p.X.Tick.Marker = plot.LogTicks{Prec: 1}
	}
	if pn.LogY {
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = plot.LogTicks{Prec: 1}
	}
	p.Add(plotter.NewGrid())
	drawn := 0
	for i, s := range pn.Series {
		if len(s.X) != len(s.Y) {
			return nil, fmt.Errorf("series %q has %d x and %d y values", s.Label, len(s.X), len(s.Y))
		}
		col := s.Color
		if col == nil {
			col = Palette[i%len(Palette)]
		}
		var legendThumb plot.Thumbnailer
		for _, seg := range segments(s.X, s.Y, pn.LogX, pn.LogY) {
			if s.Points {
				sc, err := plotter.NewScatter(seg)
				if err != nil {
					return nil, err
				}
				sc.GlyphStyle.Color = col
				sc.GlyphStyle.Radius = vg.Points(2)
				sc.GlyphStyle.Shape = draw.CircleGlyph{}
				p.Add(sc)
				legendThumb = sc
			} else {
				l, err := plotter.NewLine(seg)
				if err != nil {
					return nil, err
				}
				l.LineStyle.Color = col
				l.LineStyle.Width = vg.Points(1.5)
				if s.Dashed {
					l.LineStyle.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
				}
				p.Add(l)
				legendThumb = l
			}
			drawn++
		}
		if s.Label != "" && legendThumb != nil {
			p.Legend.Add(s.Label, legendThumb)
		}
	}
	if drawn == 0 {
		return nil, fmt.Errorf("nothing to draw")
	}
	for _, lb := range pn.Labels {
		l, err := plotter.NewLabels(plotter.XYLabels{XYs: plotter.XYs{{X: lb.X, Y: lb.Y}}, Labels: []string{lb.Text}})
		if err != nil {
			return nil, err
		}
		if lb.Color != nil {
			l.TextStyle[0].Color = lb.Color
		}
		p.Add(l)
	}
	return p, nil
}

// segments splits a series at points that cannot be drawn.
func segments(x, y []float64, logX, logY bool) []plotter.XYs {
	var out []plotter.XYs
	var cur plotter.XYs
	ok := func(v float64, log bool) bool {
		return !math.IsNaN(v) && !math.IsInf(v, 0) && (!log || v > 0)
	}
	for i := range x {
		if ok(x[i], logX) && ok(y[i], logY) {
			cur = append(cur, plotter.XY{X: x[i], Y: y[i]})
			continue
		}
		if len(cur) > 0 {
			out = append(out, cur)
			cur = nil
		}
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}
