#!/usr/bin/env python3
"""Read cosmoemu's emulator files with numpy only and evaluate them as the Go
package emulator does (docs/emulators.md, docs/model-format.md).

There are two kinds of file (format version 2); any other is refused:

* early.bin ("cosmoemu-early"): the early universe. At
  (ombh2, omch2, nnu, mnu, omkh2) = (ω_b, ω_c, N_eff, Σmν in eV, Ωk h²)
  inside its box, Early.epochs returns z*, z_drag, r_s(z*) and r_d (Mpc),
  as emulator.Early.Epochs: a network gives ln(z*/z*_HS),
  ln(z_drag/z_drag,EH), ln(r_s(z*)/r_rm) and ln(r_d/r_rm) over closed
  forms (Hu & Sugiyama's z*, Eisenstein & Hu's z_drag, the sound horizon
  of radiation and matter alone). Whether dark energy is negligible at
  z ≥ 800 (the other condition of emulator.EarlyDomain.Contains) depends on
  the model and is not checked here.

* quintessence.bin ("cosmoemu-emulator", a model with a "late" block): the
  scalar field's late universe. At (Om, lambda, H0, mnu, nnu) inside its
  domain (box and λ ≤ λ_max(Ωm) − margin) and redshifts 0 ≤ z ≤ zmax (3),
  Field.observables returns E(z), D_C(z) = D_M(z) (Mpc, flat), w(z) and the
  lookback time (Gyr), as emulator.Backend's evaluator: the networks give
  ln(1/E) and w at the Chebyshev nodes of x = ln(1+z), as quadratics in the
  radiation coordinate u; E and w at z are the interpolating polynomial,
  D_C and the lookback time its integral (internal/cheb).

Not reproduced: D_M(z*), the CMB scalars and the age. They need the
early universe's exact expansion (massive neutrinos' Fermi–Dirac
integrals, recombination), which a short reader should not reimplement;
this reader needs only the late-time grid and the radiation density of
photons and massless neutrinos.

TestPythonReaderModel (emulator/model_python_test.go) checks it against
Go. Measured at 1,500 random points of each domain (31 redshifts in
[0, 3]), largest relative differences: 1.1e-15 for the epochs; 8e-14 for
w, 4e-13 for D_C and the lookback time, 1.7e-12 for E (median 1.3e-13;
largest near z = 3, where the interpolant is evaluated beyond the last
node). The field's output layers are ill-conditioned: in the shipped file
a saturated hidden unit (tanh = −1) acts as a constant whose weight (1e3
on ln(1/E) and 1.6e4 on ln(J/J_Λ) in output units) cancels the bias, so
the last few 1e-13 of ln(1/E) at the nodes are rounding, of Go's chains of
fused multiply-adds as of numpy's sums, and not in the file.

    python3 read_emu.py early.bin 'ombh2=0.0224,omch2=0.12,nnu=3.044,mnu=0.06,omkh2=0'
    python3 read_emu.py quintessence.bin 'Om=0.3,lambda=1,H0=68[,mnu=0.06,nnu=3.044]' z1,z2,...

prints one JSON object.
"""
import hashlib
import json
import math
import struct
import sys

import numpy as np

C = 299792.458  # km/s (cosmo.C)
# ω_γ = Ω_γ h² of package cosmo (cosmo.OmegaGammaH2: 4σT⁴/c³ over the
# critical density of H0 = 100 km/s/Mpc, CODATA 2018, T = 2.7255 K,
# astropy's parsec). The literal is Go's float64: Go folds the constants in
# exact arithmetic, which floating point here would miss by an ulp or two.
OMEGA_GAMMA_H2 = 2.472975328633654e-05
MASSLESS_FACTOR = 0.22710731766023897  # (7/8)(4/11)^{4/3} (neutrino.MasslessFactor)
STANDARD_NEFF = 3.044                  # neutrino.StandardNEff
GYR_PER_INV_H0 = 977.7922216807892     # 1/H0 in Gyr for H0 in km/s/Mpc (cosmo.GyrPerInvH0)
DEFAULT_MNU, DEFAULT_NNU = 0.06, 3.044  # the defaults of cosmo's parameters

VERSION = 2  # the format version of the headers this reader knows


# ---------------------------------------------------------------- the file

