package emulator

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cosmoemu/cosmoemu/cosmo"
	"github.com/cosmoemu/cosmoemu/internal/numpytest"
)

// docs/read_emu.py, with numpy only, reproduces the Go emulators: the
// early universe's epochs (Early.Epochs) and the scalar field's E, D_C,
// D_M, w and lookback times at z ≤ 3 (Backend's evaluator), inside the
// domains and on their edges; and it refuses what Go refuses (other
// formats and versions, points outside the domain, z > 3).
func TestPythonReaderModel(t *testing.T) {
	numpytest.Python(t)
	reader, err := filepath.Abs("../docs/read_emu.py")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	file := func(name string, b []byte) string {
		f := filepath.Join(dir, name)
		if err := os.WriteFile(f, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return f
	}
	qb := defaultBytes(t, "quintessence")
	files := map[string]string{
		"early":     file("early.bin", defaultBytes(t, earlyModel)),
		"field":     file("quintessence.bin", qb),
		"friedmann": file("friedmann.bin", defaultBytes(t, friedmannModel)),
		"v1":        file("v1.bin", rewrite(t, qb, func(h map[string]any) { h["format_version"] = 1 })),
		"v3":        file("v3.bin", rewrite(t, qb, func(h map[string]any) { h["format_version"] = 3 })),
		"corrupt":   file("corrupt.bin", qb[:len(qb)-1]),
	}

	// The early universe: a Planck-like point, the corners of the box and
	// mixed edges (Σmν = 0, where the massive eigenstate disappears).
	early, err := DefaultEarly()
	if err != nil {
		t.Fatal(err)
	}
	ed := early.Domain()
	lo, hi := ed.Min, ed.Max
	earlyPts := [][5]float64{
		{0.0224, 0.12, 3.044, 0.06, 0},
		lo, hi,
		{lo[0], hi[1], hi[2], 0, lo[4]},
		{hi[0], lo[1], lo[2], hi[3], hi[4]},
		{0.021, 0.1, 2.5, 1e-3, -0.1},
	}
	// The outer tier: its corners and points outside the inner box.
	if wd, ok := early.WideDomain(); ok {
		earlyPts = append(earlyPts, wd.Min, wd.Max, [5]float64{0.01, 0.5, 3, 0.1, 0.2}, [5]float64{0.035, 0.003, 4, 0.5, -0.28})
	}

	// The field: the defaults of Σmν and N_eff (not given), the corners of
	// the box, both ends of the radiation coordinate u, and λ on its
	// limit λ_max(Ωm) − margin (less 1e-12: the logarithm of Ωm may round
	// differently in Python, and the limit with it).
	qe := defaultOf(t, cosmo.Quintessence)
	qd := qe.Domain()
	limit := func(om float64) float64 { return qd.LimitAt(om) - 1e-12 }
	fieldPts := []map[string]float64{
		{"Om": 0.3, "lambda": 1, "H0": 68},
		{"Om": 0.05, "lambda": 0, "H0": 50, "mnu": 0, "nnu": 2},
		{"Om": 0.7, "lambda": limit(0.7), "H0": 90, "mnu": 1, "nnu": 4.5},
		{"Om": 0.05, "lambda": limit(0.05), "H0": 50, "mnu": 0, "nnu": 4.5}, // u = 1
		{"Om": 0.7, "lambda": 0, "H0": 90, "mnu": 1, "nnu": 2},              // u = −1
		{"Om": 0.2, "lambda": limit(0.2), "H0": 70, "mnu": 1e-3, "nnu": 3.044},
		{"Om": 0.45, "lambda": 0.7, "H0": 61, "mnu": 0.3, "nnu": 3.5},
	}
	zs := []float64{0, 0.02, 0.3, 1.1, 2.5, 3}

	in, _ := json.Marshal(map[string]any{"files": files, "early": earlyPts, "field": fieldPts, "z": zs,
		"outside": []map[string]float64{
			{"Om": 0.3, "lambda": 1, "H0": 91},
			{"Om": 0.3, "lambda": qd.LimitAt(0.3) + 1e-9, "H0": 68},
			{"Om": 0.3, "lambda": 1, "H0": 68, "nnu": 1.9},
		}})
	const src = `
import importlib.util, json, sys
spec = importlib.util.spec_from_file_location("read_emu", sys.argv[1])
r = importlib.util.module_from_spec(spec); spec.loader.exec_module(r)
a = json.loads(sys.argv[2])
f = a["files"]
early, field = r.load(f["early"]), r.load(f["field"])
out = {"early": [early.epochs(*x) for x in a["early"]],
       "field": [field.observables(p, a["z"]) for p in a["field"]]}
def refused(fn):
    try:
        fn()
    except ValueError as e:
        return str(e)
    return ""
out["refused"] = {
    "friedmann": refused(lambda: r.load(f["friedmann"])),
    "v1": refused(lambda: r.load(f["v1"])),
    "v3": refused(lambda: r.load(f["v3"])),
    "corrupt": refused(lambda: r.load(f["corrupt"])),
    "early outside": refused(lambda: early.epochs(0.0224, 0.12, 3.044, 0.06, 0.35)),
    "z > 3": refused(lambda: field.observables(a["field"][0], [3.5])),
}
for i, p in enumerate(a["outside"]):
    out["refused"]["field outside %d" % i] = refused(lambda: field.observables(p, [1]))
print(json.dumps(out))
`
	raw := numpytest.Run(t, src, reader, string(in))
	var py struct {
		Early   []map[string]float64
		Field   []map[string][]float64
		Refused map[string]string
	}
	if err := json.Unmarshal(raw, &py); err != nil {
		t.Fatalf("%v\n%s", err, raw)
	}
	if len(py.Early) != len(earlyPts) || len(py.Field) != len(fieldPts) {
		t.Fatalf("python answered %d and %d points, want %d and %d", len(py.Early), len(py.Field), len(earlyPts), len(fieldPts))
	}

	// The differences are rounding: numpy's tanh, exp and sums against
	// Go's chains of fused multiply-adds, the network evaluated as stored
	// against Go's folded layers. Measured on amd64 at these points: 2.2e-16
	// (early) and 1.1e-12 (field, E at z = 3); at 1,500 random points of
	// each domain 1.1e-15 and 1.7e-12. The field's output layer is
	// ill-conditioned (docs/read_emu.py): a saturated unit's weight of 1e3
	// cancels the bias, so the last few 1e-13 of ln(1/E) are rounding.
	tol := map[string]float64{"early": 1e-14, "field": 3e-12}
	worst := map[string]float64{}
	check := func(what, name string, got, want, scale float64) {
		d := math.Abs(got-want) / math.Max(math.Abs(want), scale)
		worst[what] = math.Max(worst[what], d)
		if !(d <= tol[what]) {
			t.Errorf("%s: %s: python %v, Go %v (relative difference %.1e)", what, name, got, want, d)
		}
	}

	for i, x := range earlyPts {
		ep := cosmo.EarlyPoint{Ombh2: x[0], Omch2: x[1], Nnu: x[2], Mnu: x[3], Omkh2: x[4], DENegligible: true}
		want, err := early.Epochs(ep)
		if err != nil {
			t.Fatalf("early %v: %v", x, err)
		}
		got := py.Early[i]
		for _, c := range []struct {
			name string
			want float64
		}{{"z_star", want.ZStar}, {"z_drag", want.ZDrag}, {"rs_star", want.RsStar}, {"rd", want.Rd}} {
			check("early", c.name+" at "+ff5(x), got[c.name], c.want, 0)
		}
	}

	m := cosmo.Quintessence
	req := cosmo.Request{Z: zs, Distances: true, W: true, Age: true}
	ev, err := Backend{}.NewEvaluator(m, req)
	if err != nil {
		t.Fatal(err)
	}
	res := cosmo.NewResult(req)
	for i, vals := range fieldPts {
		p, err := m.NewParams(vals)
		if err != nil {
			t.Fatal(err)
		}
		if err := ev.Eval(res, &p); err != nil {
			t.Fatalf("%v: %v", vals, err)
		}
		got := py.Field[i]
		dH, tH := cosmo.HubbleDistance(p.H0), cosmo.GyrPerInvH0/p.H0
		for _, c := range []struct {
			name  string
			want  []float64
			scale float64 // below it, absolute differences (D_C and t_L vanish at z = 0)
		}{{"E", res.E, 0}, {"DC", res.DC, 1e-3 * dH}, {"DM", res.DM, 1e-3 * dH}, {"w", res.W, 1e-3}, {"lookback", res.Lookback, 1e-3 * tH}} {
			if len(got[c.name]) != len(zs) {
				t.Fatalf("%v: python gave %d values of %s", vals, len(got[c.name]), c.name)
			}
			for j, z := range zs {
				check("field", c.name+" at z = "+ff(z)+", "+fmtPoint(vals), got[c.name][j], c.want[j], c.scale)
			}
		}
	}
	t.Logf("largest relative difference: early %.1e, field %.1e", worst["early"], worst["field"])

	for name, want := range map[string]string{
		"friedmann": "read_model.py", "v1": "massless neutrinos", "v3": "format version 3",
		"corrupt": "checksum", "early outside": "omkh2", "z > 3": "z = 3.5",
		"field outside 0": "H0", "field outside 1": "lambda", "field outside 2": "nnu",
	} {
		if got := py.Refused[name]; !strings.Contains(got, want) {
			t.Errorf("%s: python's error %q does not say %q", name, got, want)
		}
	}
}

func ff5(x [5]float64) string {
	s := make([]string, len(x))
	for i, v := range x {
		s[i] = ff(v)
	}
	return "(" + strings.Join(s, ", ") + ")"
}

func fmtPoint(vals map[string]float64) string {
	b, _ := json.Marshal(vals)
	return string(b)
}
