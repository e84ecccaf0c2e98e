"""Fixtures of the Python tests: the command line to compare with, the
flagship likelihood, and requirements that fail instead of skipping when
COSMOEMU_REQUIRE_NUMPY is set (CI), as the Go tests do."""

import importlib
import json
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
REQUIRE = bool(os.environ.get("COSMOEMU_REQUIRE_NUMPY"))

FLAGSHIP = ["desi-dr2", "union3", "planck18-distance"]


def need(module):
    """Import module, or skip (fail in CI) without it."""
    try:
        return importlib.import_module(module)
    except ImportError as e:
        if REQUIRE:
            pytest.fail(f"{module} is required here (COSMOEMU_REQUIRE_NUMPY is set): {e}")
        pytest.skip(f"{module} not installed: {e}")


def need_program(name):
    path = shutil.which(name)
    if path is None:
        if REQUIRE:
            pytest.fail(f"{name} is required here (COSMOEMU_REQUIRE_NUMPY is set)")
        pytest.skip(f"{name} not installed")
    return path


@pytest.fixture(scope="session")
def cli(tmp_path_factory):
    """The cosmoemu command of this checkout (COSMOEMU_CLI, or built)."""
    path = os.environ.get("COSMOEMU_CLI")
    if path and os.path.exists(path):
        return path
    path = str(tmp_path_factory.mktemp("bin") / "cosmoemu")
    subprocess.check_call(["go", "build", "-o", path, "./cmd/cosmoemu"], cwd=ROOT)
    return path


def run_json(cli, *args):
    """Run the command with -json and return its JSON."""
    out = subprocess.run([cli, *args, "-json"], check=True, capture_output=True, text=True).stdout
    return json.loads(out)


@pytest.fixture(scope="session")
def flagship():
    import cosmoemu
    like = cosmoemu.Likelihood(FLAGSHIP, model="w0wacdm")
    yield like
    like.close()


@pytest.fixture(scope="session")
def flagship_fit(cli, tmp_path_factory):
    """`cosmoemu fit` of the flagship (5000 steps, seed 1): its -json summary."""
    root = str(tmp_path_factory.mktemp("flagship") / "flagship")
    return run_json(cli, "fit", "-model", "w0wacdm", "-data", ",".join(FLAGSHIP), "-out", root)


@pytest.fixture
def rng():
    return np.random.default_rng(20261205)


def pythonpath_env():
    """The environment of a child Python with this package importable."""
    env = dict(os.environ)
    parts = [os.path.join(ROOT, "python")] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    env["PYTHONPATH"] = os.pathsep.join(parts)
    env.setdefault("MPLBACKEND", "Agg")
    return env


PYTHON = sys.executable