def load(path):
    """Load a file: an Early or a Field. Errors are ValueError."""
    b = open(path, "rb").read()
    if b[:8] != b"COSMOEMU":
        raise ValueError(f"{path}: not a cosmoemu model file")
    if len(b) < 24 + 32:
        raise ValueError(f"{path}: truncated")
    container, _reserved, hlen = struct.unpack_from("<IIQ", b, 8)
    if container != 1:
        raise ValueError(f"{path}: container version {container}, this reader knows 1")
    if hashlib.sha256(b[:-32]).digest() != b[-32:]:
        raise ValueError(f"{path}: checksum mismatch: the file is corrupted or truncated")
    h = json.loads(b[24:24 + hlen])
    data = np.frombuffer(b[24 + hlen:-32], dtype="<f8")
    fmt, version = h.get("format"), h.get("format_version")
    if fmt == "cosmoemu-friedmann":
        raise ValueError(f"{path}: the paper's Friedmann emulator: read it with docs/read_model.py")
    if fmt not in ("cosmoemu-early", "cosmoemu-emulator"):
        raise ValueError(f"{path}: format {fmt!r}, not an emulator file this reader knows")
    if version == 1:
        raise ValueError(f"{path}: format version 1 was made for massless neutrinos and the fitting "
                         "formulas of the early universe; train it again (cosmoemu train)")
    if version != VERSION:
        raise ValueError(f"{path}: format version {version}, this reader knows {VERSION}")

    def tensor(ref):
        n = int(np.prod(ref["shape"], dtype=np.int64))
        off = ref["offset"] // 8
        if ref.get("dtype") != "<f8" or ref["offset"] % 8 or off + n > len(data):
            raise ValueError(f"{path}: bad array reference {ref}")
        return data[off:off + n].reshape(ref["shape"])

    if fmt == "cosmoemu-early":
        wide = h.get("wide")
        return Early(h, Network(h["net"], tensor), wide and Network(wide["net"], tensor))
    if "late" not in h:
        raise ValueError(f"{path}: model {h.get('model')} has no late-time networks")
    return Field(h, tensor)


class Network:
    """A network of the emulator files (emulator.Net): for physical inputs
    x and the radiation coordinate u,

        t = low + (x − min)·(high − low)/(max − min)
        h = tanh(… tanh(t W1 + b1) …)
        y = h W + b + q(t) S,   q(t) = (t_1…t_d, t_i t_j for i ≤ j)
        v = mean + std·y
        value_j = Σ_p u^p v[p·len(outputs) + j],  p = 0 … u_degree
    """

    def __init__(self, nj, tensor):
        self.inputs, self.outputs = nj["inputs"], nj["outputs"]
        self.layers = [(tensor(l["weight"]), tensor(l["bias"]), l["activation"]) for l in nj["layers"]]
        if any(a != "tanh" for _, _, a in self.layers[:-1]) or self.layers[-1][2] != "linear":
            raise ValueError("network: want tanh hidden layers and a linear output layer")
        s, o = nj["input_scaler"], nj["output_scaler"]
        if s["kind"] != "minmax" or o["kind"] != "standard":
            raise ValueError("network: want a minmax input scaler and a standard output scaler")
        self.low, lo, hi = s["low"], tensor(s["min"]), tensor(s["max"])
        r = hi - lo
        self.min = lo
        self.factor = np.where(r == 0, s["high"] - s["low"], (s["high"] - s["low"]) / np.where(r == 0, 1, r))
        self.mean, self.std = tensor(o["mean"]), tensor(o["std"])
        self.skip = tensor(nj["skip"])
        self.degree = nj["u_degree"]

    def __call__(self, x, u=0.0):
        t = self.low + (np.asarray(x, float) - self.min) * self.factor
        h = t
        for w, b, _ in self.layers[:-1]:
            h = np.tanh(h @ w + b)
        w, b, _ = self.layers[-1]
        d = len(t)
        q = np.array(list(t) + [t[i] * t[j] for i in range(d) for j in range(i, d)])
        v = self.mean + self.std * (h @ w + b + q @ self.skip)
        n = len(self.outputs)
        out, up = v[:n].copy(), u
        for p in range(1, self.degree + 1):
            out += up * v[p * n:(p + 1) * n]
            up *= u
        return out


