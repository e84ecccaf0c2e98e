"""background(): the numbers of `cosmoemu background -json`, bit for bit,
for many points at once; bad input is an exception naming it."""

import threading

import numpy as np
import pytest

import cosmoemu
from conftest import need, run_json

Z = [0.01, 0.1, 0.5, 1.0, 2.33, 1090.0]

CASES = [
    ("lcdm", {"Om": 0.31, "H0": 67.5}, []),
    ("lcdm", {"Om": 0.31, "H0": 67.5, "ombh2": 0.0224}, []),
    ("olcdm", {"Om": 0.3, "Ok": 0.05, "H0": 70.0, "ombh2": 0.022}, []),
    ("olcdm", {"Om": 0.3, "Ok": -0.05, "H0": 70.0}, []),
    ("wcdm", {"Om": 0.3, "w": -0.9, "H0": 68.0, "ombh2": 0.0224, "mnu": 0.1, "nnu": 3.2}, []),
    ("w0wacdm", {"Om": 0.32, "w0": -0.7, "wa": -1.0, "H0": 66.5, "ombh2": 0.0224}, []),
    ("w0wacdm", {"omch2": 0.12, "w0": -0.9, "wa": -0.3, "H0": 67.0, "ombh2": 0.0224}, []),
    ("w0wacdm", {"Om": 0.32, "w0": -0.7, "wa": -1.0, "H0": 66.5, "ombh2": 0.0224}, ["-early", "fitting"]),
    ("w0wacdm", {"Om": 0.32, "w0": -0.7, "wa": -1.0, "H0": 66.5, "ombh2": 0.0224}, ["-early", "emulator"]),
    ("w0wacdm", {"Om": 0.32, "w0": -0.7, "wa": -1.0, "H0": 66.5, "ombh2": 0.0224}, ["-backend", "solver"]),
    ("quintessence", {"Om": 0.31, "H0": 67.0, "lambda": 0.7, "ombh2": 0.0224}, []),
    ("quintessence", {"Om": 0.31, "H0": 67.0, "lambda": 0.7}, ["-backend", "emulator"]),
    ("lcdm", {"Om": 0.31, "H0": 67.5, "sigma8": 0.81}, []),
    ("w0wacdm", {"Om": 0.32, "w0": -0.7, "wa": -1.0, "H0": 66.5, "ombh2": 0.0224, "sigma8": 0.8}, ["-backend", "solver"]),
    ("quintessence", {"Om": 0.31, "H0": 67.0, "lambda": 0.7, "sigma8": 0.8}, ["-backend", "emulator"]),
]

GROWTH_Z = ("D_ratio", "f", "fs8_over_s8", "fsigma8", "sigma8_z")


def _flags(extra):
    kw = {}
    for k, v in zip(extra[::2], extra[1::2]):
        kw[k.lstrip("-")] = v
    return kw


@pytest.mark.parametrize("model,params,extra", CASES)
def test_identical_to_cli(cli, model, params, extra):
    js = run_json(cli, "background", "-model", model, "-p", ",".join(f"{k}={v!r}" for k, v in params.items()),
                  "-z", ",".join(map(repr, Z)), *extra)
    out = cosmoemu.background(model, params, Z, growth=True, **_flags(extra))
    for key in ("E", "H", "DC", "DM", "DA", "DL", "mu", "DH", "DV", "w", "lookback_Gyr"):
        np.testing.assert_array_equal(out[key], np.array(js[key]), err_msg=key)
    for key in GROWTH_Z:
        if key in js:
            np.testing.assert_array_equal(out[key], np.array(js[key]), err_msg=key)
        else:
            assert key not in out, key
    scalars = ["Omega_nu", "age_Gyr", "zdrag", "rdrag", "zstar", "rs_star", "DM_star", "theta_star_100", "R", "lA",
               "YHe", "D0", "S8"]
    for key in scalars:
        if key in js:
            assert out[key] == js[key], key
        else:
            assert key not in out, key
    assert out["Om"] == js["params"].get("Om", out["Om"])


