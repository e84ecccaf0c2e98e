package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"gonum.org/v1/plot/vg"

	dataset "github.com/cosmoemu/cosmoemu/data"
	"github.com/cosmoemu/cosmoemu/paper/reconstruct"
	"github.com/cosmoemu/cosmoemu/plots"
)

func init() {
	register(command{
		name:    "reconstruct",
		summary: "reconstruct H(z) and sigma_H from data with a network z → (H, sigma_H), an ensemble band and the ΛCDM best fit (paper Fig. 4)",
		run:     runReconstruct,
	})
}

// paperReconstructionCost is the cost the paper reports for its network
// trained on the 20 simulated points (Section 4).
const paperReconstructionCost = 1.7

// costDefinition says what train_cost and val_cost are.
const costDefinition = "mean over points and both outputs of the squared error of (H, sigma_H) in (km/s/Mpc)^2 (Keras mse on unscaled targets)"

// reconstructRun is what reconstruct -json prints.
type reconstructRun struct {
	Data           string    `json:"data"`
	Points         int       `json:"points"`
	TrainPoints    []int     `json:"train_points"`
	ValPoints      []int     `json:"validation_points"`
	TrainCost      float64   `json:"train_cost"`
	ValCost        float64   `json:"val_cost"`
	CostDefinition string    `json:"cost_definition"`
	PaperCost      float64   `json:"paper_cost"`
	TrainLoss      float64   `json:"train_loss_scaled"`
	ValLoss        float64   `json:"val_loss_scaled"`
	Chi2           float64   `json:"chi2"`
	Z              []float64 `json:"z"`
	H              []float64 `json:"H"`
	Sigma          []float64 `json:"sigma"`
	Members        int       `json:"ensemble_members"`
	EnsembleMean   []float64 `json:"ensemble_mean,omitempty"`
	EnsembleStd    []float64 `json:"ensemble_std,omitempty"`
	EnsembleCost   float64   `json:"ensemble_mean_cost_H,omitempty"`
	EnsembleChi2   float64   `json:"ensemble_mean_chi2,omitempty"`
	LCDM           *lcdmJSON `json:"lcdm"`
	Loss           []float64 `json:"loss_history"`     // per epoch, scaled MSE
	ValLossHistory []float64 `json:"val_loss_history"` // per epoch, scaled MSE
	Hidden         int       `json:"hidden"`
	Epochs         int       `json:"epochs"`
	Seed           uint64    `json:"seed"`
	Figure         string    `json:"figure,omitempty"`
	Seconds        float64   `json:"seconds"`
}

