package chains_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/cosmoemu/cosmoemu/chains"
)

// A run's GetDist files: two text chains of weighted samples with −ln L,
// a parameter and a derived column, and their .paramnames and .ranges.
func Example() {
	dir, err := os.MkdirTemp("", "chains")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	root := filepath.Join(dir, "run")
	r, err := chains.Open(root, chains.Options{Kind: "example", Chains: 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer r.Close()
	cols := chains.Columns{Names: []string{"Om"}, Labels: []string{`\Omega_m`}, Ranges: [][2]float64{{0.1, 0.5}}, Derived: []string{"chi2"}}
	if err := r.WriteColumns(cols); err != nil {
		fmt.Println(err)
		return
	}
	t, err := r.CreateText()
	if err != nil {
		fmt.Println(err)
		return
	}
	// One row per chain: weight 1, −ln L = χ²/2, Ωm, χ².
	for i, row := range [][2]float64{{0.29, 0.25}, {0.31, 0.25}} {
		om, chi2 := row[0], row[1]
		if err := t.Append(i, 1, chi2/2, []float64{om}, []float64{chi2}); err != nil {
			fmt.Println(err)
			return
		}
	}
	if err := t.Flush(); err != nil { // rows reach the files at Flush
		fmt.Println(err)
		return
	}
	t.Close()
	for _, name := range []string{"run_1.txt", "run.paramnames", "run.ranges"} {
		b, _ := os.ReadFile(filepath.Join(dir, name))
		fmt.Printf("%s:\n%s", name, b)
	}
	// Output:
	// run_1.txt:
	// 1 0.125 0.29 0.25
	// run.paramnames:
	// Om	\Omega_m
	// chi2*	chi2
	// run.ranges:
	// Om	0.1	0.5
}
