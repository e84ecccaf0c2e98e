"""Builds libcosmoemu with the Go toolchain (go build -buildmode=c-shared
../capi) into the package before setuptools copies it, so that
`pip install ./python` from a clone gives a working `import cosmoemu`.
The library is platform-specific: the wheel is marked so."""

import os
import shutil
import subprocess

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.dist import Distribution

HERE = os.path.dirname(os.path.abspath(__file__))


def build_library():
    root = os.environ.get("COSMOEMU_SOURCE", os.path.dirname(HERE))
    lib = os.path.join(HERE, "cosmoemu", "libcosmoemu.so")
    if not os.path.exists(os.path.join(root, "capi", "main.go")):
        if os.path.exists(lib):
            return  # an sdist or a copy with the library already built
        raise RuntimeError(f"cosmoemu: no Go source at {root}/capi and no prebuilt {lib}: "
                           "install from a clone of the repository (or set COSMOEMU_SOURCE)")
    go = os.environ.get("GO", shutil.which("go") or "go")
    subprocess.check_call([go, "build", "-buildmode=c-shared", "-o", lib, "./capi"], cwd=root)


class BuildPy(build_py):
    def run(self):
        build_library()
        super().run()


class BinaryDistribution(Distribution):
    def has_ext_modules(self):
        return True


cmdclass = {"build_py": BuildPy}
try:
    from wheel.bdist_wheel import bdist_wheel

    class BdistWheel(bdist_wheel):
        """The library is loaded with ctypes: any Python 3, one platform."""

        def finalize_options(self):
            super().finalize_options()
            self.root_is_pure = False

        def get_tag(self):
            return ("py3", "none", super().get_tag()[2])

    cmdclass["bdist_wheel"] = BdistWheel
except ImportError:
    pass

setup(cmdclass=cmdclass, distclass=BinaryDistribution)
