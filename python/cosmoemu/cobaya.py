"""Cobaya components: the cosmoemu Theory and likelihoods of cosmoemu's
own data sets.

Theory (in a Cobaya input, instead of camb or classy)::

    theory:
      cosmoemu:              # resolved through cosmoemu.get_cobaya_class()
        model: auto          # or lcdm, olcdm, wcdm, w0wacdm, quintessence
        backend: null        # analytic (closed form; default where there is one), solver, emulator
        early: exact         # z*, r_s, z_drag, r_d: exact (as CAMB), emulator, fitting

It takes Cobaya's parameter names (H0, ombh2, omch2 or omegam, omk, w,
wa, mnu, nnu, sigma8) or cosmoemu's (Om, Ok, w0, lambda) and provides what
Cobaya's background likelihoods request: Hubble, angular_diameter_distance,
comoving_radial_distance, luminosity_distance, and the derived parameters
rdrag, zdrag, zstar, rstar, thetastar (100 θ*), DAstar (Gpc), age,
omegam, omegamh2, omeganu, YHe, lA, R (CAMB's names where CAMB has them;
the early-universe ones need ombh2, and a route that cannot compute one,
zdrag with early: fitting or YHe with early: emulator, is refused when
the theory is initialised, not answered with NaN).
So bao.desi_dr2, sn.union3, sn.pantheonplus, sn.desy5, ... run on it.
With sigma8 (σ8 today, an input parameter here, since no power spectrum
is computed) it also provides the linear growth as CAMB's names have it:
fsigma8 and sigma8_z at z > 0, and the derived S8 = σ8 (Ωm/0.3)^½.

Likelihoods of cosmoemu's data sets, computed by cosmoemu from the point
the theory passes on (the same numbers as `cosmoemu fit`)::

    likelihood:
      cosmoemu.cobaya.planck18_distance:     # one per built-in data set, '-' written '_'
      cosmoemu.cobaya.data:                  # or any list of data sets or files
        data: [desi-dr2, union3]
"""

import numpy as np

from cobaya.likelihood import Likelihood as _CobayaLikelihood
from cobaya.log import LoggedError
from cobaya.theory import Theory as _CobayaTheory

from . import core

C_KM_S = 299792.458

# Cobaya's (CAMB's) parameter names and cosmoemu's, for the models'
# parameters; w is cosmoemu's w in wcdm and w0 in w0wacdm.
_NAMES = {"H0": "H0", "ombh2": "ombh2", "omch2": "omch2", "omegam": "Om", "omk": "Ok", "mnu": "mnu", "nnu": "nnu",
          "Om": "Om", "Ok": "Ok", "w0": "w0", "wa": "wa", "lambda": "lambda", "sigma8": "sigma8"}

# The derived parameters: Cobaya name -> function of the background output.
_DERIVED = {
    "rdrag": lambda o: o["rdrag"], "zdrag": lambda o: o["zdrag"], "zstar": lambda o: o["zstar"],
    "rstar": lambda o: o["rs_star"], "thetastar": lambda o: o["theta_star_100"],
    "DAstar": lambda o: o["DM_star"] / 1000.0, "lA": lambda o: o["lA"], "R": lambda o: o["R"],
    "YHe": lambda o: o["YHe"], "age": lambda o: o["age_Gyr"], "omegam": lambda o: o["Om"],
    "omegamh2": lambda o: o["Om"] * (o["_H0"] / 100.0) ** 2, "omeganu": lambda o: o["Omega_nu"],
    "S8": lambda o: o["S8"],
}
_EARLY = {"rdrag", "zdrag", "zstar", "rstar", "thetastar", "DAstar", "lA", "R", "YHe"}
# The derived parameters an early-universe route never computes, and why:
# refused at initialisation (the Go routes leave them NaN; see
# backend.EarlyOf and the emulator's Predict).
_NOT_BY_ROUTE = {
    "fitting": {"zdrag": "the fitting-formula early universe has no z_drag (Aubourg et al. give r_d only): "
                         "use early: exact or emulator"},
    "emulator": {"YHe": "the emulated early universe does not compute Y_He (it leaves BBN to the exact route): "
                        "use early: exact or fitting"},
}

