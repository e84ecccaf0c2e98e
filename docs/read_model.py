#!/usr/bin/env python3
"""Read a cosmoemu Friedmann emulator file (friedmann.bin) with numpy only,
and evaluate it as cosmoemu does. See docs/model-format.md.

    python3 read_model.py friedmann.bin N Om0 H0

prints Omega_r Omega_m Omega_L H at that point.
"""
import hashlib
import json
import struct
import sys

import numpy as np


def load(path):
    b = open(path, "rb").read()
    if b[:8] != b"COSMOEMU":
        raise ValueError(f"{path}: not a cosmoemu model file")
    version, _reserved, hlen = struct.unpack_from("<IIQ", b, 8)
    if version > 1:
        raise ValueError(f"{path}: format version {version} is newer than this reader (1)")
    if hashlib.sha256(b[:-32]).digest() != b[-32:]:
        raise ValueError(f"{path}: checksum mismatch")
    header = json.loads(b[24:24 + hlen])
    data = np.frombuffer(b[24 + hlen:-32], dtype="<f8")

    def tensor(ref):
        n = int(np.prod(ref["shape"]))
        off = ref["offset"] // 8
        return data[off:off + n].reshape(ref["shape"])

    def scaler(s):
        kind = s["kind"]
        if kind == "identity":
            return (lambda x: x), (lambda t: t)
        if kind == "minmax":
            lo, hi, a, b = tensor(s["min"]), tensor(s["max"]), s["low"], s["high"]
            k = np.where(hi > lo, (b - a) / np.where(hi > lo, hi - lo, 1), b - a)
            return (lambda x: a + (x - lo) * k), (lambda t: lo + (t - a) / k)
        if kind == "standard":
            mu, sd = tensor(s["mean"]), tensor(s["std"])
            sd = np.where(sd > 0, sd, 1.0)
            return (lambda x: (x - mu) / sd), (lambda t: mu + t * sd)
        raise ValueError(f"unknown scaler {kind}")

    acts = {
        "linear": lambda z: z,
        "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
        "tanh": np.tanh,
        "relu": lambda z: np.maximum(z, 0),
    }
    nets = {}
    for name, nj in header["networks"].items():
        layers = [(tensor(l["weight"]), tensor(l["bias"]), acts[l["activation"]]) for l in nj["layers"]]
        fwd_in, _ = scaler(nj["input_scaler"])
        _, inv_out = scaler(nj["output_scaler"])

        def net(x, layers=layers, fwd_in=fwd_in, inv_out=inv_out):
            a = fwd_in(np.asarray(x, dtype=float))
            for w, bias, f in layers:
                a = f(a @ w + bias)
            return inv_out(a)

        nets[name] = net
    header["_nets"] = nets
    if "nodes" in header:
        header["_nodes"] = tensor(header["nodes"])
    if "late_nodes" in header:
        header["_late_nodes"] = tensor(header["late_nodes"])
    return header


def not_a_knot(x, y):
    """Second derivatives of the not-a-knot cubic spline through (x, y)."""
    n, h = len(x), x[1] - x[0]
    a = np.zeros((n, n))
    r = np.zeros(n)
    a[0, :3] = [1, -2, 1]           # third derivative continuous at x_1
    a[-1, -3:] = [1, -2, 1]         # and at x_{n-2}
    for k in range(1, n - 1):
        a[k, k - 1:k + 2] = [1, 4, 1]
        r[k] = 6 * (y[k - 1] - 2 * y[k] + y[k + 1]) / h**2
    return np.linalg.solve(a, r)


def spline(x, y, m, t):
    h = x[1] - x[0]
    k = min(max(int((t - x[0]) // h), 0), len(x) - 2)
    u = (t - x[k]) / h
    v = 1 - u
    return v * y[k] + u * y[k + 1] + h * h / 6 * ((v**3 - v) * m[k] + (u**3 - u) * m[k + 1])


def predict(model, n, om0, h0):
    """Omega_r, Omega_m, Omega_L, H at (N, Om0, H0), as cosmoemu computes them."""
    lo, hi = model["domain"]["N"]
    for name, v, (a, b) in (("N", n, model["domain"]["N"]), ("Om0", om0, model["domain"]["Om0"]), ("H0", h0, model["domain"]["H0"])):
        if not a <= v <= b:
            raise ValueError(f"{name} = {v} is outside the training domain [{a}, {b}]")
    nets = model["_nets"]
    if model["recipe"] == "paper":
        om, orr, ol, h = nets["point"](np.array([n, om0, h0]))
    else:
        x, k = model["_nodes"], len(model["_nodes"])
        lne = nets["lnE"](np.array([om0]))
        omega = nets["omega"](np.array([om0]))
        orr = spline(x, omega[:k], not_a_knot(x, omega[:k]), n)
        om = spline(x, omega[k:], not_a_knot(x, omega[k:]), n)
        ol = 1 - orr - om
        if "E_late" in nets and n >= model["_late_nodes"][0]:
            # Late times: the network gives E = H/H0 itself.
            xl = model["_late_nodes"]
            e = nets["E_late"](np.array([om0]))
            h = h0 * spline(xl, e, not_a_knot(xl, e), n)
        else:
            h = h0 * np.exp(spline(x, lne, not_a_knot(x, lne), n))
    o = np.maximum([orr, om, ol], 0)
    o = o / o.sum()
    return o[0], o[1], o[2], h


if __name__ == "__main__":
    m = load(sys.argv[1])
    n, om0, h0 = map(float, sys.argv[2:5])
    print(" ".join(repr(float(v)) for v in predict(m, n, om0, h0)))
