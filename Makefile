# Two entry points, each setting up what it needs from the project's own pinned files:
#   make site   - create .venv, install requirements.txt, check the annotations, build site/
#   make test   - create .venv, install requirements-dev.txt and the system tools the tests use,
#                 run every test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: site test check bench setup setup-dev clean

site: setup
	$(BIN)/python build.py build

check: setup
	$(BIN)/python build.py check

# Build speed and size at N = 100, 1000 and 5000 synthetic sources (takes a while; see README)
bench: setup
	$(BIN)/python -m bench.run $(BENCH_ARGS)

test: setup-dev
	bash .ci/setup-system
	$(BIN)/python -m pytest

setup: $(VENV)/.runtime-installed
setup-dev: $(VENV)/.dev-installed

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime-installed: requirements.txt | $(VENV)/bin/python
	$(BIN)/python -m pip install --disable-pip-version-check -q -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt package.json package-lock.json | $(VENV)/bin/python
	$(BIN)/python -m pip install --disable-pip-version-check -q -r requirements-dev.txt
	npm ci --no-audit --no-fund --silent
	touch $@ $(VENV)/.runtime-installed

clean:
	rm -rf $(VENV) site .build .cache node_modules
