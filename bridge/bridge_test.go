package bridge

import (
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cosmoemu/cosmoemu/backend"
	"github.com/cosmoemu/cosmoemu/cosmo"
	"github.com/cosmoemu/cosmoemu/fit"
	"github.com/cosmoemu/cosmoemu/internal/pool"
)

func TestTable(t *testing.T) {
	tab := NewTable()
	b, err := NewBackground(BackgroundConfig{Model: "lcdm", Params: []string{"Om", "H0"}})
	if err != nil {
		t.Fatal(err)
	}
	h := tab.Put(b)
	if got, err := Lookup[*Background](tab, h); err != nil || got != b {
		t.Fatalf("Lookup = %v, %v", got, err)
	}
	if _, err := Lookup[*Likelihood](tab, h); err == nil || !strings.Contains(err.Error(), "is a background handle, not a likelihood handle") {
		t.Errorf("wrong kind: %v", err)
	}
	if err := tab.Close(h); err != nil {
		t.Fatal(err)
	}
	if _, err := tab.Get(h); err == nil || !strings.Contains(err.Error(), "(background) is closed") {
		t.Errorf("after Close: %v", err)
	}
	if err := tab.Close(h); err == nil {
		t.Error("closing twice: no error")
	}
	if _, err := tab.Get(99); err == nil || !strings.Contains(err.Error(), "never issued") {
		t.Errorf("unknown handle: %v", err)
	}
	if h2 := tab.Put(b); h2 == h {
		t.Error("a handle was reused")
	}
}

func TestGuardRecoversPanics(t *testing.T) {
	err := Guard(func() error { panic("boom") })
	if err == nil || !strings.Contains(err.Error(), "boom") {
		t.Fatalf("Guard = %v", err)
	}
	err = rows(100, 1, func(lo, hi int) error {
		if hi == 100 {
			panic("a worker") // the last chunk: a worker goroutine's, or with GOMAXPROCS = 1 the only one
		}
		return nil
	})
	if err == nil || !strings.Contains(err.Error(), "internal error") {
		t.Fatalf("rows = %v", err)
	}

	// A panic in a task on a goroutine of internal/pool (the samplers'
	// workers) is raised on the caller, which Guard turns into an error
	// naming the worker's panic.
	var took atomic.Bool
	p := pool.New(2, func(int) { took.Store(true); panic("in a pool worker") })
	defer p.Close()
	p.Start(1) // the caller takes no task before Wait: the helper runs it
	for deadline := time.Now().Add(10 * time.Second); !took.Load(); {
		if time.Now().After(deadline) {
			t.Fatal("the pool's helper took no task within 10 s")
		}
	}
	err = Guard(func() error { p.Wait(); return nil })
	var pe *pool.PanicError
	if !errors.As(err, &pe) || !strings.Contains(err.Error(), "in a pool worker") {
		t.Fatalf("Guard over a pool whose tasks panic = %v", err)
	}
}

