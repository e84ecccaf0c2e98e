"""Likelihood: fit's posterior from Python — the CLI's numbers, emcee's
vectorize=True, dynesty's prior_transform contract, bad input."""

import math
import os
import threading

import numpy as np
import pytest

import cosmoemu
from conftest import FLAGSHIP, ROOT, need, run_json


def test_flagship_description(flagship):
    assert flagship.param_names == ["Om", "w0", "wa", "H0", "ombh2"]
    assert flagship.ndim == 5
    assert flagship.data_names == FLAGSHIP
    assert flagship.backend == "analytic" and flagship.early == "emulator"
    np.testing.assert_array_equal(flagship.bounds, [[0.01, 0.99], [-3, 1], [-3, 2], [20, 100], [0.005, 0.1]])
    assert flagship.derived_names == ["chi2", "chi2_desi-dr2", "chi2_union3", "chi2_planck18-distance", "rdrag"]
    assert any("marginalised" in n for n in flagship.notes)


def test_identical_to_cli_fit(flagship, flagship_fit):
    """χ² at the CLI's best fit, in total and by data set, is the CLI's,
    to the last bit (the JSON numbers round-trip exactly)."""
    best = flagship_fit["best_fit"]
    theta = flagship.point(**best)
    by = flagship.chi2_by_data(theta)
    for name, v in flagship_fit["chi2_by_data"].items():
        assert by[name] == v, name
    assert by["total"] == flagship_fit["chi2_min"]
    assert flagship.chi2(theta) == flagship_fit["chi2_min"]
    d = flagship.derived(theta)
    assert d["chi2"] == flagship_fit["chi2_min"]
    assert d["logpost"] == flagship.logpost(theta) == d["logprior"] - 0.5 * d["chi2"]


def test_identical_to_cli_other_settings(cli):
    """Another model, backend, early universe, prior and fixed value."""
    args = dict(model="wcdm", data=["desi-dr2", "pantheonplus", "bbn"], backend="solver", early="exact",
                priors={"H0": "gauss:70:5"}, fixed={"mnu": 0.1}, diag_only=True)
    js = run_json(cli, "fit", "-model", "wcdm", "-data", "desi-dr2,pantheonplus,bbn", "-backend", "solver",
                  "-early", "exact", "-prior", "H0=gauss:70:5", "-fix", "mnu=0.1", "-diag-only", "-steps", "300")
    with cosmoemu.Likelihood(**args) as like:
        assert like.param_names == js["params"]
        by = like.chi2_by_data(like.point(**js["best_fit"]))
        for name, v in js["chi2_by_data"].items():
            assert by[name] == v, name
        assert like.priors["H0"].startswith("gauss:70:5")


# The files the built-in desi-dr2 set reads (embedded in package data).
DESI_DR2 = os.path.join(ROOT, "data", "bao", "desi_dr2", "desi_gaussian_bao_ALL_GCcomb_")


@pytest.mark.parametrize("others,point", [
    ([], dict(Om=0.3269, w0=-0.69, wa=-0.98, hrd=98.0)),  # BAO alone: H0 r_d
    (["union3", "planck18-distance"], dict(Om=0.3269, w0=-0.69, wa=-0.98, H0=66.14, ombh2=0.0224)),
])
def test_user_bao_file_is_the_builtin_set(others, point, rng):
    """data=["bao:MEAN:COV"] with DESI DR2's files is the built-in desi-dr2:
    the same parameters, number of data and χ² (to the last bit), alone
    and in the flagship combination, at a point and around it."""
    mean, cov = DESI_DR2 + "mean.txt", DESI_DR2 + "cov.txt"
    assert os.path.exists(mean) and os.path.exists(cov)
    with cosmoemu.Likelihood(["desi-dr2"] + others, model="w0wacdm") as named, \
            cosmoemu.Likelihood([f"bao:{mean}:{cov}"] + others, model="w0wacdm") as user:
        assert user.param_names == named.param_names == list(point)
        assert user.n_data == named.n_data
        assert user.data_names[1:] == named.data_names[1:] == others
        x = named.point(**point)
        xs = x + 1e-3 * np.abs(x) * rng.standard_normal((16, x.size))
        np.testing.assert_array_equal(user.chi2(xs), named.chi2(xs))
        by_user, by_named = user.chi2_by_data(x), named.chi2_by_data(x)
        assert by_user[user.data_names[0]] == by_named["desi-dr2"]
        assert by_user["total"] == by_named["total"] == named.chi2(x)
        assert 0 < by_named["desi-dr2"] < 100


