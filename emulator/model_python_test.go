package emulator

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/cosmoemu/cosmoemu/cosmo"
	"github.com/cosmoemu/cosmoemu/internal/numpytest"
)

// docs/read_emu.py, with numpy only, reproduces the Go emulator: E, D_C,
// D_M at several redshifts and z*, r_s(z*), D_M(z*), for every model, at
// points where the early-universe network answers and, for the closed-form
// models, where the closed form does.
func TestPythonReaderModel(t *testing.T) {
	numpytest.Python(t)
	reader, err := filepath.Abs("../docs/read_emu.py")
	if err != nil {
		t.Fatal(err)
	}
	points := map[string][]map[string]float64{
		"lcdm":         {{"Om": 0.31, "H0": 68, "ombh2": 0.0224}, {"Om": 0.06, "H0": 88, "ombh2": 0.02}},
		"olcdm":        {{"Om": 0.3, "Ok": 0.05, "H0": 70, "ombh2": 0.0224}, {"Om": 0.08, "Ok": -0.25, "H0": 60, "ombh2": 0.02}},
		"wcdm":         {{"Om": 0.3, "w": -1.1, "H0": 70, "ombh2": 0.0224}, {"Om": 0.2, "w": -0.2, "H0": 70, "ombh2": 0.0224}},
		"w0wacdm":      {{"Om": 0.3, "w0": -0.8, "wa": -0.7, "H0": 66, "ombh2": 0.0222}, {"Om": 0.3, "w0": -0.1, "wa": -0.2, "H0": 66, "ombh2": 0.0222}},
		"quintessence": {{"Om": 0.3, "lambda": 1.1, "H0": 68, "ombh2": 0.0224}, {"Om": 0.5, "lambda": 0.2, "H0": 55, "ombh2": 0.025}},
	}
	zs := []float64{0.02, 0.3, 1.1, 2.5, 3}
	dir := t.TempDir()
	type job struct {
		File   string               `json:"file"`
		Points []map[string]float64 `json:"points"`
	}
	var jobs []job
	for _, m := range cosmo.Models() {
		f := filepath.Join(dir, m.Name()+".bin")
		if err := os.WriteFile(f, defaultBytes(t, m.Name()), 0o644); err != nil {
			t.Fatal(err)
		}
		jobs = append(jobs, job{f, points[m.Name()]})
	}
	in, _ := json.Marshal(struct {
		Jobs []job     `json:"jobs"`
		Z    []float64 `json:"z"`
	}{jobs, zs})
	const src = `
import importlib.util, json, sys
spec = importlib.util.spec_from_file_location("read_emu", sys.argv[1])
r = importlib.util.module_from_spec(spec); spec.loader.exec_module(r)
args = json.loads(sys.argv[2])
out = [[r.observables(r.load(j["file"]), p, args["z"]) for p in j["points"]] for j in args["jobs"]]
print(json.dumps(out))
`
	raw := numpytest.Run(t, src, reader, string(in))
	var py [][]map[string]any
	if err := json.Unmarshal(raw, &py); err != nil {
		t.Fatalf("%v\n%s", err, raw)
	}
	req := cosmo.Request{Z: zs, Distances: true, CMB: true}
	worst := 0.0
	for k, m := range cosmo.Models() {
		ev, err := Backend{}.NewEvaluator(m, req)
		if err != nil {
			t.Fatal(err)
		}
		res := cosmo.NewResult(req)
		for i, vals := range points[m.Name()] {
			p, err := m.NewParams(vals)
			if err != nil {
				t.Fatal(err)
			}
			if err := ev.Eval(res, &p); err != nil {
				t.Fatal(err)
			}
			got := py[k][i]
			check := func(name string, want float64, v any) {
				g, ok := v.(float64)
				worst = math.Max(worst, math.Abs(g/want-1))
				// Measured: 7.2e-13 (numpy's Chebyshev integration and sums
				// against the Go weights and nn's kernels).
				if !ok || math.Abs(g/want-1) > 3e-12 {
					t.Errorf("%s %v: %s: python %v, Go %v", m.Name(), vals, name, v, want)
				}
			}
			for j := range zs {
				check("E", res.E[j], got["E"].([]any)[j])
				check("DC", res.DC[j], got["DC"].([]any)[j])
				check("DM", res.DM[j], got["DM"].([]any)[j])
			}
			check("z_star", res.ZStar, got["z_star"])
			check("rs_star", res.RsStar, got["rs_star"])
			check("DM_star", res.DMStar, got["DM_star"])
		}
	}
	t.Logf("largest relative difference %.1e", worst)
}