// The numbers of Background.Eval are those of backend.Observe (the
// command line), bit for bit, in batches shared among goroutines.
func TestBackgroundIsObserve(t *testing.T) {
	names := []string{"Om", "w0", "wa", "H0", "ombh2", "sigma8"}
	bg, err := NewBackground(BackgroundConfig{Model: "w0wacdm", Params: names})
	if err != nil {
		t.Fatal(err)
	}
	pts := [][]float64{{0.3, -0.9, -0.3, 67, 0.0224, 0.8}, {0.32, -0.7, -1, 66.5, 0.0224, 0.81}, {0.3, -0.5, 0.6, 70, 0.0224, 0.8}, {0.28, -1.1, 0.2, 72, 0.0221, 0.79}}
	z := []float64{0.1, 0.5, 1, 2.33}
	n := len(pts)
	var flat []float64
	for _, p := range pts {
		flat = append(flat, p...)
	}
	perZ, sc, st := outputs(bg, n, len(z))
	failed, first, err := bg.Eval(flat, n, z, nil, perZ, sc, st)
	if err != nil {
		t.Fatal(err)
	}
	if failed != 1 || st[2] != 1 || !strings.Contains(first, "point 2") {
		t.Errorf("failed %d, status %v, first %q: want point 2 unphysical", failed, st, first)
	}
	early, _ := fit.NewEarly("exact", false)
	for i, p := range pts {
		vals := map[string]float64{}
		for k, name := range names {
			vals[name] = p[k]
		}
		cp, err := cosmo.W0WaCDM.NewParams(vals)
		if err != nil {
			if st[i] == 0 {
				t.Errorf("point %d: %v", i, err)
			}
			continue
		}
		obs, err := backend.Observe(backend.Analytic{Early: early}, cosmo.W0WaCDM, cp, z, nil)
		if err != nil {
			t.Fatal(err)
		}
		for j := range z {
			at := func(k int) float64 { return perZ[(k*n+i)*len(z)+j] }
			if at(1) != obs.H[j] || at(3) != obs.DM[j] || at(6) != obs.Mu[j] || at(8) != obs.DV[j] || at(10) != obs.Lookback[j] {
				t.Errorf("point %d z %g: differs from Observe", i, z[j])
			}
			if at(11) != obs.DRatio[j] || at(12) != obs.F[j] || at(13) != obs.FS8OverS8[j] || at(14) != obs.FSigma8[j] || at(15) != obs.Sigma8Z[j] {
				t.Errorf("point %d z %g: the growth differs from Observe", i, z[j])
			}
		}
		if sc[1*n+i] != *obs.Rd || sc[7*n+i] != *obs.LA || sc[10*n+i] != obs.AgeGyr || sc[12*n+i] != obs.D0 || sc[13*n+i] != *obs.S8 {
			t.Errorf("point %d: scalars differ from Observe", i)
		}
	}
	for k := range ZColumns {
		if v := perZ[(k*n+2)*len(z)]; !math.IsNaN(v) {
			t.Errorf("failed point: %s = %g, want NaN", ZColumns[k], v)
		}
	}
}

func TestBackgroundBadInput(t *testing.T) {
	for _, tc := range []struct {
		cfg  BackgroundConfig
		want string
	}{
		{BackgroundConfig{Model: "lcdm", Params: []string{"Om"}}, "needs parameter H0"},
		{BackgroundConfig{Model: "lcdm", Params: []string{"Om", "H0", "w"}}, `does not take parameter "w"`},
		{BackgroundConfig{Model: "lcdm", Params: []string{"Om", "H0", "Om"}}, "twice"},
		{BackgroundConfig{Model: "lcdm", Params: []string{"omch2", "H0"}}, "only with ω_b"},
		{BackgroundConfig{Model: "quintessence", Params: []string{"Om", "H0", "lambda"}, Backend: "analytic"}, "no closed form"},
		{BackgroundConfig{Model: "lcdm", Params: []string{"Om", "H0"}, Early: "soon"}, "soon"},
		// No emulator answers: the closed form, and an early-universe
		// emulator without ω_b to feed it.
		{BackgroundConfig{Model: "lcdm", Params: []string{"Om", "H0"}, NoFallback: true}, "no_fallback: no emulator answers (backend analytic"},
		{BackgroundConfig{Model: "lcdm", Params: []string{"Om", "H0"}, Early: "emulator", NoFallback: true}, "no_fallback: no emulator answers"},
	} {
		if _, err := NewBackground(tc.cfg); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want %q", tc.cfg, err, tc.want)
		}
	}
	bg, _ := NewBackground(BackgroundConfig{Model: "lcdm", Params: []string{"Om", "H0"}})
	perZ, sc, st := outputs(bg, 1, 2)
	for _, tc := range []struct {
		params, z []float64
		want      string
	}{
		{[]float64{0.3}, []float64{1, 2}, "1 values for 1 points of 2 parameters"},
		{[]float64{0.3, 70}, []float64{1, -2}, "redshift 1 = -2"},
		{[]float64{0.3, 70}, []float64{1, math.NaN()}, "redshift 1 = NaN"},
		{[]float64{0.3, 70}, []float64{1}, "output arrays"},
	} {
		if _, _, err := bg.Eval(tc.params, 1, tc.z, nil, perZ, sc, st); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v at %v: %v, want %q", tc.params, tc.z, err, tc.want)
		}
	}
}

