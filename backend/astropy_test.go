package backend

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os/exec"
	"testing"

	"github.com/cosmoemu/cosmoemu/cosmo"
	"github.com/cosmoemu/cosmoemu/internal/numpytest"
)

// astropyScript computes the observables with astropy.cosmology for the
// points read from stdin, with our radiation convention: Tcmb0 = 2.7255 K,
// Neff = 3.046 massless neutrinos (m_nu = 0). astropy's ω_γ differs from
// ours by 3e-11 relative (it converts units through cgs); that is far below
// the 1e-7 compared here, so no constant is adjusted.
const astropyScript = `
import json, sys
import numpy as np
import astropy.units as u
from astropy.cosmology import FlatLambdaCDM, LambdaCDM, FlatwCDM, Flatw0waCDM
req = json.load(sys.stdin)
z = np.array(req["z"])
out = []
common = dict(Tcmb0=2.7255, Neff=3.046, m_nu=0 * u.eV)
for p in req["points"]:
    m = p["model"]
    if m == "lcdm":
        c = FlatLambdaCDM(H0=p["H0"], Om0=p["Om"], **common)
    elif m == "olcdm":
        c = LambdaCDM(H0=p["H0"], Om0=p["Om"], Ode0=1 - p["Om"] - p["Ok"] - 0, **common)
        # Ode0 above ignores radiation: fix it so that Ok is exactly p["Ok"].
        c = LambdaCDM(H0=p["H0"], Om0=p["Om"], Ode0=1 - p["Om"] - p["Ok"] - c.Ogamma0 - c.Onu0, **common)
    elif m == "wcdm":
        c = FlatwCDM(H0=p["H0"], Om0=p["Om"], w0=p["w"], **common)
    else:
        c = Flatw0waCDM(H0=p["H0"], Om0=p["Om"], w0=p["w0"], wa=p["wa"], **common)
    out.append(dict(
        Ok=float(c.Ok0),
        E=c.efunc(z).tolist(),
        DC=c.comoving_distance(z).to_value(u.Mpc).tolist(),
        DM=c.comoving_transverse_distance(z).to_value(u.Mpc).tolist(),
        DL=c.luminosity_distance(z).to_value(u.Mpc).tolist(),
        mu=c.distmod(z).to_value(u.mag).tolist(),
        lookback=c.lookback_time(z).to_value(u.Gyr).tolist(),
        age=float(c.age(0).to_value(u.Gyr)),
    ))
json.dump(out, sys.stdout)
`

// randomPoint draws a point of m inside the default prior box, away from
// its physically excluded corners.
func randomPoint(m *cosmo.Model, rng *rand.Rand) map[string]float64 {
	u := func(lo, hi float64) float64 { return lo + (hi-lo)*rng.Float64() }
	v := map[string]float64{"Om": u(0.05, 0.7), "H0": u(50, 90)}
	switch m.Name() {
	case "olcdm":
		v["Ok"] = u(-0.3, 0.3)
	case "wcdm":
		v["w"] = u(-2, -0.3)
	case "w0wacdm":
		v["w0"] = u(-2, 0)
		v["wa"] = u(-3, math.Min(2, -v["w0"]-0.1))
	case "quintessence":
		v["lambda"] = u(0, 1.5)
	}
	return v
}

