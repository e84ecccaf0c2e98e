"""Cobaya: `theory: cosmoemu` under Cobaya's own bao.desi_dr2 and
sn.union3 likelihoods, cosmoemu's likelihoods, the minimizer and MCMC
against `cosmoemu fit`, and an MPI run."""

import copy
import os
import subprocess

import numpy as np
import pytest

from conftest import FLAGSHIP, PYTHON, ROOT, need, need_program, pythonpath_env

YAML = os.path.join(ROOT, "docs", "cobaya", "flagship.yaml")
COBAYA_NAMES = {"Om": "omegam", "w0": "w", "wa": "wa", "H0": "H0", "ombh2": "ombh2"}
POINTS = [  # flat w0waCDM: the README's best fit, and around it
    {"omegam": 0.3269, "w": -0.69, "wa": -0.98, "H0": 66.14, "ombh2": 0.0224},
    {"omegam": 0.30, "w": -1.0, "wa": 0.0, "H0": 68.0, "ombh2": 0.0222},
    {"omegam": 0.35, "w": -0.5, "wa": -1.6, "H0": 64.0, "ombh2": 0.0226},
    {"omegam": 0.31, "w": -0.85, "wa": -0.5, "H0": 67.5, "ombh2": 0.0223},
    {"omegam": 0.29, "w": -1.1, "wa": 0.3, "H0": 70.0, "ombh2": 0.0221},
]


@pytest.fixture(scope="module")
def yaml_info():
    need("cobaya")
    yaml = need("yaml")
    with open(YAML) as f:
        return yaml.safe_load(f)


def _model_info(info, **theory):
    d = copy.deepcopy(info)
    d.pop("sampler", None)
    d.pop("output", None)
    d["theory"]["cosmoemu"].update(theory)
    return d


@pytest.fixture(scope="module")
def cobaya_model(yaml_info):
    from cobaya.model import get_model
    return get_model(_model_info(yaml_info))


def test_cobaya_likelihoods_agree_with_cosmoemu(cobaya_model, flagship):
    """Cobaya's bao.desi_dr2 and sn.union3 on the cosmoemu theory give
    cosmoemu's χ² (to 1e-9), and cosmoemu's planck18_distance is
    cosmoemu's, at five points."""
    names = list(cobaya_model.likelihood)
    assert names == ["bao.desi_dr2", "sn.union3", "cosmoemu.cobaya.planck18_distance"]
    for pt in POINTS:
        loglikes, _ = cobaya_model.loglikes(pt)
        ref = flagship.chi2_by_data(np.array([pt[COBAYA_NAMES[p]] for p in flagship.param_names]))
        for name, set_name in zip(names, FLAGSHIP):
            assert -2 * loglikes[names.index(name)] == pytest.approx(ref[set_name], rel=1e-9, abs=1e-9), (pt, name)


def test_theory_provides_cambs_quantities(yaml_info):
    """The quantities and derived parameters are those of cosmoemu's
    background, with CAMB's names and units."""
    import cosmoemu
    from cobaya.model import get_model
    info = _model_info(yaml_info, early="exact")
    info["params"].update({p: {"derived": True} for p in ("zstar", "rstar", "DAstar", "zdrag", "age", "omegamh2")})
    model = get_model(info)
    pt = POINTS[0]
    model.logposterior(pt)
    th = model.theory["cosmoemu"]
    z = np.array([0.295, 0.51, 2.33])
    bg = cosmoemu.background("w0wacdm", {"Om": pt["omegam"], "w0": pt["w"], "wa": pt["wa"], "H0": pt["H0"],
                                         "ombh2": pt["ombh2"]}, z)
    np.testing.assert_array_equal(th.get_Hubble(z), bg["H"])
    np.testing.assert_array_equal(th.get_Hubble(z, units="1/Mpc"), bg["H"] / 299792.458)
    np.testing.assert_array_equal(th.get_angular_diameter_distance(z), bg["DA"])
    np.testing.assert_array_equal(th.get_Hubble(0.51), bg["H"][1:2])  # a scalar z gives a 1-element array
    d = th.current_state["derived"]
    assert d["rdrag"] == bg["rdrag"] and d["zstar"] == bg["zstar"] and d["rstar"] == bg["rs_star"]
    assert d["thetastar"] == bg["theta_star_100"] and d["DAstar"] == bg["DM_star"] / 1000
    assert d["age"] == bg["age_Gyr"] and d["zdrag"] == bg["zdrag"]


