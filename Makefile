# One command surface for people, hooks and CI. `make help` lists the targets.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help setup lock data params reports dist test test-fast lint bench notebooks lab clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

# The whole dependency tree is installed from requirements.lock, every file checked against its sha256;
# then the package itself, without letting pip resolve anything else.
$(STAMP): requirements.lock pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need Python 3.11 (set PYTHON=/path/to/python3.11)"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m pip check
	@touch $(STAMP)

setup: $(STAMP)  ## create .venv and install the locked dependencies (requirements.lock, with hashes)

lock: setup  ## re-resolve pyproject.toml into requirements.lock (full tree, sha256 hashes; needs the registry)
	$(BIN)/python -m pip install --quiet uv==0.13.8
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --no-header --quiet \
		--python-version 3.11 --python-platform x86_64-manylinux_2_28 -o requirements.lock

data: setup  ## validate data/raw/ and write data/processed/ (fyrbodal prepare)
	$(BIN)/fyrbodal prepare

params: setup  ## regenerate params/editions/ from the registry
	$(BIN)/fyrbodal params

reports: data  ## set up, prepare the data and build every edition into reports/ (cached; FORCE=1 rebuilds)
	$(BIN)/fyrbodal build --all $(if $(FORCE),--force,) $(if $(JOBS),--jobs $(JOBS),)

dist: reports  ## write one package per municipality to dist/ for sending (fyrbodal distribute)
	$(BIN)/fyrbodal distribute

test: setup  ## run every test: unit, pipeline, papermill and Chromium (no tests collected counts as a failure)
	@$(BIN)/python -m pytest $(PYTEST_ARGS); s=$$?; \
	if [ $$s -eq 5 ]; then echo "make test: pytest collected no tests; failing" >&2; exit 1; fi; exit $$s

test-fast: setup  ## the fast tests only (no papermill, no browser, no full build), on two workers, one test file per worker so module fixtures are built once
	@$(BIN)/python -m pytest -m "not integration" -n 2 --dist loadfile $(PYTEST_ARGS); s=$$?; \
	if [ $$s -eq 5 ]; then echo "make test-fast: pytest collected no tests; failing" >&2; exit 1; fi; exit $$s

lint: setup  ## ruff over the package, tests and scripts
	$(BIN)/ruff check src tests scripts

bench: setup  ## measure prepare, the cold build of all editions, the naive loop, a no-op rebuild, peak memory
	$(BIN)/python scripts/bench.py

notebooks: setup  ## regenerate the thin notebooks in notebooks/ from the report parts
	$(BIN)/python scripts/make_notebooks.py

lab: data  ## open JupyterLab on the notebooks
	$(BIN)/jupyter lab notebooks/

clean:  ## remove build output (keeps .venv and raw data)
	rm -rf reports dist build data/processed/*.parquet data/processed/manifest.json
