# Every target sets itself up: a fresh clone needs only python3 (3.11+) and make.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: build build-diff test package mock contract deploy clean bench-import

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

## make build: generate every artifact of the SmartDialog connector into build/SmartDialog/
build: $(STAMP)
	$(BIN)/connector build

## make build-diff: build, then compare with the last committed build (exit 1 when a change breaks flows)
build-diff: build
	$(BIN)/connector diff --against-git HEAD build/SmartDialog

## make bench-import: import the whole shared corpus (round-trip share, import times, the largest file)
bench-import: $(STAMP)
	$(BIN)/python benchmarks/import_corpus.py

## make test: set up (venv, system tools the tests need) and run the whole suite
test: $(STAMP)
	bash scripts/setup-system.sh
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) .pytest_cache
