#!/usr/bin/env python3
"""Read a cosmoemu emulator file (emu/models/<model>.bin) with numpy only and
evaluate it as cosmoemu does. See docs/emulators.md.

    python3 read_emu.py FILE.bin 'Om=0.3,H0=70,ombh2=0.0224[,w=...]' z1,z2,...

prints one JSON object: E, DC and DM (Mpc) at the redshifts, z_star, rs_star
and DM_star (Mpc).
"""
import hashlib
import json
import math
import struct
import sys

import numpy as np

C = 299792.458
ZSPLIT = 3.0
ZFIELD = 300.0
# Radiation and photons as package cosmo (CODATA 2018, T_CMB = 2.7255 K,
# N_eff = 3.046).
_SIGMA, _G, _CSI, _MPC = 5.670374419e-8, 6.67430e-11, 299792458.0, 3.0856775814913673e22
_RHO_GAMMA = 4 * _SIGMA * 2.7255 ** 4 / _CSI ** 3
_H100 = 1e5 / _MPC
OMEGA_GAMMA_H2 = _RHO_GAMMA / (3 * _H100 ** 2 / (8 * math.pi * _G))
OMEGA_R_H2 = OMEGA_GAMMA_H2 * (1 + 0.22710731766 * 3.046)


def load(path):
    b = open(path, "rb").read()
    if b[:8] != b"COSMOEMU":
        raise ValueError(f"{path}: not a cosmoemu model file")
    version, _reserved, hlen = struct.unpack_from("<IIQ", b, 8)
    if version > 1:
        raise ValueError(f"{path}: container version {version} is newer than this reader")
    if hashlib.sha256(b[:-32]).digest() != b[-32:]:
        raise ValueError(f"{path}: checksum mismatch")
    h = json.loads(b[24:24 + hlen])
    if h.get("format") != "cosmoemu-emulator" or h.get("format_version", 0) > 1:
        raise ValueError(f"{path}: not an emulator file this reader knows")
    data = np.frombuffer(b[24 + hlen:-32], dtype="<f8")

    def tensor(ref):
        n = int(np.prod(ref["shape"]))
        off = ref["offset"] // 8
        return data[off:off + n].reshape(ref["shape"])

    def network(nj):
        layers = [(tensor(l["weight"]), tensor(l["bias"]), l["activation"]) for l in nj["layers"]]
        s = nj["input_scaler"]
        lo, hi, a, c = tensor(s["min"]), tensor(s["max"]), s["low"], s["high"]
        o = nj["output_scaler"]
        mean, std = tensor(o["mean"]), tensor(o["std"])
        skip = tensor(nj["skip"])
        deg, nout = nj["u_degree"], len(nj["outputs"])

        def values(x, u=0.0):
            t = a + (np.asarray(x, float) - lo) * (c - a) / (hi - lo)
            h = t
            for w, bias, act in layers[:-1]:
                h = np.tanh(h @ w + bias)
            w, bias, _ = layers[-1]
            d = len(t)
            q = list(t) + [t[i] * t[j] for i in range(d) for j in range(i, d)]
            y = h @ w + bias + np.asarray(q) @ skip
            v = mean + std * y
            return sum(u ** p * v[p * nout:(p + 1) * nout] for p in range(deg + 1))

        return values

    if "cmb" in h:
        h["_cmb"] = network(h["cmb"])
    if "late" in h:
        h["_late"] = network(h["late"]["net"])
    lm = h["domain"].get("lambda_max")
    if lm:
        h["_lambda"] = (tensor(lm["ln_Om"]), tensor(lm["lambda"]), lm["margin"])
    return h


# Piecewise Chebyshev grid in x = ln(1+z): equal panels on [0, xmax], n
# points of the first kind each.
def cheb_ref(n):
    return np.cos(np.pi * (np.arange(n)[::-1] + 0.5) / n)


def grid(xmax, panels, n):
    t = cheb_ref(n)
    w = xmax / panels
    return np.concatenate([p * w + w * (t + 1) / 2 for p in range(panels)])


