package likelihood

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/cosmoemu/cosmoemu/backend"
	"github.com/cosmoemu/cosmoemu/cosmo"
	"github.com/cosmoemu/cosmoemu/data"
	"github.com/cosmoemu/cosmoemu/internal/numpytest"
	"github.com/cosmoemu/cosmoemu/param"
)

// TestRSDSets: the three BOSS/eBOSS sets with fσ8 load with their
// quantities in the files' order, the values and covariances of the
// release files (Cobaya's bao_data, byte for byte), and need r_d and σ8.
func TestRSDSets(t *testing.T) {
	D, H, F, M, S := data.DMOverRd, data.DHOverRd, data.FSigma8, data.DMScaled, data.HScaled
	for _, c := range []struct {
		name      string
		z         []float64
		q         []data.Quantity
		first     float64
		last      float64
		cov00     float64
		covLast   float64
		rdFid     float64
		fs8, fs8z float64 // one fσ8 row
	}{
		{"sdss-dr12-fs", []float64{0.38, 0.38, 0.38, 0.51, 0.51, 0.51, 0.61, 0.61, 0.61}, []data.Quantity{M, S, F, M, S, F, M, S, F},
			1518.36, 0.436148, 500.049, 0.00118576, 147.78, 0.457523, 0.51},
		{"sdss-dr16-lrg-fs", []float64{0.38, 0.38, 0.38, 0.51, 0.51, 0.51, 0.698, 0.698, 0.698}, []data.Quantity{D, H, F, D, H, F, D, H, F},
			10.27, 0.4730038921505922, 0.02289714, 1.961623533477494404e-03, 0, 0.459, 0.51},
		{"sdss-dr16-qso-fs", []float64{1.48, 1.48, 1.48}, []data.Quantity{D, H, F}, 30.21, 0.462, 0.62274104, 0.00201957, 0, 0.462, 1.48},
	} {
		d := loadBAO(t, c.name)
		n := d.Len()
		if n != len(c.z) || d.RdFid != c.rdFid {
			t.Fatalf("%s: %d rows, RdFid %g; want %d, %g", c.name, n, d.RdFid, len(c.z), c.rdFid)
		}
		for i := range n {
			if d.Z[i] != c.z[i] || d.Quantity[i] != c.q[i] {
				t.Errorf("%s row %d: z = %g, %v; want %g, %v", c.name, i+1, d.Z[i], d.Quantity[i], c.z[i], c.q[i])
			}
			if d.Quantity[i] == F && d.Z[i] == c.fs8z && d.Value[i] != c.fs8 {
				t.Errorf("%s: fσ8(z = %g) = %g, want %g", c.name, c.fs8z, d.Value[i], c.fs8)
			}
		}
		if d.Value[0] != c.first || d.Value[n-1] != c.last || d.Cov.At(0, 0) != c.cov00 || math.Abs(d.Cov.At(n-1, n-1)/c.covLast-1) > 1e-15 {
			t.Errorf("%s: values %v … %v, covariance %v … %v", c.name, d.Value[0], d.Value[n-1], d.Cov.At(0, 0), d.Cov.At(n-1, n-1))
		}
		l, _, err := Open(c.name, nil)
		if err != nil {
			t.Fatal(err)
		}
		if nd := l.Needs(); !nd.Rd || !nd.Sigma8 || nd.Ombh2 || nd.H0 {
			t.Errorf("%s needs %+v, want r_d and σ8", c.name, nd)
		}
	}
}

