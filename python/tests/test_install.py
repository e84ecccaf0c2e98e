"""The documented install: `pip install ./python` (offline:
--no-build-isolation, with Debian's setuptools) into a virtual environment
builds the library with the Go toolchain, and the installed package, with
nothing of the clone on its path, gives the numbers of the in-tree one."""

import json
import os
import shutil
import subprocess
import sys

import numpy as np

from conftest import ROOT, need, need_program


def test_pip_install_into_a_venv(tmp_path):
    need("venv")
    need("setuptools")
    need_program("go")
    # A copy of python/ without anything built, so that nothing in the
    # clone is written and the build step has to run; COSMOEMU_SOURCE says
    # where the Go code is.
    src = tmp_path / "python"
    shutil.copytree(os.path.join(ROOT, "python"), src,
                    ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__", "libcosmoemu.*", "tests"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True)
    py = str(venv / "bin" / "python")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "COSMOEMU_LIBRARY")}
    env["COSMOEMU_SOURCE"] = ROOT
    res = subprocess.run([py, "-m", "pip", "install", "-q", "--no-build-isolation", "--no-index", str(src)],
                         env=env, capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr
    code = ("import json, cosmoemu, numpy as np; "
            "out = cosmoemu.background('w0wacdm', {'Om': 0.31, 'w0': -0.8, 'wa': -0.5, 'H0': 67.0, 'ombh2': 0.0224}, "
            "np.array([0.5, 1.0, 2.33])); "
            "print(json.dumps({'file': cosmoemu.__file__, 'DM': out['DM'].ravel().tolist(), 'rdrag': float(np.ravel(out['rdrag'])[0])}))")
    res = subprocess.run([py, "-c", code], env=env, cwd=str(tmp_path), capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    got = json.loads(res.stdout)
    assert got["file"].startswith(str(venv)), got["file"]

    import cosmoemu
    want = cosmoemu.background("w0wacdm", {"Om": 0.31, "w0": -0.8, "wa": -0.5, "H0": 67.0, "ombh2": 0.0224},
                               np.array([0.5, 1.0, 2.33]))
    assert got["DM"] == want["DM"].ravel().tolist()
    assert got["rdrag"] == float(np.ravel(want["rdrag"])[0])