def test_vectorised_equals_one_by_one(flagship, rng):
    x = flagship.sample_prior(64, seed=3)
    x[:32] = flagship.point(Om=0.32, w0=-0.7, wa=-1.0, H0=66.5, ombh2=0.0224) + 1e-3 * rng.standard_normal((32, 5))
    lp = flagship.logpost(x)
    assert lp.shape == (64,)
    for i in range(64):
        assert lp[i] == flagship.logpost(x[i])
    ll = flagship.loglike(x)
    for i in range(64):
        assert ll[i] == flagship.loglike(x[i])
    both = np.isfinite(lp)
    np.testing.assert_allclose(ll[both] - flagship.log_norm, lp[both] - flagship.logprior(x[both]), rtol=0, atol=1e-9)


def test_outside_prior_and_unphysical_are_minus_inf(flagship):
    base = flagship.point(Om=0.32, w0=-0.7, wa=-1.0, H0=66.5, ombh2=0.0224)
    out = base.copy()
    out[3] = 150.0  # H0 outside [20, 100]
    bad = base.copy()
    bad[1], bad[2] = -0.5, 0.8  # w0 + wa > 0: no matter era
    for th in (out, bad):
        assert flagship.logpost(th) == -math.inf
        assert flagship.loglike(th) == -math.inf
    assert flagship.logprior(out) == -math.inf and np.isfinite(flagship.logprior(bad))
    np.testing.assert_array_equal(flagship.logpost(np.array([out, bad, base]))[:2], [-math.inf, -math.inf])
    with pytest.raises(ValueError, match="w0 \\+ wa"):
        flagship.chi2(bad)
    assert math.isnan(flagship.chi2(bad, errors="nan"))
    assert math.isfinite(flagship.chi2(out))  # χ² is defined outside the prior box


@pytest.mark.parametrize("theta,match", [
    (np.zeros(4), "4 coordinates for the 5 parameters Om, w0, wa, H0, ombh2"),
    (np.zeros((3, 6)), r"shape \(3, 6\)"),
    (np.zeros((2, 2, 5)), r"shape \(2, 2, 5\)"),
    ([0.3, -0.7, np.nan, 66.0, 0.0224], "point 0: wa = NaN is not a finite number"),
    (np.array([[0.3, -0.7, -1, 66.0, 0.0224], [0.3, -0.7, -1, np.inf, 0.0224]]), "point 1: H0 = \\+Inf"),
    ("Om", "theta: not numbers"),
    ({"Om": 0.3, "w0": -0.7, "wa": -1, "H0": 66.0, "ombh2": 0.0224, "w": -1}, "unknown parameter.*w"),
    ({"Om": 0.3}, "missing parameter.*w0, wa, H0, ombh2"),
])
def test_bad_points_raise(flagship, theta, match):
    for f in (flagship.logpost, flagship.loglike, flagship.chi2_by_data, flagship.derived):
        with pytest.raises(ValueError, match=match):
            f(theta)


