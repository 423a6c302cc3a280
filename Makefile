# One command surface for people, hooks and CI. `make help` lists the targets.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help setup data params reports dist test bench notebooks lab clean

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

reports: data  ## set up, prepare the data and build every edition into reports/ (cached; FORCE=1 rebuilds)
	$(BIN)/fyrbodal build --all $(if $(FORCE),--force,) $(if $(JOBS),--jobs $(JOBS),)

dist: reports  ## write one package per municipality to dist/ for sending (fyrbodal distribute)
	$(BIN)/fyrbodal distribute

test: setup  ## run the test suite (no tests collected counts as a failure)
	@$(BIN)/python -m pytest $(PYTEST_ARGS); s=$$?; \
	if [ $$s -eq 5 ]; then echo "make test: pytest collected no tests; failing" >&2; exit 1; fi; exit $$s

bench: setup  ## measure prepare, the cold build of all editions, the naive loop, a no-op rebuild, peak memory
	$(BIN)/python scripts/bench.py

notebooks: setup  ## regenerate the thin notebooks in notebooks/ from the report parts
	$(BIN)/python scripts/make_notebooks.py

lab: data  ## open JupyterLab on the notebooks
	$(BIN)/jupyter lab notebooks/

clean:  ## remove build output (keeps .venv and raw data)
	rm -rf reports dist build data/processed/*.parquet data/processed/manifest.json
