package plots

import (
	"fmt"
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Confusion draws a confusion matrix as a heatmap (the paper's Fig. 10):
// counts[i][j] is the number of objects of true class i predicted as
// class j. Each cell is shaded by the fraction of its row (the recall for
// the diagonal) and shows the count and that percentage. True classes run
// down the rows, predicted classes along the columns. The PNG is written to
// path atomically.
func Confusion(path, title string, classes []string, counts [][]int, width, height vg.Length) error {
	if err := checkCanvasDefault(width, height); err != nil {
		return err
	}
	k := len(classes)
	if k == 0 || len(counts) != k {
		return fmt.Errorf("plots: confusion matrix of %d rows for %d classes", len(counts), k)
	}
	frac := make([][]float64, k)
	for i, row := range counts {
		if len(row) != k {
			return fmt.Errorf("plots: confusion matrix row %d has %d columns, want %d", i, len(row), k)
		}
		total := 0
		for _, n := range row {
			if n < 0 {
				return fmt.Errorf("plots: negative count %d in the confusion matrix", n)
			}
			total += n
		}
		frac[i] = make([]float64, k)
		for j, n := range row {
			if total > 0 {
				frac[i][j] = float64(n) / float64(total)
			}
		}
	}
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = "predicted class"
	p.Y.Label.Text = "true class"
	xt := make([]plot.Tick, k)
	yt := make([]plot.Tick, k)
	for i, c := range classes {
		xt[i] = plot.Tick{Value: float64(i) + 0.5, Label: c}
		yt[i] = plot.Tick{Value: float64(k-i) - 0.5, Label: c}
	}
	p.X.Tick.Marker = plot.ConstantTicks(xt)
	p.Y.Tick.Marker = plot.ConstantTicks(yt)
	p.X.Tick.Length, p.Y.Tick.Length = 0, 0
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, float64(k), 0, float64(k)
	sty := p.X.Label.TextStyle
	sty.XAlign, sty.YAlign = text.XCenter, text.YCenter
	p.Add(&confusionCells{counts: counts, frac: frac, style: sty})

	canvas := newCanvasWH(width, height)
	p.Draw(draw.New(canvas))
	return writePNG(path, canvas)
}

// confusionCells draws the cells of a confusion matrix on [0, k]².
type confusionCells struct {
	counts [][]int
	frac   [][]float64
	style  text.Style
}

// Plot implements plot.Plotter.
func (cc *confusionCells) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	k := len(cc.counts)
	light := color.RGBA{247, 251, 255, 255}
	dark := color.RGBA{8, 48, 107, 255}
	for i := range k {
		for j := range k {
			x0, x1 := trX(float64(j)), trX(float64(j+1))
			y0, y1 := trY(float64(k-i-1)), trY(float64(k-i))
			f := cc.frac[i][j]
			c.FillPolygon(mix(light, dark, f), []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}})
			sty := cc.style
			sty.Color = color.Black
			if f > 0.5 {
				sty.Color = color.White
			}
			c.FillText(sty, vg.Point{X: (x0 + x1) / 2, Y: (y0 + y1) / 2}, fmt.Sprintf("%d\n%.1f%%", cc.counts[i][j], 100*f))
		}
	}
}

// DataRange implements plot.DataRanger.
func (cc *confusionCells) DataRange() (xmin, xmax, ymin, ymax float64) {
	k := float64(len(cc.counts))
	return 0, k, 0, k
}

// mix returns the colour a fraction f of the way from a to b.
func mix(a, b color.RGBA, f float64) color.RGBA {
	m := func(x, y uint8) uint8 { return uint8(float64(x) + f*(float64(y)-float64(x)) + 0.5) }
	return color.RGBA{m(a.R, b.R), m(a.G, b.G), m(a.B, b.B), 255}
}