@pytest.mark.parametrize("kwargs,match", [
    (dict(data=["desi-dr3"]), "desi-dr3"),
    (dict(data=[]), "no data sets"),
    (dict(data=["desi-dr2"], model="w0wacdm", priors={"w": "-2:0"}), "w"),
    (dict(data=["desi-dr2"], priors={"Om": "0.5:0.1"}), "Om"),
    (dict(data=["desi-dr2"], fixed={"Om": 2.0}), "Om"),
    (dict(data=["desi-dr2"], backend="magic"), "magic"),
    (dict(data=["desi-dr2", "desi-dr1"]), "desi-dr1"),
])
def test_bad_configuration_raises(kwargs, match):
    with pytest.raises(ValueError, match=match):
        cosmoemu.Likelihood(**kwargs)


def test_closed_handle_raises():
    like = cosmoemu.Likelihood(["desi-dr2"])
    x = like.sample_prior(2, seed=1)
    like.logpost(x)
    like.close()
    like.close()  # twice is fine
    for f in (like.logpost, like.loglike, like.chi2, like.prior_transform, like.logprior):
        with pytest.raises(ValueError, match=r"handle \d+ \(likelihood\) is closed"):
            f(x if f is not like.prior_transform else np.full((2, like.ndim), 0.5))
    with pytest.raises(ValueError, match="closed"):
        like.logpost(x[0])  # the one-point path too


def test_handles_are_released():
    before = cosmoemu.live_handles()
    for _ in range(5):
        with cosmoemu.Likelihood(["desi-dr2"]):
            pass
    assert cosmoemu.live_handles() == before


def test_prior_transform_contract(flagship, rng):
    """dynesty's contract: the unit cube onto the prior, coordinate by
    coordinate, vectorised; u outside [0, 1] is refused."""
    u = rng.random((1000, 5))
    x = flagship.prior_transform(u)
    assert x.shape == (1000, 5)
    lo, hi = flagship.bounds.T
    np.testing.assert_allclose(x, lo + u * (hi - lo), rtol=1e-15, atol=0)
    np.testing.assert_array_equal(flagship.prior_transform(u[7]), x[7])
    np.testing.assert_array_equal(flagship.prior_transform(np.zeros(5)), lo)
    np.testing.assert_array_equal(flagship.prior_transform(np.ones(5)), hi)
    assert np.all(np.isfinite(flagship.logprior(x)))
    for bad in (np.full(5, 1.5), np.full(5, -0.1), np.full(5, np.nan)):
        with pytest.raises(ValueError, match="outside \\[0, 1\\]"):
            flagship.prior_transform(bad)


def test_gaussian_prior_transform_is_the_truncated_normal_quantile():
    stats = need("scipy.stats")
    with cosmoemu.Likelihood(["desi-dr2", "bbn"], priors={"H0": "gauss:68:2:60:80"}) as like:
        i = like.param_names.index("H0")
        u = np.full((5, like.ndim), 0.5)
        u[:, i] = [0.01, 0.2, 0.5, 0.8, 0.99]
        x = like.prior_transform(u)[:, i]
        ref = stats.truncnorm((60 - 68) / 2, (80 - 68) / 2, loc=68, scale=2).ppf(u[:, i])
        np.testing.assert_allclose(x, ref, rtol=1e-12)


def test_many_python_threads(flagship):
    """Calls from many threads at once: the GIL is released during the
    evaluation, each thread's one-point buffers are its own."""
    x = flagship.sample_prior(200, seed=5)
    x[:, 1], x[:, 2] = -0.8, -0.5  # physical everywhere
    ref = flagship.logpost(x)
    errors = []

    def work(k):
        try:
            for rep in range(3):
                if (k + rep) % 2:
                    got = np.array([flagship.logpost(row) for row in x])
                else:
                    got = flagship.logpost(x)
                np.testing.assert_array_equal(got, ref)
        except Exception as e:
            errors.append(e)

    ts = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert not errors, errors[0]


