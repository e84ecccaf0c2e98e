package sdss

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/cosmoemu/cosmoemu/nn"
)

const dr14 = "../../data/sdss/sdss_dr14.csv"

var (
	tableOnce sync.Once
	table     *Table
	tableErr  error
)

// fullTable reads the DR14 table once for all tests.
func fullTable(t *testing.T) *Table {
	t.Helper()
	tableOnce.Do(func() { table, tableErr = ReadFile(dr14, PaperFeatures, true) })
	if tableErr != nil {
		t.Fatal(tableErr)
	}
	return table
}

func TestReadDR14(t *testing.T) {
	tb := fullTable(t)
	if tb.Rows() != 10000 {
		t.Fatalf("%d rows, want 10000", tb.Rows())
	}
	counts := make([]int, len(Classes))
	for _, c := range tb.Class {
		counts[c]++
	}
	if want := []int{4998, 850, 4152}; !slices.Equal(counts, want) {
		t.Errorf("class counts %v (GALAXY, QSO, STAR), want %v", counts, want)
	}
	if tb.Line[0] != 2 || tb.Line[9999] != 10001 {
		t.Errorf("lines %d…%d, want 2…10001", tb.Line[0], tb.Line[9999])
	}
	// First data line: ra 183.5313257, redshift -8.96E-06, fiberid 491.
	row := tb.X.RawRowView(0)
	if row[0] != 183.5313257 || row[11] != -8.96e-06 || row[14] != 491 {
		t.Errorf("first row %v", row)
	}
	if len(PaperFeatures) != 15 {
		t.Errorf("%d paper features, want 15", len(PaperFeatures))
	}
	for _, f := range PhysicalFeatures {
		if slices.Contains(IdentifierColumns, f) || !slices.Contains(PaperFeatures, f) {
			t.Errorf("physical feature %q", f)
		}
	}
}

func TestReadErrors(t *testing.T) {
	header := "objid,ra,dec,u,g,r,i,z,run,rerun,camcol,field,specobjid,class,redshift,plate,mjd,fiberid\n"
	good := "1.23765E+18,183.5,0.09,19.4,17.0,15.9,15.5,15.2,752,301,4,267,3.72236E+18,STAR,-8.96E-06,3306,54922,491\n"
	for _, tc := range []struct {
		name, text string
		needClass  bool
		want       string
	}{
		{"unknown class", header + good + strings.Replace(good, "STAR", "BLAZAR", 1), true, `x.csv:3: column class: unknown class "BLAZAR" (want GALAXY, QSO, STAR)`},
		{"missing column", strings.Replace(header, ",redshift", "", 1) + strings.Replace(good, ",-8.96E-06", "", 1), true, "x.csv:1: column redshift: missing from the header"},
		{"missing class", strings.Replace(header, ",class", "", 1) + strings.Replace(good, ",STAR", "", 1), true, "x.csv:1: column class: missing from the header"},
		{"non-numeric", header + good + good + strings.Replace(good, "19.4", "bright", 1), true, `x.csv:4: column u: "bright" is not a number`},
		{"empty cell", header + strings.Replace(good, ",267,", ",,", 1), true, "x.csv:2: column field: empty value"},
		{"infinite", header + strings.Replace(good, "15.9", "Inf", 1), true, `x.csv:2: column r: "Inf" is not a finite number`},
		{"overflow", header + strings.Replace(good, "15.9", "1e999", 1), true, `x.csv:2: column r: "1e999" is not a finite number`},
		{"field count", header + good + "1,2,3\n", true, "x.csv:3: 3 fields, want 18"},
		{"duplicate column", strings.Replace(header, "dec", "ra", 1) + good, true, "x.csv:1: column ra: appears twice"},
		{"no data", header, true, "x.csv:2: no data lines"},
		{"empty", "", true, "x.csv:1: empty file"},
		{"bad quote", header + `"1,2` + "\n", true, "x.csv:2:"},
	} {
		_, err := Read(strings.NewReader(tc.text), "x.csv", PaperFeatures, tc.needClass)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
	}
	// Without needClass a file without labels is fine, and labels are
	// matched ignoring case and spaces; CRLF line ends are accepted.
	text := strings.ReplaceAll(header+strings.Replace(good, "STAR", " star ", 1), "\n", "\r\n")
	tb, err := Read(strings.NewReader(text), "x.csv", PhysicalFeatures, false)
	if err != nil || tb.Rows() != 1 || tb.Class[0] != 2 {
		t.Fatalf("%v %+v", err, tb)
	}
	noClass := strings.Replace(header, ",class", "", 1) + strings.Replace(good, ",STAR", "", 1)
	if tb, err = Read(strings.NewReader(noClass), "x.csv", PhysicalFeatures, false); err != nil || tb.Class != nil {
		t.Fatalf("%v %+v", err, tb)
	}
}

