package main

import (
	"fmt"
	"io"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/cosmoemu/cosmoemu/likelihood"
	"github.com/cosmoemu/cosmoemu/paper/reconstruct"
)

func init() {
	register(command{
		name:    "reconstruct",
		summary: "reconstruct H(z) and sigma_H from data with a network z → (H, sigma_H), an ensemble band and the ΛCDM best fit (paper Fig. 4)",
		run:     runReconstruct,
	})
}

func runReconstruct(e *env, args []string) error {
	fs := newFlagSet(e, "reconstruct", "-data simulated20|cc31|FILE [-hidden 100] [-epochs N] [-members K] [-seed S] [-out fig.png] [-json]")
	data := fs.String("data", "", "H(z) data: simulated20 or cc31 (embedded), or a `file` of columns z H sigma_H")
	// Each member is a network of 3·hidden+2 weights trained for epochs
	// epochs: the bounds keep a run's memory small and its time finite.
	hidden := intFlag(fs, "hidden", 100, 1, 100_000, "sigmoid units of the hidden layer")
	epochs := intFlag(fs, "epochs", 3000, 1, 10_000_000, "epochs of Adam")
	batch := intFlag(fs, "batch", 4, 1, 1_000_000, "mini-batch size")
	lr := floatFlag(fs, "lr", 1e-2, 0, 10, true, "initial learning rate of Adam (cosine-annealed to 1/100)")
	members := intFlag(fs, "members", reconstruct.DefaultMembers, 0, 10_000, "networks of the ensemble band, trained on data perturbed within their errors (0: none, otherwise at least 2)")
	seed := fs.Uint64("seed", 1, "random `seed`: the same seed gives the same reconstruction")
	gridN := intFlag(fs, "grid", 100, 2, 1_000_000, "points of the output z grid over the data's redshift range")
	out := fs.String("out", "", "figure PNG `file` (default reconstruct-DATA.png)")
	asJSON := fs.Bool("json", false, "print one JSON object instead of a summary")
	var workers int
	workersFlag(fs, &workers)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	switch {
	case *data == "":
		return usagef("reconstruct: -data is required: simulated20, cc31 or a file of columns z H sigma_H")
	case *members == 1:
		return usagef("reconstruct: -members 1: want 0 (no ensemble) or at least 2")
	}
	if *out == "" {
		base := strings.TrimSuffix(filepath.Base(*data), filepath.Ext(*data))
		*out = "reconstruct-" + base + ".png"
	}
	// The files of the data spec (FILE, hz:FILE[:COV]) are inputs.
	var files []fileFlag
	for _, p := range likelihood.Files(*data, nil) {
		files = append(files, inFile("data", p))
	}
	if err := checkFiles(append(files, outFile("out", *out))...); err != nil {
		return err
	}
	warnShadowed(e, "data", *data, "cc31", "simulated20")
	l, _, err := likelihood.Open(*data, nil)
	if err != nil {
		return badInput("reconstruct", "data", err)
	}
	hz, ok := l.(*likelihood.Hz) // the network learns H(z)
	if !ok {
		return usagef("reconstruct: -data %s is not H(z) data", *data)
	}
	d := hz.Data()
	if d.Len() < reconstruct.MinPoints {
		return usagef("reconstruct: -data %s: %s, need at least %d for a training/validation split", *data, plural(d.Len(), "point"), reconstruct.MinPoints)
	}
	set := &reconstruct.Settings{
		Hidden: *hidden, Epochs: *epochs, BatchSize: *batch, LearningRate: *lr,
		Members: members, Workers: workers,
	}
	bar := newProgress(e, int64(*members+1), "training networks")
	set.Progress = func(done, _ int) { bar.Set(int64(done)) }
	start := time.Now()
	res, err := reconstruct.Train(e.ctx, d, set, rand.New(rand.NewPCG(*seed, 0x4a2)))
	bar.Finish()
	if err != nil {
		return err
	}
	lcdm, err := reconstruct.FitLCDM(d)
	if err != nil {
		return err
	}
	zlo, zhi := slices.Min(d.Z), slices.Max(d.Z)
	rep := res.Report(lcdm, reconstruct.Grid(zlo, zhi, *gridN), *hidden, *epochs, *seed)
	if err := res.Figure(*out, rep); err != nil {
		return err
	}
	rep.Figure, rep.Seconds = *out, time.Since(start).Seconds()
	if *asJSON {
		return writeJSON(e.stdout, rep)
	}
	printReconstruction(e.stdout, res, rep, *lr, *batch)
	return nil
}

// printReconstruction prints the summary of reconstruct.
func printReconstruction(w io.Writer, res *reconstruct.Result, rep *reconstruct.Report, lr float64, batch int) {
	d, f := res.Data, res.Fit
	fmt.Fprintf(w, "reconstruct %s: %d points, z in [%s, %s]; network z -> %d sigmoid -> (H, sigma_H), Adam lr %s (cosine), batch %d, %d epochs, seed %d\n",
		d.Name, d.Len(), ff(slices.Min(d.Z)), ff(slices.Max(d.Z)), rep.Hidden, ff(lr), batch, rep.Epochs, rep.Seed)
	fmt.Fprintf(w, "split: %d training, %d validation points (validation z = %s)\n", len(f.Train), len(f.Val), joinZ(d.Z, f.Val))
	fmt.Fprintf(w, "cost = MSE of (H, sigma_H) in (km/s/Mpc)^2: training %.4g, validation %.4g   [paper: %.1f]\n", f.TrainCost, f.ValCost, reconstruct.PaperCost)
	fmt.Fprintf(w, "loss = MSE of min-max scaled targets:        training %.4g, validation %.4g\n", f.TrainLoss, f.ValLoss)
	fmt.Fprintf(w, "chi2 of the network's H at the %d points: %.4g\n", d.Len(), f.Chi2)
	curve := reconstruct.Curve{Z: rep.Z, H: rep.H, Sigma: rep.Sigma, Mean: rep.EnsembleMean, Std: rep.EnsembleStd}
	if lo, med, hi, ok := curve.BandWidth(); ok {
		fmt.Fprintf(w, "ensemble of %d networks on data perturbed within sigma_H: chi2 of the ensemble mean %.4g; band half-width %.3g to %.3g km/s/Mpc (median %.3g)\n",
			len(res.Members), rep.EnsembleChi2, lo, hi, med)
	}
	l := rep.LCDM
	fmt.Fprintf(w, "flat ΛCDM best fit: Om0 = %.4f ± %.4f, H0 = %.3f ± %.3f km/s/Mpc, chi2 = %.4g\n", l.Om0, l.Om0Err, l.H0, l.H0Err, l.Chi2)
	fmt.Fprintf(w, "wrote %s in %.1f s\n", rep.Figure, rep.Seconds)
}

func joinZ(z []float64, idx []int) string {
	s := make([]string, len(idx))
	for i, k := range idx {
		s[i] = fmt.Sprintf("%.3g", z[k])
	}
	return strings.Join(s, ", ")
}