def test_parameters_by_cobaya_names(yaml_info):
    """omch2 instead of omegam, and mnu, nnu as parameters."""
    import cosmoemu
    from cobaya.model import get_model
    info = _model_info(yaml_info)
    p = info["params"]
    del p["omegam"]
    p["omch2"] = {"prior": {"min": 0.05, "max": 0.2}}
    p["mnu"] = 0.1
    p["nnu"] = 3.1
    model = get_model(info)
    pt = {"omch2": 0.12, "w": -0.8, "wa": -0.6, "H0": 67.0, "ombh2": 0.0224}
    logl, _ = model.loglikes(pt)
    bg = cosmoemu.background("w0wacdm", {"omch2": 0.12, "w0": -0.8, "wa": -0.6, "H0": 67.0, "ombh2": 0.0224,
                                         "mnu": 0.1, "nnu": 3.1}, [1.0])
    with cosmoemu.Likelihood(FLAGSHIP, model="w0wacdm", fixed={"mnu": 0.1, "nnu": 3.1}) as like:
        ref = like.chi2_by_data(like.point(Om=bg["Om"], w0=-0.8, wa=-0.6, H0=67.0, ombh2=0.0224))
    for k, name in enumerate(FLAGSHIP):
        assert -2 * logl[k] == pytest.approx(ref[name], rel=1e-9), name


def test_cosmoemu_likelihood_classes(yaml_info, flagship):
    from cobaya.model import get_model
    info = _model_info(yaml_info)
    info["likelihood"] = {"cosmoemu.cobaya.data": {"data": ["desi-dr2", "union3"]},
                          "cosmoemu.cobaya.planck18_distance": None}
    model = get_model(info)
    for pt in POINTS[:3]:
        logl, _ = model.loglikes(pt)
        ref = flagship.chi2_by_data(np.array([pt[COBAYA_NAMES[p]] for p in flagship.param_names]))
        assert -2 * logl[0] == pytest.approx(ref["desi-dr2"] + ref["union3"], rel=1e-12)
        assert -2 * logl[1] == ref["planck18-distance"]


@pytest.mark.parametrize("change,match", [
    ({"params": {"As": 2e-9}}, "As"),
    ({"likelihood": {"growth": {"external": lambda _self=None: 0.0, "requires": {"fsigma8": {"z": [0.5]}}}}},
     "fsigma8"),
])
def test_theory_refuses_what_it_cannot_do(yaml_info, change, match):
    from cobaya.log import LoggedError
    from cobaya.model import get_model
    info = _model_info(yaml_info)
    for k, v in change.items():
        info[k].update(v) if k == "params" else info.__setitem__(k, v)
    with pytest.raises((LoggedError, ValueError), match=match):
        get_model(info)


@pytest.fixture(scope="module")
def covmat_file(tmp_path_factory):
    """A starting proposal from cosmoemu fit (cosmoemu.cobaya.covmat)."""
    need("cobaya")
    from cosmoemu.cobaya import covmat
    cov = str(tmp_path_factory.mktemp("covmat") / "flagship.covmat")
    names, m = covmat(cov)
    assert names == ["omegam", "w", "wa", "H0", "ombh2"] and m.shape == (5, 5)
    return cov


def _run_info(yaml_info, tmp_path, sampler, cov):
    info = copy.deepcopy(yaml_info)
    info["sampler"] = sampler
    for s in info["sampler"].values():
        s["covmat"] = cov
    info["output"] = str(tmp_path / "chains" / "flagship")
    return info


def test_minimizer_reproduces_cosmoemu_fit(yaml_info, flagship_fit, tmp_path, covmat_file):
    """Cobaya's minimizer (Py-BOBYQA) on Cobaya's likelihoods with the
    cosmoemu theory finds cosmoemu fit's best fit within 0.1σ and its χ²_min
    within 0.02."""
    need("pybobyqa")
    from cobaya.run import run
    info = _run_info(yaml_info, tmp_path, {"minimize": {"method": "bobyqa", "seed": 1,
                                                          "override_bobyqa": {"rhoend": 1e-7}}}, covmat_file)
    _, sampler = run(info, force=True)
    best = sampler.products()["minimum"]
    for i, p in enumerate(flagship_fit["params"]):
        z = (best[COBAYA_NAMES[p]] - flagship_fit["best_fit"][p]) / flagship_fit["std"][i]
        assert abs(z) < 0.1, (p, z)
    assert best["chi2"] == pytest.approx(flagship_fit["chi2_min"], abs=0.02)


