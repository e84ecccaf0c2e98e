"""The numpy API of cosmoemu: background, Likelihood, fit, models, datasets."""

import ctypes
import json
import math
import os
import shutil
import tempfile
import threading
import time
import warnings

import numpy as np

from . import _lib
from ._lib import CosmoemuError

_inf = float("-inf")


def set_threads(n):
    """Set the number of threads that run cosmoemu's Go code (Go's
    GOMAXPROCS, by default the number of cores) and return the previous
    number. Batches of points are shared among them. Under MPI with one
    process per core, set_threads(1)."""
    n = int(n)
    if n < 1:
        raise ValueError(f"set_threads: {n} threads: need at least 1")
    return _lib.lib().cosmoemu_set_threads(n)


def get_threads():
    """The number of threads that run cosmoemu's Go code."""
    return _lib.lib().cosmoemu_set_threads(0)


def models():
    """The built-in models: {name: {doc, closed_form, params, declarations}}."""
    return {m["name"]: m for m in _lib.call_json("cosmoemu_models")}


def datasets():
    """The built-in data sets: {name: {measures, doc, citation, fetched_covariance}}."""
    return {d["name"]: d for d in _lib.call_json("cosmoemu_datasets")}


def live_handles():
    """The number of library objects not yet closed (for leak checks)."""
    return _lib.lib().cosmoemu_live_handles()


class _Handle:
    """An object of the library, released by close() (or the garbage
    collector, or a with block). Using it after close() raises ValueError."""

    _h = 0
    _closed = True

    def close(self):
        """Release the library object; further calls raise ValueError."""
        if not self._closed:
            self._closed = True
            _lib.close_handle(self._h)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass


def _floats(x, what):
    """x as a C-contiguous float64 array; a ValueError naming `what`
    for what is not numbers."""
    try:
        a = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError) as e:
        raise ValueError(f"{what}: not numbers ({e})") from None
    return a if a.flags.c_contiguous else np.ascontiguousarray(a)


def _ptr(a):
    return a.ctypes.data


def _check_errors(errors):
    if errors not in ("raise", "nan"):
        raise ValueError(f"errors={errors!r}: want 'raise' or 'nan'")


def _batch_failures(rc, err, n, errors):
    """Raise the library's error (rc -1); for rc > 0 failed points of n,
    take the first one's message and, with errors='raise', raise it."""
    _lib.check(rc, err)
    if rc > 0:
        msg = _lib.take_string(err)
        if errors == "raise":
            raise ValueError(msg if n == 1 else f"{rc} of {n} points failed; the first: {msg}")


# ---------------------------------------------------------------- background