func TestNoFallbackWithoutEmulator(t *testing.T) {
	// cc31 needs no early universe and the closed form answers ΛCDM.
	_, err := NewLikelihood(LikelihoodConfig{Model: "lcdm", Data: []string{"cc31"}, Backend: "analytic", NoFallback: true})
	if err == nil || !strings.Contains(err.Error(), "no_fallback: no emulator answers this likelihood (backend analytic, early universe not needed)") {
		t.Errorf("cc31, analytic: %v", err)
	}
	for _, cfg := range []LikelihoodConfig{
		{Model: "lcdm", Data: []string{"cc31"}, Backend: "emulator", NoFallback: true},
		{Model: "lcdm", Data: []string{"desi-dr2", "theta-star"}, Backend: "analytic", NoFallback: true}, // the early universe's emulator
	} {
		if _, err := NewLikelihood(cfg); err != nil {
			t.Errorf("%+v: %v", cfg, err)
		}
	}
	bg, err := NewBackground(BackgroundConfig{Model: "lcdm", Params: []string{"Om", "H0", "ombh2"}, Early: "emulator", NoFallback: true})
	if err != nil || bg.cfg.Backend != "analytic" {
		t.Errorf("early emulator with ombh2: %v", err)
	}
}

func TestLikelihood(t *testing.T) {
	l := flagship(t)
	var info map[string]any
	b, err := l.Info()
	if err != nil || json.Unmarshal(b, &info) != nil {
		t.Fatal(err)
	}
	if l.Dim() != 5 || l.NDerived() != 5 || l.NData() != 3 {
		t.Fatalf("dim %d, derived %d, data %d", l.Dim(), l.NDerived(), l.NData())
	}
	th := append(append([]float64{}, flagshipPoint...), 0.3, -0.5, 0.6, 70, 0.0224) // the second is unphysical
	out, der := make([]float64, 2), make([]float64, 10)
	if err := l.LogPost(th, 2, out, der); err != nil {
		t.Fatal(err)
	}
	if want := l.post.LogProb(flagshipPoint); out[0] != want || !math.IsInf(out[1], -1) {
		t.Errorf("LogPost = %v, want %v and −Inf", out, want)
	}
	total, by, st := make([]float64, 2), make([]float64, 6), make([]int32, 2)
	failed, first, err := l.Chi2(th, 2, total, by, st)
	if err != nil || failed != 1 || st[1] != 1 || !strings.Contains(first, "point 1") {
		t.Errorf("Chi2: %d failed, %q, %v", failed, first, err)
	}
	if total[0] != der[0] || by[0] != der[1] {
		t.Errorf("Chi2 %v, %v differs from the derived χ² %v", total, by, der[:4])
	}
	th[7] = math.NaN()
	if err := l.LogPost(th, 2, out, nil); err == nil || !strings.Contains(err.Error(), "point 1: wa = NaN") {
		t.Errorf("NaN: %v", err)
	}
	u, x := []float64{0, 0.5, 1, 0.25, 2}, make([]float64, 5)
	if err := l.Transform(u, 1, x); err == nil || !strings.Contains(err.Error(), "ombh2 is 2, outside [0, 1]") {
		t.Errorf("Transform: %v", err)
	}
}