// TestRSDCombinations: DR12-final or DR16-LRG, never both; neither with
// sdss-dr12 (BAO only), nor any with DESI; LRG with QSO (eBOSS 2021), and
// DR12-final with QSO, are fine.
func TestRSDCombinations(t *testing.T) {
	for _, c := range []struct {
		sets []string
		want string // "" for allowed
	}{
		{[]string{"sdss-dr16-lrg-fs", "sdss-dr16-qso-fs"}, ""},
		{[]string{"sdss-dr12-fs", "sdss-dr16-qso-fs"}, ""},
		{[]string{"sdss-dr12-fs", "sdss-dr16-qso-fs", "union3", "planck18-distance"}, ""},
		{[]string{"sdss-dr12-fs", "sdss-dr16-lrg-fs"}, "use DR12-final or DR16-LRG, never both"},
		{[]string{"sdss-dr16-lrg-fs", "sdss-dr12-fs"}, "use DR12-final or DR16-LRG, never both"},
		{[]string{"sdss-dr12", "sdss-dr12-fs"}, "the BAO part of the same BOSS DR12 consensus"},
		{[]string{"sdss-dr16-lrg-fs", "sdss-dr12"}, "holds BOSS DR12's two lower bins"},
		{[]string{"desi-dr2", "sdss-dr12-fs"}, "overlapping redshifts"},
		{[]string{"sdss-dr16-lrg-fs", "desi-dr1"}, "overlapping redshifts"},
		{[]string{"sdss-dr16-qso-fs", "desi-dr2"}, "overlapping redshifts"},
		{[]string{"desi-dr1-eboss-lya", "sdss-dr16-qso-fs"}, "overlapping redshifts"},
	} {
		var likes []Likelihood
		for _, s := range c.sets {
			l, _, err := Open(s, nil)
			if err != nil {
				t.Fatal(err)
			}
			likes = append(likes, l)
		}
		needs, err := Combine(likes)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%v: %v", c.sets, err)
		case c.want == "" && !needs.Sigma8:
			t.Errorf("%v: needs %+v, want σ8", c.sets, needs)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%v: error %v, want one containing %q", c.sets, err, c.want)
		}
	}
}

// rsdPython computes the χ² of the three sets from the release files with
// an independent numpy/scipy implementation: flat ΛCDM with radiation
// (photons and N_eff massless neutrinos, CODATA 2018 constants), D_M by
// quad, the growth of Ωm by DOP853 at rtol 1e-12 from the Mészáros mode
// at a = 1e-7, fσ8 = σ8 f D/D0.
const rsdPython = `
import json, sys
import numpy as np
from scipy.integrate import quad, solve_ivp
om, h, s8, hrd, neff = [float(v) for v in sys.argv[1:6]]
sb, G, c, mpc = 5.670374419e-8, 6.67430e-11, 299792458.0, 3.0856775814913673e22
rho_g = 4*sb*2.7255**4/c**3
h100 = 1e5/mpc
og = rho_g/(3*h100**2/(8*np.pi*G))/h**2
orr = og*(1 + 7/8*(4/11)**(4/3)*neff)
ol = 1 - om - orr
E = lambda z: np.sqrt(orr*(1+z)**4 + om*(1+z)**3 + ol)
rd = hrd/h
ckm = c/1e3
DM = lambda z: ckm/(100*h)*quad(lambda x: 1/E(x), 0, z, epsabs=0, epsrel=1e-13)[0]
DH = lambda z: ckm/(100*h*E(z))
def rhs(N, y):
    a = np.exp(N); e2 = orr/a**4 + om/a**3 + ol
    dlnE = -0.5*(4*orr/a**4 + 3*om/a**3)/e2
    omN = om/a**3/e2
    return [y[1], 1.5*omN - y[1]*(y[1] + 2 + dlnE)]
N0 = np.log(1e-7); a0 = np.exp(N0)
omi = om/a0**3/(orr/a0**4 + om/a0**3 + ol); f0 = 3*omi/(2 + omi)
sol = solve_ivp(rhs, [N0, 0], [N0 - np.log(f0), f0], method='DOP853', rtol=1e-12, atol=1e-14, dense_output=True)
lnD0 = sol.sol(0)[0]
def fs8(z):
    y = sol.sol(-np.log1p(z))
    return s8*y[1]*np.exp(y[0] - lnD0)
out = {}
for name, mean, cov, scaled in [
        ('sdss-dr12-fs', 'sdss_DR12Consensus_final.dat', 'final_consensus_covtot_dM_Hz_fsig.txt', True),
        ('sdss-dr16-lrg-fs', 'sdss_DR16_BAOplus_LRG_FSBAO_DMDHfs8.dat', 'sdss_DR16_BAOplus_LRG_FSBAO_DMDHfs8_covtot.txt', False),
        ('sdss-dr16-qso-fs', 'sdss_DR16_BAOplus_QSO_FSBAO_DMDHfs8.dat', 'sdss_DR16_BAOplus_QSO_FSBAO_DMDHfs8_covtot.txt', False)]:
    rows = [l.split() for l in open('../data/rsd/' + mean) if l.strip()]
    C = np.loadtxt('../data/rsd/' + cov)
    r = []
    for z, v, q in rows:
        z, v = float(z), float(v)
        if q == 'f_sigma8': t = fs8(z)
        elif q == 'DM_over_rs': t = DM(z)*147.78/rd if scaled else DM(z)/rd
        elif q == 'bao_Hz_rs': t = 100*h*E(z)*rd/147.78
        elif q == 'DH_over_rs': t = DH(z)/rd
        r.append(t - v)
    r = np.array(r)
    out[name] = float(r @ np.linalg.solve(C, r))
json.dump(out, sys.stdout)
`