class Background(_Handle):
    """`cosmoemu background` for many points of one model with the same
    parameter names: the numbers of the command line, bit for bit,
    computed on all of cosmoemu's threads (set_threads).

    model: lcdm, olcdm, wcdm, w0wacdm or quintessence; params: the names
    of the parameters the points give (the model's, and ombh2 for the
    early universe, omch2 instead of Om with ombh2, mnu, nnu); backend:
    analytic (the closed form, the default where there is one), solver or
    emulator; early: exact (the default, as `cosmoemu background`),
    emulator or fitting.
    """

    def __init__(self, model, params, backend=None, early="exact", emulator=None, no_fallback=False, rtol=0.0,
                 growth=False):
        cfg = {"model": model, "params": list(params), "backend": backend or "", "early": early or "exact",
               "emulator": emulator or "", "no_fallback": bool(no_fallback), "rtol": float(rtol),
               "growth": bool(growth)}
        self._h = _lib.new_handle("cosmoemu_background_new", cfg)
        self._closed = False
        info = _lib.call_json("cosmoemu_background_info", self._h)
        self.model = model
        self.param_names = list(params)
        self.backend = info["config"]["backend"]
        self.early = info["config"]["early"]
        self.z_columns = info["z_columns"]
        self.scalar_columns = info["scalar_columns"]
        # Whether the growth columns are computed (growth=True or sigma8
        # given, and the backend has them), and why the backend has none.
        self.growth = info["growth"]
        self.growth_note = info["growth_note"]

    def _absent(self, name):
        """Whether a column Eval fills is left out: fσ8, σ8(z) and S8
        without sigma8 (the growth's columns come only where it is
        computed: self.growth)."""
        return name in ("fsigma8", "sigma8_z", "S8") and "sigma8" not in self.param_names

    @property
    def fallbacks(self):
        """Evaluations the emulator left to the solver (outside its domain)."""
        return _lib.call_json("cosmoemu_background_info", self._h)["fallbacks"]

    def __call__(self, points, z, zhel=None, errors="raise"):
        """Evaluate the points (an (n, p) array in the order of
        param_names, or one point of p values) at the redshifts z (> 0).

        Returns a dict: each observable of z_columns as an (n, len(z))
        array, each of scalar_columns as an (n,) array (the early-universe
        ones only with ombh2), 'z', 'zhel', and 'status' (0 computed, 1 a
        point the model cannot describe, 2 a failure of the backend). With
        errors='raise' (the default) a failed point raises ValueError
        naming it; with errors='nan' its values are NaN and its status
        says why. One point gives (len(z),) arrays and floats.
        """
        _check_errors(errors)
        pts = _floats(points, "points")
        single = pts.ndim == 1
        if single:
            pts = pts.reshape(1, -1)
        if pts.ndim != 2 or pts.shape[1] != len(self.param_names):
            raise ValueError(f"points of shape {np.shape(points)}: want (n, {len(self.param_names)}) "
                             f"with the columns {', '.join(self.param_names)}")
        zz = _floats(z, "z")
        if zz.ndim == 0:
            zz = zz.reshape(1)
        if zz.ndim != 1 or zz.size == 0:
            raise ValueError(f"z of shape {zz.shape}: want a non-empty 1-D array")
        zh = None
        if zhel is not None:
            zh = _floats(zhel, "zhel").reshape(-1)
            if zh.shape != zz.shape:
                raise ValueError(f"{zh.size} heliocentric redshifts for {zz.size} redshifts")
        n, nz = pts.shape[0], zz.size
        perz = np.empty((len(self.z_columns), n, nz))
        scal = np.empty((len(self.scalar_columns), n))
        status = np.zeros(n, dtype=np.int32)
        err = ctypes.c_void_p()
        rc = _lib.lib().cosmoemu_background_eval(
            self._h, _ptr(pts), n, pts.shape[1], _ptr(zz), nz, None if zh is None else _ptr(zh),
            _ptr(perz), _ptr(scal), _ptr(status), ctypes.byref(err))
        _batch_failures(rc, err, n, errors)
        out = {"z": zz, "zhel": zz if zh is None else zh}
        for k, name in enumerate(self.z_columns):
            if not self._absent(name):
                out[name] = perz[k]
        has_early = "ombh2" in self.param_names
        for k, name in enumerate(self.scalar_columns):
            col = scal[k]
            if self._absent(name):
                continue
            if name in ("zdrag", "rdrag", "zstar", "rs_star", "DM_star", "theta_star_100", "R", "lA", "YHe"):
                if not has_early or (name in ("zdrag", "YHe") and np.all(np.isnan(col[status == 0]))):
                    continue
            out[name] = col
        out["status"] = status
        if single:
            for k, v in list(out.items()):
                if k in ("z", "zhel"):
                    continue
                out[k] = v[0].item() if v.ndim == 1 else v[0]
        return out


_bg_cache = {}
_bg_lock = threading.Lock()