def test_mcmc_reproduces_cosmoemu_fit(yaml_info, flagship_fit, tmp_path, covmat_file):
    """Cobaya's MCMC to R−1 = 0.01 with the cosmoemu theory: its means
    within 0.1σ of cosmoemu fit's, its standard deviations within 10%.
    The seed is fixed and the speeds are not measured, so that the chain
    is the same on every run."""
    from cobaya.run import run
    info = _run_info(yaml_info, tmp_path, {"mcmc": {"Rminus1_stop": 0.01, "Rminus1_cl_stop": 0.2, "seed": 3,
                                                     "measure_speeds": False, "oversample_power": 0}}, covmat_file)
    _, sampler = run(info, force=True)
    s = sampler.products(to_getdist=True, skip_samples=0.3)["sample"]
    for i, p in enumerate(flagship_fit["params"]):
        name = COBAYA_NAMES[p]
        z = (s.mean(name) - flagship_fit["mean"][i]) / flagship_fit["std"][i]
        assert abs(z) < 0.1, (p, z)
        assert s.std(name) == pytest.approx(flagship_fit["std"][i], rel=0.1), p


def test_mpirun_two_processes(yaml_info, tmp_path, covmat_file):
    """`mpirun -n 2` runs Cobaya's parallel chains on the cosmoemu theory
    (one Go thread each) to the end."""
    need("mpi4py")
    yaml = need("yaml")
    mpirun = need_program("mpirun")
    info = _run_info(yaml_info, tmp_path, {"mcmc": {"max_samples": 150, "Rminus1_stop": 0.5, "seed": 1,
                                                     "measure_speeds": False}}, covmat_file)
    path = tmp_path / "mpi.yaml"
    path.write_text(yaml.safe_dump(info))
    env = pythonpath_env()
    env.setdefault("OMPI_MCA_rmaps_base_oversubscribe", "1")
    cmd = [mpirun, "-n", "2"]
    if os.geteuid() == 0:
        cmd.append("--allow-run-as-root")
    cmd += ["--oversubscribe", PYTHON, "-m", "cobaya", "run", str(path), "-f"]
    r = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    out = r.stdout + r.stderr
    assert "[0 : mcmc]" in out and "[1 : mcmc]" in out, out[-2000:]  # both ranks sampled
    chains = sorted(p.name for p in (tmp_path / "chains").glob("flagship.*.txt"))
    assert chains == ["flagship.1.txt", "flagship.2.txt"], chains