_Z_QUANTITIES = ("Hubble", "angular_diameter_distance", "comoving_radial_distance", "luminosity_distance",
                 "fsigma8", "sigma8_z")
# The quantities and derived parameters of the linear growth, which need sigma8.
_GROWTH = {"fsigma8", "sigma8_z", "S8"}
# The cosmoemu background column of each quantity at z > 0 (at z = 0: H0
# for Hubble, 0 for the distances).
_COLUMN = {"Hubble": "H", "angular_diameter_distance": "DA", "comoving_radial_distance": "DC",
           "luminosity_distance": "DL", "fsigma8": "fsigma8", "sigma8_z": "sigma8_z"}


def _model_for(names):
    """The model that the input parameters describe."""
    if "wa" in names:
        return "w0wacdm"
    if "lambda" in names:
        return "quintessence"
    if "w" in names or "w0" in names:
        return "wcdm"
    if "omk" in names or "Ok" in names:
        return "olcdm"
    return "lcdm"


class CosmoemuTheory(_CobayaTheory):
    """The background expansion, distances and early-universe scalars of
    cosmoemu as a Cobaya theory (see the module's documentation)."""

    model = "auto"
    backend = None
    early = "exact"
    threads = None  # Go threads per process; None: all cores, 1 under MPI

    def initialize(self):
        super().initialize()
        self._z = {}
        self._req_derived = set()  # derived parameters other components require
        threads = self.threads
        if threads is None:
            try:
                from cobaya import mpi
                if mpi.size() > 1:
                    threads = 1
            except Exception:
                pass
        if threads:
            core.set_threads(int(threads))
        self._bg = None

    def get_can_support_params(self):
        return list(_NAMES) + ["w"]

    def get_can_provide_params(self):
        return list(_DERIVED)

    def get_can_provide(self):
        return ["cosmoemu_point"]

    def must_provide(self, **requirements):
        super().must_provide(**requirements)
        for k, v in requirements.items():
            if k in _Z_QUANTITIES:
                z = np.atleast_1d(np.asarray((v or {}).get("z", []), dtype=float))
                if np.any(z < 0) or not np.all(np.isfinite(z)):
                    raise LoggedError(self.log, "%s requested at redshifts %r: cosmoemu needs finite z >= 0", k, z)
                if k in _GROWTH and np.any(z <= 0):
                    raise LoggedError(self.log, "%s requested at redshifts %r: cosmoemu gives the growth at z > 0", k, z)
                self._z[k] = np.union1d(self._z.get(k, []), z)
            elif k in _DERIVED:
                self._req_derived.add(k)
            elif k == "cosmoemu_point":
                continue
            else:
                raise LoggedError(self.log, "cosmoemu cannot provide %r: it provides %s, the derived parameters %s "
                                  "and cosmoemu_point", k, ", ".join(_Z_QUANTITIES), ", ".join(_DERIVED))
        self._check_derived()
        all_z = [z for z in self._z.values()]
        self._zall = np.union1d(np.concatenate(all_z), []) if all_z else np.array([])
        self._zpos = self._zall[self._zall > 0]
        if self._zpos.size == 0:
            self._zpos = np.array([1.0])  # the scalars still need one redshift

    def _check_derived(self, also=()):
        """Refuses what the configuration cannot compute: the growth without
        sigma8 or from a backend without it, the early universe without
        ombh2, a derived parameter the early-universe route has not
        (_NOT_BY_ROUTE). Cobaya asks for requirements before or after the
        parameters are known: checked at both."""
        if self._bg is None:
            return
        derived = set(also) | self._req_derived
        growth = sorted(_GROWTH.intersection(derived | set(self._z)))
        if growth and "sigma8" not in self._cols:
            raise LoggedError(self.log, "%s need sigma8 as a parameter", ", ".join(growth))
        if growth and self._bg.growth_note:
            raise LoggedError(self.log, "%s: %s", ", ".join(growth), self._bg.growth_note)
        early = sorted(derived & _EARLY)
        if early and "ombh2" not in self._cols:
            raise LoggedError(self.log, "the derived parameters %s need ombh2 as a parameter", early)
        for p, why in sorted(_NOT_BY_ROUTE.get(self._bg.early, {}).items()):
            if p in derived:
                raise LoggedError(self.log, "%s: %s", p, why)

    def initialize_with_params(self):
        super().initialize_with_params()
        names = list(self.input_params)
        model = _model_for(names) if self.model in (None, "auto") else self.model
        cols = []
        for n in names:
            if n == "w":
                cols.append("w0" if model == "w0wacdm" else "w")
            elif n in _NAMES:
                cols.append(_NAMES[n])
            else:
                raise LoggedError(self.log, "cosmoemu does not take parameter %r (it takes %s)", n,
                                  ", ".join(list(_NAMES) + ["w"]))
        self._model, self._cols = model, cols
        try:
            self._bg = core.Background(model, cols, backend=self.backend, early=self.early or "exact")
        except ValueError as e:
            raise LoggedError(self.log, "cosmoemu: %s", e)
        self._check_derived(set(self.output_params))
        self.log.info("model %s (%s) with the %s backend and the %s early universe", model, ", ".join(cols),
                      self._bg.backend, self._bg.early)

    def calculate(self, state, want_derived=True, **params_values_dict):
        x = np.array([params_values_dict[n] for n in self.input_params], dtype=float)
        try:
            o = self._bg(x, self._zpos, errors="nan")
        except ValueError as e:
            raise LoggedError(self.log, "cosmoemu: %s", e)
        if o["status"] != 0:
            self.log.debug("cosmoemu: point %s refused (status %d)", dict(zip(self._cols, x)), o["status"])
            return False
        h0 = o["H"][0] / o["E"][0]
        for k, zs in self._z.items():
            vals = np.empty(zs.size)
            pos = zs > 0
            idx = np.searchsorted(self._zpos, zs[pos])
            vals[pos] = o[_COLUMN[k]][idx]
            vals[~pos] = h0 if k == "Hubble" else 0.0  # no growth quantity has z = 0 (must_provide)
            state[k] = vals
        point = dict(zip(self._cols, x))
        point["Om"] = o["Om"]
        point.pop("omch2", None)
        state["cosmoemu_point"] = {"model": self._model, "backend": self._bg.backend, "early": self.early or "exact",
                                   "params": point}
        # The derived parameters other components require are computed
        # always (a minimizer asks for no derived output, BAO needs rdrag).
        o["_H0"] = h0
        wanted = self._req_derived.union(self.output_params if want_derived else ())
        if wanted:
            derived = {}
            for p in wanted:
                if p in _DERIVED:
                    try:
                        derived[p] = float(_DERIVED[p](o))
                    except KeyError:  # absent at this point
                        derived[p] = np.nan
                    if np.isnan(derived[p]):
                        # The routes were checked at initialisation: here only
                        # YHe outside BBN's table with early: fitting (the
                        # exact route refuses those points itself).
                        self.log.debug("cosmoemu: point %s refused: %s cannot be computed there",
                                       dict(zip(self._cols, x)), p)
                        return False
            state["derived"] = derived
        return True

    def _at(self, quantity, z):
        zs = self._z.get(quantity)
        z = np.atleast_1d(np.asarray(z, dtype=float))  # as Cobaya's own theories
        if zs is None:
            raise LoggedError(self.log, "%s was not requested (must_provide)", quantity)
        idx = np.searchsorted(zs, z)
        idx = np.clip(idx, 0, zs.size - 1)
        if not np.all(zs[idx] == z):
            raise LoggedError(self.log, "%s not computed for all z requested: %r (computed: %r)", quantity, z, zs)
        return np.array(self.current_state[quantity][idx], copy=True)

    def get_Hubble(self, z, units="km/s/Mpc"):
        h = self._at("Hubble", z)
        if units == "km/s/Mpc":
            return h
        if units == "1/Mpc":
            return h / C_KM_S
        raise LoggedError(self.log, "units %r for H: want 'km/s/Mpc' or '1/Mpc'", units)

    def get_angular_diameter_distance(self, z):
        return self._at("angular_diameter_distance", z)

    def get_comoving_radial_distance(self, z):
        return self._at("comoving_radial_distance", z)

    def get_luminosity_distance(self, z):
        return self._at("luminosity_distance", z)

    def get_fsigma8(self, z):
        """f(z) σ8(z) of the linear growth (needs sigma8)."""
        return self._at("fsigma8", z)

    def get_sigma8_z(self, z):
        """σ8(z) = σ8 D(z)/D(0) (needs sigma8)."""
        return self._at("sigma8_z", z)

    def get_param(self, p):
        return self.current_state["derived"][p]