def test_many_points_equal_one_by_one(rng):
    n = 257
    p = {"Om": rng.uniform(0.2, 0.4, n), "w0": rng.uniform(-1.2, -0.6, n), "wa": rng.uniform(-1.5, 0.3, n),
         "H0": rng.uniform(60, 75, n), "ombh2": 0.0224}
    z = np.linspace(0.05, 3, 30)
    out = cosmoemu.background("w0wacdm", p, z)
    assert out["DM"].shape == (n, 30) and out["rdrag"].shape == (n,)
    for i in (0, 17, 256):
        one = cosmoemu.background("w0wacdm", {k: (v[i] if np.ndim(v) else v) for k, v in p.items()}, z)
        for key in ("H", "DM", "mu", "DV"):
            np.testing.assert_array_equal(out[key][i], one[key])
        assert out["rdrag"][i] == one["rdrag"] and out["lA"][i] == one["lA"]


def test_input_forms():
    z = [0.5, 1.0]
    d = cosmoemu.background("lcdm", {"Om": [0.3, 0.31], "H0": 70.0}, z)
    a = cosmoemu.background("lcdm", np.array([[0.3, 70.0], [0.31, 70.0]]), z, names=["Om", "H0"])
    rec = np.array([(0.3, 70.0), (0.31, 70.0)], dtype=[("Om", float), ("H0", float)])
    s = cosmoemu.background("lcdm", rec, z)
    for key in ("H", "DM"):
        np.testing.assert_array_equal(d[key], a[key])
        np.testing.assert_array_equal(d[key], s[key])
    pd = need("pandas")
    f = cosmoemu.background("lcdm", pd.DataFrame({"Om": [0.3, 0.31], "H0": [70.0, 70.0]}), z)
    np.testing.assert_array_equal(d["H"], f["H"])
    one = cosmoemu.background("lcdm", {"Om": 0.3, "H0": 70.0}, z)
    assert one["H"].shape == (2,) and isinstance(one["age_Gyr"], float)


def test_background_class_reuses_its_evaluators():
    with cosmoemu.Background("wcdm", ["Om", "w", "H0"]) as bg:
        x = np.array([[0.3, -0.9, 70.0]] * 3)
        first = bg(x, [0.5, 1.0])
        again = bg(x, [0.5, 1.0])
        other = bg(x, [0.7])
        np.testing.assert_array_equal(first["DL"], again["DL"])
        assert other["DL"].shape == (3, 1)
    with pytest.raises(ValueError, match="closed"):
        bg(x, [0.5])


@pytest.mark.parametrize("kwargs,match", [
    (dict(model="lcdm", params={"Om": 0.3, "H0": 70, "w": -1}), r'does not take parameter "w"'),
    (dict(model="lcdm", params={"Om": 0.3}), "needs parameter H0"),
    (dict(model="nope", params={"Om": 0.3, "H0": 70}), "nope"),
    (dict(model="lcdm", params={"Om": 0.3, "H0": 70}, backend="magic"), "magic"),
    (dict(model="lcdm", params={"Om": 0.3, "H0": 70}, early="later"), "later"),
    (dict(model="lcdm", params={"Om": 0.3, "omch2": 0.12, "H0": 70, "ombh2": 0.02}), "not both"),
    (dict(model="lcdm", params={"Om": [0.3, 0.2], "H0": [70, 71, 72]}), "different lengths"),
    (dict(model="lcdm", params={"Om": np.nan, "H0": 70}), r"point 0 \(Om=NaN, H0=70\).*Om = NaN"),
    (dict(model="lcdm", params={"Om": [0.3, 1.5], "H0": 70}), r"point 1 .*Om = 1.5"),
    (dict(model="w0wacdm", params={"Om": 0.3, "w0": -0.5, "wa": 0.6, "H0": 70}), r"w0 \+ wa"),
    (dict(model="lcdm", params={"Om": "x", "H0": 70}), "parameter Om: not numbers"),
    (dict(model="lcdm", params=np.zeros((2, 3)), names=["Om", "H0"]), r"shape \(2, 3\)"),
    (dict(model="lcdm", params=np.zeros((2, 2))), "need names"),
])
def test_bad_input_names_the_problem(kwargs, match):
    with pytest.raises(ValueError, match=match):
        cosmoemu.background(z=[0.5, 1.0], **kwargs)


