# One command surface for people, hooks and CI. `make help` lists the targets.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help setup data params reports test bench lint clean

help:  ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-9s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need Python 3.11 (set PYTHON=/path/to/python3.11)"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

setup: $(STAMP)  ## create .venv and install the pinned dependencies

data: setup  ## validate data/raw/ and write data/processed/ (fyrbodal prepare)
	$(BIN)/fyrbodal prepare

params: setup  ## regenerate params/editions/ from the registry
	$(BIN)/fyrbodal params

reports: data  ## set up and build every edition (for now: stops after `fyrbodal prepare`)
	@echo "reports: data prepared; notebook editions are built by issue #5 (fyrbodal build)"

test: setup  ## run the test suite (no tests collected counts as a failure)
	@$(BIN)/python -m pytest $(PYTEST_ARGS); s=$$?; \
	if [ $$s -eq 5 ]; then echo "make test: pytest collected no tests; failing" >&2; exit 1; fi; exit $$s

bench: setup  ## time prepare (cold, repeated) and report the numbers
	$(BIN)/python scripts/bench.py

clean:  ## remove build output (keeps .venv and raw data)
	rm -rf reports data/processed/*.parquet data/processed/manifest.json