class CosmoemuLikelihood(_CobayaLikelihood):
    """cosmoemu's χ² of the data sets `data` (names or files, as in
    `cosmoemu fit -data`) at the point of the cosmoemu theory: ln L = −χ²/2,
    with the supernova magnitude M marginalised analytically, as in
    `cosmoemu fit`."""

    data = []
    diag_only = False

    def initialize(self):
        super().initialize()
        if isinstance(self.data, str):
            self.data = [d.strip() for d in self.data.split(",") if d.strip()]
        if not self.data:
            raise LoggedError(self.log, "no data: give data: [NAME, ...] (cosmoemu.datasets() lists them)")
        self._likes = {}

    def get_requirements(self):
        return {"cosmoemu_point": None}

    def _like(self, point):
        names = tuple(point["params"])
        key = (point["model"], point["backend"], point["early"], names)
        like = self._likes.get(key)
        if like is None:
            try:
                like = core.Likelihood(self.data, model=point["model"], backend=point["backend"],
                                       early=point["early"], diag_only=self.diag_only, _point=names)
            except ValueError as e:
                raise LoggedError(self.log, "cosmoemu: %s", e)
            self._likes[key] = like
        return like

    def logp(self, **params_values):
        point = self.provider.get_result("cosmoemu_point")
        like = self._like(point)
        x = np.array([point["params"][n] for n in like.param_names])
        chi2 = like.chi2(x, errors="nan")
        if not np.isfinite(chi2):
            return -np.inf
        return -0.5 * chi2


