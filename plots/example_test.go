package plots_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/plot/vg"

	"github.com/cosmoemu/cosmoemu/plots"
)

// A corner plot of samples of a correlated 2-D Gaussian, with the truth
// marked.
func ExampleCorner() {
	dir, err := os.MkdirTemp("", "plots")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	rnd := rand.New(rand.NewPCG(1, 2))
	x := mat.NewDense(5000, 2, nil)
	for i := range 5000 {
		a, b := rnd.NormFloat64(), rnd.NormFloat64()
		x.Set(i, 0, 0.3+0.02*a)
		x.Set(i, 1, 70+1.5*(0.8*a+0.6*b))
	}
	path := filepath.Join(dir, "corner.png")
	err = plots.Corner(path, []plots.Samples{{Name: "samples", X: x}}, []string{"Om", "H0"}, &plots.CornerOptions{
		Labels: []string{`\Omega_m`, `H_0`}, Truths: []float64{0.3, 70}, TruthLabel: "truth",
	})
	fi, serr := os.Stat(path)
	fmt.Println(err, serr == nil && fi.Size() > 0)
	// Output:
	// <nil> true
}

// Two panels of curves, one on a log scale.
func ExampleLines() {
	dir, err := os.MkdirTemp("", "plots")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	z := make([]float64, 50)
	h, d := make([]float64, 50), make([]float64, 50)
	for i := range z {
		z[i] = 3 * float64(i+1) / 50
		h[i] = 70 * math.Sqrt(0.3*math.Pow(1+z[i], 3)+0.7)
		d[i] = 3e5 * z[i] / 70
	}
	err = plots.Lines(filepath.Join(dir, "lines.png"), []plots.Panel{
		{Title: "H(z)", XLabel: "z", YLabel: "H [km/s/Mpc]", Series: []plots.Series{{Label: "ΛCDM", X: z, Y: h}}},
		{Title: "cz/H0", XLabel: "z", YLabel: "D [Mpc]", LogY: true, Series: []plots.Series{{Label: "Hubble law", X: z, Y: d, Dashed: true}}},
	}, 2, 4*vg.Inch, 3*vg.Inch)
	fmt.Println(err)
	// Output:
	// <nil>
}