func TestStratifiedSplit(t *testing.T) {
	tb := fullTable(t)
	s, err := StratifiedSplit(tb.Class, 3, 2000, 0.2, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Test) != 2000 || len(s.Val) != 1600 || len(s.Train) != 6400 {
		t.Fatalf("sizes %d/%d/%d", len(s.Train), len(s.Val), len(s.Test))
	}
	seen := make([]bool, tb.Rows())
	for _, set := range [][]int{s.Train, s.Val, s.Test} {
		if !slices.IsSorted(set) {
			t.Error("indices not sorted")
		}
		for _, i := range set {
			if seen[i] {
				t.Fatalf("row %d in two sets", i)
			}
			seen[i] = true
		}
	}
	// Class proportions within one row of exact.
	total := []float64{4998, 850, 4152}
	for name, set := range map[string][]int{"test": s.Test, "validation": s.Val} {
		counts := make([]int, 3)
		for _, i := range set {
			counts[tb.Class[i]]++
		}
		for c := range 3 {
			exact := total[c] / 10000 * float64(len(set))
			if d := float64(counts[c]) - exact; d > 1 || d < -1 {
				t.Errorf("%s: class %s has %d rows, proportional share %.1f", name, Classes[c], counts[c], exact)
			}
		}
	}
	again, _ := StratifiedSplit(tb.Class, 3, 2000, 0.2, rand.New(rand.NewPCG(1, 2)))
	if !slices.Equal(again.Test, s.Test) || !slices.Equal(again.Train, s.Train) {
		t.Error("the same seed gives a different split")
	}
	other, _ := StratifiedSplit(tb.Class, 3, 2000, 0.2, rand.New(rand.NewPCG(2, 2)))
	if slices.Equal(other.Test, s.Test) {
		t.Error("another seed gives the same split")
	}
	if _, err := StratifiedSplit(tb.Class, 3, 10000, 0.2, rand.New(rand.NewPCG(1, 2))); err == nil {
		t.Error("no error for a test set of every row")
	}
	if _, err := StratifiedSplit(tb.Class, 3, 10, 1, rand.New(rand.NewPCG(1, 2))); err == nil {
		t.Error("no error for validation fraction 1")
	}
}

func TestApportion(t *testing.T) {
	for _, tc := range []struct {
		counts []int
		total  int
		want   []int
	}{
		{[]int{4998, 850, 4152}, 2000, []int{1000, 170, 830}},
		{[]int{1, 1, 1}, 2, []int{1, 1, 0}},
		{[]int{5, 0, 5}, 3, []int{2, 0, 1}},
		{[]int{3, 7}, 10, []int{3, 7}},
		{[]int{3, 7}, 0, []int{0, 0}},
	} {
		if got := apportion(tc.counts, tc.total); !slices.Equal(got, tc.want) {
			t.Errorf("apportion(%v, %d) = %v, want %v", tc.counts, tc.total, got, tc.want)
		}
	}
}

