# ktvdesk — `make run` starts the app, `make test` runs the whole suite.
# Both set everything up first (system libVLC + CJK font, .venv, Python packages) and are idempotent.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.ktvdesk-installed
EXTRAS := test,bench
PYTEST_OFFSCREEN := QT_QPA_PLATFORM=offscreen PYTHON_KEYRING_BACKEND=keyring.backends.null.Keyring

.PHONY: run test bench soak lint setup system-deps dist bundle install-desktop demo clean

run: setup
	$(BIN)/python -m ktvdesk $(ARGS)

test: setup lint
	$(PYTEST_OFFSCREEN) $(BIN)/python -m pytest -q --ignore=tests/bench $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: setup
	$(PYTEST_OFFSCREEN) $(BIN)/python -m pytest tests/bench -s -q --timeout=0 $(PYTEST_ARGS)

setup: system-deps $(STAMP)

system-deps:
	@PYTHON=$(PYTHON) bash packaging/system-deps.sh

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[$(EXTRAS)]'
	@touch $(STAMP)

clean:
	rm -rf $(VENV) build dist *.egg-info .mypy_cache .ruff_cache
