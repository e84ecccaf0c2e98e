package sdss

import (
	"fmt"
	"slices"

	"gonum.org/v1/plot/vg"

	"github.com/cosmoemu/cosmoemu/plots"
)

// The paper's accuracies (Section 6) with 15 features: training,
// validation, test.
const (
	PaperTrainAccuracy = 0.9832
	PaperValAccuracy   = 0.9825
	PaperTestAccuracy  = 0.9765
)

// Summary is a Study in numbers, as `cosmoemu classify -json` prints it.
type Summary struct {
	Recipe      string             `json:"recipe"`
	Description string             `json:"description"`
	Data        string             `json:"data"`
	Features    []string           `json:"features"`
	Classes     []string           `json:"classes"`
	TrainAcc    float64            `json:"train_acc"`
	ValAcc      float64            `json:"val_acc"`
	TestAcc     float64            `json:"test_acc"`
	PaperAcc    map[string]float64 `json:"paper_acc"`
	Confusion   [][]int            `json:"confusion"` // test set, [true][predicted]
	Precision   []float64          `json:"precision"` // test set, per class
	Recall      []float64          `json:"recall"`
	TrainRows   int                `json:"train_rows"`
	ValRows     int                `json:"val_rows"`
	TestRows    int                `json:"test_rows"`
	BestEpoch   int                `json:"best_epoch"`
	Epochs      int                `json:"epochs"`
	Seed        uint64             `json:"seed"`
	Accuracy    []float64          `json:"accuracy_per_epoch"`
	ValAccuracy []float64          `json:"val_accuracy_per_epoch"`
	Without     *PhysicalSummary   `json:"without_identifiers,omitempty"`
	Importance  map[string]float64 `json:"permutation_importance,omitempty"`
	// Files names the files written, by kind (model, confusion, accuracy);
	// the caller fills it.
	Files  map[string]string `json:"files"`
	TrainS float64           `json:"train_seconds"`
	// Seconds is the wall time of the whole study, with its files; the
	// caller fills it.
	Seconds float64 `json:"seconds"`
}

// PhysicalSummary is the same recipe trained on PhysicalFeatures alone.
type PhysicalSummary struct {
	Features  []string  `json:"features"`
	TrainAcc  float64   `json:"train_acc"`
	ValAcc    float64   `json:"val_acc"`
	TestAcc   float64   `json:"test_acc"`
	Confusion [][]int   `json:"confusion"`
	Precision []float64 `json:"precision"`
	Recall    []float64 `json:"recall"`
	TrainS    float64   `json:"train_seconds"`
}

// Summary returns the numbers of the study of the table in the file data,
// made with the seed (Settings.Seed); Files is empty and Seconds zero.
func (r *StudyResult) Summary(data string, seed uint64) *Summary {
	c, rep := r.Classifier, r.Report
	s := &Summary{
		Recipe: c.Training.Recipe, Description: c.Training.Description, Data: data,
		Features: c.Features, Classes: c.Classes,
		TrainAcc: rep.Train.Accuracy, ValAcc: rep.Val.Accuracy, TestAcc: rep.Test.Accuracy,
		PaperAcc:  map[string]float64{"train": PaperTrainAccuracy, "val": PaperValAccuracy, "test": PaperTestAccuracy},
		Confusion: rep.Test.Confusion, Precision: rep.Test.Precision, Recall: rep.Test.Recall,
		TrainRows: rep.Train.N, ValRows: rep.Val.N, TestRows: rep.Test.N,
		BestEpoch: c.Training.BestEpoch, Epochs: len(rep.History.Loss), Seed: seed,
		Accuracy: rep.History.Accuracy, ValAccuracy: rep.History.ValAccuracy,
		Files: map[string]string{}, TrainS: rep.Seconds,
	}
	if p := r.Physical; p != nil {
		s.Without = &PhysicalSummary{
			Features: PhysicalFeatures, TrainAcc: p.Train.Accuracy, ValAcc: p.Val.Accuracy, TestAcc: p.Test.Accuracy,
			Confusion: p.Test.Confusion, Precision: p.Test.Precision, Recall: p.Test.Recall, TrainS: p.Seconds,
		}
	}
	if r.Importance != nil {
		s.Importance = map[string]float64{}
		for j, f := range c.Features {
			s.Importance[f] = r.Importance[j]
		}
	}
	return s
}

// ConfusionFigure draws the confusion matrix of the test set (the paper's
// Fig. 10) to path.
func (r *StudyResult) ConfusionFigure(path string) error {
	test := r.Report.Test
	title := fmt.Sprintf("SDSS test set (%d objects): accuracy %.2f%%", test.N, 100*test.Accuracy)
	return plots.Confusion(path, title, r.Classifier.Classes, test.Confusion, 5.5*vg.Inch, 4.5*vg.Inch)
}

// AccuracyFigure draws the accuracy and the loss per epoch (the paper's
// Fig. 9) to path, marking the epoch whose weights were kept.
func (r *StudyResult) AccuracyFigure(path string) error {
	h, best := r.Report.History, r.Classifier.Training.BestEpoch
	x := make([]float64, len(h.Accuracy))
	for i := range x {
		x[i] = float64(i + 1)
	}
	kept := func(y ...[]float64) plots.Series {
		lo, hi := y[0][0], y[0][0]
		for _, v := range y {
			lo, hi = min(lo, slices.Min(v)), max(hi, slices.Max(v))
		}
		return plots.Series{Label: fmt.Sprintf("kept weights (epoch %d)", best), X: []float64{float64(best), float64(best)}, Y: []float64{lo, hi}, Color: plots.Palette[6], Dashed: true}
	}
	return plots.Lines(path, []plots.Panel{
		{
			Title: "accuracy per epoch", XLabel: "epoch", YLabel: "accuracy", LegendBottom: true,
			Series: []plots.Series{
				{Label: "training (running mean over the epoch)", X: x, Y: h.Accuracy},
				{Label: "validation", X: x, Y: h.ValAccuracy, Dashed: true},
				kept(h.Accuracy, h.ValAccuracy),
			},
		},
		{
			Title: "cross-entropy per epoch", XLabel: "epoch", YLabel: "loss", LogY: true,
			Series: []plots.Series{
				{Label: "training", X: x, Y: h.Loss},
				{Label: "validation", X: x, Y: h.ValLoss, Dashed: true},
				kept(h.Loss, h.ValLoss),
			},
		},
	}, 2, 5*vg.Inch, 3.8*vg.Inch)
}
