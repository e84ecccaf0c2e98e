"""Benchmarks of cosmoemu from Python, against astropy (python -m cosmoemu.bench).

    python -m cosmoemu.bench                 # overhead, background, emcee
    python -m cosmoemu.bench --cobaya        # + Cobaya to R-1 = 0.01 with the cosmoemu theory
    python -m cosmoemu.bench --cobaya-astropy  # + the same YAML with an astropy theory (minutes)

Each figure is printed with what was timed. Timings on a shared machine
vary by tens of per cent: each is the best of several repetitions.

The astropy side is a likelihood of the same flagship data (DESI DR2 BAO,
Union3, Planck 2018 distance priors) computed with astropy's Flatw0waCDM:
its distances, r_d of Aubourg et al. 2015 and z* of Hu & Sugiyama 1996,
r_s(z*) by scipy's quad over astropy's E(z). It is what a user
would write without cosmoemu, of the same cost, not the same numbers (its
chi2 is printed beside cosmoemu's): the timing is what matters here.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

from . import core

FLAGSHIP = ["desi-dr2", "union3", "planck18-distance"]
C_KM_S = 299792.458
POINT = np.array([0.3269, -0.69, -0.98, 66.14, 0.0224])


def data_root():
    """The data/ folder of the repository (COSMOEMU_SOURCE, or beside the package)."""
    root = os.environ.get("COSMOEMU_SOURCE") or os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    d = os.path.join(root, "data")
    if not os.path.isdir(os.path.join(d, "bao", "desi_dr2")):
        raise SystemExit(f"the astropy benchmarks read the data files of a clone: no {d}/bao/desi_dr2 "
                         "(set COSMOEMU_SOURCE to the repository)")
    return d


def planck_distance_prior(d):
    """The mean and inverse covariance of the Planck 2018 distance priors
    on (R, l_A, omega_b) from the data folder d."""
    mean, icov = None, []
    for ln in open(os.path.join(d, "cmb", "chw2019_planck2018_TTTEEE_lowE_distance_priors.txt")):
        f = ln.split("#")[0].split()
        if f[:1] == ["MEAN"]:
            mean = np.array([float(x) for x in f[1:]])
        elif f[:1] == ["INVCOV"]:
            icov.append([float(x) for x in f[1:]])
    return mean, np.array(icov)


class AstropyFlagship:
    """The flagship posterior (flat w0waCDM; Om, w0, wa, H0, ombh2 with
    cosmoemu's priors) computed with astropy: the Python likelihood a user
    writes today. logpost(theta) for one point, logpost_vec for (n, 5)."""

    def __init__(self):
        from astropy import units as u
        from astropy.cosmology import Flatw0waCDM
        from scipy import integrate
        self._Flat, self._u, self._quad = Flatw0waCDM, u, integrate.quad
        d = data_root()
        bao = os.path.join(d, "bao", "desi_dr2")
        rows = [ln.split() for ln in open(os.path.join(bao, "desi_gaussian_bao_ALL_GCcomb_mean.txt"))
                if ln.strip() and not ln.startswith("#")]
        self.bao_z = np.array([float(r[0]) for r in rows])
        self.bao_v = np.array([float(r[1]) for r in rows])
        self.bao_kind = [r[2] for r in rows]
        self.bao_icov = np.linalg.inv(np.loadtxt(os.path.join(bao, "desi_gaussian_bao_ALL_GCcomb_cov.txt")))
        sn = os.path.join(d, "sn", "union3")
        with open(os.path.join(sn, "lcparam_full.txt")) as f:
            head = f.readline().lstrip("#").split()
            rows = [ln.split() for ln in f if ln.strip()]
        col = {k: np.array([float(r[head.index(k)]) for r in rows]) for k in ("zcmb", "zhel", "mb")}
        self.sn_z, self.sn_zhel, self.sn_mb = col["zcmb"], col["zhel"], col["mb"]
        c = np.loadtxt(os.path.join(sn, "mag_covmat.txt"))
        n = int(c[0])
        self.sn_icov = np.linalg.inv(c[1:].reshape(n, n))
        self.sn_sum = self.sn_icov.sum()
        self.cmb_mean, self.cmb_icov = planck_distance_prior(d)
        self.lo = np.array([0.01, -3, -3, 20, 0.005])
        self.hi = np.array([0.99, 1, 2, 100, 0.1])
        self.log_prior = -np.sum(np.log(self.hi - self.lo))

    def cosmology(self, om, w0, wa, h0, ombh2):
        h = h0 / 100
        onu = 0.06 / 93.14 / h ** 2
        return self._Flat(H0=h0, Om0=om - onu, w0=w0, wa=wa, Tcmb0=2.7255, Neff=3.044,
                          m_nu=[0.06, 0.0, 0.0] * self._u.eV, Ob0=ombh2 / h ** 2)

    def early(self, c, om, h0, ombh2):
        """r_d of Aubourg et al. 2015, and R and l_A at z* of Hu & Sugiyama
        1996 with r_s(z*) by quad over the cosmology c's H(z)."""
        h = h0 / 100
        wnu = 0.06 / 93.14
        wm = om * h * h
        rd = 55.154 * np.exp(-72.3 * (wnu + 0.0006) ** 2) / ((wm - wnu) ** 0.25351 * ombh2 ** 0.12807)
        g1 = 0.0783 * ombh2 ** -0.238 / (1 + 39.5 * ombh2 ** 0.763)
        g2 = 0.560 / (1 + 21.1 * ombh2 ** 1.81)
        zs = 1048 * (1 + 0.00124 * ombh2 ** -0.738) * (1 + g1 * wm ** g2)
        og = 2.4728e-5  # ω_γ for T = 2.7255 K
        rb = 3 * ombh2 / (4 * og)
        rs = self._quad(lambda zz: C_KM_S / np.sqrt(3 * (1 + rb / (1 + zz))) / c.H(zz).value, zs, np.inf)[0]
        dms = c.comoving_transverse_distance(zs).value
        return rd, np.sqrt(om) * h0 * dms / C_KM_S, np.pi * dms / rs

    def chi2(self, theta):
        om, w0, wa, h0, ombh2 = theta
        cosmo = self.cosmology(*theta)
        rd, shift_r, la = self.early(cosmo, om, h0, ombh2)
        z = self.bao_z
        dm = cosmo.comoving_transverse_distance(z).value
        dh = C_KM_S / cosmo.H(z).value
        th = np.empty_like(z)
        for i, k in enumerate(self.bao_kind):
            th[i] = {"DM_over_rs": dm[i], "DH_over_rs": dh[i],
                     "DV_over_rs": np.cbrt(z[i] * dm[i] ** 2 * dh[i])}[k] / rd
        r = th - self.bao_v
        chi2 = r @ self.bao_icov @ r
        mu = 5 * np.log10((1 + self.sn_zhel) * cosmo.comoving_transverse_distance(self.sn_z).value) + 25
        r = self.sn_mb - mu
        a = r @ self.sn_icov @ r
        b = (self.sn_icov @ r).sum()
        chi2 += a - b * b / self.sn_sum
        x = np.array([shift_r, la, ombh2]) - self.cmb_mean
        return chi2 + x @ self.cmb_icov @ x

    def logpost(self, theta):
        theta = np.asarray(theta, dtype=float)
        if np.any(theta < self.lo) or np.any(theta > self.hi) or theta[1] + theta[2] >= 0:
            return -np.inf
        return self.log_prior - 0.5 * self.chi2(theta)

    def logpost_vec(self, thetas):
        return np.array([self.logpost(t) for t in thetas])


def best(f, repeat=7):
    """The best wall time of f() over repeat runs, in seconds."""
    ts = []
    for _ in range(repeat):
        t = time.perf_counter()
        f()
        ts.append(time.perf_counter() - t)
    return min(ts)


def bench_overhead(like, reps=20000, rounds=7):
    """One-point logpost from Python against the same evaluation timed
    inside Go, alternately, best of each."""
    import ctypes
    from . import _lib
    x = POINT.copy()
    lp = like.logpost
    lib = _lib.lib()
    ns = ctypes.c_double()
    err = ctypes.c_void_p()
    py, go = [], []
    for _ in range(rounds):
        _lib.check(lib.cosmoemu_like_time(like._h, x.ctypes.data, 5, reps, ctypes.byref(ns), ctypes.byref(err)), err)
        go.append(ns.value / 1e3)
        t = time.perf_counter()
        for _ in range(reps):
            lp(x)
        py.append((time.perf_counter() - t) / reps * 1e6)
    return min(py), min(go)


def bench_background(n=10000, nz=30, astropy_points=100):
    """The best time of background() for n points at nz redshifts, and
    astropy's for the same points, timed on astropy_points of them (0: not
    timed, NaN)."""
    rng = np.random.default_rng(1)
    p = {"Om": rng.uniform(0.25, 0.35, n), "w0": rng.uniform(-1.1, -0.6, n), "wa": rng.uniform(-1.5, 0.3, n),
         "H0": rng.uniform(60, 75, n)}
    z = np.linspace(0.05, 3, nz)
    core.background("w0wacdm", p, z)
    t_ce = best(lambda: core.background("w0wacdm", p, z))
    if not astropy_points:
        return t_ce, float("nan")
    from astropy.cosmology import Flatw0waCDM
    from astropy import units as u

    def astropy_all(m):
        for i in range(m):
            c = Flatw0waCDM(H0=p["H0"][i], Om0=p["Om"][i] - 0.06 / 93.14 / (p["H0"][i] / 100) ** 2, w0=p["w0"][i],
                            wa=p["wa"][i], Tcmb0=2.7255, Neff=3.044, m_nu=[0.06, 0, 0] * u.eV)
            c.H(z), c.comoving_distance(z), c.comoving_transverse_distance(z), c.angular_diameter_distance(z)
            c.luminosity_distance(z), c.distmod(z), c.lookback_time(z), c.age(0)
    t_ap = best(lambda: astropy_all(astropy_points), repeat=3) / astropy_points * n
    return t_ce, t_ap


def bench_emcee(like, ap, steps=2000, ap_steps=10):
    import emcee
    rng = np.random.default_rng(2)
    start = POINT + 1e-3 * np.abs(POINT) * rng.standard_normal((32, 5))

    def run(f, k):
        s = emcee.EnsembleSampler(32, 5, f, vectorize=True)
        t = time.perf_counter()
        s.run_mcmc(start, k, progress=False)
        return 32 * k / (time.perf_counter() - t)

    run(like.logpost, 50)
    e_ce = max(run(like.logpost, steps) for _ in range(3))
    e_ap = run(ap.logpost_vec, ap_steps)
    return e_ce, e_ap


COBAYA_THEORY_ASTROPY = "cosmoemu.bench.AstropyTheory"


def cobaya_yaml(theory, out, covmat):
    """The flagship YAML of the Cobaya benchmark: the same likelihoods
    (Cobaya's bao.desi_dr2 and sn.union3, the Planck distance priors on R,
    l_A, omega_b computed from the theory's R and lA) for either theory."""
    th = {COBAYA_THEORY_ASTROPY: None} if theory == "astropy" else {"cosmoemu": {"early": "fitting"}}
    likes = {"bao.desi_dr2": None, "sn.union3": None, "cosmoemu.bench.PlanckDistance": None}
    if theory == "cosmoemu-likelihoods":  # cosmoemu's own likelihoods of the same data
        likes = {"cosmoemu.cobaya.data": {"data": FLAGSHIP}}
    return {
        "theory": th,
        "likelihood": likes,
        "params": {
            "omegam": {"prior": {"min": 0.01, "max": 0.99}, "ref": 0.327, "proposal": 0.005},
            "w": {"prior": {"min": -3, "max": 1}, "ref": -0.69, "proposal": 0.05},
            "wa": {"prior": {"min": -3, "max": 2}, "ref": -1.0, "proposal": 0.15},
            "H0": {"prior": {"min": 20, "max": 100}, "ref": 66.1, "proposal": 0.4},
            "ombh2": {"prior": {"min": 0.005, "max": 0.1}, "ref": 0.0224, "proposal": 0.0001},
        },
        "sampler": {"mcmc": {"Rminus1_stop": 0.01, "Rminus1_cl_stop": 0.2, "covmat": covmat, "seed": 1}},
        "output": out,
    }


def _cobaya_classes():
    from cobaya.likelihood import Likelihood
    from cobaya.theory import Theory

    class AstropyTheory(Theory):
        """Hubble, angular_diameter_distance, rdrag, R and lA from astropy
        (AstropyFlagship's formulas): the Python theory of the comparison."""

        def initialize(self):
            self._ap = AstropyFlagship()
            self._z = {}

        def get_can_support_params(self):
            return ["omegam", "w", "wa", "H0", "ombh2"]

        def get_can_provide_params(self):
            return ["rdrag", "R", "lA"]

        def must_provide(self, **req):
            super().must_provide(**req)
            for k, v in req.items():
                if k in ("Hubble", "angular_diameter_distance"):
                    self._z[k] = np.union1d(self._z.get(k, []), np.atleast_1d(v["z"]))

        def calculate(self, state, want_derived=True, **p):
            ap = self._ap
            om, w0, wa, h0, ombh2 = p["omegam"], p["w"], p["wa"], p["H0"], p["ombh2"]
            if w0 + wa >= 0:
                return False
            c = ap.cosmology(om, w0, wa, h0, ombh2)
            for k, z in self._z.items():
                state[k] = c.H(z).value if k == "Hubble" else c.angular_diameter_distance(z).value
            rd, r, la = ap.early(c, om, h0, ombh2)
            state["derived"] = {"rdrag": rd, "R": r, "lA": la}
            return True

        def _at(self, k, z):
            zs = self._z[k]
            return np.array(self.current_state[k][np.searchsorted(zs, np.atleast_1d(z))], copy=True)

        def get_Hubble(self, z, units="km/s/Mpc"):
            return self._at("Hubble", z) / (1 if units == "km/s/Mpc" else C_KM_S)

        def get_angular_diameter_distance(self, z):
            return self._at("angular_diameter_distance", z)

    class PlanckDistance(Likelihood):
        """The Planck 2018 distance priors on (R, l_A, omega_b) from the
        theory's derived R and lA (either theory)."""

        def initialize(self):
            self.mean, self.icov = planck_distance_prior(data_root())

        def get_requirements(self):
            return {"R": None, "lA": None, "ombh2": None}

        def logp(self, **kw):
            x = np.array([self.provider.get_param("R"), self.provider.get_param("lA"),
                          self.provider.get_param("ombh2")]) - self.mean
            return -0.5 * x @ self.icov @ x

    return AstropyTheory, PlanckDistance


def __getattr__(name):  # the Cobaya classes, made when Cobaya asks for them
    if name in ("AstropyTheory", "PlanckDistance"):
        t, l = _cobaya_classes()
        globals().update(AstropyTheory=t, PlanckDistance=l)
        return globals()[name]
    raise AttributeError(name)


def bench_cobaya(theory, tmp):
    import yaml
    from .cobaya import covmat
    cov = os.path.join(tmp, "flagship.covmat")
    if not os.path.exists(cov):
        covmat(cov)
    out = os.path.join(tmp, theory, "flagship")
    path = os.path.join(tmp, f"{theory}.yaml")
    with open(path, "w") as f:
        yaml.safe_dump(cobaya_yaml(theory, out, cov), f)
    t = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "cobaya", "run", path, "-f"], capture_output=True, text=True)
    wall = time.perf_counter() - t
    if r.returncode != 0:
        raise SystemExit(r.stdout[-3000:] + r.stderr[-3000:])
    from getdist import loadMCSamples
    s = loadMCSamples(out, settings={"ignore_rows": 0.3})
    return wall, {p: (s.mean(p), s.std(p)) for p in ("omegam", "w", "wa", "H0", "ombh2")}, s.numrows, r.stdout


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m cosmoemu.bench", description=__doc__.split("\n\n")[0])
    ap.add_argument("--cobaya", action="store_true", help="also time Cobaya with the cosmoemu theory")
    ap.add_argument("--cobaya-astropy", action="store_true", help="also time Cobaya with the astropy theory (long)")
    ap.add_argument("--skip-astropy", action="store_true", help="no astropy timings")
    args = ap.parse_args(argv)
    print(f"cosmoemu from Python: {core.get_threads()} Go threads, numpy {np.__version__}")
    like = core.Likelihood(FLAGSHIP, model="w0wacdm")
    py, go = bench_overhead(like)
    print(f"one-point logpost, flagship (w0wacdm; desi-dr2, union3, planck18-distance; analytic, early emulator):\n"
          f"  from Python {py:.2f} us, inside Go {go:.2f} us: call overhead {py - go:.2f} us")
    t_ce, t_ap = bench_background(astropy_points=0 if args.skip_astropy else 100)
    print(f"background(), 10,000 w0waCDM points x 30 redshifts, closed form: {t_ce * 1e3:.1f} ms")
    if not args.skip_astropy:
        print(f"  astropy, the same observables (H, D_C, D_M, D_A, D_L, mu, lookback, age), one cosmology object "
              f"per point, timed on 100 points: {t_ap:.1f} s for 10,000 ({t_ap / t_ce:.0f}x)")
        apl = AstropyFlagship()
        print(f"astropy flagship likelihood: chi2 {apl.chi2(POINT):.4f} at {POINT.tolist()}, cosmoemu's "
              f"{like.chi2(POINT):.4f} (a stand-in of the same cost: fitting formulas for r_d and z*, the "
              f"older convention of R and l_A)")
        e_ce, e_ap = bench_emcee(like, apl)
        print(f"emcee 3, 32 walkers, vectorize=True, flagship: cosmoemu {e_ce:,.0f} evaluations/s, astropy "
              f"{e_ap:,.0f} evaluations/s: {e_ce / e_ap:,.0f}x")
    if args.cobaya or args.cobaya_astropy:
        tmp = tempfile.mkdtemp(prefix="cosmoemu-bench-")
        runs = ["cosmoemu", "cosmoemu-likelihoods"] + (["astropy"] if args.cobaya_astropy else [])
        for th in runs:
            wall, means, rows, _ = bench_cobaya(th, tmp)
            what = {"cosmoemu": "theory cosmoemu, Cobaya's bao.desi_dr2 and sn.union3",
                    "cosmoemu-likelihoods": "theory cosmoemu, cosmoemu.cobaya.data (the same data, cosmoemu's likelihoods)",
                    "astropy": "theory astropy (cosmoemu.bench.AstropyTheory), Cobaya's bao.desi_dr2 and sn.union3"}[th]
            print(f"Cobaya MCMC to R-1 = 0.01 (covmat from cosmoemu fit), {what}: {wall:.1f} s wall, "
                  f"{rows} rows; " + ", ".join(f"{k} {m:.4g} ± {s:.2g}" for k, (m, s) in means.items()))
    like.close()


if __name__ == "__main__":
    main()