// Many goroutines share a likelihood and a background (go test -race).
func TestConcurrentUse(t *testing.T) {
	l := flagship(t)
	bg, _ := NewBackground(BackgroundConfig{Model: "w0wacdm", Params: []string{"Om", "w0", "wa", "H0"}})
	want := l.post.LogProb(flagshipPoint)
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			th := make([]float64, 0, 40)
			for range 8 {
				th = append(th, flagshipPoint...)
			}
			out := make([]float64, 8)
			z := []float64{0.5, float64(g%2) + 1}
			perZ, sc, st := outputs(bg, 8, 2)
			for range 20 {
				if err := l.LogPost(th, 8, out, nil); err != nil {
					errs <- err
					return
				}
				for _, v := range out {
					if v != want {
						errs <- errors.New("different ln P")
						return
					}
				}
				if _, _, err := bg.Eval(th[:32], 8, z, nil, perZ, sc, st); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestFitJobCancel(t *testing.T) {
	j, err := StartFit(FitConfig{LikelihoodConfig: LikelihoodConfig{Data: []string{"desi-dr2"}}, Steps: 1000000})
	if err != nil {
		t.Fatal(err)
	}
	j.Cancel()
	if !j.Wait(time.Minute) {
		t.Fatal("the run did not stop")
	}
	if _, err := j.Result(); err == nil {
		t.Error("a cancelled run gave a result")
	}
	if _, err := StartFit(FitConfig{LikelihoodConfig: LikelihoodConfig{Data: []string{"desi-dr2"}}, Sampler: "gibbs"}); err == nil {
		t.Error("sampler gibbs accepted")
	}
}

func TestCatalogues(t *testing.T) {
	for _, f := range []func() ([]byte, error){Models, DataSets} {
		b, err := f()
		var v []map[string]any
		if err != nil || json.Unmarshal(b, &v) != nil || len(v) < 5 {
			t.Errorf("%s: %v", b, err)
		}
	}
}

// A point that Observe refuses is refused by Background.Eval with
// Observe's message: past the antipode of a closed universe, and E² ≤ 0
// before z*.
func TestBackgroundErrorsAreObserve(t *testing.T) {
	early, _ := fit.NewEarly("exact", false)
	names := []string{"Om", "Ok", "H0", "ombh2"}
	bg, err := NewBackground(BackgroundConfig{Model: "olcdm", Params: names})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		pt []float64
		z  float64
	}{{[]float64{0.3, -0.9, 70, 0.0224}, 1000}, {[]float64{0.05, -0.9, 70, 0.0224}, 1}} {
		vals := map[string]float64{}
		for k, name := range names {
			vals[name] = tc.pt[k]
		}
		cp, err := cosmo.OLCDM.NewParams(vals)
		if err != nil {
			t.Fatal(err)
		}
		_, want := backend.Observe(backend.Analytic{Early: early}, cosmo.OLCDM, cp, []float64{tc.z}, nil)
		var pe *cosmo.PointError
		if !errors.As(want, &pe) {
			t.Fatalf("%v at z = %g: Observe gives %v, want a PointError", tc.pt, tc.z, want)
		}
		perZ, sc, st := outputs(bg, 1, 1)
		failed, first, err := bg.Eval(tc.pt, 1, []float64{tc.z}, nil, perZ, sc, st)
		if err != nil || failed != 1 || st[0] != 1 || !strings.HasSuffix(first, ": "+want.Error()) {
			t.Errorf("%v at z = %g: %d failed, status %v, %q, %v; want Observe's %q", tc.pt, tc.z, failed, st, first, err, want)
		}
	}
}

// outputs returns Eval's output arrays for n points at nz redshifts, sized
// by bg's columns.
func outputs(bg *Background, n, nz int) (perZ, scalars []float64, status []int32) {
	zc, sc := bg.Columns()
	return make([]float64, len(zc)*n*nz), make([]float64, len(sc)*n), make([]int32, n)
}

// TestColumnsWithoutGrowth: the growth columns are filled only when asked
// for (Growth, or sigma8 among the parameters), and Info names what Eval
// fills.
func TestColumnsWithoutGrowth(t *testing.T) {
	for _, tc := range []struct {
		cfg    BackgroundConfig
		nz, ns int
	}{
		{BackgroundConfig{Model: "lcdm", Params: []string{"Om", "H0"}}, len(ZColumns) - 5, len(ScalarColumns) - 2},
		{BackgroundConfig{Model: "lcdm", Params: []string{"Om", "H0"}, Growth: true}, len(ZColumns), len(ScalarColumns)},
		{BackgroundConfig{Model: "lcdm", Params: []string{"Om", "H0", "sigma8"}}, len(ZColumns), len(ScalarColumns)},
	} {
		bg, err := NewBackground(tc.cfg)
		if err != nil {
			t.Fatal(err)
		}
		zc, sc := bg.Columns()
		if len(zc) != tc.nz || len(sc) != tc.ns || slices.Contains(zc[:len(zc)-1], "D_ratio") != (tc.nz == len(ZColumns)) {
			t.Errorf("%+v: columns %v, %v", tc.cfg, zc, sc)
		}
		var info struct {
			Z []string `json:"z_columns"`
		}
		b, _ := bg.Info()
		if err := json.Unmarshal(b, &info); err != nil || !slices.Equal(info.Z, zc) {
			t.Errorf("%+v: Info's z_columns %v, want %v (%v)", tc.cfg, info.Z, zc, err)
		}
		pts := []float64{0.3, 70, 0.8, 0.31, 68, 0.8}
		if len(tc.cfg.Params) == 2 {
			pts = []float64{0.3, 70, 0.31, 68}
		}
		perZ, scal, st := outputs(bg, 2, 3)
		if failed, _, err := bg.Eval(pts, 2, []float64{0.5, 1, 2}, nil, perZ, scal, st); err != nil || failed != 0 {
			t.Errorf("%+v: %d failed, %v", tc.cfg, failed, err)
		}
		for k, v := range perZ {
			if math.IsNaN(v) && !strings.HasPrefix(zc[k/6], "fsigma8") && zc[k/6] != "sigma8_z" {
				t.Errorf("%+v: %s is NaN", tc.cfg, zc[k/6])
				break
			}
		}
	}
}