func TestEvaluate(t *testing.T) {
	truth := []int{0, 0, 0, 1, 1, 2}
	pred := []int{0, 0, 1, 1, 2, 2}
	m := Evaluate(pred, truth, 3)
	if m.N != 6 || m.Correct != 4 || m.Accuracy != 4.0/6 {
		t.Errorf("%+v", m)
	}
	want := [][]int{{2, 1, 0}, {0, 1, 1}, {0, 0, 1}}
	for i := range want {
		if !slices.Equal(m.Confusion[i], want[i]) {
			t.Errorf("confusion %v, want %v", m.Confusion, want)
		}
	}
	if !slices.Equal(m.Precision, []float64{1, 0.5, 0.5}) || !slices.Equal(m.Recall, []float64{2.0 / 3, 0.5, 1}) {
		t.Errorf("precision %v recall %v", m.Precision, m.Recall)
	}
	if e := Evaluate(nil, nil, 3); e.Accuracy != 0 || e.Precision[0] != 0 {
		t.Errorf("empty: %+v", e)
	}
}

// subset returns n rows of the DR14 table, the same for every test.
func subset(t *testing.T, n int) *Table {
	tb := fullTable(t)
	idx := rand.New(rand.NewPCG(7, 7)).Perm(tb.Rows())[:n]
	slices.Sort(idx)
	return tb.Subset(idx)
}

// small are quick settings for tests: a subset-sized test set and a small
// network.
func small(features []string) *Settings {
	s := Default()
	s.Features = features
	s.Hidden = []int{32, 32}
	s.Epochs = 12
	s.Test = 500
	s.LearningRate = 3e-3
	return s
}

func TestTrainSubset(t *testing.T) {
	tb := subset(t, 2500)
	c, rep, err := Train(context.Background(), tb, small(PaperFeatures))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Test.N != 500 || rep.Val.N != 400 || rep.Train.N != 1600 {
		t.Errorf("sizes %d/%d/%d", rep.Train.N, rep.Val.N, rep.Test.N)
	}
	// Measured: 0.984, 0.993 and 0.990. Training is reproducible bit for
	// bit, so the bound of 0.975 leaves room for changes to the recipe,
	// not for a regression of more than a few rows.
	for name, m := range map[string]Metrics{"train": rep.Train, "validation": rep.Val, "test": rep.Test} {
		if m.Accuracy < 0.975 {
			t.Errorf("%s accuracy %.4f < 0.975", name, m.Accuracy)
		}
	}
	if len(rep.History.Accuracy) != 12 || len(rep.History.ValAccuracy) != 12 {
		t.Errorf("history of %d epochs", len(rep.History.Accuracy))
	}
	if c.Training.Recipe != "custom" || c.Accuracy.Test != rep.Test.Accuracy || len(c.Asinh) != 1 {
		t.Errorf("metadata %+v %+v", c.Training, c.Asinh)
	}

	// Deterministic for a seed, whatever the number of workers.
	s := small(PaperFeatures)
	s.Workers = 1
	c1, _, err := Train(context.Background(), tb, s)
	if err != nil {
		t.Fatal(err)
	}
	b0, _ := c.MarshalBinary()
	b1, _ := c1.MarshalBinary()
	if !bytes.Equal(b0, b1) {
		t.Error("the same seed gives different classifier files with 1 worker")
	}
	s.Seed = 2
	c2, _, _ := Train(context.Background(), tb, s)
	if slices.Equal(c.Net.Params(nil), c2.Net.Params(nil)) {
		t.Error("another seed gives the same classifier")
	}
}

