# central.msp — one entry point for people and CI.
#   make demo   the main job: the MSP overview on the local simulator (installs only the runtime)
#   make probe  the live-contract probe (playbooks/verify_contract.yml) against the local simulator
#   make test   every test and Ansible check (unit, integration, sanity, lint, docs lint, build)
#   make docs   the docs site (antsibull-docs + Sphinx) in build/docs/html
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# What `make demo` needs: ansible-core, the collection's requirements and the simulator's (requirements-demo.txt).
RUNTIME_STAMP := $(VENV)/.runtime
# antsibull-docs and Sphinx, apart from the test toolchain (requirements-docs.txt).
DOCS_VENV := build/venv-docs
DOCS_STAMP := $(DOCS_VENV)/.installed
# Tests and playbooks import the collection through a symlink (always current);
# ansible-test needs a real copy, made fresh in build/sanity.
DEV_COLLECTIONS := $(CURDIR)/build/dev
SANITY_ROOT := build/sanity/ansible_collections/central/msp
export ANSIBLE_COLLECTIONS_PATH := $(DEV_COLLECTIONS)
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: venv runtime dev-tree unit integration sanity lint build docs-check docs-lint docs test demo probe bench bench-overview soak compat clean

runtime: $(RUNTIME_STAMP)
$(RUNTIME_STAMP): requirements.txt requirements-demo.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -r requirements-demo.txt
	touch $@

venv: $(STAMP)
$(STAMP): $(RUNTIME_STAMP) requirements-test.txt
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-test.txt
	touch $@

$(DOCS_STAMP): requirements-docs.txt
	$(PYTHON) -m venv $(DOCS_VENV)
	$(DOCS_VENV)/bin/pip install --quiet -r requirements-docs.txt
	touch $@

dev-tree:
	@mkdir -p $(DEV_COLLECTIONS)/ansible_collections/central
	@ln -sfn $(CURDIR) $(DEV_COLLECTIONS)/ansible_collections/central/msp

unit: venv dev-tree
	$(BIN)/python -m pytest tests/unit -q --ignore=tests/unit/simulator

integration: venv dev-tree
	$(BIN)/python -m pytest tests/integration tests/unit/simulator -q

sanity: venv
	bash tests/sanity/run.sh

lint: venv dev-tree
	$(BIN)/ansible-lint --profile production

docs-check: venv dev-tree
	bash tests/sanity/ansible_doc.sh

docs-lint: $(DOCS_STAMP) dev-tree
	$(PYTHON) tests/sanity/docs_site.py lint --bin $(DOCS_VENV)/bin

docs: $(DOCS_STAMP) dev-tree
	$(PYTHON) tests/sanity/docs_site.py build --bin $(DOCS_VENV)/bin --dest build/docs

build: venv
	rm -rf build/dist && mkdir -p build/dist
	$(BIN)/ansible-galaxy collection build --output-path build/dist --force .

test: venv dev-tree
	$(BIN)/python -m pytest tests/unit tests/integration tests/performance -q -m "not slow"
	$(MAKE) --no-print-directory sanity lint docs-check docs-lint build

demo: runtime dev-tree
	$(BIN)/python tests/demo/run_demo.py

probe: runtime dev-tree
	$(BIN)/python tests/demo/run_probe.py

bench: venv dev-tree
	$(BIN)/python -m tests.performance.bench

# The overview's index page at 1,000 tenants x 200 devices: its size and render time in headless Chromium.
bench-overview: venv dev-tree
	$(BIN)/python -m tests.performance.overview_pages

soak: venv dev-tree
	$(BIN)/python -m pytest tests -q -m slow

# Unit, parity and ansible-test sanity on every ansible-core release of requires_ansible, venvs under build/compat/.
compat: venv dev-tree
	bash tests/compat/run.sh

clean:
	rm -rf build reports .pytest_cache
