#!/usr/bin/env bash
# The whole test suite: static checks (ruff, mypy, import contract) then pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
"$BIN/ruff" check src tests benchmarks
"$BIN/ruff" format --check src tests benchmarks
"$BIN/mypy"
"$BIN/lint-imports"
"$BIN/pytest" -q "$@"