def _columns(params, names=None):
    """The names and the (n, p) array of the points in params: a dict of
    scalars or arrays (broadcast together), a numpy structured array, a
    pandas DataFrame, or an (n, p) array with names; and whether it was
    one point."""
    if hasattr(params, "dtype") and getattr(params.dtype, "names", None):
        names = list(params.dtype.names)
        cols = [np.asarray(params[k], dtype=np.float64) for k in names]
    elif hasattr(params, "columns") and hasattr(params, "to_numpy"):  # pandas
        names = [str(c) for c in params.columns]
        cols = [params[c].to_numpy(dtype=np.float64) for c in params.columns]
    elif isinstance(params, dict):
        names = list(params)
        cols = [_floats(params[k], f"parameter {k}") for k in names]
    else:
        if names is None:
            raise ValueError("params as an array need names=[...] for its columns (or pass a dict)")
        a = _floats(params, "params")
        names = list(names)
        if a.ndim == 1:
            a = a.reshape(1, -1)
            if a.shape[1] != len(names):
                raise ValueError(f"a point of {a.shape[1]} values for the {len(names)} names {names}")
            return names, a, True
        if a.ndim != 2 or a.shape[1] != len(names):
            raise ValueError(f"params of shape {a.shape} for the {len(names)} names {names}: want (n, {len(names)})")
        return names, a, False
    for k, c in zip(names, cols):
        if c.ndim > 1:
            raise ValueError(f"parameter {k}: an array of shape {c.shape}; want a number or a 1-D array")
    single = all(c.ndim == 0 for c in cols)
    try:
        b = np.broadcast_arrays(*[np.atleast_1d(c) for c in cols])
    except ValueError:
        raise ValueError("the parameter arrays have different lengths: " +
                         ", ".join(f"{k} {np.atleast_1d(c).shape[0]}" for k, c in zip(names, cols))) from None
    return names, np.ascontiguousarray(np.stack(b, axis=1)), single


def background(model, params, z, zhel=None, backend=None, early="exact", names=None, errors="raise", **kw):
    """Every observable of `cosmoemu background -json` for many points.

    model: lcdm, olcdm, wcdm, w0wacdm or quintessence. params: a dict
    {name: number or array} (arrays broadcast together), a numpy
    structured array or pandas DataFrame with named columns, or an (n, p)
    array with names=[...]. z: the redshifts (> 0); zhel: heliocentric
    redshifts for D_L and mu (default z). backend: analytic (default where
    the model has a closed form), solver or emulator; early: exact (the
    default, as the command line), emulator or fitting. growth=True adds
    the linear growth (D_ratio, f, fs8_over_s8, D0; with sigma8 also
    fsigma8, sigma8_z, S8), which sigma8 among the parameters turns on by
    itself: it costs the growth ODE, 40-80 us a point, against about 1 us
    for the rest.

    Returns {name: array}: H, E, DC, DM, DA, DL, mu, DH, DV, w,
    lookback_Gyr of shape (n, len(z)); Omega_nu, age_Gyr, Om and, with
    ombh2, zdrag, rdrag, zstar, rs_star, DM_star, theta_star_100, R, lA,
    YHe of shape (n,); with scalar parameters, (len(z),) arrays and
    floats. A point the model cannot describe raises ValueError naming it
    (errors='nan': NaN, with 'status' saying why).
    """
    pnames, pts, single = _columns(params, names)
    key = (model, tuple(pnames), backend, early, tuple(sorted(kw.items())))
    with _bg_lock:
        bg = _bg_cache.get(key)
        if bg is None:
            bg = Background(model, pnames, backend=backend, early=early, **kw)
            if len(_bg_cache) > 32:
                _bg_cache.clear()
            _bg_cache[key] = bg
    return bg(pts[0] if single else pts, z, zhel=zhel, errors=errors)


# ---------------------------------------------------------------- likelihood

def _prior_spec(v):
    """A prior as the command line's string: 'LO:HI', 'gauss:MU:SIGMA',
    or from a tuple (lo, hi) or a dict {lo, hi} / {mu, sigma[, lo, hi]}."""
    if isinstance(v, str):
        return v
    if isinstance(v, dict):
        if "sigma" in v:
            s = f"gauss:{float(v['mu'])!r}:{float(v['sigma'])!r}"
            if "lo" in v or "hi" in v:
                s += f":{float(v['lo'])!r}:{float(v['hi'])!r}"
            return s
        return f"{float(v['lo'])!r}:{float(v['hi'])!r}"
    lo, hi = v
    return f"{float(lo)!r}:{float(hi)!r}"


