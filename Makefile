# Entry points. `make test` sets up everything on a fresh machine and runs every test.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
STACK ?= dev
FORMAT ?= table
CONFIG ?=

REQUIREMENTS := requirements.txt requirements-dev.txt constraints.txt \
	simulator/requirements.txt frontend/requirements.txt loadtest/requirements.txt

# Folders with their own targets add prerequisites of `make test` to TEST_DEPS.
TEST_DEPS :=
-include simulator/simulator.mk frontend/frontend.mk loadtest/loadtest.mk

.PHONY: venv test lint plan plan-diff golden bench-plan clean

venv: $(VENV)/.installed

$(VENV)/.installed: $(REQUIREMENTS)
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt -c constraints.txt
	touch $@

# Lint and types first (a few seconds), then every test.
test: venv $(TEST_DEPS)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy .
	$(PY) -m pytest -q

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy .

plan: venv
	@$(PY) -m plan $(if $(CONFIG),--config $(CONFIG),--stack $(STACK)) --format $(FORMAT)

# What `pulumi up` would do to a stack deployed from BASE (a stack name or config file) when its config
# becomes CONFIG: per resource create / update / replace / delete and the inputs that cause it.
plan-diff: venv
	$(if $(BASE),,$(error BASE is required: make plan-diff BASE=nvidia-l4 CONFIG=changed.yaml))
	$(if $(CONFIG),,$(error CONFIG is required: make plan-diff BASE=nvidia-l4 CONFIG=changed.yaml))
	@$(PY) -m plan --diff-base $(BASE) --config $(CONFIG) --format $(FORMAT)

# Rewrite tests/golden/ from every stack's plan; review the diff before committing it.
golden: venv
	$(PY) -m plan.golden

# Rewrite the README's config table and Pulumi.yaml's config from the config model (config/).
.PHONY: config-docs
config-docs: venv
	$(PY) -m plan.config_docs

bench-plan: venv
	$(PY) -m plan.bench

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache artifacts