// TestRSDChi2AgainstPython: the χ² of each set at a point of flat ΛCDM
// (massless neutrinos, r_d from h·r_d) against the independent numpy/scipy
// computation of rsdPython. Measured: 1.8e-9 relative at most.
func TestRSDChi2AgainstPython(t *testing.T) {
	numpytest.Modules(t, "scipy")
	const om, h, s8, hrd, neff = 0.31, 0.6766, 0.8, 99.0, 3.046
	var want map[string]float64
	out := numpytest.Run(t, rsdPython, "0.31", "0.6766", "0.8", "99.0", "3.046")
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	fixed := map[string]float64{"Om": om, "H0": 100 * h, "sigma8": s8, "mnu": 0, "nnu": neff}
	space, err := param.NewSpace([]param.Param{HRd}, []param.Prior{HRd.DefaultPrior()})
	if err != nil {
		t.Fatal(err)
	}
	worst := 0.0
	for name, w := range want {
		l, _, err := Open(name, nil)
		if err != nil {
			t.Fatal(err)
		}
		post, err := NewPosterior(cosmo.LCDM, backend.Analytic{}, []Likelihood{l}, space, fixed)
		if err != nil {
			t.Fatal(err)
		}
		got, _, err := post.Chi2([]float64{hrd})
		if err != nil {
			t.Fatal(err)
		}
		d := math.Abs(got/w - 1)
		worst = math.Max(worst, d)
		t.Logf("%s: χ² = %.10g (python %.10g)", name, got, w)
		if d > 1e-7 {
			t.Errorf("%s: χ² = %.10g, python %.10g (%.2e)", name, got, w, d)
		}
	}
	t.Logf("largest relative difference of χ² from python: %.2e", worst)
}

// TestRSDNeedsSigma8: a posterior with fσ8 data and σ8 neither sampled
// nor fixed is refused, naming the data set and sigma8.
func TestRSDNeedsSigma8(t *testing.T) {
	l, _, err := Open("sdss-dr16-qso-fs", nil)
	if err != nil {
		t.Fatal(err)
	}
	om, _ := cosmo.LCDM.Param("Om")
	space, err := param.NewSpace([]param.Param{om, HRd}, []param.Prior{om.DefaultPrior(), HRd.DefaultPrior()})
	if err != nil {
		t.Fatal(err)
	}
	_, err = NewPosterior(cosmo.LCDM, backend.Analytic{}, []Likelihood{l}, space, map[string]float64{"H0": 70})
	if err == nil || !strings.Contains(err.Error(), "sdss-dr16-qso-fs needs sigma8") {
		t.Errorf("got %v, want an error saying sdss-dr16-qso-fs needs sigma8", err)
	}
}

// TestDerivedS8: with σ8 among the parameters, S8 = σ8 (Ωm/0.3)^{1/2} is
// the last derived column, from the same evaluation (batch and single).
func TestDerivedS8(t *testing.T) {
	l, _, err := Open("sdss-dr16-lrg-fs", nil)
	if err != nil {
		t.Fatal(err)
	}
	om, _ := cosmo.LCDM.Param("Om")
	s8, _ := cosmo.LCDM.Param("sigma8")
	space, err := param.NewSpace([]param.Param{om, s8, HRd}, []param.Prior{om.DefaultPrior(), s8.DefaultPrior(), HRd.DefaultPrior()})
	if err != nil {
		t.Fatal(err)
	}
	post, err := NewPosterior(cosmo.LCDM, backend.Analytic{}, []Likelihood{l}, space, map[string]float64{"H0": 70})
	if err != nil {
		t.Fatal(err)
	}
	names, labels := post.DerivedNames()
	if names[len(names)-1] != "S8" || labels[len(labels)-1] != "S_8" || len(names) != 4 {
		t.Fatalf("derived %v %v", names, labels)
	}
	theta := []float64{0.27, 0.8, 100}
	der := make([]float64, len(names))
	if lp := post.LogProbDerived(theta, der); math.IsInf(lp, -1) {
		t.Fatal("−Inf")
	}
	if want := 0.8 * math.Sqrt(0.27/0.3); math.Abs(der[3]-want) > 1e-15 || der[2] != 100/0.7 {
		t.Errorf("derived %v, want S8 = %g and rdrag = %g", der, want, 100/0.7)
	}
}
