"""fit(): `cosmoemu fit` in-process, returning GetDist MCSamples."""

import os

import numpy as np
import pytest

import cosmoemu
from conftest import FLAGSHIP, need, run_json

SAME = ("params", "mean", "std", "q025", "q975", "best_fit", "chi2_min", "chi2_by_data", "burn", "walkers", "steps",
        "evaluations", "acceptance", "chi2_min_sample")


def test_fit_identical_to_cli(cli, tmp_path):
    need("getdist")
    js = run_json(cli, "fit", "-model", "w0wacdm", "-data", ",".join(FLAGSHIP), "-steps", "2000",
                  "-out", str(tmp_path / "cli"))
    samples = cosmoemu.fit(FLAGSHIP, model="w0wacdm", steps=2000, out=str(tmp_path / "py"))
    res = samples.cosmoemu
    for key in SAME:
        assert res[key] == js[key], key
    for name in ("_1.txt", ".paramnames", ".ranges", ".properties.ini"):
        a = (tmp_path / ("cli" + name)).read_bytes()
        b = (tmp_path / ("py" + name)).read_bytes()
        assert a == b, name
    # GetDist reads the chains with the run's burn-in and derived columns.
    names = [p.name for p in samples.paramNames.names]
    assert names[:5] == ["Om", "w0", "wa", "H0", "ombh2"]
    assert {"chi2", "chi2_desi-dr2", "chi2_union3", "chi2_planck18-distance", "rdrag"} <= set(names)
    for i, p in enumerate(res["params"]):
        assert samples.mean(p) == pytest.approx(res["mean"][i], abs=0.02 * res["std"][i])
    assert res["chain"].shape == (2000, 32, 5)


def test_fit_without_getdist_and_temporary_files():
    res = cosmoemu.fit(["desi-dr2"], model="lcdm", steps=400, getdist=False)
    assert isinstance(res, cosmoemu.FitResult)
    assert res["params"] == ["Om", "hrd"]
    assert res["chain"].shape[1:] == (32, 2)
    assert not os.path.exists(res["root"] + "_1.txt")  # the temporary directory is gone


def test_fit_nested(cli):
    need("getdist")
    js = run_json(cli, "fit", "-model", "lcdm", "-data", "desi-dr2", "-sampler", "nested", "-live", "200")
    s = cosmoemu.fit("desi-dr2", model="lcdm", sampler="nested", live=200)
    assert s.cosmoemu["logz"] == js["logz"]
    assert s.cosmoemu["mean"] == js["mean"]


@pytest.mark.parametrize("kwargs,match", [
    (dict(data=["nope"]), "nope"),
    (dict(data=["desi-dr2"], sampler="gibbs"), "gibbs"),
    (dict(data=["desi-dr2"], priors={"Om": "1:0"}), "Om"),
])
def test_fit_bad_configuration(kwargs, match):
    with pytest.raises(ValueError, match=match):
        cosmoemu.fit(**kwargs)


def test_fit_refuses_to_overwrite(tmp_path):
    root = str(tmp_path / "r")
    cosmoemu.fit(["desi-dr2"], steps=200, out=root, getdist=False)
    with pytest.raises(cosmoemu.CosmoemuError, match="resume|force"):
        cosmoemu.fit(["desi-dr2"], steps=200, out=root, getdist=False)
    again = cosmoemu.fit(["desi-dr2"], steps=200, out=root, force=True, getdist=False)
    assert np.isfinite(again["chi2_min"])
