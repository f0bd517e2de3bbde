# Every target sets itself up: a fresh clone needs only python3 (3.11+) and make.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: build build-diff test package mock contract deploy paconn clean bench-import bench-validate preview screenshots docs

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

## make build: generate every artifact of the SmartDialog connector into build/SmartDialog/, and its designer
## preview into build/preview/SmartDialog/index.html
build: $(STAMP)
	$(BIN)/connector build
	$(BIN)/connector validate build/SmartDialog
	$(BIN)/connector preview

## make preview: only the designer preview, build/preview/SmartDialog/index.html (open it in a browser)
preview: $(STAMP)
	$(BIN)/connector preview

## make screenshots: one PNG per SmartDialog action and trigger under build/preview/SmartDialog/screenshots/,
## taken by the system's Chromium (commit them after a change to the preview or the model)
screenshots: preview
	bash scripts/setup-system.sh
	$(BIN)/python -m connector.preview.screenshots build/preview/SmartDialog/index.html build/preview/SmartDialog/screenshots

## make package: the certification submission, build/certification/SmartDialog/ and build/certification/SmartDialog.zip
package: $(STAMP)
	$(BIN)/connector package

## make contract: start the mock, build its profile, run a scenario per visible action and the trigger through
## the platform-like client (script.csx compiled by mcs), then schemathesis with every default check
contract: $(STAMP)
	bash scripts/setup-system.sh
	$(BIN)/connector contract

## make mock: run the stateful SmartDialog mock at http://127.0.0.1:8080 (state in build/mock.db; MOCK_ARGS=... for options)
mock: $(STAMP)
	$(BIN)/connector mock $(MOCK_ARGS)

## make build-diff: build, then compare with the last committed build (exit 1 when a change breaks flows)
build-diff: build
	$(BIN)/connector diff --against-git HEAD build/SmartDialog

## make bench-validate: connector validate over every corpus folder in one CLI call against openapi-spec-validator
## alone (side by side), and the folders with errors before and after the calibration of issue 14
bench-validate: $(STAMP)
	$(BIN)/python benchmarks/validate_corpus.py

## make bench-import: import the whole shared corpus (round-trip share, import times, the largest file)
bench-import: $(STAMP)
	$(BIN)/python benchmarks/import_corpus.py

## make test: set up (venv, system tools the tests need) and run the whole suite
test: $(STAMP)
	bash scripts/setup-system.sh
	$(BIN)/python -m pytest

## make paconn: paconn 0.0.21 in a virtual environment of its own in the user cache directory
## (~/.cache/connector/paconn-0.0.21; $CONNECTOR_PACONN_VENV overrides), shared by every checkout; deploy
## and its tests install it there on first use anyway
paconn: $(STAMP)
	$(BIN)/python -m connector.deploy.runner

## make deploy ENVIRONMENT=<env> [DEPLOY_ARGS="--client-id ID ..."]: create or update build/SmartDialog with
## paconn (secret from CONNECTOR_CLIENT_SECRET, sign-in from ~/.paconn/accessTokens.json: `connector login`)
deploy: $(STAMP)
	$(BIN)/connector deploy --environment "$(ENVIRONMENT)" $(DEPLOY_ARGS)

## make docs: the documentation site (MkDocs, Material theme, strict: a broken link fails) into build/site/
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet

clean:
	rm -rf $(VENV) .pytest_cache