def _config(model, data, backend, early, priors, fixed, diag_only, emulator, no_fallback, rtol, cache_dir):
    if isinstance(data, str):
        data = [d.strip() for d in data.split(",") if d.strip()]
    return {"model": model or "lcdm", "data": list(data), "backend": backend or "", "early": early or "",
            "priors": {k: _prior_spec(v) for k, v in (priors or {}).items()},
            "fixed": {k: float(v) for k, v in (fixed or {}).items()},
            "diag_only": bool(diag_only), "emulator": emulator or "", "no_fallback": bool(no_fallback),
            "rtol": float(rtol), "cache_dir": cache_dir or ""}


class Likelihood(_Handle):
    """The posterior of `cosmoemu fit` for the same arguments: the same
    sampled parameters, priors, data, backend, early universe and numbers.

        like = cosmoemu.Likelihood(["desi-dr2", "union3", "planck18-distance"], model="w0wacdm")
        like.param_names               # ['Om', 'w0', 'wa', 'H0', 'ombh2']
        like.logpost(theta)            # one point (d,) -> float, or (n, d) -> (n,)
        emcee.EnsembleSampler(32, like.ndim, like.logpost, vectorize=True)
        dynesty.NestedSampler(like.loglike, like.prior_transform, like.ndim)

    data: built-in sets by name (cosmoemu.datasets()) or files as in fit
    (bao:MEAN[:COV], sn:TABLE[:COV], hz:TABLE[:COV]); priors: {name:
    'LO:HI' | 'gauss:MU:SIGMA' | (lo, hi)}; fixed: {name: value}; early:
    emulator (the default of fits), exact or fitting; backend: analytic,
    solver or emulator, by default as cosmoemu fit (the closed form where
    the model has one, else its embedded emulator).

    Conventions: a point outside the prior, or one the model cannot
    describe (w0 + wa >= 0, ...), has logpost = loglike = -inf, as emcee
    and dynesty expect; input that is not a point (wrong shape, NaN, inf,
    unknown names) raises ValueError naming the problem.
    """

    def __init__(self, data, model="lcdm", backend=None, early=None, priors=None, fixed=None, diag_only=False,
                 emulator=None, no_fallback=False, rtol=0.0, cache_dir=None, _point=None):
        cfg = _config(model, data, backend, early, priors, fixed, diag_only, emulator, no_fallback, rtol, cache_dir)
        if _point is not None:
            cfg["point"] = list(_point)
        self._config = cfg
        self._h = _lib.new_handle("cosmoemu_like_new", cfg)
        self._closed = False
        info = _lib.call_json("cosmoemu_like_info", self._h)
        self.info = info
        self.model = info["model"]
        self.backend = info["backend"]
        self.early = info["early"]
        self.data_names = list(info["data"])
        ps = info["params"]
        self.param_names = [p["name"] for p in ps]
        self.labels = [p["label"] for p in ps]
        self.ndim = len(ps)
        self.bounds = np.array([[p["lo"], p["hi"]] for p in ps], dtype=float).reshape(-1, 2)
        self.priors = {p["name"]: p["prior"] for p in ps}
        self.fixed = dict(info["fixed"] or {})
        self.derived_names = list(info["derived"])
        self.derived_labels = list(info["derived_labels"])
        self.marginalised = list(info["marginalised"] or [])
        self.log_norm = info["log_norm"]
        self.n_data = info["n_data"]
        self.notes = list(info["notes"] or [])
        self.warnings = list(info["warnings"] or [])
        self._index = {n: i for i, n in enumerate(self.param_names)}
        self._nder = len(self.derived_names)
        self._logpost = _lib.lib().cosmoemu_like_logpost
        self._fail_seen = 0
        self._tls = threading.local()
        self._shape1 = (self.ndim,)

    def _scratch(self):
        """This thread's buffers for one point: the call overhead of
        logpost stays below a microsecond or two (no array is made per
        call, the addresses are computed once)."""
        s = self._tls
        s.x = np.empty(self.ndim)
        s.out = np.empty(1)
        s.err = ctypes.c_void_p()
        s.args = (s.x.ctypes.data, 1, self.ndim, s.out.ctypes.data, None, 0, ctypes.byref(s.err))
        return s

    def __repr__(self):
        return (f"cosmoemu.Likelihood(model={self.model!r}, data={self.data_names!r}, backend={self.backend!r}, "
                f"params={self.param_names!r})")

    # -- points
    def _points(self, theta):
        """theta as an (n, ndim) float64 C array, and whether it was one
        point. A dict {name: value(s)} is taken by name."""
        if isinstance(theta, dict):
            unknown = [k for k in theta if k not in self._index]
            if unknown:
                raise ValueError(f"unknown parameter(s) {', '.join(map(str, unknown))}: this likelihood samples "
                                 f"{', '.join(self.param_names)}")
            missing = [k for k in self.param_names if k not in theta]
            if missing:
                raise ValueError(f"missing parameter(s) {', '.join(missing)} (it samples {', '.join(self.param_names)})")
            _, a, single = _columns({k: theta[k] for k in self.param_names})
            return a, single
        a = theta
        if type(a) is not np.ndarray or a.dtype != np.float64 or not a.flags.c_contiguous:
            a = _floats(theta, "theta")
        if a.ndim == 1:
            if a.shape[0] != self.ndim:
                raise ValueError(f"a point of {a.shape[0]} coordinates for the {self.ndim} parameters "
                                 f"{', '.join(self.param_names)}")
            return a.reshape(1, self.ndim), True
        if a.ndim != 2 or a.shape[1] != self.ndim:
            raise ValueError(f"theta of shape {a.shape}: want ({self.ndim},) or (n, {self.ndim}) with the columns "
                             f"{', '.join(self.param_names)}")
        return a, False

    def _eval(self, a, derived=False):
        _lib.check_fork()
        n = a.shape[0]
        out = np.empty(n)
        der = np.empty((n, self._nder)) if derived else None
        err = ctypes.c_void_p()
        rc = self._logpost(self._h, a.ctypes.data, n, self.ndim, out.ctypes.data,
                           None if der is None else der.ctypes.data, self._nder, ctypes.byref(err))
        if rc:
            _lib.check(rc, err)
        return out, der

    def logpost(self, theta):
        """ln P = ln prior - chi2/2 (the normalised prior, without the
        likelihoods' normalisation): what `cosmoemu fit`'s samplers and
        chains see. One point (ndim,) gives a float, (n, ndim) an (n,)
        array (emcee's vectorize=True), computed on all threads. -inf
        outside the prior and where the model cannot describe the point."""
        if type(theta) is np.ndarray and theta.shape == self._shape1 and not _lib.FORKED:
            try:
                s = self._tls.args and self._tls
            except AttributeError:
                s = self._scratch()
            s.x[:] = theta
            if self._logpost(self._h, *s.args):
                _lib.check(-1, s.err)
            return s.out[0].item()
        a, single = self._points(theta)
        out, _ = self._eval(a)
        if not single and np.any(out == _inf):
            self._warn_failures()
        return float(out[0]) if single else out

    __call__ = logpost

    def loglike(self, theta):
        """ln L = log_norm - chi2/2, the normalised likelihood that nested
        sampling integrates (with prior_transform, as dynesty expects); -inf
        outside the prior's support and where the model cannot describe
        the point. Vectorised like logpost."""
        a, single = self._points(theta)
        lp, der = self._eval(a, derived=True)
        out = np.where(lp == _inf, _inf, self.log_norm - 0.5 * der[:, 0])
        return float(out[0]) if single else out

    def logprior(self, theta):
        """The normalised ln prior of each point; -inf outside it."""
        a, single = self._points(theta)
        out = np.empty(a.shape[0])
        err = ctypes.c_void_p()
        _lib.check(_lib.lib().cosmoemu_like_logprior(self._h, a.ctypes.data, a.shape[0], self.ndim, out.ctypes.data,
                                                     ctypes.byref(err)), err)
        return float(out[0]) if single else out

    def prior_transform(self, u):
        """The unit hypercube to the parameters, through each prior's
        quantile (the transform of `cosmoemu fit -sampler nested`): u of
        shape (ndim,) or (n, ndim) with coordinates in [0, 1]."""
        a, single = self._points(u)
        out = np.empty_like(a)
        err = ctypes.c_void_p()
        _lib.check(_lib.lib().cosmoemu_like_transform(self._h, a.ctypes.data, a.shape[0], self.ndim, out.ctypes.data,
                                                      ctypes.byref(err)), err)
        return out[0] if single else out

    def _chi2(self, theta, errors):
        _check_errors(errors)
        a, single = self._points(theta)
        n, nd = a.shape[0], len(self.data_names)
        total, by = np.empty(n), np.empty((n, nd))
        status = np.zeros(n, dtype=np.int32)
        err = ctypes.c_void_p()
        rc = _lib.lib().cosmoemu_like_chi2(self._h, a.ctypes.data, n, self.ndim, total.ctypes.data, by.ctypes.data, nd,
                                           status.ctypes.data, ctypes.byref(err))
        _batch_failures(rc, err, n, errors)
        return total, by, status, single

    def chi2(self, theta, errors="raise"):
        """The total chi2 of each point (inside the prior or not)."""
        total, _, _, single = self._chi2(theta, errors)
        return float(total[0]) if single else total

    def chi2_by_data(self, theta, errors="raise"):
        """{data set: chi2} of each point, and 'total' (the keys of
        `cosmoemu fit -json`'s chi2_by_data). A point the model cannot
        describe raises ValueError naming it (errors='nan': NaN)."""
        total, by, _, single = self._chi2(theta, errors)
        out = {name: (float(by[0, k]) if single else by[:, k]) for k, name in enumerate(self.data_names)}
        out["total"] = float(total[0]) if single else total
        return out

    def derived(self, theta):
        """The derived parameters of each point, as in the chains of
        `cosmoemu fit`: chi2, chi2_<data set>, rdrag (when the data need
        r_d), with logpost, loglike and logprior. NaN where logpost is -inf."""
        a, single = self._points(theta)
        lp, der = self._eval(a, derived=True)
        bad = lp == _inf
        der[bad] = np.nan
        out = {name: der[:, k] for k, name in enumerate(self.derived_names)}
        out["logpost"] = lp
        out["loglike"] = np.where(bad, _inf, self.log_norm - 0.5 * der[:, 0])
        out["logprior"] = self.logprior(a)
        if single:
            out = {k: float(v[0]) for k, v in out.items()}
        return out

    def stats(self):
        """{evaluations, unphysical, failures, first_failure}: failures are
        in-prior points at which the backend failed (not an unphysical
        point); they have logpost -inf and must be looked at."""
        return _lib.call_json("cosmoemu_like_stats", self._h)

    def _warn_failures(self):
        s = self.stats()
        if s["failures"] > self._fail_seen:
            self._fail_seen = s["failures"]
            warnings.warn(f"cosmoemu: {s['failures']} evaluations failed (logpost -inf); the first: {s['first_failure']}",
                          RuntimeWarning, stacklevel=3)

    def sample_prior(self, n, seed=None):
        """n points drawn from the prior (prior_transform of uniform draws):
        starting points for emcee."""
        rng = np.random.default_rng(seed)
        return self.prior_transform(rng.random((int(n), self.ndim)))

    def point(self, **values):
        """One point as an (ndim,) array from named values."""
        return self._points({k: float(v) for k, v in values.items()})[0][0]


