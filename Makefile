# Two entry points, each setting up what it needs from the project's own pinned files:
#   make site   - create .venv, install requirements.txt, check the annotations, build site/
#   make test   - create .venv, install the system tools the tests use (Debian), then
#                 requirements-dev.txt (PyPI) and package-lock.json (npm), run every test
# Before anything else, each checks the tools it takes for granted (.ci/prerequisites) and names
# every missing one with the apt-get command that installs it.
PYTHON ?= python3
export PYTHON
VENV := .venv
BIN := $(VENV)/bin

.PHONY: site test check bench mutation setup setup-dev prereqs prereqs-dev system-packages clean

site: setup
	$(BIN)/python build.py build

check: setup
	$(BIN)/python build.py check

# Build speed and size at N = 100, 1000 and 5000 synthetic sources (takes a while; see README)
bench: setup
	$(BIN)/python -m bench.run $(BENCH_ARGS)

test: setup-dev
	$(BIN)/python -m pytest

# Mutation testing of the critical modules (mutation/modules.toml), one module at a time at low
# priority; not part of `make test` (about an hour on 2 cores; see README). Some modules only:
# make mutation MUTATION_ARGS="anchor csv-guard"
mutation: setup-dev
	$(BIN)/python -m mutation.run $(MUTATION_ARGS)

setup: prereqs $(VENV)/.runtime-installed
setup-dev: prereqs-dev system-packages $(VENV)/.dev-installed

# make, Python 3.11.5+ with venv; for the tests also node and npm.
prereqs:
	@bash .ci/prerequisites site
prereqs-dev:
	@bash .ci/prerequisites test

# Chromium, Java and fonts from Debian when missing. Before npm ci (an order-only prerequisite of
# .dev-installed below), so no npm package ever finds Java missing.
system-packages: | prereqs-dev
	bash .ci/setup-system

$(VENV)/bin/python: | prereqs
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime-installed: requirements.txt | $(VENV)/bin/python
	$(BIN)/python -m pip install --disable-pip-version-check -q -r requirements.txt
	touch $@

# npm ci --ignore-scripts: no package's install script runs (vnu-jar's would fetch a Java runtime
# from outside the npm registry); nothing the tests use needs one. Not --silent: npm's output is
# one line, and it is what shows what was installed.
$(VENV)/.dev-installed: requirements.txt requirements-dev.txt package.json package-lock.json .npmrc | system-packages $(VENV)/bin/python
	$(BIN)/python -m pip install --disable-pip-version-check -q -r requirements-dev.txt
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@ $(VENV)/.runtime-installed

clean:
	rm -rf $(VENV) site .build .cache node_modules
