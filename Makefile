# central.msp — one entry point for people and CI.
#   make demo   the main job: the MSP overview on the local simulator
#   make test   every test and Ansible check (unit, integration, sanity, lint, build)
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Tests and playbooks import the collection through a symlink (always current);
# ansible-test needs a real copy, made fresh in build/sanity.
DEV_COLLECTIONS := $(CURDIR)/build/dev
SANITY_ROOT := build/sanity/ansible_collections/central/msp
export ANSIBLE_COLLECTIONS_PATH := $(DEV_COLLECTIONS)
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: venv dev-tree unit integration sanity lint build docs-check test demo bench soak compat clean

venv: $(STAMP)
$(STAMP): requirements.txt requirements-test.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-test.txt
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

build: venv
	rm -rf build/dist && mkdir -p build/dist
	$(BIN)/ansible-galaxy collection build --output-path build/dist --force .

test: venv dev-tree
	$(BIN)/python -m pytest tests/unit tests/integration tests/performance -q -m "not slow"
	$(MAKE) --no-print-directory sanity lint docs-check build

demo: venv dev-tree
	$(BIN)/python tests/demo/run_demo.py

bench: venv dev-tree
	$(BIN)/python -m tests.performance.bench

soak: venv dev-tree
	$(BIN)/python -m pytest tests -q -m slow

# Unit and parity tests on every ansible-core release of requires_ansible, venvs under build/compat/.
compat: venv dev-tree
	bash tests/compat/run.sh

clean:
	rm -rf build reports .pytest_cache