# ---------------------------------------------------------------- fit

class FitResult(dict):
    """The result of `cosmoemu fit -json` (a dict), with the chains:
    `samples` (post-burn-in, one row per sample: parameters, then the
    derived columns), `names`, and `root` (the GetDist file root)."""


def fit(data, model="lcdm", backend=None, early=None, priors=None, fixed=None, diag_only=False, emulator=None,
        no_fallback=False, rtol=0.0, cache_dir=None, sampler="ensemble", steps=5000, walkers=0, chains=0, live=0,
        dlogz=0.0, seed=1, workers=0, converge=False, out=None, resume=False, force=False, progress=False,
        getdist=True):
    """Run `cosmoemu fit` in this process and return GetDist MCSamples
    (when GetDist is importable and getdist=True) or a FitResult.

    The arguments are those of the command line (`cosmoemu fit -h`), with
    the same defaults and seed, so that the same call gives the same
    chains and summary. out: the root of the GetDist files (default: a
    temporary directory, removed after loading). The MCSamples carry the
    summary of `cosmoemu fit -json` as .cosmoemu (a dict: mean, std,
    best_fit, chi2_min, chi2_by_data, r_minus_1, ...). progress=True
    prints the stage and step every few seconds. Ctrl-C cancels the run.
    """
    cfg = _config(model, data, backend, early, priors, fixed, diag_only, emulator, no_fallback, rtol, cache_dir)
    tmp = None
    if out is None:
        tmp = tempfile.mkdtemp(prefix="cosmoemu-fit-")
        out = os.path.join(tmp, "fit")
    else:
        d = os.path.dirname(os.path.abspath(out))
        os.makedirs(d, exist_ok=True)
    cfg.update({"sampler": sampler, "steps": int(steps), "walkers": int(walkers), "chains": int(chains),
                "live": int(live), "dlogz": float(dlogz), "seed": int(seed), "workers": int(workers),
                "converge": bool(converge), "out": str(out), "resume": bool(resume), "force": bool(force)})
    try:
        h = _lib.new_handle("cosmoemu_fit_start", cfg)
        try:
            res = _wait_fit(h, progress)
        finally:
            _lib.close_handle(h)
        result = FitResult(res)
        result["root"] = str(out)
        _load_chains(result, out)
        if getdist:
            try:
                from getdist import loadMCSamples
            except ImportError:
                return result
            samples = loadMCSamples(str(out))  # the burn-in from ROOT.properties.ini
            samples.cosmoemu = result
            return samples
        return result
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


def _wait_fit(h, progress):
    lib = _lib.lib()
    last = 0.0
    try:
        while True:
            err = ctypes.c_void_p()
            done = _lib.check(lib.cosmoemu_fit_wait(h, 200, ctypes.byref(err)), err)
            if done:
                break
            if progress and time.time() - last > 2:
                last = time.time()
                p = _lib.call_json("cosmoemu_fit_progress", h)
                print(f"cosmoemu fit: {p['stage']} {p['step']}/{p['steps']}", flush=True)
    except KeyboardInterrupt:
        err = ctypes.c_void_p()
        lib.cosmoemu_fit_cancel(h, ctypes.byref(err))
        lib.cosmoemu_fit_wait(h, 60000, ctypes.byref(err))
        raise
    return _lib.call_json("cosmoemu_fit_result", h, exc=CosmoemuError)


def _load_chains(result, root):
    """The post-burn-in samples of the GetDist files at root into result."""
    names = []
    pn = root + ".paramnames"
    if os.path.exists(pn):
        with open(pn) as f:
            names = [line.split()[0].rstrip("*") for line in f if line.strip()]
    result["names"] = names
    npy = root + ".chain.npy"
    if os.path.exists(npy):
        result["chain"] = np.load(npy)
