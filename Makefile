# Sanitasi: two commands do all the set-up (see README).
PY ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
OUT ?= out/kota_solok
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run plan test pg-test venv install install-test lint bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

venv: $(BIN)/python

install: venv
	$(BIN)/pip install -q -e .

install-test: venv
	$(BIN)/pip install -q -e '.[dev]'

## make run: create the venv if missing, install, run the main job on the Kota Solok demo,
## load the demo into the embedded SQLite database (once), print the demo logins and serve
## the web app on http://$(HOST):$(PORT)
run: install
	bash scripts/system_deps.sh runtime
	$(BIN)/sanitasi plan --out $(OUT)
	$(BIN)/sanitasi load --demo --skip-existing
	$(BIN)/sanitasi serve --host $(HOST) --port $(PORT)

## make plan: only the main job (terminal summary + reports in $(OUT))
plan: install
	$(BIN)/sanitasi plan --out $(OUT)

## make test: install what the tests need and run the whole suite (static checks, pytest on
## SQLite, then the web tests again on a throwaway PostgreSQL cluster)
test: install-test
	bash scripts/test.sh

pg-test: install-test
	bash scripts/pg_test.sh

lint: install-test
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: install
	$(BIN)/python benchmarks/national.py

clean:
	rm -rf out .pytest_cache .mypy_cache .ruff_cache