func TestPaperRecipeSubset(t *testing.T) {
	// The paper's recipe, shortened, learns too: the redshift is
	// informative even as a plain z-score.
	s := Paper()
	s.Hidden = []int{32, 32}
	s.Epochs = 12
	s.Test = 500
	s.LearningRate = 3e-3
	c, rep, err := Train(context.Background(), subset(t, 2500), s)
	if err != nil {
		t.Fatal(err)
	}
	// Measured 0.910: the linear redshift separates stars from galaxies
	// poorly (docs/sdss.md).
	if rep.Test.Accuracy < 0.9 || len(c.Asinh) != 0 {
		t.Errorf("test accuracy %.4f, stretches %v", rep.Test.Accuracy, c.Asinh)
	}
	if Paper().Redshift != RedshiftLinear || Paper().Activation != nn.Sigmoid || Paper().Optimizer != RMSprop {
		t.Error("Paper() is not the paper's recipe")
	}
}

func TestSaveLoadPredict(t *testing.T) {
	tb := subset(t, 1500)
	s := small(PhysicalFeatures)
	s.Test = 300
	s.Epochs = 4
	c, rep, err := Train(context.Background(), tb, s)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "sdss.bin")
	if err := c.Save(path); err != nil {
		t.Fatal(err)
	}
	d, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(d.Features, PhysicalFeatures) || d.Accuracy.Test != rep.Test.Accuracy || d.Training.Seed != c.Training.Seed || len(d.Asinh) != 1 {
		t.Errorf("loaded %+v", d)
	}
	if got := d.Evaluate(tb.Subset(rep.Split.Test)); got.Accuracy != rep.Test.Accuracy {
		t.Errorf("loaded classifier: test accuracy %v, want %v", got.Accuracy, rep.Test.Accuracy)
	}
	// Prediction on rows without a class column, with the columns in
	// another order and extra ones.
	text := "fiberid,redshift,z,i,r,g,u,dec,ra\n491,-8.96E-06,15.22531,15.50342,15.94699,17.0424,19.47406,0.08969303,183.5313257\n" +
		"1,1.5,19.1,19.2,19.3,19.4,19.9,0.1,183\n"
	rows, err := Read(strings.NewReader(text), "rows.csv", d.Features, false)
	if err != nil {
		t.Fatal(err)
	}
	pred, err := d.Predict(rows)
	if err != nil {
		t.Fatal(err)
	}
	if len(pred) != 2 || Classes[pred[0]] != "STAR" {
		t.Errorf("predicted %v", pred)
	}

	b, _ := os.ReadFile(path)
	if _, err := Decode(b[:len(b)-1]); err == nil || !strings.Contains(err.Error(), "checksum") {
		t.Errorf("truncated file: %v", err)
	}
	if _, err := Load(filepath.Join(t.TempDir(), "none.bin")); err == nil {
		t.Error("no error for a missing file")
	}
	bad := bytes.Replace(b, []byte(FormatName), []byte("cosmoemu-friedmann!"), 1)
	if _, err := Decode(bad); err == nil {
		t.Error("no error for a modified header")
	}
}

func TestSettingsErrors(t *testing.T) {
	tb := subset(t, 200)
	for _, mod := range []func(*Settings){
		func(s *Settings) { s.Optimizer = "lbfgs" },
		func(s *Settings) { s.Redshift = "log" },
		func(s *Settings) { s.Hidden = []int{0} },
		func(s *Settings) { s.Init = "zeros" },
		func(s *Settings) { s.Test = 200 },
		func(s *Settings) { s.Features = []string{"ra", "class"} },
		func(s *Settings) { s.Features = []string{"ra", "nope"} },
		func(s *Settings) { s.LearningRate = -1 },
	} {
		s := small(PaperFeatures)
		s.Test = 50
		mod(s)
		if _, _, err := Train(context.Background(), tb, s); err == nil {
			t.Errorf("no error for %+v", s)
		}
	}
}