# ---------------------------------------------------------- early universe
EARLY_WIDE_INPUTS = ["ln ombh2", "ln omch2", "nnu", "mnu", "omkh2"]
EARLY_INPUTS = ["ombh2", "omch2", "nnu", "mnu", "omkh2"]


def decoupling(wm, wb):
    """z* of Hu & Sugiyama 1996, Eq. E1 (cosmo.Decoupling, the same operations)."""
    lb = math.log(wb)
    g1 = 0.0783 * math.exp(-0.238 * lb) / (1 + 39.5 * math.exp(0.763 * lb))
    g2 = 0.560 / (1 + 21.1 * math.exp(1.81 * lb))
    return 1048 * (1 + 0.00124 * math.exp(-0.738 * lb)) * (1 + g1 * math.exp(g2 * math.log(wm)))


def drag_eh(wm, wb):
    """z_drag of Eisenstein & Hu 1998, Eq. 4 (emulator's dragEH)."""
    b1 = 0.313 * wm ** -0.419 * (1 + 0.607 * wm ** 0.674)
    b2 = 0.238 * wm ** 0.223
    return 1291 * wm ** 0.251 / (1 + 0.659 * wm ** 0.828) * (1 + b1 * wb ** b2)


def sound_horizon_tail(ae, orr, om, r):
    """∫_0^ae da/(a²E√(3(1+Ra))) of radiation and matter (cosmo.SoundHorizonTail)."""
    def f(a):
        return math.log(math.sqrt(r * (orr + om * a)) + math.sqrt(om * (1 + r * a)))
    return 2 / math.sqrt(3 * r * om) * (f(ae) - f(0))


class Early:
    """The early-universe emulator (emulator.Early): the inner network on
    its box, and the outer one (inputs ln ω_b, ln ω_c, …) on the wider box
    around it, when the file has one."""

    def __init__(self, h, net, wide=None):
        if h.get("inputs") != EARLY_INPUTS or net.inputs != EARLY_INPUTS or net.degree != 0 or len(net.outputs) != 4:
            raise ValueError(f"early: inputs {h.get('inputs')}, want {EARLY_INPUTS}")
        self.min, self.max, self.net = h["min"], h["max"], net
        self.wide = None
        if wide is not None:
            w = h["wide"]
            if w.get("inputs") != EARLY_WIDE_INPUTS or wide.inputs != EARLY_WIDE_INPUTS or wide.degree != 0 or len(wide.outputs) != 4:
                raise ValueError(f"early: outer inputs {w.get('inputs')}, want {EARLY_WIDE_INPUTS}")
            self.wide, self.wide_min, self.wide_max = wide, w["min"], w["max"]

    def epochs(self, ombh2, omch2, nnu, mnu, omkh2):
        x = [ombh2, omch2, nnu, mnu, omkh2]

        def inside(lo_, hi_):
            return all(lo <= v <= hi for v, lo, hi in zip(x, lo_, hi_))

        if inside(self.min, self.max):
            net, inputs = self.net, x
        elif self.wide is not None and inside(self.wide_min, self.wide_max):
            net, inputs = self.wide, [math.log(ombh2), math.log(omch2), nnu, mnu, omkh2]
        else:
            lo_, hi_ = (self.wide_min, self.wide_max) if self.wide is not None else (self.min, self.max)
            for name, v, lo, hi in zip(EARLY_INPUTS, x, lo_, hi_):
                if not lo <= v <= hi:
                    raise ValueError(f"early: {name} = {v} is outside the domain [{lo}, {hi}]")
        # The closed forms (newEarlyReference): all neutrinos relativistic
        # in the radiation, the massive ones non-relativistic in the matter.
        orr = OMEGA_GAMMA_H2 * (1 + MASSLESS_FACTOR * nnu)
        wm = ombh2 + omch2 + mnu / 93.14
        rb = 3 * ombh2 / (4 * OMEGA_GAMMA_H2)
        y = net(inputs)
        zs = decoupling(wm, ombh2) * math.exp(y[0])
        zd = drag_eh(wm, ombh2) * math.exp(y[1])

        def sound(z):  # r_s of radiation and matter, Mpc
            return C / 100 * sound_horizon_tail(1 / (1 + z), orr, wm, rb)

        return {"z_star": zs, "z_drag": zd,
                "rs_star": sound(zs) * math.exp(y[2]), "rd": sound(zd) * math.exp(y[3])}


