package reconstruct

import (
	"fmt"

	"gonum.org/v1/plot/vg"

	"github.com/cosmoemu/cosmoemu/plots"
)

// PaperCost is the cost the paper reports for its network trained on the
// 20 simulated points (Section 4), in the units of Fit.TrainCost.
const PaperCost = 1.7

// CostDefinition says what Report.TrainCost and Report.ValCost are.
const CostDefinition = "mean over points and both outputs of the squared error of (H, sigma_H) in (km/s/Mpc)^2 (Keras mse on unscaled targets)"

// Report is a reconstruction in numbers, as `cosmoemu reconstruct -json`
// prints it: the network's H(z) and σ_H(z) on a grid, its costs and
// history, the ensemble band and the ΛCDM best fit.
type Report struct {
	Data           string      `json:"data"`
	Points         int         `json:"points"`
	TrainPoints    []int       `json:"train_points"`
	ValPoints      []int       `json:"validation_points"`
	TrainCost      float64     `json:"train_cost"`
	ValCost        float64     `json:"val_cost"`
	CostDefinition string      `json:"cost_definition"`
	PaperCost      float64     `json:"paper_cost"`
	TrainLoss      float64     `json:"train_loss_scaled"`
	ValLoss        float64     `json:"val_loss_scaled"`
	Chi2           float64     `json:"chi2"`
	Z              []float64   `json:"z"`
	H              []float64   `json:"H"`
	Sigma          []float64   `json:"sigma"`
	Members        int         `json:"ensemble_members"`
	EnsembleMean   []float64   `json:"ensemble_mean,omitempty"`
	EnsembleStd    []float64   `json:"ensemble_std,omitempty"`
	EnsembleCost   float64     `json:"ensemble_mean_cost_H,omitempty"`
	EnsembleChi2   float64     `json:"ensemble_mean_chi2,omitempty"`
	LCDM           *LCDMReport `json:"lcdm"`
	Loss           []float64   `json:"loss_history"`     // per epoch, scaled MSE
	ValLossHistory []float64   `json:"val_loss_history"` // per epoch, scaled MSE
	Hidden         int         `json:"hidden"`
	Epochs         int         `json:"epochs"`
	Seed           uint64      `json:"seed"`
	// Figure and Seconds are the caller's: the figure it drew and the
	// wall time of the whole job.
	Figure  string  `json:"figure,omitempty"`
	Seconds float64 `json:"seconds"`
}

// LCDMReport is the flat ΛCDM best fit and its H(z) on the grid.
type LCDMReport struct {
	Om0    float64   `json:"Om0"`
	Om0Err float64   `json:"Om0_err"`
	H0     float64   `json:"H0"`
	H0Err  float64   `json:"H0_err"`
	Chi2   float64   `json:"chi2"`
	H      []float64 `json:"H"`
}

// Report returns the numbers of the reconstruction on the redshift grid z,
// with the ΛCDM best fit lcdm, for networks of hidden units trained for
// epochs epochs from seed.
func (r *Result) Report(lcdm *LCDM, z []float64, hidden, epochs int, seed uint64) *Report {
	curve := r.Curve(z)
	f := r.Fit
	rep := &Report{
		Data: r.Data.Name, Points: r.Data.Len(), TrainPoints: f.Train, ValPoints: f.Val,
		TrainCost: f.TrainCost, ValCost: f.ValCost, CostDefinition: CostDefinition, PaperCost: PaperCost,
		TrainLoss: f.TrainLoss, ValLoss: f.ValLoss, Chi2: f.Chi2,
		Z: curve.Z, H: curve.H, Sigma: curve.Sigma, Members: len(r.Members),
		EnsembleMean: curve.Mean, EnsembleStd: curve.Std,
		LCDM: &LCDMReport{Om0: lcdm.Om0, Om0Err: lcdm.Om0Err, H0: lcdm.H0, H0Err: lcdm.H0Err, Chi2: lcdm.Chi2, H: lcdm.HZ(z)},
		Loss: f.History.Loss, ValLossHistory: f.History.ValLoss,
		Hidden: hidden, Epochs: epochs, Seed: seed,
	}
	rep.EnsembleCost, rep.EnsembleChi2, _ = r.EnsembleFit()
	return rep
}

// Figure draws the reconstruction of rep (the paper's Fig. 4) to path:
// the data, the network's H(z) with its σ_H output, the ensemble band, the
// ΛCDM best fit and the loss history.
func (r *Result) Figure(path string, rep *Report) error {
	d := r.Data
	fig := &plots.Reconstruction{
		Title: fmt.Sprintf("H(z) reconstruction from %s (%d points)", d.Name, d.Len()),
		DataZ: d.Z, DataH: d.H, DataSigma: d.Sigma, DataLabel: "data ± sigma_H",
		Z: rep.Z, H: rep.H, Sigma: rep.Sigma,
		HLabel:       fmt.Sprintf("network (1x%d sigmoid)", rep.Hidden),
		SigmaLabel:   "network H ± its sigma_H output",
		Compare:      rep.LCDM.H,
		CompareLabel: fmt.Sprintf("flat ΛCDM best fit (Ωm0 = %.3f, H0 = %.1f)", rep.LCDM.Om0, rep.LCDM.H0),
		Loss:         rep.Loss, ValLoss: rep.ValLossHistory, LossLabel: "MSE (scaled)",
	}
	if len(r.Members) > 0 {
		fig.Mean, fig.Std = rep.EnsembleMean, rep.EnsembleStd
		fig.MeanLabel = fmt.Sprintf("ensemble mean (%d networks)", len(r.Members))
		fig.StdLabel = "ensemble ± 1 s.d. (perturbed data)"
	}
	return plots.ReconstructionPNG(path, fig, 7*vg.Inch, 5*vg.Inch)
}
