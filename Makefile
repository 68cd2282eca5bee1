# Sanitasi: two commands do all the set-up (see README).
PY ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
OUT ?= out/kota_solok

.PHONY: run test venv install install-test lint bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

venv: $(BIN)/python

install: venv
	$(BIN)/pip install -q -e .

install-test: venv
	$(BIN)/pip install -q -e '.[dev]'

## make run: create the venv if missing, install, run the main job on the Kota Solok demo
run: install
	$(BIN)/sanitasi plan --out $(OUT)

## make test: install what the tests need and run the whole suite
test: install-test
	bash scripts/test.sh

lint: install-test
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: install
	$(BIN)/python benchmarks/national.py

clean:
	rm -rf out .pytest_cache .mypy_cache .ruff_cache