# ------------------------------------------------------------- late time

class Grid:
    """Piecewise Chebyshev grid in x = ln(1+z) on [0, xmax] (internal/cheb):
    equal panels of n points of the first kind. Interp and integral give
    the weights on the node values of the interpolant at x and of its
    integral from 0 to x."""

    def __init__(self, xmax, panels, n):
        self.xmax, self.panels, self.n = xmax, panels, n
        theta = [math.pi * ((n - 1 - k) + 0.5) / n for k in range(n)]
        self.t = [math.cos(th) for th in theta]
        self.lam = [math.sin(th) * (-1 if k % 2 else 1) for k, th in enumerate(theta)]
        self.nodes = np.array([self.edge(p) + (self.edge(p + 1) - self.edge(p)) * (tk + 1) / 2
                               for p in range(panels) for tk in self.t])
        self.whole = self._int_weights(1.0)

    def edge(self, p):
        return self.xmax if p == self.panels else self.xmax * p / self.panels

    def locate(self, x):
        p = max(0, min(int(x / (self.xmax / self.panels)), self.panels - 1))
        a, b = self.edge(p), self.edge(p + 1)
        return p, max(-1.0, min(1.0, 2 * (x - a) / (b - a) - 1))

    def interp(self, x):
        w = np.zeros(self.panels * self.n)
        p, tau = self.locate(x)
        if tau in self.t:
            w[p * self.n + self.t.index(tau)] = 1
            return w
        row = [lk / (tau - tk) for lk, tk in zip(self.lam, self.t)]
        s = 0.0
        for v in row:
            s += v
        w[p * self.n:(p + 1) * self.n] = [v / s for v in row]
        return w

    def integral(self, x):
        w = np.zeros(self.panels * self.n)
        p, tau = self.locate(x)
        half = self.xmax / self.panels / 2
        for q in range(p):
            w[q * self.n:(q + 1) * self.n] = [half * v for v in self.whole]
        w[p * self.n:(p + 1) * self.n] = [half * v for v in self._int_weights(tau)]
        return w

    def _int_weights(self, tau):
        """ω_k with ∫_{−1}^{τ} p = Σ ω_k f_k (cheb.chebIntegralWeights):
        ω_k = Σ_j α_j T_j(t_k) ∫_{−1}^{τ} T_j, α_0 = 1/n, α_j = 2/n."""
        n = len(self.t)
        tj = cheb_t(tau, n + 1)
        integ = [0.0] * n
        integ[0] = tau + 1
        if n > 1:
            integ[1] = (tau * tau - 1) / 2
        for j in range(2, n):
            lower = 1 / (2 * (j + 1)) - 1 / (2 * (j - 1))
            if j % 2 == 0:
                lower = -lower
            integ[j] = tj[j + 1] / (2 * (j + 1)) - tj[j - 1] / (2 * (j - 1)) - lower
        out = []
        for tk in self.t:
            tv = cheb_t(tk, n)
            s = 0.0
            for j in range(n):
                s += (1 / n if j == 0 else 2 / n) * tv[j] * integ[j]
            out.append(s)
        return out


def cheb_t(t, m):
    """T_0(t) … T_{m−1}(t)."""
    v = [1.0] * m
    if m > 1:
        v[1] = t
    for j in range(2, m):
        v[j] = 2 * t * v[j - 1] - v[j - 2]
    return v


def omega_r_today(h0, mnu, nnu):
    """Ω_r today of photons and massless neutrinos (cosmo.Params.OmegaRToday):
    with Σmν > 0 one eigenstate carries min(N_std/3, N_eff) species and is
    matter; the rest of N_eff is radiation."""
    h = h0 / 100
    massless = nnu if mnu == 0 else nnu - min(STANDARD_NEFF / 3, nnu)
    return OMEGA_GAMMA_H2 / (h * h) * (1 + MASSLESS_FACTOR * massless)