def test_theory_provides_the_growth():
    """With sigma8 the theory gives CAMB's fsigma8 and sigma8_z at z and the
    derived S8, those of cosmoemu's background, and cosmoemu's fσ8
    likelihoods run on it with the χ² of cosmoemu's Likelihood."""
    need("cobaya")
    import cosmoemu
    from cobaya.likelihood import Likelihood
    from cobaya.model import get_model

    z = np.array([0.38, 0.51, 0.7])
    seen = {}

    class AsksGrowth(Likelihood):
        def get_requirements(self):
            return {"fsigma8": {"z": z}, "sigma8_z": {"z": z}}

        def logp(self, **kw):
            seen["fsigma8"] = self.provider.get_fsigma8(z)
            seen["sigma8_z"] = self.provider.get_sigma8_z(z)
            return 0.0

    info = {
        "theory": {"cosmoemu": {"external": cosmoemu.get_cobaya_class()}},
        "likelihood": {"asks": AsksGrowth, "cosmoemu.cobaya.sdss_dr16_lrg_fs": None},
        "params": {"omegam": 0.31, "H0": 68.0, "ombh2": 0.0224, "sigma8": {"prior": {"min": 0.5, "max": 1.1}},
                   "S8": {"derived": True}},
    }
    model = get_model(info)
    pt = {"sigma8": 0.81}
    logpost = model.logposterior(pt)
    bg = cosmoemu.background("lcdm", {"Om": 0.31, "H0": 68.0, "ombh2": 0.0224, "sigma8": 0.81}, z)
    np.testing.assert_array_equal(seen["fsigma8"], bg["fsigma8"])
    np.testing.assert_array_equal(seen["sigma8_z"], bg["sigma8_z"])
    assert logpost.derived[list(model.parameterization.derived_params()).index("S8")] == bg["S8"]
    like = cosmoemu.Likelihood(["sdss-dr16-lrg-fs"], model="lcdm", early="exact",
                               fixed={"H0": 68.0, "ombh2": 0.0224})
    assert like.param_names == ["Om", "sigma8"]
    chi2 = like.chi2_by_data(np.array([0.31, 0.81]))["sdss-dr16-lrg-fs"]
    i = list(model.likelihood).index("cosmoemu.cobaya.sdss_dr16_lrg_fs")
    assert 0 < chi2 < 50 and -2 * logpost.loglikes[i] == pytest.approx(chi2, rel=1e-12)

    bad = copy.deepcopy(info)
    bad["params"].pop("sigma8")
    bad["likelihood"].pop("cosmoemu.cobaya.sdss_dr16_lrg_fs")
    bad["params"].pop("S8")
    with pytest.raises(Exception, match="sigma8"):
        get_model(bad)


@pytest.mark.parametrize("early,refused,kept", [
    ("fitting", "zdrag", "YHe"),
    ("emulator", "YHe", "zdrag"),
])
@pytest.mark.parametrize("how", ["output", "requirement"])
def test_theory_refuses_derived_its_route_cannot_compute(early, refused, kept, how):
    """A derived parameter that the early-universe route never computes
    (zdrag with the fitting formulas, YHe with the emulator) is refused when
    the model is built, naming it and why, whether it is an output
    parameter or another component's requirement, instead of NaN; the
    other one is computed, and is that of cosmoemu's background."""
    need("cobaya")
    import cosmoemu
    from cobaya.likelihood import Likelihood
    from cobaya.log import LoggedError
    from cobaya.model import get_model

    def info(derived):
        class Asks(Likelihood):
            def get_requirements(self):
                req = {"Hubble": {"z": [0.5]}}
                if how == "requirement":
                    req[derived] = None
                return req

            def logp(self, **kw):
                return 0.0

        params = {"omegam": 0.31, "H0": 68.0, "ombh2": {"prior": {"min": 0.02, "max": 0.025}}}
        if how == "output":
            params[derived] = {"derived": True}
        return {"theory": {"cosmoemu": {"external": cosmoemu.get_cobaya_class(), "early": early}},
                "likelihood": {"asks": Asks}, "params": params}

    with pytest.raises(LoggedError, match=rf"{refused}: the (fitting-formula|emulated) early universe .* "
                                          r"use early: exact or"):
        get_model(info(refused))

    model = get_model(info(kept))
    model.logposterior({"ombh2": 0.0224})
    got = model.theory["cosmoemu"].current_state["derived"][kept]
    bg = cosmoemu.background("lcdm", {"Om": 0.31, "H0": 68.0, "ombh2": 0.0224}, [1.0], early=early)
    col = {"YHe": "YHe", "zdrag": "zdrag"}[kept]
    assert np.isfinite(got) and got == bg[col]


def test_theory_refuses_points_without_a_derived_value():
    """With early: fitting, Y_He outside BBN's table (ombh2 > 0.1 here) has
    no value: the point is refused, as the exact route refuses it, rather
    than given a NaN derived parameter."""
    need("cobaya")
    import cosmoemu
    from cobaya.model import get_model
    info = {"theory": {"cosmoemu": {"external": cosmoemu.get_cobaya_class(), "early": "fitting"}},
            "likelihood": {"one": {"external": lambda _self=None: 0.0}},
            "params": {"omegam": 0.31, "H0": 68.0, "ombh2": {"prior": {"min": 0.01, "max": 0.3}},
                       "YHe": {"derived": True}}}
    model = get_model(info)
    assert np.isfinite(model.logposterior({"ombh2": 0.0224}).logpost)
    assert model.logposterior({"ombh2": 0.2}).logpost == -np.inf
