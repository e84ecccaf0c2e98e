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

// Reconstruction is the content of a figure like the paper's Fig. 4: H(z)
// data with error bars, a reconstructed curve with bands, an optional
// comparison curve, and the loss curves of the training as an inset.
type Reconstruction struct {
	Title string
	// The data: redshifts, values and 1σ errors.
	DataZ, DataH, DataSigma []float64
	DataLabel               string
	// Z is the grid of the curves below; every curve must have its length.
	Z []float64
	// H is the reconstruction, drawn with the band H ± Sigma (Sigma may be
	// nil).
	H, Sigma           []float64
	HLabel, SigmaLabel string
	// Mean ± Std is a second band with its central line (optional), e.g.
	// an ensemble's.
	Mean, Std           []float64
	MeanLabel, StdLabel string
	// Compare is a comparison curve (optional), e.g. a ΛCDM best fit.
	Compare      []float64
	CompareLabel string
	// Loss and ValLoss are the per-epoch losses of the inset (optional),
	// drawn on a log scale with the label LossLabel.
	Loss, ValLoss []float64
	LossLabel     string
}

// ReconstructionPNG draws r on a canvas of width×height and writes the PNG
// to path atomically. The legend sits bottom right and the loss inset top
// left, where a rising H(z) leaves room.
func ReconstructionPNG(path string, r *Reconstruction, width, height vg.Length) error {
	if err := checkCanvasDefault(width, height); err != nil {
		return err
	}
	if err := r.check(); err != nil {
		return err
	}
	p := plot.New()
	p.Title.Text = r.Title
	p.X.Label.Text = "z"
	p.Y.Label.Text = "H(z) [km/s/Mpc]"
	p.Legend.Top, p.Legend.Left = false, false
	p.Legend.TextStyle.Font.Size = vg.Points(9)
	p.Add(plotter.NewGrid())

	blue, orange, green := Palette[0], Palette[1], Palette[2]
	if r.Sigma != nil {
		band, err := bandPolygon(r.Z, r.H, r.Sigma, fade(blue, 0.18))
		if err != nil {
			return err
		}
		p.Add(band)
		if r.SigmaLabel != "" {
			p.Legend.Add(r.SigmaLabel, band)
		}
	}
	if r.Mean != nil {
		band, err := bandPolygon(r.Z, r.Mean, r.Std, fade(orange, 0.35))
		if err != nil {
			return err
		}
		p.Add(band)
		if r.StdLabel != "" {
			p.Legend.Add(r.StdLabel, band)
		}
	}
	addLine := func(y []float64, col color.Color, dashes []vg.Length, label string) error {
		l, err := plotter.NewLine(xys(r.Z, y))
		if err != nil {
			return err
		}
		l.LineStyle.Color = col
		l.LineStyle.Width = vg.Points(1.8)
		l.LineStyle.Dashes = dashes
		p.Add(l)
		if label != "" {
			p.Legend.Add(label, l)
		}
		return nil
	}
	if err := addLine(r.H, blue, nil, r.HLabel); err != nil {
		return err
	}
	if r.Mean != nil {
		if err := addLine(r.Mean, orange, []vg.Length{vg.Points(6), vg.Points(3)}, r.MeanLabel); err != nil {
			return err
		}
	}
	if r.Compare != nil {
		if err := addLine(r.Compare, green, []vg.Length{vg.Points(2), vg.Points(2)}, r.CompareLabel); err != nil {
			return err
		}
	}
	if err := r.addData(p); err != nil {
		return err
	}

	canvas := newCanvasWH(width, height)
	dc := draw.New(canvas)
	p.Draw(dc)
	if len(r.Loss) > 0 {
		inset, err := lossInset(r.Loss, r.ValLoss, r.LossLabel)
		if err != nil {
			return err
		}
		// Top left, inside the axes (which start after the y labels).
		w, h := dc.Max.X-dc.Min.X, dc.Max.Y-dc.Min.Y
		ic := draw.Crop(dc, 0.12*w, -0.56*w, 0.54*h, -0.09*h)
		ic.FillPolygon(color.White, []vg.Point{ic.Min, {X: ic.Max.X, Y: ic.Min.Y}, ic.Max, {X: ic.Min.X, Y: ic.Max.Y}})
		inset.Draw(ic)
	}
	return writePNG(path, canvas)
}

