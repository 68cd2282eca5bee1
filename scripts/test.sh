#!/usr/bin/env bash
# The whole test suite: static checks (ruff, mypy, import contract), then pytest on every
# core (pytest-xdist: PYTEST_WORKERS, default auto = one worker per core; each worker has its
# own SANITASI_HOME, tmp dirs and test database), then the database tests again on a
# throwaway PostgreSQL. Prints the wall time of each stage and of the whole run.
#   HYPOTHESIS_PROFILE=ci bash scripts/test.sh     # fewer property examples (see tests/hypothesis_profiles.py)
#   bash scripts/test.sh -m "not slow"             # extra pytest arguments (both pytest runs)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
WORKERS=${PYTEST_WORKERS:-auto}
start=$(date +%s)
stage() { echo "test.sh: $1 done at $(( $(date +%s) - start )) s" >&2; }
bash scripts/system_deps.sh
"$BIN/ruff" check src tests benchmarks
"$BIN/ruff" format --check src tests benchmarks
"$BIN/mypy"
"$BIN/lint-imports"
stage "static checks"
"$BIN/pytest" -q -n "$WORKERS" --dist worksteal "$@"
stage "pytest (SQLite)"
# The database-touching tests again on a real PostgreSQL (Debian's postgresql, as root).
if [ "$(id -u)" = 0 ] && [ -z "${SANITASI_SKIP_PG:-}" ]; then
  bash scripts/pg_test.sh "$@"
  stage "pytest (PostgreSQL)"
else
  echo "test.sh: PostgreSQL run skipped (needs root; SANITASI_SKIP_PG unset)" >&2
fi
echo "test.sh: whole suite $(( $(date +%s) - start )) s wall" >&2