def test_emcee_vectorized_on_the_flagship(flagship, flagship_fit):
    emcee = need("emcee")
    rng = np.random.default_rng(1)
    start = flagship.point(**flagship_fit["best_fit"]) + 1e-4 * np.asarray(flagship_fit["std"]) * \
        rng.standard_normal((32, 5))
    sampler = emcee.EnsembleSampler(32, flagship.ndim, flagship.logpost, vectorize=True)
    sampler.random_state = np.random.RandomState(1).get_state()
    sampler.run_mcmc(start, 3000, progress=False)
    chain = sampler.get_chain(discard=1000, flat=True)
    assert chain.shape == (64000, 5)
    mean, std = chain.mean(axis=0), chain.std(axis=0)
    # A short run: its means within 0.5 σ of the CLI's, its widths within 25 %.
    z = (mean - np.asarray(flagship_fit["mean"])) / np.asarray(flagship_fit["std"])
    assert np.all(np.abs(z) < 0.5), z
    np.testing.assert_allclose(std, flagship_fit["std"], rtol=0.25)
    lp = sampler.get_log_prob(discard=1000, flat=True)
    np.testing.assert_array_equal(lp[:50], flagship.logpost(chain[:50]))


def _nested(loglike, prior_transform, ndim, nlive=150, dlogz=0.05, seed=2):
    """A tiny nested sampler (Skilling 2004) with dynesty's interface: new
    points by a random walk in the unit cube from a live point, accepted
    above the likelihood threshold. Returns ln Z."""
    rng = np.random.default_rng(seed)
    u = rng.random((nlive, ndim))
    logl = loglike(prior_transform(u))
    logz, logx = -np.inf, 0.0
    step = 0.1
    for it in range(200000):
        worst = int(np.argmin(logl))
        logw = logx + np.log1p(-np.exp(-1.0 / nlive))
        logz = np.logaddexp(logz, logw + logl[worst])
        logx -= 1.0 / nlive
        if np.max(logl) + logx < logz + np.log(dlogz):
            break
        thr = logl[worst]
        cur = u[rng.integers(nlive)].copy()
        cur_l = None
        acc = 0
        for _ in range(25):
            prop = cur + step * rng.standard_normal(ndim)
            if np.any(prop < 0) or np.any(prop > 1):
                continue
            pl = loglike(prior_transform(prop))
            if pl > thr:
                cur, cur_l, acc = prop, pl, acc + 1
        step *= np.exp(0.5 * (acc / 25 - 0.5))
        if cur_l is None:
            cur_l = loglike(prior_transform(cur))
        u[worst], logl[worst] = cur, cur_l
    logz = np.logaddexp(logz, logx + np.log(np.mean(np.exp(logl - logl.max()))) + logl.max())
    return logz


def test_dynesty_style_nested_sampling(cli):
    """loglike and prior_transform in a nested sampler of dynesty's
    interface give the evidence of `cosmoemu fit -sampler nested`."""
    with cosmoemu.Likelihood(["desi-dr2"], model="lcdm") as like:
        assert like.param_names == ["Om", "hrd"]
        logz = _nested(like.loglike, like.prior_transform, like.ndim)
    js = run_json(cli, "fit", "-model", "lcdm", "-data", "desi-dr2", "-sampler", "nested")
    assert abs(logz - js["logz"]) < 0.3 + 3 * js["logz_err"], (logz, js["logz"], js["logz_err"])


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="no fork on this platform")
def test_forked_child_gets_an_exception_not_a_hang(flagship):
    """The Go runtime does not survive fork(): a forked child's calls raise."""
    import os
    x = flagship.point(Om=0.32, w0=-0.7, wa=-1.0, H0=66.5, ombh2=0.0224)
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        code = 1
        try:
            flagship.logpost(x)
        except cosmoemu.CosmoemuError as e:
            code = 0 if "forked" in str(e) else 2
        except BaseException:
            code = 3
        os.write(w, bytes([code]))
        os._exit(0)
    os.close(w)
    got = os.read(r, 1)
    os.waitpid(pid, 0)
    assert got == bytes([0]), got
    assert flagship.logpost(x) < 0  # the parent goes on