type lcdmJSON struct {
	Om0    float64   `json:"Om0"`
	Om0Err float64   `json:"Om0_err"`
	H0     float64   `json:"H0"`
	H0Err  float64   `json:"H0_err"`
	Chi2   float64   `json:"chi2"`
	H      []float64 `json:"H"`
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
	dataFile := ""
	if _, err := os.Stat(*data); err == nil {
		dataFile = *data
	}
	if err := checkFiles(inFile("data", dataFile), outFile("out", *out)); err != nil {
		return err
	}
	warnShadowed(e, "data", *data, "cc31", "simulated20")
	ds, err := dataset.Load(*data, nil)
	if err != nil {
		return err
	}
	if ds.Kind != dataset.KindHz {
		return usagef("reconstruct: -data %s is not H(z) data", *data)
	}
	d := ds.Hz
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
	z := reconstruct.Grid(zlo, zhi, *gridN)
	curve := res.Curve(z)
	f := res.Fit
	run := &reconstructRun{
		Data: d.Name, Points: d.Len(), TrainPoints: f.Train, ValPoints: f.Val,
		TrainCost: f.TrainCost, ValCost: f.ValCost, CostDefinition: costDefinition, PaperCost: paperReconstructionCost,
		TrainLoss: f.TrainLoss, ValLoss: f.ValLoss, Chi2: f.Chi2,
		Z: curve.Z, H: curve.H, Sigma: curve.Sigma, Members: len(res.Members),
		EnsembleMean: curve.Mean, EnsembleStd: curve.Std,
		LCDM: &lcdmJSON{Om0: lcdm.Om0, Om0Err: lcdm.Om0Err, H0: lcdm.H0, H0Err: lcdm.H0Err, Chi2: lcdm.Chi2, H: lcdm.HZ(z)},
		Loss: f.History.Loss, ValLossHistory: f.History.ValLoss,
		Hidden: *hidden, Epochs: *epochs, Seed: *seed, Figure: *out,
	}
	run.EnsembleCost, run.EnsembleChi2, _ = res.EnsembleFit()
	fig := &plots.Reconstruction{
		Title: fmt.Sprintf("H(z) reconstruction from %s (%d points)", d.Name, d.Len()),
		DataZ: d.Z, DataH: d.H, DataSigma: d.Sigma, DataLabel: "data ± sigma_H",
		Z: z, H: curve.H, Sigma: curve.Sigma,
		HLabel:       fmt.Sprintf("network (1x%d sigmoid)", *hidden),
		SigmaLabel:   "network H ± its sigma_H output",
		Compare:      run.LCDM.H,
		CompareLabel: fmt.Sprintf("flat ΛCDM best fit (Ωm0 = %.3f, H0 = %.1f)", lcdm.Om0, lcdm.H0),
		Loss:         f.History.Loss, ValLoss: f.History.ValLoss, LossLabel: "MSE (scaled)",
	}
	if len(res.Members) > 0 {
		fig.Mean, fig.Std = curve.Mean, curve.Std
		fig.MeanLabel = fmt.Sprintf("ensemble mean (%d networks)", len(res.Members))
		fig.StdLabel = "ensemble ± 1 s.d. (perturbed data)"
	}
	if err := plots.ReconstructionPNG(*out, fig, 7*vg.Inch, 5*vg.Inch); err != nil {
		return err
	}
	run.Seconds = time.Since(start).Seconds()
	if *asJSON {
		return writeJSON(e.stdout, run)
	}
	w := e.stdout
	fmt.Fprintf(w, "reconstruct %s: %d points, z in [%s, %s]; network z -> %d sigmoid -> (H, sigma_H), Adam lr %s (cosine), batch %d, %d epochs, seed %d\n",
		d.Name, d.Len(), ff(zlo), ff(zhi), *hidden, ff(*lr), *batch, *epochs, *seed)
	fmt.Fprintf(w, "split: %d training, %d validation points (validation z = %s)\n", len(f.Train), len(f.Val), joinZ(d.Z, f.Val))
	fmt.Fprintf(w, "cost = MSE of (H, sigma_H) in (km/s/Mpc)^2: training %.4g, validation %.4g   [paper: %.1f]\n", f.TrainCost, f.ValCost, paperReconstructionCost)
	fmt.Fprintf(w, "loss = MSE of min-max scaled targets:        training %.4g, validation %.4g\n", f.TrainLoss, f.ValLoss)
	fmt.Fprintf(w, "chi2 of the network's H at the %d points: %.4g\n", d.Len(), f.Chi2)
	if lo, med, hi, ok := curve.BandWidth(); ok {
		fmt.Fprintf(w, "ensemble of %d networks on data perturbed within sigma_H: chi2 of the ensemble mean %.4g; band half-width %.3g to %.3g km/s/Mpc (median %.3g)\n",
			len(res.Members), run.EnsembleChi2, lo, hi, med)
	}
	fmt.Fprintf(w, "flat ΛCDM best fit: Om0 = %.4f ± %.4f, H0 = %.3f ± %.3f km/s/Mpc, chi2 = %.4g\n", lcdm.Om0, lcdm.Om0Err, lcdm.H0, lcdm.H0Err, lcdm.Chi2)
	fmt.Fprintf(w, "wrote %s in %.1f s\n", *out, run.Seconds)
	return nil
}

func joinZ(z []float64, idx []int) string {
	s := make([]string, len(idx))
	for i, k := range idx {
		s[i] = fmt.Sprintf("%.3g", z[k])
	}
	return strings.Join(s, ", ")
}