// check refuses curves of lengths that do not match.
func (r *Reconstruction) check() error {
	n := len(r.Z)
	if n < 2 || len(r.H) != n {
		return fmt.Errorf("plots: reconstruction of %d values on a grid of %d", len(r.H), n)
	}
	for name, v := range map[string][]float64{"Sigma": r.Sigma, "Mean": r.Mean, "Std": r.Std, "Compare": r.Compare} {
		if v != nil && len(v) != n {
			return fmt.Errorf("plots: %s has %d values on a grid of %d", name, len(v), n)
		}
	}
	if (r.Mean == nil) != (r.Std == nil) {
		return fmt.Errorf("plots: Mean and Std go together")
	}
	if len(r.DataH) != len(r.DataZ) || len(r.DataSigma) != len(r.DataZ) {
		return fmt.Errorf("plots: data of %d z, %d H and %d sigma values", len(r.DataZ), len(r.DataH), len(r.DataSigma))
	}
	return nil
}

// addData draws the data points with their error bars on p.
func (r *Reconstruction) addData(p *plot.Plot) error {
	if len(r.DataZ) == 0 {
		return nil
	}
	pts := xys(r.DataZ, r.DataH)
	errs := make(plotter.YErrors, len(r.DataZ))
	for i, s := range r.DataSigma {
		errs[i].Low, errs[i].High = s, s
	}
	eb, err := plotter.NewYErrorBars(struct {
		plotter.XYs
		plotter.YErrors
	}{pts, errs})
	if err != nil {
		return err
	}
	eb.LineStyle.Color = color.Black
	eb.CapWidth = vg.Points(4)
	sc, err := plotter.NewScatter(pts)
	if err != nil {
		return err
	}
	sc.GlyphStyle.Color = color.Black
	sc.GlyphStyle.Shape = draw.CircleGlyph{}
	sc.GlyphStyle.Radius = vg.Points(2.5)
	p.Add(eb, sc)
	if r.DataLabel != "" {
		p.Legend.Add(r.DataLabel, sc)
	}
	return nil
}

// lossInset is a small log-scale plot of the training and validation loss
// per epoch.
func lossInset(loss, val []float64, label string) (*plot.Plot, error) {
	p := plot.New()
	p.X.Label.Text = "epoch"
	p.Y.Label.Text = label
	p.Y.Scale = plot.LogScale{}
	p.Y.Tick.Marker = plot.LogTicks{Prec: 1}
	small := vg.Points(8)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font.Size = small
		a.Tick.Label.Font.Size = vg.Points(7)
	}
	p.Legend.TextStyle.Font.Size = small
	p.Legend.Top = true
	// Validation first, so that the training curve is drawn over it.
	for i, s := range []struct {
		y     []float64
		label string
	}{{val, "validation"}, {loss, "training"}} {
		if len(s.y) == 0 {
			continue
		}
		x := make([]float64, len(s.y))
		for j := range x {
			x[j] = float64(j + 1)
		}
		segs := segments(x, s.y, false, true)
		for k, seg := range segs {
			l, err := plotter.NewLine(seg)
			if err != nil {
				return nil, err
			}
			l.LineStyle.Color = Palette[1-i]
			l.LineStyle.Width = vg.Points(1)
			p.Add(l)
			if k == 0 {
				p.Legend.Add(s.label, l)
			}
		}
	}
	return p, nil
}

// bandPolygon returns the filled region between y − d and y + d.
func bandPolygon(x, y, d []float64, col color.Color) (*plotter.Polygon, error) {
	n := len(x)
	pts := make(plotter.XYs, 0, 2*n)
	for i := range n {
		pts = append(pts, plotter.XY{X: x[i], Y: y[i] + d[i]})
	}
	for i := n - 1; i >= 0; i-- {
		pts = append(pts, plotter.XY{X: x[i], Y: y[i] - d[i]})
	}
	for _, q := range pts {
		if math.IsNaN(q.Y) || math.IsInf(q.Y, 0) {
			return nil, fmt.Errorf("plots: band with a non-finite value")
		}
	}
	poly, err := plotter.NewPolygon(pts)
	if err != nil {
		return nil, err
	}
	poly.Color = col
	poly.LineStyle.Width = 0
	return poly, nil
}

func xys(x, y []float64) plotter.XYs {
	pts := make(plotter.XYs, len(x))
	for i := range x {
		pts[i] = plotter.XY{X: x[i], Y: y[i]}
	}
	return pts
}

// fade returns c blended with white, keeping a fraction a of the colour.
func fade(c color.Color, a float64) color.Color {
	r, g, b, _ := c.RGBA()
	m := func(v uint32) uint8 { return uint8(255 - a*(255-float64(v>>8)) + 0.5) }
	return color.RGBA{m(r), m(g), m(b), 255}
}
