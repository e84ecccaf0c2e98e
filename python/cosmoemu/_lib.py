"""Loading of libcosmoemu (the C ABI of ../../capi) with ctypes.

Every function of the library returns 0 (or a count of failed points) on
success and -1 on error with a message that the caller frees; `check`
turns those into Python exceptions. ctypes releases the GIL for the
duration of every call into a CDLL, so that evaluations in several Python
threads run in parallel.
"""

import ctypes
import json
import os
import threading

ABI_VERSION = 1

_here = os.path.dirname(os.path.abspath(__file__))
_lock = threading.Lock()
_lib = None


class CosmoemuError(RuntimeError):
    """An error reported by libcosmoemu that is not about the caller's input."""


# The Go runtime's threads do not survive fork(): a child forked after the
# library was loaded would hang in its first call. It gets an exception
# instead (multiprocessing's "spawn" and "forkserver" start methods, MPI and
# subprocesses are fine).
FORKED = False


def _forked():
    global FORKED
    if _lib is not None:
        FORKED = True


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forked)


def check_fork():
    if FORKED:
        raise CosmoemuError("cosmoemu cannot run in a process forked after it was loaded (the Go runtime's threads "
                            "do not survive fork): use multiprocessing's 'spawn' or 'forkserver' start method, "
                            "or MPI")


def library_path():
    """The shared library to load: $COSMOEMU_LIBRARY, else the one
    installed inside the package (make python, pip install)."""
    p = os.environ.get("COSMOEMU_LIBRARY")
    if p:
        return p
    return os.path.join(_here, "libcosmoemu.so")


_c_p = ctypes.c_void_p
_i64 = ctypes.c_int64
_int = ctypes.c_int
_errp = ctypes.POINTER(ctypes.c_void_p)
_SIGNATURES = {
    "cosmoemu_free": (None, [_c_p]),
    "cosmoemu_abi_version": (_int, []),
    "cosmoemu_set_threads": (_int, [_int]),
    "cosmoemu_models": (_int, [_errp, _errp]),
    "cosmoemu_datasets": (_int, [_errp, _errp]),
    "cosmoemu_close": (_int, [_i64, _errp]),
    "cosmoemu_live_handles": (_i64, []),
    "cosmoemu_background_new": (_int, [ctypes.c_char_p, ctypes.POINTER(_i64), _errp]),
    "cosmoemu_background_info": (_int, [_i64, _errp, _errp]),
    "cosmoemu_background_eval": (_int, [_i64, _c_p, _i64, _i64, _c_p, _i64, _c_p, _c_p, _c_p, _c_p, _errp]),
    "cosmoemu_like_new": (_int, [ctypes.c_char_p, ctypes.POINTER(_i64), _errp]),
    "cosmoemu_like_info": (_int, [_i64, _errp, _errp]),
    "cosmoemu_like_stats": (_int, [_i64, _errp, _errp]),
    "cosmoemu_like_logpost": (_int, [_i64, _c_p, _i64, _i64, _c_p, _c_p, _i64, _errp]),
    "cosmoemu_like_logprior": (_int, [_i64, _c_p, _i64, _i64, _c_p, _errp]),
    "cosmoemu_like_chi2": (_int, [_i64, _c_p, _i64, _i64, _c_p, _c_p, _i64, _c_p, _errp]),
    "cosmoemu_like_transform": (_int, [_i64, _c_p, _i64, _i64, _c_p, _errp]),
    "cosmoemu_fit_start": (_int, [ctypes.c_char_p, ctypes.POINTER(_i64), _errp]),
    "cosmoemu_fit_wait": (_int, [_i64, _i64, _errp]),
    "cosmoemu_fit_progress": (_int, [_i64, _errp, _errp]),
    "cosmoemu_fit_result": (_int, [_i64, _errp, _errp]),
    "cosmoemu_fit_cancel": (_int, [_i64, _errp]),
    "cosmoemu_like_time": (_int, [_i64, _c_p, _i64, _i64, ctypes.POINTER(ctypes.c_double), _errp]),
}


def lib():
    """The loaded library (loaded once, on first use)."""
    global _lib
    if _lib is not None:
        if FORKED:
            check_fork()
        return _lib
    with _lock:
        if _lib is None:
            path = library_path()
            if not os.path.exists(path):
                raise ImportError(
                    f"libcosmoemu not found at {path}: build it from the repository root "
                    "with `make python` (or pip install ./python), or point COSMOEMU_LIBRARY at it")
            l = ctypes.CDLL(path)
            for name, (res, args) in _SIGNATURES.items():
                f = getattr(l, name)
                f.restype = res
                f.argtypes = args
            v = l.cosmoemu_abi_version()
            if v != ABI_VERSION:
                raise ImportError(f"{path} has ABI version {v}, this package needs {ABI_VERSION}: rebuild it with `make python`")
            threads = os.environ.get("COSMOEMU_THREADS")
            if threads:
                l.cosmoemu_set_threads(int(threads))
            _lib = l
    return _lib


def take_string(p):
    """The C string at the address p (a c_void_p), freed; None for NULL."""
    if not p.value:
        return None
    try:
        return ctypes.string_at(p.value).decode("utf-8", "replace")
    finally:
        _lib.cosmoemu_free(p.value)
        p.value = None


def check(rc, err, exc=ValueError):
    """Raise exc with the library's message when rc is -1; return rc."""
    if rc < 0:
        msg = take_string(err) or "unknown error"
        raise exc(msg)
    return rc


def call_json(fname, *args, exc=ValueError):
    """Call a function that returns JSON in its out argument."""
    out, err = ctypes.c_void_p(), ctypes.c_void_p()
    rc = getattr(lib(), fname)(*args, ctypes.byref(out), ctypes.byref(err))
    check(rc, err, exc)
    return json.loads(take_string(out))


def new_handle(fname, config, exc=ValueError):
    """Make an object from a JSON configuration; return its handle."""
    h, err = ctypes.c_int64(), ctypes.c_void_p()
    rc = getattr(lib(), fname)(json.dumps(config).encode(), ctypes.byref(h), ctypes.byref(err))
    check(rc, err, exc)
    return h.value


def close_handle(h):
    err = ctypes.c_void_p()
    check(lib().cosmoemu_close(h, ctypes.byref(err)), err)
