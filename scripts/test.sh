#!/usr/bin/env bash
# The whole test suite: static checks (ruff, mypy, import contract) then pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
bash scripts/system_deps.sh
"$BIN/ruff" check src tests benchmarks
"$BIN/ruff" format --check src tests benchmarks
"$BIN/mypy"
"$BIN/lint-imports"
"$BIN/pytest" -q "$@"
# The database-touching tests again on a real PostgreSQL (Debian's postgresql, as root).
if [ "$(id -u)" = 0 ] && [ -z "${SANITASI_SKIP_PG:-}" ]; then
  bash scripts/pg_test.sh
else
  echo "test.sh: PostgreSQL run skipped (needs root; SANITASI_SKIP_PG unset)" >&2
fi