def panel_of(x, xmax, panels):
    w = xmax / panels
    p = min(max(int(x / w), 0), panels - 1)
    tau = min(1.0, max(-1.0, 2 * (x - p * w) / w - 1))
    return p, tau, w


def interp(vals, x, xmax, panels, n):
    """The polynomial through the panel's values at x (barycentric form)."""
    p, tau, _ = panel_of(x, xmax, panels)
    t = cheb_ref(n)
    f = vals[p * n:(p + 1) * n]
    if np.any(tau == t):
        return f[np.argmax(tau == t)]
    lam = np.sin(np.pi * (np.arange(n)[::-1] + 0.5) / n) * (-1.0) ** np.arange(n)
    w = lam / (tau - t)
    return np.sum(w * f) / np.sum(w)


def cheb_coeffs(f):
    """Chebyshev coefficients of the polynomial through f at cheb_ref(n)."""
    n = len(f)
    t = cheb_ref(n)
    T = np.polynomial.chebyshev.chebvander(t, n - 1)  # T[k, j] = T_j(t_k)
    alpha = np.full(n, 2.0 / n)
    alpha[0] = 1.0 / n
    return alpha * (f @ T)


def integral(vals, x, xmax, panels, n):
    """Integral from 0 to x of the piecewise interpolant."""
    p, tau, w = panel_of(x, xmax, panels)
    s = 0.0
    for q in range(p + 1):
        ci = np.polynomial.chebyshev.chebint(cheb_coeffs(vals[q * n:(q + 1) * n]), lbnd=-1)
        s += w / 2 * np.polynomial.chebyshev.chebval(1.0 if q < p else tau, ci)
    return s


def decoupling(wm, wb):
    g1 = 0.0783 * wb ** -0.238 / (1 + 39.5 * wb ** 0.763)
    g2 = 0.560 / (1 + 21.1 * wb ** 1.81)
    return 1048 * (1 + 0.00124 * wb ** -0.738) * (1 + g1 * wm ** g2)


def sound_tail(ae, orr, om, r):
    f = lambda a: math.log(math.sqrt(r * (orr + om * a)) + math.sqrt(om * (1 + r * a)))
    return 2 / math.sqrt(3 * r * om) * (f(ae) - f(0))


def comoving_tail(ae, orr, om):
    return 2 / om * (math.sqrt(orr + om * ae) - math.sqrt(orr))


def transverse(dc, ok):
    if ok == 0:
        return dc
    s = math.sqrt(abs(ok))
    return math.sinh(s * dc) / s if ok > 0 else math.sin(s * dc) / s


def a4e2(model, p, orr, a):
    """a⁴E² of a closed-form model."""
    om, ok = p["Om"], p.get("Ok", 0.0)
    ode = 1 - om - orr - ok
    if model == "wcdm":
        f = a ** (-3 * (1 + p["w"]))
    elif model == "w0wacdm":
        f = a ** (-3 * (1 + p["w0"] + p["wa"])) * np.exp(-3 * p["wa"] * (1 - a))
    else:
        f = 1.0
    return orr + om * a + ok * a * a + ode * a ** 4 * f


def in_region(h, model, p, orr):
    r = h["cmb_region"]
    om, ok = p["Om"], p.get("Ok", 0.0)
    if r["min_E2"] > 0 and ok < 0:
        s = -4 * ok / (3 * om + math.sqrt(9 * om * om - 32 * orr * ok))
        if s > 1 and min(1.0, ((orr * s + om) * s + ok) * s * s + 1 - orr - om - ok) < r["min_E2"]:
            return False
    if r["max_w_early"] < 0:
        w = p["w"] if model == "wcdm" else p["w0"] + p["wa"] if model == "w0wacdm" else -1.0
        if w > r["max_w_early"]:
            return False
    if r["max_ratio_z3"] > 0:
        a = 1 / (1 + ZSPLIT)
        m = om * a
        de = a4e2(model, p, orr, a) - orr - om * a - ok * a * a
        if (abs(ok * a * a) + abs(de)) / m > r["max_ratio_z3"]:
            return False
    return True