func TestImportance(t *testing.T) {
	tb := subset(t, 2500)
	c, rep, err := Train(context.Background(), tb, small(PaperFeatures))
	if err != nil {
		t.Fatal(err)
	}
	test := tb.Subset(rep.Split.Test)
	imp, err := Importance(c, test, 2, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	// Shuffling the redshift costs the most accuracy, by far: measured
	// 0.457, the next column (u) 0.079.
	rank := Ranked(imp)
	z := slices.Index(PaperFeatures, "redshift")
	if rank[0] != z || imp[z] < 0.4 || imp[rank[1]] > 0.15 {
		t.Errorf("importance %v: redshift (%d) is not first with a large drop", imp, z)
	}
	again, _ := Importance(c, test, 2, rand.New(rand.NewPCG(1, 1)))
	if !slices.Equal(imp, again) {
		t.Error("the same seed gives different importances")
	}
	if got := Ranked([]float64{0.1, 0.3, 0.1, -0.2}); !slices.Equal(got, []int{1, 0, 2, 3}) {
		t.Errorf("Ranked = %v", got)
	}
	if _, err := Importance(c, test, 0, rand.New(rand.NewPCG(1, 1))); err == nil {
		t.Error("no error for 0 repeats")
	}
	unlabelled := *test
	unlabelled.Class = nil
	if _, err := Importance(c, &unlabelled, 1, rand.New(rand.NewPCG(1, 1))); err == nil {
		t.Error("no error for a table without classes")
	}
}

// Study trains the classifier, the comparison on the physical features and
// the importance as the command line did, reading the file once.
func TestStudy(t *testing.T) {
	tb := subset(t, 1500)
	var b strings.Builder
	if err := writeCSV(&b, tb); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "rows.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	s := small(PaperFeatures)
	s.Test, s.Epochs = 300, 3
	calls := map[int]int{}
	r, err := Study(context.Background(), path, s, &StudySettings{Physical: true, Importance: 1, Progress: func(run, runs int, e nn.Epoch) {
		if runs != 2 {
			t.Errorf("%d runs", runs)
		}
		calls[run]++
	}})
	if err != nil {
		t.Fatal(err)
	}
	if calls[0] != 3 || calls[1] != 3 {
		t.Errorf("progress calls %v", calls)
	}
	if r.Physical == nil || r.Physical.Test.N != 300 || len(r.Importance) != 15 || r.Classifier == nil {
		t.Errorf("result %+v", r)
	}
	if total := r.Counts[0] + r.Counts[1] + r.Counts[2]; total != 1500 {
		t.Errorf("counts %v", r.Counts)
	}
	// The same as Train on the table, bit for bit.
	c, _, err := Train(context.Background(), tb, s)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c.Net.Params(nil), r.Classifier.Net.Params(nil)) {
		t.Error("Study trains another classifier than Train")
	}
	// Without the comparison and the importance, neither is made.
	r, err = Study(context.Background(), path, s, nil)
	if err != nil || r.Physical != nil || r.Importance != nil {
		t.Errorf("plain study: %v, %+v", err, r)
	}
	if _, err := Study(context.Background(), path, s, &StudySettings{Importance: -1}); err == nil {
		t.Error("no error for -1 repeats")
	}
}

// writeCSV writes a labelled table with the columns of PaperFeatures.
func writeCSV(w *strings.Builder, tb *Table) error {
	w.WriteString(strings.Join(tb.Features, ",") + ",class\n")
	for r := range tb.Rows() {
		for _, v := range tb.X.RawRowView(r) {
			fmt.Fprintf(w, "%v,", v)
		}
		w.WriteString(Classes[tb.Class[r]] + "\n")
	}
	return nil
}

func TestParseFeatures(t *testing.T) {
	for _, tc := range []struct {
		spec string
		want []string
	}{{"paper", PaperFeatures}, {"physical", PhysicalFeatures}, {" ra, dec", []string{"ra", "dec"}}} {
		if got, err := ParseFeatures(tc.spec); err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("ParseFeatures(%q) = %v, %v", tc.spec, got, err)
		}
	}
	for _, spec := range []string{"ra,,dec", "ra,ra", ""} {
		if _, err := ParseFeatures(spec); err == nil {
			t.Errorf("ParseFeatures(%q): no error", spec)
		}
	}
}