@pytest.mark.parametrize("z,match", [([0.0, 1.0], "redshift 0 = 0"), ([0.5, np.nan], "redshift 1 = NaN"),
                                     ([], "non-empty"), ([[0.5]], "1-D")])
def test_bad_redshifts(z, match):
    with pytest.raises(ValueError, match=match):
        cosmoemu.background("lcdm", {"Om": 0.3, "H0": 70}, z)


def test_errors_nan_marks_the_failed_points():
    out = cosmoemu.background("w0wacdm", {"Om": [0.3, 0.3], "w0": [-0.9, -0.5], "wa": [0.0, 0.6], "H0": 70},
                              [0.5], errors="nan")
    assert list(out["status"]) == [0, 1]
    assert np.isfinite(out["H"][0]).all() and np.isnan(out["H"][1]).all()


def test_threads_give_the_same_numbers(rng):
    n = 400
    p = np.column_stack([rng.uniform(0.2, 0.4, n), rng.uniform(-1.2, -0.6, n), rng.uniform(-1, 0.3, n),
                         rng.uniform(60, 75, n)])
    z = np.linspace(0.1, 2, 12)
    ref = cosmoemu.background("w0wacdm", p, z, names=["Om", "w0", "wa", "H0"])["DM"]
    results, errors = [None] * 8, []

    def work(k):
        try:
            results[k] = cosmoemu.background("w0wacdm", p, z, names=["Om", "w0", "wa", "H0"])["DM"]
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    ts = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert not errors
    for r in results:
        np.testing.assert_array_equal(r, ref)


def test_set_threads():
    before = cosmoemu.set_threads(1)
    try:
        assert cosmoemu.get_threads() == 1
        out = cosmoemu.background("lcdm", {"Om": [0.3, 0.31, 0.32], "H0": 70.0}, [1.0])
        assert out["H"].shape == (3, 1)
    finally:
        cosmoemu.set_threads(before)
    with pytest.raises(ValueError):
        cosmoemu.set_threads(0)


def test_catalogues():
    m = cosmoemu.models()
    assert set(m) == {"lcdm", "olcdm", "wcdm", "w0wacdm", "quintessence"}
    assert m["w0wacdm"]["params"] == ["Om", "w0", "wa", "H0"]
    d = cosmoemu.datasets()
    for name in ("desi-dr2", "union3", "planck18-distance", "pantheonplus", "desy5", "bbn", "cc31"):
        assert name in d, name


def test_growth_only_when_asked():
    """The growth columns cost the growth ODE: computed with growth=True or
    sigma8, left out otherwise, and the same numbers either way."""
    p = {"Om": 0.31, "w0": -0.8, "wa": -0.5, "H0": 67.0}
    plain = cosmoemu.background("w0wacdm", p, Z)
    assert not {"D_ratio", "f", "fs8_over_s8", "D0", "fsigma8", "S8"} & set(plain)
    grown = cosmoemu.background("w0wacdm", p, Z, growth=True)
    with_s8 = cosmoemu.background("w0wacdm", dict(p, sigma8=0.8), Z)
    np.testing.assert_array_equal(grown["f"], with_s8["f"])
    np.testing.assert_array_equal(grown["DM"], plain["DM"])
    assert "fsigma8" in with_s8 and "fsigma8" not in grown