def closed_early(model, p, orr, a_s, rb):
    """r_s(z*) and J = D_C(z*) − D_C(3) by Gauss–Legendre in t = √a (c/H0)."""
    x, w = np.polynomial.legendre.leggauss(12)
    ts = math.sqrt(a_s)
    t = ts * (x + 1) / 2
    a = t * t
    rs = np.sum(w / 2 * ts * 2 * t / np.sqrt(3 * (1 + rb * a) * a4e2(model, p, orr, a)))
    x, w = np.polynomial.legendre.leggauss(24)
    t3 = math.sqrt(1 / (1 + ZSPLIT))
    t = ts + (t3 - ts) * (x + 1) / 2
    a = t * t
    j = np.sum(w / 2 * (t3 - ts) * 2 * t / np.sqrt(a4e2(model, p, orr, a)))
    return rs, j


def observables(h, params, zs):
    model = h["model"]
    p = dict(params)
    h0 = p["H0"]
    hh = h0 / 100
    orr = OMEGA_R_H2 / hh ** 2
    lo, hi = h["omega_r_range"]
    u = (2 * orr - lo - hi) / (hi - lo)
    om, ok = p["Om"], p.get("Ok", 0.0)
    dh = C / h0
    zs = np.asarray(zs, float)
    out = {}
    if "late" in h:
        L = h["late"]
        xmax, panels, n = math.log1p(L["zmax"]), L["panels"], L["per_panel"]
        nodes = grid(xmax, panels, n)
        v = h["_late"]([math.log(om), p["lambda"]], u)
        g = np.exp(v[:-1])  # 1/E at the nodes
        y_field = v[-1]     # ln(J/J_rm), J from z = 3 to ZFIELD
    else:
        xmax = math.log1p(max(zs.max(initial=0), ZSPLIT))
        panels = max(1, math.ceil(xmax / math.log(4) - 1e-9))
        n = 32
        nodes = grid(xmax, panels, n)
        a = np.exp(-nodes)
        g = a * a / np.sqrt(a4e2(model, p, orr, a))
    xs = np.log1p(zs)
    out["E"] = [1 / interp(g, x, xmax, panels, n) for x in xs]
    f = np.exp(nodes) * g
    dc = np.array([integral(f, x, xmax, panels, n) for x in xs])
    out["DC"] = list(dh * dc)
    out["DM"] = [dh * transverse(v, ok) for v in dc]
    if "ombh2" in p:
        wb = p["ombh2"]
        zstar = decoupling(om * hh * hh, wb)
        a_s = 1 / (1 + zstar)
        rb = 3 * wb / (4 * OMEGA_GAMMA_H2)
        dc3 = integral(f, math.log1p(ZSPLIT), xmax, panels, n)
        if "late" in h:
            # The field is frozen before ZFIELD: radiation and matter there.
            rs = sound_tail(a_s, orr, om, rb)
            tf = comoving_tail(1 / (1 + ZFIELD), orr, om)
            j = (comoving_tail(1 / (1 + ZSPLIT), orr, om) - tf) * math.exp(y_field) + tf - comoving_tail(a_s, orr, om)
        elif in_region(h, model, p, orr):
            names = h["cmb"]["inputs"]
            x = [math.log(om)] + [p[k] for k in names[1:-2]] + [u, math.log1p(zstar)]
            y = h["_cmb"](x)
            rs = sound_tail(a_s, orr, om, rb) * math.exp(y[0])
            j = (comoving_tail(1 / (1 + ZSPLIT), orr, om) - comoving_tail(a_s, orr, om)) * math.exp(y[1])
        else:
            rs, j = closed_early(model, p, orr, a_s, rb)
        out["z_star"] = zstar
        out["rs_star"] = dh * rs
        out["DM_star"] = dh * transverse(dc3 + j, ok)
    return {k: (float(v) if np.isscalar(v) else [float(e) for e in v]) for k, v in out.items()}


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    hdr = load(sys.argv[1])
    pars = {k: float(v) for k, v in (kv.split("=") for kv in sys.argv[2].split(","))}
    z = [float(v) for v in sys.argv[3].split(",")]
    print(json.dumps(observables(hdr, pars, z)))
