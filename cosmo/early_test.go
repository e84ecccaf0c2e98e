package cosmo_test

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/integrate/quad"

	"github.com/cosmoemu/cosmoemu/backend"
	"github.com/cosmoemu/cosmoemu/cosmo"
	"github.com/cosmoemu/cosmoemu/solver"
)

// TestClosedFormEarly: the early-universe integrals of the closed form
// with the emulator's node counts match the solver at a tight tolerance
// (the distance from z = 3 to z*, the age beyond z = 3) and a brute-force
// quadrature (the sound horizon), also at the corners of the models (early
// dark energy, near-loitering curvature) and with massive neutrinos.
func TestClosedFormEarly(t *testing.T) {
	jNd, rsNd, ageNd := cosmo.NewNodes(24), cosmo.NewNodes(12), cosmo.NewNodes(40)
	const zSplit = 3.0
	cases := []struct {
		m *cosmo.Model
		p cosmo.Params
	}{
		{cosmo.LCDM, cosmo.Params{Nnu: 3.044, Om: 0.05, H0: 50}},
		{cosmo.OLCDM, cosmo.Params{Nnu: 3.044, Om: 0.07, Ok: -0.3, H0: 90}},
		{cosmo.OLCDM, cosmo.Params{Nnu: 3.044, Om: 0.05, Ok: 0.3, H0: 60}},
		{cosmo.WCDM, cosmo.Params{Nnu: 3.044, Om: 0.05, DE: cosmo.Values{-0.01}, H0: 70}},
		{cosmo.WCDM, cosmo.Params{Nnu: 3.044, Om: 0.7, DE: cosmo.Values{-2}, H0: 70}},
		{cosmo.W0WaCDM, cosmo.Params{Nnu: 3.044, Om: 0.05, DE: cosmo.Values{-0.1, 0.09}, H0: 80}},
		{cosmo.W0WaCDM, cosmo.Params{Nnu: 3.044, Om: 0.05, DE: cosmo.Values{-2, 1.99}, H0: 50}},
		{cosmo.W0WaCDM, cosmo.Params{Nnu: 3.044, Om: 0.3, DE: cosmo.Values{0, -3}, H0: 70}},
		{cosmo.LCDM, cosmo.Params{Nnu: 3.044, Mnu: 0.06, Om: 0.31, H0: 67}},
		{cosmo.W0WaCDM, cosmo.Params{Nnu: 2.5, Mnu: 0.9, Om: 0.35, DE: cosmo.Values{-0.7, -1}, H0: 60}},
		{cosmo.OLCDM, cosmo.Params{Nnu: 4, Mnu: 0.3, Om: 0.2, Ok: 0.2, H0: 80}},
	}
	for _, c := range cases {
		p := c.p
		h := p.H()
		p.Ombh2, p.HasOmbh2 = math.Min(0.022, 0.8*p.Om*h*h), true
		zs := cosmo.Decoupling(p.Om*h*h, p.Ombh2)
		req := cosmo.Request{Z: []float64{zSplit, zs}, Distances: true, Age: true}
		tight := &solver.Settings{RTol: 1e-11, ATol: 1e-11}
		an, err := backend.Solver{Settings: tight}.NewEvaluator(c.m, req)
		if err != nil {
			t.Fatal(err)
		}
		res := cosmo.NewResult(req)
		if err := an.Eval(res, &p); err != nil {
			t.Fatal(err)
		}
		ex := c.m.Expansion(&p)
		rb := cosmo.BaryonPhotonRatio(p.Ombh2)
		rs := ex.SoundHorizon(1/(1+zs), rb, rsNd)
		// r_s by brute-force Gauss–Legendre in t = √a, without the
		// radiation–matter decomposition.
		wantRs := quad.Fixed(func(t float64) float64 {
			a := t * t
			return 2 * t / math.Sqrt(ex.A4E2(a, math.Log(a))*3*(1+rb*a))
		}, 0, math.Sqrt(1/(1+zs)), 400, nil, 0)
		j := ex.ComovingBetween(1/(1+zs), 1/(1+zSplit), jNd)
		dH := cosmo.HubbleDistance(p.H0)
		wantJ := (res.DC[1] - res.DC[0]) / dH
		tail := ex.AgeAt(1/(1+zSplit), ageNd)
		wantTail := (res.Age - res.Lookback[0]) * p.H0 / cosmo.GyrPerInvH0
		// Measured: below 1.5e-9; the solver at 1e-11 is good to 3e-10.
		for _, q := range []struct {
			name      string
			got, want float64
		}{{"r_s", rs, wantRs}, {"J", j, wantJ}, {"age tail", tail, wantTail}} {
			if d := math.Abs(q.got/q.want - 1); d > 3e-9 {
				t.Errorf("%s %+v: %s = %.12g, solver %.12g (%.1e)", c.m.Name(), p, q.name, q.got, q.want, d)
			} else if testing.Verbose() {
				t.Logf("%s %s: %.1e", c.m.Name(), q.name, d)
			}
		}
	}
}

// TestEarlyPointDarkEnergy checks the dark energy an EarlyPoint reports at
// z = 800 against the expansion's own Ω_DE(z) (DEFraction), for CPL with
// wa ≠ 0, whose density carries e^{−3wa z/(1+z)}: a share computed with
// z/(1+z) = 0 (integer division of the constant, the bug this guards
// against) missed that factor, e^{9} for wa = −3.
func TestEarlyPointDarkEnergy(t *testing.T) {
	for _, c := range [][2]float64{{-0.5, -0.2}, {0.5, -1.2}, {-2, 1.5}, {-0.9, 0.3}} {
		p, err := cosmo.W0WaCDM.NewParams(map[string]float64{cosmo.NameOm: 0.3, cosmo.NameH0: 68, cosmo.NameOmbh2: 0.0224, "w0": c[0], "wa": c[1]})
		if err != nil {
			t.Fatal(err)
		}
		ep := cosmo.W0WaCDM.EarlyPoint(&p)
		ex := cosmo.W0WaCDM.Expansion(&p)
		const z = 800.0
		want := ex.DEFraction(z) * ex.E2Z(z) / (ex.Ocb * (1 + z) * (1 + z) * (1 + z))
		if math.Abs(ep.DEShare/want-1) > 1e-12 {
			t.Errorf("w0 = %g, wa = %g: share %.10g, want %.10g", c[0], c[1], ep.DEShare, want)
		}
		if w := c[0] + c[1]*z/(1+z); math.Abs(ep.DEW-w) > 1e-15 {
			t.Errorf("w0 = %g, wa = %g: w(800) = %v, want %v", c[0], c[1], ep.DEW, w)
		}
		if ep.DENegligible != (want <= cosmo.EarlyDETol) {
			t.Errorf("w0 = %g, wa = %g: share %.3g, negligible %v", c[0], c[1], want, ep.DENegligible)
		}
	}
}
