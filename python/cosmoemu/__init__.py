"""cosmoemu from Python: the background expansion, likelihoods and fits of
cosmoemu (a Go library) in this process, through its C ABI (libcosmoemu).

    import cosmoemu
    out = cosmoemu.background("w0wacdm", {"Om": om, "w0": w0, "wa": wa, "H0": 67.0}, z)
    like = cosmoemu.Likelihood(["desi-dr2", "union3", "planck18-distance"], model="w0wacdm")
    samples = cosmoemu.fit(["desi-dr2", "union3", "planck18-distance"], model="w0wacdm")  # GetDist MCSamples

For Cobaya, `theory: {cosmoemu: ...}` (this module's get_cobaya_class) and
the likelihoods of cosmoemu.cobaya; docs/python.md has the whole story.
"""

from ._lib import CosmoemuError, library_path
from .core import (Background, FitResult, Likelihood, background, datasets, fit, get_threads, live_handles, models,
                   set_threads)

__version__ = "0.1.0"

__all__ = ["Background", "CosmoemuError", "FitResult", "Likelihood", "background", "datasets", "fit", "get_threads",
           "library_path", "live_handles", "models", "set_threads"]


def get_cobaya_class():
    """The Cobaya Theory class, so that a Cobaya input can say
    `theory: {cosmoemu: ...}`."""
    from .cobaya import CosmoemuTheory
    return CosmoemuTheory