class data(CosmoemuLikelihood):
    """cosmoemu's χ² of any list of data sets: `data: [desi-dr2, union3]`."""


def _make_set_classes():
    out = {}
    for name, info in core.datasets().items():
        cls_name = name.replace("-", "_").replace(".", "_")
        out[cls_name] = type(cls_name, (CosmoemuLikelihood,), {
            "data": [name], "__doc__": f"cosmoemu's {name}: {info['doc']}", "__module__": __name__})
    return out


globals().update(_make_set_classes())


# cosmoemu's parameter names and Cobaya's, for covariance matrices.
_TO_COBAYA = {"Om": "omegam", "Ok": "omk", "w0": "w"}


def covmat(path, data=("desi-dr2", "union3", "planck18-distance"), model="w0wacdm", steps=2000, names=None,
           **fit_kwargs):
    """Write the covariance of a `cosmoemu fit` (about a second) as a Cobaya
    covmat file (a header of parameter names, then the matrix): a proposal
    that Cobaya's MCMC starts from instead of learning it. names maps
    cosmoemu's parameter names to the input's (default: Om -> omegam,
    Ok -> omk, w0 -> w). Returns the names and the matrix."""
    res = core.fit(list(data), model=model, steps=steps, getdist=False, **fit_kwargs)
    chain = res["chain"][res["burn"]:].reshape(-1, len(res["params"]))
    cov = np.atleast_2d(np.cov(chain.T))
    m = dict(_TO_COBAYA, **(names or {}))
    cob = [m.get(p, p) for p in res["params"]]
    np.savetxt(path, cov, header=" ".join(cob))
    return cob, cov


def _main(argv=None):
    import argparse
    ap = argparse.ArgumentParser(prog="python -m cosmoemu.cobaya",
                                 description="cosmoemu's helpers for Cobaya inputs")
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("covmat", help="write a Cobaya covmat file from a cosmoemu fit")
    c.add_argument("path")
    c.add_argument("--model", default="w0wacdm")
    c.add_argument("--data", default="desi-dr2,union3,planck18-distance")
    args = ap.parse_args(argv)
    names, _ = covmat(args.path, data=args.data.split(","), model=args.model)
    print(f"wrote {args.path} ({' '.join(names)})")


if __name__ == "__main__":
    _main()