// TestAgainstAstropy compares every distance of the closed-form models with
// astropy.cosmology at random points, for 0.01 ≤ z ≤ 3 and at z = 1090:
// the analytic backend at its default nodes and the solver at its default
// tolerance.
func TestAgainstAstropy(t *testing.T) {
	python := numpytest.Modules(t, "astropy")
	rng := rand.New(rand.NewPCG(8, 1))
	z := []float64{0.01, 0.05, 0.1, 0.2, 0.35, 0.5, 0.7, 1, 1.3, 1.7, 2, 2.33, 2.6, 3, 1090}
	type point struct {
		model *cosmo.Model
		vals  map[string]float64
	}
	var pts []point
	var payload []map[string]any
	for _, m := range cosmo.Models()[:4] {
		for range 12 {
			v := randomPoint(m, rng)
			pts = append(pts, point{m, v})
			row := map[string]any{"model": m.Name()}
			for k, x := range v {
				row[k] = x
			}
			payload = append(payload, row)
		}
	}
	in, _ := json.Marshal(map[string]any{"z": z, "points": payload})
	cmd := exec.Command(python, "-c", astropyScript)
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("astropy: %v\n%s", err, stderr.String())
	}
	var want []struct {
		Ok                      float64
		E, DC, DM, DL, Mu, Look []float64
		Lookback                []float64
		Age                     float64
	}
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	req := cosmo.Request{Z: z, Distances: true, Age: true}
	// The issue asks for 1e-7. Measured: analytic 1.4e-11 (the quadrature
	// is exact to rounding for these integrands), solver 5.6e-8 (its
	// tolerance, 1e-9, accumulated to z = 1090).
	limit := map[string]float64{"analytic": 1e-10, "solver": 1e-7}
	for _, be := range []cosmo.Backend{Analytic{}, Solver{}} {
		worst := 0.0
		for k, pt := range pts {
			// astropy's massless neutrinos: Σmν = 0, N_eff = 3.046.
			pt.vals["mnu"], pt.vals["nnu"] = 0, 3.046
			p, err := pt.model.NewParams(pt.vals)
			if err != nil {
				t.Fatal(err)
			}
			ev, err := be.NewEvaluator(pt.model, req)
			if err != nil {
				t.Fatal(err)
			}
			res := cosmo.NewResult(req)
			if err := ev.Eval(res, &p); err != nil {
				t.Fatalf("%s %s %v: %v", be.Name(), pt.model.Name(), pt.vals, err)
			}
			w := want[k]
			if pt.model.Curved() && math.Abs(w.Ok-p.Ok) > 1e-14 {
				t.Fatalf("astropy Ok %v, want %v", w.Ok, p.Ok)
			}
			check := func(what string, got, exp float64) {
				e := relErr(got, exp)
				if what == "mu" {
					e = math.Abs(got - exp)
				}
				worst = math.Max(worst, e)
				if !(e <= limit[be.Name()]) {
					t.Errorf("%s %s %v: %s %.12g, astropy %.12g (difference %.2e)", be.Name(), pt.model.Name(), pt.vals, what, got, exp, e)
				}
			}
			for i, zi := range z {
				check("E", res.E[i], w.E[i])
				check("DC", res.DC[i], w.DC[i])
				// In a closed universe D_M = sin(√|Ωk| D_C)/√|Ωk| is
				// ill-conditioned past the equator of the 3-sphere (D_M
				// falls to 0 at the antipode): compare it where its
				// relative error is that of D_C at most.
				if x := math.Sqrt(math.Max(-p.Ok, 0)) * res.DC[i] / cosmo.HubbleDistance(p.H0); x < math.Pi/2 {
					check("DM", res.DM[i], w.DM[i])
					check("DL", res.DL(i, zi), w.DL[i])
					check("mu", res.Mu(i, zi), w.Mu[i])
				}
				if zi <= 3 {
					check("lookback", res.Lookback[i], w.Lookback[i])
				}
			}
			check("age", res.Age, w.Age)
		}
		t.Logf("%s: max relative difference from astropy %.2e over %d points × %d redshifts", be.Name(), worst, len(pts), len(z))
	}
}

// astropyTiming times Flatw0waCDM.comoving_distance at 50 redshifts in
// [0.01, 2.5] plus z = 1090 (a new cosmology object each time, as a fit
// would make), best of 7 repeats of 200 calls, in µs per call.
const astropyTiming = `
import timeit
import numpy as np
import astropy.units as u
from astropy.cosmology import Flatw0waCDM
z = np.append(np.linspace(0.01, 2.5, 50), 1090.0)
def f():
    c = Flatw0waCDM(H0=67.0, Om0=0.31, w0=-0.9, wa=-0.3, Tcmb0=2.7255, Neff=3.046, m_nu=0 * u.eV)
    c.comoving_distance(z)
print(min(timeit.repeat(f, number=200, repeat=7)) / 200 * 1e6)
`

// BenchmarkAgainstAstropy measures, in one run, astropy's distances
// (comoving distance at 50 redshifts plus z = 1090, for w0waCDM) and this
// package's full evaluation of the same model (D_M and D_H at the 50
// redshifts plus z*, r_s(z*), D_M(z*), hence R and l_A), and reports the
// ratio as "astropy/op": how many of our evaluations fit in one of
// astropy's.
func BenchmarkAgainstAstropy(b *testing.B) {
	python := numpytest.Modules(b, "astropy")
	out, err := exec.Command(python, "-c", astropyTiming).Output()
	if err != nil {
		b.Fatal(err)
	}
	var astropyUs float64
	if _, err := fmt.Sscan(string(out), &astropyUs); err != nil {
		b.Fatal(err)
	}
	for _, be := range []cosmo.Backend{Analytic{}, Solver{}} {
		b.Run(be.Name(), func(b *testing.B) {
			benchFull(b, be, cosmo.W0WaCDM)
			perOp := b.Elapsed().Seconds() / float64(b.N) * 1e6
			b.ReportMetric(astropyUs, "astropy-µs")
			b.ReportMetric(astropyUs/perOp, "astropy/op")
		})
	}
}