class Field:
    """The late-time emulator of a model without a closed form (the scalar
    field): emulator.Model with its Late networks."""

    def __init__(self, h, tensor):
        self.model = h["model"]
        d = h["domain"]
        self.params, self.min, self.max = d["params"], d["min"], d["max"]
        if "Ok" in self.params:
            raise ValueError(f"{self.model}: a curved model; this reader computes flat ones (D_M = D_C)")
        lim = d.get("limit")
        self.limit = None
        if lim:
            self.limit = (lim["param"], tensor(lim["ln_Om"]), tensor(lim["max"]), lim["margin"])
        self.radiation = h["omega_r_range"]
        L = h["late"]
        self.zmax = L["zmax"]
        self.grid = Grid(math.log1p(L["zmax"]), L["panels"], L["per_panel"])
        self.net = Network(L["net"], tensor)
        self.extra = Network(L["extra"], tensor) if L.get("extra") else None
        k = len(self.grid.nodes)
        for net in (self.net, self.extra):
            if net and (net.inputs[0] != "ln Om" or net.inputs[-1] != "mnu" or len(net.outputs) != k + 1 or net.degree != 2):
                raise ValueError(f"{self.model}: network with inputs {net.inputs} and {len(net.outputs)} outputs")

    def limit_at(self, om):
        """The largest value of the limited parameter at Ωm (Domain.LimitAt)."""
        name, xs, ys, margin = self.limit
        x = math.log(om)
        i = int(np.searchsorted(xs, x))
        if i <= 0:
            v = ys[0]
        elif i >= len(xs):
            v = ys[-1]
        else:
            v = ys[i - 1] + (x - xs[i - 1]) / (xs[i] - xs[i - 1]) * (ys[i] - ys[i - 1])
        return min(self.max[self.params.index(name)], v - margin)

    def check(self, p):
        for name, lo, hi in zip(self.params, self.min, self.max):
            if name not in p:
                raise ValueError(f"{self.model}: the point needs {name} (it takes {', '.join(self.params)})")
            if not lo <= p[name] <= hi:
                raise ValueError(f"{self.model}: {name} = {p[name]} is outside the domain [{lo}, {hi}]")
        if self.limit:
            name = self.limit[0]
            lim = self.limit_at(p["Om"])
            if p[name] > lim:
                raise ValueError(f"{self.model}: {name} = {p[name]} is above its largest value {lim} at Om = {p['Om']}")

    def u(self, h0, mnu, nnu):
        """The radiation coordinate u ∈ [−1, 1] (Model.U)."""
        lo, hi = self.radiation
        return (2 * omega_r_today(h0, mnu, nnu) - lo - hi) / (hi - lo)

    def observables(self, point, zs):
        p = {"mnu": DEFAULT_MNU, "nnu": DEFAULT_NNU, **point}
        self.check(p)
        zs = [float(z) for z in zs]
        for z in zs:
            if not 0 <= z <= self.zmax:
                raise ValueError(f"{self.model}: the emulator answers 0 ≤ z ≤ {self.zmax}, not z = {z}")
        u = self.u(p["H0"], p["mnu"], p["nnu"])
        x = [math.log(p["Om"])] + [p[n] for n in self.net.inputs[1:]]
        k = len(self.grid.nodes)
        g = np.exp(self.net(x, u)[:k])  # 1/E at the nodes; output k is ln(J/J_Λ) (D_M(z*), not here)
        opz = np.exp(self.grid.nodes)
        xs = [math.log1p(z) for z in zs]
        interp = [self.grid.interp(v) for v in xs]
        integ = [self.grid.integral(v) for v in xs]
        dh = C / p["H0"]
        dc = [dh * float(np.dot(w * opz, g)) for w in integ]  # D_C = (c/H0) ∫ (1+z)/E dx
        out = {"E": [1 / float(np.dot(w, g)) for w in interp], "DC": dc, "DM": dc,
               "lookback": [GYR_PER_INV_H0 / p["H0"] * float(np.dot(w, g)) for w in integ]}
        if self.extra:
            wn = self.extra(x, u)[:k]  # w at the nodes; output k is ln(T/T_Λ) (the age, not here)
            out["w"] = [float(np.dot(w, wn)) for w in interp]
        return out


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    try:
        emu = load(sys.argv[1])
        pars = {k.strip(): float(v) for k, v in (kv.split("=") for kv in sys.argv[2].split(","))}
        if isinstance(emu, Early):
            res = emu.epochs(**pars)
        else:
            res = emu.observables(pars, [float(v) for v in sys.argv[3].split(",")] if len(sys.argv) == 4 else [])
    except (OSError, ValueError, KeyError, TypeError) as e:
        sys.exit(f"read_emu.py: {e}")
    print(json.dumps(res))
