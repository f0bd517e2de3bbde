# Every target sets itself up: a fresh clone needs only python3 (3.11+) and make.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: build test package mock contract deploy clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

## make build: generate every artifact of the SmartDialog connector into build/SmartDialog/
build: $(STAMP)
	$(BIN)/connector build
	$(BIN)/connector validate build/SmartDialog/apiDefinition.swagger.json

## make package: the certification submission, build/certification/SmartDialog/ and build/certification/SmartDialog.zip
package: $(STAMP)
	$(BIN)/connector package

## make contract: start the mock, build its profile, run a scenario per visible action and the trigger through
## the platform-like client (script.csx compiled by mcs), then schemathesis with every default check
contract: $(STAMP)
	bash scripts/setup-system.sh
	$(BIN)/connector contract

## make test: set up (venv, system tools the tests need) and run the whole suite
test: $(STAMP)
	bash scripts/setup-system.sh
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) .pytest_cache
