# cosmoemu: the Go module, its command, and the Python package over its
# C ABI. `make test` is the README's test command: the Go tests, then the
# shared library, then the Python tests (pytest).

GO      ?= go
PYTHON  ?= /usr/bin/python3
LIB     := python/cosmoemu/libcosmoemu.so
# Cobaya, GetDist and Py-BOBYQA for the Python tests, beside the clone
# (../shared/pydeps, see its README); a user's own installation otherwise.
PYDEPS  ?= $(abspath ../shared/pydeps)
PYTEST_ENV = PYTHONPATH=$(CURDIR)/python$(if $(wildcard $(PYDEPS)/site),:$(PYDEPS)/site) \
	$(if $(wildcard $(PYDEPS)/cobaya_packages),COBAYA_PACKAGES_PATH=$(PYDEPS)/cobaya_packages) \
	MPLBACKEND=Agg COSMOEMU_CLI=$(CURDIR)/python/build/cosmoemu \
	PYTHONPYCACHEPREFIX=$(CURDIR)/python/build/pycache

.PHONY: test gotest python pytest bench-python install-python clean-python

test: gotest pytest

gotest:
	$(GO) test ./...

# The shared library inside the package: `import cosmoemu` then works with
# PYTHONPATH=python (pip install ./python installs it for good).
python:
	$(GO) build -buildmode=c-shared -o $(LIB) ./capi

# The command line too, which the tests compare with.
python/build/cosmoemu: python
	$(GO) build -o python/build/cosmoemu ./cmd/cosmoemu

pytest: python python/build/cosmoemu
	cd python && $(PYTEST_ENV) $(PYTHON) -m pytest -q -p no:cacheprovider tests

bench-python: python
	$(PYTEST_ENV) $(PYTHON) -m cosmoemu.bench

install-python:
	$(PYTHON) -m pip install --no-build-isolation ./python

clean-python:
	rm -rf python/build python/cosmoemu/libcosmoemu.so python/cosmoemu/libcosmoemu.h python/*.egg-info
